package io.github.posthog4j.autoconfigure.flags;

import io.github.posthog4j.autoconfigure.PosthogProperties;
import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Shares local-evaluation flag definitions through Redis
 * ({@link RedisFlagDefinitionCache}) when Spring Data Redis is on the class path, a
 * {@link RedisConnectionFactory} bean exists, local evaluation is on
 * ({@code posthog.feature-flags.local-evaluation=true}) and
 * {@code posthog.feature-flags.redis.enabled} is not false. A
 * {@link FlagDefinitionCacheProvider} bean of the application replaces it.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration" })
@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
@ConditionalOnProperty(prefix = "posthog.feature-flags", name = "local-evaluation", havingValue = "true")
@EnableConfigurationProperties(PosthogProperties.class)
public final class PosthogRedisFlagsAutoConfiguration {

    @Bean
    @ConditionalOnBean(RedisConnectionFactory.class)
    @ConditionalOnMissingBean(FlagDefinitionCacheProvider.class)
    @ConditionalOnProperty(prefix = "posthog.feature-flags.redis", name = "enabled", matchIfMissing = true)
    RedisFlagDefinitionCache posthogRedisFlagDefinitionCache(RedisConnectionFactory redisConnectionFactory,
            PosthogProperties properties) {
        String host = properties.getHost();
        String apiKey = (properties.getApiKey() != null) ? properties.getApiKey() : "";
        return new RedisFlagDefinitionCache(redisConnectionFactory,
                properties.getFeatureFlags().getRedis().getKeyPrefix(), host, apiKey,
                properties.getFeatureFlags().getPollInterval());
    }

}
