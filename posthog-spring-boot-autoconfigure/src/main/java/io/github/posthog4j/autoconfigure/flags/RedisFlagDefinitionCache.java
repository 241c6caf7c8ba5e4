package io.github.posthog4j.autoconfigure.flags;

import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.FlagDefinitionsData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Shares the local-evaluation flag definitions of a service's instances through Redis:
 * one instance at a time holds a short lease ({@code SET key owner NX PX}, renewed by its
 * holder on each check) and loads the definitions from PostHog; the others read them from
 * Redis, so N instances cost PostHog one load per poll interval, not N.
 *
 * <p>
 * The client checks the provider every third of its poll interval; the lease lasts half
 * an interval, so a holder that dies (or stops polling) loses it within half an interval
 * and the next check of another instance takes it over: within five sixths of an
 * interval. The new holder loads from PostHog when the shared definitions are due, so
 * PostHog still sees one load per interval. Redis being down is a provider failure: the
 * client then loads from PostHog directly, once per interval, with one WARN.
 *
 * <p>
 * Keys: {@code <prefix><project>:lease} (the holder's id) and
 * {@code <prefix><project>:definitions} (a hash: {@code json}, {@code etag},
 * {@code fetched_at}, {@code version}; expires a day after the last store), where
 * {@code project} is a digest of the host and project key (no secret is stored in a key).
 * Thread-safe.
 */
public final class RedisFlagDefinitionCache implements FlagDefinitionCacheProvider {

    private static final RedisScript<Long> RENEW = new DefaultRedisScript<>(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) "
                    + "else return 0 end",
            Long.class);

    private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            Long.class);

    private static final Duration DEFINITIONS_TTL = Duration.ofDays(1);

    private final StringRedisTemplate redis;

    private final String leaseKey;

    private final String definitionsKey;

    private final Duration lease;

    private final String owner = UUID.randomUUID().toString();

    /** The last definitions read, to skip the download while the version is unchanged. */
    private volatile @Nullable FlagDefinitionsData lastRead;

    /** The version last stored by this instance. */
    private volatile @Nullable String lastStored;

    /**
     * Creates the provider.
     * @param connectionFactory the Redis connections
     * @param keyPrefix the key prefix, e.g. {@code posthog:flags:}
     * @param host the PostHog host (part of the project digest)
     * @param apiKey the project API key (part of the project digest, never stored)
     * @param pollInterval the client's flags poll interval (the lease lasts half of it)
     */
    public RedisFlagDefinitionCache(RedisConnectionFactory connectionFactory, String keyPrefix, String host,
            String apiKey, Duration pollInterval) {
        StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
        template.afterPropertiesSet();
        this.redis = template;
        String base = keyPrefix + projectDigest(host, apiKey);
        this.leaseKey = base + ":lease";
        this.definitionsKey = base + ":definitions";
        this.lease = pollInterval.dividedBy(2);
    }

    static String projectDigest(String host, String apiKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                .digest((host + "\n" + apiKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Takes the lease when it is free ({@code SET NX PX}) or renews it when this instance
     * holds it.
     * @return whether this instance holds the lease (and should load from PostHog when a
     * load is due)
     */
    @Override
    public boolean shouldFetch() {
        if (Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(this.leaseKey, this.owner, this.lease))) {
            return true;
        }
        Long renewed = this.redis.execute(RENEW, List.of(this.leaseKey), this.owner,
                Long.toString(this.lease.toMillis()));
        return renewed != null && renewed == 1L;
    }

    @Override
    public @Nullable FlagDefinitionsData read() {
        List<Object> head = this.redis.opsForHash().multiGet(this.definitionsKey, List.of("version", "fetched_at"));
        String version = (String) head.get(0);
        String fetchedAt = (String) head.get(1);
        if (version == null || fetchedAt == null) {
            return null;
        }
        Instant fetched = Instant.ofEpochMilli(Long.parseLong(fetchedAt));
        FlagDefinitionsData last = this.lastRead;
        if (last != null && last.version().equals(version)) {
            return last.confirmedAt(fetched);
        }
        Map<Object, Object> all = this.redis.opsForHash().entries(this.definitionsKey);
        String json = (String) all.get("json");
        if (json == null || !version.equals(all.get("version"))) {
            return null; // replaced between the two reads: the next check reads it
        }
        String etag = (String) all.get("etag");
        FlagDefinitionsData data = new FlagDefinitionsData(json, (etag == null || etag.isEmpty()) ? null : etag,
                Instant.ofEpochMilli(Long.parseLong((String) all.get("fetched_at"))), version);
        this.lastRead = data;
        return data;
    }

    @Override
    public void store(FlagDefinitionsData definitions) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("fetched_at", Long.toString(definitions.fetchedAt().toEpochMilli()));
        fields.put("etag", Objects.requireNonNullElse(definitions.etag(), ""));
        if (!definitions.version().equals(this.lastStored)) {
            fields.put("json", definitions.json());
            fields.put("version", definitions.version());
        }
        this.redis.opsForHash().putAll(this.definitionsKey, fields);
        this.redis.expire(this.definitionsKey, DEFINITIONS_TTL);
        this.lastStored = definitions.version();
        this.lastRead = definitions;
    }

    /** Releases the lease if this instance holds it, so another takes over at once. */
    @Override
    public void shutdown() {
        this.redis.execute(RELEASE, List.of(this.leaseKey), this.owner);
    }

    /**
     * @return this instance's id, the value of the lease key while it holds the lease
     */
    public String owner() {
        return this.owner;
    }

    /**
     * @return the lease key
     */
    public String leaseKey() {
        return this.leaseKey;
    }

    @Override
    public String toString() {
        return "RedisFlagDefinitionCache[lease=" + this.lease + ", key=" + this.leaseKey + "]";
    }

}
