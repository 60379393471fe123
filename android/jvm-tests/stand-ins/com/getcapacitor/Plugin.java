package com.getcapacitor;

/**
 * Test-only stub of Capacitor's Plugin (it needs androidx appcompat, activity and core, and
 * Capacitor's Bridge, whose sources reach the WebView, androidx.webkit and Cordova), with just the
 * members JuspayCustomerPlugin uses or overrides. Signatures are those of
 * node_modules/@capacitor/android/capacitor/src/main/java/com/getcapacitor/Plugin.java
 * (@capacitor/android 8); CapacitorStubsTest checks every one is still there.
 */
public class Plugin {

    public Plugin() {}

    public void load() {}

    protected void handleOnDestroy() {}
}
