package dev.flusso.source.wal.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import dev.flusso.postgres.ConnectionTarget;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code [source]} section the {@code wal} capture reads.
 *
 * @param target where to connect
 * @param slot the replication slot's name
 * @param publication the publication's name
 * @param managePublication whether the capture may create and extend the publication
 * @param statusInterval how often a status update is sent at the latest, whatever happens
 * @param heartbeatInterval how often a heartbeat message is written to the WAL; zero for never
 * @param socketTimeout how long a liveness check or heartbeat on the query connection may wait for the server while
 *     streaming, before the connection counts as lost
 */
public record WalSettings(ConnectionTarget target, String slot, String publication, boolean managePublication,
        Duration statusInterval, Duration heartbeatInterval, Duration socketTimeout) {

    /** The keys the section accepts. */
    public static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of("type", "connection_url", "slot", "publication", "manage_publication",
                "status_interval", "heartbeat_interval", "socket_timeout"));
        keys.addAll(ConnectionTarget.TLS_KEYS);
        KEYS = Set.copyOf(keys);
    }

    // Slot and publication names go into replication commands unquoted: keep them to what needs no quoting.
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * @param settings the {@code [source]} section
     * @return the settings
     * @throws ConfigurationException naming the key at fault
     */
    public static WalSettings from(Settings settings) {
        settings.rejectUnknownKeys(KEYS);
        settings.string("type").filter(type -> !type.equals("postgres") && !type.equals("wal")).ifPresent(type -> {
            throw new ConfigurationException("[" + settings.section() + "] key 'type' is '" + type
                    + "': the wal capture reads type = \"postgres\"");
        });
        Duration status = settings.duration("status_interval", Duration.ofSeconds(10));
        if (status.isZero() || status.isNegative()) {
            throw new ConfigurationException("[" + settings.section() + "] key 'status_interval' must be positive, such as \"10s\"");
        }
        Duration heartbeat = settings.duration("heartbeat_interval", Duration.ZERO);
        Duration socketTimeout = settings.duration("socket_timeout", Duration.ofSeconds(30));
        if (socketTimeout.toMillis() <= 0) {
            throw new ConfigurationException("[" + settings.section() + "] key 'socket_timeout' must be positive, such as \"30s\"");
        }
        return new WalSettings(ConnectionTarget.from(settings), name(settings, "slot"), name(settings, "publication"),
                settings.bool("manage_publication", true), status, heartbeat.isNegative() ? Duration.ZERO : heartbeat,
                socketTimeout);
    }

    /**
     * {@return these settings with a status interval short enough for the server's {@code wal_sender_timeout}: a
     * third of it at most, so that two updates may be late before the server gives up on the connection}
     */
    public WalSettings fitTo(Duration walSenderTimeout) {
        Duration third = walSenderTimeout.dividedBy(3);
        if (walSenderTimeout.isZero() || third.compareTo(statusInterval) >= 0 || third.isZero()) {
            return this;
        }
        return new WalSettings(target, slot, publication, managePublication, third, heartbeatInterval, socketTimeout);
    }

    private static String name(Settings settings, String key) {
        String name = settings.string(key, "flusso");
        if (!NAME.matcher(name).matches()) {
            throw new ConfigurationException("[" + settings.section() + "] key '" + key + "' is '" + name
                    + "': expected lower-case letters, digits and _, starting with a letter or _, at most 63 characters");
        }
        return name;
    }
}
