package io.juspaycustomer.core

import io.juspaycustomer.plugin.support.HangingServer
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `JniLookups` (JNI) against the generated bindings (JNA) over the same real library and server:
 * the same answers and errors, its two ways to cancel, and its lifetime rules.
 */
class JniLookupsTest {
    private fun client(baseUrl: String) = CustomerClient(ClientConfig(baseUrl, Credentials.DeviceToken("t")))

    /** A customer whose id is the path's last segment; none for `missing`. Started by the tests that use it. */
    private val server by lazy {
        LoopbackServer { request ->
            if (request.path.endsWith("/missing")) Reply(404, JSONObject().put("status", "error")) else Reply(200, LoopbackServer.customerFor(request.path))
        }
    }

    @Test
    fun `it answers and fails exactly as the generated bindings do`() {
        server.use {
            client(server.baseUrl).use { client ->
                JniLookups(client).use { jni ->
                    // Non-ASCII, a reserved character and the longest id: the id crosses as UTF-8.
                    for (id in listOf("cst_1", "ü ñ/?#", "x".repeat(300))) {
                        assertEquals(client.getCustomerBlocking(id), jni.getCustomerBlocking(id), id)
                        assertEquals(runBlocking { client.getCustomer(id) }, runBlocking { jni.getCustomer(id) }, id)
                    }
                    for (id in listOf("missing", "", ".", "x".repeat(301))) {
                        val expected = assertThrows<CustomerException> { client.getCustomerBlocking(id) }
                        val actual = assertThrows<CustomerException> { jni.getCustomerBlocking(id) }
                        assertEquals(expected::class, actual::class, id)
                        assertEquals(expected.code(), actual.code(), id)
                        assertEquals(expected.message, actual.message, id)
                        assertEquals(expected.details(), actual.details(), id)
                    }
                }
            }
        }
    }

    @Test
    fun `the options reach the core`() {
        // Juspay's client auth token comes with every answer here; the core returns it only when
        // the options ask for it, so the two lookups differ only if the options crossed.
        LoopbackServer { request ->
            val juspay = JSONObject().put("client_auth_token", "tkn_1").put("client_auth_token_expiry", "2026-12-04T10:15:00Z")
            Reply(200, LoopbackServer.customerFor(request.path).put("juspay", juspay))
        }.use { withToken ->
            client(withToken.baseUrl).use { client ->
                JniLookups(client).use { jni ->
                    assertEquals(null, jni.getCustomerBlocking("cst_1").juspay)
                    val asked = LookupOptions(clientAuthToken = true)
                    val customer = jni.getCustomerBlocking("cst_1", options = asked)
                    assertEquals(JuspayClientAuth("tkn_1", "2026-12-04T10:15:00Z"), customer.juspay)
                    assertEquals(client.getCustomerBlocking("cst_1", options = asked), customer)
                }
            }
        }
    }

    @Test
    fun `a cancel from another thread ends a blocking lookup with CANCELLED and closes the connection`() {
        HangingServer().use { hanging ->
            client(hanging.baseUrl).use { client ->
                JniLookups(client).use { jni ->
                    JniLookups.Cancellation().use { token ->
                        var outcome: Result<Customer>? = null
                        val lookup = thread { outcome = runCatching { jni.getCustomerBlocking("cst_1", token) } }
                        hanging.awaitRequests(1)
                        val cancelledAt = System.nanoTime()
                        token.cancel()
                        lookup.join(5_000)
                        val error = outcome?.exceptionOrNull() as? CustomerException.Cancelled ?: error("expected CANCELLED, got $outcome")
                        assertEquals("CANCELLED", error.code())
                        val closedAfterMs = (hanging.clientClosed.get(5, TimeUnit.SECONDS) - cancelledAt) / 1_000_000
                        assertTrue(closedAfterMs < 1_000, "connection closed $closedAfterMs ms after cancelling")
                        // Permanent: a lookup given the token afterwards is cancelled at once.
                        assertThrows<CustomerException.Cancelled> { jni.getCustomerBlocking("cst_1", token) }
                    }
                }
            }
        }
    }

