package io.github.posthog4j.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * The dashboard's view of the latest {@code $exception} event the local sink received:
 * who it happened to (the distinct id and session id from the request's tracing headers),
 * what, where it was captured, and the event as sent.
 */
@Component
public class LatestException {

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LocalSink sink;

    public LatestException(LocalSink sink) {
        this.sink = sink;
    }

    /**
     * @return an HTML section, or a hint how to produce one
     */
    public String html() {
        Map<String, Object> latest = null;
        for (Map<String, Object> e : this.sink.recent()) {
            if ("$exception".equals(e.get("event"))) {
                latest = e;
                break;
            }
        }
        StringBuilder html = new StringBuilder("<h2>Latest $exception</h2>");
        if (latest == null) {
            return html.append("<p>None yet: <code>curl -H 'X-POSTHOG-DISTINCT-ID: user-1' ")
                .append("-H 'X-POSTHOG-SESSION-ID: session-1' localhost:8080/api/fail</code></p>")
                .toString();
        }
        Map<?, ?> props = (Map<?, ?>) latest.get("properties");
        html.append("<p>Distinct id: <b id=\"exception-distinct-id\">")
            .append(esc(latest.get("distinctId")))
            .append("</b> &middot; session: <b>")
            .append(esc((props.get("$session_id") != null) ? props.get("$session_id") : "none"))
            .append("</b> &middot; <b>")
            .append(esc(props.get("$exception_type")))
            .append("</b>: ")
            .append(esc(props.get("$exception_message")))
            .append(" &middot; source: ")
            .append(esc(props.get("$exception_source")))
            .append("</p><pre>")
            .append(esc(pretty(latest)))
            .append("</pre>");
        return html.toString();
    }

    private String pretty(Object value) {
        try {
            return this.json.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            return String.valueOf(value);
        }
    }

    private static String esc(Object value) {
        return HtmlUtils.htmlEscape(String.valueOf(value));
    }

}
