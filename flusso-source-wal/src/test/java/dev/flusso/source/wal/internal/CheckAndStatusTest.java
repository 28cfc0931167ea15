package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import dev.flusso.api.Finding;
import dev.flusso.api.Observer;
import dev.flusso.testing.RecordingEmitter;
import dev.flusso.testing.process.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What flusso check and flusso status ask of the capture, and the lag it reports while streaming. */
class CheckAndStatusTest {

    @Test
    void checkNamesTheMissingPublicationAndTheSlotThenFindsBothInPlace() {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)").with("manage_publication", false);
        try (WalCapture capture = source.capture(TestSource.index("items", "items"))) {
            List<Finding> findings = capture.check();
            assertTrue(has(findings, Finding.Severity.OK, "the server"), findings.toString());
            Finding publication = find(findings, "publication 'flusso'");
            assertEquals(Finding.Severity.ERROR, publication.severity(), publication.toString());
            assertTrue(publication.fix().startsWith("CREATE PUBLICATION \"flusso\" FOR TABLE \"public\".\"items\""), publication.fix());
            assertTrue(find(findings, "replication slot").message().contains("does not exist yet"), findings.toString());

            source.database.execute(publication.fix());
            source.with("manage_publication", true);
        }
        try (WalCapture capture = source.capture(TestSource.index("items", "items"))) {
            capture.open();
            List<Finding> findings = capture.check();
            assertEquals(Finding.Severity.OK, find(findings, "publication 'flusso'").severity(), findings.toString());
            assertTrue(find(findings, "replication slot").message().startsWith("resumes at "), findings.toString());
        } finally {
            source.drop();
        }
    }

    @Test
    void statusShowsTheSlotAndTheStreamReportsItsLag() throws Exception {
        TestSource source = new TestSource("CREATE TABLE items (id int PRIMARY KEY)").with("publication", "p_status");
        AtomicLong lagBytes = new AtomicLong(-1);
        AtomicReference<Duration> lagTime = new AtomicReference<>();
        Observer observer = new Observer() {
            @Override
            public void sourceLag(long bytes, Duration behind) {
                lagBytes.set(bytes);
                lagTime.set(behind);
            }
        };
        WalCapture capture = new WalCapture(source.walSettings(), List.of(TestSource.index("items", "items")), observer,
                dev.flusso.api.RetryPolicy.DEFAULT);
        capture.open();
        RecordingEmitter out = new RecordingEmitter(100);
        try (Streaming streaming = new Streaming(capture, out)) {
            source.database.execute("INSERT INTO items SELECT generate_series(1, 50)");
            List<Change> changes = out.take(50, Duration.ofSeconds(20));
            Waits.until("a lag report while 50 changes wait unconfirmed", Duration.ofSeconds(20),
                    () -> lagBytes.get() > 0 && lagTime.get() != null && lagTime.get().toMillis() > 0);
            Map<String, Object> status = capture.status();
            assertEquals(source.slot, status.get("slot"));
            assertTrue((Long) status.get("wal_retained_bytes") > 0, status.toString());
            assertEquals(Boolean.TRUE, status.get("slot_active"), status.toString());

            capture.confirm(changes.get(49).position());
            Waits.until("the lag back to nothing waiting once all is confirmed", Duration.ofSeconds(20),
                    () -> Duration.ZERO.equals(lagTime.get()));
        } finally {
            capture.close();
            source.drop();
        }
    }

    @Test
    void aTableWithoutKeyOrReplicaIdentityIsRefusedBeforeThePublicationIsTouched() {
        TestSource source = new TestSource("CREATE TABLE keyless (id int, name text)", "INSERT INTO keyless VALUES (1, 'a')")
                .with("publication", "p_keyless");
        try (WalCapture capture = source.capture(TestSource.index("keyless", "keyless"))) {
            dev.flusso.api.FlussoException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.flusso.api.FlussoException.class, capture::open);
            assertTrue(refused.getMessage().contains("table 'public.keyless' has no primary key and no replica identity")
                    && refused.getMessage().contains("REPLICA IDENTITY FULL"), refused.getMessage());
            assertEquals(List.of(), source.database.query("SELECT 1 FROM pg_publication WHERE pubname = 'p_keyless'"),
                    "no publication was made");
            source.database.execute("UPDATE keyless SET name = 'b'");
        } finally {
            source.drop();
        }
    }

    private static boolean has(List<Finding> findings, Finding.Severity severity, String subject) {
        return findings.stream().anyMatch(f -> f.severity() == severity && f.subject().startsWith(subject));
    }

    private static Finding find(List<Finding> findings, String subject) {
        return findings.stream().filter(f -> f.subject().startsWith(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding about " + subject + " in " + findings));
    }
}
