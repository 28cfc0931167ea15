package dev.flusso.core;

/**
 * One provider found at start, for {@code flusso plugins} and for error messages.
 *
 * @param edge which edge it provides: {@code capture}, {@code queue}, {@code builder} or {@code sink}
 * @param name its configured name
 * @param className its class
 * @param module its module's name, or {@code "(class path)"}
 * @param location the jar or folder it was loaded from, or {@code "(unknown)"}
 * @param description what it does, possibly empty
 */
public record ProviderInfo(String edge, String name, String className, String module, String location, String description) {

    @Override
    public String toString() {
        return edge + " '" + name + "' (" + className + " in " + module + ")";
    }
}
