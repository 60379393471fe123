package android.system;

import java.lang.ref.Cleaner;

/**
 * Test-only stand-in for the Android SDK's android.system.SystemCleaner (API 33), which the
 * Android variant of the generated bindings uses. Signature as the SDK documents it; only the
 * Android source-set compile check uses it.
 */
public final class SystemCleaner {

    private SystemCleaner() {}

    public static Cleaner cleaner() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
