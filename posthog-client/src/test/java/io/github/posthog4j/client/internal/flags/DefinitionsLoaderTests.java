package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.RequestReport;
import io.github.posthog4j.client.internal.ClientSettings;
import io.github.posthog4j.client.internal.RequestObserver;
import io.github.posthog4j.testsupport.PosthogStandIn;
import io.github.posthog4j.testsupport.PosthogStandIn.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The definitions loader against a real HTTP server: what it keeps, what it clears, and
 * when it tells that flag values may have changed (which resets the
 * {@code $feature_flag_called} dedupe).
 */
class DefinitionsLoaderTests {

    private static final String DEFINITIONS = ("{'flags': [{'id': 1, 'key': 'beta', 'active': true,"
            + " 'filters': {'groups': [{'properties': [], 'rollout_percentage': 100}]}}],"
            + " 'group_type_mapping': {}, 'cohorts': {}}")
        .replace('\'', '"');

    private final PosthogStandIn posthog = PosthogStandIn.start();

    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();

    private final List<RequestReport> reports = new CopyOnWriteArrayList<>();

    private final AtomicInteger changes = new AtomicInteger();

    private ClientSettings settings = settings("phx_loader");

    private final DefinitionsLoader loader = new DefinitionsLoader(() -> this.settings,
            new FlagRequests(() -> this.settings, new RequestObserver() {
                @Override
                public boolean active() {
                    return true;
                }

                @Override
                public void report(RequestReport report) {
                    DefinitionsLoaderTests.this.reports.add(report);
                }
            }), this.changes::incrementAndGet);

    private final FlagsHttp http = new FlagsHttp(this.settings, "posthog-flags-test-http-");

    DefinitionsLoaderTests() {
        this.posthog.route("/api/feature_flag/local_evaluation", request -> {
            Reply scripted = this.replies.poll();
            if (scripted != null) {
                return scripted;
            }
            if ("\"v1\"".equals(request.headers().get("if-none-match"))) {
                return new Reply(304, Map.of("ETag", "\"v1\""), Duration.ZERO, "", "application/json");
            }
            return Reply.ok().json(DEFINITIONS).header("ETag", "\"v1\"");
        });
    }

    private ClientSettings settings(String personalKey) {
        return ClientSettings.of(PosthogClient.builder("phc_loader")
            .host(this.posthog.url())
            .personalApiKey(personalKey)
            .localEvaluation(true));
    }

    @AfterEach
    void tearDown() {
        this.http.close();
        this.posthog.close();
    }

    @Test
    void whenDefinitionsAreUnchangedShouldKeepTheEvaluatorAndReportNoChange() {
        this.loader.load(this.http);
        LocalFlagEvaluator first = this.loader.evaluator();
        long loadedAt = this.loader.loadedAtMillis();

        this.loader.load(this.http);

        assertThat(first).isNotNull();
        assertThat(first.definitions().flag("beta")).isNotNull();
        assertThat(this.loader.evaluator()).isSameAs(first);
        assertThat(this.loader.loadedAtMillis()).isGreaterThanOrEqualTo(loadedAt).isPositive();
        assertThat(this.changes).hasValue(1);
        assertThat(this.posthog.requests().get(1).headers()).containsEntry("if-none-match", "\"v1\"")
            .containsEntry("authorization", "Bearer phx_loader");
        assertThat(this.reports).extracting(RequestReport::endpoint).containsExactly("definitions", "definitions");
        assertThat(this.reports).extracting(RequestReport::statusCode).containsExactly(200, 304);
    }

    @Test
    void whenLoadFailsShouldKeepTheLastGoodDefinitionsAndRecoverAfterwards() {
        this.loader.load(this.http);
        LocalFlagEvaluator good = this.loader.evaluator();
        this.replies.add(Reply.status(500));
        this.replies.add(Reply.ok().json("not json"));

        this.loader.load(this.http);
        assertThat(this.loader.lastError()).isEqualTo("HTTP 500");
        this.loader.load(this.http);
        assertThat(this.loader.lastError()).startsWith("malformed definitions JSON");
        assertThat(this.loader.evaluator()).isSameAs(good);
        assertThat(this.changes).hasValue(1);

        this.loader.load(this.http);
        assertThat(this.loader.lastError()).isNull();
    }

    @Test
    void whenQuotaLimitedShouldClearTheDefinitionsAndReportTheChange() {
        this.loader.load(this.http);
        this.replies.add(Reply.status(402));

        this.loader.load(this.http);

        assertThat(this.loader.evaluator()).isNull();
        assertThat(this.loader.lastError()).contains("402").contains("quota");
        assertThat(this.changes).hasValue(2);
    }

    @Test
    void whenPersonalKeyIsRefusedShouldNameItWithoutShowingIt() {
        this.replies.add(Reply.status(401));

        this.loader.load(this.http);

        assertThat(this.loader.evaluator()).isNull();
        assertThat(this.loader.lastError()).contains("personal API key").doesNotContain("phx_loader");
        assertThat(this.changes).hasValue(0);
    }

    @Test
    void whenSettingsPointElsewhereShouldForgetTheDefinitions() {
        this.loader.load(this.http);
        ClientSettings old = this.settings;

        this.loader.settingsChanging(old, old);
        assertThat(this.loader.evaluator()).isNotNull();
        assertThat(this.changes).hasValue(1);

        this.settings = settings("phx_other");
        this.loader.settingsChanging(old, this.settings);
        assertThat(this.loader.evaluator()).isNull();
        assertThat(this.loader.loadedAtMillis()).isZero();
        assertThat(this.changes).hasValue(2);
    }

}
