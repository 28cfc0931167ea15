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
 * @param recorded the highest version every change up to which is durable in the index, or {@code null}; see
 *     {@link dev.flusso.api.Sink#recordVersion}
 */
record IndexState(String active, String building, boolean seeded, String checkpoint, Long recorded) {

    static final String RECORDED = "recorded_version";

    static IndexState fresh(String generation) {
        return new IndexState(generation, null, false, null, null);
    }

    /** {@return the state with the index's contents started over: not seeded, no checkpoint} */
    IndexState unseeded() {
        return new IndexState(active, building, false, null, recorded);
    }

    /** {@return the state once the building generation is dropped and the active one serves on, seeded} */
    IndexState withoutBuilding() {
        return new IndexState(active, null, true, null, recorded);
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
        return new IndexState(active, generation, seeded, null, recorded);
    }

    IndexState withCheckpoint(String newCheckpoint) {
        return new IndexState(active, building, seeded, newCheckpoint, recorded);
    }

    /** {@return the state once the target is seeded: a building generation becomes the active one} */
    IndexState seededTarget() {
        return new IndexState(target(), null, true, null, recorded);
    }

    Map<String, Object> toJson(String logical) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", logical);
        json.put("active", active);
        json.put("building", building);
        json.put("seeded", seeded);
        json.put("checkpoint", checkpoint);
        // The recorded version is written by Generations.recordVersion alone.
        return json;
    }

    static IndexState fromJson(JsonNode source) {
        JsonNode recorded = source.path(RECORDED);
        return new IndexState(text(source, "active"), text(source, "building"), source.path("seeded").asBoolean(false),
                text(source, "checkpoint"), recorded.canConvertToLong() ? recorded.asLong() : null);
    }

    private static String text(JsonNode source, String field) {
        JsonNode value = source.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
