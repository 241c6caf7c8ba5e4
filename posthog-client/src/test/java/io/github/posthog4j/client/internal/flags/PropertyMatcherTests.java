package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operator semantics. Most rows are the expectations of posthog-python's {@code
 * TestMatchProperties} (test_feature_flags.py), re-expressed as a table; values that
 * Python passes as {@code datetime}/{@code date} objects are passed as {@code java.time}
 * values.
 */
class PropertyMatcherTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Frozen like the Python relative-date tests: {@code freeze_time("2022-05-01")}. */
    private static final Clock MAY_FIRST_2022 = Clock.fixed(Instant.parse("2022-05-01T00:00:00Z"), ZoneOffset.UTC);

    /** Stands for "the property is not in the supplied map". */
    private static final Object MISSING = new Object();

    enum Expected {

        MATCH, NO_MATCH, INCONCLUSIVE

    }

    private static Arguments row(String operator, String flagValueJson, Object property, Expected expected) {
        return arguments(operator, flagValueJson, property, expected);
    }

    static Stream<Arguments> equalityOperators() {
        return Stream.of(
                // exact (default when operator is absent: see
                // whenOperatorIsAbsentShouldDefaultToExact)
                row("exact", "'value'", "value", Expected.MATCH), row("exact", "'value'", "VALUE", Expected.MATCH),
                row("exact", "'value'", "value2", Expected.NO_MATCH), row("exact", "'value'", "", Expected.NO_MATCH),
                row("exact", "'value'", null, Expected.NO_MATCH),
                row("exact", "'value'", MISSING, Expected.INCONCLUSIVE),
                row("exact", "['value1','value2','value3']", "value1", Expected.MATCH),
                row("exact", "['value1','value2','value3']", "value3", Expected.MATCH),
                row("exact", "['value1','value2','value3']", "value4", Expected.NO_MATCH),
                row("exact", "['value1','value2','value3']", MISSING, Expected.INCONCLUSIVE),
                row("exact", "['USA']", "usa", Expected.MATCH), row("exact", "5", 5, Expected.MATCH),
                row("exact", "'5'", 5, Expected.MATCH), row("exact", "5", 5.0, Expected.NO_MATCH), // str(5.0)
                                                                                                   // is
                                                                                                   // "5.0",
                                                                                                   // as
                                                                                                   // in
                                                                                                   // Python
                row("exact", "'true'", true, Expected.MATCH), // str(True) casefolds to
                                                              // "true"
                row("exact", "['straße']", "STRASSE", Expected.MATCH), // casefold, not
                                                                       // lower
                // is_not
                row("is_not", "'value'", "value2", Expected.MATCH), row("is_not", "'value'", "", Expected.MATCH),
                row("is_not", "'value'", null, Expected.MATCH), row("is_not", "'value'", "Value", Expected.NO_MATCH),
                row("is_not", "'none'", null, Expected.NO_MATCH), // str(None) is "None"
                row("is_not", "'none'", "non", Expected.MATCH),
                row("is_not", "['value1','value2','value3']", "value4", Expected.MATCH),
                row("is_not", "['value1','value2','value3']", "", Expected.MATCH),
                row("is_not", "['value1','value2','value3']", null, Expected.MATCH),
                row("is_not", "['value1','value2','value3']", "value2", Expected.NO_MATCH),
                row("is_not", "['value1','value2','value3']", MISSING, Expected.INCONCLUSIVE),
                // is_set / is_not_set
                row("is_set", "'is_set'", "value", Expected.MATCH), row("is_set", "'is_set'", "", Expected.MATCH),
                row("is_set", "'is_set'", null, Expected.NO_MATCH), row("is_set", "null", null, Expected.NO_MATCH),
                row("is_set", "'is_set'", MISSING, Expected.INCONCLUSIVE),
                row("is_not_set", "'is_not_set'", "value", Expected.INCONCLUSIVE),
                row("is_not_set", "'is_not_set'", MISSING, Expected.INCONCLUSIVE));
    }

    static Stream<Arguments> stringOperators() {
        return Stream.of(row("icontains", "'valUe'", "value", Expected.MATCH),
                row("icontains", "'valUe'", "vaLue4", Expected.MATCH),
                row("icontains", "'valUe'", "343tfvalue5", Expected.MATCH),
                row("icontains", "'valUe'", "Alakazam", Expected.NO_MATCH),
                row("icontains", "'valUe'", 123, Expected.NO_MATCH), row("icontains", "'3'", "3", Expected.MATCH),
                row("icontains", "'3'", 323, Expected.MATCH), row("icontains", "'3'", "val3", Expected.MATCH),
                row("icontains", "'3'", "three", Expected.NO_MATCH), row("icontains", "'no'", null, Expected.NO_MATCH),
                row("icontains", "'no'", MISSING, Expected.INCONCLUSIVE),
                row("not_icontains", "'valUe'", "VALUE2", Expected.NO_MATCH),
                row("not_icontains", "'valUe'", "Alakazam", Expected.MATCH),
                row("not_icontains", "'valUe'", null, Expected.NO_MATCH),
                row("starts_with", "'Val'", "value", Expected.MATCH),
                row("starts_with", "'Val'", "VALUE", Expected.MATCH),
                row("starts_with", "'Val'", "vaLue4", Expected.MATCH),
                row("starts_with", "'Val'", "prevalue", Expected.NO_MATCH),
                row("starts_with", "'Val'", 123, Expected.NO_MATCH), row("starts_with", "'3'", 323, Expected.MATCH),
                row("starts_with", "'3'", 123, Expected.NO_MATCH), row("starts_with", "'3'", "val3", Expected.NO_MATCH),
                row("starts_with", "'admin@'", "Admin@Example.com", Expected.MATCH),
                row("starts_with", "'admin@'", MISSING, Expected.INCONCLUSIVE),
                row("not_starts_with", "'Val'", "prevalue", Expected.MATCH),
                row("not_starts_with", "'Val'", "value", Expected.NO_MATCH),
                row("not_starts_with", "'Val'", null, Expected.NO_MATCH),
                row("ends_with", "'lUe'", "value", Expected.MATCH),
                row("ends_with", "'lUe'", "343tfvalue", Expected.MATCH),
                row("ends_with", "'lUe'", "value2", Expected.NO_MATCH), row("ends_with", "'3'", 13, Expected.MATCH),
                row("ends_with", "'3'", 321, Expected.NO_MATCH), row("ends_with", "'3'", "3val", Expected.NO_MATCH),
                row("ends_with", "'lUe'", MISSING, Expected.INCONCLUSIVE),
                row("not_ends_with", "'lUe'", "value2", Expected.MATCH),
                row("not_ends_with", "'lUe'", "VALUE", Expected.NO_MATCH),
                // the spec's prefix/suffix operators fold ASCII only (posthog-python
                // casefolds all of Unicode: these four rows are where the two differ)
                row("starts_with", "'école'", "École normale", Expected.NO_MATCH),
                row("starts_with", "'ÉCOLE'", "école normale", Expected.NO_MATCH),
                row("starts_with", "'ÉCOLE'", "École Normale", Expected.MATCH),
                row("ends_with", "'straße'", "HAUPTSTRASSE", Expected.NO_MATCH),
                row("not_ends_with", "'straße'", "HAUPTSTRASSE", Expected.MATCH),
                row("starts_with", "'École'", "École normale", Expected.MATCH),
                row("ends_with", "'ßE'", "STRAßE", Expected.MATCH),
                // icontains keeps Python's casefold
                row("icontains", "'straße'", "HAUPTSTRASSE", Expected.MATCH),
                // regex
                row("regex", "'\\\\.com$'", "value.com", Expected.MATCH),
                row("regex", "'\\\\.com$'", "value2.com", Expected.MATCH),
                row("regex", "'\\\\.com$'", "value2com", Expected.NO_MATCH),
                row("regex", "'\\\\.com$'", ".com343tfvalue5", Expected.NO_MATCH),
                row("regex", "'\\\\.com$'", 123, Expected.NO_MATCH),
                row("regex", "'\\\\.com$'", "value\\com", Expected.NO_MATCH), row("regex", "'3'", 323, Expected.MATCH),
                row("regex", "'3'", "three", Expected.NO_MATCH), row("regex", "'?*'", "value", Expected.NO_MATCH), // invalid
                                                                                                                   // pattern
                                                                                                                   // never
                                                                                                                   // matches
                row("regex", "4", "4", Expected.MATCH), row("regex", "4", 4, Expected.MATCH),
                row("regex", "4", "value", Expected.NO_MATCH), row("regex", "'No'", null, Expected.NO_MATCH),
                row("regex", "'^True$'", true, Expected.MATCH), // str(True)
                row("regex", "'(?P<user>\\\\w+)@(?P=user)\\\\.com\\\\Z'", "bob@bob.com", Expected.MATCH),
                row("regex", "'(?P<user>\\\\w+)@(?P=user)\\\\.com\\\\Z'", "bob@alice.com", Expected.NO_MATCH),
                row("not_regex", "'\\\\.com$'", "value.com", Expected.NO_MATCH),
                row("not_regex", "'\\\\.com$'", "value.org", Expected.MATCH),
                row("not_regex", "'?*'", "value", Expected.NO_MATCH), row("not_regex", "'x'", null, Expected.NO_MATCH));
    }

    static Stream<Arguments> numericOperators() {
        return Stream.of(row("gt", "1", 2, Expected.MATCH), row("gt", "1", 3, Expected.MATCH),
                row("gt", "1", 0, Expected.NO_MATCH), row("gt", "1", -1, Expected.NO_MATCH),
                row("gt", "1", "23", Expected.MATCH), // string comparison "23" > "1"
                row("gt", "1", null, Expected.NO_MATCH), row("lt", "1", 0, Expected.MATCH),
                row("lt", "1", -1, Expected.MATCH), row("lt", "1", -3, Expected.MATCH),
                row("lt", "1", 1, Expected.NO_MATCH), row("lt", "1", "1", Expected.NO_MATCH),
                row("lt", "1", "3", Expected.NO_MATCH), row("gte", "1", 1, Expected.MATCH),
                row("gte", "1", 2, Expected.MATCH), row("gte", "1", 0, Expected.NO_MATCH),
                row("gte", "1", -1, Expected.NO_MATCH), row("gte", "1", "3", Expected.MATCH),
                row("lte", "'43'", "41", Expected.MATCH), row("lte", "'43'", "42", Expected.MATCH),
                row("lte", "'43'", "43", Expected.MATCH), row("lte", "'43'", "44", Expected.NO_MATCH),
                row("lte", "'43'", 44, Expected.NO_MATCH), row("lte", "'43'", 42, Expected.MATCH),
                row("lt", "'30'", "29", Expected.MATCH), row("lt", "'30'", "100", Expected.MATCH), // strings
                                                                                                   // compare
                                                                                                   // lexicographically
                row("lt", "'30'", 100, Expected.NO_MATCH), // numbers compare numerically
                row("gt", "'123aloha'", "123", Expected.NO_MATCH), row("gt", "'123aloha'", 122, Expected.NO_MATCH),
                row("gt", "'123aloha'", 129, Expected.MATCH), // "129" > "123aloha"
                row("gte", "'xyz'", null, Expected.NO_MATCH), row("lte", "'Oo'", null, Expected.NO_MATCH),
                row("gt", "1.5", 1.5000001, Expected.MATCH), row("gt", "1.5", 1.5, Expected.NO_MATCH),
                row("gte", "'1e3'", 1000, Expected.MATCH), row("gt", "0.5", true, Expected.MATCH), // True
                                                                                                   // ==
                                                                                                   // 1
                row("gt", "9007199254740992", 9007199254740993L, Expected.MATCH), // exact
                                                                                  // int
                                                                                  // vs
                                                                                  // float
                row("lt", "' 10 '", 9, Expected.MATCH), // float() strips whitespace
                row("lt", "'10d'", 9, Expected.NO_MATCH), // not a Python float: "9" vs
                                                          // "10d" as strings
                row("gt", "1", List.of(1), Expected.INCONCLUSIVE), // Python raises
                                                                   // TypeError
                row("gt", "1", MISSING, Expected.INCONCLUSIVE));
    }

    static Stream<Arguments> absoluteDateOperators() {
        return Stream.of(row("is_date_before", "'2022-05-01'", "2022-03-01", Expected.MATCH),
                row("is_date_before", "'2022-05-01'", "2022-04-30", Expected.MATCH),
                row("is_date_before", "'2022-05-01'", LocalDate.of(2022, 4, 30), Expected.MATCH),
                row("is_date_before", "'2022-05-01'", LocalDateTime.of(2022, 4, 30, 1, 2, 3), Expected.MATCH),
                row("is_date_before", "'2022-05-01'",
                        ZonedDateTime.of(2022, 4, 30, 1, 2, 3, 0, ZoneId.of("Europe/Madrid")), Expected.MATCH),
                row("is_date_before", "'2022-05-01'", "2022-05-30", Expected.NO_MATCH),
                row("is_date_before", "'2022-05-01'", 1, Expected.INCONCLUSIVE),
                row("is_date_before", "'2022-05-01'", "abcdef", Expected.INCONCLUSIVE),
                row("is_date_before", "'2022-05-01'", null, Expected.NO_MATCH),
                row("is_date_before", "'2022-05-01'", MISSING, Expected.INCONCLUSIVE),
                row("is_date_after", "'2022-05-01'", "2022-05-02", Expected.MATCH),
                row("is_date_after", "'2022-05-01'", "2022-05-30", Expected.MATCH),
                row("is_date_after", "'2022-05-01'", LocalDateTime.of(2022, 5, 30, 0, 0), Expected.MATCH),
                row("is_date_after", "'2022-05-01'", "2022-04-30", Expected.NO_MATCH),
                row("is_date_after", "'2022-05-01'", "abcdef", Expected.INCONCLUSIVE),
                row("is_date_after", "'2022-05-01'", null, Expected.NO_MATCH),
                row("is_date_before", "1234", 1, Expected.INCONCLUSIVE),
                row("is_date_before", "'not a date'", "2022-01-01", Expected.INCONCLUSIVE),
                // offsets
                row("is_date_before", "'2022-04-05 12:34:12 +01:00'", "2022-05-30", Expected.NO_MATCH),
                row("is_date_before", "'2022-04-05 12:34:12 +01:00'", "2022-03-30", Expected.MATCH),
                row("is_date_before", "'2022-04-05 12:34:12 +01:00'", "2022-04-05 12:34:11 +01:00", Expected.MATCH),
                row("is_date_before", "'2022-04-05 12:34:12 +01:00'", "2022-04-05 12:34:13 +01:00", Expected.NO_MATCH),
                row("is_date_before", "'2022-04-05 12:34:12 +01:00'", "2022-04-05 11:34:11 +00:00", Expected.MATCH),
                row("is_date_before", "'2022-04-05 12:34:12 +01:00'", "2022-04-05 11:34:13 +00:00", Expected.NO_MATCH),
                row("is_date_before", "'2022-04-05T12:34:12Z'", "2022-04-05T12:34:11.999Z", Expected.MATCH),
                row("is_date_after", "'2022-04-05 12:34:12 UTC'", Instant.parse("2022-04-05T12:34:13Z"),
                        Expected.MATCH),
                row("is_date_after", "'2022-04-05 12:34:12 UTC'", "2022-04-05T14:34:12+02:00", Expected.NO_MATCH));
    }

    static Stream<Arguments> relativeDateOperators() {
        // posthog-python test_match_property_relative_date_operators, frozen at
        // 2022-05-01T00:00Z.
        return Stream.of(row("is_date_before", "'-6h'", "2022-03-01", Expected.MATCH),
                row("is_date_before", "'-6h'", "2022-04-30", Expected.MATCH),
                row("is_date_before", "'-6h'", LocalDateTime.of(2022, 4, 30, 1, 2, 3), Expected.MATCH),
                row("is_date_before", "'-6h'", LocalDate.of(2022, 4, 30), Expected.NO_MATCH),
                row("is_date_before", "'-6h'", LocalDateTime.of(2022, 4, 30, 19, 2, 3), Expected.NO_MATCH),
                row("is_date_before", "'-6h'", ZonedDateTime.of(2022, 4, 30, 1, 2, 3, 0, ZoneId.of("Europe/Madrid")),
                        Expected.MATCH),
                row("is_date_before", "'-6h'", "2022-05-30", Expected.NO_MATCH),
                row("is_date_before", "'-6h'", 1, Expected.INCONCLUSIVE),
                row("is_date_before", "'-6h'", "abcdef", Expected.INCONCLUSIVE),
                row("is_date_after", "'1h'", "2022-05-02", Expected.MATCH),
                row("is_date_after", "'1h'", "2022-05-30", Expected.MATCH),
                row("is_date_after", "'1h'", "2022-04-30", Expected.NO_MATCH),
                row("is_date_after", "'1h'", "abcdef", Expected.INCONCLUSIVE),
                row("is_date_after", "1234", 1, Expected.INCONCLUSIVE),
                row("is_date_after", "1234", "2022-05-30", Expected.MATCH), // a bare
                                                                            // year:
                                                                            // 1234-05-01
                row("is_date_before", "'12d'", "2022-05-30", Expected.NO_MATCH),
                row("is_date_before", "'12d'", "2022-03-30", Expected.MATCH),
                row("is_date_before", "'12d'", "2022-04-05 12:34:11+01:00", Expected.MATCH),
                row("is_date_before", "'12d'", "2022-04-19 01:34:11+02:00", Expected.MATCH),
                row("is_date_before", "'12d'", "2022-04-19 02:00:01+02:00", Expected.NO_MATCH),
                row("is_date_before", "'1h'", "2022-05-01 00:00:00", Expected.NO_MATCH),
                row("is_date_before", "'1h'", "2022-04-30 22:00:00", Expected.MATCH),
                row("is_date_before", "'-1d'", "2022-04-29 23:59:00", Expected.MATCH),
                row("is_date_before", "'-1d'", "2022-04-30 00:00:01", Expected.NO_MATCH),
                row("is_date_before", "'1w'", "2022-04-23 00:00:00", Expected.MATCH),
                row("is_date_before", "'1w'", "2022-04-24 00:00:00", Expected.NO_MATCH),
                row("is_date_before", "'1w'", "2022-04-24 00:00:01", Expected.NO_MATCH),
                row("is_date_before", "'1m'", "2022-03-01 00:00:00", Expected.MATCH),
                row("is_date_before", "'1m'", "2022-04-05 00:00:00", Expected.NO_MATCH),
                row("is_date_before", "'1y'", "2021-04-28 00:00:00", Expected.MATCH),
                row("is_date_before", "'1y'", "2021-05-01 00:00:01", Expected.NO_MATCH),
                row("is_date_after", "'122h'", "2022-05-01 00:00:00", Expected.MATCH),
                row("is_date_after", "'122h'", "2022-04-23 01:00:00", Expected.NO_MATCH),
                row("is_date_after", "'2d'", "2022-05-01 00:00:00", Expected.MATCH),
                row("is_date_after", "'2d'", "2022-04-29 00:00:01", Expected.MATCH),
                row("is_date_after", "'2d'", "2022-04-29 00:00:00", Expected.NO_MATCH),
                row("is_date_after", "'-02w'", "2022-05-01 00:00:00", Expected.MATCH),
                row("is_date_after", "'-02w'", "2022-04-16 00:00:00", Expected.NO_MATCH),
                row("is_date_after", "'1m'", "2022-04-01 00:00:01", Expected.MATCH),
                row("is_date_after", "'1m'", "2022-04-01 00:00:00", Expected.NO_MATCH),
                row("is_date_after", "'1y'", "2022-05-01 00:00:00", Expected.MATCH),
                row("is_date_after", "'1y'", "2021-05-01 00:00:01", Expected.MATCH),
                row("is_date_after", "'1y'", "2021-05-01 00:00:00", Expected.NO_MATCH),
                row("is_date_after", "'1y'", "2021-04-30 00:00:00", Expected.NO_MATCH),
                row("is_date_after", "'1y'", "2021-03-01 12:13:00", Expected.NO_MATCH),
                // amounts of 10 000 and more are not relative dates, and not absolute
                // ones either
                row("is_date_after", "'10000d'", "2022-03-01", Expected.INCONCLUSIVE),
                row("is_date_after", "'1s'", "2022-03-01", Expected.INCONCLUSIVE));
    }

    static Stream<Arguments> semverOperators() {
        return Stream.of(row("semver_eq", "'1.2.3'", "1.2.3", Expected.MATCH),
                row("semver_eq", "'1.2.3'", "1.2.4", Expected.NO_MATCH),
                row("semver_eq", "'1.2.3'", "1.2.2", Expected.NO_MATCH),
                row("semver_eq", "'1.2.3'", "1.2.3-alpha.1", Expected.MATCH),
                row("semver_eq", "'1.2'", "1.2.0", Expected.MATCH),
                row("semver_eq", "'1.2'", "1.2.1", Expected.NO_MATCH),
                row("semver_eq", "'1.2.3'", "v1.2.3", Expected.MATCH),
                row("semver_eq", "'1.2.3'", " 1.2.3", Expected.MATCH),
                row("semver_eq", "'1.2.3'", "1.2.3 ", Expected.MATCH),
                row("semver_eq", "'v1.2.3'", "1.2.3", Expected.MATCH),
                row("semver_eq", "'1.2.3'", "1.2.3.4", Expected.MATCH),
                row("semver_eq", "'1.2.3'", "1.2.3+build.7", Expected.MATCH),
                row("semver_eq", "'0.0.0'", "0.0.0", Expected.MATCH), row("semver_eq", "'1.0.0'", 1, Expected.MATCH), // str(1)
                                                                                                                      // ->
                                                                                                                      // "1"
                                                                                                                      // ->
                                                                                                                      // 1.0.0
                row("semver_eq", "'1.2.3'", "abc", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", "", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", ".1.2.3", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", "not-a-version", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", "01.2.3", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", "1.02.3", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", "1.2.03", Expected.INCONCLUSIVE),
                row("semver_eq", "'1.2.3'", null, Expected.NO_MATCH),
                row("semver_eq", "'1.2.3'", MISSING, Expected.INCONCLUSIVE),
                row("semver_neq", "'1.2.3'", "1.2.3", Expected.NO_MATCH),
                row("semver_neq", "'1.2.3'", "1.2.4", Expected.MATCH),
                row("semver_gt", "'1.2.3'", "1.2.4", Expected.MATCH),
                row("semver_gt", "'1.2.3'", "1.3.0", Expected.MATCH),
                row("semver_gt", "'1.2.3'", "1.2.3", Expected.NO_MATCH),
                row("semver_gt", "'1.2.3'", "0.9.0", Expected.NO_MATCH),
                row("semver_gt", "'1.2.3'", "1.3.0-beta.1", Expected.MATCH),
                row("semver_gt", "'1.2.3'", "1.2.2-rc.1", Expected.NO_MATCH),
                row("semver_gt", "'1.2.9'", "1.2.10", Expected.MATCH), // numeric, not
                                                                       // lexicographic
                row("semver_gt", "'not-valid'", "1.2.3", Expected.INCONCLUSIVE),
                row("semver_gt", "'01.2.3'", "1.2.0", Expected.INCONCLUSIVE),
                row("semver_gte", "'1.2.3'", "1.2.3", Expected.MATCH),
                row("semver_gte", "'1.2.3'", "1.2.2", Expected.NO_MATCH),
                row("semver_gte", "'1.2.3-alpha'", "1.2.3", Expected.MATCH),
                row("semver_gte", "'1.2.3-alpha'", "1.2.2", Expected.NO_MATCH),
                row("semver_lt", "'1.2.3'", "1.2.2", Expected.MATCH),
                row("semver_lt", "'1.2.3'", "1.2.3", Expected.NO_MATCH),
                row("semver_lte", "'1.2.3'", "1.2.3", Expected.MATCH),
                row("semver_lte", "'1.2.3'", "1.2.4", Expected.NO_MATCH),
                row("semver_tilde", "'1.2.3'", "1.2.3", Expected.MATCH),
                row("semver_tilde", "'1.2.3'", "1.2.99", Expected.MATCH),
                row("semver_tilde", "'1.2.3'", "1.3.0", Expected.NO_MATCH),
                row("semver_tilde", "'1.2.3'", "1.2.2", Expected.NO_MATCH),
                row("semver_tilde", "'1.07.0'", "1.2.0", Expected.INCONCLUSIVE),
                row("semver_caret", "'1.2.3'", "1.99.99", Expected.MATCH),
                row("semver_caret", "'1.2.3'", "2.0.0", Expected.NO_MATCH),
                row("semver_caret", "'1.2.3'", "1.2.2", Expected.NO_MATCH),
                row("semver_caret", "'0.2.3'", "0.2.9", Expected.MATCH),
                row("semver_caret", "'0.2.3'", "0.3.0", Expected.NO_MATCH),
                row("semver_caret", "'0.0.3'", "0.0.3", Expected.MATCH),
                row("semver_caret", "'0.0.3'", "0.0.4", Expected.NO_MATCH),
                row("semver_caret", "'v1.2.3'", "1.5.0", Expected.MATCH),
                row("semver_caret", "'1.07.0'", "1.2.0", Expected.INCONCLUSIVE),
                row("semver_wildcard", "'1.2.*'", "1.2.0", Expected.MATCH),
                row("semver_wildcard", "'1.2.*'", "1.2.99", Expected.MATCH),
                row("semver_wildcard", "'1.2.*'", "1.3.0", Expected.NO_MATCH),
                row("semver_wildcard", "'1.2.*'", "1.1.9", Expected.NO_MATCH),
                row("semver_wildcard", "'1.2.*'", "v1.2.5", Expected.MATCH),
                row("semver_wildcard", "'1.*'", "1.99.99", Expected.MATCH),
                row("semver_wildcard", "'1.*'", "2.0.0", Expected.NO_MATCH),
                row("semver_wildcard", "'1.*'", "0.9.0", Expected.NO_MATCH),
                row("semver_wildcard", "'*'", "1.0.0", Expected.INCONCLUSIVE),
                row("semver_wildcard", "'01.*'", "1.2.0", Expected.INCONCLUSIVE));
    }

    static Stream<Arguments> unsupportedOperators() {
        return Stream.of(row("is_unknown", "'2022-05-01'", "random", Expected.INCONCLUSIVE),
                // is_date_exact exists in PostHog's UI, but PostHog's reference SDK does
                // not evaluate it
                // locally: it defers to the server like any other operator it does not
                // know.
                row("is_date_exact", "'2022-05-01'", "2022-05-01", Expected.INCONCLUSIVE),
                row("between", "[1, 3]", 2, Expected.INCONCLUSIVE));
    }

    @ParameterizedTest(name = "[{index}] {1} {0} {2} -> {3}")
    @MethodSource({ "equalityOperators", "stringOperators", "numericOperators", "absoluteDateOperators",
            "relativeDateOperators", "semverOperators", "unsupportedOperators" })
    void whenPropertyFilterIsMatchedShouldAgreeWithPostHogReference(String operator, String flagValueJson,
            Object property, Expected expected) throws Exception {
        JsonNode filter = MAPPER.readTree(
                ("{'key': 'key', 'operator': '" + operator + "', 'type': 'person', 'value': " + flagValueJson + "}")
                    .replace('\'', '"'));
        Map<String, Object> properties = new HashMap<>();
        if (property != MISSING) {
            properties.put("key", property);
        }
        properties.put("other_key", "value");

        if (expected == Expected.INCONCLUSIVE) {
            assertThatThrownBy(() -> PropertyMatcher.match(filter, properties, MAY_FIRST_2022))
                .isInstanceOf(InconclusiveMatchException.class);
        }
        else {
            assertThat(PropertyMatcher.match(filter, properties, MAY_FIRST_2022)).isEqualTo(expected == Expected.MATCH);
        }
    }

    @ParameterizedTest(name = "[{index}] operator {0}")
    @MethodSource("absentOperators")
    void whenOperatorIsAbsentShouldDefaultToExact(String operatorJson) throws Exception {
        JsonNode filter = MAPPER.readTree("{\"key\": \"key\", \"value\": \"value\"" + operatorJson + "}");
        assertThat(PropertyMatcher.match(filter, Map.of("key", "Value"), MAY_FIRST_2022)).isTrue();
        assertThat(PropertyMatcher.match(filter, Map.of("key", "value2"), MAY_FIRST_2022)).isFalse();
    }

    static Stream<String> absentOperators() {
        return Stream.of("", ", \"operator\": null", ", \"operator\": \"\"");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("jsonValues")
    void whenPropertyValueIsJsonNodeShouldMatchLikeThePlainValue(String json, String operator, String flagValue)
            throws Exception {
        JsonNode filter = MAPPER
            .readTree("{\"key\": \"key\", \"operator\": \"" + operator + "\", \"value\": " + flagValue + "}");
        assertThat(PropertyMatcher.match(filter, Map.of("key", MAPPER.readTree(json)), MAY_FIRST_2022)).isTrue();
    }

    static Stream<Arguments> jsonValues() {
        return Stream.of(arguments("\"abc\"", "exact", "\"ABC\""), arguments("42", "gt", "41"),
                arguments("true", "exact", "\"True\""),
                arguments("\"2022-01-01\"", "is_date_before", "\"2022-05-01\""));
    }

}
