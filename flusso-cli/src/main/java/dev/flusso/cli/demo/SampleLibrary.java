package dev.flusso.cli.demo;

import dev.flusso.api.BuildOutput;
import dev.flusso.api.Change;
import dev.flusso.api.ChangeCapture;
import dev.flusso.api.ChangeEmitter;
import dev.flusso.api.DocumentBuilder;
import dev.flusso.api.DocumentId;
import dev.flusso.api.IndexDefinition;
import dev.flusso.api.Position;
import dev.flusso.api.Resolution;
import dev.flusso.api.SnapshotPosition;
import dev.flusso.api.SnapshotRequest;
import dev.flusso.api.TableRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small in-memory library of authors and their books, with a capture that snapshots the authors and then makes
 * a stream of live changes, and a builder of author documents (each with its books and a count). It stands in for
 * a database in {@code flusso demo} until a PostgreSQL one is at hand.
 */
public final class SampleLibrary {

    static final TableRef AUTHORS = new TableRef("library", "authors");
    static final TableRef BOOKS = new TableRef("library", "books");
    static final String INDEX = "authors";

    private record Author(long id, String name) {
    }

    private record Book(long id, long authorId, String title) {
    }

    private record Sequence(long number) implements Position {
    }

    private static final String[] TITLES = {"Notes on the Analytical Engine", "A Compiler for COBOL", "Relational Model",
        "Structured Programming", "The Art of Computer Programming", "Go To Considered Harmful", "Literate Programming"};
    private static final String[] NAMES = {"Margaret Hamilton", "Barbara Liskov", "Frances Allen", "John Backus"};

    private final TreeMap<Long, Author> authors = new TreeMap<>();
    private final TreeMap<Long, Book> books = new TreeMap<>();
    private final int liveChanges;
    private final Duration pace;
    private final Random random = new Random(42);
    private long version;
    private long sequence;
    private long nextAuthor = 4;
    private long nextBook = 6;

    public SampleLibrary(int liveChanges, Duration pace) {
        this.liveChanges = liveChanges;
        this.pace = pace;
        authors.put(1L, new Author(1, "Ada Lovelace"));
        authors.put(2L, new Author(2, "Grace Hopper"));
        authors.put(3L, new Author(3, "Edgar Codd"));
        books.put(1L, new Book(1, 1, TITLES[0]));
        books.put(2L, new Book(2, 2, TITLES[1]));
        books.put(3L, new Book(3, 3, TITLES[2]));
        books.put(4L, new Book(4, 3, "Further Normalization"));
        books.put(5L, new Book(5, 1, "Sketch of the Analytical Engine"));
        version = 1;
    }

    static IndexDefinition index() {
        return new IndexDefinition(INDEX, AUTHORS, List.of("id"), Set.of(AUTHORS, BOOKS),
                Map.of("dynamic", "strict", "properties", Map.of(
                        "id", Map.of("type", "long"),
                        "name", Map.of("type", "text"),
                        "books", Map.of("type", "nested", "properties", Map.of("id", Map.of("type", "long"), "title", Map.of("type", "text"))),
                        "book_count", Map.of("type", "integer"))),
                Map.of(), "sample-library-v1");
    }

