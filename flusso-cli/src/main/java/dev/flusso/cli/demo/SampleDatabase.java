package dev.flusso.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The demo's sample: a library of authors, their books, and tags on books through a junction table (parent, child
 * and many-to-many), the deployment files that index it as author documents, and a stream of live changes to it.
 * The files are written where a newcomer can copy them as a start.
 *
 * <p>It connects with the JDBC driver it is given, never through {@code DriverManager}: that hands a driver only to
 * a caller whose class loader sees it, and in the runtime image pgjdbc is in a child layer of this module's.
 */
public final class SampleDatabase {

    /** The database the sample lives in. */
    public static final String DATABASE = "library";

    static final String SCHEMA_SQL = """
            -- The demo's sample library. Child and junction tables need REPLICA IDENTITY FULL, so that a row moved
            -- from one parent to another rebuilds both documents.
            CREATE TABLE authors (
                id      bigint PRIMARY KEY,
                name    text NOT NULL,
                country text
            );
            CREATE TABLE books (
                id        bigint PRIMARY KEY,
                author_id bigint NOT NULL REFERENCES authors,
                title     text NOT NULL,
                published date,
                price     numeric(8, 2)
            );
            CREATE TABLE tags (
                id   bigint PRIMARY KEY,
                name text NOT NULL
            );
            CREATE TABLE book_tags (
                book_id bigint REFERENCES books,
                tag_id  bigint REFERENCES tags,
                PRIMARY KEY (book_id, tag_id)
            );
            ALTER TABLE books REPLICA IDENTITY FULL;
            ALTER TABLE book_tags REPLICA IDENTITY FULL;

            INSERT INTO authors VALUES
                (1, 'Ada Lovelace', 'GB'), (2, 'Grace Hopper', 'US'), (3, 'Edsger Dijkstra', 'NL'),
                (4, 'Barbara Liskov', 'US'), (5, 'Donald Knuth', 'US');
            INSERT INTO books VALUES
                (10, 1, 'Notes on the Analytical Engine', '1843-09-01', 12.50),
                (20, 2, 'A Manual of Operation for the Automatic Sequence Controlled Calculator', '1946-01-01', 30.00),
                (30, 3, 'Go To Statement Considered Harmful', '1968-03-01', 5.00),
                (31, 3, 'A Discipline of Programming', '1976-01-01', 42.00),
                (40, 4, 'Abstraction and Specification in Program Development', '1986-01-01', 55.00),
                (50, 5, 'The Art of Computer Programming', '1968-01-01', 199.99);
            INSERT INTO tags VALUES (1, 'classic'), (2, 'algorithms'), (3, 'languages'), (4, 'history');
            INSERT INTO book_tags VALUES (10, 1), (10, 4), (20, 3), (30, 1), (31, 2), (40, 3), (50, 1), (50, 2);
            """;

    static final String INDEX_SCHEMA = """
            # The author documents: each author with their books (and each book's tags), and a count of books.
            version: 1
            table: authors
            primary_key: id
            fields:
              - text: name
                required: true
              - keyword: country
              - has_many: books
                table: books
                primary_key: id
                foreign_key: author_id
                order_by: [{ column: id }]
                fields:
                  - text: title
                  - date: published
                  - decimal: price
                  - many_to_many: tags
                    table: tags
                    primary_key: id
                    through:
                      table: book_tags
                      left_key: book_id
                      right_key: tag_id
                    fields:
                      - keyword: name
              - count: book_count
                table: books
                foreign_key: author_id
            """;

    private static final String[] NAMES = {"Frances Allen", "John Backus", "Margaret Hamilton", "Niklaus Wirth",
        "Adele Goldberg", "Tony Hoare", "Radia Perlman", "Ken Thompson"};
    private static final String[] TITLES = {"Structured Programming", "Literate Programming", "The Relational Model",
        "Communicating Sequential Processes", "Smalltalk-80", "Algorithms + Data Structures = Programs",
        "Interconnections", "Reflections on Trusting Trust"};
    private static final String[] COUNTRIES = {"US", "GB", "NL", "CH", "DE", null};

    private final Driver driver;
    private final String jdbcUrl;
    private final Random random;
    private long nextAuthor = 100;
    private long nextBook = 1000;

    /**
     * @param driver pgjdbc's driver
     * @param jdbcUrl the JDBC URL of the database the sample lives in
     * @param seed makes the stream of live changes repeatable
     */
    public SampleDatabase(Driver driver, String jdbcUrl, long seed) {
        this.driver = driver;
        this.jdbcUrl = jdbcUrl;
        this.random = new Random(seed);
    }

