package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.CaptureOptions;
import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.PosthogClient;
import java.time.Duration;
import java.util.Map;

/**
 * The client provided when PostHog is disabled ({@code posthog.enabled=false}, or no
 * {@code posthog.api-key}): every call is accepted and ignored, no thread and no socket
 * is ever created.
 */
final class DisabledPosthogClient implements PosthogClient {

    @Override
    public String capture(String distinctId, String event) {
        return null;
    }

    @Override
    public String capture(String distinctId, String event, Map<String, ?> properties) {
        return null;
    }

    @Override
    public String capture(CaptureOptions options) {
        return null;
    }

    @Override
    public String captureException(ExceptionOptions options) {
        return null; // without reading the exception
    }

    @Override
    public void identify(String distinctId, Map<String, ?> set, Map<String, ?> setOnce) {
    }

    @Override
    public void set(String distinctId, Map<String, ?> properties) {
    }

    @Override
    public void setOnce(String distinctId, Map<String, ?> properties) {
    }

    @Override
    public void alias(String distinctId, String alias) {
    }

    @Override
    public void groupIdentify(String groupType, String groupKey, Map<String, ?> properties) {
    }

    @Override
    public void register(String key, Object value) {
    }

    @Override
    public void unregister(String key) {
    }

    @Override
    public void optOut() {
    }

    @Override
    public void optIn() {
    }

    @Override
    public boolean isOptedOut() {
        return true;
    }

    @Override
    public int flush() {
        return 0;
    }

    @Override
    public int flush(Duration timeout) {
        return 0;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "PosthogClient[disabled]";
    }

}
