package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.BeforeSendLogHook;
import io.github.posthog4j.client.BeforeSpanSendHook;
import io.github.posthog4j.client.FlagDefinitionCacheProvider;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.TracesConfig;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Builds the auto-configured client from the {@code posthog.*} properties as they are
 * <em>now</em>: every call binds the properties again from the {@link Environment}, then
 * applies the {@link BeforeSendHook} beans and the {@link PosthogClientCustomizer} beans,
 * both in {@code @Order}. The client compares the settings with those it runs with, so
 * that a restart reconfigures it only when something changed.
 */
public final class PosthogClientFactory {

    private final Environment environment;

    private final ObjectProvider<BeforeSendHook> hooks;

    private final ObjectProvider<PosthogClientCustomizer> customizers;

    private final @Nullable ObjectProvider<FlagDefinitionCacheProvider> definitionCaches;

    private final @Nullable ObjectProvider<BeforeSendLogHook> logHooks;

    private final @Nullable ObjectProvider<BeforeSpanSendHook> spanHooks;

    /** Builder settings whose property lives in a nested group or has another name. */
    private static final java.util.Map<String, String> NESTED = java.util.Map.ofEntries(
            java.util.Map.entry("personalApiKey", "posthog.feature-flags.personal-api-key"),
            java.util.Map.entry("localEvaluation", "posthog.feature-flags.local-evaluation"),
            java.util.Map.entry("flagsPollInterval", "posthog.feature-flags.poll-interval"),
            java.util.Map.entry("flagsRequestTimeout", "posthog.feature-flags.request-timeout"),
            java.util.Map.entry("flagsInitialLoadWait", "posthog.feature-flags.initial-load-wait"),
            java.util.Map.entry("sendFeatureFlagEvents", "posthog.feature-flags.send-feature-flag-events"),
            java.util.Map.entry("maxFlagDefinitionsBytes", "posthog.feature-flags.max-definitions-bytes"),
            java.util.Map.entry("flagsMaxRetries", "posthog.feature-flags.max-retries"),
            java.util.Map.entry("flagCacheMaxSize", "posthog.feature-flags.cache-max-size"),
            java.util.Map.entry("flagCacheTtl", "posthog.feature-flags.cache-ttl"),
            java.util.Map.entry("spoolDirectory", "posthog.spool.directory"),
            java.util.Map.entry("spool", "posthog.spool.directory"),
            java.util.Map.entry("spoolMaxBytes", "posthog.spool.max-bytes"),
            java.util.Map.entry("spoolSyncInterval", "posthog.spool.sync-interval"),
            java.util.Map.entry("maxExceptionsPerMinute", "posthog.exceptions.max-per-minute"),
            java.util.Map.entry("inAppPackages", "posthog.exceptions.in-app-packages"),
            java.util.Map.entry("aiMaxQueueSize", "posthog.ai.max-queue-size"));

    /**
     * Creates the factory.
     * @param environment where {@code posthog.*} is bound from
     * @param hooks the before-send hook beans
     * @param customizers the customizer beans
     */
    public PosthogClientFactory(Environment environment, ObjectProvider<BeforeSendHook> hooks,
            ObjectProvider<PosthogClientCustomizer> customizers) {
        this(environment, hooks, customizers, null);
    }

    /**
     * Creates the factory.
     * @param environment where {@code posthog.*} is bound from
     * @param hooks the before-send hook beans
     * @param customizers the customizer beans
     * @param definitionCaches the flag definitions cache provider bean (applied when
     * there is exactly one), or null
     */
    public PosthogClientFactory(Environment environment, ObjectProvider<BeforeSendHook> hooks,
            ObjectProvider<PosthogClientCustomizer> customizers,
            @Nullable ObjectProvider<FlagDefinitionCacheProvider> definitionCaches) {
        this(environment, hooks, customizers, definitionCaches, null, null);
    }

    /**
     * Creates the factory.
     * @param environment where {@code posthog.*} is bound from
     * @param hooks the before-send hook beans
     * @param customizers the customizer beans
     * @param definitionCaches the flag definitions cache provider bean (applied when
     * there is exactly one), or null
     * @param logHooks the before-send hook beans of log records, or null
     * @param spanHooks the before-send hook beans of spans, or null
     */
    public PosthogClientFactory(Environment environment, ObjectProvider<BeforeSendHook> hooks,
            ObjectProvider<PosthogClientCustomizer> customizers,
            @Nullable ObjectProvider<FlagDefinitionCacheProvider> definitionCaches,
            @Nullable ObjectProvider<BeforeSendLogHook> logHooks,
            @Nullable ObjectProvider<BeforeSpanSendHook> spanHooks) {
        this.environment = environment;
        this.hooks = hooks;
        this.customizers = customizers;
        this.definitionCaches = definitionCaches;
        this.logHooks = logHooks;
        this.spanHooks = spanHooks;
    }

