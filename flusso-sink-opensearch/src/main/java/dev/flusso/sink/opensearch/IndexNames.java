package dev.flusso.sink.opensearch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The names the sink owns, each behind the deployment's prefix: the alias users search ({@code prefix + logical}),
 * one concrete index per schema generation ({@code prefix + logical + "_" + 12 hex digits of the fingerprint}),
 * the metadata index and the dead-letter index.
 */
record IndexNames(String prefix) {

    String alias(String logical) {
        return prefix + logical;
    }

    String generation(String logical, String fingerprint) {
        StringBuilder hash = new StringBuilder(12);
        for (char c : fingerprint.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
                hash.append(c);
            }
            if (hash.length() == 12) {
                break;
            }
        }
        return prefix + logical + "_" + (hash.length() == 0 ? "0" : hash);
    }

    String meta() {
        return prefix + "flusso_meta";
    }

    String deadLetters() {
        return prefix + "flusso_dead_letters";
    }

    /** {@return the text as one URL path segment} */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
