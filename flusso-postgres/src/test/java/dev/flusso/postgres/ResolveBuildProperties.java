package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random parents, children, grandchildren and junction rows, and a random batch of changes: resolve finds every
 * document whose content changed, and build gives what an independent oracle (plain per-table reads assembled in
 * Java) gives.
 */
class ResolveBuildProperties {

    private static final int PARENTS = 4;

    @Property(tries = 25)
    void resolveAndBuildAgreeWithTheOracle(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 3) Integer> childParents,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 7) Integer> grandchildChildren,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 15) Integer> links,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 5) Integer> operations,
            @ForAll @Size(min = 6, max = 6) List<@IntRange(min = 0, max = 7) Integer> targets) {
        try (Fixture fixture = new Fixture(Oracle.DDL, Oracle.SCHEMA)) {
            StringBuilder seed = new StringBuilder();
            for (int p = 0; p < PARENTS; p++) {
                seed.append("INSERT INTO parent VALUES (").append(p).append(", 'p").append(p).append("');");
            }
            for (int t = 0; t < 4; t++) {
                seed.append("INSERT INTO tag VALUES (").append(t).append(", 't").append(t).append("');");
            }
            for (int c = 0; c < childParents.size(); c++) {
                seed.append("INSERT INTO child VALUES (").append(c).append(", ").append(childParents.get(c)).append(", ")
                        .append(c * 10).append(");");
            }
            for (int g = 0; g < grandchildChildren.size(); g++) {
                seed.append("INSERT INTO grandchild VALUES (").append(g).append(", ").append(grandchildChildren.get(g) % childParents.size())
                        .append(", ").append(g).append(");");
            }
            for (int link : new TreeSet<>(links)) {
                seed.append("INSERT INTO parent_tag VALUES (").append(link / 4).append(", ").append(link % 4).append(");");
            }
            fixture.database.execute(seed.toString());
            Map<String, String> before = Oracle.documents(fixture.database);

            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < operations.size(); i++) {
                changes.add(apply(fixture, operations.get(i), targets.get(i), childParents.size()));
            }
            Map<String, String> after = Oracle.documents(fixture.database);

            Set<String> resolved = fixture.resolve(changes.stream().filter(c -> c != null).toArray(Change[]::new));
            for (String id : new TreeSet<>(before.keySet())) {
                if (!before.get(id).equals(after.get(id))) {
                    assertTrue(resolved.contains(id), "document " + id + " changed from " + before.get(id) + " to "
                            + after.get(id) + " but resolve found only " + resolved + " for " + changes);
                }
            }
            List<String> all = new ArrayList<>();
            for (int p = 0; p < PARENTS; p++) {
                all.add(Integer.toString(p));
            }
            Map<String, String> built = fixture.build(fixture.index(), all);
            for (Map.Entry<String, String> entry : new TreeMap<>(after).entrySet()) {
                fixture.assertJson(entry.getValue(), built.get(entry.getKey()));
            }
        }
    }

    /** Applies one random change to the database and returns the change a capture would report. */
    private static Change apply(Fixture fixture, int operation, int target, int children) {
        int child = target % children;
        return switch (operation) {
            case 0 -> {
                int from = parentOf(fixture, child);
                int to = (from + 1 + target) % PARENTS;
                fixture.database.execute("UPDATE child SET parent_id = " + to + " WHERE id = " + child);
                yield Fixture.update("child", values("id", child), values("parent_id", from), values("parent_id", to));
            }
            case 1 -> {
                int from = parentOf(fixture, child);
                fixture.database.execute("DELETE FROM child WHERE id = " + child);
                yield from < 0 ? null : Fixture.delete("child", values("id", child), values("parent_id", from));
            }
            case 2 -> {
                fixture.database.execute("UPDATE tag SET name = 'renamed" + target + "' WHERE id = " + (target % 4));
                yield Fixture.update("tag", values("id", target % 4), values(), values("name", "renamed" + target));
            }
            case 3 -> {
                int parent = target % PARENTS;
                int tag = target % 4;
                fixture.database.execute("INSERT INTO parent_tag VALUES (" + parent + ", " + tag + ") ON CONFLICT DO NOTHING");
                yield Fixture.insert("parent_tag", values("parent_id", parent, "tag_id", tag), values("parent_id", parent, "tag_id", tag));
            }
            case 4 -> {
                int id = 100 + target;
                fixture.database.execute("INSERT INTO grandchild VALUES (" + id + ", " + child + ", 7) ON CONFLICT (id) DO UPDATE SET w = 8");
                yield Fixture.insert("grandchild", values("id", id), values("child_id", child));
            }
            default -> {
                int parent = target % PARENTS;
                fixture.database.execute("UPDATE parent SET name = 'n" + target + "' WHERE id = " + parent);
                yield Fixture.update("parent", values("id", parent), values(), values("name", "n" + target));
            }
        };
    }

    private static int parentOf(Fixture fixture, int child) {
        var rows = fixture.database.query("SELECT parent_id FROM child WHERE id = " + child);
        return rows.isEmpty() ? -1 : (Integer) rows.get(0).get("parent_id");
    }
}
