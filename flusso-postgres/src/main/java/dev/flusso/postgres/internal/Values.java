package dev.flusso.postgres.internal;

import dev.flusso.schema.ScalarType;
import dev.flusso.schema.Transform;
import java.util.List;

/**
 * How a column value becomes a JSON value, in SQL: PostgreSQL writes the JSON itself, so numbers keep their
 * precision and nothing is parsed twice.
 */
final class Values {

    private Values() {
    }

    /** {@return an SQL expression of a type whose {@code to_json} is the document value} */
    static String convert(String value, ScalarType type, boolean array, List<Transform> transforms) {
        if (array) {
            if (type == ScalarType.BINARY || !transforms.isEmpty() && isText(type)) {
                // Element by element, keeping the order; an empty array stays empty, NULL stays NULL.
                String element = scalar("flusso_u.flusso_e", type, transforms);
                return "CASE WHEN " + value + " IS NULL THEN NULL ELSE coalesce((SELECT array_agg(" + element
                        + " ORDER BY flusso_u.flusso_o) FROM unnest(" + value + ") WITH ORDINALITY AS flusso_u(flusso_e, flusso_o)), '{}') END";
            }
            return switch (type) {
                case TEXT, IDENTIFIER, KEYWORD, ENUM, UUID -> "CAST(" + value + " AS text[])";
                case TIMESTAMP -> "CAST(" + value + " AS timestamptz[])";
                case JSON -> "CAST(" + value + " AS json[])";
                default -> value;
            };
        }
        return scalar(value, type, transforms);
    }

    private static String scalar(String value, ScalarType type, List<Transform> transforms) {
        return switch (type) {
            case TEXT, IDENTIFIER, KEYWORD, ENUM, UUID -> transformed("CAST(" + value + " AS text)", transforms);
            // A timestamp without zone is taken as UTC (sessions run in UTC), so every timestamp carries its zone.
            case TIMESTAMP -> "CAST(" + value + " AS timestamptz)";
            // OpenSearch's binary is base64 without line breaks; PostgreSQL breaks lines every 76 characters.
            case BINARY -> "translate(encode(" + value + ", 'base64'), E'\\n', '')";
            case JSON -> "CAST(" + value + " AS json)";
            default -> value;
        };
    }

    private static String transformed(String value, List<Transform> transforms) {
        String result = value;
        for (Transform transform : transforms) {
            result = switch (transform) {
                case LOWERCASE -> "lower(" + result + ")";
                case TRIM -> "btrim(" + result + ")";
            };
        }
        return result;
    }

    private static boolean isText(ScalarType type) {
        return switch (type) {
            case TEXT, IDENTIFIER, KEYWORD, ENUM, UUID -> true;
            default -> false;
        };
    }
}
