package dev.flusso.cli;

import dev.flusso.core.Providers;

/** Where the command finds its providers: the modules it runs with, and any plugin folders added to them. */
final class Plugins {

    private Plugins() {
    }

    /** {@return the providers of every edge visible to this run} */
    static Providers providers() {
        return Providers.load();
    }
}
