package dev.flusso.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import java.util.Map;

/**
 * The command's logging, set up in code so the jar needs no configuration file: to standard error (standard output
 * carries documents when the sink is stdout), plain lines by default, JSON lines with {@code FLUSSO_LOG_FORMAT=json},
 * at the level {@code FLUSSO_LOG_LEVEL} names ({@code info} by default). A {@code logback.xml} of the user's, named
 * by {@code -Dlogback.configurationFile}, still wins.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** Chatty libraries are kept to warnings unless the user asks for debug. */
    private static final String[] QUIET = {"org.apache.hc", "org.opensearch.client", "org.postgresql", "org.apache.kafka"};

    /**
     * Sets the logging up unless it already is. Logback finds this class through {@link java.util.ServiceLoader} when
     * both share a class path or module layer; in the runtime image the command sits in a layer above logback, out
     * of its sight, so the command's main calls this first.
     */
    static void apply() {
        if (System.getProperty("logback.configurationFile") != null
                || !(org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
                || context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("stderr") != null) {
            return;
        }
        context.reset();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        setup.configure(context);
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Map<String, String> env = System.getenv();
        String format = setting(env, "FLUSSO_LOG_FORMAT", "flusso.log.format", "plain");
        Level level = Level.toLevel(setting(env, "FLUSSO_LOG_LEVEL", "flusso.log.level", "info"), Level.INFO);

        Encoder<ILoggingEvent> encoder;
        if (format.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            encoder = json;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(level.toInt() <= Level.DEBUG_INT
                    ? "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n"
                    : "%d{HH:mm:ss.SSS} %-5level %msg%n");
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
        if (level.toInt() > Level.DEBUG_INT) {
            for (String chatty : QUIET) {
                context.getLogger(chatty).setLevel(Level.WARN);
            }
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String setting(Map<String, String> env, String variable, String property, String fallback) {
        String value = env.getOrDefault(variable, System.getProperty(property, fallback));
        return value.trim().toLowerCase(Locale.ROOT);
    }
}
