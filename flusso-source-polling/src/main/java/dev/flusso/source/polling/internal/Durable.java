package dev.flusso.source.polling.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Making a rename durable: the directory entry is forced to disk too, where the platform allows it. */
final class Durable {

    private Durable() {
    }

    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform opens directories; the file itself was forced.
        }
    }
}
