package io.github.posthog4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posthog4j.client.errors.TypeError;
import io.github.posthog4j.testsupport.PosthogExtension;
import io.github.posthog4j.testsupport.PosthogStandIn;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request context ({@link PosthogContext}): what captures, exception captures and
 * flag calls take from it, scoping, nesting and threads. The tracing-header scenarios
 * with server middleware are tested with the starter's filters (MockMvc and
 * WebTestClient); here the context is opened by hand, as an application without Spring
 * would.
 */
class RequestContextTests {

    @RegisterExtension
    final PosthogExtension posthog = PosthogExtension.create();

    @AfterEach
    void noContextLeaks() {
        assertThat(PosthogContext.current()).isNull();
    }

    private List<JsonNode> events(ManagedPosthogClient client) {
        client.flush();
        return this.posthog.server().events();
    }

    @Test
    void aCaptureWithoutDistinctIdTakesTheContextsIdSessionAndProperties() {
        ManagedPosthogClient client = this.posthog.client((b) -> b.superProperty("tenant", "from-super"));
        try (PosthogContext.Scope scope = PosthogContext.builder()
            .distinctId("user-123")
            .sessionId("session-123")
            .property("tenant", "acme")
            .property("$current_url", "https://shop.example/cart")
            .open()) {
            client.capture(null, "Backend Work");
            client.capture("", "Blank Id Work", Map.of("tenant", "own"));
        }
        List<JsonNode> events = events(client);
        JsonNode first = events.get(0);
        assertThat(first.get("distinct_id").asText()).isEqualTo("user-123");
        assertThat(first.get("properties").get("$session_id").asText()).isEqualTo("session-123");
        assertThat(first.get("properties").get("tenant").asText()).as("context over super").isEqualTo("acme");
        assertThat(first.get("properties").get("$current_url").asText()).isEqualTo("https://shop.example/cart");
        assertThat(first.get("properties").has("$process_person_profile")).isFalse();
        assertThat(events.get(1).get("properties").get("tenant").asText()).as("event over context").isEqualTo("own");
    }

    @Test
    void explicitValuesWinOverTheContext() {
        ManagedPosthogClient client = this.posthog.client();
        Map<String, Object> own = new HashMap<>();
        own.put("$session_id", "explicit-session");
        own.put("plan", null);
        try (PosthogContext.Scope scope = PosthogContext.builder()
            .distinctId("header-user")
            .sessionId("header-session")
            .property("plan", "context-plan")
            .open()) {
            client.capture("explicit-user", "Backend Work", own);
        }
        JsonNode event = events(client).get(0);
        assertThat(event.get("distinct_id").asText()).isEqualTo("explicit-user");
        assertThat(event.get("properties").get("$session_id").asText()).isEqualTo("explicit-session");
        assertThat(event.get("properties").get("plan").isNull()).as("an explicit null wins too").isTrue();
    }

    @Test
    void withoutAnyDistinctIdACaptureIsPersonlessAndKeepsTheSession() {
        ManagedPosthogClient client = this.posthog.client();
        try (PosthogContext.Scope scope = PosthogContext.builder().sessionId("session-123").open()) {
            client.capture(null, "Backend Work");
        }
        JsonNode event = events(client).get(0);
        assertThat(event.get("distinct_id").asText()).hasSize(36);
        assertThat(event.get("properties").get("$process_person_profile").asBoolean()).isFalse();
        assertThat(event.get("properties").get("$session_id").asText()).isEqualTo("session-123");
    }

