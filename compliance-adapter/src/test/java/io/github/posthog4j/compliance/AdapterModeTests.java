package io.github.posthog4j.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.posthog4j.client.CaptureProtocol;
import io.github.posthog4j.client.CompressionEncoding;
import org.junit.jupiter.api.Test;

/**
 * The adapter's modes: the capture protocol and encoding from the command line, and the
 * capabilities {@code /health} declares for them.
 */
class AdapterModeTests {

    @Test
    void plainStartDeclaresCaptureV0TheAiRouteAndGzip() {
        AdapterMode mode = AdapterMode.of(AdapterArguments.parse());
        assertThat(mode).isEqualTo(AdapterMode.DEFAULT);
        assertThat(mode.capabilities()).containsExactly("capture_v0", "capture_ai_v0", "encoding_gzip");
        assertThat(ComplianceEnvironment.adapter().health().get("capabilities"))
            .isEqualTo(java.util.List.of("capture_v0", "capture_ai_v0", "encoding_gzip"));
    }

    @Test
    void captureProtocolV1DeclaresCaptureV1() {
        AdapterMode mode = AdapterMode.of(AdapterArguments.parse("--posthog.capture-protocol=v1"));
        assertThat(mode.protocol()).isEqualTo(CaptureProtocol.V1);
        assertThat(mode.capabilities()).containsExactly("capture_v1", "capture_ai_v0", "encoding_gzip");
        assertThat(ComplianceEnvironment.adapter("--posthog.capture-protocol=v1").health().get("capabilities"))
            .isEqualTo(java.util.List.of("capture_v1", "capture_ai_v0", "encoding_gzip"));
    }

    @Test
    void zstdDeclaresOnlyZstdAndNeedsCaptureV1() {
        assertThat(AdapterMode.zstdLoads()).as("zstd-jni loads on this machine").isTrue();
        AdapterMode mode = AdapterMode
            .of(AdapterArguments.parse("--posthog.capture-protocol=v1", "--posthog.compression-encoding=zstd"));
        assertThat(mode.encoding()).isEqualTo(CompressionEncoding.ZSTD);
        assertThat(mode.capabilities()).containsExactly("capture_v1", "capture_ai_v0", "encoding_zstd");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AdapterMode.of(AdapterArguments.parse("--posthog.compression-encoding=zstd")))
            .withMessage("--posthog.compression-encoding=zstd needs --posthog.capture-protocol=v1: only capture v1 "
                    + "accepts zstd bodies");
    }

    @Test
    void unknownValuesSayWhatIsAccepted() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AdapterArguments.parse("--posthog.capture-protocol=v2").captureProtocol())
            .withMessage("--posthog.capture-protocol must be v0 or v1, got 'v2'");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AdapterArguments.parse("--posthog.compression-encoding=br").compressionEncoding())
            .withMessage("--posthog.compression-encoding must be gzip or zstd, got 'br'");
    }

}
