package dev.flusso.schema;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the schema and deployment readers, through files as users write them. A plain
 * {@code mvn test} replays the inputs under {@code SchemaFileFuzzTestInputs}; {@code JAZZER_FUZZ=1 mvn test -pl
 * flusso-schema -Dtest='SchemaFileFuzzTest#schemaFile'} (or {@code #deploymentFile}) fuzzes one of them. A file is
 * either read or refused with a {@link SchemaException} whose problems name it: anything else is a finding.
 */
class SchemaFileFuzzTest {

    private static final Path DIR = SchemaFileMalformedProperties.folderWithSchemas();

    @AfterAll
    static void removeFolder() throws IOException {
        SchemaFileMalformedProperties.delete(DIR);
    }

    @FuzzTest(maxDuration = "2m")
    void schemaFile(byte[] bytes) {
        Path file = SchemaFileMalformedProperties.write(DIR, "fuzzed.schema.yml", bytes);
        try {
            IndexSchema.parse(file);
        } catch (SchemaException e) {
            SchemaFileMalformedProperties.assertNamesTheFile(e, file, new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @FuzzTest(maxDuration = "2m")
    void deploymentFile(byte[] bytes) {
        Path file = SchemaFileMalformedProperties.write(DIR, "flusso.toml", bytes);
        try {
            Deployment.load(file, Map.<String, String>of()::get);
        } catch (SchemaException e) {
            SchemaFileMalformedProperties.assertNamesTheFile(e, file, new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
