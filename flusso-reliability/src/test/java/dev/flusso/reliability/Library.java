package dev.flusso.reliability;

import dev.flusso.testing.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The suite's main data set: authors (root), their books (has_many, a child table), genres through a junction
 * (many_to_many) and a count of books; its schema, the oracle's hand-written SQL, and a seeded random workload.
 */
final class Library {

    static final String INDEX = "authors";

    static final String DDL = """
            CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL, rating numeric(6,2), born date,
                updated_at timestamptz NOT NULL DEFAULT now(), unused text);
            CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint, title text NOT NULL, pages int);
            CREATE INDEX ON books (author_id);
            ALTER TABLE books REPLICA IDENTITY FULL;
            CREATE TABLE genres (id bigint PRIMARY KEY, label text NOT NULL);
            CREATE TABLE author_genres (author_id bigint, genre_id bigint, PRIMARY KEY (author_id, genre_id));
            CREATE INDEX ON author_genres (genre_id);
            ALTER TABLE author_genres REPLICA IDENTITY FULL;
            """;

    static final String SCHEMA = """
            version: 1
            table: authors
            primary_key: id
            fields:
              - text: name
              - decimal: rating
              - date: born
              - timestamp: updated_at
              - has_many: books
                table: books
                primary_key: id
                foreign_key: author_id
                order_by: [{ column: id }]
                fields:
                  - long: id
                  - text: title
                  - integer: pages
              - many_to_many: genres
                table: genres
                primary_key: id
                through:
                  table: author_genres
                  left_key: author_id
                  right_key: genre_id
                fields:
                  - long: id
                  - keyword: label
              - count: book_count
                table: books
                foreign_key: author_id
            """;

    /** Independent of the builder: plain {@code json_build_object} and {@code json_agg}, ordered as the schema says. */
    static final String ORACLE_SQL = """
            SELECT a.id::text AS id, json_build_object(
                'name', a.name, 'rating', a.rating, 'born', a.born, 'updated_at', a.updated_at,
                'books', COALESCE((SELECT json_agg(json_build_object('id', b.id, 'title', b.title, 'pages', b.pages) ORDER BY b.id)
                                   FROM books b WHERE b.author_id = a.id), '[]'::json),
                'genres', COALESCE((SELECT json_agg(json_build_object('id', g.id, 'label', g.label) ORDER BY g.id)
                                    FROM author_genres ag JOIN genres g ON g.id = ag.genre_id WHERE ag.author_id = a.id), '[]'::json),
                'book_count', (SELECT count(*) FROM books b WHERE b.author_id = a.id))::text AS doc
            FROM authors a
            """;

    static final String INDEX_SECTION = """
            [[index]]
            name = "authors"
            schema = "authors.schema.yml"
            """;

    private Library() {
    }

    /** Creates the tables and {@code authors} authors with about three books each, and a few genres. */
    static void create(Scenario scenario, int authors) {
        scenario.database.execute(DDL);
        scenario.database.execute(
                "INSERT INTO genres SELECT g, 'genre ' || g FROM generate_series(1, 20) g",
                "INSERT INTO authors (id, name, rating, born) SELECT a, 'author ' || a, (a % 1000) / 10.0,"
                        + " DATE '1900-01-01' + (a % 30000) FROM generate_series(1, " + authors + ") a",
                "INSERT INTO books SELECT b, 1 + (b % " + authors + "), 'book ' || b, b % 900 FROM generate_series(1, " + (3 * authors) + ") b",
                "INSERT INTO author_genres SELECT a, 1 + (a % 20) FROM generate_series(1, " + authors + ") a",
                "ANALYZE");
        scenario.write("authors.schema.yml", SCHEMA);
    }

    static Oracle oracle(Scenario scenario) {
        return scenario.oracle(INDEX, ORACLE_SQL);
    }

    /**
     * A seeded random workload over the library: inserts, updates and deletes of authors, books and junction rows,
     * primary-key updates of authors and books, books moved to other authors, genre renames (which rebuild every
     * author of the genre), and now and then one large multi-row transaction. Runs on its own thread until stopped.
     */
    static final class Workload implements Runnable {

        private final PostgresDatabase database;
        private final Random random;
        private final AtomicLong nextAuthor;
        private final AtomicLong nextBook;
        private final long pauseMillis;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong transactions = new AtomicLong();
        private final AtomicLong lostTransactions = new AtomicLong();
        private volatile boolean tolerateRestarts;
        private volatile Throwable failure;
        private Thread thread;

        Workload(PostgresDatabase database, long seed, int authors, long pauseMillis) {
            this.database = database;
            this.random = new Random(seed);
            this.nextAuthor = new AtomicLong(authors + 1_000_000L);
            this.nextBook = new AtomicLong(3L * authors + 1_000_000L);
            this.pauseMillis = pauseMillis;
        }

        void start() {
            thread = new Thread(this, "workload");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the workload and waits for its last transaction; fails if a transaction failed unexpectedly. */
        long stop() {
            stop.set(true);
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new AssertionError("the workload failed: " + failure, failure);
            }
            return transactions.get();
        }

