package dev.flusso.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The figures as {@code results.json} (a list of objects) and as a table for the console. */
final class Results {

    private Results() {
    }

    static void write(List<Figure> figures, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, Search.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    }

    static String table(List<Figure> figures) {
        StringBuilder out = new StringBuilder();
        String format = "%-18s | %-82s | %12s | %12s | %7s | %6s | %s%n";
        out.append(String.format(Locale.ROOT, format, "workload", "metric", "flusso", "reference", "ratio", "target", ""));
        out.append("-".repeat(160)).append('\n');
        for (Figure f : figures) {
            out.append(String.format(Locale.ROOT, format, f.workload(), f.metric(), number(f.flusso()), number(f.reference()),
                    f.ratio() == null ? "" : String.format(Locale.ROOT, "%.3f", f.ratio()),
                    f.target() == null ? "" : String.format(Locale.ROOT, "%.2f", f.target()),
                    f.target() == null ? "" : f.missesTarget() ? "MISSED" : "met"));
        }
        return out.toString();
    }

    private static String number(Double value) {
        if (value == null) {
            return "";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
