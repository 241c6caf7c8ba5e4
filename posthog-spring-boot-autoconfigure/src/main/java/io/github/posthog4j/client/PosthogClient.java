package io.github.posthog4j.client;

import java.time.Duration;
import java.util.Map;

/**
 * A PostHog client: captures analytics events and delivers them in the background.
 *
 * <p>Every method is thread-safe and none of them throws for runtime problems. Capture methods never block:
 * they validate the event, give it a UUID (version 7) and a UTC timestamp, run the before-send hooks and put it
 * on a bounded in-memory queue. Background consumer threads batch the queue and POST it to
 * {@code {host}/batch/}. An event that cannot be accepted (invalid input, a full queue, a closed client, a hook
 * that drops it) is dropped alone, counted under a {@link DropReason} and logged at WARN with the reason, never
 * with its payload.
 *
 * <p>Validation rules, applied to every call:
 * <ul>
 *   <li>the event name must not be null or blank;</li>
 *   <li>a distinct id that is null or blank makes the event <em>personless</em>: the client generates a random
 *       distinct id and sets {@code $process_person_profile=false} (capture only; {@link #identify},
 *       {@link #alias} and {@link #groupIdentify} drop the event instead, since they are about a person or
 *       group);</li>
 *   <li>property values must be serialisable by Jackson (maps, collections, arrays, strings, numbers, booleans,
 *       dates, beans); a value that cannot be serialised, a reference cycle or an event larger than the
 *       per-event byte limit (900 KiB of JSON) drops that event when it is serialised on the consumer
 *       thread, counted as {@link DropReason#INVALID} or {@link DropReason#TOO_LARGE};</li>
 *   <li>property maps are copied (one level deep) when captured; values nested inside them must not be mutated
 *       afterwards.</li>
 * </ul>
 *
 * <p>Build one with {@link #builder(String)}; the Spring Boot starter provides one as a bean.
 */
public interface PosthogClient extends AutoCloseable {

    /**
     * Creates a builder for a client that sends to PostHog with the given project API key.
     * @param apiKey the project API key ({@code phc_...}); never logged
     * @return a new builder
     */
    static PosthogClientBuilder builder(String apiKey) {
        return new PosthogClientBuilder(apiKey);
    }

    /**
     * Captures an event without properties.
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    String capture(String distinctId, String event);

    /**
     * Captures an event with properties.
     * @param distinctId the user's distinct id; null or blank for a personless event
     * @param event the event name
     * @param properties the event properties (copied; may be null)
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    String capture(String distinctId, String event, Map<String, ?> properties);

    /**
     * Captures an event described by options (timestamp, uuid, groups, {@code $set}, {@code $set_once}, ...).
     * @param options the event
     * @return the event's UUID, or {@code null} if the event was dropped
     */
    String capture(CaptureOptions options);

    /**
     * Sends an {@code $identify} event that sets person properties.
     * @param distinctId the person's distinct id; required
     * @param set properties to set ({@code $set}); may be null
     * @param setOnce properties to set only if not set yet ({@code $set_once}); may be null
     */
    void identify(String distinctId, Map<String, ?> set, Map<String, ?> setOnce);

    /**
     * Sets person properties ({@code $set} event).
     * @param distinctId the person's distinct id; required
     * @param properties the properties to set
     */
    void set(String distinctId, Map<String, ?> properties);

    /**
     * Sets person properties only where they are not set yet ({@code $set} event with {@code $set_once}).
     * @param distinctId the person's distinct id; required
     * @param properties the properties to set once
     */
    void setOnce(String distinctId, Map<String, ?> properties);

    /**
     * Links {@code alias} to {@code distinctId} ({@code $create_alias} event).
     * @param distinctId the person's current distinct id; required
     * @param alias the other id to merge into that person; required
     */
    void alias(String distinctId, String alias);

    /**
     * Sets the properties of a group ({@code $groupidentify} event).
     * @param groupType the group type, e.g. {@code company}; required
     * @param groupKey the group's key, e.g. its id; required
     * @param properties the group properties; may be null
     */
    void groupIdentify(String groupType, String groupKey, Map<String, ?> properties);

    /**
     * Adds a super property: a property added to every event captured afterwards (an event's own property of
     * the same name wins).
     * @param key the property name
     * @param value the value
     */
    void register(String key, Object value);

    /**
     * Removes a super property added with {@link #register} or configured on the builder.
     * @param key the property name
     */
    void unregister(String key);

    /**
     * Sends everything captured before this call, ignoring the batch size and interval, and waits until it has
     * been sent or has definitively failed, at most for the client's flush timeout. If the consumer threads are
     * not running (a stopped or not yet started client), the calling thread delivers the queue itself.
     * @return the number of events sent while this call waited
     */
    int flush();

    /**
     * Like {@link #flush()}, with an explicit bound on the wait.
     * @param timeout how long to wait at most
     * @return the number of events sent while this call waited
     */
    int flush(Duration timeout);

    /**
     * Shuts the client down: refuses further events (dropped as {@link DropReason#CLOSED}), delivers what is
     * queued within the shutdown timeout, stops every thread. Events that could not be delivered in time are
     * counted as {@link DropReason#CLOSED} and logged. Idempotent; never throws.
     */
    @Override
    void close();
}
