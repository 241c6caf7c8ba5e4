package io.github.posthog4j.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The adapter's command line: {@code --key=value} options, the port and its sources, and
 * messages that say what to write instead.
 */
class AdapterArgumentsTests {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    @Test
    void portOptionIsThePort() {
        assertThat(AdapterArguments.parse("--port=9090").port(NO_ENVIRONMENT)).isEqualTo(9090);
    }

    @Test
    void serverPortIsStillAccepted() {
        assertThat(AdapterArguments.parse("--server.port=9091").port(NO_ENVIRONMENT)).isEqualTo(9091);
        assertThat(AdapterArguments.parse("--port=9092", "--server.port=9092").port(NO_ENVIRONMENT)).isEqualTo(9092);
    }

    @Test
    void portOptionWinsOverTheEnvironment() {
        assertThat(AdapterArguments.parse("--port=0").port(Map.of("PORT", "9093"))).isZero();
    }

    @Test
    void portComesFromTheEnvironmentWithoutOption() {
        assertThat(AdapterArguments.parse().port(Map.of("PORT", " 9094 "))).isEqualTo(9094);
    }

    @Test
    void portDefaultsTo8080() {
        assertThat(AdapterArguments.parse().port(NO_ENVIRONMENT)).isEqualTo(8080);
        assertThat(AdapterArguments.parse().port(Map.of("PORT", ""))).isEqualTo(8080);
    }

    @Test
    void aValueWithoutEqualsSignSaysHowToWriteIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> AdapterArguments.parse("--port", "9090"))
            .withMessage("expected an option of the form --key=value, got '--port' (write --port=<value>)");
        assertThatIllegalArgumentException().isThrownBy(() -> AdapterArguments.parse("port=9090"))
            .withMessage("expected an option of the form --key=value, got 'port=9090'");
    }

    @Test
    void anUnknownOptionNamesTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> AdapterArguments.parse("--prot=9090"))
            .withMessage("unknown option --prot; the options are: --port, --server.port, "
                    + "--posthog.capture-protocol, --posthog.compression-encoding");
    }

    @Test
    void anOptionGivenTwiceFails() {
        assertThatIllegalArgumentException().isThrownBy(() -> AdapterArguments.parse("--port=1", "--port=2"))
            .withMessage("--port is given twice; give it once");
    }

    @Test
    void portAndServerPortThatDisagreeFail() {
        AdapterArguments arguments = AdapterArguments.parse("--port=1", "--server.port=2");
        assertThatIllegalArgumentException().isThrownBy(() -> arguments.port(NO_ENVIRONMENT))
            .withMessage("--port=1 and --server.port=2 disagree; give one of them");
    }

    @Test
    void aPortThatIsNoPortNumberNamesItsSource() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AdapterArguments.parse("--port=http").port(NO_ENVIRONMENT))
            .withMessage("--port must be a port number from 0 to 65535 (0 picks a free port), got 'http'");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AdapterArguments.parse("--server.port=65536").port(NO_ENVIRONMENT))
            .withMessageStartingWith("--server.port must be a port number");
        assertThatIllegalArgumentException().isThrownBy(() -> AdapterArguments.parse().port(Map.of("PORT", "-1")))
            .withMessageStartingWith("the PORT environment variable must be a port number");
    }

    @Test
    void usageListsEveryOption() {
        assertThat(AdapterArguments.usage()).contains("--port=<port>")
            .contains("--server.port=<port>")
            .contains("PORT from the environment");
    }

}
