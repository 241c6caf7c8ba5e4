package io.github.posthog4j.compliance.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.posthog4j.compliance.contract.MockPosthog.MockResponse;
import io.github.posthog4j.compliance.contract.MockPosthog.Recorded;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs one contract test, step by step, with the semantics of the harness's actions
 * ({@code contracts/adapter_actions.yaml}, {@code contracts/test_actions.yaml} and the
 * harness's {@code actions.py}): adapter actions call the adapter over HTTP, mock actions
 * configure the loopback {@link MockPosthog}, assertions read the requests it recorded
 * for this test's id. An action this runner does not know fails the test with
 * {@code unsupported action X}. Comparisons follow Python's {@code ==} on JSON values
 * (numbers by value, so 42 equals 42.0), except that booleans never equal numbers.
 */
public final class ContractRunner {

    private static final Pattern RFC3339_UTC = Pattern
        .compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?(?:Z|\\+00:00)");

    private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

    private final AdapterClient adapter;

    private final MockPosthog mock;

    private final String testId;

    private Object lastActionResult;

    public ContractRunner(AdapterClient adapter, MockPosthog mock, String testId) {
        this.adapter = adapter;
        this.mock = mock;
        this.testId = testId;
    }

    /**
     * Resets the adapter instance and the mock partition of this test id, then runs every
     * step.
     * @param test the test definition (name, steps, ...)
     */
    @SuppressWarnings("unchecked")
    public void run(Map<String, Object> test) {
        reset();
        List<Map<String, Object>> steps = (List<Map<String, Object>>) test.getOrDefault("steps", List.of());
        int n = 0;
        for (Map<String, Object> step : steps) {
            n++;
            String action = String.valueOf(step.get("action"));
            Map<String, Object> params = (step.get("params") instanceof Map<?, ?> p) ? (Map<String, Object>) p
                    : Map.of();
            try {
                execute(action, params);
            }
            catch (AssertionError ex) {
                AssertionError failure = new AssertionError("step " + n + " (" + action + "): " + ex.getMessage());
                failure.initCause(ex.getCause());
                throw failure;
            }
        }
    }

    /** Closes this test's SDK instance and forgets its recorded requests. */
    public void reset() {
        lastActionResult = null;
        mock.reset(testId);
        adapter.call("POST", "/reset", testId, null);
    }

    private List<Recorded> requests() {
        return mock.requests(testId);
    }

    /**
     * Runs one action without resetting first (for the runner's self-checks).
     * @param action the action name
     * @param params its parameters
     */
    public void step(String action, Map<String, Object> params) {
        execute(action, params);
    }

    void execute(String action, Map<String, Object> p) {
        switch (action) {
            // ---- adapter actions
            case "init" -> init(p);
            case "capture" -> captureCall("/capture", p, false);
            case "capture_ai" -> lastActionResult = captureCall("/capture_ai", p, true);
            case "capture_multiple" -> captureMultiple(p);
            case "get_feature_flag" -> lastActionResult = getFeatureFlag(p);
            case "flush" -> adapter.call("POST", "/flush", testId, null);
            case "reset" -> reset();
            // ---- mock and timing
            case "configure_mock_responses" -> configure(p);
            case "wait" -> waitFor(p);
            // ---- request level
            case "assert_request_count" -> {
                int actual = requests().size();
                check(actual == intReq(p, "expected"), "Expected " + p.get("expected") + " requests, got " + actual);
            }
            case "assert_request_count_gte" -> {
                int actual = requests().size();
                check(actual >= intReq(p, "expected"),
                        "Expected at least " + p.get("expected") + " requests, got " + actual);
            }
            // ---- event level
            case "assert_event_field" -> assertEventField(p);
            case "assert_event_has_field" -> {
                Map<String, Object> event = firstEventOfFirstRequest();
                check(event.containsKey(req(p, "field")), "Event missing '" + p.get("field") + "' field");
            }
            case "assert_event_property" -> assertEventProperty(p);
            case "assert_uuid_format" -> {
                Map<String, Object> event = firstEventOrNone();
                Object value = event.get(req(p, "field"));
                check(truthy(value), "Event missing '" + p.get("field") + "' field");
                check(isValidUuid(value), "Invalid UUID format: " + value);
            }
            case "assert_action_result_uuid_matches_event" -> assertActionResultUuidMatchesEvent();
            case "assert_all_uuids_unique" -> {
                List<Object> uuids = allUuids();
                check(new HashSet<>(uuids).size() == uuids.size(),
                        "UUIDs not unique: " + uuids.size() + " total, " + new HashSet<>(uuids).size() + " unique");
            }
            case "assert_uuid_preserved_on_retry" -> assertPreservedOnRetry("uuid", "UUIDs");
            case "assert_timestamp_preserved_on_retry" -> assertPreservedOnRetry("timestamp", "Timestamps");
            case "assert_no_duplicate_events_in_batch" -> assertNoDuplicateEventsInBatch();
            case "assert_different_uuids" -> {
                List<Object> uuids = allUuids();
                check(uuids.size() >= 2, "Need at least 2 events");
                check(!pyEquals(uuids.get(0), uuids.get(1)), "Different events should have different UUIDs");
            }
            // ---- token / auth
            case "assert_token_present" -> assertTokenPresent(p);
            case "assert_token_present_client" -> assertTokenPresentClient(p);
            // ---- retries
            case "assert_final_success" -> assertFinalSuccess(p);
            case "assert_retry_delay" -> {
                List<Recorded> r = requests();
                check(r.size() >= 2, "Need at least 2 requests");
                long delay = r.get(1).timestampMs() - r.get(0).timestampMs();
                check(delay >= intReq(p, "min_delay_ms"),
                        "Retry delay too short: " + delay + "ms < " + p.get("min_delay_ms") + "ms");
            }
            case "assert_backoff_implemented" -> {
                List<Recorded> r = requests();
                check(r.size() >= 2, "Need at least 2 requests");
                long delay = r.get(1).timestampMs() - r.get(0).timestampMs();
                check(delay >= intReq(p, "min_first_delay_ms"),
                        "First retry delay too short: " + delay + "ms < " + p.get("min_first_delay_ms") + "ms");
            }
            case "assert_response_status" -> {
                Object lastError = adapter.call("GET", "/state", testId, null).get("last_error");
                check(truthy(lastError), "Expected an error but none was recorded");
                check(String.valueOf(lastError).contains(String.valueOf(req(p, "expected"))),
                        "Expected status " + p.get("expected") + " in error, got: " + lastError);
            }
            case "assert_capture_fails" -> {
                // A marker in the harness: the failing capture itself is the assertion.
            }
            // ---- headers and format
            case "assert_request_has_header" -> assertRequestHasHeader(p);
            case "assert_batch_format" -> assertBatchFormat(p);
            // ---- flags
            case "assert_flags_request_count" -> {
                long actual = flagsRequests().size();
                check(actual == intReq(p, "expected"),
                        "Expected " + p.get("expected") + " /flags requests, got " + actual);
            }
            case "assert_flags_request_field" -> assertFlagsRequestField(p);
            case "assert_flags_request_query_param" -> {
                List<Recorded> flags = flagsRequests();
                check(!flags.isEmpty(), "No /flags requests recorded");
                String actual = flags.get(0).queryParams().get(String.valueOf(req(p, "param")));
                check(pyEquals(actual, req(p, "expected")),
                        "Expected /flags query param " + p.get("param") + "='" + p.get("expected") + "', got '" + actual
                                + "'. All query params: " + flags.get(0).queryParams());
            }
            case "assert_event_count_with_name" -> {
                Object name = req(p, "name");
                long count = captureEvents().stream().filter(e -> pyEquals(e.get("event"), name)).count();
                check(count == intReq(p, "expected"),
                        "Expected " + p.get("expected") + " events with name '" + name + "', got " + count);
            }
            case "assert_event_property_in_named_event" -> assertEventPropertyInNamedEvent(p);
            case "assert_action_result" -> assertActionResult(p);
            case "assert_event_field_client" -> assertEventFieldClient(p);
            // ---- paths
            case "assert_request_path" -> {
                List<Recorded> r = nonEmptyRequests();
                String expected = stripSlashes(String.valueOf(req(p, "expected")));
                for (int i = 0; i < r.size(); i++) {
                    check(stripSlashes(r.get(i).path()).equals(expected),
                            "Request " + i + " path '" + r.get(i).path() + "' != expected '" + p.get("expected") + "'");
                }
            }
            case "assert_no_requests_to_paths" -> {
                Set<String> forbidden = new HashSet<>();
                for (Object path : listReq(p, "paths")) {
                    forbidden.add(stripSlashes(String.valueOf(path)));
                }
                for (Recorded r : requests()) {
                    check(!forbidden.contains(stripSlashes(r.path())),
                            "Unexpected request to forbidden path '" + r.path() + "'");
                }
            }
            // ---- header assertions (first request)
            case "assert_header_value_matches" -> {
                String value = firstRequestHeader(p);
                if (value == null) {
                    check(Boolean.TRUE.equals(p.get("optional")),
                            "Header '" + p.get("header") + "' not found in request");
                    return;
                }
                check(Pattern.compile(String.valueOf(req(p, "pattern"))).matcher(value).lookingAt(),
                        "Header '" + p.get("header") + "' value '" + value + "' does not match pattern '"
                                + p.get("pattern") + "'");
            }
            case "assert_header_is_uuid" -> {
                String value = firstRequestHeader(p);
                check(value != null, "Header '" + p.get("header") + "' not found");
                check(isValidUuid(value), "Header '" + p.get("header") + "' value '" + value + "' is not a valid UUID");
            }
            case "assert_header_is_rfc3339" -> {
                String value = firstRequestHeader(p);
                check(value != null, "Header '" + p.get("header") + "' not found");
                check(isRfc3339(value),
                        "Header '" + p.get("header") + "' value '" + value + "' is not canonical RFC 3339 UTC");
            }
            case "assert_header_is_integer" -> {
                String value = firstRequestHeader(p);
                check(value != null, "Header '" + p.get("header") + "' not found");
                BigInteger parsed;
                try {
                    parsed = new BigInteger(value.strip());
                }
                catch (NumberFormatException ex) {
                    throw new AssertionError(
                            "Header '" + p.get("header") + "' value '" + value + "' is not a valid integer");
                }
                if (p.containsKey("expected")) {
                    check(pyEquals(parsed, p.get("expected")),
                            "Header '" + p.get("header") + "' = " + parsed + ", expected " + p.get("expected"));
                }
            }
            case "assert_header_absent" -> {
                String value = firstRequestHeader(p);
                check(value == null, "Header '" + p.get("header") + "' should be absent but has value '" + value + "'");
            }
            case "assert_authorization_bearer_token" -> {
                String auth = nonEmptyRequests().get(0).headers().get("authorization");
                check(auth != null, "Authorization header is missing");
                check(auth.toLowerCase().startsWith("bearer "),
                        "Authorization header not using Bearer scheme: '" + auth + "'");
                String token = auth.strip().split("\\s+", 2)[1].strip();
                if (p.get("expected") != null) {
                    check(token.equals(p.get("expected")),
                            "Bearer token '" + token + "' != expected '" + p.get("expected") + "'");
                }
            }
            // ---- body assertions (first request unless request_index)
            case "assert_v1_body_format" -> {
                Map<String, Object> body = firstBodyJson();
                check(body.containsKey("created_at"), "V1 body missing 'created_at' field");
                check(isRfc3339(String.valueOf(body.get("created_at"))),
                        "V1 body 'created_at' is not canonical RFC 3339 UTC: " + body.get("created_at"));
                check(body.containsKey("batch"), "V1 body missing 'batch' field");
                check(body.get("batch") instanceof List<?> l && !l.isEmpty(),
                        "V1 body 'batch' must be a non-empty array");
            }
            case "assert_body_field_absent" -> {
                String raw = nonEmptyRequests().get(0).bodyDecompressed();
                if (raw == null || raw.isEmpty()) {
                    return;
                }
                Object data;
                try {
                    data = MockPosthog.JSON.readValue(raw, Object.class);
                }
                catch (JsonProcessingException ex) {
                    return;
                }
                for (Object field : listReq(p, "fields")) {
                    check(!(data instanceof Map<?, ?> m && m.containsKey(field)),
                            "Body should not contain '" + field + "' field");
                }
            }
            case "assert_body_field" -> {
                Recorded target = indexed(p);
                Map<String, Object> body = bodyJson(target, "Request body is not valid JSON");
                Object field = req(p, "field");
                check(body.containsKey(field), "Body missing '" + field + "' field. Body keys: " + body.keySet());
                if (p.containsKey("expected")) {
                    check(pyEquals(body.get(field), p.get("expected")),
                            "Expected body " + field + "='" + p.get("expected") + "', got '" + body.get(field) + "'");
                }
            }
            case "assert_v1_created_at_recent" -> {
                Map<String, Object> body = firstBodyJson();
                Object createdAt = body.get("created_at");
                check(truthy(createdAt), "V1 body missing 'created_at'");
                check(isRfc3339(String.valueOf(createdAt)), "Invalid UTC created_at: " + createdAt);
                double diff = Math.abs(System.currentTimeMillis()
                        - OffsetDateTime.parse(String.valueOf(createdAt).replace("Z", "+00:00"))
                            .toInstant()
                            .toEpochMilli())
                        / 1000.0;
                double max = (p.get("max_age_seconds") instanceof Number n) ? n.doubleValue() : 5;
                check(diff <= max, "created_at is " + diff + "s from now, exceeds max " + max + "s");
            }
            // ---- event format (first request)
            case "assert_v1_event_format" -> {
                List<Map<String, Object>> events = eventsOfFirstRequest();
                for (int i = 0; i < events.size(); i++) {
                    Set<String> missing = new HashSet<>(Set.of("event", "uuid", "distinct_id", "timestamp"));
                    missing.removeAll(events.get(i).keySet());
                    check(missing.isEmpty(), "Event " + i + " missing required V1 fields: " + missing);
                }
            }
            case "assert_event_field_is_rfc3339" -> assertEventFieldIsRfc3339(p);
            case "assert_event_field_is_string" -> {
                Map<String, Object> event = firstEventOrNone();
                Object value = event.get(req(p, "field"));
                check(value != null, "Event missing '" + p.get("field") + "' field");
                check(value instanceof String, "Event field '" + p.get("field") + "' is "
                        + value.getClass().getSimpleName() + ", expected string");
            }
            case "assert_event_field_not_in_properties" -> {
                Map<String, Object> event = firstEventOrNone();
                Object field = req(p, "field");
                check(event.containsKey(field), "Event missing '" + field + "' at root level");
                check(!(event.get("properties") instanceof Map<?, ?> props && props.containsKey(field)),
                        "'" + field + "' should be at event root, not in properties");
            }
            case "assert_event_property_is_object" -> {
                Map<String, Object> props = propertiesOf(firstEventOrNone());
                Object name = req(p, "property");
                check(props.containsKey(name), "Event missing property '" + name + "'");
                check(props.get(name) instanceof Map, "Property '" + name + "' is not an object: " + props.get(name));
            }
            case "assert_event_option" -> assertEventOption(p);
            case "assert_events_in_batch_count" -> {
                Recorded target = indexed(p);
                int count = (target.parsedEvents() == null) ? 0 : target.parsedEvents().size();
                int expected = intReq(p, "expected");
                if ("gte".equals(p.getOrDefault("operator", "eq"))) {
                    check(count >= expected, "Expected >= " + expected + " events in batch, got " + count);
                }
                else {
                    check(count == expected, "Expected " + expected + " events in batch, got " + count);
                }
            }
            // ---- V1 retry headers
            case "assert_attempt_header_increments" -> {
                List<Recorded> r = requests();
                check(r.size() >= 2, "Need at least 2 requests to check retry");
                for (int i = 0; i < r.size(); i++) {
                    String value = r.get(i).headers().get("posthog-attempt");
                    check(value != null, "Request " + i + " missing PostHog-Attempt header");
                    check(value.strip().equals(String.valueOf(i + 1)),
                            "Request " + i + " PostHog-Attempt = " + value + ", expected " + (i + 1));
                }
            }
            case "assert_request_id_preserved_on_retry" -> {
                List<Recorded> r = requests();
                check(r.size() >= 2, "Need at least 2 requests to check retry");
                String first = r.get(0).headers().get("posthog-request-id");
                check(truthy(first), "First request missing PostHog-Request-Id");
                for (int i = 1; i < r.size(); i++) {
                    String id = r.get(i).headers().get("posthog-request-id");
                    check(first.equals(id),
                            "Request " + i + " PostHog-Request-Id '" + id + "' != first request '" + first + "'");
                }
            }
            case "assert_request_timestamp_changes_on_retry" -> {
                List<Recorded> r = requests();
                check(r.size() >= 2, "Need at least 2 requests to check retry");
                String first = r.get(0).headers().get("posthog-request-timestamp");
                check(truthy(first), "First request missing PostHog-Request-Timestamp");
                String second = r.get(1).headers().get("posthog-request-timestamp");
                check(truthy(second), "Second request missing PostHog-Request-Timestamp");
                check(!first.equals(second),
                        "PostHog-Request-Timestamp should change on retry, but both are '" + first + "'");
            }
            case "assert_different_request_ids" -> {
                List<Recorded> r = requests();
                check(r.size() >= 2, "Need at least 2 requests");
                String first = r.get(0).headers().get("posthog-request-id");
                String second = r.get(1).headers().get("posthog-request-id");
                check(truthy(first) && truthy(second), "Requests missing PostHog-Request-Id headers");
                check(!first.equals(second), "Different requests should have different PostHog-Request-Id, but both "
                        + "are '" + first + "'");
            }
            case "assert_partial_batch_retry_pruning" -> assertPartialBatchRetryPruning();
            case "assert_compressed_body_decompressible" -> {
                Recorded r = nonEmptyRequests().get(0);
                String encoding = r.headers().get("content-encoding");
                check(truthy(encoding), "No Content-Encoding header found");
                check(truthy(r.bodyDecompressed()),
                        "Body with Content-Encoding '" + encoding + "' could not be decompressed");
                check(r.parsedEvents() != null && !r.parsedEvents().isEmpty(),
                        "Decompressed body did not contain parseable events");
            }
            // ---- V1 responses (mock fidelity)
            case "assert_v1_error_response_format" -> {
                Map<String, Object> body = firstResponseJson();
                for (String field : List.of("error", "error_description", "error_uri")) {
                    check(body.containsKey(field),
                            "V1 error response missing '" + field + "'. Body keys: " + body.keySet());
                    check(body.get(field) instanceof String, "V1 error response '" + field + "' should be string");
                }
            }
            case "assert_v1_error_tag" -> {
                Object actual = firstResponseJson().get("error");
                check(pyEquals(actual, req(p, "expected")),
                        "V1 error tag: expected '" + p.get("expected") + "', got '" + actual + "'");
            }
            case "assert_v1_per_event_result" -> assertV1PerEventResult(p);
            case "assert_v1_all_events_result" -> {
                Map<String, Object> results = resultsMap(firstResponseJson());
                Object expected = req(p, "expected_result");
                results.forEach((uuid, entry) -> {
                    Object actual = (entry instanceof Map<?, ?> m) ? m.get("result") : entry;
                    check(pyEquals(actual, expected),
                            "UUID '" + uuid + "' result: expected '" + expected + "', got '" + actual + "'");
                });
            }
            case "assert_v1_retry_after_present" -> {
                String value = responseHeader(nonEmptyRequests().get(0), "Retry-After");
                check(value != null, "Response missing Retry-After header. Response headers: "
                        + nonEmptyRequests().get(0).responseHeaders().keySet());
            }
            case "assert_v1_retry_after_absent" -> {
                String value = responseHeader(nonEmptyRequests().get(0), "Retry-After");
                check(value == null, "Response should not have Retry-After header, but has value '" + value + "'");
            }
            case "assert_v1_response_echoes_request_id" -> {
                Recorded r = nonEmptyRequests().get(0);
                String sent = r.headers().get("posthog-request-id");
                check(truthy(sent), "Request missing PostHog-Request-Id header");
                String echoed = responseHeader(r, "PostHog-Request-Id");
                check(echoed != null, "Response missing PostHog-Request-Id header");
                check(echoed.equals(sent), "Response PostHog-Request-Id '" + echoed + "' != request '" + sent + "'");
            }
            case "assert_sdk_did_not_retry" -> {
                long count = requests().stream().filter(r -> !r.path().contains("/flags")).count();
                check(count == 1, "Expected exactly 1 capture request (no retry), got " + count);
            }
            case "assert_v1_response_has_results_map" -> {
                Map<String, Object> body = firstResponseJson();
                check(body.get("results") != null, "Response body missing 'results' key");
                check(body.get("results") instanceof Map, "Expected 'results' to be a dict (UUID-keyed map)");
            }
            case "assert_v1_response_results_count" -> {
                Object results = firstResponseJson().getOrDefault("results", Map.of());
                int actual = (results instanceof Map<?, ?> m) ? m.size()
                        : (results instanceof List<?> l) ? l.size() : String.valueOf(results).length();
                check(actual == intReq(p, "expected"),
                        "Expected " + p.get("expected") + " results entries, got " + actual);
            }
            case "assert_v1_response_status" -> {
                int actual = nonEmptyRequests().get(0).responseStatus();
                check(pyEquals(actual, req(p, "expected")),
                        "Expected response status " + p.get("expected") + ", got " + actual);
            }
            default -> throw new AssertionError("unsupported action " + action);
        }
    }

    // ------------------------------------------------------------------ adapter actions

    private void init(Map<String, Object> p) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("api_key", p.getOrDefault("api_key", "phc_test_key"));
        payload.put("host", p.getOrDefault("host", mock.url()));
        for (String optional : List.of("flush_at", "flush_interval_ms", "max_retries", "enable_compression",
                "disable_geoip", "historical_migration")) {
            if (p.get(optional) != null) {
                payload.put(optional, p.get(optional));
            }
        }
        adapter.call("POST", "/init", testId, payload);
    }

    private Map<String, Object> captureCall(String path, Map<String, Object> p, boolean withUuid) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("distinct_id", req(p, "distinct_id"));
        payload.put("event", req(p, "event"));
        // As the harness: properties and timestamp always present, null when not given.
        payload.put("properties", p.get("properties"));
        payload.put("timestamp", p.get("timestamp"));
        if (p.get("options") != null) {
            payload.put("options", p.get("options"));
        }
        if (withUuid && p.get("uuid") != null) {
            payload.put("uuid", p.get("uuid"));
        }
        return adapter.call("POST", path, testId, payload);
    }

    @SuppressWarnings("unchecked")
    private void captureMultiple(Map<String, Object> p) {
        int count = intReq(p, "count");
        Map<String, Object> template = (Map<String, Object>) req(p, "params");
        for (int i = 0; i < count; i++) {
            Map<String, Object> params = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : template.entrySet()) {
                params.put(e.getKey(),
                        (e.getValue() instanceof String s) ? s.replace("{index}", String.valueOf(i)) : e.getValue());
            }
            captureCall("/capture", params, false);
        }
    }

    private Map<String, Object> getFeatureFlag(Map<String, Object> p) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("key", req(p, "key"));
        payload.put("distinct_id", req(p, "distinct_id"));
        for (String optional : List.of("person_properties", "groups", "group_properties", "disable_geoip",
                "force_remote")) {
            if (p.get(optional) != null) {
                payload.put(optional, p.get(optional));
            }
        }
        return adapter.call("POST", "/get_feature_flag", testId, payload);
    }

    @SuppressWarnings("unchecked")
    private void configure(Map<String, Object> p) {
        List<MockResponse> responses = new ArrayList<>();
        for (Object item : listReq(p, "responses")) {
            Map<String, Object> r = (Map<String, Object>) item;
            Map<String, String> headers = new LinkedHashMap<>();
            if (r.get("headers") instanceof Map<?, ?> h) {
                h.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
            }
            int status = (r.get("status_code") instanceof Number n) ? n.intValue() : 200;
            Object body = r.get("body");
            responses.add(new MockResponse(status, headers, (body == null) ? null : String.valueOf(body),
                    (List<Object>) r.get("v1_event_results")));
        }
        mock.setResponses(testId, responses);
    }

    private static void waitFor(Map<String, Object> p) {
        try {
            // The contract's own wait step: real time, on purpose.
            Thread.sleep(intReq(p, "duration_ms"));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", ex);
        }
    }

    // ------------------------------------------------------------------ assertions

    private void assertEventField(Map<String, Object> p) {
        Map<String, Object> event = firstEventOfFirstRequest();
        Object field = req(p, "field");
        Object expected = req(p, "expected");
        Object actual = event.get(field);
        check(pyEquals(actual, expected), "Expected " + field + "='" + expected + "', got '" + actual + "'");
    }

    private void assertEventProperty(Map<String, Object> p) {
        Map<String, Object> properties = propertiesOf(firstEventOrNone());
        Object name = req(p, "property");
        if (truthy(p.get("exists"))) {
            check(properties.containsKey(name),
                    "Event missing '" + name + "' property. Available properties: " + properties.keySet());
        }
        if (p.containsKey("expected")) {
            Object actual = properties.get(name);
            check(pyEquals(actual, p.get("expected")), "Expected " + name + "='" + p.get("expected") + "', got '"
                    + actual + "'. Available properties: " + properties.keySet());
        }
    }

    private void assertActionResultUuidMatchesEvent() {
        check(lastActionResult instanceof Map,
                "assert_action_result_uuid_matches_event requires dict result, got " + lastActionResult);
        Map<?, ?> result = (Map<?, ?>) lastActionResult;
        check(result.containsKey("uuid"), "Last action result missing 'uuid' field. Keys: " + result.keySet());
        Object eventUuid = firstEventOrNone().get("uuid");
        check(truthy(eventUuid), "Event missing 'uuid' field");
        check(pyEquals(result.get("uuid"), eventUuid),
                "Action result uuid '" + result.get("uuid") + "' != event uuid on the wire '" + eventUuid + "'");
    }

    private void assertPreservedOnRetry(String field, String label) {
        List<Recorded> r = requests();
        check(r.size() >= 2, "Need at least 2 requests to check retry");
        List<Object> first = fieldValues(r.get(0), field);
        List<Object> second = fieldValues(r.get(1), field);
        check(pyEquals(first, second), label + " changed on retry: " + first + " != " + second);
    }

    private static List<Object> fieldValues(Recorded r, String field) {
        List<Object> values = new ArrayList<>();
        if (r.parsedEvents() != null) {
            for (Map<String, Object> e : r.parsedEvents()) {
                if (e.containsKey(field)) {
                    values.add(e.get(field));
                }
            }
        }
        return values;
    }

    private void assertNoDuplicateEventsInBatch() {
        List<Recorded> r = nonEmptyRequests();
        for (int i = 0; i < r.size(); i++) {
            if (r.get(i).parsedEvents() == null) {
                continue;
            }
            Set<Object> seen = new HashSet<>();
            for (Map<String, Object> e : r.get(i).parsedEvents()) {
                Object uuid = e.get("uuid");
                if (!truthy(uuid)) {
                    continue;
                }
                check(seen.add(uuid), "Duplicate event UUID '" + uuid + "' found in request " + i);
            }
        }
    }

    private void assertTokenPresent(Map<String, Object> p) {
        Recorded first = nonEmptyRequests().get(0);
        Object expected = req(p, "expected");
        boolean found = false;
        if (first.parsedEvents() != null) {
            found = first.parsedEvents().stream().anyMatch(e -> pyEquals(e.get("token"), expected));
        }
        if (!found && truthy(first.bodyDecompressed())) {
            try {
                if (MockPosthog.JSON.readValue(first.bodyDecompressed(), Object.class) instanceof Map<?, ?> body) {
                    found = pyEquals(body.get("api_key"), expected) || pyEquals(body.get("token"), expected);
                }
            }
            catch (JsonProcessingException ex) {
                // not JSON: not found
            }
        }
        check(found, "API token not found in request");
    }

    private void assertTokenPresentClient(Map<String, Object> p) {
        Recorded first = nonEmptyRequests().get(0);
        Object expected = req(p, "expected");
        if (first.parsedEvents() != null) {
            for (Map<String, Object> e : first.parsedEvents()) {
                Map<String, Object> props = (e.get("properties") instanceof Map<?, ?>) ? propertiesOf(e) : Map.of();
                Object token = firstTruthy(e.get("token"), e.get("api_key"), props.get("token"), props.get("api_key"));
                if (pyEquals(token, expected)) {
                    return;
                }
            }
        }
        throw new AssertionError("Token '" + expected + "' not found in any events");
    }

    private void assertFinalSuccess(Map<String, Object> p) {
        List<Object> ok = (p.get("success_statuses") instanceof List<?> l) ? new ArrayList<>(l) : List.of(200);
        List<Integer> statuses = requests().stream().map(Recorded::responseStatus).toList();
        boolean success = statuses.stream().anyMatch(s -> ok.stream().anyMatch(o -> pyEquals(s, o)));
        check(success, "No successful request (expected one of " + ok + "). Got statuses: " + statuses);
    }

    private void assertRequestHasHeader(Map<String, Object> p) {
        List<Recorded> r = nonEmptyRequests();
        String header = String.valueOf(req(p, "header")).toLowerCase();
        Object expected = p.get("expected");
        boolean found = r.stream()
            .anyMatch(req -> req.headers().containsKey(header)
                    && (expected == null || pyEquals(req.headers().get(header), expected)));
        check(found,
                (truthy(expected))
                        ? "Header '" + p.get("header") + "' with value '" + expected + "' not found in requests"
                        : "Header '" + p.get("header") + "' not found in requests");
    }

    private void assertBatchFormat(Map<String, Object> p) {
        Recorded first = nonEmptyRequests().get(0);
        check(truthy(first.bodyDecompressed()), "No body in request");
        Object data;
        try {
            data = MockPosthog.JSON.readValue(first.bodyDecompressed(), Object.class);
        }
        catch (JsonProcessingException ex) {
            throw new AssertionError("Body is not valid JSON");
        }
        Map<?, ?> body = (data instanceof Map<?, ?> m) ? m : Map.of();
        if (truthy(p.get("has_api_key_field"))) {
            check(body.containsKey("api_key"), "Batch format missing 'api_key' field at root level");
        }
        if (truthy(p.get("has_batch_array"))) {
            check(body.get("batch") instanceof List, "Batch format missing 'batch' array field");
        }
    }

    private void assertFlagsRequestField(Map<String, Object> p) {
        List<Recorded> flags = flagsRequests();
        check(!flags.isEmpty(), "No /flags requests recorded");
        String raw = flags.get(0).bodyDecompressed();
        check(truthy(raw), "No body in /flags request");
        Object current;
        try {
            current = MockPosthog.JSON.readValue(raw, Object.class);
        }
        catch (JsonProcessingException ex) {
            throw new AssertionError("Body of /flags request is not valid JSON");
        }
        String field = String.valueOf(req(p, "field"));
        Object expected = req(p, "expected");
        String[] parts = field.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            check(current instanceof Map, "Cannot traverse into non-dict at '" + part + "' in field path '" + field
                    + "'. Value is: " + current);
            Map<?, ?> map = (Map<?, ?>) current;
            if (!map.containsKey(part)) {
                if (i == 0 && part.equals("token") && map.containsKey("api_key")) {
                    current = map.get("api_key");
                    continue;
                }
                throw new AssertionError("Field '" + part + "' not found in /flags request body at path '" + field
                        + "'. Available keys: " + map.keySet());
            }
            current = map.get(part);
        }
        check(pyEquals(current, expected), "Expected " + field + "=" + expected + ", got " + current);
    }

    private void assertEventPropertyInNamedEvent(Map<String, Object> p) {
        Object eventName = req(p, "event_name");
        Object prop = req(p, "property");
        Object expected = req(p, "expected");
        for (Map<String, Object> event : captureEvents()) {
            if (!pyEquals(event.get("event"), eventName)) {
                continue;
            }
            check(event.get("properties") instanceof Map,
                    "Event '" + eventName + "' has non-dict properties: " + event.get("properties"));
            Map<?, ?> props = (Map<?, ?>) event.get("properties");
            check(props.containsKey(prop),
                    "Event '" + eventName + "' missing property '" + prop + "'. Available: " + props.keySet());
            check(pyEquals(props.get(prop), expected), "Event '" + eventName + "' property '" + prop + "': expected "
                    + expected + ", got " + props.get(prop));
            return;
        }
        throw new AssertionError("No captured event with name '" + eventName + "'");
    }

    private void assertActionResult(Map<String, Object> p) {
        Object expected = req(p, "expected");
        Object actual = lastActionResult;
        if (p.containsKey("field")) {
            Object field = p.get("field");
            check(actual instanceof Map,
                    "assert_action_result with field=" + field + " requires dict result, got " + actual);
            check(((Map<?, ?>) actual).containsKey(field),
                    "Last action result missing field " + field + ". Keys: " + ((Map<?, ?>) actual).keySet());
            actual = ((Map<?, ?>) actual).get(field);
        }
        check(pyEquals(actual, expected), "Expected last action result " + expected + ", got " + actual);
    }

    private void assertEventFieldClient(Map<String, Object> p) {
        Map<String, Object> event = firstEventOfFirstRequest();
        Object field = req(p, "field");
        Object expected = req(p, "expected");
        Object actual;
        if ("distinct_id".equals(field)) {
            Map<String, Object> props = (event.get("properties") instanceof Map) ? propertiesOf(event) : Map.of();
            actual = firstTruthy(props.get("$distinct_id"), props.get("distinct_id"));
        }
        else {
            actual = event.get(field);
            if (actual == null && event.containsKey("properties")) {
                Map<String, Object> props = propertiesOf(event);
                actual = firstTruthy(props.get("$" + field), props.get(field));
            }
        }
        check(pyEquals(actual, expected), "Expected " + field + "='" + expected + "', got '" + actual + "'");
    }

    private void assertEventFieldIsRfc3339(Map<String, Object> p) {
        List<Map<String, Object>> events = eventsOfFirstRequestOrNone();
        Object field = req(p, "field");
        Object expected = p.get("expected");
        if (expected != null) {
            check(isRfc3339(String.valueOf(expected)),
                    "Expected value '" + expected + "' is not canonical RFC 3339 UTC");
        }
        for (int i = 0; i < events.size(); i++) {
            Object value = events.get(i).get(field);
            check(value != null, "Event " + i + " missing '" + field + "' field");
            check(isRfc3339(String.valueOf(value)),
                    "Event " + i + " field '" + field + "' value '" + value + "' is not canonical RFC 3339 UTC");
            if (expected != null) {
                check(instantKey(String.valueOf(value)).equals(instantKey(String.valueOf(expected))),
                        "Event " + i + " field '" + field + "' instant '" + value + "' != expected '" + expected + "'");
            }
        }
    }

    private void assertEventOption(Map<String, Object> p) {
        Recorded target = indexed(p);
        check(target.parsedEvents() != null && !target.parsedEvents().isEmpty(), "No events found");
        Object optionsValue = target.parsedEvents().get(0).get("options");
        Map<?, ?> options = (optionsValue instanceof Map<?, ?> m) ? m : Map.of();
        Object name = req(p, "option");
        if (truthy(p.get("absent"))) {
            check(!options.containsKey(name), "Event option '" + name + "' should be absent, but options=" + options);
            return;
        }
        if (truthy(p.get("exists"))) {
            check(options.containsKey(name),
                    "Event missing '" + name + "' option. Present options: " + options.keySet());
        }
        if (p.containsKey("expected")) {
            check(pyEquals(options.get(name), p.get("expected")), "Expected option " + name + "='" + p.get("expected")
                    + "', got '" + options.get(name) + "'. Present options: " + options.keySet());
        }
    }

    @SuppressWarnings("unchecked")
    private void assertPartialBatchRetryPruning() {
        List<Recorded> r = requests();
        check(r.size() >= 2, "Need at least 2 requests for partial batch retry check");
        String firstBody = r.get(0).responseBody();
        check(truthy(firstBody), "First response has no body (expected partial batch)");
        Map<String, Object> partial;
        try {
            partial = MockPosthog.JSON.readValue(firstBody, Map.class);
        }
        catch (JsonProcessingException ex) {
            throw new AssertionError("First response body is not valid JSON");
        }
        Object results = partial.get("results");
        check(truthy(results), "First response has no 'results'");
        Set<Object> retry = new HashSet<>();
        Set<Object> noRetry = new HashSet<>();
        if (results instanceof Map<?, ?> map) {
            map.forEach((uuid, status) -> {
                if (status instanceof Map<?, ?> s && "retry".equals(s.get("result"))) {
                    retry.add(uuid);
                }
                else {
                    noRetry.add(uuid);
                }
            });
        }
        else if (results instanceof List<?> list) {
            List<Map<String, Object>> firstEvents = (r.get(0).parsedEvents() != null) ? r.get(0).parsedEvents()
                    : List.of();
            for (int i = 0; i < list.size(); i++) {
                Object uuid = (i < firstEvents.size()) ? firstEvents.get(i).getOrDefault("uuid", "") : "";
                if (((Map<String, Object>) list.get(i)).get("result") instanceof String s && s.equals("retry")) {
                    retry.add(uuid);
                }
                else {
                    noRetry.add(uuid);
                }
            }
        }
        Set<Object> second = new HashSet<>();
        if (r.get(1).parsedEvents() != null) {
            r.get(1).parsedEvents().forEach(e -> second.add(e.get("uuid")));
        }
        Set<Object> unexpected = new HashSet<>(second);
        unexpected.retainAll(noRetry);
        check(unexpected.isEmpty(),
                "Retried batch contains events that should not be retried (ok/drop): " + unexpected);
        Set<Object> missing = new HashSet<>(retry);
        missing.removeAll(second);
        check(missing.isEmpty(), "Retried batch is missing events that should be retried: " + missing);
    }

    private void assertV1PerEventResult(Map<String, Object> p) {
        Map<String, Object> results = resultsMap(firstResponseJson());
        Object uuid = req(p, "uuid");
        check(results.containsKey(uuid), "UUID '" + uuid + "' not in results. Available: " + results.keySet());
        Map<?, ?> entry = (results.get(uuid) instanceof Map<?, ?> m) ? m : Map.of();
        Object expected = req(p, "expected_result");
        check(pyEquals(entry.get("result"), expected),
                "UUID '" + uuid + "' result: expected '" + expected + "', got '" + entry.get("result") + "'");
        if (p.containsKey("expected_details")) {
            check(pyEquals(entry.get("details"), p.get("expected_details")), "UUID '" + uuid + "' details: expected '"
                    + p.get("expected_details") + "', got '" + entry.get("details") + "'");
        }
    }

    // ------------------------------------------------------------------ recorded-request
    // helpers

    private List<Recorded> nonEmptyRequests() {
        List<Recorded> r = requests();
        check(!r.isEmpty(), "No requests recorded");
        return r;
    }

    private List<Recorded> flagsRequests() {
        return requests().stream().filter(r -> r.path().contains("/flags")).toList();
    }

    /**
     * Events of every request that is not a /flags request, as the harness's
     * {@code _capture_events}.
     */
    private List<Map<String, Object>> captureEvents() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Recorded r : requests()) {
            if (!r.path().contains("/flags") && r.parsedEvents() != null) {
                events.addAll(r.parsedEvents());
            }
        }
        return events;
    }

    private List<Object> allUuids() {
        List<Object> uuids = new ArrayList<>();
        for (Recorded r : requests()) {
            if (r.parsedEvents() != null) {
                for (Map<String, Object> e : r.parsedEvents()) {
                    if (e.containsKey("uuid")) {
                        uuids.add(e.get("uuid"));
                    }
                }
            }
        }
        return uuids;
    }

    /** "No requests recorded" / "No events in request" as assert_event_field. */
    private Map<String, Object> firstEventOfFirstRequest() {
        List<Map<String, Object>> events = nonEmptyRequests().get(0).parsedEvents();
        check(events != null && !events.isEmpty(), "No events in request");
        return events.get(0);
    }

    private List<Map<String, Object>> eventsOfFirstRequest() {
        List<Map<String, Object>> events = nonEmptyRequests().get(0).parsedEvents();
        check(events != null && !events.isEmpty(), "No events in request");
        return events;
    }

    /** "No events found" when there is no request or the first has no events. */
    private List<Map<String, Object>> eventsOfFirstRequestOrNone() {
        List<Recorded> r = requests();
        check(!r.isEmpty() && r.get(0).parsedEvents() != null && !r.get(0).parsedEvents().isEmpty(), "No events found");
        return r.get(0).parsedEvents();
    }

    private Map<String, Object> firstEventOrNone() {
        return eventsOfFirstRequestOrNone().get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> propertiesOf(Map<String, Object> event) {
        Object props = event.getOrDefault("properties", Map.of());
        check(props instanceof Map, "Event properties is not an object: " + props);
        return (Map<String, Object>) props;
    }

    private Recorded indexed(Map<String, Object> p) {
        List<Recorded> r = nonEmptyRequests();
        int index = (p.get("request_index") instanceof Number n) ? n.intValue() : 0;
        int resolved = (index < 0) ? r.size() + index : index;
        check(resolved >= 0 && resolved < r.size(),
                "request_index " + index + " out of range (" + r.size() + " requests recorded)");
        return r.get(resolved);
    }

    private Map<String, Object> firstBodyJson() {
        return bodyJson(nonEmptyRequests().get(0), "Body is not valid JSON");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bodyJson(Recorded r, String invalidMessage) {
        check(truthy(r.bodyDecompressed()), "No body in request");
        try {
            Object data = MockPosthog.JSON.readValue(r.bodyDecompressed(), Object.class);
            check(data instanceof Map, "Body is not a JSON object");
            return (Map<String, Object>) data;
        }
        catch (JsonProcessingException ex) {
            throw new AssertionError(invalidMessage);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> firstResponseJson() {
        String body = nonEmptyRequests().get(0).responseBody();
        check(truthy(body), "Response has no body");
        try {
            Object data = MockPosthog.JSON.readValue(body, Object.class);
            check(data instanceof Map, "Response body is not a JSON object");
            return (Map<String, Object>) data;
        }
        catch (JsonProcessingException ex) {
            throw new AssertionError("Response body is not valid JSON");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resultsMap(Map<String, Object> body) {
        Object results = body.get("results");
        check(results instanceof Map, "Expected 'results' dict, got " + results);
        return (Map<String, Object>) results;
    }

    private String firstRequestHeader(Map<String, Object> p) {
        return nonEmptyRequests().get(0).headers().get(String.valueOf(req(p, "header")).toLowerCase());
    }

    private static String responseHeader(Recorded r, String name) {
        for (Map.Entry<String, String> e : r.responseHeaders().entrySet()) {
            if (e.getKey().equals(name) || e.getKey().equals(name.toLowerCase())) {
                return e.getValue();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ value helpers

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    static Object req(Map<String, Object> p, String name) {
        if (!p.containsKey(name)) {
            throw new AssertionError("Missing required parameter '" + name + "'. Available params: " + p.keySet());
        }
        return p.get(name);
    }

    static int intReq(Map<String, Object> p, String name) {
        Object value = req(p, name);
        check(value instanceof Number, "parameter '" + name + "' must be an integer, got " + value);
        return ((Number) value).intValue();
    }

    static List<?> listReq(Map<String, Object> p, String name) {
        Object value = req(p, name);
        check(value instanceof List, "parameter '" + name + "' must be a list, got " + value);
        return (List<?>) value;
    }

    /** Python truthiness of a JSON value. */
    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).signum() != 0;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof List<?> l) {
            return !l.isEmpty();
        }
        return true;
    }

    private static Object firstTruthy(Object... values) {
        for (Object v : values) {
            if (truthy(v)) {
                return v;
            }
        }
        return values[values.length - 1];
    }

    /** Python {@code ==} on JSON values, but a boolean never equals a number. */
    static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return a.equals(b);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !pyEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!pyEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /**
     * Python's {@code uuid.UUID(value)} acceptance: 32 hex digits after dropping urn/uuid
     * prefixes, braces, dashes.
     */
    static boolean isValidUuid(Object value) {
        if (!(value instanceof String s)) {
            return false;
        }
        String hex = s.replace("urn:", "").replace("uuid:", "");
        hex = hex.replaceAll("^\\{+|\\}+$", "").replace("-", "");
        return HEX32.matcher(hex).matches();
    }

    static boolean isRfc3339(String value) {
        if (value == null || !RFC3339_UTC.matcher(value).matches()) {
            return false;
        }
        try {
            OffsetDateTime.parse(value.endsWith("Z") ? value.substring(0, value.length() - 1) + "+00:00" : value);
            return true;
        }
        catch (DateTimeParseException ex) {
            return false;
        }
    }

    /** The harness's lossless comparison key of a validated UTC timestamp. */
    static String instantKey(String value) {
        String ts = value.endsWith("Z") ? value.substring(0, value.length() - 1)
                : value.substring(0, value.length() - 6);
        int dot = ts.indexOf('.');
        if (dot < 0) {
            return ts + "|";
        }
        return ts.substring(0, dot) + "|" + ts.substring(dot + 1).replaceAll("0+$", "");
    }

    private static String stripSlashes(String path) {
        return path.replaceAll("/+$", "");
    }

}
