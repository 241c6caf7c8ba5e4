package io.github.posthog4j.client.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The capture path's private copy of an event's properties: insertion-ordered like a
 * {@link LinkedHashMap}, but one array of keys and values instead of a table and an entry
 * object per property. A small event's copy costs the caller about 80 bytes instead of
 * about 340, and the queue retains as much less while it waits (issue 17: caller
 * allocation and the collector's work on queued events). Lookups scan the array, so
 * {@link #copyOf} keeps a {@link LinkedHashMap} for maps larger than {@value #MAX_SIZE}.
 */
final class PropertyMap extends AbstractMap<String, @Nullable Object> {

    /** Largest map copied into a property map; larger ones become LinkedHashMaps. */
    static final int MAX_SIZE = 24;

    /** k0, v0, k1, v1, ... */
    private @Nullable Object[] slots;

    private int size;

    private PropertyMap(int capacity) {
        this.slots = new Object[Math.max(2, capacity * 2)];
    }

    /**
     * @param source the caller's map (read once, never kept)
     * @return a mutable, insertion-ordered copy
     */
    static Map<String, @Nullable Object> copyOf(Map<String, ?> source) {
        int n = source.size();
        if (n > MAX_SIZE) {
            return new LinkedHashMap<>(source);
        }
        PropertyMap copy = new PropertyMap(n);
        for (Map.Entry<String, ?> e : source.entrySet()) {
            // a source map with more entries than it said (a concurrent change) still
            // copies
            copy.append(e.getKey(), e.getValue());
        }
        return copy;
    }

    private void append(@Nullable String key, @Nullable Object value) {
        int at = this.size * 2;
        if (at == this.slots.length) {
            this.slots = Arrays.copyOf(this.slots, this.slots.length * 2);
        }
        this.slots[at] = key;
        this.slots[at + 1] = value;
        this.size++;
    }

    private int indexOf(@Nullable Object key) {
        Object[] s = this.slots;
        for (int i = 0, end = this.size * 2; i < end; i += 2) {
            if (Objects.equals(s[i], key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return this.size;
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
        int i = indexOf(key);
        return (i >= 0) ? this.slots[i + 1] : null;
    }

    @Override
    public @Nullable Object put(String key, @Nullable Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object old = this.slots[i + 1];
            this.slots[i + 1] = value;
            return old;
        }
        append(key, value);
        return null;
    }

    @Override
    public @Nullable Object remove(@Nullable Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Object old = this.slots[i + 1];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int end = this.size * 2;
        System.arraycopy(this.slots, i + 2, this.slots, i, end - i - 2);
        this.slots[end - 2] = null;
        this.slots[end - 1] = null;
        this.size--;
    }

    @Override
    public void clear() {
        Arrays.fill(this.slots, 0, this.size * 2, null);
        this.size = 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(java.util.function.BiConsumer<? super String, ? super @Nullable Object> action) {
        Object[] s = this.slots;
        for (int i = 0, end = this.size * 2; i < end; i += 2) {
            action.accept((String) s[i], s[i + 1]);
        }
    }

    @Override
    public Set<Map.Entry<String, @Nullable Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
                return new Entries();
            }

            @Override
            public int size() {
                return PropertyMap.this.size;
            }
        };
    }

    /** Iterates the entries in order; each entry writes through to the map. */
    private final class Entries implements Iterator<Map.Entry<String, @Nullable Object>> {

        private int next;

        private int last = -1;

        @Override
        public boolean hasNext() {
            return this.next < PropertyMap.this.size * 2;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<String, @Nullable Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int at = this.next;
            this.last = at;
            this.next += 2;
            return new Entry((String) PropertyMap.this.slots[at], at);
        }

        @Override
        public void remove() {
            if (this.last < 0) {
                throw new IllegalStateException();
            }
            removeAt(this.last);
            this.next = this.last;
            this.last = -1;
        }

    }

    /** An entry of the map at a position (valid until the map is changed otherwise). */
    private final class Entry implements Map.Entry<String, @Nullable Object> {

        private final String key;

        private final int at;

        Entry(String key, int at) {
            this.key = key;
            this.at = at;
        }

        @Override
        public String getKey() {
            return this.key;
        }

        @Override
        public @Nullable Object getValue() {
            return PropertyMap.this.slots[this.at + 1];
        }

        @Override
        public @Nullable Object setValue(@Nullable Object value) {
            Object old = PropertyMap.this.slots[this.at + 1];
            PropertyMap.this.slots[this.at + 1] = value;
            return old;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(this.key, e.getKey())
                    && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(this.key) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return this.key + "=" + getValue();
        }

    }

}
