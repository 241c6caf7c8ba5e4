package io.github.posthog4j.client.internal.flags;

/** Why a local evaluation ended the way it did. Internal API. */
public enum EvaluationReason {

    /** A condition matched; {@link FlagEvaluationResult#conditionIndex()} tells which. */
    CONDITION_MATCH,
    /** No condition matched: the flag is {@code false}. */
    NO_CONDITION_MATCH,
    /**
     * A condition's properties matched but its rollout excluded the subject and the flag
     * uses early exit: the flag is {@code false}.
     */
    OUT_OF_ROLLOUT_BOUND,
    /** The flag is switched off: the flag is {@code false}. */
    FLAG_DISABLED,
    /** The flag is not in the local definitions (inconclusive). */
    FLAG_NOT_FOUND,
    /**
     * The flag aggregates by a group type that the caller did not supply (inconclusive).
     * PostHog would answer {@code false} for it as well, so a caller may choose to skip
     * the remote call.
     */
    GROUP_NOT_SUPPLIED,
    /**
     * Local data could not decide; see {@link FlagEvaluationResult#message()}
     * (inconclusive).
     */
    INCONCLUSIVE,
    /**
     * The flag needs data only PostHog has: static cohorts, experience continuity,
     * malformed definitions (inconclusive).
     */
    REQUIRES_SERVER_EVALUATION;

    /**
     * Whether results with this reason carry no value and must be resolved by PostHog.
     */
    public boolean isInconclusive() {
        return this == FLAG_NOT_FOUND || this == GROUP_NOT_SUPPLIED || this == INCONCLUSIVE
                || this == REQUIRES_SERVER_EVALUATION;
    }

}
