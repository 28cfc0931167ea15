package dev.flusso.testing;

import dev.flusso.api.IndexDefinition;
import dev.flusso.testing.FakeDatabase.Child;
import dev.flusso.testing.FakeDatabase.Parent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The two indexes over a {@link FakeDatabase}, and how their documents look. */
public final class FakeDocuments {

    /** Parents, each with its children. */
    public static final String PARENTS = "parents";
    /** Children, each with its parent's name. */
    public static final String CHILDREN = "children";

    public static final IndexDefinition PARENTS_INDEX = new IndexDefinition(PARENTS, FakeDatabase.PARENT, List.of("id"),
            Set.of(FakeDatabase.PARENT, FakeDatabase.CHILD),
            Map.of("properties", Map.of("name", Map.of("type", "text"), "children", Map.of("type", "nested"))),
            Map.of(), "parents-v1");
    public static final IndexDefinition CHILDREN_INDEX = new IndexDefinition(CHILDREN, FakeDatabase.CHILD, List.of("id"),
            Set.of(FakeDatabase.PARENT, FakeDatabase.CHILD),
            Map.of("properties", Map.of("value", Map.of("type", "keyword"), "parent_name", Map.of("type", "text"))),
            Map.of(), "children-v1");

    private FakeDocuments() {
    }

    static String parent(Parent parent, List<Child> children) {
        StringBuilder json = new StringBuilder("{\"id\":").append(parent.id()).append(",\"name\":").append(quote(parent.name()))
                .append(",\"children\":[");
        for (int i = 0; i < children.size(); i++) {
            Child child = children.get(i);
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(child.id()).append(",\"value\":").append(quote(child.value())).append('}');
        }
        return json.append("]}").toString();
    }

    static String child(Child child, Parent parent) {
        return "{\"id\":" + child.id() + ",\"value\":" + quote(child.value()) + ",\"parent_name\":"
                + (parent == null ? "null" : quote(parent.name())) + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
