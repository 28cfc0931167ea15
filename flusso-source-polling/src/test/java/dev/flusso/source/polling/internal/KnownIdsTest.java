package dev.flusso.source.polling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownIdsTest {

    @Test
    void keepsIdsAcrossRestartsAndForgetsOnlyConfirmedDeletionsOfRowsNotBackSince() throws Exception {
        Path file = Files.createTempDirectory("known-ids-").resolve("ids");
        try (KnownIds known = new KnownIds(file)) {
            known.load();
            known.add("items", List.of("1", "2", "3", "a\tb|c\\d\ne"));
            known.deleting("items", List.of("1", "2"));
            known.add("items", List.of("2"));
            known.remove(Map.of("items", List.of("1", "2")));
            assertEquals(Set.of("2", "3", "a\tb|c\\d\ne"), known.ids("items"),
                    "1 is forgotten; 2 came back after its deletion was emitted, so it stays known");
        }
        try (KnownIds reloaded = new KnownIds(file)) {
            reloaded.load();
            assertEquals(Set.of("2", "3", "a\tb|c\\d\ne"), reloaded.ids("items"), "the same after a restart");
        }
        Files.writeString(file, "+items\t9\n+items\t10", java.nio.file.StandardOpenOption.APPEND);
        try (KnownIds torn = new KnownIds(file)) {
            torn.load();
            assertEquals(true, torn.ids("items").contains("9"), "complete lines of an interrupted append are kept");
            assertEquals(false, torn.ids("items").contains("10"), "a last line without its newline was torn by a crash");
        }
    }
}
