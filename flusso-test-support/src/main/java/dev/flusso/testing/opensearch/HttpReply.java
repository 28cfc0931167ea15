package dev.flusso.testing.opensearch;

/**
 * One HTTP answer from the test server.
 *
 * @param status the HTTP status code
 * @param body the response body as text, possibly empty
 */
public record HttpReply(int status, String body) {

    /** {@return whether the status is 2xx} */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * {@return this reply} @throws AssertionError naming the request if the status is not 2xx
     *
     * @param request what was asked, for the message
     */
    public HttpReply expectOk(String request) {
        if (!ok()) {
            throw new AssertionError(request + " answered HTTP " + status + ", expected 2xx: " + body);
        }
        return this;
    }
}
