package dev.flusso.schema.internal;

import dev.flusso.schema.Field;
import dev.flusso.schema.IndexSchema;
import dev.flusso.schema.JoinField;
import dev.flusso.schema.MappingOptions;
import dev.flusso.schema.ObjectField;
import dev.flusso.schema.ScalarField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The analysis block every index carries: our analysers, normalisers, and one rank normaliser per ordered enum. */
final class Analysis {

    private Analysis() {
    }

    static String enumSortName(String path) {
        return "flusso_enumsort__" + path.replaceAll("[^A-Za-z0-9]", "_");
    }

    static Map<String, Object> block(IndexSchema schema, MappingOptions options) {
        Map<String, Object> analysis = new LinkedHashMap<>();
        analysis.put("filter", Map.of("flusso_word_delimiter", ordered(
                "type", "word_delimiter_graph", "catenate_all", true, "preserve_original", true)));
        Map<String, Object> charFilters = new LinkedHashMap<>();
        Map<String, Object> normalizers = new LinkedHashMap<>();
        normalizers.put("flusso_lowercase", ordered("type", "custom",
                "filter", options.icu() ? List.of("icu_normalizer") : List.of("lowercase", "asciifolding")));
        enumSorts(schema.fields(), "", charFilters, normalizers);
        if (!charFilters.isEmpty()) {
            analysis.put("char_filter", charFilters);
        }
        Map<String, Object> analyzers = new LinkedHashMap<>();
        analyzers.put("flusso_code", ordered("type", "custom", "tokenizer", "whitespace", "filter",
                List.of("flusso_word_delimiter", "flatten_graph", "lowercase", options.icu() ? "icu_folding" : "asciifolding")));
        analyzers.put("flusso_text", options.icu()
                ? ordered("type", "custom", "tokenizer", "icu_tokenizer", "filter", List.of("icu_normalizer", "icu_folding"))
                : ordered("type", "custom", "tokenizer", "standard", "filter", List.of("lowercase", "asciifolding")));
        analysis.put("analyzer", analyzers);
        analysis.put("normalizer", normalizers);
        return analysis;
    }

    /** Each declared variant is rewritten to its zero-padded rank, so that sorting by text sorts by rank. */
    private static void enumSorts(List<Field> fields, String parent, Map<String, Object> charFilters, Map<String, Object> normalizers) {
        for (Field field : fields) {
            String path = parent.isEmpty() ? field.name() : parent + "." + field.name();
            if (field instanceof ScalarField scalar && !scalar.variants().isEmpty()) {
                String name = enumSortName(path);
                List<String> variants = scalar.variants();
                int width = String.valueOf(variants.size() - 1).length();
                List<String> rules = new ArrayList<>();
                for (int i = 0; i < variants.size(); i++) {
                    rules.add(variants.get(i) + " => " + String.format("%0" + width + "d", i));
                }
                charFilters.put(name, ordered("type", "mapping", "mappings", rules));
                normalizers.put(name, ordered("type", "custom", "char_filter", List.of(name), "filter", List.of()));
            } else if (field instanceof ObjectField object) {
                enumSorts(object.fields(), path, charFilters, normalizers);
            } else if (field instanceof JoinField join) {
                enumSorts(join.fields(), path, charFilters, normalizers);
            }
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
