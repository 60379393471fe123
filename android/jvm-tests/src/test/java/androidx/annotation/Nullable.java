package androidx.annotation;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Test-only stand-in for androidx.annotation.Nullable (Google's Maven, unreachable here), which
 * Capacitor's JSObject and PluginCall use. Kotlin reads it as a nullability annotation, exactly
 * as it reads the real one when the library is built for Android.
 */
@Retention(RetentionPolicy.CLASS)
public @interface Nullable {}
