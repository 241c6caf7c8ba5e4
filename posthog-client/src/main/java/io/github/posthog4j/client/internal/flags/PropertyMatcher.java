package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Matches one property filter ({@code {"key", "operator", "value", "type"}}) against
 * supplied properties, with PostHog's semantics.
 *
 * <p>
 * Rules that matter for correctness: a property missing from the supplied map is
 * inconclusive (PostHog may know it), a supplied {@code null} matches nothing but
 * {@code is_not}, {@code
 * is_not_set} is always inconclusive, unknown operators are inconclusive, and values are
 * compared as Python would after {@code str()} (see {@link PyValues}).
 */
final class PropertyMatcher {

    /** Every operator understood by {@link #match}. */
    static final Set<String> OPERATORS = Set.of("exact", "is_not", "is_set", "is_not_set", "icontains", "not_icontains",
            "regex", "not_regex", "starts_with", "not_starts_with", "ends_with", "not_ends_with", "gt", "gte", "lt",
            "lte", "is_date_before", "is_date_after", "semver_eq", "semver_neq", "semver_gt", "semver_gte", "semver_lt",
            "semver_lte", "semver_tilde", "semver_caret", "semver_wildcard");

    private static final int REGEX_CACHE_LIMIT = 512;

    private static final Pattern INVALID_REGEX = Pattern.compile("");

    private static final Map<String, Pattern> REGEX_CACHE = new ConcurrentHashMap<>();

    private PropertyMatcher() {
    }

    static boolean match(JsonNode filter, Map<String, Object> properties, Clock clock)
            throws InconclusiveMatchException {
        if (filter == null || !filter.isObject()) {
            throw InconclusiveMatchException.requiresServer("Property filter must be an object");
        }
        JsonNode keyNode = filter.get("key");
        String key = keyNode == null || keyNode.isNull() ? null : keyNode.asText();
        JsonNode operatorNode = filter.get("operator");
        String operator = operatorNode == null || operatorNode.isNull() || operatorNode.asText().isEmpty() ? "exact"
                : operatorNode.asText();
        Object value = PyValues.fromJson(filter.get("value"));

        if (!OPERATORS.contains(operator)) {
            throw new InconclusiveMatchException("Unknown operator " + operator);
        }
        if (key == null || !properties.containsKey(key)) {
            throw new InconclusiveMatchException("can't match properties without a given property value");
        }
        if (operator.equals("is_not_set")) {
            throw new InconclusiveMatchException("can't match properties with operator is_not_set");
        }
        Object override = PyValues.normalize(properties.get(key));
        if (override == null && !operator.equals("is_not")) {
            return false;
        }

        switch (operator) {
            case "exact":
                return exactMatch(value, override);
            case "is_not":
                return !exactMatch(value, override);
            case "is_set":
                return true;
            case "icontains":
                return fold(override).contains(fold(value));
            case "not_icontains":
                return !fold(override).contains(fold(value));
            // The spec's prefix/suffix operators fold ASCII letters only (like PostHog's
            // flags service), where posthog-python casefolds all of Unicode.
            case "starts_with":
                return asciiFold(override).startsWith(asciiFold(value));
            case "not_starts_with":
                return !asciiFold(override).startsWith(asciiFold(value));
            case "ends_with":
                return asciiFold(override).endsWith(asciiFold(value));
            case "not_ends_with":
                return !asciiFold(override).endsWith(asciiFold(value));
            case "regex":
            case "not_regex": {
                Pattern pattern = compile(PyValues.str(value));
                if (pattern == null) {
                    return false; // an invalid pattern matches nothing, negated or not
                }
                boolean found = pattern.matcher(PyValues.str(override)).find();
                return operator.equals("regex") == found;
            }
            case "gt":
            case "gte":
            case "lt":
            case "lte":
                return compareOrdered(operator, value, override);
            case "is_date_before":
            case "is_date_after":
                return compareDates(operator, value, override, clock);
            default:
                return compareSemver(operator, value, override);
        }
    }

    private static String fold(Object value) {
        return PyValues.casefold(PyValues.str(value));
    }

    /**
     * {@code str(value)} with ASCII {@code A-Z} lower-cased and every other character
     * kept: the spec's case folding of {@code starts_with} and {@code ends_with}.
     */
    static String asciiFold(Object value) {
        String s = PyValues.str(value);
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return (out != null) ? out.toString() : s;
    }

