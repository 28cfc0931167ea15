/** The run's metrics and its HTTP surfaces. */
package dev.flusso.cli.server;
