/**
 * A real Kafka broker for tests: a single-node KRaft broker (broker and controller in one process) whose class path
 * Maven resolves from Maven Central, started once per test JVM as an unprivileged user on free ports.
 */
package dev.flusso.testing.kafka;
