package io.github.posthog4j.compliance;

import io.github.posthog4j.compliance.Router.Request;
import io.github.posthog4j.compliance.Router.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Forwards a test-scoped SDK instance's requests ({@code /_relay/<test_id>/<path>}) to
 * the host given to {@code /init}, adding the {@code X-Test-Id} header the harness's mock
 * server partitions by. The request (method, path, query, body, content headers) and the
 * response (status, headers such as {@code Retry-After}, body) pass through unchanged.
 *
 * <p>
 * Needed only because the client has no public way to add request headers; with one, the
 * adapter would set the header on the client and this class would go.
 */
final class TestIdRelay implements Router.Handler {

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

    @Override
    public Response handle(Request request) throws IOException {
        String relayed = request.path().substring(PREFIX.length());
        int slash = relayed.indexOf('/');
        String testId = URLDecoder.decode((slash < 0) ? relayed : relayed.substring(0, slash), StandardCharsets.UTF_8);
        String rest = (slash < 0) ? "" : relayed.substring(slash);
        SdkInstance instance = instances.get(testId);
        if (instance == null || instance.upstreamHost() == null) {
            return Response.error(404, "no SDK instance for test_id " + testId);
        }
        String upstream = instance.upstreamHost().replaceAll("/+$", "") + rest
                + ((request.rawQuery() != null) ? "?" + request.rawQuery() : "");
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream))
            .timeout(Duration.ofSeconds(30))
            .method(request.method(), (request.body().length == 0) ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> {
            if (forwarded(name)) {
                values.forEach((value) -> forward.header(name, value));
            }
        });
        forward.header("X-Test-Id", testId);
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Response.error(502, "relay interrupted");
        }
        catch (IOException ex) {
            return Response.error(502, "relay could not reach " + upstream + ": " + ex);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        answer.headers().map().forEach((name, values) -> {
            if (forwarded(name)) {
                headers.put(name, new ArrayList<>(values));
            }
        });
        return new Response(answer.statusCode(), headers, answer.body());
    }

    private static boolean forwarded(String header) {
        return !header.startsWith(":") && !NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT));
    }

}
