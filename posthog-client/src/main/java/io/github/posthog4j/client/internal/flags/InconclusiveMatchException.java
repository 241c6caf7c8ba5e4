package io.github.posthog4j.client.internal.flags;

/**
 * Signals that a flag cannot be decided from local data. Internal to the evaluator;
 * callers see it as an {@linkplain FlagEvaluationResult#isInconclusive() inconclusive
 * result}.
 *
 * <p>
 * An ordinary inconclusive match (a missing property, an unparsable date, ...) only
 * spoils the condition it happens in: a later condition that matches still decides the
 * flag. When {@link #requiresServerEvaluation()} is set (static or unknown cohort,
 * malformed definition, a value Python would refuse to compare) the whole flag must be
 * evaluated by PostHog at once.
 */
final class InconclusiveMatchException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean requiresServerEvaluation;

    InconclusiveMatchException(String message) {
        this(message, false);
    }

    InconclusiveMatchException(String message, boolean requiresServerEvaluation) {
        super(message, null, false, false);
        this.requiresServerEvaluation = requiresServerEvaluation;
    }

    static InconclusiveMatchException requiresServer(String message) {
        return new InconclusiveMatchException(message, true);
    }

    boolean requiresServerEvaluation() {
        return requiresServerEvaluation;
    }

}
