package io.github.posthog4j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The sample app end to end, on a random port: endpoints capture through the injected
 * client, the engine (started on ApplicationReadyEvent with the real port) delivers to
 * the embedded sink, actuator shows health, metrics and the posthog endpoint, the
 * dashboard's API drives the client. Uses only APIs present in Spring Boot 3.5, 4.0 and
 * 4.1: the same tests run on every line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,metrics,env,posthog",
                "management.endpoint.env.show-values=always" })
class SampleApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();

    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    private Environment environment;

    @Autowired
    private ApplicationContext context;

    private String url(String path) {
        return "http://localhost:" + environment.getProperty("local.server.port") + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postRaw(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = postRaw(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body());
    }

    private JsonNode sinkEvents() throws Exception {
        return json.readTree(get("/sink/events").body()).get("events");
    }

    private JsonNode awaitSinkEvent(String field, String value) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            for (JsonNode e : sinkEvents()) {
                if (value.equals(e.path(field).asText())) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void whenFlagsAreEvaluatedLocallyShouldDriveTheCheckoutAndTagItsEvent() throws Exception {
        ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
        await().atMost(WAIT).until(() -> client.flagsStatus().definitionsLoaded());
        java.util.Set<String> variants = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            JsonNode page = json.readTree(get("/api/checkout?user=flag-user-" + i).body());
            JsonNode again = json.readTree(get("/api/checkout?user=flag-user-" + i).body());
            assertThat(again.get("checkout")).isEqualTo(page.get("checkout")); // sticky
                                                                               // per user
            variants.add(page.get("checkout").asText() + "/" + page.get("buttonColor").asText());
            assertThat(page.get("buttonStyle").asText()).contains("hex");
        }
        // 50 % rollout and a 50/50 multivariate flag: 40 users see every combination
        assertThat(variants).contains("new/blue", "new/green", "classic/blue", "classic/green");
        assertThat(client.flagsStatus().localEvaluations()).isGreaterThan(0);
        assertThat(client.flagsStatus().remoteEvaluations() + client.flagsStatus().fallbackEvaluations()).isZero();
        JsonNode event = awaitSinkEvent("distinctId", "flag-user-7");
        await().atMost(WAIT).until(() -> {
            for (JsonNode e : sinkEvents()) {
                if ("checkout viewed".equals(e.path("event").asText())
                        && "flag-user-7".equals(e.path("distinctId").asText())) {
                    return e.path("properties").has("$feature/new-checkout")
                            && e.path("properties").has("$active_feature_flags");
                }
            }
            return false;
        });
        assertThat(event).isNotNull();
        JsonNode metric = json.readTree(get("/actuator/metrics/posthog.flags.evaluations?tag=source:local").body());
        assertThat(metric.path("measurements").get(0).path("value").asDouble()).isGreaterThan(0);
    }

    @Test
    void whenEventCapturedThroughEndpointShouldReachTheSink() throws Exception {
        JsonNode result = post("/api/events",
                "{\"distinctId\":\"user-1\",\"event\":\"signed up\",\"properties\":{\"plan\":\"pro\"}}");
        String uuid = result.get("uuid").asText();
        JsonNode event = awaitSinkEvent("uuid", uuid);
        assertThat(event.get("event").asText()).isEqualTo("signed up");
        assertThat(event.get("distinctId").asText()).isEqualTo("user-1");
        assertThat(event.at("/properties/plan").asText()).isEqualTo("pro");
        assertThat(event.at("/properties/app").asText()).isEqualTo("posthog-sample");
        assertThat(event.at("/properties/$lib").asText()).isEqualTo("posthog-spring-boot");
        JsonNode listed = json.readTree(get("/sink/events").body());
        assertThat(listed.get("unique").asLong()).isPositive();
        assertThat(listed.get("duplicates").asLong()).isZero();
    }

    @Test
    void whenHomePageRequestedShouldServeTheDashboard() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("sample dashboard")
            .contains("id=\"btn-burst\"")
            .contains("id=\"btn-outage\"")
            .contains("dashboard.js");
        assertThat(get("/dashboard.js").statusCode()).isEqualTo(200);
        assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
    }

    @Test
    void whenDashboardStatusRequestedShouldShowTheClientFlagsAndSink() throws Exception {
        JsonNode status = json.readTree(get("/api/dashboard/status").body());
        assertThat(status.get("enabled").asBoolean()).isTrue();
        assertThat(status.at("/client/running").asBoolean()).isTrue();
        assertThat(status.at("/client/queueCapacity").asInt()).isEqualTo(50_000);
        assertThat(status.at("/client/droppedByReason").has("queue_full")).isTrue();
        assertThat(status.at("/flags").has("local")).isTrue();
        assertThat(status.at("/sink/down").asBoolean()).isFalse();
        await().atMost(WAIT).until(() -> json.readTree(get("/api/dashboard/history").body()).size() > 0);
    }

    @Test
    void whenDashboardRestartsTheClientShouldStartNewConsumersAndKeepDelivering() throws Exception {
        ManagedPosthogClient client = context.getBean(ManagedPosthogClient.class);
        long before = client.status().consumerRestarts();
        HttpResponse<String> restart = postRaw("/api/dashboard/restart", "");
        assertThat(restart.statusCode()).isEqualTo(200);
        assertThat(json.readTree(restart.body()).get("restarts").asLong()).isEqualTo(before + 1);
        assertThat(client.isRunning()).isTrue();
        assertThat(client.status().consumersActive()).isEqualTo(PosthogClientBuilder.DEFAULT_CONSUMER_THREADS);
        String uuid = post("/api/events", "{\"distinctId\":\"user-r\",\"event\":\"after restart\"}").get("uuid")
            .asText();
        awaitSinkEvent("uuid", uuid);
    }

    @Test
    void whenDashboardInputIsOutOfRangeShouldAnswer400() throws Exception {
        assertThat(postRaw("/api/dashboard/burst?count=0", "").statusCode()).isEqualTo(400);
        assertThat(postRaw("/api/dashboard/burst?count=100001", "").statusCode()).isEqualTo(400);
        assertThat(postRaw("/api/dashboard/outage?seconds=61", "").statusCode()).isEqualTo(400);
    }

    @Test
    void whenThrowPressedShouldAnswer500() throws Exception {
        HttpResponse<String> thrown = postRaw("/api/dashboard/throw", "");
        assertThat(thrown.statusCode()).isEqualTo(500);
    }

    @Test
    void whenPosthogEndpointReadShouldDescribeTheClientWithoutItsKeys() throws Exception {
        HttpResponse<String> response = get("/actuator/posthog");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.at("/engine/running").asBoolean()).isTrue();
        assertThat(body.at("/engine/state").asText()).isIn("up", "degraded");
        assertThat(body.at("/queue/capacity").asInt()).isEqualTo(50_000);
        assertThat(body.at("/settings/api-key").asText()).isEqualTo("******");
        assertThat(body.at("/settings/feature-flags/personal-api-key").asText()).isEqualTo("******");
        assertThat(body.at("/settings/host").asText()).endsWith("/sink");
        assertThat(body.at("/spool/enabled").asBoolean()).isFalse();
        assertThat(response.body()).doesNotContain("phc_local_sample_key").doesNotContain("phx_local_sample_key");
    }

    @Test
    void whenPosthogEndpointFlushWrittenShouldSendWhatIsQueued() throws Exception {
        post("/api/events", "{\"distinctId\":\"user-f\",\"event\":\"flushed by actuator\"}");
        HttpResponse<String> response = postRaw("/actuator/posthog", "");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("queueSize").asInt()).isZero();
        assertThat(body.has("sent")).isTrue();
        awaitSinkEvent("event", "flushed by actuator");
    }

    @Test
    void whenAnEndpointFailsShouldCaptureItsExceptionForTheHeadersUserAndShowItOnThePage() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/api/fail")))
            .timeout(WAIT)
            .header("X-POSTHOG-DISTINCT-ID", "sample-user-42")
            .header("X-POSTHOG-SESSION-ID", "sample-session-42")
            .header("Accept", "application/json")
            .build(), HttpResponse.BodyHandlers.ofString());
        // Spring Boot's own error response, untouched
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = json.readTree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(500);
        assertThat(error.get("path").asText()).isEqualTo("/api/fail");

        JsonNode event = awaitSinkEvent("distinctId", "sample-user-42");
        assertThat(event.get("event").asText()).isEqualTo("$exception");
        JsonNode props = event.get("properties");
        assertThat(props.get("$session_id").asText()).isEqualTo("sample-session-42");
        assertThat(props.get("$exception_type").asText()).isEqualTo("FailureController$CheckoutFailedException");
        assertThat(props.get("$exception_source").asText()).isEqualTo("spring.mvc_exception_resolver");
        assertThat(props.get("$current_url").asText()).endsWith("/api/fail");
        JsonNode list = props.get("$exception_list");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).at("/mechanism/handled").asBoolean()).isFalse();
        assertThat(list.get(1).get("type").asText()).isEqualTo("IOException");
        assertThat(list.get(1).at("/mechanism/source").asText()).isEqualTo("cause");
        JsonNode frames = list.get(1).at("/stacktrace/frames");
        JsonNode crashSite = frames.get(frames.size() - 1);
        assertThat(crashSite.get("function").asText()).isEqualTo("chargeCard");
        assertThat(crashSite.get("in_app").asBoolean()).as("the application's package").isTrue();
        assertThat(frames.get(0).get("in_app").asBoolean()).as("the server thread's entry point").isFalse();

        assertThat(get("/").body()).contains("Latest $exception");
        String panel = get("/api/dashboard/latest-exception").body();
        assertThat(panel).contains("Latest $exception")
            .contains("id=\"exception-distinct-id\">sample-user-42<")
            .contains("FailureController$CheckoutFailedException");
    }

    @Test
    void whenIdentifyAliasAndGroupCalledShouldReachTheSink() throws Exception {
        post("/api/identify", "{\"distinctId\":\"user-2\",\"set\":{\"email\":\"u2@example.com\"}}");
        post("/api/alias", "{\"distinctId\":\"user-2\",\"alias\":\"anon-2\"}");
        post("/api/groups", "{\"groupType\":\"company\",\"groupKey\":\"acme\",\"properties\":{\"seats\":5}}");
        awaitSinkEvent("event", "$identify");
        JsonNode alias = awaitSinkEvent("event", "$create_alias");
        assertThat(alias.at("/properties/alias").asText()).isEqualTo("anon-2");
        JsonNode group = awaitSinkEvent("event", "$groupidentify");
        assertThat(group.at("/properties/$group_key").asText()).isEqualTo("acme");
    }

    @Test
    void whenRunningShouldUseTheBootLineOfTheBuildAndItsHealthApi() {
        String expected = System.getProperty("expected.spring-boot.version");
        assertThat(expected).as("set by the sample-app pom").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
        String indicator = context.getBean("posthogHealthIndicator").getClass().getSimpleName();
        assertThat(indicator)
            .isEqualTo(expected.startsWith("3.") ? "PosthogBoot3HealthIndicator" : "PosthogHealthIndicator");
        System.out
            .println("Sample app tests run on Spring Boot " + SpringBootVersion.getVersion() + " with " + indicator);
    }

    @Test
    void whenEnvShowsValuesShouldStillHideTheApiKey() throws Exception {
        HttpResponse<String> host = get("/actuator/env/posthog.host");
        assertThat(host.statusCode()).isEqualTo(200);
        assertThat(host.body()).contains("/sink"); // values are shown...
        HttpResponse<String> key = get("/actuator/env/posthog.api-key");
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.body()).doesNotContain("phc_local_sample_key").contains("******"); // ...but
                                                                                          // not
                                                                                          // the
                                                                                          // key
    }

    @Test
    void whenHealthRequestedShouldShowPosthogComponent() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode posthog = json.readTree(response.body()).at("/components/posthog");
        assertThat(posthog.path("status").asText()).isEqualTo("UP");
        assertThat(posthog.at("/details/queueCapacity").asInt()).isEqualTo(50_000);
        assertThat(posthog.at("/details/running").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain("phc_local_sample_key");
    }

    @Test
    void whenMetricsRequestedShouldExposeEveryPosthogMeter() throws Exception {
        post("/api/events", "{\"distinctId\":\"user-3\",\"event\":\"metered\"}");
        await().atMost(WAIT).until(() -> get("/actuator/metrics/posthog.requests").statusCode() == 200);
        for (String name : List.of("posthog.queue.size", "posthog.queue.capacity", "posthog.consumers.active",
                "posthog.events.captured", "posthog.events.sent", "posthog.events.dropped", "posthog.retries",
                "posthog.consumer.restarts", "posthog.requests")) {
            HttpResponse<String> response = get("/actuator/metrics/" + name);
            assertThat(response.statusCode()).as(name).isEqualTo(200);
            assertThat(json.readTree(response.body()).get("name").asText()).isEqualTo(name);
        }
        // one gauge per pipeline (events, and logs and traces once they exist): the
        // events queue's
        JsonNode capacity = json.readTree(get("/actuator/metrics/posthog.queue.capacity?tag=pipeline:events").body());
        assertThat(capacity.at("/measurements/0/value").asDouble()).isEqualTo(50_000.0);
        JsonNode dropped = json.readTree(get("/actuator/metrics/posthog.events.dropped").body());
        assertThat(dropped.toString()).contains("queue_full").contains("spool_full").contains("rate_limited");
    }

}
