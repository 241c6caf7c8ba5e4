package io.github.posthog4j.autoconfigure.openfeature;

import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Sets the provider as the OpenFeature API's default provider when the context starts,
 * and takes it back (the API gets its no-op provider) when the context closes, unless
 * another provider replaced it meanwhile. The provider never closes the PostHog client:
 * the context does.
 */
final class OpenFeatureRegistration implements InitializingBean, DisposableBean {

    private final OpenFeatureAPI api;

    private final FeatureProvider provider;

    OpenFeatureRegistration(OpenFeatureAPI api, FeatureProvider provider) {
        this.api = api;
        this.provider = provider;
    }

    @Override
    public void afterPropertiesSet() {
        this.api.setProviderAndWait(this.provider);
    }

    @Override
    public void destroy() {
        if (this.api.getProvider() == this.provider) {
            this.api.setProvider(new NoOpProvider());
        }
    }

}
