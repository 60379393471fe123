package io.juspaycustomer.plugin

import io.juspaycustomer.plugin.support.Answer
import io.juspaycustomer.plugin.support.Definitions
import io.juspaycustomer.plugin.support.PluginHarness
import io.juspaycustomer.plugin.support.ScenarioServer
import io.juspaycustomer.plugin.support.Vector
import io.juspaycustomer.plugin.support.Vectors
import io.juspaycustomer.plugin.support.assertJsonEquals
import io.juspaycustomer.plugin.support.options
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail

/**
 * Every shared scenario vector, played by the real scenario server, through the real core
 * (JNA) — once through the adapter and once through the plugin class and Capacitor's own
 * PluginCall — so Android answers exactly what the Rust and TypeScript suites expect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorsTest {
    private val server = ScenarioServer()

    @AfterAll
    fun stopServer() = server.close()

    @TestFactory
    fun `every vector through the adapter`(): List<DynamicTest> = Vectors.all().map { vector ->
        DynamicTest.dynamicTest(vector.name) {
            server.reset(vector.name)
            JuspayCustomerAdapter().use { adapter ->
                adapter.configure(configureOptions(vector))
                val outcome = runBlocking { runCatching { adapter.getCustomer(lookupOptions(vector)) } }
                outcome.fold(
                    onSuccess = { checkCustomer(vector, it) },
                    onFailure = { e ->
                        if (e !is PluginError) throw e
                        checkError(vector, JSONObject().put("code", e.code).put("message", e.message).put("data", e.data))
                    },
                )
            }
            checkRequests(vector)
        }
    }

    @TestFactory
    fun `every vector through the plugin and PluginCall`(): List<DynamicTest> = Vectors.all().map { vector ->
        DynamicTest.dynamicTest(vector.name) {
            server.reset(vector.name)
            val plugin = PluginHarness(JuspayCustomerPlugin())
            assertEquals(Answer.Resolved(JSONObject.NULL), plugin.call("configure", configureOptions(vector)))
            when (val answer = plugin.call("getCustomer", lookupOptions(vector))) {
                is Answer.Resolved -> checkCustomer(vector, answer.data as JSONObject)
                is Answer.Rejected -> checkError(vector, answer.error)
            }
            plugin.destroy()
            checkRequests(vector)
        }
    }

    private fun lookupOptions(vector: Vector) =
        options("customerId" to vector.customerId, "clientAuthToken" to vector.clientAuthToken)

    private fun configureOptions(vector: Vector) = options(
        "backendUrl" to server.baseUrl(vector.name),
        "token" to TOKEN,
        "timeoutMs" to vector.deadlineMs,
        "maxRetries" to vector.maxRetries,
    )

    private fun checkCustomer(vector: Vector, customer: JSONObject) {
        val want = vector.expectedCustomer ?: fail("resolved with a customer, want error ${vector.expectedError}")
        assertJsonEquals(want, customer, "customer")
    }

    /** `{code, message, data}` exactly; `message` only where the vector states it (not NETWORK's). */
    private fun checkError(vector: Vector, error: JSONObject) {
        val want = vector.expectedError ?: fail("rejected with $error, want customer ${vector.expectedCustomer}")
        val got = JSONObject(error.toString())
        assertTrue(got.getString("code") in Definitions.stringUnion("CustomerErrorCode"), "code in CustomerErrorCode")
        if (!want.has("message")) {
            assertTrue(got.optString("message").isNotBlank(), "a message is always given")
            got.remove("message")
        }
        assertJsonEquals(want, got, "error")
    }

    private fun checkRequests(vector: Vector) {
        val requests = server.requests(vector.name)
        assertEquals(vector.expectedRequests, requests.length(), "requests received")
        for (i in 0 until requests.length()) {
            val request = requests.getJSONObject(i)
            assertEquals("GET", request.getString("method"))
            vector.expectedPath?.let { assertEquals(it, request.getString("path"), "request path") }
            assertEquals("Bearer $TOKEN", request.getJSONObject("headers").optString("authorization"))
        }
    }

    private companion object {
        const val TOKEN = "device-token-abc"
    }
}
