package dev.flusso.source.wal.internal;

import dev.flusso.api.TableRef;
import java.util.List;

/**
 * A table as the stream last described it in a Relation message: its columns in the order tuples carry them.
 *
 * @param oid the table's OID (the partition root's, when the publication publishes via the root)
 * @param table its schema and name
 * @param replicaIdentity {@code d} default, {@code f} full, {@code i} index, {@code n} nothing
 * @param columns its columns, in tuple order
 */
public record Relation(int oid, TableRef table, char replicaIdentity, List<Column> columns) {

    public Relation {
        columns = List.copyOf(columns);
    }

    /**
     * One column.
     *
     * @param name the column name, as written in the catalog (no quoting)
     * @param typeOid the OID of its type, which decides how its text value is converted
     * @param identity whether it is part of the replica identity (every column, with {@code REPLICA IDENTITY FULL})
     */
    public record Column(String name, int typeOid, boolean identity) {
    }
}