    @Test
    void nestedScopesInheritOverrideAndRestore() {
        ManagedPosthogClient client = this.posthog.client();
        try (PosthogContext.Scope outer = PosthogContext.builder()
            .distinctId("outer-user")
            .sessionId("s1")
            .property("a", 1)
            .open()) {
            try (PosthogContext.Scope inner = PosthogContext.builder().sessionId("s2").property("b", 2).open()) {
                client.capture(null, "inner");
                try (PosthogContext.Scope fresh = PosthogContext.builder().fresh().property("c", 3).open()) {
                    client.capture(null, "fresh");
                }
            }
            client.capture(null, "outer");
        }
        client.capture(null, "none");
        List<JsonNode> events = events(client);
        JsonNode inner = events.get(0);
        assertThat(inner.get("distinct_id").asText()).isEqualTo("outer-user");
        assertThat(inner.get("properties").get("$session_id").asText()).isEqualTo("s2");
        assertThat(inner.get("properties").get("a").asInt()).isEqualTo(1);
        assertThat(inner.get("properties").get("b").asInt()).isEqualTo(2);
        JsonNode fresh = events.get(1);
        assertThat(fresh.get("properties").get("$process_person_profile").asBoolean()).isFalse();
        assertThat(fresh.get("properties").has("a") || fresh.get("properties").has("$session_id")).isFalse();
        assertThat(fresh.get("properties").get("c").asInt()).isEqualTo(3);
        JsonNode outer = events.get(2);
        assertThat(outer.get("properties").get("$session_id").asText()).isEqualTo("s1");
        assertThat(outer.get("properties").has("b")).isFalse();
        assertThat(events.get(3).get("properties").has("$session_id")).isFalse();
    }

    @Test
    void closingAScopeTwiceOrOutOfOrderRestoresWhatItReplaced() {
        PosthogContext.Scope a = PosthogContext.builder().distinctId("a").open();
        PosthogContext.Scope b = PosthogContext.builder().distinctId("b").open();
        b.close();
        b.close();
        assertThat(PosthogContext.currentDistinctId()).isEqualTo("a");
        a.close();
        assertThat(PosthogContext.current()).isNull();
    }