    /**
     * Binds {@code posthog.*} from the environment.
     * @return freshly bound properties
     */
    public PosthogProperties bindProperties() {
        return Binder.get(environment).bindOrCreate("posthog", Bindable.of(PosthogProperties.class));
    }

    /**
     * Builds a client that starts no thread until {@link ManagedPosthogClient#start()}.
     * @return the stopped client
     * @throws InvalidPosthogPropertyException naming the property at fault
     */
    public ManagedPosthogClient createStopped() {
        PosthogClientBuilder builder = currentBuilder();
        try {
            return builder.buildStopped();
        }
        catch (PosthogConfigurationException ex) {
            throw new InvalidPosthogPropertyException(propertyName(ex.setting()), ex.getMessage(), ex);
        }
    }

    /**
     * Applies the current settings to a client built by {@link #createStopped()}; the
     * client reconfigures itself only if they differ from those it runs with.
     * @param client the client
     * @return whether the client was reconfigured
     * @throws InvalidPosthogPropertyException naming the property at fault
     */
    public synchronized boolean applyCurrentSettings(ManagedPosthogClient client) {
        PosthogClientBuilder builder = currentBuilder();
        try {
            return client.reconfigure(builder);
        }
        catch (PosthogConfigurationException ex) {
            throw new InvalidPosthogPropertyException(propertyName(ex.setting()), ex.getMessage(), ex);
        }
    }

    private PosthogClientBuilder currentBuilder() {
        PosthogProperties p = bindProperties();
        PosthogClientBuilder b = PosthogClient.builder(p.getApiKey());
        // Only from(Supplier) and to(Consumer): the same calls link against Boot 3.5 and
        // 4.x.
        PropertyMapper map = PropertyMapper.get();
        map.from(p::getHost).to(b::host);
        map.from(p::getFlushAt).to(b::flushAt);
        map.from(p::getMaxBatchSize).to(b::maxBatchSize);
        map.from(p::getFlushInterval).to(b::flushInterval);
        map.from(p::getMaxQueueSize).to(b::maxQueueSize);
        map.from(() -> p.getMaxQueueBytes().toBytes()).to(b::maxQueueBytes);
        map.from(() -> toInt(p.getMaxBatchBytes())).to(b::maxBatchBytes);
        map.from(() -> toInt(p.getMaxEventBytes())).to(b::maxEventBytes);
        map.from(p::getConsumerThreads).to(b::consumerThreads);
        map.from(p::getMaxRetries).to(b::maxRetries);
        map.from(p::getRetryInitialBackoff).to(b::retryInitialBackoff);
        map.from(p::getRetryMaxBackoff).to(b::retryMaxBackoff);
        map.from(p::getProbeInterval).to(b::probeInterval);
        map.from(p::getMaxProbeInterval).to(b::maxProbeInterval);
        map.from(p::getConnectTimeout).to(b::connectTimeout);
        map.from(p::getRequestTimeout).to(b::requestTimeout);
        map.from(p::isCompression).to(b::compression);
        map.from(p::getShutdownTimeout).to(b::shutdownTimeout);
        map.from(p::getFlushTimeout).to(b::flushTimeout);
        map.from(p::getSuperProperties).to(b::superProperties);
        map.from(p::isDisableGeoip).to(b::disableGeoip);
        map.from(p::isHistoricalMigration).to(b::historicalMigration);
        map.from(p::isOptOut).to(b::optOut);
        map.from(p::isDebug).to(b::debug);
        map.from(p::getCaptureProtocol).to(b::captureProtocol);
        map.from(p::getCompressionEncoding).to(b::compressionEncoding);
        map.from(p.getAi()::getMaxQueueSize).to(b::aiMaxQueueSize);
        PosthogProperties.FeatureFlags flags = p.getFeatureFlags();
        map.from(flags::getPersonalApiKey).to(b::personalApiKey);
        map.from(flags::isLocalEvaluation).to(b::localEvaluation);
        map.from(flags::getPollInterval).to(b::flagsPollInterval);
        map.from(flags::getRequestTimeout).to(b::flagsRequestTimeout);
        map.from(flags::getInitialLoadWait).to(b::flagsInitialLoadWait);
        map.from(flags::isSendFeatureFlagEvents).to(b::sendFeatureFlagEvents);
        map.from(() -> toInt(flags.getMaxDefinitionsBytes())).to(b::maxFlagDefinitionsBytes);
        map.from(flags::getMaxRetries).to(b::flagsMaxRetries);
        map.from(flags::getCacheMaxSize).to(b::flagCacheMaxSize);
        map.from(flags::getCacheTtl).to(b::flagCacheTtl);
        if (this.definitionCaches != null) {
            FlagDefinitionCacheProvider shared = this.definitionCaches.getIfUnique();
            if (shared != null) {
                b.flagDefinitionCacheProvider(shared);
            }
        }
        PosthogExceptionsProperties exceptions = p.getExceptions();
        map.from(exceptions::getMaxPerMinute).to(b::maxExceptionsPerMinute);
        map.from(exceptions::getInAppPackages).to(b::inAppPackages);
        PosthogProperties.Spool spool = p.getSpool();
        if (spool.isEnabled()) {
            if (spool.getDirectory() == null) {
                throw new InvalidPosthogPropertyException("posthog.spool.directory",
                        "posthog.spool.enabled is true but no directory is set: set posthog.spool.directory to a "
                                + "directory this process may write to (one process per directory).",
                        null);
            }
            map.from(spool::getDirectory).to(b::spool);
            map.from(() -> spool.getMaxBytes().toBytes()).to(b::spoolMaxBytes);
            map.from(spool::getSyncInterval).to(b::spoolSyncInterval);
        }
        b.logs(logs(p.getLogs()));
        if (p.getTraces().isEnabled()) {
            b.traces(traces(p.getTraces()));
        }
        this.hooks.orderedStream().forEach(b::beforeSend);
        this.customizers.orderedStream().forEach((c) -> c.customize(b));
        return b;
    }

