package dev.flusso.source.polling.internal;

import java.util.Map;

/**
 * One row a poll read: its primary key and every column, each as PostgreSQL writes it in text.
 *
 * @param key the primary-key columns and values, in key order; empty for a table without a primary key
 * @param values every column and its value ({@code null} for SQL NULL)
 */
record PolledRow(Map<String, Object> key, Map<String, Object> values) {
}
