package dev.flusso.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Servers that refuse to run as root (PostgreSQL, OpenSearch) run as the system user {@value #USER} when the tests
 * run as root, which they do on CI and on these machines; created on first use.
 */
public final class Unprivileged {

    /** The user servers run as when the tests run as root. */
    public static final String USER = "flusso-test";

    private static volatile String[] ids;

    private Unprivileged() {
    }

    /** {@return whether this process runs as root} */
    public static boolean isRoot() {
        return run(List.of("id", "-u")).trim().equals("0");
    }

    /**
     * {@return the command, prefixed so that it runs as {@value #USER} when this process is root} The prefix execs
     * the command in place ({@code setpriv}), so the process id is the server's own.
     */
    public static List<String> command(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        String[] user = ensureUser();
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + user[0], "--regid=" + user[1], "--init-groups",
                "--reset-env"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands the folder and everything in it to {@value #USER}, when this process is root. */
    public static void own(Path folder) {
        if (isRoot()) {
            ensureUser();
            run(List.of("chown", "-R", USER + ":" + USER, folder.toString()));
        }
    }

    private static synchronized String[] ensureUser() {
        if (ids == null) {
            if (tryRun(List.of("id", "-u", USER)) == null) {
                run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", USER));
            }
            ids = new String[] {run(List.of("id", "-u", USER)).trim(), run(List.of("id", "-g", USER)).trim()};
        }
        return ids;
    }

    static String run(List<String> command) {
        String out = tryRun(command);
        if (out == null) {
            throw new IllegalStateException("command failed: " + String.join(" ", command));
        }
        return out;
    }

    private static String tryRun(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }
}
