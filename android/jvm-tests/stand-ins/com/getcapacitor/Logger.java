package com.getcapacitor;

/**
 * Test-only stub of Capacitor's Logger (it writes to android.util.Log), with the members the real
 * PluginCall and PluginResult call. Signatures are those of
 * node_modules/@capacitor/android/capacitor/src/main/java/com/getcapacitor/Logger.java
 * (@capacitor/android 8), checked by CapacitorStubsTest. It logs nothing.
 */
public class Logger {

    public static final String LOG_TAG_CORE = "Capacitor";

    public static String tags(String... subtags) {
        return LOG_TAG_CORE + "/" + String.join("/", subtags);
    }

    public static void error(String tag, String message, Throwable e) {}
}
