package dev.flusso.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.testing.opensearch.HttpReply;
import dev.flusso.testing.opensearch.OpenSearchHttp;
import dev.flusso.testing.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The suite's judge: every expected document rebuilt straight from the quiesced database with hand-written SQL
 * ({@code json_build_object} / {@code json_agg}, never Flusso's builder), every document read back from the
 * index's alias, and the differences listed by id.
 */
final class Oracle {

    private final PostgresDatabase database;
    private final String documentsSql;
    private final OpenSearchHttp search;
    private final String alias;

    /**
     * @param documentsSql a query with two text columns, {@code id} and {@code doc} (the document as JSON)
     * @param alias the alias the sink writes through: the deployment's prefix and the index name
     */
    Oracle(PostgresDatabase database, String documentsSql, OpenSearchHttp search, String alias) {
        this.database = database;
        this.documentsSql = documentsSql;
        this.search = search;
        this.alias = alias;
    }

    /** {@return every document the database says the index must hold, by id} */
    Map<String, JsonNode> expected() {
        Map<String, JsonNode> documents = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // The builder writes timestamps in UTC; the comparison would accept any offset, the readable choice is UTC.
            statement.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rows = statement.executeQuery(documentsSql)) {
                while (rows.next()) {
                    documents.put(rows.getString("id"), Documents.parse(rows.getString("doc")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the oracle's query failed on " + database.name() + ": " + e.getMessage(), e);
        }
        return documents;
    }

    /** {@return every document the alias serves, by id, after a refresh; empty when the alias does not exist} */
    Map<String, JsonNode> actual() {
        return readAll(search, alias);
    }

    static Map<String, JsonNode> readAll(OpenSearchHttp search, String alias) {
        Map<String, JsonNode> documents = new TreeMap<>();
        HttpReply refresh = search.post("/" + alias + "/_refresh", null);
        if (refresh.status() == 404) {
            return documents;
        }
        refresh.expectOk("refresh of " + alias);
        JsonNode page = Documents.parse(search.post("/" + alias + "/_search?scroll=1m",
                "{\"size\":1000,\"query\":{\"match_all\":{}}}").expectOk("search of " + alias).body());
        String scroll = page.path("_scroll_id").asText();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    documents.put(hit.path("_id").asText(), hit.path("_source"));
                }
                page = Documents.parse(search.post("/_search/scroll",
                        "{\"scroll\":\"1m\",\"scroll_id\":\"" + scroll + "\"}").expectOk("scroll of " + alias).body());
                scroll = page.path("_scroll_id").asText(scroll);
            }
        } finally {
            search.delete("/_search/scroll/" + scroll);
        }
        return documents;
    }

    /** {@return the differences between what the database says and what the index holds} */
    Diff compare() {
        return compare(id -> true);
    }

    /** {@return the differences, counting only the ids the filter accepts (on both sides)} */
    Diff compare(Predicate<String> considered) {
        Map<String, JsonNode> expected = expected();
        Map<String, JsonNode> actual = actual();
        expected.keySet().removeIf(considered.negate());
        actual.keySet().removeIf(considered.negate());
        return Diff.of(expected, actual);
    }

    /**
     * The outcome of one comparison.
     *
     * @param expectedCount documents the database says the index holds
     * @param actualCount documents the index holds
     * @param missing ids expected but absent
     * @param extra ids present but not expected
     * @param different ids present on both sides with different content, each with its first difference
     */
    record Diff(int expectedCount, int actualCount, List<String> missing, List<String> extra, Map<String, String> different) {

        static Diff of(Map<String, JsonNode> expected, Map<String, JsonNode> actual) {
            List<String> missing = new ArrayList<>();
            Map<String, String> different = new TreeMap<>();
            expected.forEach((id, document) -> {
                JsonNode stored = actual.get(id);
                if (stored == null) {
                    missing.add(id);
                } else {
                    Optional<String> difference = Documents.difference(document, stored);
                    difference.ifPresent(text -> different.put(id, text));
                }
            });
            List<String> extra = new ArrayList<>(actual.keySet());
            extra.removeAll(expected.keySet());
            return new Diff(expected.size(), actual.size(), missing, extra, different);
        }

        boolean isEmpty() {
            return missing.isEmpty() && extra.isEmpty() && different.isEmpty();
        }

        Set<String> differentIds() {
            return different.keySet();
        }

        @Override
        public String toString() {
            if (isEmpty()) {
                return "no differences (" + expectedCount + " documents)";
            }
            StringBuilder text = new StringBuilder().append(expectedCount).append(" expected, ").append(actualCount)
                    .append(" stored; missing ").append(missing.size()).append(", extra ").append(extra.size())
                    .append(", different ").append(different.size());
            text.append("\n  missing: ").append(abbreviate(missing));
            text.append("\n  extra: ").append(abbreviate(extra));
            different.entrySet().stream().limit(20).forEach(entry ->
                    text.append("\n  different ").append(entry.getKey()).append(": ").append(entry.getValue()));
            return text.toString();
        }

        private static String abbreviate(List<String> ids) {
            return ids.size() <= 30 ? ids.toString() : ids.subList(0, 30) + " … (" + ids.size() + ")";
        }
    }
}
