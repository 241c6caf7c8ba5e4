package io.github.posthog4j.compliance;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import java.util.Locale;
import java.util.Set;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Forwards a test-scoped SDK instance's requests to the host given to {@code /init},
 * adding the {@code X-Test-Id} header the harness's mock server partitions by. The
 * request (method, path, query, body, content headers) and the response (status, headers
 * such as {@code Retry-After}, body) pass through unchanged.
 *
 * <p>
 * Needed only because the client has no public way to add request headers; with one, the
 * adapter would set the header on the client and this class would go.
 */
@RestController
class TestIdRelay {

    static final String PREFIX = "/_relay/";

    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "http2-settings", "x-test-id");

    private final SdkInstances instances;

    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();

    TestIdRelay(SdkInstances instances) {
        this.instances = instances;
    }

    @RequestMapping(PREFIX + "{testId}/**")
    void relay(@PathVariable String testId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        SdkInstance instance = instances.get(testId);
        if (instance == null || instance.upstreamHost == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no SDK instance for test_id " + testId);
            return;
        }
        String uri = request.getRequestURI();
        String rest = uri.substring(uri.indexOf(PREFIX + testId) + PREFIX.length() + testId.length());
        String upstream = instance.upstreamHost.replaceAll("/+$", "") + rest
                + ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
        byte[] body = request.getInputStream().readAllBytes();
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream))
            .timeout(Duration.ofSeconds(30))
            .method(request.getMethod(), (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : java.util.Collections.list(request.getHeaderNames())) {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : java.util.Collections.list(request.getHeaders(name))) {
                    forward.header(name, value);
                }
            }
        }
        forward.header("X-Test-Id", testId);
        HttpResponse<byte[]> upstreamResponse;
        try {
            upstreamResponse = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_BAD_GATEWAY, "relay interrupted");
            return;
        }
        catch (IOException ex) {
            response.sendError(HttpServletResponse.SC_BAD_GATEWAY, "relay could not reach " + upstream + ": " + ex);
            return;
        }
        response.setStatus(upstreamResponse.statusCode());
        upstreamResponse.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                for (String value : values) {
                    response.addHeader(name, value);
                }
            }
        });
        byte[] out = upstreamResponse.body();
        response.setContentLength(out.length);
        try (OutputStream os = response.getOutputStream()) {
            os.write(out);
        }
    }

}
