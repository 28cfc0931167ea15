package dev.flusso.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.Finding;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Sink;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.MappingOptions;
import dev.flusso.schema.Problem;
import dev.flusso.schema.SchemaException;
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
 * {@code flusso check}: validates the deployment and prints each index's typed mapping. Every problem of every
 * file is listed, each with its file, line, column and field path.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates flusso.toml and its schemas and prints each index's typed mapping.")
final class CheckCommand implements Callable<Integer> {

    /** {@code human} is the original flusso's name for {@code text}. */
    enum Format { human, text, json }

    @Mixin
    ConfigOptions config;

    @Option(names = "--offline", defaultValue = "${env:FLUSSO_OFFLINE:-false}",
            description = "Check the files only: connect to neither the database nor the sinks (env FLUSSO_OFFLINE).")
    boolean offline;

    @Option(names = "--format", defaultValue = "${env:FLUSSO_FORMAT:-human}",
            description = "human (or text) or json (env FLUSSO_FORMAT; default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--publication", defaultValue = "${env:FLUSSO_PUBLICATION}",
            description = "Publication to check (env FLUSSO_PUBLICATION; default from [source], then flusso).")
    String publication;

    @Option(names = "--manage-publication", arity = "1", defaultValue = "${env:FLUSSO_MANAGE_PUBLICATION}",
            description = "Whether Flusso may create and extend the publication (env FLUSSO_MANAGE_PUBLICATION).")
    Boolean managePublication;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Deployment deployment;
        try {
            deployment = config.load();
        } catch (SchemaException e) {
            report(out, e.problems());
            return Flusso.EXIT_CONFIG;
        }
        List<Map<String, Object>> findings = offline ? List.of() : online(deployment);
        boolean sourceError = failed(findings, "source");
        boolean sinkError = failed(findings, "sink");
        if (format == Format.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("valid", !sourceError && !sinkError);
            result.put("indexes", indexes(deployment));
            if (!offline) {
                result.put("findings", findings);
            }
            out.println(json().writeValueAsString(result));
        } else {
            text(out, deployment);
            if (!offline) {
                out.printf("%nagainst the database and the sinks:%n");
                for (Map<String, Object> finding : findings) {
                    out.printf("  %-7s %s: %s: %s%n", finding.get("severity"), finding.get("edge"), finding.get("subject"),
                            finding.get("message"));
                    if (!String.valueOf(finding.get("fix")).isEmpty()) {
                        out.printf("          fix: %s%n", finding.get("fix"));
                    }
                }
            }
        }
        out.flush();
        return sourceError ? Flusso.EXIT_SOURCE : sinkError ? Flusso.EXIT_SINK : 0;
    }

    /** Asks the builder, the capture and each sink to check themselves; one that cannot is an error of its own. */
    private List<Map<String, Object>> online(Deployment deployment) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("publication", publication);
        overrides.put("manage_publication", managePublication);
        Wiring wiring = new Wiring(deployment, Plugins.providers(), dev.flusso.api.Observer.NONE, overrides);
        List<Map<String, Object>> findings = new ArrayList<>();
        List<IndexDefinition> indexes = List.of();
        try (DocumentBuilder builder = config.lock != null ? wiring.builder("lock_file", config.lock)
                : wiring.builder("deployment", config.config)) {
            indexes = builder.indexes();
            collect(findings, "source", "the database", builder::check);
        } catch (RuntimeException e) {
            findings.add(finding("source", Finding.error("the database", "cannot be checked: " + e.getMessage(),
                    "check [source] connection_url, and that the database is up and reachable")));
            return findings;
        }
        List<IndexDefinition> read = indexes;
        String captureName = wiring.captureName(null);
        collect(findings, "source", "capture '" + captureName + "'", () -> {
            try (ChangeCapture capture = wiring.capture(captureName, read)) {
                return capture.check();
            }
        });
        Map<String, Sink> sinks;
        try {
            sinks = wiring.sinks();
        } catch (RuntimeException e) {
            findings.add(finding("sink", Finding.error("the sinks", "cannot be made: " + e.getMessage(), "check [sinks.*]")));
            return findings;
        }
        sinks.forEach((name, sink) -> collect(findings, "sink", "sink '" + name + "'", () -> {
            try (Sink closing = sink) {
                return closing.check().stream().map(f -> new Finding(f.severity(), "sink '" + name + "', " + f.subject(),
                        f.message(), f.fix())).toList();
            }
        }));
        return findings;
    }

    private static void collect(List<Map<String, Object>> findings, String edge, String subject,
            java.util.function.Supplier<List<Finding>> check) {
        try {
            List<Finding> found = check.get();
            if (found.isEmpty()) {
                findings.add(finding(edge, Finding.ok(subject, "has no checks of its own")));
            }
            found.forEach(f -> findings.add(finding(edge, f)));
        } catch (RuntimeException e) {
            findings.add(finding(edge, Finding.error(subject, "cannot be checked: " + e.getMessage(),
                    "check its settings, and that it is up and reachable")));
        }
    }

    private static Map<String, Object> finding(String edge, Finding finding) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("edge", edge);
        entry.put("severity", finding.severity().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("subject", finding.subject());
        entry.put("message", finding.message());
        entry.put("fix", finding.fix());
        return entry;
    }

    private static boolean failed(List<Map<String, Object>> findings, String edge) {
        return findings.stream().anyMatch(f -> f.get("edge").equals(edge) && f.get("severity").equals("error"));
    }

    private void report(PrintWriter out, List<Problem> problems) throws Exception {
        if (format == Format.json) {
            out.println(json().writeValueAsString(Map.of("valid", false, "problems", problems)));
        } else {
            out.println(config.source() + ": " + problems.size() + " problem(s)");
            problems.forEach(problem -> out.println("  " + problem));
        }
        out.flush();
    }

    private static List<Map<String, Object>> indexes(Deployment deployment) {
        List<Map<String, Object>> indexes = new ArrayList<>();
        for (CompiledIndex index : deployment.indexes()) {
            IndexDefinition definition = index.toDefinition(MappingOptions.DEFAULT);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", index.name());
            entry.put("enabled", index.enabled());
            entry.put("schema", index.schemaFile());
            entry.put("root", definition.root().toString());
            entry.put("key", definition.keyColumns());
            entry.put("tables", definition.tables().stream().map(Object::toString).sorted().toList());
            entry.put("fingerprint", index.fingerprint());
            entry.put("mapping", definition.mapping());
            entry.put("settings", definition.settings());
            indexes.add(entry);
        }
        return indexes;
    }

    private void text(PrintWriter out, Deployment deployment) {
        out.printf("%s: valid; %d index(es), %d sink(s)%n", config.source(), deployment.indexes().size(), deployment.sinks().size());
        for (Map<String, Object> index : indexes(deployment)) {
            out.printf("%nindex '%s'%s  (%s)%n", index.get("name"), Boolean.TRUE.equals(index.get("enabled")) ? "" : " [disabled]",
                    index.get("schema"));
            out.printf("  root %s, key %s; reads %s%n", index.get("root"), index.get("key"), index.get("tables"));
            out.printf("  fingerprint %s%n", index.get("fingerprint"));
            @SuppressWarnings("unchecked")
            Map<String, Object> mapping = (Map<String, Object>) index.get("mapping");
            fields(out, mapping, "  ");
        }
    }

    /** Prints each field with its type, sub-fields in brackets, nested objects indented. */
    @SuppressWarnings("unchecked")
    private static void fields(PrintWriter out, Map<String, Object> mapping, String indent) {
        Object properties = mapping.get("properties");
        if (!(properties instanceof Map)) {
            return;
        }
        ((Map<String, Object>) properties).forEach((name, value) -> {
            Map<String, Object> field = (Map<String, Object>) value;
            Object type = field.getOrDefault("type", field.containsKey("properties") ? "object" : "?");
            String subfields = field.get("fields") instanceof Map<?, ?> sub ? " " + sub.keySet().stream().map(k -> "." + k).toList() : "";
            out.printf("%s%-24s %s%s%n", indent, name, type, subfields);
            fields(out, field, indent + "  ");
        });
    }

    private static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
