package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The capture path's compact copy of the properties behaves like the
 * {@link LinkedHashMap} it replaces: order, lookups, null keys and values, changes
 * through the map, its entries and its iterator.
 */
class PropertyMapTests {

    private static Map<String, Object> source() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", "pro");
        m.put("path", "/checkout");
        m.put("items", 3);
        m.put("amount", 42.5);
        m.put("first", Boolean.TRUE);
        return m;
    }

    @Test
    void aCopyKeepsTheOrderAndEqualsTheSource() {
        Map<String, Object> source = source();
        Map<String, Object> copy = PropertyMap.copyOf(source);
        assertThat(copy).isInstanceOf(PropertyMap.class).isEqualTo(source).hasSameHashCodeAs(source);
        assertThat(new ArrayList<>(copy.keySet())).containsExactly("plan", "path", "items", "amount", "first");
        assertThat(copy.get("items")).isEqualTo(3);
        assertThat(copy.containsKey("amount")).isTrue();
        assertThat(copy.containsKey("nope")).isFalse();
        assertThat(copy.get("nope")).isNull();
        source.put("later", 1);
        assertThat(copy).doesNotContainKey("later");
    }

    @Test
    void putReplacesInPlaceOrAppendsAndRemoveKeepsTheOrder() {
        Map<String, Object> copy = PropertyMap.copyOf(source());
        assertThat(copy.put("path", "/cart")).isEqualTo("/checkout");
        for (int i = 0; i < 40; i++) {
            copy.put("extra" + i, i);
        }
        assertThat(copy).hasSize(45).containsEntry("path", "/cart").containsEntry("extra39", 39);
        assertThat(copy.remove("items")).isEqualTo(3);
        assertThat(copy.remove("items")).isNull();
        assertThat(new ArrayList<>(copy.keySet()).subList(0, 4)).containsExactly("plan", "path", "amount", "first");
        copy.keySet().retainAll(Set.of("plan", "first", "extra7"));
        assertThat(new ArrayList<>(copy.keySet())).containsExactly("plan", "first", "extra7");
        copy.clear();
        assertThat(copy).isEmpty();
    }

    @Test
    void entriesWriteThroughAndNullKeysAndValuesAreKept() {
        Map<String, Object> source = new HashMap<>();
        source.put(null, "null key");
        source.put("nothing", null);
        Map<String, Object> copy = PropertyMap.copyOf(source);
        assertThat(copy).containsEntry(null, "null key").containsEntry("nothing", null).hasSize(2);
        for (Map.Entry<String, Object> e : copy.entrySet()) {
            if ("nothing".equals(e.getKey())) {
                e.setValue("something");
            }
        }
        assertThat(copy).containsEntry("nothing", "something");
        List<String> seen = new ArrayList<>();
        copy.forEach((k, v) -> seen.add(k + "=" + v));
        assertThat(seen).containsExactlyInAnyOrder("null=null key", "nothing=something");
    }

    @Test
    void largeMapsAreCopiedIntoALinkedHashMap() {
        Map<String, Object> big = new LinkedHashMap<>();
        for (int i = 0; i <= PropertyMap.MAX_SIZE; i++) {
            big.put("k" + i, i);
        }
        assertThat(PropertyMap.copyOf(big)).isInstanceOf(LinkedHashMap.class).isEqualTo(big);
    }

}
