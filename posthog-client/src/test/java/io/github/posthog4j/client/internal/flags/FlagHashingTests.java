package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bucketing must agree with PostHog bit for bit.
 *
 * <p>
 * The two 1000-row tables are posthog-python's
 * {@code TestConsistency.test_simple_flag_consistency} and
 * {@code test_multivariate_flag_consistency} (test_feature_flags.py): the expected value
 * for {@code distinct_id_0} .. {@code distinct_id_999}, encoded one character per id.
 */
class FlagHashingTests {

    /** Simple flag, 45% rollout: '1' = true, '0' = false. */
    static final String SIMPLE_FLAG_45_PERCENT = "0110100101011010001101001011000111100000011011000110000101010110101011001001010010001101101111101100"
            + "1111001011100000100111001010010000000011001001100101011100010000110110101101011101001101011001111011"
            + "0010100110101000000010110010100010100010010110000100000000000001101011010100011110000011100110000010"
            + "1111011100101001110100011010101111100101011101011011111000001010011000101111000011001101111011100110"
            + "0100100000000001100100101001000000100000000011100010100010000000100000000101011100011101011000100001"
            + "0101101000100110100000011001001110001000010100010110101010010010101010011110100000100100110000111001"
            + "0011110001000100111100110101001101111001001101010010000111010010010000101011001011100001101000100001"
            + "1100011110110111010010111101010100110010100001010001110001011000001010011011110010010101100010110001"
            + "0101101001000111000001001111100000000111001101101010001001001111001011001001101001110000010100000110"
            + "1110000111101101010100001111001011000000101011001111001011001110100110001001000111101010101001001011";

    /**
     * Multivariate flag, 55% rollout, variants first 50 / second 20 / third 20 / fourth 5
     * / fifth 5: '0' = false, '1'..'5' = the n-th variant.
     */
    static final String MULTIVARIATE_FLAG_55_PERCENT = "2210021000130121004103000111111303210300120112010011121022321012401110120300000015021203300003001103"
            + "3032300210010000111000110110000000001111211120212102201000310010000100000001131100100520201315300400"
            + "0030030122201311000001112000200101001111313112330210210100151000011202330130010310311012210002001103"
            + "0103032100131250010003021000030030013001004432135015011100025211200302503100400200141200013301110101"
            + "3300100221110510002314130110311304511000111011210121012011010101000331002311000210130100013300003441"
            + "2010213030113000421001401310030101132401000021201011011231110003011131121541204000400300013321210100"
            + "0001102001021113200530010001233001031000041000300210023110110023230010010200001030100232411101020000"
            + "0100000102000020103001303002012100000200130100000120001150001030020000042120202010110201050110001013"
            + "0011005003031133010000010000212105100411004102331100011103330011020020312511015000311241210002300100"
            + "0000110301033110202100020301511001000141115000200011001121111131020032301321300110001321110323003101";

    static final List<String> VARIANTS = List.of("first-variant", "second-variant", "third-variant", "fourth-variant",
            "fifth-variant");

    static final FlagDefinitions DEFINITIONS = FlagDefinitions
        .parse(("{'flags': [" + "{'id': 1, 'key': 'simple-flag', 'active': true,"
                + " 'filters': {'groups': [{'properties': [], 'rollout_percentage': 45}]}},"
                + "{'id': 2, 'key': 'multivariate-flag', 'active': true,"
                + " 'filters': {'groups': [{'properties': [], 'rollout_percentage': 55}],"
                + "  'multivariate': {'variants': [" + "   {'key': 'first-variant', 'rollout_percentage': 50},"
                + "   {'key': 'second-variant', 'rollout_percentage': 20},"
                + "   {'key': 'third-variant', 'rollout_percentage': 20},"
                + "   {'key': 'fourth-variant', 'rollout_percentage': 5},"
                + "   {'key': 'fifth-variant', 'rollout_percentage': 5}]}}}]}")
            .replace('\'', '"'));

    static Stream<Arguments> simpleFlagVectors() {
        return IntStream.range(0, 1000)
            .mapToObj(i -> Arguments.of("distinct_id_" + i, SIMPLE_FLAG_45_PERCENT.charAt(i) == '1'));
    }

    static Stream<Arguments> multivariateFlagVectors() {
        return IntStream.range(0, 1000).mapToObj(i -> {
            char c = MULTIVARIATE_FLAG_55_PERCENT.charAt(i);
            return Arguments.of("distinct_id_" + i, c == '0' ? Boolean.FALSE : VARIANTS.get(c - '1'));
        });
    }

    private final LocalFlagEvaluator evaluator = new LocalFlagEvaluator(DEFINITIONS);

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("simpleFlagVectors")
    void whenSimpleFlagIsRolledOutTo45PercentShouldMatchPythonConsistencyVector(String distinctId, boolean expected) {
        FlagEvaluationResult result = evaluator.evaluate("simple-flag", FlagEvaluationContext.of(distinctId));
        assertThat(result.isInconclusive()).isFalse();
        assertThat(result.value()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("multivariateFlagVectors")
    void whenMultivariateFlagIsEvaluatedShouldMatchPythonConsistencyVector(String distinctId, Object expected) {
        FlagEvaluationResult result = evaluator.evaluate("multivariate-flag", FlagEvaluationContext.of(distinctId));
        assertThat(result.isInconclusive()).isFalse();
        assertThat(result.value()).isEqualTo(expected);
    }

    /**
     * Raw hash values, computed with posthog-python's {@code _hash} formula (SHA-1, 15
     * hex digits, divided by 0xFFFFFFFFFFFFFFF) in CPython; compared exactly, not with a
     * tolerance.
     */
    @ParameterizedTest(name = "[{index}] {0}.{1}{2}")
    @CsvSource(value = { "simple-flag, distinct_id_0, , c8a05362b9f414f, 0.7836963764220432",
            "simple-flag, distinct_id_1, , 56f70997ddf6067, 0.3397069926995401",
            "multivariate-flag, distinct_id_0, variant, 9e5f8c67dc34910, 0.6186454537930379",
            "beta-feature, some-distinct-id, , 57f020d55a142a8, 0.3435078163984861",
            "beta-feature, test_id, variant, c75738c879302f4, 0.7786746491848937",
            "fractional-rollout, user-1, , b0ee4bd53965b16, 0.6911361117903627", })
    void whenHashingShouldEqualPythonBitForBit(String key, String bucketingValue, String salt, String hexPrefix,
            double expected) {
        String saltValue = salt == null ? "" : salt;
        assertThat(FlagHashing.hashPrefix(key, bucketingValue, saltValue)).isEqualTo(hexPrefix);
        assertThat(FlagHashing.hash(key, bucketingValue, saltValue)).isEqualTo(expected);
    }

}
