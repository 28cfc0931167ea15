package dev.flusso.testing.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenSearchServerTest {

    @Test
    void sharedServerRunsTheConfiguredVersion() {
        OpenSearchServer server = OpenSearchServer.shared();

        HttpReply root = server.http().get("/").expectOk("GET /");

        assertTrue(root.body().contains("\"number\" : \"" + server.version() + "\""),
                "GET / of " + server + " should report version " + server.version() + ": " + root.body());
        assertEquals(OpenSearchServer.configuredVersion(), server.version(), "the shared server's version");
    }

    @Test
    void restartKeepsPortAndData() {
        OpenSearchServer server = OpenSearchServer.shared();
        server.http().put("/restart_probe/_doc/1?refresh=true", "{\"n\":1}").expectOk("indexing a probe");

        server.stop();
        assertFalse(server.isRunning(), server + " should be stopped");
        server.start();

        HttpReply probe = server.http().get("/restart_probe/_doc/1").expectOk("GET of the probe after a restart");
        assertTrue(probe.body().contains("\"found\":true"), "the probe should survive a restart of " + server + ": " + probe.body());
        server.http().delete("/restart_probe").expectOk("deleting the probe index");
    }
}
