package dev.flusso.source.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void confirmsOnlyWholeTransactions() {
        Ledger ledger = new Ledger(100);
        ledger.begin(200);
        WalPosition a = ledger.next();
        WalPosition b = ledger.next();
        ledger.commit(210);
        ledger.confirm(a);
        assertEquals(100, ledger.flushable(300), "half a transaction confirmed: nothing moves, not even to the server's");
        ledger.confirm(b);
        assertEquals(300, ledger.flushable(300), "whole and nothing pending: follows the server");
    }

    @Test
    void aConfirmationMadeBeforeTheCommitIsReadCountsOnceItIs() {
        Ledger ledger = new Ledger(100);
        ledger.begin(200);
        WalPosition a = ledger.next();
        ledger.confirm(a);
        assertEquals(100, ledger.flushable(150), "the Commit is not read: the transaction may have more changes");
        ledger.commit(210);
        assertEquals(210, ledger.flushable(210));
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
        assertEquals(210, ledger.flushable(500));
        ledger.confirm(secondOfSecond);
        assertEquals(310, ledger.flushable(500), "the transaction being read holds back the server's position");
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
    void emptyTransactionsPassAndMerge() {
        Ledger ledger = new Ledger(0);
        ledger.begin(200);
        WalPosition change = ledger.next();
        ledger.commit(210);
        for (int i = 0; i < 1000; i++) {
            ledger.begin(300 + i);
            ledger.commit(301 + i);
        }
        assertEquals(2, ledger.unconfirmedTransactions(), "empty transactions merged behind the unconfirmed one");
        assertEquals(0, ledger.flushable(0));
        ledger.confirm(change);
        assertEquals(1300, ledger.flushable(0));
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
        assertEquals(210, ledger.flushable(0));
    }
}
