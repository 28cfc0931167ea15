package dev.flusso.cli;

import dev.flusso.api.BatchPolicy;
import dev.flusso.api.BatchReport;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.FlussoException;
import dev.flusso.api.Observer;
import dev.flusso.api.spi.ProviderContext;
import dev.flusso.api.spi.Settings;
import dev.flusso.cli.demo.LocalPostgres;
import dev.flusso.cli.demo.SampleDatabase;
import dev.flusso.cli.demo.SampleLibrary;
import dev.flusso.core.Engine;
import dev.flusso.core.Providers;
import dev.flusso.schema.Deployment;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flusso demo}: the whole loop for a newcomer. Starts a throwaway PostgreSQL from the installed server
 * programs, creates a sample library in it (authors, their books, tags through a junction table) with a matching
 * {@code flusso.toml} and schema, runs exactly what {@code flusso run} runs on them (mapping, backfill, live sync),
 * makes a stream of live changes, and stops once every change is written. Documents go to standard output (or to
 * OpenSearch), progress to standard error.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs Flusso on a sample library in a throwaway PostgreSQL: backfill, then live changes,"
            + " documents to stdout (or OpenSearch). Keeps its sample files for you to copy."})
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--pace", defaultValue = "${env:FLUSSO_DEMO_PACE:-300ms}",
            description = "Pause between live changes (env FLUSSO_DEMO_PACE; default ${DEFAULT-VALUE}).")
    String pace;

    @Option(names = "--changes", defaultValue = "${env:FLUSSO_DEMO_CHANGES:-20}",
            description = "Live changes to make (env FLUSSO_DEMO_CHANGES; default ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = {"-o", "--output"}, defaultValue = "${env:FLUSSO_DEMO_OUTPUT}",
            description = "Append the documents to this file instead of standard output (env FLUSSO_DEMO_OUTPUT).")
    Path output;

    @Option(names = "--opensearch", paramLabel = "URL", defaultValue = "${env:FLUSSO_DEMO_OPENSEARCH}",
            description = "Write the documents to this OpenSearch (such as http://127.0.0.1:9200) instead (env FLUSSO_DEMO_OPENSEARCH).")
    String opensearch;

    @Option(names = "--dir", defaultValue = "${env:FLUSSO_DEMO_DIR}",
            description = "Where to write the sample files (env FLUSSO_DEMO_DIR; default: flusso-demo in the temporary folder).")
    Path dir;

    @Option(names = "--in-memory", defaultValue = "${env:FLUSSO_DEMO_IN_MEMORY:-false}",
            description = "No PostgreSQL: an in-memory stand-in for the database, for machines without its server programs (env FLUSSO_DEMO_IN_MEMORY).")
    boolean inMemory;

    @Override
    public Integer call() throws InterruptedException {
        Duration pause = pause();
        if (inMemory) {
            runInMemory(pause);
            return 0;
        }
        Path folder = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "flusso-demo");
        try (LocalPostgres postgres = LocalPostgres.start(LOG::info)) {
            Driver driver = postgresDriver(postgres.jdbcUrl("postgres"));
            SampleDatabase.create(postgres, driver);
            Path toml = SampleDatabase.writeFiles(folder, postgres.url(SampleDatabase.DATABASE), sinkSection());
            LOG.info("sample files (copy them to start your own): {} (flusso.toml, authors.schema.yml, schema.sql)",
                    folder.toAbsolutePath());
            RunCommand run = new RunCommand();
            run.config = toml;
            run.lock = folder.resolve("flusso.lock");
            Deployment deployment = run.resolveDeployment();
            SampleDatabase sample = new SampleDatabase(driver, postgres.jdbcUrl(SampleDatabase.DATABASE), 42);
            LiveChanges live = new LiveChanges(sample, pause);
            Engine engine = run.engine(deployment, Plugins.providers(), live);
            live.engine = engine;
            RunCommand.runUntilStopped(engine);
            if (live.failure != null) {
                throw live.failure;
            }
            LOG.info("demo done: {} live change(s) written; the sample files stay in {}", live.flushed.get(),
                    folder.toAbsolutePath());
        }
        return 0;
    }

    /** {@return pgjdbc's driver}, from the layer of the built-in backends when Flusso runs from its image */
    private static Driver postgresDriver(String url) {
        for (Driver driver : Plugins.services(Driver.class)) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver;
                }
            } catch (SQLException e) {
                // not this driver: try the next
            }
        }
        throw new FlussoException("no JDBC driver accepts " + url + ": pgjdbc is missing from this installation; reinstall Flusso");
    }

    private String sinkSection() {
        if (opensearch != null) {
            return "[sinks.search]\ntype = \"opensearch\"\nurl = \"" + opensearch + "\"\n";
        }
        return "[sinks.out]\ntype = \"stdout\"\n" + (output == null ? "" : "path = \"" + output.toAbsolutePath() + "\"\n");
    }

    private Duration pause() {
        try {
            return Settings.of("demo", Map.of("pace", pace)).duration("pace", Duration.ZERO);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("option --pace: '" + pace + "' is not a duration; expected one with its unit, such as 200ms or 1s");
        }
    }

    /** Starts the stream of live changes once the backfill is done, and stops the engine when all are written. */
    private final class LiveChanges implements Observer {
        private final SampleDatabase sample;
        private final Duration pause;
        final AtomicLong flushed = new AtomicLong();
        private final AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
        volatile Engine engine;
        volatile RuntimeException failure;

        LiveChanges(SampleDatabase sample, Duration pause) {
            this.sample = sample;
            this.pause = pause;
        }

        @Override
        public void backfillCompleted(String index, long rowsFlushed) {
            LOG.info("backfill of {} done: {} document(s)", index, rowsFlushed);
        }

        @Override
        public void liveStarted() {
            Thread writer = new Thread(this::write, "flusso-demo-changes");
            writer.setDaemon(true);
            writer.start();
        }

        private void write() {
            try {
                expected.set(sample.applyLiveChanges(changes, pause.toMillis(), change -> LOG.info("change: {}", change)));
                stopWhenWritten();
            } catch (RuntimeException e) {
                failure = e;
                engine.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void batchFlushed(BatchReport report) {
            if (!report.backfill()) {
                flushed.addAndGet(report.changes());
                // A batch of progress markers alone (the source moved on with nothing to capture) shows nothing.
                if (report.changes() > 0) {
                    LOG.info("live: {} change(s) -> {} document(s), {} deletion(s), flushed, then confirmed", report.changes(),
                            report.documents(), report.deletions());
                }
                stopWhenWritten();
            }
        }

        private void stopWhenWritten() {
            if (flushed.get() >= expected.get()) {
                engine.stop();
            }
        }
    }

    private void runInMemory(Duration pause) {
        Providers providers = Plugins.providers();
        SampleLibrary library = new SampleLibrary(changes, pause);
        Map<String, Object> sink = output == null ? Map.of() : Map.of("path", output.toString());
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
        RunCommand.runUntilStopped(engine);
    }
}
