package dev.flusso.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flusso.api.BuildOutput;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.Document;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.FlushResult;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.Rejection;
import dev.flusso.api.Sink;
import dev.flusso.core.FanOutSink;
import dev.flusso.schema.Deployment;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flusso dead-letters list|redrive}: the documents {@code on_error = "dead_letter"} kept, read back from the
 * sink; a re-drive rebuilds each from the current rows and writes it, and forgets the dead letters of those the sink
 * accepted. It runs beside a live {@code flusso run} safely: every write carries a version, so a re-driven document
 * never overwrites a newer one.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Lists or re-drives the documents kept by on_error = \"dead_letter\".",
        subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.RedriveCommand.class})
final class DeadLettersCommand {

    /** What both subcommands share: the deployment, which indexes, and how many dead letters at most. */
    static class Selection {
        @Mixin
        ConfigOptions config;

        @Option(names = "--index", defaultValue = "${env:FLUSSO_INDEX}",
                description = "Only this index (env FLUSSO_INDEX; default: every enabled index).")
        String index;

        @Option(names = "--limit", defaultValue = "${env:FLUSSO_LIMIT:-1000}",
                description = "At most this many per index (env FLUSSO_LIMIT; default ${DEFAULT-VALUE}).")
        int limit;

        @Spec
        CommandSpec spec;

        /** The edges both need, made as {@code run} makes them; closed by the caller. */
        Edges open() {
            Deployment deployment = config.load();
            Wiring wiring = new Wiring(deployment, Plugins.providers(), Observer.NONE, Map.of());
            DocumentBuilder builder = config.lock != null ? wiring.builder("lock_file", config.lock)
                    : wiring.builder("deployment", config.config);
            Sink sink = FanOutSink.of(wiring.sinks());
            if (!sink.supportsDeadLetters()) {
                close(builder, sink);
                throw new ConfigurationException("no sink of this deployment keeps dead letters");
            }
            List<IndexDefinition> indexes = new ArrayList<>();
            for (IndexDefinition definition : builder.indexes()) {
                if (index == null || definition.name().equals(index)) {
                    indexes.add(definition);
                }
            }
            if (indexes.isEmpty()) {
                close(builder, sink);
                throw new ConfigurationException("no enabled index '" + index + "' in " + config.source());
            }
            return new Edges(builder, sink, indexes);
        }

        private static void close(AutoCloseable... edges) {
            for (AutoCloseable edge : edges) {
                try {
                    edge.close();
                } catch (Exception e) {
                    // closing after a failure: the failure is what matters
                }
            }
        }
    }

    record Edges(DocumentBuilder builder, Sink sink, List<IndexDefinition> indexes) implements AutoCloseable {
        @Override
        public void close() {
            Selection.close(sink, builder);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists dead letters: index, id, version, reason.")
    static final class ListCommand extends Selection implements Callable<Integer> {

        @Option(names = "--format", defaultValue = "${env:FLUSSO_FORMAT:-human}", description = "human or json (env FLUSSO_FORMAT; default ${DEFAULT-VALUE}).")
        CheckCommand.Format format;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> letters = new ArrayList<>();
            try (Edges edges = open()) {
                for (IndexDefinition definition : edges.indexes()) {
                    for (Rejection letter : edges.sink().deadLetters(definition.name(), limit)) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("index", letter.document().id().index());
                        entry.put("id", letter.document().id().id());
                        entry.put("version", letter.document().version());
                        entry.put("reason", letter.reason());
                        letters.add(entry);
                    }
                }
            }
            if (format == CheckCommand.Format.json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(letters));
            } else {
                out.printf("%d dead letter(s)%n", letters.size());
                for (Map<String, Object> letter : letters) {
                    out.printf("%s/%s (version %s): %s%n", letter.get("index"), letter.get("id"), letter.get("version"),
                            letter.get("reason"));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Rebuilds each dead-lettered document from the current rows and writes it; forgets those accepted.")
    static final class RedriveCommand extends Selection implements Callable<Integer> {

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int written = 0;
            int still = 0;
            try (Edges edges = open()) {
                for (IndexDefinition definition : edges.indexes()) {
                    edges.sink().ensureIndex(definition);
                }
                for (IndexDefinition definition : edges.indexes()) {
                    List<Rejection> letters = edges.sink().deadLetters(definition.name(), limit);
                    if (letters.isEmpty()) {
                        continue;
                    }
                    int[] counts = redrive(edges, letters, out);
                    written += counts[0];
                    still += counts[1];
                }
            }
            out.printf("re-drove %d document(s); %d still rejected, kept as dead letters%n", written, still);
            out.flush();
            return still == 0 ? 0 : Flusso.EXIT_SINK;
        }

        /** {@return documents written and documents still rejected} */
        private static int[] redrive(Edges edges, List<Rejection> letters, PrintWriter out) {
            Map<DocumentId, Long> versions = new LinkedHashMap<>();
            letters.forEach(letter -> versions.put(letter.document().id(), letter.document().version()));
            List<Rejection> rejected = new ArrayList<>();
            List<DocumentId> sent = new ArrayList<>();
            // The dead letter's own version: any change since has a higher one, so a newer document is never replaced.
            edges.builder().build(versions.keySet(), new BuildOutput() {
                @Override
                public void document(DocumentId id, String source) {
                    edges.sink().write(Document.upsert(id, versions.get(id), source));
                    sent.add(id);
                }

                @Override
                public void deleted(DocumentId id) {
                    edges.sink().write(Document.deletion(id, versions.get(id)));
                    sent.add(id);
                }

                @Override
                public void failed(DocumentId id, String reason) {
                    rejected.add(Rejection.unbuilt(id, versions.get(id), reason));
                }
            });
            FlushResult result = edges.sink().flush();
            rejected.addAll(result.rejections());
            List<DocumentId> refused = rejected.stream().map(r -> r.document().id()).toList();
            List<DocumentId> accepted = sent.stream().filter(id -> !refused.contains(id)).toList();
            if (!rejected.isEmpty()) {
                edges.sink().deadLetter(rejected);
                rejected.forEach(r -> out.printf("still rejected: %s/%s: %s%n", r.document().id().index(),
                        r.document().id().id(), r.reason()));
            }
            edges.sink().forgetDeadLetters(accepted);
            return new int[] {accepted.size(), rejected.size()};
        }
    }
}
