package io.github.posthog4j.client.internal.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Person and group properties stored for flags: merged, copied out, bounded by LRU. */
class StoredFlagPropertiesTests {

    private final StoredFlagProperties stored = new StoredFlagProperties(2);

    @Test
    void whenPersonPropertiesAreSetTwiceShouldMergeThem() {
        this.stored.setPerson("u1", Map.of("plan", "free", "country", "DE"));
        this.stored.setPerson("u1", Map.of("plan", "pro"));

        assertThat(this.stored.person("u1")).containsExactlyInAnyOrderEntriesOf(Map.of("plan", "pro", "country", "DE"));
        assertThat(this.stored.person("u2")).isEmpty();
    }

    @Test
    void whenReaderChangesItsCopyShouldKeepTheStoredProperties() {
        this.stored.setPerson("u1", Map.of("plan", "pro"));
        this.stored.setGroup("company", "acme", Map.of("size", 10));

        this.stored.person("u1").put("plan", "free");
        this.stored.groups(Map.of("company", "acme")).get("company").put("size", 99);

        assertThat(this.stored.person("u1")).containsEntry("plan", "pro");
        assertThat(this.stored.groups(Map.of("company", "acme"))).containsEntry("company", Map.of("size", 10));
    }

    @Test
    void whenMorePersonsThanCapacityShouldForgetTheLeastRecentlyUsedOnly() {
        this.stored.setPerson("u1", Map.of("a", 1));
        this.stored.setPerson("u2", Map.of("a", 2));
        this.stored.person("u1"); // u2 is now the least recently used

        this.stored.setPerson("u3", Map.of("a", 3));

        assertThat(this.stored.person("u1")).containsEntry("a", 1);
        assertThat(this.stored.person("u2")).isEmpty();
        assertThat(this.stored.person("u3")).containsEntry("a", 3);
    }

    @Test
    void whenMoreGroupKeysThanCapacityShouldForgetPerGroupType() {
        this.stored.setGroup("company", "c1", Map.of("n", 1));
        this.stored.setGroup("company", "c2", Map.of("n", 2));
        this.stored.setGroup("project", "p1", Map.of("n", 3));
        this.stored.setGroup("company", "c3", Map.of("n", 4));

        assertThat(this.stored.groups(Map.of("company", "c1"))).isEmpty();
        assertThat(this.stored.groups(Map.of("company", "c2", "project", "p1"))).containsOnlyKeys("company", "project");
        assertThat(this.stored.groups(Map.of("company", "c3"))).containsEntry("company", Map.of("n", 4));
    }

    @Test
    void whenResetShouldForgetOneOrAll() {
        this.stored.setPerson("u1", Map.of("a", 1));
        this.stored.setPerson("u2", Map.of("a", 2));
        this.stored.setGroup("company", "c1", Map.of("n", 1));
        this.stored.setGroup("project", "p1", Map.of("n", 2));

        this.stored.resetPerson("u1");
        this.stored.resetGroup("company");
        assertThat(this.stored.person("u1")).isEmpty();
        assertThat(this.stored.person("u2")).isNotEmpty();
        assertThat(this.stored.groups(Map.of("company", "c1", "project", "p1"))).containsOnlyKeys("project");

        this.stored.resetPerson(null);
        this.stored.resetGroup(null);
        assertThat(this.stored.person("u2")).isEmpty();
        assertThat(this.stored.groups(Map.of("project", "p1"))).isEmpty();
    }

    @Test
    void whenIdsAreBlankOrPropertiesEmptyShouldStoreNothing() {
        this.stored.setPerson(" ", Map.of("a", 1));
        this.stored.setPerson(null, Map.of("a", 1));
        this.stored.setPerson("u1", Map.of());
        this.stored.setGroup("company", "", Map.of("n", 1));
        this.stored.setGroup(null, "c1", Map.of("n", 1));

        assertThat(this.stored.person(" ")).isEmpty();
        assertThat(this.stored.person("u1")).isEmpty();
        assertThat(this.stored.groups(Map.of("company", ""))).isEmpty();
    }

}
