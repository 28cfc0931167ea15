package dev.flusso.postgres;

import static dev.flusso.postgres.Fixture.delete;
import static dev.flusso.postgres.Fixture.insert;
import static dev.flusso.postgres.Fixture.update;
import static dev.flusso.postgres.Fixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flusso.api.Change;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Resolve for aggregates: a changed junction row, a changed row reached through a junction and a changed child row
 * of a filtered aggregate rebuild the documents that aggregate them, and only those. Tables and rows of
 * {@link AggregatesTest}: shop 1 links products 100, 101, 102; shop 3 links 100 and 103; shop 2 links none.
 */
class AggregateResolveTest {

    @Test
    void rebuildsTheShopsOfAnInsertedDeletedOrMovedJunctionRow() {
        try (Fixture fixture = new Fixture(AggregatesTest.DDL, AggregatesTest.SCHEMA)) {
            assertEquals(Set.of("2"), fixture.resolve(insert("shop_products", values("shop_id", 2, "product_id", 102),
                    values("shop_id", 2, "product_id", 102))), "a new link of shop 2");
            assertEquals(Set.of("1"), fixture.resolve(delete("shop_products", values("shop_id", 1, "product_id", 101),
                    values())), "a removed link of shop 1, its key alone");
            fixture.database.execute("UPDATE shop_products SET shop_id = 2 WHERE shop_id = 1 AND product_id = 100");
            assertEquals(Set.of("1", "2"), fixture.resolve(update("shop_products", values("shop_id", 2, "product_id", 100),
                    values("shop_id", 1, "product_id", 100), values("shop_id", 2, "product_id", 100))),
                    "a link moved from shop 1 to shop 2: both");
        }
    }

    @Test
    void rebuildsEveryShopLinkedToAChangedProductAndNoOther() {
        try (Fixture fixture = new Fixture(AggregatesTest.DDL, AggregatesTest.SCHEMA)) {
            assertEquals(Set.of("1", "3"), fixture.resolve(update("products", values("id", 100),
                    values("price", "3.00"), values("price", "4.00"))), "product 100 is linked to shops 1 and 3");
            assertEquals(Set.of("1"), fixture.resolve(update("products", values("id", 101),
                    values("stock", 0), values("stock", 9))), "product 101 is linked to shop 1 only");
            assertEquals(Set.of("3"), fixture.resolve(update("products", values("id", 103),
                    values("active", true), values("active", false))), "a filter column of product 103, linked to shop 3");
            assertEquals(Set.of("1"), fixture.resolve(delete("products", values("id", 102), values())),
                    "a deleted product still linked to shop 1");
            assertEquals(Set.of("1", "3"), fixture.resolve(
                    update("products", values("id", 101), values("added", "2023-06-01"), values("added", "2023-06-02")),
                    update("products", values("id", 103), values("added", "2000-01-01"), values("added", "2001-01-01"))),
                    "two products of one batch");
        }
    }

    @Test
    void rebuildsNothingForAnUpdateOfColumnsNoAggregateReads() {
        try (Fixture fixture = new Fixture(AggregatesTest.DDL, AggregatesTest.SCHEMA)) {
            Change name = update("products", values("id", 100),
                    values("name", "pen", "price", "3.00", "stock", 10, "added", "2024-02-01", "active", true),
                    values("name", "quill", "price", "3.00", "stock", 10, "added", "2024-02-01", "active", true));
            assertEquals(Set.of(), fixture.resolve(name), "only the unread 'name' of product 100 changed");
            Change note = update("orders", values("id", 10),
                    values("shop_id", 1, "status", "paid", "qty", 2, "total", "12.50", "placed", "2024-01-05", "note", "n"),
                    values("shop_id", 1, "status", "paid", "qty", 2, "total", "12.50", "placed", "2024-01-05", "note", "m"));
            assertEquals(Set.of(), fixture.resolve(note), "only the unread 'note' of order 10 changed");
        }
    }

