package io.juspaycustomer.plugin

import com.getcapacitor.PluginMethod
import com.getcapacitor.annotation.CapacitorPlugin
import io.juspaycustomer.plugin.support.Answer
import io.juspaycustomer.plugin.support.Definitions
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Paths
import io.juspaycustomer.plugin.support.PluginHarness
import io.juspaycustomer.plugin.support.Reply
import io.juspaycustomer.plugin.support.assertJsonEquals
import io.juspaycustomer.plugin.support.noDetails
import io.juspaycustomer.plugin.support.options
import java.io.File
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The plugin class as Capacitor's bridge sees it: its methods, its name, its answers. */
class PluginTest {
    private val server = LoopbackServer { Reply(200, LoopbackServer.customerFor(it.path)) }
    private val plugin = PluginHarness(JuspayCustomerPlugin())

    @AfterEach
    fun stop() {
        plugin.destroy()
        server.close()
    }

    @Test
    fun `one @PluginMethod per method of JuspayCustomerPlugin in definitions ts, same names`() {
        val bridged = JuspayCustomerPlugin::class.java.methods
            .filter { it.isAnnotationPresent(PluginMethod::class.java) }
        assertEquals(Definitions.methods("JuspayCustomerPlugin").sorted(), bridged.map { it.name }.sorted())
        for (method in bridged) {
            // What Capacitor's PluginHandle requires of a plugin method.
            assertEquals(listOf(com.getcapacitor.PluginCall::class.java), method.parameterTypes.toList(), method.name)
            assertEquals(Void.TYPE, method.returnType, method.name)
            assertEquals(PluginMethod.RETURN_PROMISE, method.getAnnotation(PluginMethod::class.java).returnType)
        }
    }

    @Test
    fun `registered under the name the TypeScript side uses`() {
        val name = JuspayCustomerPlugin::class.java.getAnnotation(CapacitorPlugin::class.java).name
        val registered = File(Paths.repoRoot, "src-ts").listFiles { f -> f.name.endsWith(".ts") }.orEmpty()
            .flatMap { Regex("registerPlugin\\b[^(]*\\(\\s*'(\\w+)'").findAll(it.readText()).map { m -> m.groupValues[1] }.toList() }
        assertEquals(listOf(name), registered, "registerPlugin names in src-ts")
    }

    @Test
    fun `configure, setToken and cancel resolve empty, getCustomer resolves the customer`() {
        assertEquals(Answer.Resolved(JSONObject.NULL), plugin.call("configure", options("backendUrl" to server.baseUrl, "token" to "t")))
        assertEquals(Answer.Resolved(JSONObject.NULL), plugin.call("setToken", options("token" to "t2")))
        assertEquals(Answer.Resolved(JSONObject.NULL), plugin.call("cancel", options("lookupId" to "none")))
        val answer = plugin.call("getCustomer", options("customerId" to "cst_9")) as Answer.Resolved
        val customer = answer.data as JSONObject
        assertEquals("cst_9", customer.getString("id"))
        assertEquals(Definitions.properties("Customer").map { it.name }.toSet(), customer.keySet())
        assertTrue(customer.isNull("emailAddress"), "null fields reach JavaScript as null")
        assertEquals(listOf("Bearer t2"), server.received.map { it.authorization })
    }

    @Test
    fun `every method rejects with code, message and data`() {
        fun rejected(message: String) =
            JSONObject().put("code", "INVALID_ARGUMENT").put("message", message).put("data", noDetails())
        val getCustomer = plugin.call("getCustomer", options("customerId" to "cst_1")) as Answer.Rejected
        assertJsonEquals(rejected("call configure before getCustomer"), getCustomer.error, "getCustomer")
        val setToken = plugin.call("setToken", options("token" to "t")) as Answer.Rejected
        assertJsonEquals(rejected("call configure before setToken"), setToken.error, "setToken")
        val configure = plugin.call("configure", options("backendUrl" to 5)) as Answer.Rejected
        assertJsonEquals(rejected("backendUrl must be a string"), configure.error, "configure")
        val cancel = plugin.call("cancel", options()) as Answer.Rejected
        assertJsonEquals(rejected("lookupId is required"), cancel.error, "cancel")
    }
}
