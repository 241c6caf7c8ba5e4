package io.github.posthog4j.autoconfigure;

import io.github.posthog4j.client.BeforeSendHook;
import io.github.posthog4j.client.ManagedPosthogClient;
import io.github.posthog4j.client.PosthogClient;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.PosthogConfigurationException;
import io.github.posthog4j.client.internal.ClientSettings;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Builds the auto-configured client from the {@code posthog.*} properties as they are
 * <em>now</em>: every call binds the properties again from the {@link Environment}, then
 * applies the {@link BeforeSendHook} beans and the {@link PosthogClientCustomizer} beans,
 * both in {@code @Order}. Remembers the settings last applied so that a restart
 * reconfigures the client only when something changed.
 */
public final class PosthogClientFactory {

    private final Environment environment;

    private final ObjectProvider<BeforeSendHook> hooks;

    private final ObjectProvider<PosthogClientCustomizer> customizers;

    private volatile ClientSettings applied;

    /** Builder settings whose property lives in a nested group. */
    private static final java.util.Map<String, String> NESTED = java.util.Map.of("personalApiKey",
            "posthog.feature-flags.personal-api-key", "flagsPollInterval", "posthog.feature-flags.poll-interval",
            "flagsRequestTimeout", "posthog.feature-flags.request-timeout", "flagsInitialLoadWait",
            "posthog.feature-flags.initial-load-wait", "maxFlagDefinitionsBytes", "posthog.feature-flags",
            "spoolDirectory", "posthog.spool.directory", "spoolMaxBytes", "posthog.spool.max-bytes",
            "spoolSyncInterval", "posthog.spool.sync-interval");

    /**
     * Creates the factory.
     * @param environment where {@code posthog.*} is bound from
     * @param hooks the before-send hook beans
     * @param customizers the customizer beans
     */
    public PosthogClientFactory(Environment environment, ObjectProvider<BeforeSendHook> hooks,
            ObjectProvider<PosthogClientCustomizer> customizers) {
        this.environment = environment;
        this.hooks = hooks;
        this.customizers = customizers;
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
        ClientSettings settings = validate(builder);
        ManagedPosthogClient client;
        try {
            client = builder.buildStopped();
        }
        catch (PosthogConfigurationException ex) {
            throw new InvalidPosthogPropertyException(propertyName(ex.setting()), ex.getMessage(), ex);
        }
        this.applied = settings;
        return client;
    }

    /**
     * Applies the current settings to a client built by {@link #createStopped()},
     * reconfiguring it only if they differ from those last applied.
     * @param client the client
     * @return whether the client was reconfigured
     * @throws InvalidPosthogPropertyException naming the property at fault
     */
    public synchronized boolean applyCurrentSettings(ManagedPosthogClient client) {
        PosthogClientBuilder builder = currentBuilder();
        ClientSettings settings = validate(builder);
        if (settings.equals(applied)) {
            return false;
        }
        client.reconfigure(builder);
        this.applied = settings;
        return true;
    }

    private PosthogClientBuilder currentBuilder() {
        PosthogProperties p = bindProperties();
        PosthogClientBuilder b = PosthogClient.builder(p.getApiKey())
            .host(p.getHost())
            .flushAt(p.getFlushAt())
            .maxBatchSize(p.getMaxBatchSize())
            .flushInterval(p.getFlushInterval())
            .maxQueueSize(p.getMaxQueueSize())
            .maxBatchBytes(toInt(p.getMaxBatchBytes().toBytes()))
            .maxEventBytes(toInt(p.getMaxEventBytes().toBytes()))
            .consumerThreads(p.getConsumerThreads())
            .maxRetries(p.getMaxRetries())
            .retryInitialBackoff(p.getRetryInitialBackoff())
            .retryMaxBackoff(p.getRetryMaxBackoff())
            .connectTimeout(p.getConnectTimeout())
            .requestTimeout(p.getRequestTimeout())
            .compression(p.isCompression())
            .shutdownTimeout(p.getShutdownTimeout())
            .flushTimeout(p.getFlushTimeout())
            .superProperties(p.getSuperProperties())
            .disableGeoip(p.isDisableGeoip())
            .historicalMigration(p.isHistoricalMigration())
            .personalApiKey(p.getFeatureFlags().getPersonalApiKey())
            .localEvaluation(p.getFeatureFlags().isLocalEvaluation())
            .flagsPollInterval(p.getFeatureFlags().getPollInterval())
            .flagsRequestTimeout(p.getFeatureFlags().getRequestTimeout())
            .flagsInitialLoadWait(p.getFeatureFlags().getInitialLoadWait())
            .sendFeatureFlagEvents(p.getFeatureFlags().isSendFeatureFlagEvents());
        PosthogProperties.Spool spool = p.getSpool();
        if (spool.isEnabled()) {
            if (spool.getDirectory() == null) {
                throw new InvalidPosthogPropertyException("posthog.spool.directory",
                        "posthog.spool.enabled is true but no directory is set: set posthog.spool.directory to a "
                                + "directory this process may write to (one process per directory).",
                        null);
            }
            b.spool(spool.getDirectory())
                .spoolMaxBytes(spool.getMaxBytes().toBytes())
                .spoolSyncInterval(spool.getSyncInterval());
        }
        List<BeforeSendHook> ordered = hooks.orderedStream().toList();
        ordered.forEach(b::beforeSend);
        customizers.orderedStream().forEach((c) -> c.customize(b));
        return b;
    }

    private static int toInt(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static ClientSettings validate(PosthogClientBuilder builder) {
        try {
            return builder.toSettings();
        }
        catch (PosthogConfigurationException ex) {
            throw new InvalidPosthogPropertyException(propertyName(ex.setting()), ex.getMessage(), ex);
        }
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
