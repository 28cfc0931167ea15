package dev.flusso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    AdminClient admin;

    @Option(names = "--format", defaultValue = "${env:FLUSSO_FORMAT:-human}", description = "human or json (env FLUSSO_FORMAT).")
    CheckCommand.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        JsonNode status = admin.call("GET", "/status");
        PrintWriter out = spec.commandLine().getOut();
        if (format == CheckCommand.Format.json) {
            out.println(JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            print(out, status);
        }
        out.flush();
        return status.path("state").asText().equals("failed") ? Flusso.EXIT_FAILURE : 0;
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
