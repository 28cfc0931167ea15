package dev.flusso.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Users write flusso.toml and *.schema.yml by hand: whatever a file holds, reading it either succeeds or throws a
 * {@link SchemaException} whose every problem names its file and a line within it, promptly. Any other exception,
 * or a hang, is a bug. Valid sample files are mutated: lines deleted, duplicated, swapped and re-indented, random
 * characters inserted, values of the wrong type, deep nesting, huge numbers, long lines, invalid UTF-8.
 * {@code -Dflusso.long=true} tries more.
 */
class SchemaFileMalformedProperties {

    private static final boolean LONG = Boolean.getBoolean("flusso.long");
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final List<String> SCHEMAS = List.of("conformance/every-kind.schema.yml", "conformance/users.schema.yml",
            "conformance/guide/users.schema.yml", "conformance/loader/orders.schema.yml");
    private static final List<String> DEPLOYMENTS = List.of("fuzz/flusso.toml", "conformance/guide/flusso.toml",
            "conformance/loader/flusso.toml");
    private static final Path DIR = folderWithSchemas();

    @Property(tries = 400)
    void aMutatedSchemaFileIsReadOrRefusedNamingTheFile(@ForAll("schemaSamples") String sample,
            @ForAll("yamlMutations") List<Mutation> mutations) {
        byte[] bytes = mutated(Resources.text(sample), mutations);
        Path file = write("mutated.schema.yml", bytes);
        assertReadOrRefused(file, bytes, () -> IndexSchema.parse(file));
    }

    @Property(tries = 400)
    void aMutatedDeploymentFileIsReadOrRefusedNamingTheFile(@ForAll("deploymentSamples") String sample,
            @ForAll("tomlMutations") List<Mutation> mutations) {
        byte[] bytes = mutated(Resources.text(sample), mutations);
        Path file = write("flusso.toml", bytes);
        assertReadOrRefused(file, bytes, () -> Deployment.load(file, Map.<String, String>of()::get));
    }

    @Property(tries = 100)
    void moreMutationsWhenAsked(@ForAll("schemaSamples") String schema, @ForAll("deploymentSamples") String deployment,
            @ForAll("manyYamlMutations") List<Mutation> yaml, @ForAll("manyTomlMutations") List<Mutation> toml) {
        if (!LONG) {
            return;
        }
        for (int i = 0; i < 20; i++) {
            aMutatedSchemaFileIsReadOrRefusedNamingTheFile(schema, yaml.subList(0, 1 + i % yaml.size()));
            aMutatedDeploymentFileIsReadOrRefusedNamingTheFile(deployment, toml.subList(0, 1 + i % toml.size()));
        }
    }

    @Example
    void theSamplesAreValid() {
        SCHEMAS.forEach(Resources::schema);
        for (String sample : DEPLOYMENTS) {
            Path file = write("flusso.toml", Resources.text(sample).getBytes(StandardCharsets.UTF_8));
            Deployment.load(file, Map.<String, String>of()::get);
        }
    }

    @Example
    void aLongLineOfSpacesInADeploymentFileIsReadPromptly() {
        String sample = Resources.text("conformance/loader/flusso.toml");
        for (String line : List.of(" ".repeat(20_000), "x = \"\"\"\n[" + " ".repeat(20_000) + "\n\"\"\"", "\t".repeat(20_000))) {
            byte[] bytes = (sample + line + "\n").getBytes(StandardCharsets.UTF_8);
            Path file = write("flusso.toml", bytes);
            assertReadOrRefused(file, bytes, () -> Deployment.load(file, Map.<String, String>of()::get));
        }
    }

