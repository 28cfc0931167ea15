package dev.flusso.postgres;

import dev.flusso.testing.postgres.PostgresDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A nested schema (children with grandchildren, a many-to-many, a count), its tables, and its documents computed from
 * plain per-table reads assembled in Java: no builder SQL. Shared by the property and the end-to-end test.
 */
final class Oracle {

    static final String DDL = """
            CREATE TABLE parent (id int PRIMARY KEY, name text);
            CREATE TABLE child (id int PRIMARY KEY, parent_id int, v int);
            CREATE TABLE grandchild (id int PRIMARY KEY, child_id int, w int);
            CREATE TABLE tag (id int PRIMARY KEY, name text);
            CREATE TABLE parent_tag (parent_id int, tag_id int, PRIMARY KEY (parent_id, tag_id));
            """;

    static final String SCHEMA = """
            version: 1
            table: parent
            primary_key: id
            fields:
              - text: name
              - has_many: children
                table: child
                primary_key: id
                foreign_key: parent_id
                fields:
                  - integer: v
                  - has_many: grandchildren
                    table: grandchild
                    primary_key: id
                    foreign_key: child_id
                    fields:
                      - integer: w
              - many_to_many: tags
                table: tag
                primary_key: id
                through:
                  table: parent_tag
                  left_key: parent_id
                  right_key: tag_id
                fields:
                  - keyword: name
              - count: child_count
                table: child
                foreign_key: parent_id
            """;

    private Oracle() {
    }

    static Map<String, String> documents(PostgresDatabase database) {
        List<Map<String, Object>> parents = database.query("SELECT id, name FROM parent ORDER BY id");
        List<Map<String, Object>> children = database.query("SELECT id, parent_id, v FROM child ORDER BY id");
        List<Map<String, Object>> grandchildren = database.query("SELECT id, child_id, w FROM grandchild ORDER BY id");
        List<Map<String, Object>> tags = database.query("SELECT id, name FROM tag ORDER BY id");
        List<Map<String, Object>> links = database.query("SELECT parent_id, tag_id FROM parent_tag");
        Map<String, String> documents = new TreeMap<>();
        for (Map<String, Object> parent : parents) {
            Object id = parent.get("id");
            StringBuilder json = new StringBuilder("{\"name\": \"" + parent.get("name") + "\", \"children\": [");
            int count = 0;
            for (Map<String, Object> child : children) {
                if (id.equals(child.get("parent_id"))) {
                    json.append(count++ == 0 ? "" : ", ").append("{\"v\": ").append(child.get("v")).append(", \"grandchildren\": [");
                    int grand = 0;
                    for (Map<String, Object> grandchild : grandchildren) {
                        if (child.get("id").equals(grandchild.get("child_id"))) {
                            json.append(grand++ == 0 ? "" : ", ").append("{\"w\": ").append(grandchild.get("w")).append("}");
                        }
                    }
                    json.append("]}");
                }
            }
            json.append("], \"tags\": [");
            int tagCount = 0;
            for (Map<String, Object> tag : tags) {
                boolean linked = links.stream().anyMatch(link -> id.equals(link.get("parent_id")) && tag.get("id").equals(link.get("tag_id")));
                if (linked) {
                    json.append(tagCount++ == 0 ? "" : ", ").append("{\"name\": \"").append(tag.get("name")).append("\"}");
                }
            }
            json.append("], \"child_count\": ").append(count).append("}");
            documents.put(id.toString(), json.toString());
        }
        return documents;
    }
}
