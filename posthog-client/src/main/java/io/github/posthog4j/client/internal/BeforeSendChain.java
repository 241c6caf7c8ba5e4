package io.github.posthog4j.client.internal;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.DropReason;
import io.github.posthog4j.client.PosthogEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The before-send hooks of a capture, in order, on the caller's thread: each sees the
 * event as the one before left it (super properties merged,
 * {@code $process_person_profile} set for a personless event). A hook that returns null
 * drops the event (counted); one that throws drops it with a WARN naming the hook (events
 * are never sent unfiltered).
 */
final class BeforeSendChain {

    private BeforeSendChain() {
    }

    /**
     * Runs the hooks.
     * @return the event as the last hook left it, or null when it was dropped
     */
    static @Nullable PosthogEvent run(List<BeforeSendHook> chain, String event, String distinctId,
            @Nullable Map<String, @Nullable Object> props, Map<String, @Nullable Object> supers,
            @Nullable Instant timestamp, long now, String id, boolean personless, Drops drops) {
        Map<String, @Nullable Object> merged = new LinkedHashMap<>(supers);
        if (props != null) {
            merged.putAll(props);
        }
        if (personless) {
            merged.putIfAbsent("$process_person_profile", false);
        }
        PosthogEvent view = new PosthogEvent(event, distinctId, merged,
                (timestamp != null) ? timestamp : Instant.ofEpochMilli(now), id);
        for (BeforeSendHook hook : chain) {
            try {
                view = hook.apply(view);
            }
            catch (RuntimeException | LinkageError ex) {
                drops.dropped(DropReason.BEFORE_SEND, 1,
                        () -> "Dropped event '" + Texts.abbreviate(event) + "': before-send hook "
                                + hook.getClass().getName() + " threw " + ex.getClass().getName()
                                + " (events are dropped, not sent unfiltered, when a hook fails)");
                return null;
            }
            if (view == null) {
                drops.counted(DropReason.BEFORE_SEND, 1);
                return null;
            }
        }
        return view;
    }

}
