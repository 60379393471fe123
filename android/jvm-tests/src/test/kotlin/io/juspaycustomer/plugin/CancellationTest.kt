package io.juspaycustomer.plugin

import io.juspaycustomer.core.CancellationToken
import io.juspaycustomer.core.ClientConfig
import io.juspaycustomer.core.Credentials
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.CustomerException
import io.juspaycustomer.plugin.support.Answer
import io.juspaycustomer.plugin.support.HangingServer
import io.juspaycustomer.plugin.support.PluginHarness
import io.juspaycustomer.plugin.support.assertJsonEquals
import io.juspaycustomer.plugin.support.noDetails
import io.juspaycustomer.plugin.support.options
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Every way a lookup is cancelled ends it with CANCELLED and really stops its request: the
 * server, which never answers, sees the connection closed. Without cancellation it would stay
 * open until the 30 s deadline.
 */
class CancellationTest {
    private val server = HangingServer()
    private val adapter = JuspayCustomerAdapter()

    @AfterEach
    fun stop() {
        adapter.close()
        server.close()
    }

    private val cancelledError = JSONObject()
        .put("code", "CANCELLED").put("message", "the lookup was cancelled").put("data", noDetails(retryable = false))

    private fun PluginError.json() = JSONObject().put("code", code).put("message", message).put("data", data)

    /** Starts a lookup through the adapter in its own coroutine; the outcome is kept, not thrown. */
    private fun CoroutineScope.startLookup(vararg extra: Pair<String, Any?>): Pair<Job, CompletableDeferred<Result<JSONObject>>> {
        val outcome = CompletableDeferred<Result<JSONObject>>()
        val job = launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
            outcome.complete(runCatching { adapter.getCustomer(options("customerId" to "cst_1", *extra)) })
        }
        return job to outcome
    }

    private fun awaitRequest(n: Int = 1) = server.awaitRequests(n)

    /** The server saw the connection close within a few seconds of [since]. */
    private fun assertConnectionClosedSoonAfter(since: Long) {
        val closedAt = server.clientClosed.get(5, TimeUnit.SECONDS)
        assertTrue(closedAt >= since, "the connection closed before the lookup was cancelled")
        assertTrue(closedAt - since < TimeUnit.SECONDS.toNanos(5), "connection closed ${(closedAt - since) / 1_000_000} ms after cancelling")
    }

    private suspend fun pluginErrorOf(outcome: CompletableDeferred<Result<JSONObject>>): PluginError {
        val result = withTimeout(10_000) { outcome.await() }
        return result.exceptionOrNull() as? PluginError ?: error("expected a PluginError, got $result")
    }

    @Test
    fun `cancelling the calling coroutine gives CANCELLED and closes the connection`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
        val (job, outcome) = startLookup()
        awaitRequest()
        val cancelledAt = System.nanoTime()
        job.cancel()
        assertJsonEquals(cancelledError, pluginErrorOf(outcome).json(), "rejection")
        assertConnectionClosedSoonAfter(cancelledAt)
    }

    @Test
    fun `cancel(lookupId) gives CANCELLED through the core's token and closes the connection`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
        // Another customer: a lookup of the same one would share the first one's request.
        val (_, other) = startLookup("lookupId" to "other", "customerId" to "cst_other")
        awaitRequest(1)
        val (_, outcome) = startLookup("lookupId" to "profile")
        awaitRequest(2)
        adapter.cancel(options("lookupId" to "unknown")) // does nothing
        val cancelledAt = System.nanoTime()
        adapter.cancel(options("lookupId" to "profile"))
        assertJsonEquals(cancelledError, pluginErrorOf(outcome).json(), "rejection")
        assertConnectionClosedSoonAfter(cancelledAt)
        assertTrue(other.isActive, "a lookup with another id goes on")
        adapter.cancel(options("lookupId" to "other"))
        assertEquals("CANCELLED", pluginErrorOf(other).code)
    }

    @Test
    fun `a lookupId names one lookup in flight, and is free again once it ends`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
        val (_, first) = startLookup("lookupId" to "same")
        val e = assertThrows<PluginError> { runBlocking { adapter.getCustomer(options("customerId" to "cst_2", "lookupId" to "same")) } }
        assertJsonEquals(
            JSONObject().put("code", "INVALID_ARGUMENT").put("message", "lookupId \"same\" is already used by a lookup in flight")
                .put("data", noDetails()),
            e.json(), "rejection",
        )
        adapter.cancel(options("lookupId" to "same"))
        assertEquals("CANCELLED", pluginErrorOf(first).code)
        val (_, again) = startLookup("lookupId" to "same")
        adapter.cancel(options("lookupId" to "same"))
        assertEquals("CANCELLED", pluginErrorOf(again).code)
    }

    @Test
    fun `cancel right after an UNDISPATCHED start finds the lookup`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
        val (_, outcome) = startLookup("lookupId" to "quick")
        adapter.cancel(options("lookupId" to "quick"))
        assertJsonEquals(cancelledError, pluginErrorOf(outcome).json(), "rejection")
    }

    @Test
    fun `closing the adapter cancels every lookup in flight`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
        val (_, outcome) = startLookup()
        awaitRequest()
        val closedAt = System.nanoTime()
        adapter.close()
        assertJsonEquals(cancelledError, pluginErrorOf(outcome).json(), "rejection")
        assertConnectionClosedSoonAfter(closedAt)
    }

    @Test
    fun `destroying the plugin rejects its lookups in flight with CANCELLED`() {
        val plugin = PluginHarness(JuspayCustomerPlugin())
        plugin.call("configure", options("backendUrl" to server.baseUrl, "token" to "t"))
        val pending = plugin.start("getCustomer", options("customerId" to "cst_1"))
        awaitRequest()
        val destroyedAt = System.nanoTime()
        plugin.destroy()
        val answer = pending.await() as Answer.Rejected
        assertJsonEquals(cancelledError, answer.error, "rejection")
        assertConnectionClosedSoonAfter(destroyedAt)
    }

    @Test
    fun `cancel through the plugin, delivered right after getCustomer, stops it`() {
        val plugin = PluginHarness(JuspayCustomerPlugin())
        plugin.call("configure", options("backendUrl" to server.baseUrl, "token" to "t"))
        val pending = plugin.start("getCustomer", options("customerId" to "cst_1", "lookupId" to "l1"))
        assertEquals(Answer.Resolved(JSONObject.NULL), plugin.call("cancel", options("lookupId" to "l1")))
        assertJsonEquals(cancelledError, (pending.await() as Answer.Rejected).error, "rejection")
        plugin.destroy()
    }

    @Test
    fun `the core's CancellationToken, used from Kotlin directly`() = runBlocking {
        CustomerClient(ClientConfig(server.baseUrl, Credentials.DeviceToken("t"))).use { client ->
            CancellationToken().use { token ->
                val lookup = async(Dispatchers.Default) { runCatching { client.getCustomer("cst_1", token) } }
                awaitRequest()
                val cancelledAt = System.nanoTime()
                token.cancel()
                assertTrue(token.isCancelled())
                val e = lookup.await().exceptionOrNull() as CustomerException.Cancelled
                assertEquals("CANCELLED", e.code())
                assertEquals("the lookup was cancelled", e.details().message)
                assertConnectionClosedSoonAfter(cancelledAt)

                // Cancelling is permanent: a later lookup with the same token sends nothing.
                assertThrows<CustomerException.Cancelled> { runBlocking { client.getCustomer("cst_2", token) } }
                assertEquals(1, server.requests)
            }
        }
    }
}
