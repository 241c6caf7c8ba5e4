package io.github.posthog4j.client.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a pipeline's batches travel: the route (path, headers), the envelope that frames
 * the serialised records, and what a response means. {@link BatchSender} owns splitting,
 * retries, backoff and counting; a protocol only builds requests and reads answers. One
 * instance per delivering thread (it may reuse a buffer).
 */
interface WireProtocol {

    /**
     * @return the path after the host, with its query if any, e.g. {@code /batch/}
     */
    String path();

    /**
     * @return the bytes the envelope adds to the records and the commas between them (for
     * the request size budget)
     */
    int envelopeOverhead();

    /**
     * Builds the body of the next attempt. The first call for a batch may stamp it (a
     * request id, a creation time), later attempts reuse the stamp.
     * @param b the batch (serialised: every event has its JSON)
     * @param encoding how to compress
     * @return the body as sent
     */
    byte[] body(Batch b, ContentEncoding encoding);

    /**
     * @param b the batch ({@link Batch#attempts} already counts this attempt)
     * @param encoding how the body is compressed
     * @return the request headers of this attempt (the transport adds {@code User-Agent})
     */
    Map<String, String> headers(Batch b, ContentEncoding encoding);

    /**
     * @return the most response bytes worth reading (64 KiB unless a protocol reads a
     * body that tells more)
     */
    default int maxResponseBytes() {
        return 64 * 1024;
    }

    /**
     * Reads a response (a 413 of more than one event is split by the sender before it
     * gets here). By default a 2xx means every event was taken; anything else is
     * {@link Verdict#failed}.
     * @param result what came back
     * @param b the batch that was sent
     * @return what it means
     */
    default Verdict read(Transport.HttpResult result, Batch b) {
        int status = result.status();
        if (status >= 200 && status < 300) {
            return Verdict.SENT_ALL;
        }
        return Verdict.failed(result);
    }

    /** What a response means for a batch. */
    enum Kind {

        /**
         * PostHog took the request: every event is sent, except those listed as to retry,
         * dropped or limited.
         */
        SENT,

        /** A transient failure: the whole batch may be sent again. */
        RETRYABLE,

        /** Rejected for good: the whole batch is dropped. */
        REJECTED

    }

    /**
     * @param kind the outcome
     * @param retry events PostHog asked to send again (partial success)
     * @param dropped events PostHog dropped (invalid)
     * @param limited events PostHog limited (quota, ingestion limits)
     * @param detail a short description for logs, or null
     */
    record Verdict(Kind kind, List<QueuedEvent> retry, List<QueuedEvent> dropped, List<QueuedEvent> limited,
            @Nullable String detail) {

        static final Verdict SENT_ALL = new Verdict(Kind.SENT, List.of(), List.of(), List.of(), null);

        static Verdict retryable(@Nullable String detail) {
            return new Verdict(Kind.RETRYABLE, List.of(), List.of(), List.of(), detail);
        }

        static Verdict rejected(@Nullable String detail) {
            return new Verdict(Kind.REJECTED, List.of(), List.of(), List.of(), detail);
        }

        /**
         * What a status other than 2xx (or no answer, status 0) means on every route:
         * 408, 429, 5xx and I/O errors are retried; other statuses reject the batch.
         * @param result the failed attempt
         * @return the verdict
         */
        static Verdict failed(Transport.HttpResult result) {
            int status = result.status();
            String error = (status == 0) ? String.valueOf(result.error()) : "HTTP " + status;
            boolean retryable = status == 0 || status == 408 || status == 429 || status >= 500;
            return retryable ? retryable(error) : rejected(error);
        }

        /**
         * @return whether every event of the batch is accepted as it was sent
         */
        boolean complete() {
            return this.kind == Kind.SENT && this.retry.isEmpty() && this.dropped.isEmpty() && this.limited.isEmpty();
        }

    }

}
