package dev.flusso.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.ChangeQueue;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.api.spi.SinkProvider;
import dev.flusso.core.internal.ProviderRegistry;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    /** A sink provider with a given name; never asked to create anything. */
    record Named(String name) implements SinkProvider {
        @Override
        public Sink create(ProviderContext context) {
            throw new UnsupportedOperationException();
        }
    }

    /** Another class with a name that may clash. */
    record Other(String name) implements SinkProvider {
        @Override
        public Sink create(ProviderContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void findsTheChannelQueueInTheCoreModule() {
        Providers providers = Providers.load();
        ProviderInfo channel = providers.list().stream().filter(p -> p.edge().equals("queue") && p.name().equals("channel"))
                .findFirst().orElseThrow(() -> new AssertionError("no channel queue among " + providers.list()));
        assertEquals("dev.flusso.core", channel.module(), "the channel queue is provided by the core module");
        ChangeQueue queue = providers.queue("channel", ProviderContext.of(Settings.of("queue", Map.of("capacity", 7L))));
        assertEquals(7, queue.capacity());
    }

    @Test
    void anUnknownNameListsTheNamesFound() {
        ProviderRegistry<SinkProvider> registry = new ProviderRegistry<>("sink", List.<SinkProvider>of(new Named("stdout"), new Named("opensearch")).iterator());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> registry.get("elastic"));
        assertEquals("no sink provider is named 'elastic'; found: stdout, opensearch", e.getMessage());
    }

    @Test
    void twoProvidersOfOneNameFailNamingBoth() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new ProviderRegistry<>("sink", List.<SinkProvider>of(new Named("search"), new Other("search")).iterator()));
        assertEquals("two sink providers are named 'search': " + Named.class.getName() + " in dev.flusso.core and "
                + Other.class.getName() + " in dev.flusso.core; remove one of their jars", e.getMessage());
    }

    @Test
    void aBrokenProviderIsReportedWithoutHidingTheOthers() {
        Iterator<SinkProvider> found = new Iterator<>() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < 3;
            }

            @Override
            public SinkProvider next() {
                switch (step++) {
                    case 0:
                        return new Named("stdout");
                    case 1:
                        throw new ServiceConfigurationError("com.example.BrokenSink: Provider could not be instantiated",
                                new NoClassDefFoundError("com/example/Missing"));
                    case 2:
                        return new Named("opensearch");
                    default:
                        throw new NoSuchElementException();
                }
            }
        };
        ProviderRegistry<SinkProvider> registry = new ProviderRegistry<>("sink", found);
        assertEquals(List.of("stdout", "opensearch"), registry.infos().stream().map(ProviderInfo::name).toList());
        assertEquals(List.of("a sink provider failed to load: com.example.BrokenSink: Provider could not be instantiated "
                + "(java.lang.NoClassDefFoundError: com/example/Missing)"), registry.problems());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> registry.get("broken"));
        assertTrue(e.getMessage().endsWith("; could not load: " + registry.problems().get(0)), e.getMessage());
    }

    @Test
    void anInvalidNameIsReportedAndSkipped() {
        ProviderRegistry<SinkProvider> registry = new ProviderRegistry<>("sink", List.<SinkProvider>of(new Named("Open Search")).iterator());
        assertEquals(List.of(), registry.infos());
        assertEquals(List.of("sink provider " + Named.class.getName() + " in dev.flusso.core has an invalid name 'Open Search': "
                + "expected lower case letters, digits, '_' or '-', starting with a letter"), registry.problems());
    }
}
