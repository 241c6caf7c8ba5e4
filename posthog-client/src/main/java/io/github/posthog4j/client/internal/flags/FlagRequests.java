package io.github.posthog4j.client.internal.flags;

import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.RequestObserver;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reports the flag requests ({@code flags}, {@code definitions}) to the client's
 * {@link RequestObserver}, and hides the project and personal keys in any text taken from
 * a failure. Shared by {@link RemoteFlags} and {@link DefinitionsLoader}.
 */
final class FlagRequests {

    private final Supplier<ClientSettings> settings;

    private final RequestObserver observer;

    FlagRequests(Supplier<ClientSettings> settings, RequestObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    /**
     * Reports one attempt, if anybody listens.
     * @param endpoint {@code flags} or {@code definitions}
     * @param attempt the attempt number, from 1
     * @param r what came back
     * @param retryable whether the failure is one a retry may cure
     * @param bytes the request body size
     * @param startNanos when the attempt began ({@link System#nanoTime()})
     */
    void report(String endpoint, int attempt, FlagsHttp.Response r, boolean retryable, long bytes, long startNanos) {
        if (!this.observer.active()) {
            return;
        }
        RequestReport.Outcome outcome = (r.status() >= 200 && r.status() < 300) || r.status() == 304
                ? RequestReport.Outcome.SUCCESS
                : (retryable ? RequestReport.Outcome.RETRYABLE_ERROR : RequestReport.Outcome.REJECTED);
        this.observer.report(new RequestReport(endpoint, attempt, r.status(), outcome, 0, List.of(), bytes,
                Duration.ofNanos(System.nanoTime() - startNanos), (r.error() != null) ? scrub(r.error())
                        : (outcome == RequestReport.Outcome.SUCCESS ? null : "HTTP " + r.status())));
    }

    /**
     * @param text text that may contain a key (an exception message, a URL)
     * @return the text with the project and personal keys replaced by {@code (hidden)}
     */
    @Nullable String scrub(@Nullable String text) {
        if (text == null) {
            return null;
        }
        ClientSettings s = this.settings.get();
        String out = text.replace(s.apiKey(), "(hidden)");
        String personal = s.flags().personalApiKey();
        return (personal != null) ? out.replace(personal, "(hidden)") : out;
    }

}