    private static boolean exactMatch(Object value, Object override) {
        String folded = fold(override);
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (fold(element).equals(folded)) {
                    return true;
                }
            }
            return false;
        }
        return fold(value).equals(folded);
    }

    private static boolean compareOrdered(String operator, Object value, Object override)
            throws InconclusiveMatchException {
        Double parsed = PyValues.toFloat(value);
        int cmp;
        if (parsed != null) {
            if (override instanceof String s) {
                cmp = PyValues.compareCodePoints(s, PyValues.str(value));
            }
            else {
                Integer c = PyValues.compareNumber(override, parsed);
                if (c == null) {
                    throw InconclusiveMatchException
                        .requiresServer("Cannot compare " + PyValues.str(override) + " with a number");
                }
                if (c == Integer.MIN_VALUE) {
                    return false; // NaN is unordered
                }
                cmp = c;
            }
        }
        else {
            cmp = PyValues.compareCodePoints(PyValues.str(override), PyValues.str(value));
        }
        return switch (operator) {
            case "gt" -> cmp > 0;
            case "gte" -> cmp >= 0;
            case "lt" -> cmp < 0;
            default -> cmp <= 0;
        };
    }

    private static boolean compareDates(String operator, Object value, Object override, Clock clock)
            throws InconclusiveMatchException {
        boolean before = operator.equals("is_date_before");
        String flagText = PyValues.str(value);
        OffsetDateTime flagDate = FlagDates.parseRelative(flagText, clock);
        if (flagDate == null) {
            try {
                flagDate = FlagDates.parseAbsolute(flagText, clock);
            }
            catch (DateTimeException | NumberFormatException e) {
                throw new InconclusiveMatchException("The date set on the flag is not a valid format");
            }
        }
        OffsetDateTime overrideDate = FlagDates.asDateTime(override);
        if (overrideDate == null && override instanceof LocalDate date) {
            LocalDate flagDay = flagDate.toLocalDate();
            return before ? date.isBefore(flagDay) : date.isAfter(flagDay);
        }
        if (overrideDate == null && override instanceof String s) {
            try {
                overrideDate = FlagDates.parseAbsolute(s, clock);
            }
            catch (DateTimeException | NumberFormatException e) {
                throw new InconclusiveMatchException("The date provided is not a valid format");
            }
        }
        if (overrideDate == null) {
            throw new InconclusiveMatchException("The date provided must be a string or date object");
        }
        return before ? overrideDate.isBefore(flagDate) : overrideDate.isAfter(flagDate);
    }

    private static boolean compareSemver(String operator, Object value, Object override)
            throws InconclusiveMatchException {
        Semver actual;
        try {
            actual = Semver.parse(override);
        }
        catch (IllegalArgumentException e) {
            throw new InconclusiveMatchException(
                    "Person property value '" + PyValues.str(override) + "' is not a valid semver");
        }
        try {
            return switch (operator) {
                case "semver_eq" -> actual.compareTo(Semver.parse(value)) == 0;
                case "semver_neq" -> actual.compareTo(Semver.parse(value)) != 0;
                case "semver_gt" -> actual.compareTo(Semver.parse(value)) > 0;
                case "semver_gte" -> actual.compareTo(Semver.parse(value)) >= 0;
                case "semver_lt" -> actual.compareTo(Semver.parse(value)) < 0;
                case "semver_lte" -> actual.compareTo(Semver.parse(value)) <= 0;
                case "semver_tilde" -> actual.within(Semver.tildeBounds(value));
                case "semver_caret" -> actual.within(Semver.caretBounds(value));
                case "semver_wildcard" -> actual.within(Semver.wildcardBounds(value));
                default -> throw new InconclusiveMatchException("Unknown operator " + operator);
            };
        }
        catch (IllegalArgumentException e) {
            throw new InconclusiveMatchException(
                    "Flag semver value '" + PyValues.str(value) + "' is not valid for " + operator);
        }
    }

    /**
     * Compiles a Python regular expression, or returns {@code null} when it is invalid.
     */
    static Pattern compile(String pythonRegex) {
        Pattern cached = REGEX_CACHE.get(pythonRegex);
        if (cached == null) {
            try {
                cached = Pattern.compile(translateRegex(pythonRegex), Pattern.UNIX_LINES);
            }
            catch (PatternSyntaxException e) {
                cached = INVALID_REGEX;
            }
            if (REGEX_CACHE.size() >= REGEX_CACHE_LIMIT) {
                REGEX_CACHE.clear();
            }
            REGEX_CACHE.put(pythonRegex, cached);
        }
        return cached == INVALID_REGEX ? null : cached;
    }

    /** Rewrites the Python-only regex syntax that Java spells differently. */
    static String translateRegex(String regex) {
        StringBuilder sb = new StringBuilder(regex.length());
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(i + 1);
                sb.append('\\').append(next == 'Z' ? 'z' : next);
                i += 2;
            }
            else if (regex.startsWith("(?P<", i)) {
                sb.append("(?<");
                i += 4;
            }
            else if (regex.startsWith("(?P=", i)) {
                int close = regex.indexOf(')', i);
                if (close < 0) {
                    sb.append(regex, i, regex.length());
                    break;
                }
                sb.append("\\k<").append(regex, i + 4, close).append('>');
                i = close + 1;
            }
            else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

}
