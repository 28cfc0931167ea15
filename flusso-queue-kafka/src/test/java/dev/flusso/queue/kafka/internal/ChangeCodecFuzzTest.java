package dev.flusso.queue.kafka.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.flusso.api.Change;
import dev.flusso.api.Position;

/**
 * Coverage-guided fuzzing of the record reader. A plain {@code mvn test} replays the inputs under
 * {@code ChangeCodecFuzzTestInputs} (seeds and every finding so far); {@code JAZZER_FUZZ=1 mvn test -pl
 * flusso-queue-kafka -Dtest=ChangeCodecFuzzTest} fuzzes, and writes a new finding there. A record is either read,
 * and then written back the same, or refused with {@link UnreadableRecordException}: anything else is a finding.
 */
class ChangeCodecFuzzTest {

    private static final Position AT = new KafkaPosition("t", 0, 42);

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] bytes) {
        Change change;
        try {
            change = ChangeCodec.decode(bytes, AT);
        } catch (UnreadableRecordException e) {
            return;
        }
        // What a worker reads, a capture can write: no record is accepted that the writer would refuse.
        ChangeCodec.decode(ChangeCodec.encode(change), AT);
    }
}
