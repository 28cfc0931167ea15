package dev.flusso.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the destination records about one logical index, in the metadata index under the logical name.
 *
 * @param active the generation the alias points at, or {@code null} before the first one exists
 * @param building a newer generation being backfilled while {@code active} serves, or {@code null}
 * @param seeded whether the generation written to ({@link #target()}) is completely backfilled
 * @param checkpoint how far the target's interrupted backfill got, or {@code null}
 */
record IndexState(String active, String building, boolean seeded, String checkpoint) {

    static IndexState fresh(String generation) {
        return new IndexState(generation, null, false, null);
    }

    /** {@return the generation that writes go to} */
    String target() {
        return building != null ? building : active;
    }

    /**
     * {@return the state while {@code generation} is built beside the active one} {@code seeded} keeps saying whether
     * the active generation holds a complete backfill; the index as a whole is unseeded until the swap.
     */
    IndexState building(String generation) {
        return new IndexState(active, generation, seeded, null);
    }

    IndexState withCheckpoint(String newCheckpoint) {
        return new IndexState(active, building, seeded, newCheckpoint);
    }

    /** {@return the state once the target is seeded: a building generation becomes the active one} */
    IndexState seededTarget() {
        return new IndexState(target(), null, true, null);
    }

    Map<String, Object> toJson(String logical) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", logical);
        json.put("active", active);
        json.put("building", building);
        json.put("seeded", seeded);
        json.put("checkpoint", checkpoint);
        return json;
    }

    static IndexState fromJson(JsonNode source) {
        return new IndexState(text(source, "active"), text(source, "building"), source.path("seeded").asBoolean(false),
                text(source, "checkpoint"));
    }

    private static String text(JsonNode source, String field) {
        JsonNode value = source.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
