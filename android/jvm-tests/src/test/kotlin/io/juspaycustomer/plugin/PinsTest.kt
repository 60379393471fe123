package io.juspaycustomer.plugin

import io.juspaycustomer.plugin.support.options
import org.json.JSONArray
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.Base64

/**
 * `pins` reaches the core, which checks them with or without a token (the shared cases cover
 * the option's type; the web refuses pins, so what the core says of them is tested here).
 * Pinning itself runs over loopback TLS in the core's own tests.
 */
class PinsTest {
    private val pin = "sha256/" + Base64.getEncoder().encodeToString(ByteArray(32) { 7 })

    private fun configure(adapter: JuspayCustomerAdapter, backendUrl: String, token: String?, vararg pins: String) =
        adapter.configure(options("backendUrl" to backendUrl, "token" to token).put("pins", JSONArray(pins.toList())))

    @Test
    fun `the core checks the pins, with a token or without`() {
        JuspayCustomerAdapter().use { adapter ->
            for (token in listOf(null, "t")) {
                configure(adapter, "https://api.merchant.invalid", token, pin, pin)
                val http = assertThrows<PluginError> { configure(adapter, "http://127.0.0.1:1", token, pin) }
                assertEquals("INVALID_ARGUMENT", http.code)
                assertEquals("spki_pins need an https base URL: plain http has no certificate to pin", http.message)
                val bad = assertThrows<PluginError> { configure(adapter, "https://api.merchant.invalid", token, pin, "AAAA") }
                assertEquals("INVALID_ARGUMENT", bad.code)
                assertTrue(bad.message.startsWith("spki_pins[1] is not the base64 of a SHA-256 hash"), bad.message)
            }
        }
    }
}
