package com.getcapacitor;

import org.json.JSONArray;
import org.json.JSONException;

/**
 * Test-only stub of Capacitor's JSArray: the real one declares toList(), which clashes with
 * org.json:json's own (Android's older org.json has none), so it cannot compile here. It keeps
 * the constructor the real PluginCall calls; its signature is that of
 * node_modules/@capacitor/android/capacitor/src/main/java/com/getcapacitor/JSArray.java
 * (@capacitor/android 8), checked by CapacitorStubsTest.
 */
public class JSArray extends JSONArray {

    public JSArray(Object array) throws JSONException {
        super(array);
    }
}
