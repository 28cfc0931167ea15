/** What the server harnesses share: free ports, an unprivileged user when run as root, cleanup at exit. */
package dev.flusso.testing.process;
