package dev.flusso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FlussoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import picocli.CommandLine.Option;

/** How a command reaches a running flusso's admin surface: its address and credentials, as the original's flags. */
final class AdminClient {

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

    /**
     * {@return the JSON the admin surface answers}
     *
     * @param method {@code GET} or {@code POST}
     * @param path such as {@code /status}
     */
    JsonNode call(String method, String path) throws IOException {
        String url = (server.startsWith("http://") || server.startsWith("https://") ? server : "http://" + server) + path;
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--server: '" + server + "' is not an address such as 127.0.0.1:9465");
        }
        connection.setRequestMethod(method);
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
            JsonNode body = in == null ? JSON.nullNode() : JSON.readTree(in);
            if (code == 404 && body.has("error")) {
                throw new ConfigurationException(body.get("error").asText());
            }
            if (code >= 300) {
                throw new FlussoException(method + " " + url + " answered " + code + (body.has("error") ? ": "
                        + body.get("error").asText() : ""));
            }
            return body;
        }
    }
}