    @Test
    void identifyAliasAndGroupsKeepTheirOwnIds() {
        ManagedPosthogClient client = this.posthog.client();
        try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("ctx").property("tag", "x").open()) {
            client.identify("person-1", Map.of("plan", "pro"), null);
            client.alias("person-1", "anon-1");
        }
        for (JsonNode e : events(client)) {
            assertThat(e.get("distinct_id").asText()).isEqualTo("person-1");
            assertThat(e.get("properties").has("tag")).isFalse();
        }
    }

    @Test
    void captureExceptionTakesTheContextAndAnExplicitIdWins() {
        ManagedPosthogClient client = this.posthog.client();
        try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("ctx-user").sessionId("s").open()) {
            client.captureException(new TypeError("from context"));
            client.captureException(new TypeError("explicit"), "explicit-user");
        }
        List<JsonNode> events = events(client);
        assertThat(events.get(0).get("distinct_id").asText()).isEqualTo("ctx-user");
        assertThat(events.get(0).get("properties").get("$session_id").asText()).isEqualTo("s");
        assertThat(events.get(1).get("distinct_id").asText()).isEqualTo("explicit-user");
    }

    @Test
    void contextsAreIsolatedBetweenThreads() throws Exception {
        ManagedPosthogClient client = this.posthog.client();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch bothOpen = new CountDownLatch(2);
            List<Future<?>> done = new ArrayList<>();
            for (String user : List.of("alice", "bob")) {
                done.add(pool.submit(() -> {
                    try (PosthogContext.Scope scope = PosthogContext.builder().distinctId(user).open()) {
                        bothOpen.countDown();
                        bothOpen.await(5, TimeUnit.SECONDS);
                        client.capture(null, "work of " + user);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            // a pooled thread that ran a scope keeps nothing
            assertThat(pool.submit(PosthogContext::current).get()).isNull();
        }
        finally {
            pool.shutdownNow();
        }
        for (JsonNode e : events(client)) {
            assertThat(e.get("event").asText()).isEqualTo("work of " + e.get("distinct_id").asText());
        }
    }

    @Test
    void wrapCarriesTheContextToAnotherThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("carried").open()) {
            Callable<String> task = PosthogContext.wrap((Callable<String>) PosthogContext::currentDistinctId);
            assertThat(pool.submit(task).get(5, TimeUnit.SECONDS)).isEqualTo("carried");
            assertThat(pool.submit(PosthogContext::currentDistinctId).get(5, TimeUnit.SECONDS)).isNull();
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aContextNeverShowsItsValuesInToString() {
        PosthogContext context = PosthogContext.builder().distinctId("secret-user").sessionId("secret-session").build();
        assertThat(context.toString()).doesNotContain("secret");
    }

    // ---------------------------------------------------------------------------------------
    // flags

    @Test
    void flagCallsWithoutDistinctIdUseTheContextsAndWithoutOneMakeNoRequest() {
        PosthogStandIn server = this.posthog.server();
        server.route("/flags",
                (r) -> PosthogStandIn.Reply.ok()
                    .json("{\"flags\": {\"beta\": {\"key\": \"beta\", \"enabled\": true, \"variant\": null,"
                            + " \"metadata\": {\"id\": 1, \"version\": 1, \"payload\": null}}}}"));
        ManagedPosthogClient client = this.posthog.client();
        assertThat(client.isFeatureEnabled("beta")).isFalse();
        assertThat(client.getFeatureFlag("beta")).isNull();
        assertThat(client.getAllFlags()).isEmpty();
        assertThat(client.evaluateFlags().keys()).isEmpty();
        assertThat(server.requests().stream().filter((r) -> r.path().startsWith("/flags"))).isEmpty();
        try (PosthogContext.Scope scope = PosthogContext.builder().distinctId("flag-user").open()) {
            assertThat(client.isFeatureEnabled("beta")).isTrue();
        }
        List<PosthogStandIn.Request> flagRequests = server.requests()
            .stream()
            .filter((r) -> r.path().startsWith("/flags"))
            .toList();
        assertThat(flagRequests).hasSize(1);
        assertThat(flagRequests.get(0).json().get("distinct_id").asText()).isEqualTo("flag-user");
        List<JsonNode> called = events(client).stream()
            .filter((e) -> e.get("event").asText().equals("$feature_flag_called"))
            .toList();
        assertThat(called).hasSize(1);
        assertThat(called.get(0).get("distinct_id").asText()).isEqualTo("flag-user");
    }

    /**
     * sdk-specs {@code get-distinct-id}, {@code @server} "Server SDKs do not expose
     * ambient distinct id state": the client has no distinct-id getter and no identity of
     * its own (identify does not make one); only a request context, which ends with its
     * scope, carries a distinct id.
     */
    @Test
    void serverSdksDoNotExposeAmbientDistinctIdState() {
        for (Method m : PosthogClient.class.getMethods()) {
            assertThat(m.getName()).doesNotContainIgnoringCase("getDistinctId").isNotEqualTo("distinctId");
        }
        ManagedPosthogClient client = this.posthog.client();
        client.identify("user-123", Map.of(), null);
        assertThat(PosthogContext.currentDistinctId()).isNull();
        client.capture(null, "after identify");
        JsonNode event = events(client).stream()
            .filter((e) -> e.get("event").asText().equals("after identify"))
            .findFirst()
            .orElseThrow();
        assertThat(event.get("distinct_id").asText()).isNotEqualTo("user-123");
        assertThat(event.get("properties").get("$process_person_profile").asBoolean()).isFalse();
    }

    // ---------------------------------------------------------------------------------------

    /**
     * Other implementations of the interface (the starter's disabled client, test
     * recorders) get {@code captureException} and the context-aware flag calls from its
     * default methods.
     */
    @Test
    void theInterfaceDefaultsBuildTheExceptionEventThroughCapture() throws Exception {
        List<Object[]> captures = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("capture") && args.length == 3) {
                captures.add(args);
                return "uuid";
            }
            return null;
        };
        PosthogClient recorder = (PosthogClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { PosthogClient.class }, handler);
        assertThat(recorder.captureException(new TypeError("boom"), "u1", Map.of("area", "checkout")))
            .isEqualTo("uuid");
        assertThat(recorder.captureException((Throwable) null)).isNull();
        assertThat(captures).hasSize(1);
        assertThat(captures.get(0)[0]).isEqualTo("u1");
        assertThat(captures.get(0)[1]).isEqualTo("$exception");
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) captures.get(0)[2];
        assertThat(props).containsEntry("$exception_type", "TypeError")
            .containsEntry("$exception_level", "error")
            .containsEntry("area", "checkout")
            .containsKey("$exception_list");
    }

}
