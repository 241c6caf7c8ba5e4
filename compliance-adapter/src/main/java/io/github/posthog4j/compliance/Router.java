package io.github.posthog4j.compliance;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Routes a request to its handler: by exact path and method ({@code HEAD} is served by
 * the {@code GET} handler), else by path prefix (any method). An unknown path answers 404
 * and a known path with another method 405, both as adapter errors ({@code {"success":
 * false, "error": ...}}).
 */
final class Router {

    /** Handles one request. */
    @FunctionalInterface
    interface Handler {

        Response handle(Request request) throws IOException;

    }

    /**
     * A request as the handlers see it.
     *
     * @param method the HTTP method, upper case
     * @param path the path as sent (not decoded)
     * @param rawQuery the query as sent (not decoded), or null without one
     * @param headers the request headers (names are case-insensitive)
     * @param body the request body, empty without one
     * @param localPort the port of the adapter the request came in on
     */
    record Request(String method, String path, @Nullable String rawQuery, Headers headers, byte[] body, int localPort) {

        /**
         * @param name a query parameter
         * @return its first value, decoded, or null when absent
         */
        @Nullable String query(String name) {
            if (rawQuery == null) {
                return null;
            }
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        /**
         * @param name a header name, in any case
         * @return its first value, or null when absent
         */
        @Nullable String header(String name) {
            return headers.getFirst(name);
        }

    }

    /**
     * A response.
     *
     * @param status the HTTP status
     * @param headers the response headers (without {@code Content-Length}, which the
     * server sets)
     * @param body the body, empty for none
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        /**
         * @param status the HTTP status
         * @param body maps, lists and scalars, written as JSON
         * @return a JSON response
         */
        static Response json(int status, @Nullable Object body) {
            return new Response(status, Map.of("Content-Type", List.of("application/json")), Json.write(body));
        }

        /**
         * @param status a 4xx or 5xx status
         * @param message what went wrong and what to do
         * @return {@code {"success": false, "error": message}}
         */
        static Response error(int status, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", false);
            body.put("error", message);
            return json(status, body);
        }

    }

    /** A request the adapter cannot serve as sent: answered 400 with the message. */
    static final class BadRequest extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }

    }

    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();

    private final Map<String, Handler> prefixes = new LinkedHashMap<>();

    /**
     * Adds a {@code GET} (and {@code HEAD}) route.
     * @param path the exact path
     * @param handler its handler
     * @return this router
     */
    Router get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /**
     * Adds a {@code POST} route.
     * @param path the exact path
     * @param handler its handler
     * @return this router
     */
    Router post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /**
     * Adds a route for every path under a prefix, any method.
     * @param prefix e.g. {@code /_relay/}
     * @param handler its handler
     * @return this router
     */
    Router prefix(String prefix, Handler handler) {
        prefixes.put(prefix, handler);
        return this;
    }

    private Router route(String method, String path, Handler handler) {
        routes.computeIfAbsent(path, (p) -> new TreeMap<>()).put(method, handler);
        return this;
    }

    /**
     * @param request a request
     * @return the answer of its handler, or a 404 or 405 error
     * @throws IOException from the handler
     */
    Response route(Request request) throws IOException {
        Map<String, Handler> byMethod = routes.get(request.path());
        if (byMethod != null) {
            String method = request.method().equals("HEAD") ? "GET" : request.method();
            Handler handler = byMethod.get(method);
            if (handler == null) {
                Response error = Response.error(405, request.method() + " is not allowed on " + request.path()
                        + "; use " + String.join(" or ", byMethod.keySet()));
                Map<String, List<String>> headers = new LinkedHashMap<>(error.headers());
                headers.put("Allow", List.of(String.join(", ", byMethod.keySet())));
                return new Response(405, headers, error.body());
            }
            return handler.handle(request);
        }
        for (Map.Entry<String, Handler> prefix : prefixes.entrySet()) {
            if (request.path().startsWith(prefix.getKey())) {
                return prefix.getValue().handle(request);
            }
        }
        return Response.error(404, "no adapter endpoint " + request.method() + " " + request.path());
    }

}
