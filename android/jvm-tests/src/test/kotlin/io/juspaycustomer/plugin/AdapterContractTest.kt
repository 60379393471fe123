package io.juspaycustomer.plugin

import io.juspaycustomer.plugin.support.Definitions
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import io.juspaycustomer.plugin.support.assertJsonEquals
import io.juspaycustomer.plugin.support.noDetails
import io.juspaycustomer.plugin.support.options
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/**
 * The adapter against the shapes declared in src-ts/definitions.ts: every option read by its
 * name and type, the customer's and the error data's keys. What each call answers, word for
 * word and in which order, is src-ts/contract/plugin-calls.json (PluginCallsTest).
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
                    // A boolean is the wrong type for every option but a boolean one.
                    val wrong: Any = if (member.type == "boolean") "true" else true
                    val withWrongType = JSONObject(valid.toString()).put(member.name, wrong)
                    val expected = if (member.type == "string[]") "an array of strings" else "a ${member.type}"
                    assertRejects("INVALID_ARGUMENT", "${member.name} must be $expected") { call(withWrongType) }
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
        member.type == "boolean" -> false
        member.type == "string[]" -> JSONArray() // no pinning: the test server is plain http
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
