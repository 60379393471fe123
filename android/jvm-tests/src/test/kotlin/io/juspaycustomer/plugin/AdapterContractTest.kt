package io.juspaycustomer.plugin

import io.juspaycustomer.plugin.support.Definitions
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import io.juspaycustomer.plugin.support.assertJsonEquals
import io.juspaycustomer.plugin.support.noDetails
import io.juspaycustomer.plugin.support.options
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/**
 * The adapter's own answers, which the web and Swift implementations give word for word, and its
 * agreement with the option, customer and error shapes declared in src-ts/definitions.ts.
 */
class AdapterContractTest {
    private val server = LoopbackServer { Reply(200, LoopbackServer.customerFor(it.path)) }
    private val adapter = JuspayCustomerAdapter()

    @AfterEach
    fun close() {
        adapter.close()
        server.close()
    }

    private fun configured(vararg extra: Pair<String, Any?>) =
        options("backendUrl" to server.baseUrl, "token" to "t0", *extra)

    private fun lookup(vararg entries: Pair<String, Any?>): JSONObject = runBlocking { adapter.getCustomer(options(*entries)) }

    private fun assertRejects(code: String, message: String, action: () -> Unit) {
        val e = assertThrows<PluginError> { action() }
        assertJsonEquals(
            JSONObject().put("code", code).put("message", message).put("data", noDetails(retryable = false)),
            JSONObject().put("code", e.code).put("message", e.message).put("data", e.data),
            "rejection",
        )
    }

    @Test
    fun `getCustomer before configure, and without a token`() {
        assertRejects("INVALID_ARGUMENT", "call configure before getCustomer") { lookup("customerId" to "cst_1") }
        adapter.configure(options("backendUrl" to server.baseUrl))
        assertRejects("INVALID_ARGUMENT", "no device token: pass token to configure or call setToken") {
            lookup("customerId" to "cst_1")
        }
        adapter.setToken(options("token" to "t1"))
        assertEquals("cst_1", lookup("customerId" to "cst_1").getString("id"))
        assertEquals(1, server.received.size, "only the lookup with a token reached the server")
        adapter.close()
        assertRejects("INVALID_ARGUMENT", "call configure before getCustomer") { lookup("customerId" to "cst_1") }
    }

    @Test
    fun `setToken before configure, and configure replaces the token`() {
        assertRejects("INVALID_ARGUMENT", "call configure before setToken") { adapter.setToken(options("token" to "t1")) }
        adapter.configure(configured())
        adapter.configure(options("backendUrl" to server.baseUrl))
        assertRejects("INVALID_ARGUMENT", "no device token: pass token to configure or call setToken") {
            lookup("customerId" to "cst_1")
        }
    }

    @Test
    fun `the token is sent as a bearer token and setToken replaces it`() {
        adapter.configure(configured())
        lookup("customerId" to "cst_1")
        adapter.setToken(options("token" to "t1"))
        lookup("customerId" to "cst_2")
        assertEquals(listOf("Bearer t0", "Bearer t1"), server.received.map { it.authorization })
    }

    @Test
    fun `the core's configuration errors pass through with its message, and the old configuration stays`() {
        adapter.configure(configured())
        val cases = listOf(
            configured("backendUrl" to "http://api.example.com") to
                "base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])",
            configured("backendUrl" to "") to "base URL is not a valid URL",
            configured("token" to " ") to "token must not be empty",
            configured("token" to "a\nb") to "token must be printable ASCII without line breaks",
            configured("timeoutMs" to 0) to "deadline_ms must be between 1 and 600000, got 0",
            configured("timeoutMs" to 600_001) to "deadline_ms must be between 1 and 600000, got 600001",
            configured("connectTimeoutMs" to 0) to "connect_timeout_ms must be between 1 and 600000, got 0",
            configured("maxRetries" to 11) to "max_retries must be at most 10, got 11",
            // Too big for the core's types: saturated, so the core's range check still speaks.
            configured("maxRetries" to 1e12) to "max_retries must be at most 10, got 4294967295",
            options("backendUrl" to "http://api.example.com") to
                "base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])",
        )
        for ((bad, message) in cases) {
            assertRejects("INVALID_ARGUMENT", message) { adapter.configure(bad) }
        }
        assertRejects("INVALID_ARGUMENT", "token must not be empty") { adapter.setToken(options("token" to "")) }
        assertEquals("cst_1", lookup("customerId" to "cst_1").getString("id"), "the good configuration still works")
        assertEquals(listOf("Bearer t0"), server.received.map { it.authorization })
    }

