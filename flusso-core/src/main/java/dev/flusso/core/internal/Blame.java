package dev.flusso.core.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Remembers which edge threw an exception, so that a failed run can say whether the source, the queue or the sink
 * failed (the command's exit code depends on it). Each edge is wrapped in a proxy that passes every call through
 * and notes, by identity, the exceptions that come out of it, unchanged.
 */
public final class Blame {

    // Throwable does not override equals: a weak hash map keys it by identity, and forgets it with the exception.
    private final Map<Throwable, String> thrownBy = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * {@return the edge, wrapped so that what it throws is blamed on {@code name}}
     *
     * @param type the edge's interface
     * @param edge the edge
     * @param name what to call it, such as {@code sink}
     */
    public <T> T watch(Class<T> type, T edge, String name) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> edge.toString();
                };
            }
            try {
                return method.invoke(edge, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                thrownBy.putIfAbsent(cause, name);
                throw cause;
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * Blames a failure that reached the engine other than through a call of the edge: a flush that failed on a thread of
     * the sink's own, say.
     *
     * @return the failure, to be thrown
     */
    public <E extends Throwable> E note(E failure, String name) {
        thrownBy.putIfAbsent(failure, name);
        return failure;
    }

    /** {@return the edge that threw the failure, or one of its causes} */
    public Optional<String> edgeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = thrownBy.get(t);
            if (name != null) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
