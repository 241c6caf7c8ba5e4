package io.github.posthog4j.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** PostHog payloads (JSON) as OpenFeature values. */
final class Values {

    private Values() {
    }

    static Value fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Value();
        }
        if (node.isBoolean()) {
            return new Value(node.booleanValue());
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return new Value(node.intValue());
        }
        if (node.isNumber()) {
            return new Value(node.doubleValue());
        }
        if (node.isTextual()) {
            return new Value(node.textValue());
        }
        if (node.isArray()) {
            List<Value> list = new ArrayList<>(node.size());
            node.forEach((e) -> list.add(fromJson(e)));
            return new Value(list);
        }
        MutableStructure structure = new MutableStructure();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            structure.add(e.getKey(), fromJson(e.getValue()));
        }
        return new Value(structure);
    }

}
