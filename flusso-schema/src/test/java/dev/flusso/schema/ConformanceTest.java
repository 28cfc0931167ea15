package dev.flusso.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flusso.api.IndexDefinition;
import dev.flusso.api.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The original tool's documented examples and fixtures, re-typed: they parse, and map as its documentation says. */
class ConformanceTest {

    private static final Map<String, String> ENV = Map.of();

    @Test
    void guideCompleteExampleMapsAsDocumented() {
        CompiledIndex users = new CompiledIndex("users", "users.schema.yml", true, null, Resources.schema("conformance/users.schema.yml"));
        assertEquals(Resources.json("conformance/users.mapping.json"), users.mapping(), "mapping of the guide's users example");
        assertEquals(Resources.json("conformance/users.settings.json"), users.settings(), "settings of the guide's users example");
    }

    @Test
    void guideCompleteExampleKeepsNullabilityRules() {
        IndexSchema schema = Resources.schema("conformance/users.schema.yml");
        ScalarField id = (ScalarField) schema.fields().get(0);
        assertFalse(id.nullable(), "the primary-key field 'id' is never null, even with required: false");
        ScalarField name = (ScalarField) schema.fields().get(2);
        assertTrue(name.nullable(), "field 'name' with required: false is nullable");
        JoinField orders = (JoinField) schema.fields().get(3);
        assertFalse(((ScalarField) orders.fields().get(0)).nullable(), "the join's own primary key 'orders.id' is never null");
        assertEquals(new SoftDelete(null, "deleted", true, List.of()), schema.softDelete(), "soft delete of users");
    }

    @Test
    void everyKindFixtureParsesAndMapsEachKind() {
        CompiledIndex index = new CompiledIndex("users", "every-kind.schema.yml", true, null, Resources.schema("conformance/every-kind.schema.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) index.mapping().get("properties");
        assertEquals("flusso_code", properties.get("sku").get("analyzer"), "identifier 'sku' uses the code analyser");
        assertEquals("text", properties.get("sku").get("type"), "identifier 'sku' is text");
        assertEquals(Map.of("type", "geo_point"), properties.get("location"), "geo 'location'");
        assertEquals(Map.of("type", "scaled_float", "scaling_factor", 100L), properties.get("price"), "custom 'price'");
        assertEquals("object", properties.get("account").get("type"), "object 'account'");
        assertEquals("object", properties.get("profile").get("type"), "has_one 'profile'");
        assertEquals("object", properties.get("organization").get("type"), "belongs_to 'organization'");
        assertEquals("nested", properties.get("orders").get("type"), "has_many 'orders'");
        assertEquals(Map.of("type", "long"), properties.get("orderCount"), "count 'orderCount'");
        assertEquals(Map.of("type", "double"), properties.get("lifetimeValue"), "sum 'lifetimeValue' of decimal");
        assertEquals("keyword", properties.get("source").get("type"), "string constant 'source'");
        assertTrue(properties.get("fullName").containsKey("fields"), "text 'fullName' has its sub-fields");
    }

    @Test
    void everyKindFixtureListsEveryTableItReads() {
        CompiledIndex index = new CompiledIndex("users", "every-kind.schema.yml", true, null, Resources.schema("conformance/every-kind.schema.yml"));
        IndexDefinition definition = index.toDefinition();
        assertEquals(new TableRef("public", "users"), definition.root(), "root of the every-kind fixture");
        assertEquals(List.of("id"), definition.keyColumns(), "key columns of the every-kind fixture");
        assertEquals(Set.of(new TableRef("public", "users"), new TableRef("public", "profiles"),
                new TableRef("public", "organizations"), new TableRef("public", "orders")), definition.tables(),
                "tables of the every-kind fixture");
        assertEquals(64, definition.fingerprint().length(), "fingerprint is 64 hex digits");
    }

    @Test
    void loaderFixtureLoadsBothIndexesWithTheDisabledOneKept() {
        Deployment deployment = Deployment.load(Resources.path("conformance/loader/flusso.toml"), ENV::get);
        assertEquals(List.of("orders", "users"), deployment.indexes().stream().map(CompiledIndex::name).toList(), "index names");
        assertEquals(List.of("users"), deployment.enabledIndexes().stream().map(CompiledIndex::name).toList(), "enabled indexes");
        assertEquals(Set.of("primary"), deployment.sinks().keySet(), "sinks");
        assertTrue(deployment.source().requireString("connection_url").contains("localhost"), "literal source URL");
        CompiledIndex users = deployment.index("users").orElseThrow();
        assertEquals(2, users.schema().fields().size(), "fields of users");
        @SuppressWarnings("unchecked")
        Map<String, Object> id = (Map<String, Object>) ((Map<String, Object>) users.mapping().get("properties")).get("id");
        assertEquals("keyword", id.get("type"), "users.id is a keyword");
    }

    @Test
    void guideCompleteConfigKeepsSecretsAsReferences() {
        Deployment deployment = Deployment.load(Resources.path("conformance/guide/flusso.toml"), ENV::get);
        assertEquals(Map.of("env", "DATABASE_URL"), deployment.source().asMap().get("connection_url"), "source URL reference");
        SinkConfig primary = deployment.sinks().get("primary");
        assertEquals(Map.of("env", "OS_PASSWORD"), primary.settings().asMap().get("password"), "primary password reference");
        assertEquals(List.of("audit", "primary"), List.copyOf(deployment.sinks().keySet()), "sinks in name order");
        assertEquals("stdout", deployment.sinks().get("audit").type(), "type of sink 'audit'");
    }
}
