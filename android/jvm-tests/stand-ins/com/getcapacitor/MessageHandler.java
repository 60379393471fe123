package com.getcapacitor;

/**
 * Test-only stub of Capacitor's MessageHandler (it needs a WebView), the object the real
 * PluginCall hands every resolve and reject to. Tests subclass it to see exactly what would be
 * posted to JavaScript. The method's signature is that of
 * node_modules/@capacitor/android/capacitor/src/main/java/com/getcapacitor/MessageHandler.java
 * (@capacitor/android 8), checked by CapacitorStubsTest.
 */
public class MessageHandler {

    protected MessageHandler() {} // stub's own: the real one takes a Bridge, a WebView and Cordova's PluginManager

    public void sendResponseMessage(PluginCall call, PluginResult successResult, PluginResult errorResult) {}
}
