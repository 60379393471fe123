package io.juspaycustomer.plugin

import io.juspaycustomer.core.Customer
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.InternalException
import io.juspaycustomer.core.JniLookups
import io.juspaycustomer.core.LookupOptions
import io.juspaycustomer.plugin.support.Answer
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.PluginHarness
import io.juspaycustomer.plugin.support.Reply
import io.juspaycustomer.plugin.support.assertJsonEquals
import io.juspaycustomer.plugin.support.noDetails
import io.juspaycustomer.plugin.support.options
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * What the core throws besides CustomerException (uniffi's InternalException, e.g. after a panic
 * outside a lookup) rejects with INTERNAL "internal error: <its message>", as on iOS, and never
 * escapes the coroutine or the bridge. (A panic inside a lookup is caught by the core itself and
 * arrives as its own INTERNAL: rust-core/tests/panics.rs.) The real core cannot be made to panic
 * on purpose, so real lookups that throw what uniffi throws stand in.
 */
class InternalErrorTest {
    private val server = LoopbackServer { Reply(200, LoopbackServer.customerFor(it.path)) }

    @AfterEach
    fun stop() = server.close()

    /** Real lookups (the adapter's, through JNI) on a real client, whose lookups throw. */
    private class PanickingLookups(client: CustomerClient) : JniLookups(client) {
        override suspend fun getCustomer(customerId: String, cancellation: Cancellation?, options: LookupOptions): Customer =
            throw InternalException("panicked at src/client.rs: boom")
    }

    private fun panickingAdapter() = JuspayCustomerAdapter({ CustomerClient(it) }, { PanickingLookups(it) })

    private val internalError = JSONObject().put("code", "INTERNAL")
        .put("message", "internal error: panicked at src/client.rs: boom").put("data", noDetails(retryable = false))

    private fun PluginError.json() = JSONObject().put("code", code).put("message", message).put("data", data)

    @Test
    fun `a lookup through the adapter`() {
        panickingAdapter().use { adapter ->
            adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
            val e = assertThrows<PluginError> { runBlocking { adapter.getCustomer(options("customerId" to "cst_1")) } }
            assertJsonEquals(internalError, e.json(), "rejection")
        }
    }

    @Test
    fun `building the client, in configure and setToken`() {
        JuspayCustomerAdapter({ throw InternalException("panicked at src/client.rs: boom") }).use { adapter ->
            val e = assertThrows<PluginError> { adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t")) }
            assertJsonEquals(internalError, e.json(), "rejection in configure")
            // Without a token no client is built (the core checks the URL alone), so nothing throws.
            adapter.configure(options("backendUrl" to server.baseUrl))
            val again = assertThrows<PluginError> { adapter.setToken(options("token" to "t")) }
            assertJsonEquals(internalError, again.json(), "rejection in setToken")
        }
    }

    @Test
    fun `a lookup through the plugin, which goes on answering`() {
        val plugin = PluginHarness(JuspayCustomerPlugin(panickingAdapter()))
        try {
            plugin.call("configure", options("backendUrl" to server.baseUrl, "token" to "t"))
            val answer = plugin.call("getCustomer", options("customerId" to "cst_1")) as Answer.Rejected
            assertJsonEquals(internalError, answer.error, "rejection")
            assertEquals(Answer.Resolved(JSONObject.NULL), plugin.call("setToken", options("token" to "t2")))
        } finally {
            plugin.destroy()
        }
    }
}