    private LogsConfig logs(PosthogLogsProperties logs) {
        PropertyMapper map = PropertyMapper.get();
        LogsConfig.Builder l = LogsConfig.builder();
        map.from(logs::getFlushInterval).to(l::flushInterval);
        map.from(logs::getFlushAt).to(l::flushAt);
        map.from(logs::getMaxQueueSize).to(l::maxQueueSize);
        map.from(logs::getMaxBatchSize).to(l::maxBatchSize);
        map.from(logs::getRateCapMaxLogs).to(l::rateCapMaxLogs);
        map.from(logs::getRateCapWindow).to(l::rateCapWindow);
        map.from(() -> serviceName(logs.getServiceName())).to(l::serviceName);
        map.from(logs::getServiceVersion).to(l::serviceVersion);
        map.from(logs::getEnvironment).to(l::environment);
        map.from(logs::getResourceAttributes).to(l::resourceAttributes);
        if (this.logHooks != null) {
            this.logHooks.orderedStream().forEach(l::beforeSend);
        }
        return l.build();
    }

    private TracesConfig traces(PosthogTracesProperties traces) {
        PropertyMapper map = PropertyMapper.get();
        TracesConfig.Builder t = TracesConfig.builder();
        map.from(traces::getFlushInterval).to(t::flushInterval);
        map.from(traces::getMaxQueueSize).to(t::maxQueueSize);
        map.from(traces::getMaxExportBatchSize).to(t::maxExportBatchSize);
        map.from(traces::getMaxLiveSpans).to(t::maxLiveSpans);
        map.from(traces::getMaxSpanAge).to(t::maxSpanAge);
        map.from(traces::getMaxAttributesPerSpan).to(t::maxAttributesPerSpan);
        map.from(traces::getMaxEventsPerSpan).to(t::maxEventsPerSpan);
        map.from(() -> serviceName(traces.getServiceName())).to(t::serviceName);
        map.from(traces::getServiceVersion).to(t::serviceVersion);
        map.from(traces::getEnvironment).to(t::environment);
        map.from(traces::getResourceAttributes).to(t::resourceAttributes);
        if (this.spanHooks != null) {
            this.spanHooks.orderedStream().forEach(t::beforeSpanSend);
        }
        return t.build();
    }

    /** The configured service name, else {@code spring.application.name}. */
    private @Nullable String serviceName(@Nullable String configured) {
        return (configured != null && !configured.isBlank()) ? configured
                : this.environment.getProperty("spring.application.name");
    }

    private static int toInt(DataSize size) {
        return (int) Math.min(Integer.MAX_VALUE, size.toBytes());
    }

    /**
     * Maps a builder setting name to its property, e.g. {@code apiKey} to
     * {@code posthog.api-key}.
     * @param setting the builder setting
     * @return the property name
     */
    static String propertyName(String setting) {
        if (setting == null) {
            return "posthog";
        }
        String nested = NESTED.get(setting);
        if (nested != null) {
            return nested;
        }
        StringBuilder sb = new StringBuilder("posthog.");
        for (char c : setting.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            }
            else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

}
