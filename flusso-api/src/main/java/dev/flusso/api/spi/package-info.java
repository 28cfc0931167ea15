/**
 * Service-provider interfaces: how the engine finds backends.
 *
 * <p>Each edge has a provider type, found with {@link java.util.ServiceLoader} and selected by its short
 * {@link dev.flusso.api.spi.FlussoProvider#name() name}. A provider is a cheap factory: instantiated once at start
 * whether or not it is used, so its constructor does no work; {@code create} makes the real edge from a narrow
 * {@link dev.flusso.api.spi.ProviderContext}.
 */
package dev.flusso.api.spi;
