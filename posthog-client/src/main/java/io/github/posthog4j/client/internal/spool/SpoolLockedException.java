package io.github.posthog4j.client.internal.spool;

/** The spool directory is held by another process or client. */
public final class SpoolLockedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened and what to do
     */
    public SpoolLockedException(String message) {
        super(message);
    }

}
