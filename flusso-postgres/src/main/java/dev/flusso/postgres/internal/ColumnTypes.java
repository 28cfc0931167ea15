package dev.flusso.postgres.internal;

import dev.flusso.schema.ScalarType;
import java.util.Set;

/** Which column types a declared scalar type reads faithfully. */
final class ColumnTypes {

    private static final Set<String> INT2 = Set.of("int2");
    private static final Set<String> INT4 = Set.of("int2", "int4");
    private static final Set<String> INT8 = Set.of("int2", "int4", "int8");
    private static final Set<String> DATES = Set.of("date", "timestamp", "timestamptz");

    private ColumnTypes() {
    }

    /** {@return whether a column of this type (the element type of an array) fits the declared type} */
    static boolean fits(ScalarType type, String typeName, char category) {
        return switch (type) {
            case TEXT, IDENTIFIER, KEYWORD -> category == 'S' || category == 'E' || category == 'U';
            case ENUM -> category == 'E' || category == 'S';
            case UUID -> typeName.equals("uuid") || category == 'S';
            case BOOLEAN -> category == 'B';
            case SHORT -> INT2.contains(typeName);
            case INTEGER -> INT4.contains(typeName);
            case LONG -> INT8.contains(typeName);
            case FLOAT, DOUBLE, DECIMAL -> category == 'N';
            case DATE, TIMESTAMP -> DATES.contains(typeName);
            case BINARY -> typeName.equals("bytea");
            case JSON -> typeName.equals("json") || typeName.equals("jsonb");
        };
    }

    /** {@return the column types that fit, for messages} */
    static String expected(ScalarType type) {
        return switch (type) {
            case TEXT, IDENTIFIER, KEYWORD -> "a string type (text, varchar, char, an enum, citext)";
            case ENUM -> "an enum or a string type";
            case UUID -> "uuid or a string type";
            case BOOLEAN -> "boolean";
            case SHORT -> "smallint";
            case INTEGER -> "smallint or integer";
            case LONG -> "smallint, integer or bigint";
            case FLOAT, DOUBLE, DECIMAL -> "a numeric type";
            case DATE, TIMESTAMP -> "date, timestamp or timestamptz";
            case BINARY -> "bytea";
            case JSON -> "json or jsonb";
        };
    }
}
