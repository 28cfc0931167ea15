package dev.flusso.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers around the image's own {@code java} and a text file written by the third-party sink. */
final class ThirdPartyRun {

    private ThirdPartyRun() {
    }

    /** {@return the output of the image's {@code bin/java} with those arguments} */
    static String java(String... args) {
        try {
            Path out = Files.createTempFile("flusso-java", ".txt");
            try {
                java.util.List<String> command = new java.util.ArrayList<>();
                command.add(Image.HOME.resolve("bin/java").toString());
                command.addAll(java.util.List.of(args));
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (process.waitFor() != 0) {
                    throw new AssertionError("bin/java " + String.join(" ", args) + " failed:\n" + Files.readString(out));
                }
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@return each id's last document in the sink's file, deletions removing it} */
    static Map<String, String> documents(Path file) {
        Map<String, String> last = new LinkedHashMap<>();
        for (String line : Image.read(file).lines().toList()) {
            String[] fields = line.split("\t", 3);
            if (fields.length != 3) {
                throw new AssertionError(file + ": line '" + line + "' is not index, id and document");
            }
            if (fields[2].equals("-")) {
                last.remove(fields[1]);
            } else {
                last.put(fields[1], fields[2]);
            }
        }
        return last;
    }
}
