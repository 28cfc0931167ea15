package dev.flusso.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How an expected document and a stored one are compared; the normalisation the suite's README documents:
 *
 * <ul>
 *   <li>numbers by value ({@code 12.50} equals {@code 12.5}; {@code 1} equals {@code 1.0}), read exactly
 *       (never through a double), so a number that lost a digit differs;
 *   <li>strings exactly, except that two strings that are both ISO-8601 date-times with an offset are equal when
 *       they name the same instant ({@code …+00:00} and {@code …Z});
 *   <li>objects by key set and values, key order ignored;
 *   <li>arrays element by element, in order: every to-many join of the suite's schemas has an {@code order_by}
 *       (or the builder's primary-key order), and the oracle orders the same way, so order is part of the value.
 * </ul>
 */
final class Documents {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Documents() {
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(json) + " (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** {@return the first difference as "path: expected X, found Y", or empty when the documents are equal} */
    static Optional<String> difference(JsonNode expected, JsonNode actual) {
        return difference("$", expected, actual);
    }

    private static Optional<String> difference(String path, JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0 ? Optional.empty() : differs(path, expected, actual);
        }
        if (expected.isTextual() && actual.isTextual()) {
            return sameText(expected.textValue(), actual.textValue()) ? Optional.empty() : differs(path, expected, actual);
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return Optional.of(path + ": expected " + expected.size() + " elements, found " + actual.size()
                        + " (expected " + abbreviate(expected.toString()) + ", found " + abbreviate(actual.toString()) + ")");
            }
            for (int i = 0; i < expected.size(); i++) {
                Optional<String> inner = difference(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!expected.has(key) || !actual.has(key)) {
                    return Optional.of(path + "." + key + ": " + (expected.has(key) ? "missing" : "unexpected") + " key");
                }
                Optional<String> inner = difference(path + "." + key, expected.get(key), actual.get(key));
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        return expected.equals(actual) ? Optional.empty() : differs(path, expected, actual);
    }

    private static boolean sameText(String expected, String actual) {
        if (expected.equals(actual)) {
            return true;
        }
        try {
            return OffsetDateTime.parse(expected).toInstant().equals(OffsetDateTime.parse(actual).toInstant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Optional<String> differs(String path, JsonNode expected, JsonNode actual) {
        return Optional.of(path + ": expected " + abbreviate(expected.toString()) + ", found " + abbreviate(actual.toString()));
    }

    static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 150) + "…(" + text.length() + " chars)";
    }
}
