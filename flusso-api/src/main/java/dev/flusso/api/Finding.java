package dev.flusso.api;

import java.util.Objects;

/**
 * One result of checking an edge against the real thing before a run ({@code flusso check}): what was looked at, what
 * was found, and, when something is wrong, what to do about it.
 *
 * @param severity {@link Severity#ERROR} stops a run from working; {@link Severity#WARNING} works but deserves
 *     attention; {@link Severity#OK} reports a check that passed
 * @param subject what was checked, quoted as the user knows it, such as {@code table 'public.books'}
 * @param message what was found
 * @param fix what to run or change; empty when nothing is to be done
 */
public record Finding(Severity severity, String subject, String message, String fix) {

    /** How much a finding matters. */
    public enum Severity {
        /** The check passed. */
        OK,
        /** A run works, but not as well as it could. */
        WARNING,
        /** A run would fail, or lose changes. */
        ERROR
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** {@return a passed check} */
    public static Finding ok(String subject, String message) {
        return new Finding(Severity.OK, subject, message, "");
    }

    /** {@return a finding that deserves attention} */
    public static Finding warning(String subject, String message, String fix) {
        return new Finding(Severity.WARNING, subject, message, fix);
    }

    /** {@return a finding that stops a run from working} */
    public static Finding error(String subject, String message, String fix) {
        return new Finding(Severity.ERROR, subject, message, fix);
    }

    /** {@return one line: {@code error: table 'public.books': message; fix: …}} */
    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + subject + ": " + message
                + (fix.isEmpty() ? "" : "; fix: " + fix);
    }
}
