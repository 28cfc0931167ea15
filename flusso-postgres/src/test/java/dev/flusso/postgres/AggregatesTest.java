package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Aggregates: every op over rows pointing at the document ({@code foreign_key}) with {@code filters}, every op
 * {@code through} a junction, no rows at all, and {@code ids} of composite keys. Documents are compared as the exact
 * text PostgreSQL writes, so numbers keep their digits.
 */
class AggregatesTest {

    // Rows outside the filters carry values that would change every aggregate if they were counted.
    static final String DDL = """
            CREATE TABLE shops (id int PRIMARY KEY, name text);
            CREATE TABLE orders (id int PRIMARY KEY, shop_id int, status text, qty int, total numeric(10,2), placed date,
              note text);
            CREATE TABLE products (id int PRIMARY KEY, name text, price numeric(10,2), stock int, added date, active boolean);
            CREATE TABLE shop_products (shop_id int, product_id int, PRIMARY KEY (shop_id, product_id));
            INSERT INTO shops VALUES (1, 'full'), (2, 'empty'), (3, 'small');
            INSERT INTO orders VALUES
              (10, 1, 'paid', 2, 12.50, '2024-01-05', 'n'),
              (11, 1, 'cancelled', 100, 999.99, '2020-01-01', 'n'),
              (12, 1, 'paid', 5, 7.25, '2024-03-01', 'n'),
              (13, 1, 'paid', 0, 0.01, '2019-01-01', 'n'),
              (14, 2, 'cancelled', 3, 50.00, '2024-02-02', 'n');
            INSERT INTO products VALUES
              (100, 'pen', 3.00, 10, '2024-02-01', true),
              (101, 'ink', 5.50, 0, '2023-06-01', false),
              (102, 'pad', 1.25, 4, '2024-05-01', true),
              (103, 'desk', 100.00, 1, '2000-01-01', true);
            INSERT INTO shop_products VALUES (1, 102), (1, 100), (1, 101), (3, 100), (3, 103);
            """;

    static final String SCHEMA = """
            version: 1
            table: shops
            primary_key: id
            fields:
              - count: paid_orders
                table: orders
                foreign_key: shop_id
                filters:
                  - column: status
                    op: eq
                    value: paid
                  - column: qty
                    op: gt
                    value: "0"
              - sum: revenue
                table: orders
                column: total
                value_type: decimal
                foreign_key: shop_id
                filters:
                  - column: status
                    op: eq
                    value: paid
                  - column: qty
                    op: gt
                    value: "0"
              - avg: average_qty
                table: orders
                column: qty
                foreign_key: shop_id
                filters:
                  - column: status
                    op: eq
                    value: paid
                  - column: qty
                    op: gt
                    value: "0"
              - min: first_paid
                table: orders
                column: placed
                value_type: date
                foreign_key: shop_id
                filters:
                  - column: status
                    op: eq
                    value: paid
                  - column: qty
                    op: gt
                    value: "0"
              - max: biggest
                table: orders
                column: total
                value_type: decimal
                foreign_key: shop_id
                filters:
                  - column: status
                    op: eq
                    value: paid
                  - column: qty
                    op: gt
                    value: "0"
              - ids: paid_order_ids
                table: orders
                foreign_key: shop_id
                element_type: integer
                filters:
                  - column: status
                    op: eq
                    value: paid
                  - column: qty
                    op: gt
                    value: "0"
              - count: products
                table: products
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
              - sum: stock
                table: products
                column: stock
                value_type: long
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
              - avg: average_price
                table: products
                column: price
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
              - min: oldest
                table: products
                column: added
                value_type: date
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
              - max: dearest
                table: products
                column: price
                value_type: decimal
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
              - ids: product_ids
                table: products
                element_type: long
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
              - ids: active_product_ids
                table: products
                element_type: keyword
                through:
                  table: shop_products
                  left_key: shop_id
                  right_key: product_id
                filters:
                  - column: active
                    op: eq
                    value: "true"
            """;

    static final String COMPOSITE_DDL = """
            CREATE TABLE shops (id int PRIMARY KEY);
            CREATE TABLE suppliers (country text, code text, rating int, PRIMARY KEY (country, code));
            CREATE TABLE shop_suppliers (shop_id int, country text, code text, PRIMARY KEY (shop_id, country, code));
            CREATE TABLE visits (shop_id int, day date, seq int, PRIMARY KEY (shop_id, day, seq));
            INSERT INTO shops VALUES (1), (2);
            INSERT INTO suppliers VALUES ('it', 'a|b', 5), ('de', 'x\\y', 2), ('fr', 'c', 1), ('de', 'b', 4);
            INSERT INTO shop_suppliers VALUES (1, 'it', 'a|b'), (1, 'de', 'x\\y'), (1, 'fr', 'c'), (2, 'de', 'b');
            INSERT INTO visits VALUES (1, '2024-05-02', 1), (1, '2024-05-01', 2), (1, '2024-05-01', 1), (2, '2024-01-01', 1);
            """;

