package io.github.posthog4j.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;

/**
 * {@code @WebMvcTest} of the Boot line under test (its package moved in Boot 4): the one
 * test source that differs between lines ({@code src/test/boot4}), so that the slice
 * tests themselves run unchanged on Boot 3.5, 4.0 and 4.1.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
public @interface SampleWebMvcTest {

    /**
     * @return the controllers to test
     */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value() default {};

}