    /**
     * Writes {@code flusso.toml}, {@code authors.schema.yml} and {@code schema.sql} into the folder.
     *
     * @param folder created when missing
     * @param connectionUrl the database, as flusso.toml takes it
     * @param sink the {@code [sinks.…]} section to write, in TOML
     * @return the deployment file
     */
    public static Path writeFiles(Path folder, String connectionUrl, String sink) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("schema.sql"), SCHEMA_SQL);
            Files.writeString(folder.resolve("authors.schema.yml"), INDEX_SCHEMA);
            Path toml = folder.resolve("flusso.toml");
            Files.writeString(toml, """
                    # The demo's deployment. Point connection_url at your own database (with wal_level = logical),
                    # and the sink at your own OpenSearch, to run it with: flusso run -c flusso.toml
                    [source]
                    type = "postgres"
                    connection_url = "%s"
                    slot = "flusso_demo"
                    publication = "flusso_demo"

                    %s
                    [[index]]
                    name = "authors"
                    schema = "authors.schema.yml"

                    [batch]
                    max_changes = 500
                    """.formatted(connectionUrl, sink));
            return toml;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's sample files into " + folder, e);
        }
    }

    /** Creates the sample's database on the server, then its tables and rows, connecting with pgjdbc's driver. */
    public static void create(LocalPostgres server, Driver driver) {
        try (Connection connection = connect(driver, server.jdbcUrl("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the demo's database on " + server + ": " + e.getMessage(), e);
        }
        try (Connection connection = connect(driver, server.jdbcUrl(DATABASE));
                Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA_SQL);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the demo's tables: " + e.getMessage(), e);
        }
    }

    /**
     * Makes live changes, one transaction each, and says what each did.
     *
     * @param count how many transactions
     * @param pause between two transactions, in milliseconds
     * @param said told each change in a line
     * @return the number of rows changed, which is the number of changes capture sees
     */
    public long applyLiveChanges(int count, long pause, Consumer<String> said) throws InterruptedException {
        long rows = 0;
        try (Connection connection = connect(driver, jdbcUrl)) {
            for (int i = 0; i < count; i++) {
                if (i > 0 && pause > 0) {
                    Thread.sleep(pause);
                }
                rows += change(connection, said);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("a live change to the demo's database failed: " + e.getMessage(), e);
        }
        return rows;
    }

    private long change(Connection connection, Consumer<String> said) throws SQLException {
        List<Long> authors = ids(connection, "SELECT id FROM authors ORDER BY id");
        List<Long> books = ids(connection, "SELECT id FROM books ORDER BY id");
        switch (random.nextInt(8)) {
            case 0 -> {
                long id = nextAuthor++;
                String name = pick(NAMES);
                said.accept("insert author " + id + " '" + name + "'");
                return update(connection, "INSERT INTO authors VALUES (?, ?, ?)", id, name, pick(COUNTRIES));
            }
            case 1 -> {
                long author = pick(authors);
                said.accept("rename author " + author);
                return update(connection, "UPDATE authors SET name = name || ' Jr.' WHERE id = ?", author);
            }
            case 2, 3 -> {
                long id = nextBook++;
                long author = pick(authors);
                said.accept("add book " + id + " to author " + author);
                return update(connection, "INSERT INTO books VALUES (?, ?, ?, current_date, ?)", id, author, pick(TITLES),
                        new java.math.BigDecimal(random.nextInt(10_000)).movePointLeft(2));
            }
            case 4 -> {
                long book = pick(books);
                long author = pick(authors);
                said.accept("move book " + book + " to author " + author);
                return update(connection, "UPDATE books SET author_id = ? WHERE id = ?", author, book);
            }
            case 5 -> {
                long book = pick(books);
                long tag = 1 + random.nextInt(4);
                said.accept("tag book " + book + " with tag " + tag);
                return update(connection, "INSERT INTO book_tags VALUES (?, ?) ON CONFLICT DO NOTHING", book, tag);
            }
            case 6 -> {
                long tag = 1 + random.nextInt(4);
                said.accept("rename tag " + tag + " (every author with a book so tagged is rebuilt)");
                return update(connection, "UPDATE tags SET name = name || '+' WHERE id = ?", tag);
            }
            default -> {
                if (books.size() < 3) {
                    return 0;
                }
                long book = pick(books);
                said.accept("delete book " + book);
                connection.setAutoCommit(false);
                long rows = update(connection, "DELETE FROM book_tags WHERE book_id = ?", book)
                        + update(connection, "DELETE FROM books WHERE id = ?", book);
                connection.commit();
                connection.setAutoCommit(true);
                return rows;
            }
        }
    }

    private static Connection connect(Driver driver, String url) throws SQLException {
        Connection connection = driver.connect(url, new Properties());
        if (connection == null) {
            throw new SQLException("the driver " + driver.getClass().getName() + " does not accept " + url);
        }
        return connection;
    }

    private static long update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static List<Long> ids(Connection connection, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
