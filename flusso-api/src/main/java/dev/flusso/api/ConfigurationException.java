package dev.flusso.api;

/**
 * Input that Flusso cannot accept: a deployment or schema file, a setting, a provider name. Raised before
 * anything connects where possible. The message names the file, section or key at fault and what was expected.
 */
public class ConfigurationException extends FlussoException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
