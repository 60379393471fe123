package io.juspaycustomer.core

import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** [WakerThreads.keepAttached] through the real generated bindings and JNA. */
class WakerThreadsTest {
    private fun wakers() = Thread.getAllStackTraces().keys.filter { it.name == WakerThreads.THREAD_NAME }

    @Test
    fun `the threads that resume lookups stay attached as a few daemon threads, not one per lookup`() {
        WakerThreads.keepAttached()
        WakerThreads.keepAttached() // a second call changes nothing
        LoopbackServer { Reply(200, LoopbackServer.customerFor(it.path)) }.use { server ->
            CustomerClient(ClientConfig(server.baseUrl, Credentials.DeviceToken("t"))).use { client ->
                runBlocking { repeat(100) { assertEquals("cst_$it", client.getCustomer("cst_$it").id) } }
            }
        }
        // Between lookups: detached after each callback (JNA's default), no thread would be here.
        val wakers = wakers()
        assertTrue(wakers.isNotEmpty(), "no attached waker thread after 100 lookups")
        assertTrue(wakers.size <= 8, "${wakers.size} waker threads after 100 lookups: one per lookup?")
        assertTrue(wakers.all { it.isDaemon }, "a waker thread would keep the VM from exiting")
    }
}
