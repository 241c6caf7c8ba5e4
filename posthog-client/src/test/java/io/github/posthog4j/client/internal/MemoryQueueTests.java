package io.github.posthog4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The in-memory queue with packed events: packing keeps the order, the counts and the
 * byte budget, keeps whole what cannot be packed, and gives back the same JSON.
 */
class MemoryQueueTests {

    private final EventSerializer serializer = new EventSerializer();

    private static QueuedEvent event(int i, String uuid) {
        QueuedEvent e = new QueuedEvent(uuid, "event-" + i, "user-" + i, 1_000L + i, null,
                new java.util.LinkedHashMap<>(Map.of("i", i, "nested", Map.of("list", List.of(1, "two")))), Map.of(),
                false, null);
        e.estimatedBytes = 100 + i;
        return e;
    }

    private byte @Nullable [] json(QueuedEvent e) {
        try {
            return this.serializer.serialize(e, false);
        }
        catch (EventSerializer.InvalidEventException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void whenPackedShouldGiveBackEveryEventInOrderWithTheSameJsonAndCounts() {
        MemoryQueue queue = new MemoryQueue(100);
        List<QueuedEvent> events = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < 10; i++) {
            String uuid = Uuid7.generate(System.currentTimeMillis()).toString();
            // an upper-case uuid (kept as given) and an event the serialiser refuses stay
            // whole
            QueuedEvent e = event(i, (i == 6) ? uuid.toUpperCase(java.util.Locale.ROOT) : uuid);
            events.add(e);
            expected.add(json(e));
            bytes += e.estimatedBytes;
            assertThat(queue.offer(e)).isTrue();
        }
        Function<QueuedEvent, byte @Nullable []> packer = (e) -> e.event.equals("event-8") ? null : json(e);

        assertThat(queue.pack(6, packer)).isEqualTo(6);
        assertThat(queue.packed()).isEqualTo(6);
        assertThat(queue.unpacked()).isEqualTo(4);
        assertThat(queue.size()).isEqualTo(10);
        long packedBytes = bytes;
        for (int i = 0; i < 6; i++) {
            packedBytes += PackedEvents.cost(expected.get(i)) - events.get(i).estimatedBytes;
        }
        assertThat(queue.heldBytes()).as("packed events count their packed cost").isEqualTo(packedBytes);
        assertThat(queue.oldestMillis(-1)).isEqualTo(1_000L);

        List<QueuedEvent> taken = new ArrayList<>();
        assertThat(queue.drainTo(taken, 4)).isEqualTo(4);
        assertThat(queue.oldestMillis(-1)).as("the next packed event's capture time").isEqualTo(1_004L);
        assertThat(queue.pack(100, packer)).isEqualTo(4);
        assertThat(queue.unpacked()).isZero();
        assertThat(queue.drainTo(taken, 100)).isEqualTo(6);

        assertThat(taken).extracting((e) -> e.uuid)
            .containsExactlyElementsOf(events.stream().map((e) -> e.uuid).toList());
        assertThat(taken).extracting((e) -> e.event)
            .containsExactlyElementsOf(events.stream().map((e) -> e.event).toList());
        for (int i = 0; i < 10; i++) {
            QueuedEvent e = taken.get(i);
            if (i == 6 || i == 8) {
                assertThat(e).as("kept whole").isSameAs(events.get(i));
            }
            else {
                assertThat(e).isNotSameAs(events.get(i));
                assertThat(e.json).as("event %d", i).isEqualTo(expected.get(i));
                assertThat(e.estimatedBytes).isEqualTo(PackedEvents.cost(expected.get(i)));
            }
        }
        assertThat(queue.size()).isZero();
        assertThat(queue.packed()).isZero();
        assertThat(queue.heldBytes()).isZero();
        assertThat(queue.oldestMillis(-1)).isEqualTo(-1);
    }

    @Test
    void whenEventsThatCannotBePackedAlternateWithOthersShouldKeepThemWholeInOneRun() {
        MemoryQueue queue = new MemoryQueue(10_000);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String uuid = Uuid7.generate(System.currentTimeMillis()).toString();
            QueuedEvent e = event(i, (i % 2 == 0) ? uuid.toUpperCase(java.util.Locale.ROOT) : uuid);
            order.add(e.uuid);
            queue.offer(e);
        }
        assertThat(queue.pack(10_000, this::json)).isEqualTo(2_000);
        assertThat(queue.runs()).as("whole events keep their slots: no run is cut short").isEqualTo(1);
        List<QueuedEvent> taken = new ArrayList<>();
        queue.drainTo(taken, 10_000);
        assertThat(taken).extracting((e) -> e.uuid).containsExactlyElementsOf(order);
        assertThat(queue.runs()).isZero();
        assertThat(queue.oldestMillis(-1)).isEqualTo(-1);
    }

    @Test
    void whenAUuidIsNotLowerCaseAsciiShouldNotPackIt() {
        String uuid = Uuid7.generate(System.currentTimeMillis()).toString();
        long[] bits = new long[2];
        assertThat(PackedEvents.parseUuid(uuid, bits, 0)).isTrue();
        assertThat(new java.util.UUID(bits[0], bits[1]).toString()).isEqualTo(uuid);
        assertThat(PackedEvents.parseUuid(uuid.toUpperCase(java.util.Locale.ROOT), null, 0)).isFalse();
        // Arabic-Indic zero: a digit to Character.digit and Long.parseLong, not to the
        // wire
        assertThat(PackedEvents.parseUuid("\u0660" + uuid.substring(1), null, 0)).isFalse();
        assertThat(PackedEvents.parseUuid(uuid.replace('-', '_'), null, 0)).isFalse();
        assertThat(PackedEvents.parseUuid(uuid.substring(1), null, 0)).isFalse();
    }

    @Test
    void whenEventsArriveAfterAPackShouldTakeThePackedOnesFirst() {
        MemoryQueue queue = new MemoryQueue(100);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            QueuedEvent e = event(i, Uuid7.generate(System.currentTimeMillis()).toString());
            order.add(e.uuid);
            queue.offer(e);
        }
        queue.pack(100, this::json);
        for (int i = 3; i < 5; i++) {
            QueuedEvent e = event(i, Uuid7.generate(System.currentTimeMillis()).toString());
            order.add(e.uuid);
            queue.offer(e);
        }
        List<QueuedEvent> taken = new ArrayList<>();
        queue.drainTo(taken, 2);
        queue.drainTo(taken, 10);
        assertThat(taken).extracting((e) -> e.uuid).containsExactlyElementsOf(order);
        assertThat(taken.get(3).json).as("never packed: serialised by its request").isNull();
    }

}