    /** {@return the capture: a snapshot of the authors, then the live changes, then the end of the stream} */
    public ChangeCapture capture() {
        return new ChangeCapture() {
            private volatile boolean closed;

            @Override
            public OptionalLong estimateRows(SnapshotRequest request) {
                synchronized (SampleLibrary.this) {
                    return OptionalLong.of(authors.size());
                }
            }

            @Override
            public void snapshot(SnapshotRequest request, ChangeEmitter out) throws InterruptedException {
                List<Change> rows = new ArrayList<>();
                synchronized (SampleLibrary.this) {
                    for (long id : authors.keySet()) {
                        rows.add(Change.snapshot(AUTHORS, Map.of("id", id), version, new SnapshotPosition(request.index(), Long.toString(id))));
                    }
                }
                for (Change row : rows) {
                    out.put(row);
                }
            }

            @Override
            public void stream(ChangeEmitter out) throws InterruptedException {
                for (int i = 0; i < liveChanges && !closed; i++) {
                    Thread.sleep(pace.toMillis());
                    out.put(change());
                }
            }

            @Override
            public void confirm(Position upTo) {
                // Nothing to release: the sample keeps no log.
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** Makes one random change to the library and returns it. */
    private synchronized Change change() {
        version++;
        Sequence position = new Sequence(++sequence);
        List<Long> authorIds = new ArrayList<>(authors.keySet());
        long author = authorIds.get(random.nextInt(authorIds.size()));
        switch (random.nextInt(5)) {
            case 0 -> {
                long id = nextAuthor++;
                authors.put(id, new Author(id, NAMES[(int) (id % NAMES.length)]));
                return Change.insert(AUTHORS, Map.of("id", id), Map.of("id", id), version, position);
            }
            case 1 -> {
                Author old = authors.get(author);
                authors.put(author, new Author(author, old.name().toUpperCase(java.util.Locale.ROOT)));
                return Change.update(AUTHORS, Map.of("id", author), Map.of("id", author), Map.of("id", author), version, position);
            }
            case 2 -> {
                if (!books.isEmpty()) {
                    Book book = books.firstEntry().getValue();
                    books.remove(book.id());
                    return Change.delete(BOOKS, Map.of("id", book.id()), Map.of("id", book.id(), "author_id", book.authorId()), version, position);
                }
                return insertBook(author, position);
            }
            case 3 -> {
                if (!books.isEmpty()) {
                    Book book = books.lastEntry().getValue();
                    books.put(book.id(), new Book(book.id(), author, book.title()));
                    return Change.update(BOOKS, Map.of("id", book.id()), Map.of("id", book.id(), "author_id", book.authorId()),
                            Map.of("id", book.id(), "author_id", author), version, position);
                }
                return insertBook(author, position);
            }
            default -> {
                return insertBook(author, position);
            }
        }
    }

    private Change insertBook(long author, Sequence position) {
        long id = nextBook++;
        books.put(id, new Book(id, author, TITLES[(int) (id % TITLES.length)]));
        Map<String, Object> values = Map.of("id", id, "author_id", author);
        return Change.insert(BOOKS, Map.of("id", id), values, version, position);
    }

    /** {@return the builder of author documents} */
    public DocumentBuilder builder() {
        return new DocumentBuilder() {
            @Override
            public List<IndexDefinition> indexes() {
                return List.of(index());
            }

            @Override
            public void resolve(List<Change> changes, Set<String> scope, Resolution out) {
                for (Change change : changes) {
                    String column = change.table().equals(AUTHORS) ? "id" : "author_id";
                    for (Map<String, Object> values : List.of(change.oldValues(), change.newValues())) {
                        Object author = values.get(column);
                        if (author != null) {
                            out.affects(new DocumentId(INDEX, author.toString()), change.version());
                        }
                    }
                }
            }

            @Override
            public void build(Collection<DocumentId> documents, BuildOutput out) {
                synchronized (SampleLibrary.this) {
                    for (DocumentId id : documents) {
                        Author author = authors.get(Long.parseLong(id.id()));
                        if (author == null) {
                            out.deleted(id);
                        } else {
                            out.document(id, json(author));
                        }
                    }
                }
            }
        };
    }

    /** {@return every author document as the current rows make it, by id: what the destination must end up with} */
    public synchronized Map<String, String> expectedDocuments() {
        Map<String, String> expected = new TreeMap<>();
        authors.values().forEach(author -> expected.put(Long.toString(author.id()), json(author)));
        return expected;
    }

    private String json(Author author) {
        StringBuilder json = new StringBuilder("{\"id\":").append(author.id()).append(",\"name\":");
        quote(author.name(), json);
        json.append(",\"books\":[");
        int count = 0;
        for (Book book : books.values()) {
            if (book.authorId() == author.id()) {
                json.append(count++ == 0 ? "" : ",").append("{\"id\":").append(book.id()).append(",\"title\":");
                quote(book.title(), json);
                json.append('}');
            }
        }
        return json.append("],\"book_count\":").append(count).append('}').toString();
    }

    private static void quote(String text, StringBuilder out) {
        // Sample names and titles hold no characters that need more than this.
        out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
}
