package io.juspaycustomer.plugin.support

import io.juspaycustomer.plugin.JuspayCustomerAdapter
import io.juspaycustomer.plugin.JuspayCustomerPlugin
import io.juspaycustomer.plugin.PluginError
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.fail

/**
 * Runs one case of src-ts/contract/plugin-calls.json against a real loopback server, through
 * the adapter or through the plugin class and Capacitor's own PluginCall, with the real core.
 * Shared by the JVM suite (PluginCallsTest) and the Robolectric one (AndroidPluginCallsTest).
 */
class PluginCallRunner(private val calls: PluginCalls) {

    /** A call's outcome, as JavaScript would see it. */
    private sealed interface Outcome {
        data class Resolved(val value: Any) : Outcome
        data class Rejected(val error: JSONObject) : Outcome
    }

    /** One way into the plugin: [start] begins a call and returns its outcome to come. */
    private interface Target : AutoCloseable {
        fun start(method: String, options: JSONObject): () -> Outcome
    }

    private class ThroughAdapter : Target {
        private val adapter = JuspayCustomerAdapter()
        private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

        override fun start(method: String, options: JSONObject): () -> Outcome {
            val outcome = CompletableFuture<Outcome>()
            val settle = { result: Result<Any> ->
                when (val error = result.exceptionOrNull()) {
                    null -> outcome.complete(Outcome.Resolved(result.getOrThrow()))
                    is PluginError -> outcome.complete(
                        Outcome.Rejected(
                            JSONObject().put("code", error.code).put("message", error.message).put("data", error.data),
                        ),
                    )
                    else -> outcome.completeExceptionally(AssertionError("$method threw what is not a PluginError", error))
                }
            }
            when (method) {
                // As the plugin class does: registered before start() returns.
                "getCustomer" -> scope.launch(start = CoroutineStart.UNDISPATCHED) {
                    settle(runCatching { adapter.getCustomer(options) })
                }
                "configure" -> settle(runCatching { adapter.configure(options); JSONObject.NULL })
                "setToken" -> settle(runCatching { adapter.setToken(options); JSONObject.NULL })
                "cancel" -> settle(runCatching { adapter.cancel(options); JSONObject.NULL })
                else -> fail("unknown call $method")
            }
            return {
                try {
                    outcome.get(LIMIT_MS, TimeUnit.MILLISECONDS)
                } catch (e: TimeoutException) {
                    fail("$method: no outcome within $LIMIT_MS ms")
                }
            }
        }

        override fun close() {
            scope.cancel()
            adapter.close()
        }
    }

    private class ThroughPlugin : Target {
        private val plugin = PluginHarness(JuspayCustomerPlugin())

        override fun start(method: String, options: JSONObject): () -> Outcome {
            // The bridge hands the plugin the options as JSON text from the WebView.
            val pending = plugin.start(method, options)
            return {
                when (val answer = pending.await(LIMIT_MS / 1000)) {
                    is Answer.Resolved -> Outcome.Resolved(answer.data)
                    is Answer.Rejected -> Outcome.Rejected(answer.error)
                }
            }
        }

        override fun close() = plugin.destroy()
    }

    fun throughAdapter(case: PluginCalls.Case) = ThroughAdapter().use { run(case, it) }

    fun throughPlugin(case: PluginCalls.Case) = ThroughPlugin().use { run(case, it) }

    private fun run(case: PluginCalls.Case, target: Target) = CaseServer(calls.wireCustomer).use { server ->
        val started = mutableMapOf<String, () -> Outcome>()
        for ((index, step) in case.calls.withIndex()) {
            val what = "step ${index + 1} $step"
            when {
                step.has("call") -> {
                    val options = PluginCalls.withServer(step.getJSONObject("options"), server.origin) as JSONObject
                    val outcome = target.start(step.getString("call"), options)
                    if (step.has("start")) started[step.getString("start")] = outcome
                    else check(what, outcome(), step.get("expect"), server)
                }
                step.has("await") -> {
                    val outcome = started.remove(step.getString("await")) ?: fail("$what: nothing was started under that name")
                    check(what, outcome(), step.get("expect"), server)
                }
                else -> until("$what: the requests") { server.requests.size >= step.getInt("waitForRequests") }
            }
        }
        assertEquals(emptySet<String>(), started.keys, "lookups started and never awaited")
        case.requests?.let { assertEquals(it, server.requests.size, "requests the server received") }
        until("closing every held connection") { server.held == 0 }
    }

    private fun check(what: String, got: Outcome, want: Any, server: CaseServer) {
        when {
            want == "resolve" -> assertEquals(Outcome.Resolved(JSONObject.NULL), got, what)
            want is JSONObject && want.has("customer") -> {
                val id = want.getString("customer")
                val value = (got as? Outcome.Resolved)?.value ?: fail("$what: rejected with $got")
                val juspay: Any = if (want.optBoolean("clientAuthToken")) {
                    JSONObject().put("clientAuthToken", CaseServer.clientAuthToken(id))
                        .put("clientAuthTokenExpiry", CaseServer.CLIENT_AUTH_EXPIRY)
                } else {
                    JSONObject.NULL
                }
                assertJsonEquals(JSONObject(calls.customer.toString()).put("id", id).put("juspay", juspay), value, what)
                if (want.has("token")) {
                    val sent = server.requests.filter { it.id == id }.map { it.authorization }
                    assertEquals(listOf("Bearer ${want.getString("token")}"), sent, "$what: Authorization")
                }
            }
            want is JSONObject -> {
                val error = (got as? Outcome.Rejected)?.error ?: fail("$what: resolved with $got")
                val expected = JSONObject().put("code", want.getString("code")).put("message", want.getString("message"))
                    .put("data", noDetails(retryable = false))
                assertJsonEquals(expected, error, what)
            }
            else -> fail("$what: unknown expectation $want")
        }
    }

    private fun until(what: String, condition: () -> Boolean) {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIMIT_MS)
        while (!condition()) {
            if (System.nanoTime() > deadline) fail("$what did not happen within $LIMIT_MS ms")
            Thread.sleep(5)
        }
    }

    private companion object {
        const val LIMIT_MS = 5_000L
    }
}
