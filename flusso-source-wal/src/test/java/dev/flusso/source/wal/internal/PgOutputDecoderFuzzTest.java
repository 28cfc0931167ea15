package dev.flusso.source.wal.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.flusso.api.FlussoException;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the pgoutput decoder. The input is a stream of messages, each framed by a 2-byte
 * big-endian length, decoded in order by one decoder (so that rows meet the table descriptions before them). A plain
 * {@code mvn test} replays the inputs under {@code PgOutputDecoderFuzzTestInputs}; {@code JAZZER_FUZZ=1 mvn test -pl
 * flusso-source-wal -Dtest=PgOutputDecoderFuzzTest} fuzzes. A message is either decoded or refused with a
 * {@link FlussoException}: anything else is a finding.
 */
class PgOutputDecoderFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] stream) {
        PgOutputDecoder decoder = new PgOutputDecoder();
        int at = 0;
        while (at + 2 <= stream.length) {
            int length = ((stream[at] & 0xff) << 8) | (stream[at + 1] & 0xff);
            int end = Math.min(stream.length, at + 2 + length);
            byte[] message = Arrays.copyOfRange(stream, at + 2, end);
            at = end;
            try {
                decoder.decode(PgOutputStream.asReceived(message));
            } catch (FlussoException e) {
                // a clear refusal; the next message is decoded as the capture would after a restart
            }
        }
    }
}
