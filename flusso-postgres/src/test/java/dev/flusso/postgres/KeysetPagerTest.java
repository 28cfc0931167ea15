package dev.flusso.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flusso.api.TableRef;
import dev.flusso.testing.postgres.PostgresDatabase;
import dev.flusso.testing.postgres.PostgresServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keyset paging of a root table's keys for backfill: order, resuming, the last page, and the row estimate. */
class KeysetPagerTest {

    private static final TableRef NUMBERS = new TableRef("public", "numbers");
    private static final TableRef LINES = new TableRef("public", "lines");
    private static final TableRef EMPTY = new TableRef("public", "empty");
    private static final TableRef ODD = new TableRef("Odd Schema", "Key \"Table\"");

    private static PostgresDatabase database;
    private static KeysetPager pager;

    @BeforeAll
    static void createTables() {
        database = PostgresServer.shared().createDatabase();
        // Inserted out of order, and 10 sorts before 2 as text: the pages must follow the key's own type.
        database.execute("""
                CREATE TABLE numbers (id int PRIMARY KEY);
                INSERT INTO numbers VALUES (5), (1), (10), (3), (2), (4);
                CREATE TABLE lines (order_id int, line text, PRIMARY KEY (order_id, line));
                INSERT INTO lines VALUES (1, 'b'), (10, 'a'), (1, 'a'), (2, 'a'), (1, 'c');
                CREATE TABLE empty (id int PRIMARY KEY);
                CREATE SCHEMA "Odd Schema";
                CREATE TABLE "Odd Schema"."Key ""Table""\" ("Mixed Case" int, "with space" text,
                  PRIMARY KEY ("Mixed Case", "with space"));
                INSERT INTO "Odd Schema"."Key ""Table""\" VALUES (2, 'x y'), (1, 'it''s'), (1, 'a "q"');
                """);
        pager = new KeysetPager(PostgresConnections.dataSource(database.jdbcUrl()));
    }

    @AfterAll
    static void dropTables() {
        pager.close();
        database.drop();
    }

    @Test
    void pagesASingleKeyInItsTypesOrderAndFlagsOnlyTheLastPageComplete() {
        List<KeyPage> pages = new ArrayList<>();
        Optional<List<String>> after = Optional.empty();
        do {
            pages.add(pager.page(NUMBERS, List.of("id"), after, 2));
            after = pages.get(pages.size() - 1).last();
        } while (!pages.get(pages.size() - 1).complete());
        assertEquals(List.of(new KeyPage(keys("1", "2"), false), new KeyPage(keys("3", "4"), false),
                new KeyPage(keys("5", "10"), true)), pages, "pages of 2 of 'numbers'");
    }

    @Test
    void flagsAShortLastPageCompleteAndAPageThatEndsBeforeTheLastKeyIncomplete() {
        assertEquals(new KeyPage(keys("1", "2", "3", "4", "5", "10"), true),
                pager.page(NUMBERS, List.of("id"), Optional.empty(), 100), "a page larger than 'numbers'");
        assertEquals(new KeyPage(keys("1", "2", "3", "4", "5"), false),
                pager.page(NUMBERS, List.of("id"), Optional.empty(), 5), "a page one key short of 'numbers'");
    }

    @Test
    void resumesAfterAKeyWhetherOrNotThatKeyStillExists() {
        assertEquals(new KeyPage(keys("4", "5"), false), pager.page(NUMBERS, List.of("id"), Optional.of(List.of("3")), 2),
                "the page after key 3");
        assertEquals(new KeyPage(keys("10"), true), pager.page(NUMBERS, List.of("id"), Optional.of(List.of("7")), 2),
                "the page after the deleted key 7");
        assertEquals(new KeyPage(List.of(), true), pager.page(NUMBERS, List.of("id"), Optional.of(List.of("10")), 2),
                "the page after the last key");
    }

    @Test
    void pagesACompositeKeyColumnByColumn() {
        List<String> key = List.of("order_id", "line");
        KeyPage first = pager.page(LINES, key, Optional.empty(), 2);
        assertEquals(new KeyPage(List.of(List.of("1", "a"), List.of("1", "b")), false), first, "first page of 'lines'");
        KeyPage second = pager.page(LINES, key, first.last(), 2);
        assertEquals(new KeyPage(List.of(List.of("1", "c"), List.of("2", "a")), false), second, "second page of 'lines'");
        assertEquals(new KeyPage(List.of(List.of("10", "a")), true), pager.page(LINES, key, second.last(), 2),
                "last page of 'lines'");
    }

    @Test
    void answersAnEmptyTableWithOneEmptyCompletePage() {
        KeyPage page = pager.page(EMPTY, List.of("id"), Optional.empty(), 10);
        assertEquals(new KeyPage(List.of(), true), page, "the page of 'empty'");
        assertEquals(Optional.empty(), page.last(), "the last key of an empty page");
    }

    @Test
    void quotesMixedCaseQuotesAndSpacesInASchemaOfItsOwn() {
        List<String> key = List.of("Mixed Case", "with space");
        KeyPage first = pager.page(ODD, key, Optional.empty(), 2);
        assertEquals(new KeyPage(List.of(List.of("1", "a \"q\""), List.of("1", "it's")), false), first,
                "first page of " + ODD);
        assertEquals(new KeyPage(List.of(List.of("2", "x y")), true), pager.page(ODD, key, first.last(), 2),
                "page of " + ODD + " after " + first.last());
    }

    @Test
    void estimatesRowsOnlyOnceATableIsAnalysed() {
        PostgresDatabase own = PostgresServer.shared().createDatabase();
        try (KeysetPager estimating = new KeysetPager(PostgresConnections.dataSource(own.jdbcUrl()))) {
            own.execute("""
                    CREATE SCHEMA "Odd Schema";
                    CREATE TABLE "Odd Schema"."Big ""One""\" (id int PRIMARY KEY);
                    INSERT INTO "Odd Schema"."Big ""One""\" SELECT generate_series(1, 1500);
                    """);
            TableRef big = new TableRef("Odd Schema", "Big \"One\"");
            assertEquals(-1, estimating.estimate(big), "estimate of " + big + " before ANALYZE");
            own.execute("ANALYZE \"Odd Schema\".\"Big \"\"One\"\"\"");
            assertEquals(1500, estimating.estimate(big), "estimate of " + big + " after ANALYZE");
            assertEquals(-1, estimating.estimate(new TableRef("public", "missing")), "estimate of a missing table");
        } finally {
            own.drop();
        }
    }

    @Test
    void refusesAPageOfNoKeysOrAResumeKeyOfTheWrongArity() {
        assertThrows(IllegalArgumentException.class, () -> pager.page(NUMBERS, List.of("id"), Optional.empty(), 0),
                "a page of size 0");
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                () -> pager.page(LINES, List.of("order_id", "line"), Optional.of(List.of("1")), 2), "a one-column resume key");
        assertEquals("key page of 'public.lines': expected a size of at least 1 (got 2) and a key of 2 columns"
                + " [order_id, line] (after [1])", arity.getMessage(), "message for a one-column resume key of 'lines'");
    }

    private static List<List<String>> keys(String... ids) {
        return Arrays.stream(ids).map(List::of).toList();
    }
}
