package dev.flusso.core;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.BuilderProvider;
import dev.flusso.api.spi.CaptureProvider;
import dev.flusso.api.spi.FlussoProvider;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.QueueProvider;
import dev.flusso.api.spi.SinkProvider;
import dev.flusso.core.internal.ProviderRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The providers of every edge, found once with {@link ServiceLoader}, and the edges made from them by name.
 *
 * <pre>{@code
 * Providers providers = Providers.load();
 * Sink sink = providers.sink("stdout", ProviderContext.of(Settings.empty("sinks.out")));
 * }</pre>
 */
public final class Providers {

    private final ProviderRegistry<CaptureProvider> captures;
    private final ProviderRegistry<QueueProvider> queues;
    private final ProviderRegistry<BuilderProvider> builders;
    private final ProviderRegistry<SinkProvider> sinks;

    private Providers(Function<Class<? extends FlussoProvider>, Iterator<? extends FlussoProvider>> lookup) {
        this.captures = registry("capture", CaptureProvider.class, lookup);
        this.queues = registry("queue", QueueProvider.class, lookup);
        this.builders = registry("builder", BuilderProvider.class, lookup);
        this.sinks = registry("sink", SinkProvider.class, lookup);
    }

    @SuppressWarnings("unchecked")
    private static <P extends FlussoProvider> ProviderRegistry<P> registry(String edge, Class<P> type,
            Function<Class<? extends FlussoProvider>, Iterator<? extends FlussoProvider>> lookup) {
        return new ProviderRegistry<>(edge, (Iterator<P>) lookup.apply(type));
    }

    /**
     * Finds the providers visible to this module: those in its module layer and the layers above it when Flusso
     * runs on the module path, or those of the context class loader on a class path.
     */
    public static Providers load() {
        ModuleLayer layer = Providers.class.getModule().getLayer();
        return layer != null ? load(layer) : load(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Finds the providers in a module layer and its parents: a plugin folder loaded as its own layer, for instance.
     */
    public static Providers load(ModuleLayer layer) {
        return new Providers(type -> ServiceLoader.load(layer, type).iterator());
    }

    /** Finds the providers a class loader sees, on its class path or module path. */
    public static Providers load(ClassLoader loader) {
        return new Providers(type -> ServiceLoader.load(type, loader).iterator());
    }

    public ChangeCapture capture(String name, ProviderContext context, List<IndexDefinition> indexes) {
        return captures.get(name).create(context, indexes);
    }

    public ChangeQueue queue(String name, ProviderContext context) {
        return queues.get(name).create(context);
    }

    public DocumentBuilder documentBuilder(String name, ProviderContext context) {
        return builders.get(name).create(context);
    }

    public Sink sink(String name, ProviderContext context) {
        return sinks.get(name).create(context);
    }

    /** {@return every provider found, edge by edge} */
    public List<ProviderInfo> list() {
        return Stream.of(captures, queues, builders, sinks).flatMap(r -> r.infos().stream()).toList();
    }

    /** {@return a line for each provider that could not be loaded} */
    public List<String> problems() {
        List<String> all = new ArrayList<>();
        Stream.of(captures, queues, builders, sinks).forEach(r -> all.addAll(r.problems()));
        return all;
    }
}
