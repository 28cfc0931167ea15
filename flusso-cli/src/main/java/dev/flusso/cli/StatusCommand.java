package dev.flusso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FlussoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flusso status} (also {@code flusso indexes}, the original flusso's name): asks a running {@code flusso run}
 * on its admin surface how it is doing, and prints it: per index, the backfill and what each sink holds; the
 * source's confirmed position, the change log it retains, and the lag.
 */
@Command(name = "status", aliases = "indexes", mixinStandardHelpOptions = true,
        description = "Shows a running flusso's indexes, backfill progress, sink state and source lag (from its admin surface).")
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--server", defaultValue = "${env:FLUSSO_SERVER:-127.0.0.1:9465}",
            description = "The running flusso's admin address (env FLUSSO_SERVER; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--admin-user", defaultValue = "${env:FLUSSO_ADMIN_USER:-admin}",
            description = "User for the admin surface (env FLUSSO_ADMIN_USER; default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--admin-password", defaultValue = "${env:FLUSSO_ADMIN_PASSWORD:-flusso}",
            description = "Password for the admin surface (env FLUSSO_ADMIN_PASSWORD).")
    String password;

    @Option(names = "--format", defaultValue = "${env:FLUSSO_FORMAT:-human}", description = "human or json (env FLUSSO_FORMAT).")
    CheckCommand.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        JsonNode status = fetch();
        PrintWriter out = spec.commandLine().getOut();
        if (format == CheckCommand.Format.json) {
            out.println(JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            print(out, status);
        }
        out.flush();
        return status.path("state").asText().equals("failed") ? Flusso.EXIT_FAILURE : 0;
    }

    private JsonNode fetch() throws IOException {
        String url = (server.startsWith("http://") || server.startsWith("https://") ? server : "http://" + server) + "/status";
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--server: '" + server + "' is not an address such as 127.0.0.1:9465");
        }
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        connection.setRequestProperty("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        int code;
        try {
            code = connection.getResponseCode();
        } catch (IOException e) {
            throw new FlussoException("no flusso answers on " + url + " (" + e.getMessage() + "); is `flusso run` running,"
                    + " with its private address there (--private-address, FLUSSO_PRIVATE_ADDRESS)?", e);
        }
        if (code == 401) {
            throw new ConfigurationException(url + " refused the credentials; pass --admin-user and --admin-password"
                    + " (FLUSSO_ADMIN_USER, FLUSSO_ADMIN_PASSWORD) as the run has them");
        }
        try (InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (code != 200) {
                throw new FlussoException(url + " answered " + code);
            }
            return JSON.readTree(in);
        }
    }

    private static void print(PrintWriter out, JsonNode status) {
        out.printf("flusso: %s, since %s%n", status.path("state").asText(), status.path("started").asText());
        if (status.has("failure")) {
            out.printf("  failure: %s%n", status.path("failure").asText());
        }
        JsonNode source = status.path("source");
        out.printf("%nsource%n");
        source.fields().forEachRemaining(field -> out.printf("  %-22s %s%n", field.getKey(), plain(field.getValue())));
        out.printf("%n%-24s %-22s %s%n", "INDEX", "STATE", "BACKFILL");
        Iterator<Map.Entry<String, JsonNode>> indexes = status.path("indexes").fields();
        while (indexes.hasNext()) {
            Map.Entry<String, JsonNode> index = indexes.next();
            JsonNode value = index.getValue();
            String estimate = value.path("backfill_rows_estimated").isNumber()
                    ? " of ~" + value.path("backfill_rows_estimated").asLong() : "";
            out.printf("%-24s %-22s %d rows%s%n", index.getKey(), value.path("state").asText(),
                    value.path("backfill_rows").asLong(), estimate);
            value.path("sinks").fields().forEachRemaining(sink -> {
                StringBuilder line = new StringBuilder();
                sink.getValue().fields().forEachRemaining(f -> line.append(line.isEmpty() ? "" : ", ")
                        .append(f.getKey()).append(' ').append(plain(f.getValue())));
                out.printf("  sink %-18s %s%n", sink.getKey(), line.isEmpty() ? "(nothing to show)" : line);
            });
        }
    }

    private static String plain(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
