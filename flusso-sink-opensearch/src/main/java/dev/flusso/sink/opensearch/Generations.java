package dev.flusso.sink.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flusso.api.FlussoException;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.RetriableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Index generations and the state kept about them in the destination's metadata index.
 *
 * <p>Each logical index is served by one concrete generation behind its alias. A changed fingerprint creates a new
 * generation that receives every write and is backfilled while the alias still points at the old one; when it is
 * seeded it is refreshed, the alias moves to it in one {@code _aliases} request (searches never see an empty
 * alias), and the old generation is deleted. Every step records its outcome in the metadata document first where a
 * crash would otherwise lose it, so a restart on any machine picks up where the last one stopped.
 */
final class Generations {

    private static final Logger LOG = LoggerFactory.getLogger(Generations.class);
    /** Tombstones of external versions outlive any flush and its retries; see the README for why an hour is enough. */
    static final String GC_DELETES = "1h";

    private final Connection connection;
    private final IndexNames names;
    private final SinkConfig config;
    private final Map<String, IndexState> states = new HashMap<>();
    private final Map<String, IndexDefinition> definitions = new HashMap<>();
    private boolean metaReady;

    Generations(Connection connection, IndexNames names, SinkConfig config) {
        this.connection = connection;
        this.names = names;
        this.config = config;
    }

    void ensure(IndexDefinition definition) {
        ensureMetaIndex();
        String logical = definition.name();
        definitions.put(logical, definition);
        String wanted = names.generation(logical, definition.fingerprint());
        IndexState state = load(logical);
        if (state == null) {
            create(definition, wanted, true);
            state = IndexState.fresh(wanted);
        } else if (sameSchema(state.target(), wanted)) {
            if (!exists(state.target())) {
                LOG.warn("index '{}' of '{}' is gone: creating it again and backfilling", state.target(), logical);
                create(definition, state.target(), state.building() == null);
                state = state.unseeded();
            }
            if (state.building() == null) {
                pointAlias(logical, state.target());
            }
        } else if (sameSchema(state.active(), wanted)) {
            // The schema went back to the serving generation before the new one was ready: drop the new one.
            deleteIndex(state.building());
            state = state.withoutBuilding();
        } else {
            if (state.building() != null) {
                deleteIndex(state.building());
            }
            LOG.info("schema of '{}' changed: building generation '{}' while '{}' serves", logical, wanted, state.active());
            create(definition, wanted, state.active() == null);
            state = state.building(wanted);
        }
        save(logical, state);
    }

    /**
     * Starts a rebuild: a new generation of the same schema, written to from now on and backfilled while the serving
     * one answers searches; {@link #markSeeded} swaps it in and removes the old one with whatever it held.
     */
    void rebuild(String logical) {
        IndexState state = requireState(logical);
        IndexDefinition definition = definitions.get(logical);
        if (definition == null) {
            throw new FlussoException("index '" + logical + "' cannot be rebuilt before ensureIndex is called for it");
        }
        String base = names.generation(logical, definition.fingerprint());
        if (state.building() == null && !state.seeded() && sameSchema(state.active(), base) && holdsNothing(state.active())) {
            // A first start's generation, which never held a document: nothing to serve meanwhile, nothing to drop
            // afterwards, so the backfill fills it rather than a successor made beside it.
            save(logical, state.unseeded());
            return;
        }
        String next = base + REBUILD + (rebuildNumber(state.target(), base) + 1);
        if (state.building() != null) {
            deleteIndex(state.building());
        }
        LOG.info("rebuilding '{}' into generation '{}' while '{}' serves", logical, next, state.active());
        create(definition, next, false);
        save(logical, state.building(next));
    }

    /** A rebuilt generation is its schema's generation with a rebuild number: {@code users_1a2b3c4d5e6f_r2}. */
    private static final String REBUILD = "_r";

    private static boolean sameSchema(String generation, String wanted) {
        return generation != null && (generation.equals(wanted) || generation.startsWith(wanted + REBUILD));
    }

