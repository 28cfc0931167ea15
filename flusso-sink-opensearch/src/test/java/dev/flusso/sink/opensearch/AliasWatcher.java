package dev.flusso.sink.opensearch;

import dev.flusso.testing.opensearch.HttpReply;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the documents behind an alias in a loop on its own thread, and records every answer that is not full. */
final class AliasWatcher implements AutoCloseable {

    private final String alias;
    private final int expected;
    private final List<String> gaps = new CopyOnWriteArrayList<>();
    private final AtomicInteger searches = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private AliasWatcher(String alias, int expected) {
        this.alias = alias;
        this.expected = expected;
        this.thread = new Thread(this::watch, "watch " + alias);
    }

    static AliasWatcher start(String alias) {
        HttpReply first = TestCluster.http().get("/" + alias + "/_count");
        int expected = TestCluster.json(first, "count of " + alias).path("count").asInt();
        AliasWatcher watcher = new AliasWatcher(alias, expected);
        watcher.thread.start();
        return watcher;
    }

    private void watch() {
        while (running) {
            HttpReply reply = TestCluster.http().get("/" + alias + "/_count");
            int count = reply.ok() ? TestCluster.json(reply, "count").path("count").asInt() : -1;
            if (count != expected) {
                gaps.add("HTTP " + reply.status() + ", count " + count + " of " + expected);
            }
            searches.incrementAndGet();
        }
    }

    void awaitSearches(int more) throws InterruptedException {
        int target = searches.get() + more;
        while (searches.get() < target && thread.isAlive()) {
            Thread.sleep(5);
        }
    }

    List<String> gaps() {
        return List.copyOf(gaps);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
