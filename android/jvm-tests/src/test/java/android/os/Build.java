package android.os;

/**
 * Test-only stand-in for the Android SDK's android.os.Build (the SDK is not installed here), with
 * the members the Android variant of the generated bindings reads. Names and types as the SDK
 * documents them; only the Android source-set compile check uses it, nothing runs it.
 */
public class Build {

    public static class VERSION {
        public static final int SDK_INT = 0;
    }

    public static class VERSION_CODES {
        public static final int UPSIDE_DOWN_CAKE = 34;
    }
}
