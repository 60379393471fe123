package com.getcapacitor;

/**
 * Test-only stub of Capacitor's Bridge (it owns the WebView), with the one method the real
 * PluginCall calls. Its signature is that of
 * node_modules/@capacitor/android/capacitor/src/main/java/com/getcapacitor/Bridge.java
 * (@capacitor/android 8), checked by CapacitorStubsTest.
 */
public class Bridge {

    public void releaseCall(PluginCall call) {}
}
