package com.getcapacitor;

/**
 * Test-only stub of Capacitor's Logger (it reads Capacitor's CapConfig, which needs the Bridge), and
 * on the plain JVM there is no android.util.Log to write to. It has the members the real
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
