package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Date parsing; vectors from posthog-python's TestRelativeDateParsing and
 * TestDateParsing.
 */
class FlagDatesTests {

    private static final Clock NEW_YEAR_2020 = Clock.fixed(Instant.parse("2020-01-01T12:01:20.134Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({ "1h,   2020-01-01T11:01:20.134Z", "2h,   2020-01-01T10:01:20.134Z", "24h,  2019-12-31T12:01:20.134Z",
            "30h,  2019-12-31T06:01:20.134Z", "48h,  2019-12-30T12:01:20.134Z", "1d,   2019-12-31T12:01:20.134Z",
            "2d,   2019-12-30T12:01:20.134Z", "7d,   2019-12-25T12:01:20.134Z", "14d,  2019-12-18T12:01:20.134Z",
            "30d,  2019-12-02T12:01:20.134Z", "-7d,  2019-12-25T12:01:20.134Z", "1w,   2019-12-25T12:01:20.134Z",
            "2w,   2019-12-18T12:01:20.134Z", "4w,   2019-12-04T12:01:20.134Z", "8w,   2019-11-06T12:01:20.134Z",
            "-2w,  2019-12-18T12:01:20.134Z", "1m,   2019-12-01T12:01:20.134Z", "2m,   2019-11-01T12:01:20.134Z",
            "4m,   2019-09-01T12:01:20.134Z", "8m,   2019-05-01T12:01:20.134Z", "-1m,  2019-12-01T12:01:20.134Z",
            "12m,  2019-01-01T12:01:20.134Z", "1y,   2019-01-01T12:01:20.134Z", "2y,   2018-01-01T12:01:20.134Z",
            "4y,   2016-01-01T12:01:20.134Z", "8y,   2012-01-01T12:01:20.134Z", "-1y,  2019-01-01T12:01:20.134Z",
            "000h, 2020-01-01T12:01:20.134Z", "1000h, 2019-11-20T20:01:20.134Z" })
    void whenRelativeDateIsValidShouldCountBackFromNow(String value, String expected) {
        assertThat(FlagDates.parseRelative(value, NEW_YEAR_2020).toInstant()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "1", "1x", "1.2y", "1z", "1s", "123344000.134m", "bazinga", "000bello", "000hello",
            "1000000h", "9999y", "100000000000000000y", "1H", "d", "--1d", "2022-01-01" })
    void whenRelativeDateIsInvalidShouldReturnNull(String value) {
        assertThat(FlagDates.parseRelative(value, NEW_YEAR_2020)).isNull();
    }

    @ParameterizedTest(name = "[{index}] now {0}, {1} -> {2}")
    @CsvSource({ "2020-04-03T00:00:00Z, 1m, 2020-03-03T00:00:00Z", "2020-04-03T00:00:00Z, 2m, 2020-02-03T00:00:00Z",
            "2020-04-03T00:00:00Z, 4m, 2019-12-03T00:00:00Z", "2020-04-03T00:00:00Z, 8m, 2019-08-03T00:00:00Z",
            "2020-04-03T00:00:00Z, 1y, 2019-04-03T00:00:00Z", "2020-03-31T00:00:00Z, 1m, 2020-02-29T00:00:00Z",
            "2021-03-31T00:00:00Z, 1m, 2021-02-28T00:00:00Z", "2020-02-29T00:00:00Z, 1y, 2019-02-28T00:00:00Z" })
    void whenMonthsOrYearsAreSubtractedShouldClampToMonthEnd(String now, String value, String expected) {
        Clock clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
        assertThat(FlagDates.parseRelative(value, clock).toInstant()).isEqualTo(Instant.parse(expected));
    }

    static Stream<Arguments> absoluteDates() {
        return Stream.of(arguments("2022-05-01", "2022-05-01T00:00Z"),
                arguments("2022-04-05T12:34:12Z", "2022-04-05T12:34:12Z"),
                arguments("2022-04-05 12:34:12 UTC", "2022-04-05T12:34:12Z"),
                arguments("2022-04-05 12:34:12 +01:00", "2022-04-05T12:34:12+01:00"),
                arguments("2022-04-05 12:34:12+01:00", "2022-04-05T12:34:12+01:00"),
                arguments("2022-04-05T12:34:12.123456-05:30", "2022-04-05T12:34:12.123456-05:30"),
                arguments("2022-04-05T12:34", "2022-04-05T12:34Z"), arguments("  2022-04-05  ", "2022-04-05T00:00Z"),
                arguments("20220405", "2022-04-05T00:00Z"), arguments("1234", "1234-01-01T00:00Z"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("absoluteDates")
    void whenAbsoluteDateIsIsoShouldParseLikePython(String value, String expected) {
        assertThat(FlagDates.parseAbsolute(value, NEW_YEAR_2020)).isEqualTo(OffsetDateTime.parse(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "abcdef", "2022-13-01", "2022-02-30", "0000-01-01", "05/01/2022", "", "1" })
    void whenAbsoluteDateIsInvalidShouldThrow(String value) {
        assertThatThrownBy(() -> FlagDates.parseAbsolute(value, NEW_YEAR_2020)).isInstanceOf(DateTimeException.class);
    }

}
