package io.juspaycustomer.core

import io.juspaycustomer.plugin.support.HangingServer
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The core's blocking entry point through the real generated bindings, on plain JVM threads. */
class BlockingLookupTest {
    private fun client(baseUrl: String) = CustomerClient(ClientConfig(baseUrl, Credentials.DeviceToken("t")))

    @Test
    fun `it answers as the suspend function does, errors included`() {
        LoopbackServer { Reply(if (it.path.endsWith("/missing")) 404 else 200, LoopbackServer.customerFor(it.path)) }.use { server ->
            client(server.baseUrl).use { client ->
                assertEquals(runBlocking { client.getCustomer("cst_1") }, client.getCustomerBlocking("cst_1"))
                val blocking = assertThrows<CustomerException> { client.getCustomerBlocking("missing") }
                val suspending = assertThrows<CustomerException> { runBlocking { client.getCustomer("missing") } }
                assertEquals(suspending.code(), blocking.code())
                assertEquals(suspending.message, blocking.message)
            }
        }
    }

    @Test
    fun `a cancel from another thread ends it with CANCELLED and closes the connection`() {
        HangingServer().use { server ->
            client(server.baseUrl).use { client ->
                CancellationToken().use { token ->
                    var outcome: Result<Customer>? = null
                    val lookup = thread { outcome = runCatching { client.getCustomerBlocking("cst_1", token) } }
                    server.awaitRequests(1)
                    val cancelledAt = System.nanoTime()
                    token.cancel()
                    lookup.join(5_000)
                    val error = outcome?.exceptionOrNull() as? CustomerException ?: error("expected CANCELLED, got $outcome")
                    assertEquals("CANCELLED", error.code())
                    val closedAfterMs = (server.clientClosed.get(5, TimeUnit.SECONDS) - cancelledAt) / 1_000_000
                    assertTrue(closedAfterMs < 1_000, "connection closed $closedAfterMs ms after cancelling")
                }
            }
        }
    }
}
