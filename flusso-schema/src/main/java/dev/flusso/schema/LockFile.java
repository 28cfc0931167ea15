package dev.flusso.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flusso.api.ConfigurationException;
import dev.flusso.schema.internal.DeploymentReader;
import dev.flusso.schema.internal.Node;
import dev.flusso.schema.internal.Problems;
import dev.flusso.schema.internal.SchemaPrinter;
import dev.flusso.schema.internal.SchemaReader;
import dev.flusso.schema.internal.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The compiled deployment, {@code flusso build}'s artifact: one JSON file that {@code run} loads without the
 * source files. It holds the deployment file as written (secrets stay {@code { env = … }} references, reserved
 * variables are applied again when the lock is read) and each index's validated schema in its canonical form,
 * with its fingerprint. Reading validates everything again, and a fingerprint that no longer matches is an error:
 * this build would create a different index than the one the lock was built for.
 */
public final class LockFile {

    /** The lock format this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LockFile() {
    }

    /**
     * @param deployment the deployment, never {@code null}
     * @param lock where to write, replacing any file there
     * @throws ConfigurationException if the file cannot be written
     */
    public static void write(Deployment deployment, Path lock) {
        try {
            Files.writeString(lock, toJson(deployment), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("cannot write lock file '" + lock + "': " + e.getMessage(), e);
        }
    }

    /** {@return the lock file's content for the deployment} */
    public static String toJson(Deployment deployment) {
        Map<String, Object> indexes = new LinkedHashMap<>();
        for (CompiledIndex index : deployment.indexes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("fingerprint", index.fingerprint());
            entry.put("schema", SchemaPrinter.toTree(index.schema()));
            indexes.put(index.name(), entry);
        }
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("format", "flusso-lock");
        lock.put("format_version", FORMAT_VERSION);
        lock.put("deployment", deployment.declared());
        lock.put("indexes", indexes);
        try {
            return JSON.writeValueAsString(lock) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a deployment is always serialisable", e);
        }
    }

    /** {@return the deployment in the lock file, reserved variables read from the process environment} */
    public static Deployment read(Path lock) {
        return read(lock, System::getenv);
    }

    /**
     * @param lock the lock file, never {@code null}
     * @param environment looks up an environment variable, {@code null} when unset
     * @return the deployment
     * @throws SchemaException listing every problem of the lock file
     */
    public static Deployment read(Path lock, UnaryOperator<String> environment) {
        String file = lock.toString();
        Problems problems = new Problems();
        String text = Problems.readText(lock, "a lock file written by flusso build");
        Node root = TreeReader.readJson(file, text, problems);
        problems.throwIfAny();
        Node.MapNode map = envelope(file, root, problems);
        problems.throwIfAny();
        Node.MapNode indexes = map.get("indexes") instanceof Node.MapNode m ? m : null;
        DeploymentReader.SchemaSource fromLock = (index, schemaFile, at, found) -> {
            String path = "indexes." + index;
            if (indexes == null || !(indexes.get(index) instanceof Node.MapNode entry) || !entry.has("schema")) {
                found.add(file, at, path, "found no compiled schema for index '" + index + "', expected one in 'indexes'");
                return null;
            }
            IndexSchema schema = SchemaReader.readTree(file, entry.get("schema"), path + ".schema", found);
            Node recorded = entry.get("fingerprint");
            String expected = schema == null ? null : dev.flusso.schema.internal.Fingerprint.of(schema);
            if (expected != null && !(recorded instanceof Node.ScalarNode s && expected.equals(s.value()))) {
                found.add(file, recorded == null ? entry.at() : recorded.at(), path + ".fingerprint", "found "
                        + (recorded == null ? "no fingerprint" : Node.describe(recorded)) + ", expected '" + expected
                        + "': the lock was built by a different schema compiler; run flusso build again");
                return null;
            }
            return schema;
        };
        return DeploymentReader.read(file, map.get("deployment"), fromLock, environment, problems);
    }

    private static Node.MapNode envelope(String file, Node root, Problems problems) {
        if (!(root instanceof Node.MapNode map) || !(map.get("format_version") instanceof Node.ScalarNode version)) {
            problems.add(file, root.at(), "", "found no format_version, expected a lock file written by flusso build");
            return null;
        }
        if (!Long.valueOf(FORMAT_VERSION).equals(version.value())) {
            problems.add(file, version.at(), "format_version", "found " + Node.describe(version) + ", expected "
                    + FORMAT_VERSION + "; build the lock again with this flusso");
        }
        if (!map.has("deployment")) {
            problems.add(file, map.at(), "", "found no 'deployment', expected the compiled deployment");
        }
        return map;
    }
}
