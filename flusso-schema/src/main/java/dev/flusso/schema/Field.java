package dev.flusso.schema;

import java.util.Map;

/**
 * One entry of a schema's {@code fields}: a document key and where its value comes from.
 *
 * <p>Option maps are JSON-like trees ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}) merged last into the field's OpenSearch property.
 */
public sealed interface Field
        permits ScalarField, CustomField, GeoField, MapField, ConstantField, ObjectField, JoinField, AggregateField {

    /** {@return the document key} */
    String name();

    /** {@return the OpenSearch property options, in file order, never {@code null}} */
    Map<String, Object> options();
}