    private static int rebuildNumber(String generation, String base) {
        if (generation == null || !generation.startsWith(base + REBUILD)) {
            return 0;
        }
        try {
            return Integer.parseInt(generation.substring(base.length() + REBUILD.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String target(String logical) {
        IndexState state = state(logical);
        if (state == null) {
            throw new FlussoException("index '" + logical + "' has no generation in OpenSearch: ensureIndex was not called for it");
        }
        return state.target();
    }

    /**
     * {@return the generation writes go to, read again from the metadata index} Another process may have started a
     * rebuild or swapped generations since this one cached the state: a worker of a capture running elsewhere.
     */
    String currentTarget(String logical) {
        if (states.containsKey(logical)) {
            IndexState fresh = load(logical);
            if (fresh != null && fresh.target() != null) {
                states.put(logical, fresh);
            }
        }
        return target(logical);
    }

    /**
     * {@return the generation that serves searches while a rebuild of the same schema fills its successor, from the
     * state {@link #currentTarget} read last} Writes go to both, so searches keep seeing live changes until the swap.
     * Empty when no rebuild is under way, when the serving generation was never seeded, and while a new schema is
     * built: the serving generation's mapping is another.
     */
    Optional<String> servingDuringRebuild(String logical) {
        IndexState state = states.get(logical);
        IndexDefinition definition = definitions.get(logical);
        // A serving generation that was never seeded (a first start's, or one a crash left half filled) serves
        // nothing worth keeping current: copying the whole backfill into it would only double the work.
        if (state == null || definition == null || state.building() == null || state.active() == null || !state.seeded()) {
            return Optional.empty();
        }
        String base = names.generation(logical, definition.fingerprint());
        boolean rebuild = state.building().startsWith(base + REBUILD) && sameSchema(state.active(), base);
        return rebuild ? Optional.of(state.active()) : Optional.empty();
    }

    boolean isSeeded(String logical) {
        IndexState state = state(logical);
        return state != null && state.building() == null && state.seeded();
    }

    Optional<String> checkpoint(String logical) {
        IndexState state = state(logical);
        return state == null ? Optional.empty() : Optional.ofNullable(state.checkpoint());
    }

    void saveCheckpoint(String logical, String checkpoint) {
        save(logical, requireState(logical).withCheckpoint(checkpoint));
    }

    void markSeeded(String logical) {
        IndexState state = requireState(logical);
        String target = state.target();
        // Make everything backfilled searchable before anyone searches it through the alias.
        expectOk(connection.post("/" + target + "/_refresh", null), "refresh of index '" + target + "'");
        Map<String, Object> interval = Map.of("index", Map.of("refresh_interval", config.refreshInterval()));
        expectOk(connection.put("/" + target + "/_settings", Json.write(interval)), "settings of index '" + target + "'");
        pointAlias(logical, target);
        save(logical, state.seededTarget());
        if (state.building() != null && state.active() != null) {
            deleteIndex(state.active());
            LOG.info("generation '{}' of '{}' is live; removed '{}'", target, logical, state.active());
        }
    }

    /**
     * Records in the state of every index this sink ensured that every change up to the version is durable: one bulk
     * request of partial updates, which leave the rest of each state as another process may have just written it.
     * Touches nothing cached, so it may run on another thread than the flush's; {@link #recorded} reads afresh.
     */
    void recordVersion(long version) {
        if (definitions.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder();
        for (String logical : definitions.keySet()) {
            body.append(new String(Json.write(Map.of("update", Map.of("_index", names.meta(), "_id", logical, "retry_on_conflict", 3))),
                    java.nio.charset.StandardCharsets.UTF_8)).append('\n');
            body.append(new String(Json.write(Map.of("doc", Map.of(IndexState.RECORDED, version))),
                    java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        JsonNode answer = expectOk(connection.post("/_bulk", body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "recording version " + version + " in '" + names.meta() + "'");
        if (answer.path("errors").asBoolean(false)) {
            for (JsonNode item : answer.path("items")) {
                JsonNode result = item.path("update");
                ItemOutcome outcome = ItemOutcome.of(result);
                // A version conflict is success for a versioned write, but here it means the update was not applied.
                boolean conflict = result.path("status").asInt() == 409;
                if (outcome == ItemOutcome.DONE && !conflict) {
                    continue;
                }
                String message = "recording version " + version + " for index '" + result.path("_id").asText() + "' in '"
                        + names.meta() + "' failed: " + ItemOutcome.reason(result);
                // Load, a busy shard, or workers of one group updating the same state at once: the flush is retried.
                if (outcome == ItemOutcome.RETRY || conflict) {
                    throw new RetriableException(message);
                }
                throw new FlussoException(message);
            }
        }
    }

    /**
     * {@return the version last recorded for the index, see {@link #recordVersion}} Read again from the metadata index,
     * not the cache: the engine asks after it has read the source's position, and another process may have recorded a
     * newer version since this one cached the state.
     */
    java.util.OptionalLong recorded(String logical) {
        ensureMetaIndex();
        IndexState state = load(logical);
        return state == null || state.recorded() == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(state.recorded());
    }

    /**
     * {@return the index's generations and seeded state, read from the metadata index without touching the cache}
     * Any thread.
     */
    java.util.Map<String, Object> describe(String logical) {
        IndexState state = load(logical);
        java.util.Map<String, Object> described = new java.util.LinkedHashMap<>();
        described.put("alias", names.alias(logical));
        if (state == null) {
            described.put("state", "not created");
            return described;
        }
        described.put("generation", state.active());
        if (state.building() != null) {
            described.put("building", state.building());
        }
        described.put("seeded", state.building() == null && state.seeded());
        if (state.recorded() != null) {
            described.put("recorded_version", state.recorded());
        }
        return described;
    }

    private IndexState requireState(String logical) {
        IndexState state = state(logical);
        if (state == null) {
            throw new FlussoException("index '" + logical + "' has no state in OpenSearch: ensureIndex was not called for it");
        }
        return state;
    }

    private IndexState state(String logical) {
        IndexState state = states.get(logical);
        if (state == null) {
            ensureMetaIndex();
            state = load(logical);
            if (state != null) {
                states.put(logical, state);
            }
        }
        return state;
    }

    private IndexState load(String logical) {
        Reply reply = connection.get("/" + names.meta() + "/_doc/" + IndexNames.segment(logical));
        if (reply.status() == 404) {
            return null;
        }
        expectOk(reply, "state of index '" + logical + "' in '" + names.meta() + "'");
        return IndexState.fromJson(reply.json().path("_source"));
    }

    /**
     * Writes the state, all but the recorded version: a partial update, so a version another process recorded
     * meanwhile (the process a rolling deployment replaces, still flushing) is not put back to this one's older copy.
     */
    private void save(String logical, IndexState state) {
        Map<String, Object> body = Map.of("doc", state.toJson(logical), "doc_as_upsert", true);
        Reply reply = connection.post("/" + names.meta() + "/_update/" + IndexNames.segment(logical) + "?retry_on_conflict=3",
                Json.write(body));
        expectOk(reply, "saving the state of index '" + logical + "' in '" + names.meta() + "'");
        states.put(logical, state);
    }

    private void ensureMetaIndex() {
        if (metaReady) {
            return;
        }
        if (!exists(names.meta())) {
            Map<String, Object> body = Map.of(
                    "settings", Map.of("index", Map.of("number_of_shards", 1, "auto_expand_replicas", "0-1", "hidden", true)),
                    "mappings", Map.of("dynamic", false));
            createIndex(names.meta(), body);
        }
        metaReady = true;
    }

    private void create(IndexDefinition definition, String name, boolean withAlias) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("settings", settings(definition));
        body.put("mappings", definition.mapping());
        if (withAlias) {
            body.put("aliases", Map.of(names.alias(definition.name()), Map.of()));
        }
        createIndex(name, body);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> settings(IndexDefinition definition) {
        Map<String, Object> settings = new LinkedHashMap<>(definition.settings());
        Object nested = settings.get("index");
        Map<String, Object> index = nested instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
        // Seeding refreshes only when it is done; afterwards refresh_interval applies.
        index.put("refresh_interval", "-1");
        index.put("gc_deletes", GC_DELETES);
        config.numberOfShards().ifPresent(shards -> index.put("number_of_shards", shards));
        config.numberOfReplicas().ifPresent(replicas -> index.put("number_of_replicas", replicas));
        settings.put("index", index);
        return settings;
    }

    private void createIndex(String name, Map<String, Object> body) {
        Reply reply = connection.put("/" + name, Json.write(body));
        if (reply.ok() || reply.error().startsWith("resource_already_exists_exception")) {
            return;
        }
        throw new FlussoException("cannot create index '" + name + "': OpenSearch answered HTTP " + reply.status() + " " + reply.error());
    }

    private void pointAlias(String logical, String index) {
        String alias = names.alias(logical);
        List<String> holders = new ArrayList<>();
        Reply current = connection.get("/_alias/" + alias);
        if (current.ok()) {
            for (Iterator<String> it = current.json().fieldNames(); it.hasNext(); ) {
                holders.add(it.next());
            }
        } else if (current.status() != 404) {
            expectOk(current, "alias '" + alias + "'");
        }
        if (holders.equals(List.of(index))) {
            return;
        }
        List<Object> actions = new ArrayList<>();
        for (String holder : holders) {
            if (!holder.equals(index)) {
                actions.add(Map.of("remove", Map.of("index", holder, "alias", alias)));
            }
        }
        actions.add(Map.of("add", Map.of("index", index, "alias", alias)));
        // One request: the alias moves atomically, so a search through it never finds nothing.
        expectOk(connection.post("/_aliases", Json.write(Map.of("actions", actions))), "moving alias '" + alias + "' to '" + index + "'");
    }

    /** {@return whether the index holds no document, buffered ones included: it is refreshed first} */
    private boolean holdsNothing(String index) {
        expectOk(connection.post("/" + index + "/_refresh", null), "refresh of index '" + index + "'");
        JsonNode count = expectOk(connection.get("/" + index + "/_count"), "count of index '" + index + "'");
        return count.path("count").asLong(-1) == 0;
    }

    private boolean exists(String index) {
        Reply reply = connection.get("/" + index + "/_settings");
        if (reply.status() == 404) {
            return false;
        }
        expectOk(reply, "index '" + index + "'");
        return true;
    }

    private void deleteIndex(String index) {
        Reply reply = connection.delete("/" + index);
        if (reply.status() != 404) {
            expectOk(reply, "deleting index '" + index + "'");
        }
    }

    static JsonNode expectOk(Reply reply, String what) {
        if (!reply.ok()) {
            throw new FlussoException(what + ": OpenSearch answered HTTP " + reply.status() + " " + reply.error());
        }
        return reply.body().length == 0 ? null : reply.json();
    }
}
