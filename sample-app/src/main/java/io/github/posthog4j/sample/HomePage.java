package io.github.posthog4j.sample;

import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientStatus;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A small HTML page: the client's queue size, sent and dropped counts, and the events the
 * local sink received.
 */
@RestController
public class HomePage {

    private final PosthogClient posthog;

    private final LocalSink sink;

    private final FlagPanel flagPanel;

    public HomePage(PosthogClient posthog, LocalSink sink, FlagPanel flagPanel) {
        this.posthog = posthog;
        this.sink = sink;
        this.flagPanel = flagPanel;
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    public String home(@RequestParam(defaultValue = "sample-user") String user) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>PostHog sample</title>")
            .append("<meta http-equiv=\"refresh\" content=\"5\">")
            .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
            .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>")
            .append("<h1>PostHog sample app</h1>");
        if (posthog instanceof ManagedPosthogClient managed) {
            PosthogClientStatus s = managed.status();
            html.append("<p>Client: running=")
                .append(s.running())
                .append(" &middot; Queue size: <b>")
                .append(s.queueSize())
                .append("</b> / ")
                .append(s.queueCapacity())
                .append(" &middot; Sent: <b>")
                .append(s.sent())
                .append("</b>")
                .append(" &middot; Dropped: <b>")
                .append(s.droppedTotal())
                .append("</b></p>");
        }
        else {
            html.append("<p>PostHog is disabled (no posthog.api-key).</p>");
        }
        html.append("<p>Local sink received <b>")
            .append(sink.received())
            .append("</b> events (newest first). ")
            .append("JSON: <a href=\"/sink/events\">/sink/events</a>, metrics: ")
            .append("<a href=\"/actuator/metrics/posthog.queue.size\">/actuator/metrics/posthog.queue.size</a>, ")
            .append("health: <a href=\"/actuator/health\">/actuator/health</a></p>")
            .append(this.flagPanel.html(user))
            .append("<h2>Events</h2>")
            .append("<table><tr><th>received</th><th>event</th><th>distinct id</th><th>uuid</th></tr>");
        for (Map<String, Object> e : sink.recent()) {
            html.append("<tr><td>")
                .append(esc(e.get("receivedAt")))
                .append("</td><td>")
                .append(esc(e.get("event")))
                .append("</td><td>")
                .append(esc(e.get("distinctId")))
                .append("</td><td>")
                .append(esc(e.get("uuid")))
                .append("</td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    private static String esc(Object value) {
        return HtmlUtils.htmlEscape(String.valueOf(value));
    }

}
