package io.github.posthog4j.client.internal.exceptions;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One exception of an exception tree, before it is flattened into
 * {@code $exception_list}. Internal API.
 *
 * @param type the type, e.g. {@code IllegalStateException}
 * @param value the message, possibly empty
 * @param module the type's package, or null
 * @param frames the stack frames, outermost (entry point) first, crash site last; empty
 * for none
 * @param synthetic whether the representation was made up by the capturing code, as the
 * reader knows it; null when unknown
 * @param mechanism mechanism fields supplied by an integration (not yet validated)
 * @param children the exceptions reached from this one, in runtime order
 */
public record ExceptionNode(String type, String value, @Nullable String module, List<Map<String, Object>> frames,
        @Nullable Boolean synthetic, Map<String, @Nullable Object> mechanism, List<Child> children) {

    /**
     * @param mechanism supplied mechanism fields
     * @return this node with those fields
     */
    public ExceptionNode withMechanism(Map<String, @Nullable Object> mechanism) {
        return new ExceptionNode(this.type, this.value, this.module, this.frames, this.synthetic, mechanism,
                this.children);
    }

    /**
     * An edge of the tree.
     *
     * @param relationship how the child was reached ({@code cause}, {@code suppressed},
     * {@code member}, ...), or null when unknown
     * @param node the child
     */
    public record Child(@Nullable String relationship, ExceptionNode node) {
    }

}
