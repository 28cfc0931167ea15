package dev.flusso.core.internal;

import dev.flusso.api.ConfigurationException;
import dev.flusso.api.spi.FlussoProvider;
import dev.flusso.core.ProviderInfo;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of one edge, by name. Built once at start: a provider that fails to load is reported with what is
 * known of it and skipped, without hiding the others; two providers of one name fail the start, naming both.
 */
public final class ProviderRegistry<P extends FlussoProvider> {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    /** A broken class path can make a service iterator fail on every step: stop listing errors after this many. */
    private static final int MAX_ERRORS = 100;

    private final String edge;
    private final Map<String, P> byName = new LinkedHashMap<>();
    private final List<ProviderInfo> infos = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param edge the edge's name in messages ({@code sink})
     * @param found the service loader's providers (or any other source of them)
     */
    public ProviderRegistry(String edge, Iterator<P> found) {
        this.edge = edge;
        int errors = 0;
        while (errors < MAX_ERRORS) {
            P provider;
            try {
                if (!found.hasNext()) {
                    break;
                }
                provider = found.next();
            } catch (ServiceConfigurationError e) {
                errors++;
                problem("a " + edge + " provider failed to load: " + describe(e));
                continue;
            }
            register(provider);
        }
    }

    private void register(P provider) {
        Class<?> type = provider.getClass();
        String name;
        try {
            name = provider.name();
        } catch (RuntimeException e) {
            problem(edge + " provider " + type.getName() + " in " + moduleOf(type) + " failed to give its name: " + e);
            return;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            problem(edge + " provider " + type.getName() + " in " + moduleOf(type) + " has an invalid name '" + name
                    + "': expected lower case letters, digits, '_' or '-', starting with a letter");
            return;
        }
        P earlier = byName.get(name);
        if (earlier != null) {
            if (earlier.getClass() == type) {
                return; // the same provider seen through a parent layer
            }
            throw new ConfigurationException("two " + edge + " providers are named '" + name + "': "
                    + earlier.getClass().getName() + " in " + moduleOf(earlier.getClass()) + " and "
                    + type.getName() + " in " + moduleOf(type) + "; remove one of their jars");
        }
        byName.put(name, provider);
        infos.add(new ProviderInfo(edge, name, type.getName(), moduleOf(type), locationOf(type), description(provider)));
    }

    /**
     * {@return the provider of that name}
     *
     * @throws ConfigurationException naming the names found, and any provider that failed to load
     */
    public P get(String name) {
        P provider = byName.get(name);
        if (provider == null) {
            StringBuilder message = new StringBuilder("no ").append(edge).append(" provider is named '").append(name)
                    .append("'; found: ").append(byName.isEmpty() ? "none" : String.join(", ", byName.keySet()));
            if (!problems.isEmpty()) {
                message.append("; could not load: ").append(String.join("; ", problems));
            }
            throw new ConfigurationException(message.toString());
        }
        return provider;
    }

    public List<ProviderInfo> infos() {
        return Collections.unmodifiableList(infos);
    }

    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    private void problem(String text) {
        LOG.warn(text);
        problems.add(text);
    }

    private static String description(FlussoProvider provider) {
        try {
            String description = provider.description();
            return description == null ? "" : description;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String describe(ServiceConfigurationError e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" (").append(cause).append(')');
        }
        return text.toString();
    }

    static String moduleOf(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? module.getName() : "(class path)";
    }

    private static String locationOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            return url == null ? "(unknown)" : url.toString();
        } catch (SecurityException e) {
            return "(unknown)";
        }
    }
}