    @Test
    void rebuildsTheShopsOfAnOrderLeavingTheFiltersOrMovingBetweenShops() {
        try (Fixture fixture = new Fixture(AggregatesTest.DDL, AggregatesTest.SCHEMA)) {
            Change cancelled = update("orders", values("id", 10), values("shop_id", 1, "status", "paid"),
                    values("shop_id", 1, "status", "cancelled"));
            assertEquals(Set.of("1"), fixture.resolve(cancelled), "order 10 of shop 1 no longer paid");
            fixture.database.execute("UPDATE orders SET shop_id = 3 WHERE id = 14");
            Change moved = update("orders", values("id", 14), values("shop_id", 2), values("shop_id", 3));
            assertEquals(Set.of("2", "3"), fixture.resolve(moved), "order 14 moved from shop 2 to shop 3: both");
        }
    }

    @Test
    void rebuildsEveryShopWhenTheJunctionIsTruncated() {
        try (Fixture fixture = new Fixture(AggregatesTest.DDL, AggregatesTest.SCHEMA)) {
            Change truncate = Change.truncate(fixture.table("shop_products"), 1, Fixture.POSITION);
            assertEquals(Set.of("1", "2", "3"), fixture.resolve(truncate));
        }
    }

    @Test
    void followsCompositeKeysThroughTheJunctionToTheRightShops() {
        String schema = """
                version: 2
                table: shops
                primary_key: id
                fields:
                  - count: suppliers
                    table: suppliers
                    through:
                      table: shop_suppliers
                      left_key: shop_id
                      right_key: [country, code]
                """;
        try (Fixture fixture = new Fixture(AggregatesTest.COMPOSITE_DDL, schema)) {
            assertEquals(Set.of("1"), fixture.resolve(delete("suppliers", values("country", "it", "code", "a|b"),
                    values())), "supplier ('it', 'a|b') is linked to shop 1");
            assertEquals(Set.of("2"), fixture.resolve(insert("shop_suppliers",
                    values("shop_id", 2, "country", "it", "code", "a|b"), values())), "a new link of shop 2");
        }
    }

    @Test
    void rebuildsCompositeRootKeysOfAChangedRowReachedThroughTheJunction() {
        String ddl = """
                CREATE TABLE lines (order_id int, line_no text, PRIMARY KEY (order_id, line_no));
                CREATE TABLE tags (id int PRIMARY KEY, weight int);
                CREATE TABLE line_tags (order_id int, line_no text, tag_id int, PRIMARY KEY (order_id, line_no, tag_id));
                INSERT INTO lines VALUES (1, 'a|b'), (1, 'c'), (2, 'a|b');
                INSERT INTO tags VALUES (7, 3), (8, 4);
                INSERT INTO line_tags VALUES (1, 'a|b', 7), (2, 'a|b', 7), (2, 'a|b', 8), (1, 'c', 8);
                """;
        String schema = """
                version: 2
                table: lines
                primary_key: [order_id, line_no]
                fields:
                  - sum: weight
                    table: tags
                    column: weight
                    value_type: long
                    through:
                      table: line_tags
                      left_key: [order_id, line_no]
                      right_key: tag_id
                """;
        try (Fixture fixture = new Fixture(ddl, schema)) {
            String first = DocumentIds.encode(List.of("1", "a|b"));
            String second = DocumentIds.encode(List.of("2", "a|b"));
            assertEquals("{\"weight\" : 7}", fixture.document(second), "line (2, 'a|b'): tags 7 and 8");
            assertEquals(Set.of(first, second), fixture.resolve(update("tags", values("id", 7), values("weight", 3),
                    values("weight", 5))), "tag 7 is linked to lines (1, 'a|b') and (2, 'a|b')");
            assertEquals(Set.of(first), fixture.resolve(delete("line_tags",
                    values("order_id", 1, "line_no", "a|b", "tag_id", 7), values())), "a removed link of line (1, 'a|b')");
        }
    }
}
