package dev.flusso.api.spi;

import dev.flusso.api.ConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration section, such as {@code [sinks.search]}, with typed reads whose errors name the section and
 * key and say what was expected. Values never appear in error messages, so secrets cannot leak through them.
 *
 * <p>A value written as {@code { env = "VAR" }} is read from the environment variable {@code VAR} when the key is
 * read, not before: a deployment file never holds the secret itself.
 */
public final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String section;
    private final Map<String, Object> values;
    private final UnaryOperator<String> environment;

    private Settings(String section, Map<String, Object> values, UnaryOperator<String> environment) {
        this.section = Objects.requireNonNull(section, "section");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * @param section the section's name as users write it ({@code sinks.search}), never {@code null}
     * @param values the section's keys and values, as parsed, never {@code null}
     * @return the settings, resolving {@code { env = … }} references from the process environment
     */
    public static Settings of(String section, Map<String, ?> values) {
        return of(section, values, System::getenv);
    }

    /**
     * @param section the section's name as users write it, never {@code null}
     * @param values the section's keys and values, as parsed, never {@code null}
     * @param environment looks up an environment variable, returning {@code null} when unset
     * @return the settings
     */
    @SuppressWarnings("unchecked")
    public static Settings of(String section, Map<String, ?> values, UnaryOperator<String> environment) {
        return new Settings(section, (Map<String, Object>) values, environment);
    }

    /** {@return an empty section of the given name} */
    public static Settings empty(String section) {
        return of(section, Map.of());
    }

    /** {@return the section's name, as users write it} */
    public String section() {
        return section;
    }

    /** {@return the keys present} */
    public Set<String> keys() {
        return values.keySet();
    }

    /** {@return whether the key is present} */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** {@return the values as parsed, with {@code { env = … }} references unresolved} */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * Fails on any key not in {@code known}: a misspelt key is an error, not a silently ignored line.
     *
     * @param known the keys this section accepts, never {@code null}
     * @throws ConfigurationException naming the first unknown key and listing the known ones
     */
    public void rejectUnknownKeys(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigurationException(where(key) + " is not a known key; expected one of " + new TreeSet<>(known));
            }
        }
    }

    /** {@return the string value of the key, if present} */
    public Optional<String> string(String key) {
        return Optional.ofNullable(value(key)).map(v -> typed(key, v, String.class, "a string"));
    }

    /** {@return the string value of the key, or the default} */
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** {@return the string value of the key} @throws ConfigurationException if it is missing */
    public String requireString(String key) {
        return string(key).orElseThrow(() -> new ConfigurationException(where(key) + " is required: expected a string"));
    }

    /** {@return the integer value of the key, or the default} */
    public int integer(String key, int defaultValue) {
        long value = longValue(key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ConfigurationException(where(key) + " is out of range: expected an integer of at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** {@return the whole-number value of the key, or the default} */
    public long longValue(String key, long defaultValue) {
        Object value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                // fall through to the type error
            }
        }
        throw typeError(key, value, "a whole number");
    }

    /** {@return the boolean value of the key, or the default} */
    public boolean bool(String key, boolean defaultValue) {
        Object value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String text && (text.equals("true") || text.equals("false"))) {
            return Boolean.parseBoolean(text);
        }
        throw typeError(key, value, "true or false");
    }

    /**
     * {@return the duration value of the key, or the default} A duration is written with its unit:
     * {@code "250ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}, or ISO-8601 ({@code "PT5S"}).
     */
    public Duration duration(String key, Duration defaultValue) {
        Object value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String text) {
            Matcher m = DURATION.matcher(text.trim());
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                // fall through to the type error
            }
        }
        throw typeError(key, value, "a duration with its unit, such as \"500ms\", \"5s\" or \"2m\"");
    }

    /** {@return the list of strings at the key, or an empty list} */
    public List<String> strings(String key) {
        Object value = value(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw typeError(key, item, "a list of strings");
                }
                out.add(text);
            }
            return List.copyOf(out);
        }
        throw typeError(key, value, "a list of strings");
    }

    /** {@return the nested section at the key, empty when absent} */
    @SuppressWarnings("unchecked")
    public Settings section(String key) {
        Object value = values.get(key);
        if (value == null) {
            return new Settings(section + "." + key, Map.of(), environment);
        }
        if (value instanceof Map<?, ?> map && !isEnvReference(map)) {
            return new Settings(section + "." + key, (Map<String, Object>) map, environment);
        }
        throw typeError(key, value, "a table of keys");
    }

    private Object value(String key) {
        Object value = values.get(key);
        if (value instanceof Map<?, ?> map && isEnvReference(map)) {
            Object variable = map.get("env");
            if (!(variable instanceof String name) || name.isBlank()) {
                throw new ConfigurationException(where(key) + " has an env reference without a variable name: expected { env = \"VAR\" }");
            }
            String resolved = environment.apply(name);
            if (resolved == null) {
                throw new ConfigurationException(where(key) + " reads environment variable '" + name + "', which is not set");
            }
            return resolved;
        }
        return value;
    }

    private static boolean isEnvReference(Map<?, ?> map) {
        return map.size() == 1 && map.containsKey("env");
    }

    private <T> T typed(String key, Object value, Class<T> type, String expected) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw typeError(key, value, expected);
    }

    private ConfigurationException typeError(String key, Object value, String expected) {
        return new ConfigurationException(where(key) + " has " + describe(value) + ": expected " + expected);
    }

    private String where(String key) {
        return "[" + section + "] key '" + key + "'";
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "a string that does not fit";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a table";
        }
        return "a " + value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        // Keys only: values may be secrets.
        return "Settings[" + section + ": " + values.keySet() + "]";
    }
}
