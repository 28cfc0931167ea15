package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void confirmsOnlyWholeTransactionsAndJustPastTheirCommit() {
        Ledger ledger = new Ledger(100);
        ledger.begin(200);
        WalPosition a = ledger.next();
        WalPosition b = ledger.next();
        ledger.commit(210);
        ledger.confirm(a);
        assertEquals(100, ledger.flushable(300), "half a transaction confirmed: nothing moves, not even to the server's");
        ledger.confirm(b);
        assertEquals(201, ledger.flushable(300),
                "whole: just past its commit, so it is skipped on restart, and no further than the sink recorded");
    }

    @Test
    void aConfirmationMadeBeforeTheCommitIsReadCountsOnceItIs() {
        Ledger ledger = new Ledger(100);
        ledger.begin(200);
        WalPosition a = ledger.next();
        ledger.confirm(a);
        assertEquals(100, ledger.flushable(150), "the Commit is not read: the transaction may have more changes");
        ledger.commit(210);
        assertEquals(201, ledger.flushable(210));
    }

    @Test
    void stopsAtTheFirstTransactionNotWhollyConfirmed() {
        Ledger ledger = new Ledger(0);
        ledger.begin(200);
        WalPosition first = ledger.next();
        ledger.commit(210);
        ledger.begin(300);
        ledger.next();
        WalPosition secondOfSecond = ledger.next();
        ledger.commit(310);
        ledger.begin(400);
        ledger.next();
        ledger.confirm(first);
        assertEquals(201, ledger.flushable(500));
        ledger.confirm(secondOfSecond);
        assertEquals(301, ledger.flushable(500), "the transaction being read holds back the server's position");
    }

    @Test
    void neverMovesBackwards() {
        Ledger ledger = new Ledger(500);
        ledger.begin(200);
        WalPosition old = ledger.next();
        ledger.commit(210);
        ledger.confirm(old);
        assertEquals(500, ledger.flushable(100));
        ledger.confirm(new WalPosition(100, 0));
        assertEquals(500, ledger.flushable(0), "an older confirmation does not undo a newer one");
    }

    @Test
    void emptyTransactionsPassAndMergeButTheServersPositionWaitsForAMarker() {
        Ledger ledger = new Ledger(0);
        ledger.begin(200);
        WalPosition change = ledger.next();
        ledger.commit(210);
        for (int i = 0; i < 1000; i++) {
            ledger.begin(300 + i);
            ledger.commit(301 + i);
        }
        assertEquals(2, ledger.unconfirmedTransactions(), "empty transactions merged behind the unconfirmed one");
        assertNull(ledger.progress(1300), "no marker while an emitted change waits");
        assertEquals(0, ledger.flushable(0));
        ledger.confirm(change);
        assertEquals(201, ledger.flushable(1300), "the empty transactions pass, up to what the sink recorded");
        WalPosition marker = ledger.progress(1300);
        assertNotNull(marker);
        assertEquals(201, ledger.flushable(1400), "the marker is not confirmed yet");
        ledger.confirm(marker);
        assertEquals(1300, ledger.flushable(1400), "confirmed, it takes the slot to the server's position it was made at");
    }

    @Test
    void anIdleStreamMovesOnlyThroughConfirmedMarkersOneAtATime() {
        Ledger ledger = new Ledger(100);
        assertEquals(100, ledger.flushable(500), "nothing recorded by the sink yet: the slot stays");
        assertNull(ledger.progress(100), "the server has not moved: no marker");
        WalPosition marker = ledger.progress(500);
        assertEquals(new WalPosition(500, Ledger.MARKER), marker);
        assertNull(ledger.progress(600), "one marker waits at a time");
        assertEquals(1, ledger.unconfirmedTransactions());
        ledger.confirm(marker);
        assertEquals(500, ledger.flushable(600));
        assertEquals(0, ledger.unconfirmedTransactions());
    }

    @Test
    void aTransactionCommittedWhereAMarkerStoodIsNotCoveredByIt() {
        Ledger ledger = new Ledger(100);
        WalPosition marker = ledger.progress(500);
        ledger.begin(500);
        ledger.next();
        ledger.commit(520);
        ledger.confirm(marker);
        assertEquals(500, ledger.flushable(600), "the marker passes; the transaction at its LSN waits for its own change");
    }

    @Test
    void confirmationsFromBeforeAReconnectStillCountForRedeliveredTransactions() {
        Ledger ledger = new Ledger(0);
        ledger.begin(200);
        ledger.next();
        WalPosition second = ledger.next();
        ledger.confirm(second);
        ledger.restart();
        ledger.begin(200);
        ledger.next();
        ledger.next();
        ledger.commit(210);
        assertEquals(201, ledger.flushable(0));
    }
}
