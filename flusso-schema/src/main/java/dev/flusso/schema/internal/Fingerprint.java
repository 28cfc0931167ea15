package dev.flusso.schema.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.MappingOptions;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content hash of a compiled index: SHA-256 over the canonical JSON (keys sorted, no whitespace) of the
 * schema model and its default mapping. The source file's key order, comments and spacing do not matter, and
 * neither do sink settings: they change how an index is created, not what its documents are.
 */
public final class Fingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Fingerprint() {
    }

    public static String of(IndexSchema schema) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("schema", SchemaPrinter.toTree(schema));
        content.put("mappings", MappingBuilder.mappings(schema, MappingOptions.DEFAULT));
        return sha256(canonicalJson(content));
    }

    public static String canonicalJson(Object tree) {
        try {
            return CANONICAL.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
