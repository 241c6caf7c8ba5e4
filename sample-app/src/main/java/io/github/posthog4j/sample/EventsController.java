package io.github.posthog4j.sample;

import io.github.posthog4j.client.PosthogClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that capture, identify, alias and group-identify through the injected
 * {@link PosthogClient}.
 */
@RestController
@RequestMapping("/api")
public class EventsController {

    private final PosthogClient posthog;

    public EventsController(PosthogClient posthog) {
        this.posthog = posthog;
    }

    /**
     * {@code {"distinctId": "user-1", "event": "signed up", "properties": {"plan":
     * "pro"}}}.
     */
    public record CaptureRequest(String distinctId, String event, Map<String, Object> properties) {
    }

    /**
     * {@code {"distinctId": "user-1", "set": {"email": "..."}, "setOnce": {"first_seen":
     * "..."}}}.
     */
    public record IdentifyRequest(String distinctId, Map<String, Object> set, Map<String, Object> setOnce) {
    }

    /** {@code {"distinctId": "user-1", "alias": "anonymous-42"}}. */
    public record AliasRequest(String distinctId, String alias) {
    }

    /**
     * {@code {"groupType": "company", "groupKey": "acme", "properties": {"plan":
     * "enterprise"}}}.
     */
    public record GroupRequest(String groupType, String groupKey, Map<String, Object> properties) {
    }

    @PostMapping("/events")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> capture(@RequestBody CaptureRequest request) {
        String uuid = posthog.capture(request.distinctId(), request.event(), request.properties());
        return result(uuid);
    }

    @PostMapping("/identify")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> identify(@RequestBody IdentifyRequest request) {
        posthog.identify(request.distinctId(), request.set(), request.setOnce());
        return result(null);
    }

    @PostMapping("/alias")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> alias(@RequestBody AliasRequest request) {
        posthog.alias(request.distinctId(), request.alias());
        return result(null);
    }

    @PostMapping("/groups")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> groupIdentify(@RequestBody GroupRequest request) {
        posthog.groupIdentify(request.groupType(), request.groupKey(), request.properties());
        return result(null);
    }

    private static Map<String, Object> result(String uuid) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        if (uuid != null) {
            body.put("uuid", uuid);
        }
        return body;
    }

}
