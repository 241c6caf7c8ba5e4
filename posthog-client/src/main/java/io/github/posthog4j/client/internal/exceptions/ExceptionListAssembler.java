package io.github.posthog4j.client.internal.exceptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Flattens an {@link ExceptionNode} tree into {@code $exception_list}: depth first, each
 * parent before its children, at most {@value ThrowableReader#MAX_EXCEPTIONS} entries.
 * Every entry gets a mechanism with its linkage ({@code exception_id}, and for nested
 * entries {@code parent_id}, {@code type chained} and {@code source}, the relationship to
 * the parent). Precedence per field: a valid supplied value, then what the reader knows
 * natively ({@code synthetic}), then the capture boundary's default (outermost entry
 * only), then nothing: unknown fields are left out, never filled with {@code false},
 * {@code ""} or {@code null}. Nested entries never inherit the outermost entry's
 * {@code handled}. Internal API.
 */
public final class ExceptionListAssembler {

    private final @Nullable Boundary boundary;

    private final List<Map<String, Object>> out = new ArrayList<>();

    private ExceptionListAssembler(@Nullable Boundary boundary) {
        this.boundary = boundary;
    }

    /**
     * @param root the outermost exception (the one the capture boundary observed)
     * @param boundary the capture boundary's defaults, or null for a context-free builder
     * @return the list, outermost first
     */
    public static List<Map<String, Object>> assemble(ExceptionNode root, @Nullable Boundary boundary) {
        ExceptionListAssembler assembler = new ExceptionListAssembler(boundary);
        assembler.add(root, null, null);
        return assembler.out;
    }

    private void add(ExceptionNode node, @Nullable String relationship, @Nullable Long parentId) {
        if (this.out.size() >= ThrowableReader.MAX_EXCEPTIONS) {
            return;
        }
        long id = this.out.size();
        Map<String, Object> entry = new LinkedHashMap<>(8);
        entry.put("type", node.type().isBlank() ? "Error" : node.type());
        entry.put("value", node.value());
        if (node.module() != null && !node.module().isEmpty()) {
            entry.put("module", node.module());
        }
        entry.put("mechanism", mechanism(node, id, relationship, parentId));
        if (!node.frames().isEmpty()) {
            Map<String, Object> stacktrace = new LinkedHashMap<>(4);
            stacktrace.put("type", "raw");
            stacktrace.put("frames", node.frames());
            entry.put("stacktrace", stacktrace);
        }
        this.out.add(entry);
        Map<String, Object> mechanism = mechanismOf(entry);
        long linkId = ((Number) mechanism.get("exception_id")).longValue();
        for (ExceptionNode.Child child : node.children()) {
            add(child.node(), child.relationship(), linkId);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mechanismOf(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("mechanism");
    }

    private Map<String, Object> mechanism(ExceptionNode node, long id, @Nullable String relationship,
            @Nullable Long parentId) {
        Map<String, @Nullable Object> supplied = node.mechanism();
        boolean outermost = parentId == null;
        Map<String, Object> m = new LinkedHashMap<>(8);
        String type = Mechanisms.text(supplied.get("type"));
        if (type == null) {
            type = outermost ? ((this.boundary != null) ? this.boundary.mechanismType() : null) : "chained";
        }
        put(m, "type", type);
        Boolean handled = Mechanisms.bool(supplied.get("handled"));
        if (handled == null && outermost && this.boundary != null) {
            handled = this.boundary.handled();
        }
        put(m, "handled", handled);
        if (!outermost) {
            String source = Mechanisms.text(supplied.get("source"));
            put(m, "source", (source != null) ? source : Mechanisms.text(relationship));
        }
        Boolean synthetic = Mechanisms.bool(supplied.get("synthetic"));
        put(m, "synthetic", (synthetic != null) ? synthetic : node.synthetic());
        if (outermost) {
            m.put("exception_id", 0L);
        }
        else {
            Long suppliedId = Mechanisms.id(supplied.get("exception_id"));
            Long suppliedParent = Mechanisms.id(supplied.get("parent_id"));
            m.put("exception_id", (suppliedId != null) ? suppliedId : id);
            m.put("parent_id", (suppliedParent != null) ? suppliedParent : parentId);
        }
        for (Map.Entry<String, @Nullable Object> e : supplied.entrySet()) {
            if (!Mechanisms.COMMON.contains(e.getKey()) && Mechanisms.jsonSafe(e.getValue())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, @Nullable Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

}
