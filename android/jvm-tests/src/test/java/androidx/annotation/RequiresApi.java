package androidx.annotation;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Test-only stand-in for androidx.annotation.RequiresApi (Google's Maven, unreachable here), which
 * the Android variant of the generated bindings uses. Members as androidx.annotation declares
 * them; only the Android source-set compile check uses it.
 */
@Retention(RetentionPolicy.CLASS)
public @interface RequiresApi {
    int value() default 1;

    int api() default 1;
}
