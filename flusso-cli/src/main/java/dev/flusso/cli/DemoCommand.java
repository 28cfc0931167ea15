package dev.flusso.cli;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.BatchReport;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.Observer;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.cli.demo.SampleLibrary;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code flusso demo}: the whole loop on a built-in sample library of authors and books, to standard output:
 * mapping, backfill, then a stream of live changes, each rebuilding the author documents it touches.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs Flusso on a built-in sample library: backfill, then live changes, documents to stdout.")
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--pace", defaultValue = "200ms", description = "Pause between live changes (default ${DEFAULT-VALUE}).")
    String pace;

    @Option(names = "--changes", defaultValue = "12", description = "Live changes to make (default ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = {"-o", "--output"}, description = "Append the documents to this file instead of standard output.")
    String output;

    @Override
    public Integer call() {
        Duration pause;
        try {
            pause = Settings.of("demo", Map.of("pace", pace)).duration("pace", Duration.ZERO);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("option --pace: '" + pace + "' is not a duration; expected one with its unit, such as 200ms or 1s");
        }
        Providers providers = Plugins.providers();
        SampleLibrary library = new SampleLibrary(changes, pause);
        Map<String, Object> sink = output == null ? Map.of() : Map.of("path", output);
        Engine engine = Engine.builder()
                .capture(library.capture())
                .documentBuilder(library.builder())
                .queue(providers.queue("channel", ProviderContext.of(Settings.empty("queue"))))
                .sink(providers.sink("stdout", ProviderContext.of(Settings.of("sinks.stdout", sink))))
                .batchPolicy(new BatchPolicy(100, Duration.ofMillis(50)))
                .observer(new Observer() {
                    @Override
                    public void batchFlushed(BatchReport report) {
                        LOG.info("{} {} change(s) -> {} document(s), {} deletion(s), flushed; acknowledged",
                                report.backfill() ? "backfill:" : "live:", report.changes(), report.documents(), report.deletions());
                    }
                })
                .build();
        Thread stopper = new Thread(engine::stop, "flusso-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        engine.run();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // the JVM is already stopping: the hook has run
        }
        return 0;
    }
}
