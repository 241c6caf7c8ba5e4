package io.github.posthog4j.client.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Conversions that reproduce how the reference implementation (Python) sees values:
 * {@code str()}, {@code float()} and {@code casefold()}. Property matching stringifies
 * values before comparing, so these details decide results (e.g. {@code str(True)} is
 * {@code "True"}, {@code str(1.0)} is {@code "1.0"}).
 */
final class PyValues {

    private static final Pattern PY_FLOAT = Pattern
        .compile("[+-]?(?:(?:\\d(?:_?\\d)*)?\\.?\\d(?:_?\\d)*(?:[eE][+-]?\\d(?:_?\\d)*)?"
                + "|\\d(?:_?\\d)*\\.(?:[eE][+-]?\\d(?:_?\\d)*)?)");

    private static final DateTimeFormatter PY_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private PyValues() {
    }

    /**
     * Converts JSON to plain Java: String, Long/BigInteger, Double, Boolean, List, Map or
     * null.
     */
    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(fromJson(element)));
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                map.put(entry.getKey(), fromJson(entry.getValue()));
            }
            return map;
        }
        return node.asText();
    }

    /**
     * Normalizes a caller-supplied property value (JSON nodes become plain Java values).
     */
    static Object normalize(Object value) {
        if (value instanceof JsonNode node) {
            return fromJson(node);
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        return value;
    }

    /** Python's {@code str(value)}. */
    static String str(Object value) {
        value = normalize(value);
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return floatStr(d);
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal bd) {
            return bd.toString();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.toLocalDate() + " " + timeStr(ldt.toLocalTime());
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toLocalDate() + " " + timeStr(odt.toLocalTime()) + offsetStr(odt.getOffset().getTotalSeconds());
        }
        if (value instanceof ZonedDateTime zdt) {
            return str(zdt.toOffsetDateTime());
        }
        if (value instanceof LocalDate ld) {
            return ld.toString();
        }
        if (value instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            boolean first = true;
            for (Object element : c) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(repr(element));
            }
            return sb.append(']').toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> entry : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(repr(entry.getKey())).append(": ").append(repr(entry.getValue()));
            }
            return sb.append('}').toString();
        }
        return value.toString();
    }

    private static String repr(Object value) {
        value = normalize(value);
        if (value instanceof String s) {
            if (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) {
                return '"' + s + '"';
            }
            return '\'' + s.replace("\\", "\\\\").replace("'", "\\'") + '\'';
        }
        return str(value);
    }

    private static String timeStr(java.time.LocalTime time) {
        String base = time.format(PY_TIME);
        int micros = time.getNano() / 1000;
        return micros == 0 ? base : base + String.format(Locale.ROOT, ".%06d", micros);
    }

    private static String offsetStr(int totalSeconds) {
        char sign = totalSeconds < 0 ? '-' : '+';
        int abs = Math.abs(totalSeconds);
        String s = String.format(Locale.ROOT, "%c%02d:%02d", sign, abs / 3600, (abs / 60) % 60);
        return abs % 60 == 0 ? s : s + String.format(Locale.ROOT, ":%02d", abs % 60);
    }

    /**
     * Python's {@code str(float)}: shortest repr, scientific below 1e-4 and from 1e16 on.
     */
    static String floatStr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        String plain = bd.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's {@code float(value)}, or {@code null} where Python would raise. */
    static Double toFloat(Object value) {
        value = normalize(value);
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            String t = s.strip();
            String lower = t.toLowerCase(Locale.ROOT);
            String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
            if (unsigned.equals("inf") || unsigned.equals("infinity")) {
                return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (unsigned.equals("nan")) {
                return Double.NaN;
            }
            if (!PY_FLOAT.matcher(t).matches()) {
                return null;
            }
            try {
                return Double.parseDouble(t.replace("_", ""));
            }
            catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Python's {@code str.casefold()}, approximated by full upper-casing then
     * lower-casing.
     */
    static String casefold(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Compares two strings by code point, like Python's {@code str} ordering. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * Numeric comparison of a Python number ({@code int}, {@code float} or {@code bool})
     * with a float, exact like Python's mixed int/float comparison. Returns {@code null}
     * when the left side is not a number (Python would raise {@code TypeError}).
     */
    static Integer compareNumber(Object left, double right) {
        left = normalize(left);
        BigDecimal l;
        double ld;
        if (left instanceof Boolean b) {
            ld = b ? 1 : 0;
            l = BigDecimal.valueOf((long) ld);
        }
        else if (left instanceof Long || left instanceof BigInteger) {
            l = new BigDecimal(left.toString());
            ld = l.doubleValue();
        }
        else if (left instanceof BigDecimal bd) {
            l = bd;
            ld = bd.doubleValue();
        }
        else if (left instanceof Number n) {
            ld = n.doubleValue();
            l = Double.isFinite(ld) ? new BigDecimal(ld) : null;
        }
        else {
            return null;
        }
        if (Double.isNaN(ld) || Double.isNaN(right)) {
            return Integer.MIN_VALUE; // unordered: every comparison is false
        }
        if (l == null || Double.isInfinite(right)) {
            return Double.compare(ld, right);
        }
        return l.compareTo(new BigDecimal(right));
    }

}
