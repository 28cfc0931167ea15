package dev.flusso.source.wal.internal;

import dev.flusso.api.FlussoException;
import dev.flusso.api.TableRef;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes pgoutput's binary messages (protocol version 1) and keeps the relation cache: the stream describes a table
 * before its first change in a session and again after its schema changes, so the cache is always the description
 * that the following tuples were written with. Not thread-safe: the capture thread owns it.
 */
public final class PgOutputDecoder {

    private final Map<Integer, Relation> relations = new HashMap<>();

    /**
     * @param message one XLogData payload, positioned at its type byte
     * @return the decoded message
     * @throws FlussoException if the message is malformed or names a table never described
     */
    public Message decode(ByteBuffer message) {
        int size = message.remaining();
        if (size == 0) {
            throw malformed("an empty message");
        }
        char type = (char) message.get();
        try {
            return switch (type) {
                case 'B' -> new Message.Begin(message.getLong(), skipThen(message, 8).getInt());
                case 'C' -> commit(message);
                case 'R' -> relation(message);
                case 'I' -> insert(message);
                case 'U' -> update(message);
                case 'D' -> delete(message);
                case 'T' -> truncate(message);
                default -> new Message.Ignored(type);
            };
        } catch (BufferUnderflowException e) {
            throw malformed("a '" + type + "' message of " + size + " bytes ends before its last field");
        }
    }

    /** Forgets every table description: a new session describes them again. */
    public void reset() {
        relations.clear();
    }

    private static ByteBuffer skipThen(ByteBuffer buffer, int bytes) {
        if (bytes > buffer.remaining()) {
            throw new BufferUnderflowException();
        }
        buffer.position(buffer.position() + bytes);
        return buffer;
    }

    private static Message commit(ByteBuffer message) {
        message.get(); // flags, unused
        long commitLsn = message.getLong();
        long endLsn = message.getLong();
        return new Message.Commit(commitLsn, endLsn);
    }

    private Message relation(ByteBuffer message) {
        int oid = message.getInt();
        String schema = string(message);
        String name = string(message);
        if (schema.isBlank() || name.isBlank()) {
            throw malformed("the Relation message of OID " + oid + " names the table '" + schema + "." + name
                    + "', without a schema or a name");
        }
        char identity = (char) message.get();
        int count = Short.toUnsignedInt(message.getShort());
        List<Relation.Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (message.get() & 1) != 0;
            String column = string(message);
            int typeOid = message.getInt();
            message.getInt(); // type modifier, unused
            columns.add(new Relation.Column(column, typeOid, key));
        }
        Relation relation = new Relation(oid, new TableRef(schema, name), identity, columns);
        relations.put(oid, relation);
        return new Message.RelationChanged(relation);
    }

    private Message insert(ByteBuffer message) {
        Relation relation = relation(message.getInt());
        expect(message, 'N', relation);
        return new Message.Row('I', relation, null, false, tuple(message, relation, false));
    }

    private Message update(ByteBuffer message) {
        Relation relation = relation(message.getInt());
        char next = (char) message.get();
        Map<String, Object> old = null;
        boolean oldIsKey = next == 'K';
        if (next == 'K' || next == 'O') {
            old = tuple(message, relation, oldIsKey);
            next = (char) message.get();
        }
        if (next != 'N') {
            throw malformed("an update of " + relation.table() + " has '" + next + "' where its new row belongs");
        }
        return new Message.Row('U', relation, old, oldIsKey, tuple(message, relation, false));
    }

    private Message delete(ByteBuffer message) {
        Relation relation = relation(message.getInt());
        char next = (char) message.get();
        if (next != 'K' && next != 'O') {
            throw malformed("a deletion from " + relation.table() + " has '" + next + "' where its old row belongs");
        }
        return new Message.Row('D', relation, tuple(message, relation, next == 'K'), next == 'K', null);
    }

    private Message truncate(ByteBuffer message) {
        int count = message.getInt();
        int options = message.get();
        // Each table is a 4-byte OID: a count the message cannot hold is corrupt, and must not size a list.
        if (count < 0 || count > message.remaining() / 4) {
            throw malformed("a Truncate message names " + count + " tables in " + message.remaining() + " bytes");
        }
        List<Relation> truncated = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            truncated.add(relation(message.getInt()));
        }
        return new Message.Truncate(truncated, (options & 1) != 0, (options & 2) != 0);
    }

    /**
     * Reads TupleData. In a key-only tuple the columns outside the replica identity are sent as nulls that mean
     * "not sent", so they are left out; an unchanged TOASTed value ({@code u}) is left out too.
     */
    private static Map<String, Object> tuple(ByteBuffer message, Relation relation, boolean keyOnly) {
        int count = Short.toUnsignedInt(message.getShort());
        List<Relation.Column> columns = relation.columns();
        if (count > columns.size()) {
            throw malformed("a row of " + relation.table() + " has " + count + " columns, but its description has "
                    + columns.size());
        }
        Map<String, Object> values = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            Relation.Column column = columns.get(i);
            char kind = (char) message.get();
            switch (kind) {
                case 'n' -> {
                    if (!keyOnly || column.identity()) {
                        values.put(column.name(), null);
                    }
                }
                case 'u' -> {
                    // unchanged TOASTed value: not sent, and the builder re-reads the row anyway
                }
                case 't', 'b' -> {
                    int length = message.getInt();
                    if (length < 0 || length > message.remaining()) {
                        throw malformed("a row of " + relation.table() + " has a value of " + length + " bytes for column '"
                                + column.name() + "', in the " + message.remaining() + " bytes left of the message");
                    }
                    if (kind == 'b') {
                        byte[] bytes = new byte[length];
                        message.get(bytes);
                        values.put(column.name(), bytes);
                    } else {
                        String text = new String(message.array(), message.arrayOffset() + message.position(), length,
                                StandardCharsets.UTF_8);
                        skipThen(message, length);
                        if (!keyOnly || column.identity()) {
                            values.put(column.name(), converted(relation, column, text));
                        }
                    }
                }
                default -> throw malformed("a row of " + relation.table() + " has value kind '" + kind + "' for column '"
                        + column.name() + "'");
            }
        }
        return values;
    }

    private static Object converted(Relation relation, Relation.Column column, String text) {
        try {
            return Values.convert(column.typeOid(), text);
        } catch (NumberFormatException e) {
            throw malformed("a row of " + relation.table() + " has '" + (text.length() <= 40 ? text : text.substring(0, 40) + "…")
                    + "' for column '" + column.name() + "' of type OID " + column.typeOid() + ", expected a whole number");
        }
    }

    private Relation relation(int oid) {
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw malformed("a change names table OID " + oid + " before any Relation message described it");
        }
        return relation;
    }

    private static void expect(ByteBuffer message, char expected, Relation relation) {
        char found = (char) message.get();
        if (found != expected) {
            throw malformed("a change of " + relation.table() + " has '" + found + "' where '" + expected + "' belongs");
        }
    }

    private static String string(ByteBuffer message) {
        int start = message.position();
        int end = start;
        while (end < message.limit() && message.get(end) != 0) {
            end++;
        }
        if (end == message.limit()) {
            throw malformed("a name runs to the message's end without its terminating zero byte");
        }
        String text = new String(message.array(), message.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        message.position(end + 1);
        return text;
    }

    private static FlussoException malformed(String what) {
        return new FlussoException("unexpected pgoutput message: " + what + "; is the slot's plugin pgoutput, with "
                + "protocol version 1?");
    }
}
