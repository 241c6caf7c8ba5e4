package io.github.posthog4j.sample;

import java.io.IOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An endpoint that fails, to show exception autocapture: the exception escapes the
 * handler, Spring Boot answers with its usual 500 error, and the starter captures an
 * {@code $exception} event (the checkout failure and its cause) for the distinct id and
 * session id of the request's {@code X-POSTHOG-DISTINCT-ID} and
 * {@code X-POSTHOG-SESSION-ID} headers. The home page shows the latest one.
 */
@RestController
@RequestMapping("/api")
public class FailureController {

    @GetMapping("/fail")
    public String fail() {
        try {
            return chargeCard();
        }
        catch (IOException ex) {
            throw new CheckoutFailedException("checkout failed: the payment provider did not answer", ex);
        }
    }

    private String chargeCard() throws IOException {
        throw new IOException("connect timed out: payments.example:443");
    }

    /** The failure the endpoint reports. */
    public static class CheckoutFailedException extends RuntimeException {

        public CheckoutFailedException(String message, Throwable cause) {
            super(message, cause);
        }

    }

}
