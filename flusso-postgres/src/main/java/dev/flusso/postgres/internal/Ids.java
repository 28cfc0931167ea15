package dev.flusso.postgres.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Document ids from primary keys. One column: the key's text form as PostgreSQL writes it. Several: each
 * column's text with {@code \} written {@code \\} and {@code |} written {@code \|}, joined by {@code |}; so
 * {@code (1, 'a|b')} is {@code 1|a\|b}, and every id decodes to exactly one key.
 */
public final class Ids {

    private Ids() {
    }

    public static String encode(List<String> key) {
        if (key.size() == 1) {
            return key.get(0);
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            id.append(i == 0 ? "" : "|").append(key.get(i).replace("\\", "\\\\").replace("|", "\\|"));
        }
        return id.toString();
    }

    /** {@return the key's column texts, or empty if the id is not an encoding of {@code arity} columns} */
    public static Optional<List<String>> decode(String id, int arity) {
        if (arity == 1) {
            return Optional.of(List.of(id));
        }
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '\\') {
                if (i + 1 == id.length()) {
                    return Optional.empty();
                }
                part.append(id.charAt(++i));
            } else if (c == '|') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts.size() == arity ? Optional.of(List.copyOf(parts)) : Optional.empty();
    }

    /** {@return SQL computing {@link #encode} of the columns of the row {@code alias}} */
    static String sqlEncoding(String alias, List<String> columns) {
        if (columns.size() == 1) {
            return "CAST(" + Sql.column(alias, columns.get(0)) + " AS text)";
        }
        List<String> parts = new ArrayList<>();
        for (String column : columns) {
            parts.add("replace(replace(CAST(" + Sql.column(alias, column) + " AS text), '\\', '\\\\'), '|', '\\|')");
        }
        return "concat_ws('|', " + String.join(", ", parts) + ")";
    }
}
