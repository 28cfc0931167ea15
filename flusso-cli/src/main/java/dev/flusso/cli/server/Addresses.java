package dev.flusso.cli.server;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.Settings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The listen addresses of the HTTP surfaces: literal {@code IPv4:port} or {@code [IPv6]:port}, or {@code off}. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * {@return the address to listen on, or {@code null} for {@code off}} The flag (or its environment variable)
     * wins over the {@code [server]} key, which wins over the default, as in the original flusso.
     *
     * @param flag the command-line value, or {@code null}
     * @param server the deployment's {@code [server]} section
     * @param key {@code public_address} or {@code private_address}
     * @param fallback the default
     */
    public static InetSocketAddress parse(String flag, Settings server, String key, String fallback) {
        String value = flag != null ? flag : server.string(key, fallback);
        String where = flag != null ? "--" + key.replace('_', '-') : "[server] " + key;
        if (value.equalsIgnoreCase("off")) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (colon < 0 || !(host.matches("[0-9.]+") || host.contains(":"))) {
            throw new ConfigurationException(where + ": '" + value + "' is not a socket address; expected IPv4:port such as"
                    + " 127.0.0.1:9464, [IPv6]:port, or off");
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (NumberFormatException | UnknownHostException e) {
            throw new ConfigurationException(where + ": '" + value + "' is not a socket address; expected IPv4:port such as"
                    + " 127.0.0.1:9464, [IPv6]:port, or off");
        }
    }
}
