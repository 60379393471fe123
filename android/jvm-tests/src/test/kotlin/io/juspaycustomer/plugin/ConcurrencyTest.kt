package io.juspaycustomer.plugin

import io.juspaycustomer.core.ClientConfig
import io.juspaycustomer.core.Credentials
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.JniLookups
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import io.juspaycustomer.plugin.support.options
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Many lookups at once through one adapter, and a token replaced while lookups run. */
class ConcurrencyTest {
    private val server = LoopbackServer { Reply(200, LoopbackServer.customerFor(it.path), delayMs = 50) }
    private val adapter = JuspayCustomerAdapter()

    @AfterEach
    fun stop() {
        adapter.close()
        server.close()
    }

    @Test
    fun `100 concurrent lookups from coroutines each get their own customer`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "t"))
        val ids = (0 until 100).map { "cst_$it" }
        val customers = ids.map { id ->
            async(Dispatchers.Default) { adapter.getCustomer(options("customerId" to id, "lookupId" to id)) }
        }.awaitAll()
        assertEquals(ids, customers.map { it.getString("id") })
        assertEquals(ids.map { "/customers/$it" }.toSet(), server.received.map { it.path }.toSet())
        assertEquals(100, server.received.size)
        assertTrue(server.peakConcurrency > 1, "the lookups overlapped (peak ${server.peakConcurrency})")
    }

    @Test
    fun `a lookup running when the token changes finishes with the old token`() = runBlocking {
        adapter.configure(options("backendUrl" to server.baseUrl, "token" to "old"))
        val running = async(Dispatchers.Default) { adapter.getCustomer(options("customerId" to "cst_1")) }
        while (server.received.isEmpty()) Thread.sleep(5)
        adapter.setToken(options("token" to "new"))
        val after = adapter.getCustomer(options("customerId" to "cst_2"))
        assertEquals("cst_1", running.await().getString("id"))
        assertEquals("cst_2", after.getString("id"))
        assertEquals(listOf("Bearer old", "Bearer new"), server.received.map { it.authorization })
    }

    @Test
    fun `a replaced client is closed only when its last lookup has ended`() {
        val client = CustomerClient(ClientConfig(server.baseUrl, Credentials.DeviceToken("t")))
        val shared = SharedClient(JniLookups(client).also { client.close() })
        val lookup = shared.acquire()
        shared.release() // the adapter lets go (setToken, configure or close)
        assertFalse(shared.lookups.isClosed, "still in use by the lookup")
        lookup.release()
        assertTrue(shared.lookups.isClosed)
    }
}
