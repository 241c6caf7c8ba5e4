package io.github.posthog4j.autoconfigure.exceptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posthog4j.client.ExceptionOptions;
import io.github.posthog4j.client.PosthogClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.server.ResponseStatusException;

/** What the exception integrations leave out, and what they send. */
class PosthogExceptionCaptorTests {

    private final List<ExceptionOptions> captured = new ArrayList<>();

    private final PosthogExceptionCaptor captor = new PosthogExceptionCaptor(recorder(),
            List.of("java.util.concurrent.CancellationException", IgnoredBase.class.getName()));

    @Test
    void clientErrorsAreLeftOutServerErrorsAreNot() {
        assertThat(this.captor.isLeftOut(new ResponseStatusException(HttpStatus.NOT_FOUND))).isTrue();
        assertThat(this.captor.isLeftOut(new HttpRequestMethodNotSupportedException("DELETE"))).isTrue();
        assertThat(this.captor.isLeftOut(new TypeMismatchException("x", Integer.class))).isTrue();
        assertThat(this.captor
            .isLeftOut(new HttpMessageNotReadableException("bad json", new MockHttpInputMessage(new byte[0]))))
            .isTrue();
        assertThat(this.captor.isLeftOut(new AccessDeniedException("no"))).isTrue();
        assertThat(this.captor.isLeftOut(new BadCredentialsException("no"))).isTrue();
        assertThat(this.captor.isLeftOut(new Teapot())).isTrue();
        assertThat(this.captor.isLeftOut(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE))).isFalse();
        assertThat(this.captor.isLeftOut(new ConversionNotSupportedException("x", Integer.class, null))).isFalse();
        assertThat(this.captor.isLeftOut(new HttpMessageNotWritableException("cannot write"))).isFalse();
        assertThat(this.captor.isLeftOut(new IllegalStateException("bug"))).isFalse();
        assertThat(PosthogExceptionCaptor.statusOf(new ResponseStatusException(HttpStatus.BAD_GATEWAY))).isEqualTo(502);
        assertThat(PosthogExceptionCaptor.statusOf(new AccessDeniedException("no"))).isEqualTo(403);
        assertThat(PosthogExceptionCaptor.statusOf(new BadCredentialsException("no"))).isEqualTo(401);
    }

    @Test
    void aClientThatWentAwayIsLeftOut() {
        assertThat(this.captor.isLeftOut(new IOException("Broken pipe"))).isTrue();
        assertThat(this.captor.isLeftOut(new IOException("Connection reset by peer"))).isTrue();
        assertThat(this.captor.isLeftOut(new AsyncRequestNotUsableException("gone"))).isTrue();
        assertThat(this.captor.isLeftOut(new ClientAbortException())).isTrue();
        assertThat(this.captor.isLeftOut(new IllegalStateException("write failed", new IOException("Broken pipe"))))
            .isTrue();
        assertThat(this.captor.isLeftOut(new IOException("disk full"))).isFalse();
    }

    @Test
    void ignoredTypesAndTheirSubclassesAreLeftOut() {
        assertThat(this.captor.isLeftOut(new java.util.concurrent.CancellationException())).isTrue();
        assertThat(this.captor.isLeftOut(new IgnoredSub())).isTrue();
        assertThat(this.captor.isLeftOut(new RuntimeException())).isFalse();
    }

    @Test
    void aCaptureCarriesTheIntegrationsMetadata() {
        this.captor.capture(new IllegalStateException("x"), PosthogExceptionCaptor.Integration.SCHEDULED, false,
                "error", 503);
        ExceptionOptions o = this.captured.get(0);
        assertThat(o.mechanism()).containsEntry("type", "task").containsEntry("handled", false);
        assertThat(o.exceptionSource()).isEqualTo("spring.scheduled_error_handler");
        assertThat(o.level()).isEqualTo("error");
        assertThat(o.properties()).isEqualTo(Map.of("$response_status_code", 503));
    }

    private PosthogClient recorder() {
        return (PosthogClient) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { PosthogClient.class }, (proxy, method, args) -> {
                    if (method.getName().equals("captureException") && args[0] instanceof ExceptionOptions o) {
                        this.captured.add(o);
                        return "uuid";
                    }
                    return null;
                });
    }

    @ResponseStatus(HttpStatus.I_AM_A_TEAPOT)
    static class Teapot extends RuntimeException {

    }

    static class IgnoredBase extends RuntimeException {

    }

    static class IgnoredSub extends IgnoredBase {

    }

    /** Named like Tomcat's. */
    static class ClientAbortException extends IOException {

    }

}
