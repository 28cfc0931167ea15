/**
 * The {@code flusso} command. Finds every backend through {@link java.util.ServiceLoader}: it compiles against
 * none of them.
 */
module dev.flusso.cli {
    requires dev.flusso.core;
    requires dev.flusso.schema;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires org.slf4j;
    requires java.sql;
    requires jdk.httpserver;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;

    // picocli reads the commands' annotated fields reflectively.
    opens dev.flusso.cli to info.picocli;

    // The demo connects to its database with pgjdbc's driver, found as a service of the backends' layer.
    uses java.sql.Driver;

    provides ch.qos.logback.classic.spi.Configurator with dev.flusso.cli.LogSetup;
}
