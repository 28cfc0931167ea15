package dev.flusso.source.polling.internal;

import dev.flusso.api.FlussoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The document ids the sweep knows of, per index: every root key the capture ever emitted (by backfill or poll) and
 * whose deletion is not yet confirmed. Kept in memory and in an append-only local file of {@code +index<TAB>id} and
 * {@code -index<TAB>id} lines, compacted when loaded.
 *
 * <p>An id is appended, and forced to disk, <em>before</em> its change is emitted: a document can reach the sink
 * only after its id is durable here, so the sweep can always find it once its row is gone. A removal is appended
 * only once the deletion is confirmed, so a crash before that sweeps the id again.
 */
final class KnownIds implements AutoCloseable {

    private final Path file;
    private final Map<String, Set<String>> ids = new HashMap<>();
    /** Ids whose deletions were emitted and not yet confirmed, and whose rows were not polled again since. */
    private final Map<String, Set<String>> deleting = new HashMap<>();
    private FileChannel log;

    KnownIds(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** Reads the file, if any, and rewrites it with what it holds now. */
    synchronized void load() {
        ids.clear();
        deleting.clear();
        if (Files.exists(file)) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new FlussoException("cannot read the sweep's id file " + file + ": " + e.getMessage(), e);
            }
            String[] lines = text.split("\n", -1);
            // The last element follows the last newline: empty, or a line torn by a crash mid-append, whose
            // change was never emitted.
            for (int i = 0; i < lines.length - 1; i++) {
                String line = lines[i];
                int tab = line.indexOf('\t');
                if (tab < 1 || line.charAt(0) != '+' && line.charAt(0) != '-') {
                    throw new FlussoException("the sweep's id file " + file + " has a malformed line " + (i + 1)
                            + ": it was not written by the polling capture");
                }
                String index = unescape(line.substring(1, tab));
                String id = unescape(line.substring(tab + 1));
                if (line.charAt(0) == '+') {
                    ids.computeIfAbsent(index, k -> new HashSet<>()).add(id);
                } else {
                    Set<String> known = ids.get(index);
                    if (known != null) {
                        known.remove(id);
                    }
                }
            }
        }
        compact();
    }

    /** Records ids about to be emitted, durably, before they are. */
    synchronized void add(String index, Collection<String> added) {
        Set<String> known = ids.computeIfAbsent(index, k -> new HashSet<>());
        Set<String> pending = deleting.get(index);
        StringBuilder lines = new StringBuilder();
        for (String id : added) {
            if (pending != null) {
                // A row back since its deletion was emitted: the confirmation of that deletion must not forget it.
                pending.remove(id);
            }
            if (known.add(id)) {
                lines.append('+').append(escape(index)).append('\t').append(escape(id)).append('\n');
            }
        }
        append(lines);
    }

    /** Notes that the deletions of these ids are about to be emitted. */
    synchronized void deleting(String index, Collection<String> deleted) {
        deleting.computeIfAbsent(index, k -> new HashSet<>()).addAll(deleted);
    }

    /** Forgets ids whose deletions are confirmed, unless their rows were polled again since. */
    synchronized void remove(Map<String, List<String>> removed) {
        StringBuilder lines = new StringBuilder();
        removed.forEach((index, list) -> {
            Set<String> known = ids.get(index);
            Set<String> pending = deleting.get(index);
            for (String id : list) {
                if (pending != null && pending.remove(id) && known != null && known.remove(id)) {
                    lines.append('-').append(escape(index)).append('\t').append(escape(id)).append('\n');
                }
            }
        });
        append(lines);
    }

    /** {@return a copy of the ids known for the index} */
    synchronized Set<String> ids(String index) {
        return new HashSet<>(ids.getOrDefault(index, Set.of()));
    }

    private void append(StringBuilder lines) {
        if (lines.length() == 0) {
            return;
        }
        try {
            if (log == null) {
                log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(lines.toString());
            while (bytes.hasRemaining()) {
                log.write(bytes);
            }
            log.force(false);
        } catch (IOException e) {
            throw new FlussoException("cannot append to the sweep's id file " + file + ": " + e.getMessage(), e);
        }
    }

    private void compact() {
        closeLog();
        StringBuilder text = new StringBuilder();
        ids.forEach((index, set) -> set.forEach(id -> text.append('+').append(escape(index)).append('\t')
                .append(escape(id)).append('\n')));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new FlussoException("cannot write the sweep's id file " + file + ": " + e.getMessage(), e);
        }
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // nothing buffered: every append was forced
            }
            log = null;
        }
    }

    @Override
    public synchronized void close() {
        closeLog();
    }
}
