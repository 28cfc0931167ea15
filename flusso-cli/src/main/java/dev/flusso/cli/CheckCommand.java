package dev.flusso.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flusso.api.IndexDefinition;
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
        if (!offline) {
            spec.commandLine().getErr().println("flusso: this build checks the files only; the database and sink "
                    + "checks come with their modules. Showing the offline check.");
        }
        if (format == Format.json) {
            out.println(json().writeValueAsString(Map.of("valid", true, "indexes", indexes(deployment))));
        } else {
            text(out, deployment);
        }
        out.flush();
        return 0;
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
