package dev.flusso.cli;

import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeQueue;
import dev.flusso.api.ConfigurationException;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Observer;
import dev.flusso.api.RestartRequiredException;
import dev.flusso.api.Sink;
import dev.flusso.api.spi.Settings;
import dev.flusso.cli.server.Addresses;
import dev.flusso.cli.server.HttpSurfaces;
import dev.flusso.cli.server.Metrics;
import dev.flusso.cli.server.Progress;
import dev.flusso.core.Engine;
import dev.flusso.core.FanOutSink;
import dev.flusso.core.Providers;
import dev.flusso.schema.CompiledIndex;
import dev.flusso.schema.Deployment;
import dev.flusso.schema.LockFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flusso run}: mapping first, backfill of unseeded indexes, then live sync until stopped. Which files it
 * reads follows the original flusso exactly, so its users' scripts keep working.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Ensures the mappings, backfills unseeded indexes, then syncs live changes until stopped.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, defaultValue = "${env:FLUSSO_CONFIG}",
            description = "The deployment file to compile (env FLUSSO_CONFIG; ./flusso.toml when it exists).")
    Path config;

    @Option(names = "--lock", defaultValue = "${env:FLUSSO_LOCK:-flusso.lock}",
            description = "The lock file to write after compiling, or to run (env FLUSSO_LOCK; default ${DEFAULT-VALUE}). Named without -c, it is run as it is, not compiled over.")
    Path lock;

    @Option(names = "--locked", defaultValue = "${env:FLUSSO_LOCKED:-false}",
            description = "Run the lock file as it is: no compiling, no rewriting (env FLUSSO_LOCKED).")
    boolean locked;

    @Option(names = "--skip-backfill", defaultValue = "${env:FLUSSO_SKIP_BACKFILL:-false}",
            description = "Live changes only: backfill no index (env FLUSSO_SKIP_BACKFILL).")
    boolean skipBackfill;

    @Option(names = "--slot", defaultValue = "${env:FLUSSO_SLOT}", description = "Replication slot (env FLUSSO_SLOT; default flusso).")
    String slot;

    @Option(names = "--publication", defaultValue = "${env:FLUSSO_PUBLICATION}",
            description = "Publication (env FLUSSO_PUBLICATION; default flusso).")
    String publication;

    @Option(names = "--manage-publication", arity = "1", defaultValue = "${env:FLUSSO_MANAGE_PUBLICATION}",
            description = "Whether Flusso may create and extend the publication (env FLUSSO_MANAGE_PUBLICATION; default from [source], then true).")
    Boolean managePublication;

    @Option(names = "--capture", defaultValue = "${env:FLUSSO_CAPTURE}",
            description = "How changes are captured: wal or polling (env FLUSSO_CAPTURE; default from [source] capture, then wal).")
    String capture;

    @Option(names = "--queue-capacity", defaultValue = "${env:FLUSSO_QUEUE_CAPACITY}",
            description = "Changes the queue holds between capture and worker (env FLUSSO_QUEUE_CAPACITY; default from [queue], then 10000).")
    Integer queueCapacity;

    @Option(names = "--public-address", defaultValue = "${env:FLUSSO_PUBLIC_ADDRESS}", paramLabel = "IP:PORT",
            description = "Where /metrics, /healthz and /readyz listen, or off (env FLUSSO_PUBLIC_ADDRESS; default from [server], then 127.0.0.1:9464).")
    String publicAddress;

    @Option(names = "--private-address", defaultValue = "${env:FLUSSO_PRIVATE_ADDRESS}", paramLabel = "IP:PORT",
            description = "Where the admin /status listens, or off (env FLUSSO_PRIVATE_ADDRESS; default from [server], then 127.0.0.1:9465).")
    String privateAddress;

    @Option(names = "--admin-user", defaultValue = "${env:FLUSSO_ADMIN_USER}",
            description = "User for the admin surface's basic authentication (env FLUSSO_ADMIN_USER).")
    String adminUser;

    @Option(names = "--admin-password", defaultValue = "${env:FLUSSO_ADMIN_PASSWORD}",
            description = "Password for the admin surface (env FLUSSO_ADMIN_PASSWORD); required beyond loopback.")
    String adminPassword;

    @Option(names = "--progress", defaultValue = "${env:FLUSSO_PROGRESS:-5s}",
            description = "How often progress is logged when not on a terminal (env FLUSSO_PROGRESS; default ${DEFAULT-VALUE}).")
    String progress;

    @Spec
    CommandSpec spec;

    private volatile Engine running;
    private volatile boolean terminated;
    private volatile boolean cleanEnd;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private final Set<String> pendingReindex = new LinkedHashSet<>();
    private volatile ChangeCapture capturing;
    /** The sinks by name: {@code /status} shows each under its own name, one sink or several. */
    private volatile Map<String, Sink> writing;

    @Option(names = "--role", defaultValue = "${env:FLUSSO_ROLE:-all}",
            description = "all (capture and workers), capture, or worker; apart they share a durable queue such as kafka (env FLUSSO_ROLE; default ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--reindex", paramLabel = "INDEX", split = ",", defaultValue = "${env:FLUSSO_REINDEX}",
            description = "Rebuild this index from a full backfill in this run (repeatable, or comma-separated; env FLUSSO_REINDEX); the sink serves the old contents meanwhile.")
    List<String> reindex = new ArrayList<>();

    @Override
    public Integer call() {
        Thread stopper = new Thread(this::terminate, "flusso-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            int code = runAll();
            cleanEnd = true;
            return code;
        } finally {
            finished.countDown();
            removeHook(stopper);
        }
    }

    private int runAll() {
        Deployment deployment = resolveDeployment();
        Metrics metrics = new Metrics();
        Instant started = Instant.now();
        Set<String> known = deployment.enabledIndexes().stream().map(CompiledIndex::name).collect(Collectors.toSet());
        PrintStream terminal = Progress.terminal();
        try (HttpSurfaces surfaces = HttpSurfaces.start(
                    Addresses.parse(publicAddress, deployment.server(), "public_address", "127.0.0.1:9464"),
                    Addresses.parse(privateAddress, deployment.server(), "private_address", "127.0.0.1:9465"),
                    credentials(), metrics, () -> status(metrics, started), index -> requestReindex(index, known));
                Progress shown = new Progress(metrics, terminal, terminal != null ? Duration.ofSeconds(1)
                        : Settings.of("run", Map.of("progress", progress)).duration("progress", Duration.ofSeconds(5)))) {
            Set<String> rebuild = new LinkedHashSet<>(reindex);
            Providers providers = Plugins.providers();
            // A reindex asked of a running flusso whose capture cannot rebuild live stops the engine cleanly and
            // starts it again with the rebuild.
            while (true) {
                Engine engine = engine(deployment, providers, Observer.all(metrics, shown), rebuild);
                running = engine;
                if (terminated) {
                    engine.stop();
                }
                try {
                    runEngine(engine);
                } catch (RuntimeException e) {
                    Throwable cause = e instanceof Flusso.EdgeFailure ? e.getCause() : e;
                    if (!(cause instanceof RestartRequiredException restart) || terminated) {
                        throw e;
                    }
                    LOG.warn("{}: starting again", restart.getMessage());
                    // Rebuilds asked of the run that ended are not lost with it.
                    rebuild = new LinkedHashSet<>(engine.unfinishedRebuilds());
                    continue;
                }
                synchronized (this) {
                    pendingReindex.addAll(engine.unfinishedRebuilds());
                    if (terminated || pendingReindex.isEmpty()) {
                        break;
                    }
                    rebuild = new LinkedHashSet<>(pendingReindex);
                    pendingReindex.clear();
                }
                LOG.info("restarting to rebuild {}", rebuild);
            }
        }
        return 0;
    }

    private synchronized Map<String, Object> requestReindex(String index, Set<String> known) {
        if (!known.contains(index)) {
            throw new ConfigurationException("no index '" + index + "'; the deployment's indexes are " + new TreeSet<>(known));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("reindex", index);
        Engine engine = running;
        if (engine != null && engine.canRebuildLive()) {
            LOG.info("reindex of '{}' asked: rebuilding it beside the live stream", index);
            engine.rebuildLive(index);
            answer.put("state", "rebuild started while live changes flow; the current contents serve, kept current, "
                    + "until it is complete");
            return answer;
        }
        // A capture that cannot snapshot while it streams: the run stops cleanly and starts again with the rebuild.
        pendingReindex.add(index);
        LOG.info("reindex of '{}' asked: the run stops cleanly and starts again with its rebuild", index);
        if (engine != null) {
            engine.stop();
        }
        answer.put("state", "rebuild starting after a restart; live changes wait in the source meanwhile, and the "
                + "current contents serve until it is complete");
        return answer;
    }

    /**
     * SIGTERM or Ctrl-C: stops the run cleanly, waits for it, and exits 0 when it ended cleanly. A JVM shut down by a
     * signal would otherwise exit 143 whatever the run did, and supervisors read that as a failure.
     */
    private void terminate() {
        terminated = true;
        stop();
        try {
            if (finished.await(60, java.util.concurrent.TimeUnit.SECONDS) && cleanEnd) {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Engine.Role role() {
        try {
            return Engine.Role.valueOf((role == null ? "all" : role).trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--role: '" + role + "' is not a role; expected all, capture or worker");
        }
    }

    /** Stops a run started by {@link #call()} cleanly, as SIGTERM does; for embedding and tests. */
    void stop() {
        Engine engine = running;
        if (engine != null) {
            engine.stop();
        }
    }

    /** A status that cannot be read says why, rather than failing the whole status. */
    private static Map<String, Object> quietly(java.util.function.Supplier<Map<String, Object>> status) {
        try {
            return status.get();
        } catch (RuntimeException e) {
            return Map.of("error", String.valueOf(e.getMessage()));
        }
    }

    private String credentials() {
        if (adminUser == null && adminPassword == null) {
            return null;
        }
        if (adminUser == null || adminPassword == null || adminPassword.isEmpty()) {
            throw new ConfigurationException("--admin-user and --admin-password go together (FLUSSO_ADMIN_USER, FLUSSO_ADMIN_PASSWORD)");
        }
        return adminUser + ":" + adminPassword;
    }

    private Map<String, Object> status(Metrics metrics, Instant started) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", metrics.failure() != null ? "failed" : metrics.ready() ? "live"
                : !metrics.outages().isEmpty() ? "retrying" : "starting");
        if (!metrics.outages().isEmpty()) {
            status.put("retrying", new TreeMap<>(metrics.outages()));
        }
        status.put("started", started.toString());
        Map<String, Object> indexes = new TreeMap<>();
        metrics.backfills().forEach((name, backfill) -> {
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("state", backfill.state());
            index.put("backfill_rows", backfill.rowsDone());
            index.put("backfill_rows_estimated", backfill.rowsEstimated());
            Map<String, Sink> sinks = writing;
            if (sinks != null) {
                Map<String, Object> each = new TreeMap<>();
                sinks.forEach((sinkName, sink) -> each.put(sinkName, quietly(() -> sink.status(name))));
                index.put("sinks", each);
            }
            indexes.put(name, index);
        });
        status.put("indexes", indexes);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("lag_bytes", metrics.lagBytes() < 0 ? null : metrics.lagBytes());
        source.put("lag_seconds", metrics.lagBytes() < 0 ? null : metrics.lag().toMillis() / 1000.0);
        ChangeCapture capture = capturing;
        if (capture != null) {
            source.putAll(quietly(capture::status));
        }
        status.put("source", source);
        if (metrics.failure() != null) {
            status.put("failure", String.valueOf(metrics.failure().getMessage()));
        }
        return status;
    }

    /** Runs the engine until it ends or is stopped; SIGTERM and Ctrl-C stop it cleanly. */
    static void runUntilStopped(Engine engine) {
        Thread stopper = new Thread(engine::stop, "flusso-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            runEngine(engine);
        } finally {
            removeHook(stopper);
        }
    }

    /** Runs the engine; a failure names the edge that failed. */
    private static void runEngine(Engine engine) {
        try {
            engine.run();
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            String edge = engine.failedEdge().orElse(null);
            throw edge == null ? e : new Flusso.EdgeFailure(edge, e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is stopping: the hook asked for this clean stop
        }
    }

    /** The original's rules: --locked runs the lock; else compile the config (explicit, or ./flusso.toml) into it. */
    Deployment resolveDeployment() {
        if (locked) {
            return readLock();
        }
        Path source = config;
        // A lock named without a config is the one to run: compiling ./flusso.toml over it would replace it.
        if (source == null && !lockNamed() && Files.isRegularFile(Path.of("flusso.toml"))) {
            source = Path.of("flusso.toml");
        }
        if (source == null) {
            return readLock();
        }
        if (!Files.isRegularFile(source)) {
            throw new ConfigurationException("config file " + source + " not found");
        }
        Deployment deployment = Deployment.load(source);
        LockFile.write(deployment, lock);
        return LockFile.read(lock);
    }

    private boolean lockNamed() {
        boolean onCommandLine = spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--lock");
        return onCommandLine || System.getenv("FLUSSO_LOCK") != null;
    }

    private Deployment readLock() {
        if (!Files.isRegularFile(lock)) {
            throw new ConfigurationException("no flusso.toml to compile and no compiled lock at " + lock
                    + "; create a config or build a lock first (flusso build -c flusso.toml)");
        }
        return LockFile.read(lock);
    }

    Engine engine(Deployment deployment, Providers providers, Observer observer) {
        return engine(deployment, providers, observer, Set.of());
    }

    Engine engine(Deployment deployment, Providers providers, Observer observer, Set<String> rebuild) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("slot", slot);
        overrides.put("publication", publication);
        overrides.put("manage_publication", managePublication);
        Wiring wiring = new Wiring(deployment, providers, observer, overrides);
        DocumentBuilder builder = wiring.builder("lock_file", lock);
        List<IndexDefinition> indexes = builder.indexes();
        Engine.Role process = role();
        String captureName = process == Engine.Role.WORKER ? "none (worker)" : wiring.captureName(capture);
        ChangeCapture changes = process == Engine.Role.WORKER ? null : wiring.capture(captureName, indexes);
        ChangeQueue queue = wiring.queue(queueCapacity);
        LOG.info("indexes: {}; capture {}, queue {}, sinks {}", indexes.stream().map(IndexDefinition::name).toList(),
                captureName, wiring.queueName(), deployment.sinks().keySet());
        Map<String, Sink> sinks = wiring.sinks();
        Sink sink = FanOutSink.of(sinks);
        this.capturing = changes;
        this.writing = Map.copyOf(sinks);
        return Engine.builder()
                .role(process)
                .capture(changes)
                .documentBuilder(builder)
                .queue(queue)
                .sink(sink)
                .batchPolicy(deployment.batch())
                .failurePolicies(deployment.failure())
                .backfill(!skipBackfill)
                .rebuild(rebuild)
                .observer(observer)
                .build();
    }
}