    @Test
    fun `numbers must be whole and not negative`() {
        for (bad in listOf(1.5, -1)) {
            assertRejects("INVALID_ARGUMENT", "timeoutMs must be a non-negative integer") {
                adapter.configure(configured("timeoutMs" to bad))
            }
        }
        adapter.configure(configured("timeoutMs" to 2000.0, "connectTimeoutMs" to 1000L, "maxRetries" to 0))
        lookup("customerId" to "cst_1")
    }

    @Test
    fun `bad customer ids are the core's INVALID_ARGUMENT and never reach the network`() {
        adapter.configure(configured())
        assertRejects("INVALID_ARGUMENT", "customer_id must not be empty") { lookup("customerId" to "") }
        assertRejects("INVALID_ARGUMENT", "customer_id must not be \".\" or \"..\"") { lookup("customerId" to "..") }
        assertEquals(0, server.received.size)
    }

    /**
     * Each option of definitions.ts is read under its own name: a value of the wrong type is
     * refused naming it, and a missing required one is reported as required.
     */
    @TestFactory
    fun `every option in definitions ts is read by its name and type`(): List<DynamicTest> {
        val methods = mapOf(
            "ConfigureOptions" to { o: JSONObject -> adapter.configure(o) },
            "SetTokenOptions" to { o: JSONObject -> adapter.setToken(o) },
            "GetCustomerOptions" to { o: JSONObject -> runBlocking { adapter.getCustomer(o) }; Unit },
            "CancelOptions" to { o: JSONObject -> adapter.cancel(o) },
        )
        return methods.flatMap { (type, call) ->
            val members = Definitions.properties(type)
            val valid = JSONObject()
            members.forEach { valid.put(it.name, validValue(it)) }
            members.flatMap { member ->
                val wrongType = DynamicTest.dynamicTest("$type.${member.name} of the wrong type") {
                    adapter.configure(configured())
                    val withWrongType = JSONObject(valid.toString()).put(member.name, true)
                    assertRejects("INVALID_ARGUMENT", "${member.name} must be a ${member.type}") { call(withWrongType) }
                }
                val missing = DynamicTest.dynamicTest("$type.${member.name} missing") {
                    adapter.configure(configured())
                    val without = JSONObject(valid.toString()).apply { remove(member.name) }
                    if (member.optional) call(without) else {
                        assertRejects("INVALID_ARGUMENT", "${member.name} is required") { call(without) }
                        val withNull = JSONObject(valid.toString()).put(member.name, JSONObject.NULL)
                        assertRejects("INVALID_ARGUMENT", "${member.name} is required") { call(withNull) }
                    }
                }
                listOf(wrongType, missing)
            }
        }
    }

    private fun validValue(member: Definitions.Member): Any = when {
        member.name == "backendUrl" -> server.baseUrl
        member.type == "string" -> "cst_1"
        member.type == "number" -> 1 // within every range: 1 ms, 1 retry
        else -> error("no valid value known for ${member.name}: ${member.type}")
    }

    @Test
    fun `the customer has exactly the keys of Customer in definitions ts, nulls included`() {
        adapter.configure(configured())
        val customer = lookup("customerId" to "cst_1")
        assertEquals(Definitions.properties("Customer").map { it.name }.toSet(), customer.keySet())
        assertEquals(JSONObject.NULL, customer.get("emailAddress"), "absent fields are null, not missing")
    }

    @Test
    fun `error data has exactly the keys of CustomerErrorData`() {
        val keys = Definitions.properties("CustomerErrorData").map { it.name }.toSet()
        val own = assertThrows<PluginError> { lookup("customerId" to "cst_1") }
        assertEquals(keys, own.data.keySet())
        adapter.configure(configured())
        val core = assertThrows<PluginError> { lookup("customerId" to "..") }
        assertEquals(keys, core.data.keySet())
    }
}
