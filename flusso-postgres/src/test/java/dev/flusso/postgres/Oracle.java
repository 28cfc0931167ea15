package dev.flusso.postgres;

import dev.flusso.testing.postgres.PostgresDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The documents of the property's schema, from plain per-table reads assembled in Java: no builder SQL. */
final class Oracle {

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
