package dev.flusso.bench;

import dev.flusso.core.Providers;
import dev.flusso.testing.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every workload shares: the servers, the providers, the sizes, a folder for files, and the figures so far.
 */
final class Context {

    final PostgresServer postgres;
    final Search search;
    final Scale scale;
    final Path dir;
    final Providers providers = Providers.load();
    final Memory memory = new Memory();
    final List<Figure> figures = new ArrayList<>();

    Context(PostgresServer postgres, Search search, Scale scale, Path dir) {
        this.postgres = postgres;
        this.search = search;
        this.scale = scale;
        this.dir = dir;
    }

    /** Prints a step's outcome with the time since the previous note, so that slow steps show. */
    void note(String text) {
        long now = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "  %-70s (+%.1f s)%n", text, (now - lastNote) / 1e9);
        lastNote = now;
    }

    private long lastNote = System.nanoTime();

    void add(Figure figure) {
        figures.add(figure);
    }

    /** Records this JVM's peak heap and RSS since the last {@link Memory#reset()}, for a workload. */
    void addMemory(String workload) {
        add(Figure.alone(workload, "peak heap MB (pools' peaks, garbage included)", memory.peakHeapMb()));
        add(Figure.alone(workload, "live heap MB (most left after a GC)", memory.liveHeapMb()));
        add(Figure.alone(workload, "peak RSS MB (whole JVM, harness included)", Memory.peakRssMb()));
    }
}
