package io.github.posthog4j.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posthog4j.client.LogsConfig;
import io.github.posthog4j.client.PosthogClientBuilder;
import io.github.posthog4j.client.TracesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.util.unit.DataSize;

/**
 * One source of truth for settings: every builder setting has a {@code posthog.*}
 * property, with a description in the configuration metadata and the builder's default
 * (as bound, and as the metadata shows it to IDEs).
 */
class PosthogSettingsSourceTests {

    /**
     * Builder settings that are not properties: code-only hooks and objects (a clock, a
     * definitions cache provider: a bean), and the spool switch (a property group).
     */
    private static final Set<String> NOT_PROPERTIES = Set.of("beforeSend", "listener", "deliverTo", "spool", "clock",
            "flagDefinitionCacheProvider", "logs", "traces", "beforeSpanSend");

    @Test
    void everyBuilderSettingHasAPropertyWithTheSameDefaultAndADescription() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        PosthogProperties bound = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("posthog",
                Bindable.of(PosthogProperties.class));
        List<String> checked = new ArrayList<>();
        for (Method m : PosthogClientBuilder.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || m.getReturnType() != PosthogClientBuilder.class || m.getParameterCount() != 1
                    || NOT_PROPERTIES.contains(m.getName())) {
                continue;
            }
            String property = PosthogClientFactory.propertyName(m.getName());
            JsonNode entry = metadata.get(property);
            assertThat(entry).as("metadata of %s (builder %s)", property, m.getName()).isNotNull();
            assertThat(entry.path("description").asText()).as("description of %s", property).isNotBlank();
            Object builderDefault = builderDefault(m.getName());
            if (builderDefault != null) {
                Object propertyDefault = normalise(new BeanWrapperImpl(bound).getPropertyValue(beanPath(property)));
                assertThat(propertyDefault).as("default of %s", property).isEqualTo(normalise(builderDefault));
                JsonNode shown = entry.get("defaultValue");
                assertThat(shown).as("metadata default of %s", property).isNotNull();
                Class<?> target = isBytes(property) ? DataSize.class : builderDefault.getClass();
                Object converted = ApplicationConversionService.getSharedInstance().convert(shown.asText(), target);
                assertThat(normalise(converted)).as("metadata default of %s", property)
                    .isEqualTo(normalise(builderDefault));
            }
            checked.add(property);
        }
        assertThat(checked).hasSizeGreaterThan(25)
            .contains("posthog.max-probe-interval", "posthog.opt-out", "posthog.feature-flags.max-definitions-bytes");
    }

    /**
     * The logs and traces settings are config objects ({@link LogsConfig},
     * {@link TracesConfig}): each setter of their builders has a property under
     * {@code posthog.logs.*} or {@code posthog.traces.*} with the config's default.
     */
    @Test
    void everyLogsAndTracesSettingHasAPropertyWithTheSameDefaultAndADescription() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        PosthogProperties bound = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("posthog",
                Bindable.of(PosthogProperties.class));
        List<String> checked = new ArrayList<>();
        checked.addAll(checkConfig(LogsConfig.Builder.class, LogsConfig.class, "posthog.logs.", metadata, bound));
        checked.addAll(checkConfig(TracesConfig.Builder.class, TracesConfig.class, "posthog.traces.", metadata, bound));
        assertThat(checked).contains("posthog.logs.rate-cap-window", "posthog.logs.service-name",
                "posthog.traces.max-live-spans", "posthog.traces.resource-attributes");
    }

    private static List<String> checkConfig(Class<?> builder, Class<?> config, String prefix,
            Map<String, JsonNode> metadata, PosthogProperties bound) {
        List<String> checked = new ArrayList<>();
        for (Method m : builder.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || m.getReturnType() != builder || m.getParameterCount() != 1
                    || NOT_PROPERTIES.contains(m.getName())) {
                continue;
            }
            String property = prefix + PosthogClientFactory.propertyName(m.getName()).substring("posthog.".length());
            JsonNode entry = metadata.get(property);
            assertThat(entry).as("metadata of %s (%s)", property, m).isNotNull();
            assertThat(entry.path("description").asText()).as("description of %s", property).isNotBlank();
            Object configDefault = constant(config, m.getName());
            if (configDefault != null) {
                Object propertyDefault = normalise(new BeanWrapperImpl(bound).getPropertyValue(beanPath(property)));
                assertThat(propertyDefault).as("default of %s", property).isEqualTo(normalise(configDefault));
                JsonNode shown = entry.get("defaultValue");
                assertThat(shown).as("metadata default of %s", property).isNotNull();
                Object converted = ApplicationConversionService.getSharedInstance()
                    .convert(shown.asText(), configDefault.getClass());
                assertThat(normalise(converted)).as("metadata default of %s", property)
                    .isEqualTo(normalise(configDefault));
            }
            checked.add(property);
        }
        return checked;
    }

    private static Object constant(Class<?> type, String setting) {
        String constant = "DEFAULT_" + setting.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
        try {
            return type.getField(constant).get(null);
        }
        catch (NoSuchFieldException ex) {
            return null;
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean isBytes(String property) {
        return property.endsWith("-bytes");
    }

    /**
     * The builder's {@code DEFAULT_*} constant of a setting, e.g. flushAt:
     * DEFAULT_FLUSH_AT, or null.
     */
    private static Object builderDefault(String setting) {
        String constant = "DEFAULT_" + setting.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
        try {
            Field f = PosthogClientBuilder.class.getField(constant);
            return f.get(null);
        }
        catch (NoSuchFieldException ex) {
            return null;
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Object normalise(Object value) {
        if (value instanceof DataSize size) {
            return size.toBytes();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Duration d) {
            return d;
        }
        return value;
    }

    /** posthog.feature-flags.poll-interval to featureFlags.pollInterval */
    private static String beanPath(String property) {
        String path = property.substring("posthog.".length());
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : path.toCharArray()) {
            if (c == '-') {
                upper = true;
            }
            else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Map<String, JsonNode> metadata() throws IOException {
        Map<String, JsonNode> byName = new HashMap<>();
        try (InputStream in = PosthogSettingsSourceTests.class
            .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            for (JsonNode p : new ObjectMapper().readTree(in).get("properties")) {
                byName.put(p.get("name").asText(), p);
            }
        }
        return byName;
    }

}
