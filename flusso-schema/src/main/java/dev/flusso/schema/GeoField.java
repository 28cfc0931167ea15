package dev.flusso.schema;

import java.util.Map;
import java.util.Objects;

/**
 * A geo point, from two coordinate columns or from one column holding the whole point.
 *
 * @param name the document key
 * @param column the column holding the point, or {@code null} for the two-column form
 * @param lat the latitude column, or {@code null} for the one-column form
 * @param lon the longitude column, or {@code null} for the one-column form
 * @param nullable whether the value may be null
 * @param options OpenSearch property options
 */
public record GeoField(String name, String column, String lat, String lon, boolean nullable, Map<String, Object> options)
        implements Field {

    public GeoField {
        Objects.requireNonNull(name, "name");
        if ((column == null) == (lat == null) || (lat == null) != (lon == null)) {
            throw new IllegalArgumentException("geo field '" + name + "' reads either one column or lat and lon");
        }
        options = Values.freeze(options);
    }
}
