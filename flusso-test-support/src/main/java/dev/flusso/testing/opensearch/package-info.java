/**
 * A real OpenSearch server for tests: the integ-test distribution fetched through Maven, unpacked under the build
 * folder and started once per test JVM as an unprivileged user.
 */
package dev.flusso.testing.opensearch;