        /** Makes the workload ride out a server restart: a lost connection costs its transaction, then reconnects. */
        Workload tolerateRestarts() {
            tolerateRestarts = true;
            return this;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try (Connection connection = database.connect()) {
                    connection.setAutoCommit(false);
                    while (!stop.get()) {
                        runTransaction(connection);
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    if (!tolerateRestarts || !isConnectionLoss(e)) {
                        failure = e;
                        return;
                    }
                    lostTransactions.incrementAndGet();
                    sleepQuietly(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static boolean isConnectionLoss(Exception e) {
            String state = e instanceof SQLException sql ? sql.getSQLState()
                    : e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
            return state == null || state.startsWith("08") || state.startsWith("57");
        }

        private static void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One transaction; a server that goes away mid-transaction (a restart scenario) only loses that one. */
        private void runTransaction(Connection connection) throws SQLException {
            List<String> statements = new ArrayList<>();
            int size = random.nextInt(100) == 0 ? 1 : 1 + random.nextInt(5);
            if (random.nextInt(60) == 0) {
                statements.add(largeInsert());
            }
            for (int i = 0; i < size; i++) {
                statements.add(operation());
            }
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
                transactions.incrementAndGet();
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }

        private String largeInsert() {
            long author = nextAuthor.getAndIncrement();
            long first = nextBook.getAndAdd(500);
            return "INSERT INTO authors (id, name) VALUES (" + author + ", 'bulk author');"
                    + "INSERT INTO books SELECT b, " + author + ", 'bulk book ' || b, 1 FROM generate_series(" + first + ", " + (first + 499) + ") b";
        }

        /** A random existing author id, by a random probe (the row may be gone: then the statement changes nothing). */
        private String someAuthor() {
            return "(SELECT id FROM authors WHERE id >= " + random.nextLong(1, nextAuthor.get()) + " ORDER BY id LIMIT 1)";
        }

        private String someBook() {
            return "(SELECT id FROM books WHERE id >= " + random.nextLong(1, nextBook.get()) + " ORDER BY id LIMIT 1)";
        }

        private String operation() {
            int pick = random.nextInt(100);
            if (pick < 10) {
                long id = nextAuthor.getAndIncrement();
                return "INSERT INTO authors (id, name, rating, born) VALUES (" + id + ", 'new " + id + "', "
                        + random.nextInt(10000) / 100.0 + ", DATE '1950-01-01' + " + random.nextInt(20000) + ")";
            }
            if (pick < 22) {
                return "UPDATE authors SET name = 'renamed " + random.nextInt(1_000_000) + "', rating = "
                        + random.nextInt(10000) / 100.0 + ", updated_at = now() WHERE id = " + someAuthor();
            }
            if (pick < 27) {
                return "DELETE FROM authors WHERE id = " + someAuthor();
            }
            if (pick < 31) {
                // A primary-key update; half the time the author's books and genres follow it (ON UPDATE CASCADE by hand).
                long id = nextAuthor.getAndIncrement();
                String old = "(SELECT id FROM authors WHERE id >= " + random.nextLong(1, nextAuthor.get()) + " ORDER BY id LIMIT 1)";
                if (random.nextBoolean()) {
                    return "UPDATE authors SET id = " + id + " WHERE id = " + old;
                }
                return "WITH old AS (SELECT id FROM authors WHERE id >= " + random.nextLong(1, nextAuthor.get()) + " ORDER BY id LIMIT 1),"
                        + " a AS (UPDATE authors SET id = " + id + " WHERE id IN (SELECT id FROM old)),"
                        + " b AS (UPDATE books SET author_id = " + id + " WHERE author_id IN (SELECT id FROM old)),"
                        + " g AS (UPDATE author_genres SET author_id = " + id + " WHERE author_id IN (SELECT id FROM old))"
                        + " SELECT 1";
            }
            if (pick < 46) {
                long id = nextBook.getAndIncrement();
                return "INSERT INTO books VALUES (" + id + ", " + someAuthor() + ", 'title " + id + "', " + random.nextInt(1000) + ")";
            }
            if (pick < 58) {
                return "UPDATE books SET title = 'retitled " + random.nextInt(1_000_000) + "', pages = " + random.nextInt(1000)
                        + " WHERE id = " + someBook();
            }
            if (pick < 70) {
                return "UPDATE books SET author_id = " + someAuthor() + " WHERE id = " + someBook();
            }
            if (pick < 78) {
                return "DELETE FROM books WHERE id = " + someBook();
            }
            if (pick < 82) {
                return "UPDATE books SET id = " + nextBook.getAndIncrement() + " WHERE id = " + someBook();
            }
            if (pick < 89) {
                return "INSERT INTO author_genres SELECT id, " + (1 + random.nextInt(20)) + " FROM authors WHERE id >= "
                        + random.nextLong(1, nextAuthor.get()) + " ORDER BY id LIMIT 1 ON CONFLICT DO NOTHING";
            }
            if (pick < 99) {
                return "DELETE FROM author_genres WHERE (author_id, genre_id) = (SELECT author_id, genre_id FROM author_genres"
                        + " WHERE author_id >= " + random.nextLong(1, nextAuthor.get()) + " ORDER BY author_id LIMIT 1)";
            }
            return "UPDATE genres SET label = 'genre " + random.nextInt(1000) + "' WHERE id = " + (1 + random.nextInt(20));
        }
    }
}
