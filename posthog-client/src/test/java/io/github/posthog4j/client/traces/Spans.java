package io.github.posthog4j.client.traces;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading spans as the stand-in received them. */
final class Spans {

    private Spans() {
    }

    static Map<String, JsonNode> attributes(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        node.path("attributes").forEach((kv) -> out.put(kv.get("key").asText(), kv.get("value")));
        return out;
    }

    static String string(JsonNode node, String attribute) {
        JsonNode value = attributes(node).get(attribute);
        return (value != null) ? value.path("stringValue").asText(null) : null;
    }

    static JsonNode named(List<JsonNode> spans, String name) {
        return spans.stream()
            .filter((s) -> s.get("name").asText().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span named " + name + " in " + spans));
    }

    static long start(JsonNode span) {
        return Long.parseLong(span.get("startTimeUnixNano").asText());
    }

    static long end(JsonNode span) {
        return Long.parseLong(span.get("endTimeUnixNano").asText());
    }

}
