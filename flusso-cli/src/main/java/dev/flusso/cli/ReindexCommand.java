package dev.flusso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flusso reindex INDEX}: asks a running flusso to rebuild one index from a full backfill. The sink builds the
 * new contents beside the old (the OpenSearch sink in a new generation behind the alias, keeping the serving one
 * current) and swaps them in when the backfill is complete, so searches are served throughout. With the {@code wal}
 * capture and the in-process queue live changes keep flowing meanwhile; otherwise the run restarts with the rebuild.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Asks a running flusso to rebuild one index from a full backfill while live sync goes on, serving the old contents meanwhile.")
final class ReindexCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INDEX", description = "The index to rebuild, by its name in flusso.toml.")
    String index;

    @Mixin
    AdminClient admin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        JsonNode answer = admin.call("POST", "/reindex?index=" + URLEncoder.encode(index, StandardCharsets.UTF_8));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("reindex of '%s': %s%n", index, answer.path("state").asText());
        out.println("follow it with: flusso status");
        out.flush();
        return 0;
    }
}