    @Test
    void aggregatesOnlyTheChildRowsInsideTheFiltersAndTheRelatedRowsReachedThroughTheJunction() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals("{\"paid_orders\" : 2, \"revenue\" : 19.75, \"average_qty\" : 3.5000000000000000,"
                    + " \"first_paid\" : \"2024-01-05\", \"biggest\" : 12.50, \"paid_order_ids\" : [10, 12],"
                    + " \"products\" : 3, \"stock\" : 14, \"average_price\" : 3.2500000000000000, \"oldest\" : \"2023-06-01\","
                    + " \"dearest\" : 5.50, \"product_ids\" : [100, 101, 102], \"active_product_ids\" : [\"100\", \"102\"]}",
                    fixture.document("1"), "shop 1: orders 10 and 12 (11 is cancelled, 13 has qty 0);"
                            + " products 100, 101 and 102 by its junction rows (103 is linked to shop 3 only)");
        }
    }

    @Test
    void countsARelatedRowSharedByTwoDocumentsForBoth() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals("{\"paid_orders\" : 0, \"revenue\" : null, \"average_qty\" : null, \"first_paid\" : null,"
                    + " \"biggest\" : null, \"paid_order_ids\" : [], \"products\" : 2, \"stock\" : 11,"
                    + " \"average_price\" : 51.5000000000000000, \"oldest\" : \"2000-01-01\", \"dearest\" : 100.00,"
                    + " \"product_ids\" : [100, 103], \"active_product_ids\" : [\"100\", \"103\"]}",
                    fixture.document("3"), "shop 3: no orders; products 100 (shared with shop 1) and 103");
        }
    }

    @Test
    void givesZeroEmptyListsAndNullsWhenNoRowIsAggregated() {
        try (Fixture fixture = new Fixture(DDL, SCHEMA)) {
            assertEquals("{\"paid_orders\" : 0, \"revenue\" : null, \"average_qty\" : null, \"first_paid\" : null,"
                    + " \"biggest\" : null, \"paid_order_ids\" : [], \"products\" : 0, \"stock\" : null,"
                    + " \"average_price\" : null, \"oldest\" : null, \"dearest\" : null, \"product_ids\" : [],"
                    + " \"active_product_ids\" : []}", fixture.document("2"),
                    "shop 2: its only order is outside the filters, and no junction row names it");
        }
    }

    @Test
    void collectsCompositeKeysAsDocumentIdsThroughAJunctionAndByForeignKey() {
        String schema = """
                version: 2
                table: shops
                primary_key: id
                fields:
                  - ids: good_suppliers
                    table: suppliers
                    element_type: keyword
                    through:
                      table: shop_suppliers
                      left_key: shop_id
                      right_key: [country, code]
                    filters:
                      - column: rating
                        op: gte
                        value: "2"
                  - ids: visits
                    table: visits
                    element_type: keyword
                    foreign_key: shop_id
                """;
        try (Fixture fixture = new Fixture(COMPOSITE_DDL, schema)) {
            String document = fixture.document("1");
            assertEquals("{\"good_suppliers\" : [\"de|x\\\\\\\\y\", \"it|a\\\\|b\"],"
                    + " \"visits\" : [\"1|2024-05-01|1\", \"1|2024-05-01|2\", \"1|2024-05-02|1\"]}", document,
                    "shop 1: supplier keys encoded as ids in key order, ('fr', 'c') rated below the filter");
        }
    }

    @Test
    void joinsManyToManyRowsByACompositeRightKey() {
        String schema = """
                version: 2
                table: shops
                primary_key: id
                fields:
                  - many_to_many: suppliers
                    table: suppliers
                    primary_key: [country, code]
                    through:
                      table: shop_suppliers
                      left_key: shop_id
                      right_key: [country, code]
                    fields:
                      - keyword: code
                      - integer: rating
                """;
        try (Fixture fixture = new Fixture(COMPOSITE_DDL, schema)) {
            assertEquals("{\"suppliers\" : [{\"code\" : \"x\\\\y\", \"rating\" : 2}, {\"code\" : \"c\", \"rating\" : 1},"
                    + " {\"code\" : \"a|b\", \"rating\" : 5}]}", fixture.document("1"),
                    "shop 1: its three suppliers in key order");
        }
    }
}
