package android.content;

/** Test-only stand-in: Capacitor's CapacitorPlugin annotation imports it for a doc link only. */
public class Intent {}
