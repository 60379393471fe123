package io.juspaycustomer.plugin.support

import java.math.BigDecimal
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals

/**
 * JSON as plain values for comparison: objects as maps (key order is not meaningful), numbers as
 * BigDecimal (404 read from a file is an Integer, the adapter's may be a Long), null for null.
 */
fun canonical(value: Any?): Any? = when (value) {
    null, JSONObject.NULL -> null
    is JSONObject -> value.keySet().associateWith { canonical(value.opt(it)) }
    is JSONArray -> (0 until value.length()).map { canonical(value.opt(it)) }
    is Number -> BigDecimal(value.toString()).stripTrailingZeros()
    else -> value
}

fun assertJsonEquals(expected: Any?, actual: Any?, what: String) {
    assertEquals(canonical(expected), canonical(actual), "$what\n  want ${expected}\n  got  ${actual}")
}

/** Builds the options object JavaScript would pass; `null` values stay as JSON null. */
fun options(vararg entries: Pair<String, Any?>): JSONObject =
    JSONObject().apply { entries.forEach { (k, v) -> put(k, v ?: JSONObject.NULL) } }

/** `data` of an error the adapter raises itself: every key null, not retryable. */
fun noDetails(retryable: Boolean = false): JSONObject = JSONObject()
    .put("status", JSONObject.NULL).put("errorCode", JSONObject.NULL).put("errorInfoCode", JSONObject.NULL)
    .put("userMessage", JSONObject.NULL).put("developerMessage", JSONObject.NULL).put("requestId", JSONObject.NULL)
    .put("retryable", retryable).put("retryAfterMs", JSONObject.NULL)