    @Example
    void valuesNestedAsDeepAsTheParserAllowsAreReadPromptly() {
        String sample = Resources.text("conformance/loader/flusso.toml");
        byte[] bytes = (sample + "x = " + "[".repeat(1000) + "]".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = write("flusso.toml", bytes);
        assertReadOrRefused(file, bytes, () -> Deployment.load(file, Map.<String, String>of()::get));
    }

    @Example
    void aSchemaPathThatIsNoPathIsAProblemOfTheDeploymentFile() {
        String sample = Resources.text("conformance/loader/flusso.toml").replace("\"users.schema.yml\"", "\"users\\u0000.yml\"");
        Path file = write("flusso.toml", sample.getBytes(StandardCharsets.UTF_8));
        SchemaException e = assertThrows(SchemaException.class, () -> Deployment.load(file, Map.<String, String>of()::get));
        assertTrue(e.getMessage().contains(file + ":11:1 index 'users'.schema: found 'users\u0000.yml', which is no path"),
                e.getMessage());
    }

    @Example
    void aHugeNumberIsQuotedByItsSizeOnly() {
        SchemaException e = assertThrows(SchemaException.class,
                () -> IndexSchema.parse("huge.schema.yml", "version: " + "9".repeat(900) + "\ntable: t\nfields: []\n"));
        assertTrue(e.getMessage().contains("huge.schema.yml:1:10 version: found a number of 900 characters"), e.getMessage());
    }

    @AfterContainer
    static void removeFolder() throws IOException {
        delete(DIR);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static void assertReadOrRefused(Path file, byte[] bytes, Runnable read) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                read.run();
            } catch (SchemaException e) {
                assertNamesTheFile(e, file, text);
            }
        }, () -> "reading " + file.getFileName() + " took over " + BOUND + ":\n" + abbreviated(text));
    }

    /** Each problem names the file read, and a line within it, or else a schema file next to it. */
    static void assertNamesTheFile(SchemaException e, Path file, String text) {
        long lines = text.lines().count();
        for (Problem problem : e.problems()) {
            assertFalse(problem.file().isBlank(), "the problem names its file: " + problem);
            if (problem.file().equals(file.toString())) {
                assertTrue(problem.line() <= lines + 1, "the problem's line is in the file: " + problem);
            } else {
                assertTrue(Files.exists(file.resolveSibling(problem.file())), "the problem names a file read: " + problem);
            }
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "… (" + text.length() + " characters)";
    }

    static Path write(String name, byte[] bytes) {
        return write(DIR, name, bytes);
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a new folder holding the schema files the sample deployments name} */
    static Path folderWithSchemas() {
        try {
            Path dir = Files.createTempDirectory("flusso-schema-fuzz");
            Files.writeString(dir.resolve("users.schema.yml"), Resources.text("conformance/loader/users.schema.yml"));
            Files.writeString(dir.resolve("orders.schema.yml"), Resources.text("conformance/loader/orders.schema.yml"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] mutated(String sample, List<Mutation> mutations) {
        // One char per byte, so that line edits and invalid UTF-8 mix freely.
        String text = new String(sample.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        for (Mutation mutation : mutations) {
            text = mutation.apply(text);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Provide
    Arbitrary<String> schemaSamples() {
        return Arbitraries.of(SCHEMAS);
    }

    @Provide
    Arbitrary<String> deploymentSamples() {
        return Arbitraries.of(DEPLOYMENTS);
    }

    @Provide
    Arbitrary<List<Mutation>> yamlMutations() {
        return mutation(Syntax.YAML).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Mutation>> tomlMutations() {
        return mutation(Syntax.TOML).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Mutation>> manyYamlMutations() {
        return mutation(Syntax.YAML).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Mutation>> manyTomlMutations() {
        return mutation(Syntax.TOML).list().ofMinSize(1).ofMaxSize(12);
    }

    private static Arbitrary<Mutation> mutation(Syntax syntax) {
        Arbitrary<String> chars = Arbitraries.strings().withChars(":-[]{}#\"'\\=,.&*!|>%@`~? \t\n\r\0abz019_é✓")
                .ofMinLength(1).ofMaxLength(6);
        return Combinators.combine(Arbitraries.just(syntax), Arbitraries.of(Kind.values()), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 10_000).withDistribution(RandomDistribution.uniform()), chars).as(Mutation::new);
    }

    enum Syntax {
        YAML(":"), TOML("=");

        final String separator;

        Syntax(String separator) {
            this.separator = separator;
        }
    }

    enum Kind { DELETE_LINE, DUPLICATE_LINE, SWAP_LINES, INDENT, INSERT_CHARS, WRONG_VALUE, DEEP_NESTING, HUGE_NUMBER,
        LONG_LINE, INVALID_UTF8, TRUNCATE }

    /** Values of every type where a file has some other, and values a reader may choke on. */
    private static final List<String> VALUES = List.of("[]", "{}", "[[]]", "-1", "0", "1.5", "1e999", "-1e999", "true", "null",
            "~", "\"\"", "\"x\"", "'x'", "nan", "inf", ".nan", "-.inf", "1979-05-27T07:32:00Z", "07:32:00", "0x7f", "0o17",
            "0b101", "+1", "1_000", "\"\\u0000\"", "\"users\\u0000.schema.yml\"", "\"\\uD800\"", "\"/\"", "\"..\"",
            "\"flusso.toml\"", "*anchor", "&a [1]", "!!binary AAAA", "!!java.lang.Object {}", "!!float 1", "? x", "|\n  x",
            ">-\n  x", "\"%s%n\"", "{ env = 1 }", "{ env = \"\" }", "{env: 1}", "[1, \"a\", [true]]");

    /** What long lines are made of: whitespace, and the starts of keys, headers, strings and lists. */
    private static final List<String> FILLS = List.of(" ", "\t", "[", "a", "\"", "- ", "{a=", ",", "a ");

    /** One edit of a file's text; {@code where} and {@code other} are fractions that pick lines or places. */
    record Mutation(Syntax syntax, Kind kind, double where, double other, int n, String chars) {

        String apply(String text) {
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            int line = Math.min(lines.size() - 1, (int) (where * lines.size()));
            int otherLine = Math.min(lines.size() - 1, (int) (other * lines.size()));
            int at = Math.min(text.length(), (int) (other * text.length()));
            switch (kind) {
                case DELETE_LINE -> lines.remove(line);
                case DUPLICATE_LINE -> lines.add(otherLine, lines.get(line));
                case SWAP_LINES -> {
                    String swapped = lines.get(line);
                    lines.set(line, lines.get(otherLine));
                    lines.set(otherLine, swapped);
                }
                case INDENT -> lines.set(line, n % 2 == 0 ? " ".repeat(1 + n % 7) + lines.get(line) : lines.get(line).stripLeading());
                case INSERT_CHARS -> {
                    return text.substring(0, at) + latin1(chars) + text.substring(at);
                }
                case WRONG_VALUE -> lines.set(line, withValue(lines.get(line), VALUES.get(n % VALUES.size())));
                case DEEP_NESTING -> {
                    int depth = 10 + n / 4; // past the parsers' limit of 1000, without making every try slow
                    lines.set(line, withValue(lines.get(line), "[".repeat(depth) + "]".repeat(depth)));
                }
                case HUGE_NUMBER -> lines.set(line, withValue(lines.get(line), (n % 2 == 0 ? "-" : "") + "9".repeat(19 + n)));
                case LONG_LINE -> lines.add(line, FILLS.get(n % FILLS.size()).repeat(1 + n / 2));
                case INVALID_UTF8 -> {
                    String[] broken = {"\u00ff", "\u00c3\u0028", "\u00ed\u00a0\u0080", "\u00e2\u0082", "\u00c0\u00af"};
                    return text.substring(0, at) + broken[n % broken.length] + text.substring(at);
                }
                case TRUNCATE -> {
                    return text.substring(0, at);
                }
            }
            return String.join("\n", lines);
        }

        /** The line with its value replaced, or the value appended where the line has no key. */
        private String withValue(String line, String value) {
            int separator = line.indexOf(syntax.separator);
            String valueText = latin1(value);
            return separator < 0 ? line + valueText : line.substring(0, separator + 1) + " " + valueText;
        }

        private static String latin1(String text) {
            return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return kind + "@" + where + "/" + other + "(" + n + ", '" + chars + "')";
        }
    }
}