    @Test
    fun `cancelling the coroutine cancels the request, and so does the caller's token`() {
        HangingServer().use { hanging ->
            client(hanging.baseUrl).use { client ->
                JniLookups(client).use { jni ->
                    runBlocking {
                        val lookup = async(Dispatchers.Default) { jni.getCustomer("cst_1") }
                        hanging.awaitRequests(1)
                        val cancelledAt = System.nanoTime()
                        lookup.cancel()
                        assertThrows<CancellationException> { runBlocking { lookup.await() } }
                        val closedAfterMs = (hanging.clientClosed.get(5, TimeUnit.SECONDS) - cancelledAt) / 1_000_000
                        assertTrue(closedAfterMs < 1_000, "connection closed $closedAfterMs ms after cancelling")

                        JniLookups.Cancellation().use { token ->
                            val second = async(Dispatchers.Default, CoroutineStart.DEFAULT) { runCatching { jni.getCustomer("cst_2", token) } }
                            hanging.awaitRequests(2)
                            token.cancel()
                            val error = second.await().exceptionOrNull()
                            assertTrue(error is CustomerException.Cancelled, "expected CANCELLED, got $error")
                        }
                    }
                }
            }
        }
    }

    @Test
    fun `suspend lookups in flight hold no thread, and close waits for their answers`() {
        HangingServer().use { hanging ->
            client(hanging.baseUrl).use { client ->
                val jni = JniLookups(client)
                runBlocking {
                    // Undispatched: each one starts (and suspends) before the next, on this one thread.
                    val lookups = (1..32).map { n -> async(start = CoroutineStart.UNDISPATCHED) { runCatching { jni.getCustomer("cst_$n") } } }
                    hanging.awaitRequests(32)
                    // Each one waits in the core's runtime, not on a JVM thread of its own.
                    val parked = Thread.getAllStackTraces().values.count { stack -> stack.any { it.methodName == "getCustomerBlocking" } }
                    assertEquals(0, parked, "JVM threads waiting inside a lookup")
                    jni.close()
                    assertFalse(jni.isClosed, "closed with 32 lookups in flight")
                    lookups.forEach { it.cancel() }
                }
                // Cancelled coroutines resume at once; the core's CANCELLED answers come after,
                // and the last one frees the handle.
                val until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5)
                while (!jni.isClosed && System.nanoTime() < until) Thread.sleep(10)
                assertTrue(jni.isClosed, "still open 5 s after the last lookup was cancelled")
            }
        }
    }

    @Test
    fun `a suspend lookup after close is refused, and finished ones hold nothing`() {
        server.use {
            client(server.baseUrl).use { client ->
                val jni = JniLookups(client)
                assertEquals("cst_1", runBlocking { jni.getCustomer("cst_1") }.id)
                assertThrows<CustomerException.EndpointNotFound> { runBlocking { jni.getCustomer("missing") } }
                jni.close()
                assertTrue(jni.isClosed, "a finished lookup kept a hold")
                val e = assertThrows<IllegalStateException> { runBlocking { jni.getCustomer("cst_1") } }
                assertEquals("JniLookups is closed", e.message)
            }
        }
    }

    @Test
    fun `lookups from many threads at once all get their own customer`() {
        server.use {
            client(server.baseUrl).use { client ->
                JniLookups(client).use { jni ->
                    val ids = (1..200).map { "cst_$it" }
                    val answers = runBlocking { ids.map { id -> async(Dispatchers.IO) { jni.getCustomer(id).id } }.awaitAll() }
                    assertEquals(ids.map { client.getCustomerBlocking(it).id }, answers)
                }
            }
        }
    }

    @Test
    fun `it keeps its client until closed, and refuses lookups after`() {
        server.use {
            val jni = client(server.baseUrl).use { client -> JniLookups(client) }
            // The client is closed; JniLookups holds its own reference to the core's client.
            assertEquals("cst_1", jni.getCustomerBlocking("cst_1").id)
            jni.close()
            jni.close() // idempotent
            val e = assertThrows<IllegalStateException> { jni.getCustomerBlocking("cst_1") }
            assertEquals("JniLookups is closed", e.message)
            val token = JniLookups.Cancellation()
            token.close()
            token.cancel() // after close: nothing to reach, and no crash
            assertTrue(token.isCancelled)
        }
    }
}
