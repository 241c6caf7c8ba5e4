package io.github.posthog4j.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's JSON API ({@code /api/dashboard/...}); the page itself is
 * {@code static/index.html}, its flag panel reads {@code /api/flags} ({@link FlagPanel}).
 */
@RestController
@RequestMapping("/api/dashboard")
public class DashboardController {

    private final Dashboard dashboard;

    private final LatestException latestException;

    public DashboardController(Dashboard dashboard, LatestException latestException) {
        this.dashboard = dashboard;
        this.latestException = latestException;
    }

    /**
     * The latest {@code $exception} the sink received, with its distinct id, as an HTML
     * fragment.
     */
    @GetMapping(path = "/latest-exception", produces = "text/html")
    public String latestException() {
        return this.latestException.html();
    }

    /** Live counters: client, flags, sink, last burst, last outage. */
    @GetMapping("/status")
    public Map<String, @Nullable Object> status() {
        return dashboard.status();
    }

    /** One point a second: queue depth and events sent that second. */
    @GetMapping("/history")
    public List<Map<String, Object>> history() {
        return dashboard.history();
    }

    /** Captures {@code count} events (at most 100,000) on the request thread. */
    @PostMapping("/burst")
    public ResponseEntity<Map<String, Object>> burst(@RequestParam(defaultValue = "10000") int count) {
        if (count < 1 || count > 100_000) {
            return ResponseEntity.badRequest().body(Map.of("error", "count must be between 1 and 100000"));
        }
        return ResponseEntity.ok(dashboard.burst(count));
    }

    /** PostHog (the embedded sink) answers 503 for {@code seconds} (1 to 60). */
    @PostMapping("/outage")
    public ResponseEntity<Map<String, Object>> outage(@RequestParam(defaultValue = "10") int seconds) {
        if (seconds < 1 || seconds > 60) {
            return ResponseEntity.badRequest().body(Map.of("error", "seconds must be between 1 and 60"));
        }
        if (!dashboard.outage(Duration.ofSeconds(seconds))) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "an outage is already running"));
        }
        return ResponseEntity.accepted().body(Map.of("down", true, "seconds", seconds));
    }

    /** Stops and starts the delivery engine: new consumer threads, same queue. */
    @PostMapping("/restart")
    public Map<String, Object> restart() {
        return Map.of("restarts", dashboard.restart());
    }

    /**
     * Throws, on purpose: with error tracking on, the exception is captured as an
     * {@code $exception} event and shows up in the dashboard's event list.
     */
    @PostMapping("/throw")
    public Map<String, Object> fail() {
        throw new DashboardException("Thrown on purpose by the dashboard's \"throw\" button");
    }

    /** The exception the "throw" button raises. */
    static final class DashboardException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        DashboardException(String message) {
            super(message);
        }

    }

}
