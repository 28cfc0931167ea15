package dev.flusso.api.spi;

/**
 * What every provider has: a short unique name by which configuration selects it.
 *
 * <p>Names are lower case letters, digits, {@code _} and {@code -}, starting with a letter ({@code stdout},
 * {@code opensearch}, {@code wal}). Two providers of the same edge with the same name fail the start, naming both.
 */
public interface FlussoProvider {

    /** {@return the name that configuration selects this provider by} */
    String name();

    /**
     * {@return one line saying what the provider does, for {@code flusso plugins}}
     *
     * @implSpec Returns the empty string.
     */
    default String description() {
        return "";
    }
}
