package io.juspaycustomer.plugin

import android.os.Build
import io.juspaycustomer.testing.KeepAliveServer
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.json.JSONObject
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/**
 * The plugin's adapter on Android 14's own classes: the options and answers are Android's
 * org.json (not the JVM suite's org.json:json), the bindings the Android variant, the core real.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [Build.VERSION_CODES.UPSIDE_DOWN_CAKE])
class AndroidAdapterTest {
    private val server = KeepAliveServer()
    private val adapter = JuspayCustomerAdapter()

    @After
    fun stop() {
        adapter.close()
        server.close()
    }

    /** Options as the bridge hands them over: parsed from JSON by Android's org.json. */
    private fun options(json: String) = JSONObject(json)

    private fun configure() = adapter.configure(options("""{"backendUrl":"${server.baseUrl}","token":"tok_adapter","timeoutMs":5000}"""))

    private fun refusal(block: suspend () -> Unit): PluginError = runBlocking {
        try {
            block()
            fail("expected a PluginError")
            error("unreachable")
        } catch (e: PluginError) {
            e
        }
    }

    @Test
    fun `a lookup answers the customer in TypeScript's shape`() {
        configure()
        val customer = runBlocking { adapter.getCustomer(options("""{"customerId":"cst_adapter"}""")) }
        assertEquals("cst_adapter", customer.getString("id"))
        assertEquals("Asha", customer.getString("firstName"))
        // Every key present, null where Juspay sent nothing.
        for (key in listOf("objectReferenceId", "lastName", "emailAddress", "mobileNumber", "juspay")) {
            assertTrue("$key is missing", customer.has(key))
            assertTrue("$key is not null", customer.isNull(key))
        }
        assertEquals("Bearer tok_adapter", server.requests.single().authorization)
    }

    @Test
    fun `a bad option is refused with the TypeScript name, as on the JVM`() {
        val error = refusal { adapter.configure(options("""{"backendUrl":"${server.baseUrl}","timeoutMs":0}""")) }
        assertEquals("INVALID_ARGUMENT", error.code)
        assertEquals("timeoutMs must be an integer between 1 and 600000", error.message)
        assertEquals(false, error.data.getBoolean("retryable"))
        assertTrue(error.data.isNull("status"))
        val unconfigured = refusal { adapter.getCustomer(options("""{"customerId":"cst_1"}""")) }
        assertEquals("INVALID_ARGUMENT", unconfigured.code)
    }

    @Test
    fun `cancel by lookupId rejects with CANCELLED and closes the connection`() {
        configure()
        runBlocking {
            val lookup = async(Dispatchers.Default) {
                runCatching { adapter.getCustomer(options("""{"customerId":"hold","lookupId":"l1"}""")) }
            }
            assertTrue("the request never arrived", server.await(5_000) { requests.isNotEmpty() })
            assertFalse(lookup.isCompleted)
            adapter.cancel(options("""{"lookupId":"l1"}"""))
            val error = withTimeout(5_000) { lookup.await() }.exceptionOrNull() as? PluginError
            assertEquals("CANCELLED", error?.code)
            assertTrue("the connection stayed open", server.await(5_000) { connectionsClosedByClient == 1 })
        }
    }
}
