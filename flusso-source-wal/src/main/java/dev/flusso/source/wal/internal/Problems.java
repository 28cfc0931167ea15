package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.RetriableException;
import dev.flusso.postgres.ConnectionTarget;
import java.sql.SQLException;

/**
 * The capture's error messages, each naming what is wrong and how to fix it, in one place so tests and the README
 * can quote them.
 */
public final class Problems {

    private Problems() {
    }

    static FlussoException connecting(String kind, ConnectionTarget target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("could not be verified by hostnameverifier")) {
            // Not retriable either: the certificate names other hosts than the one in the connection URL.
            return new FlussoException("cannot open a " + kind + " connection to " + target + ": the server's TLS"
                    + " certificate does not hold the host name of the connection URL (" + message + "): connect by a name"
                    + " or address the certificate holds, or use sslmode = \"verify-ca\" to check the signature only", e);
        }
        if (untrustedCertificate(e)) {
            // Not retriable: the same certificate fails the same way every time.
            return new FlussoException("cannot open a " + kind + " connection to " + target + ": the server's TLS"
                    + " certificate is not trusted (" + message + "): set sslrootcert to the root certificate that signed"
                    + " it, and with sslmode = \"verify-full\" connect by a name the certificate holds", e);
        }
        if (state.equals("28000") && message.contains("no encryption")) {
            return new FlussoException("cannot open a " + kind + " connection to " + target + ": " + message
                    + "; the server accepts TLS connections only: set sslmode (\"verify-full\" with sslrootcert, or"
                    + " \"require\")", e);
        }
        if (state.equals("28000") && message.contains("replication")) {
            return new FlussoException("the server refused a replication connection to " + target + ": " + e.getMessage()
                    + "; allow it in pg_hba.conf with a line for the database (host <database> <user> <address> <method>)"
                    + " and give the role the REPLICATION attribute", e);
        }
        if (state.startsWith("28") || state.equals("3D000")) {
            return new FlussoException("cannot open a " + kind + " connection to " + target + ": " + e.getMessage(), e);
        }
        return new RetriableException("cannot open a " + kind + " connection to " + target + ": " + e.getMessage()
                + "; is the server up and reachable?", e);
    }

    /**
     * {@return whether the connection failed because the server's certificate could not be verified} A broken TLS
     * handshake (a reset in mid-handshake, say) is not this: only a certificate pgjdbc rejected, or a root it cannot
     * read.
     */
    private static boolean untrustedCertificate(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("could not be verified by hostnameverifier") || message.contains("SSL root certificate file")) {
            return true;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.security.GeneralSecurityException) {
                return true;
            }
        }
        return false;
    }

    static FlussoException walLevel(String level) {
        return new FlussoException("the server's wal_level is '" + level + "', but logical replication needs 'logical':"
                + " run ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL");
    }

    static FlussoException noReplicationPrivilege(String role) {
        return new FlussoException("role '" + role + "' may not use replication slots: run ALTER ROLE \"" + role
                + "\" REPLICATION; (as a superuser), or connect as a role that has it");
    }

    static FlussoException slotInUse(String slot, int pid) {
        return new FlussoException("replication slot '" + slot + "' is in use by process " + pid + " (another flusso,"
                + " or a pg_recvlogical?): stop that process, or end it with SELECT pg_terminate_backend(" + pid
                + "); or give this deployment its own slot with the 'slot' setting");
    }

    static FlussoException slotLost(String slot) {
        return new FlussoException("replication slot '" + slot + "' is invalidated (wal_status = 'lost'): the server"
                + " removed WAL the slot still needed, so changes were lost: run flusso again, which recreates the slot"
                + " and backfills every index (raise max_slot_wal_keep_size to keep it from happening again)");
    }

    static FlussoException slotDropped(String slot) {
        return new FlussoException("replication slot '" + slot + "' was dropped while flusso was using it: changes made"
                + " since its last confirmed position may be lost; run flusso again, which creates the slot anew and"
                + " backfills every index");
    }

    static FlussoException slotMismatch(String slot, String what) {
        return new FlussoException("replication slot '" + slot + "' cannot be used: " + what + "; drop it with"
                + " SELECT pg_drop_replication_slot('" + slot + "'); or choose another name with the 'slot' setting");
    }

    static FlussoException publicationMissing(String publication, String createSql) {
        return new FlussoException("publication '" + publication + "' does not exist and flusso may not create it"
                + " (manage_publication = false, or the role lacks the privilege): run " + createSql);
    }

    static FlussoException serverTooOld(String version) {
        return new FlussoException("PostgreSQL " + version + " is too old for the wal capture: it needs 13 or later"
                + " (for publish_via_partition_root and wal_status)");
    }

    static FlussoException encoding(String encoding) {
        return new FlussoException("the database's encoding is '" + encoding + "', but the wal capture decodes UTF8"
                + " only: create the database with ENCODING 'UTF8'");
    }
}
