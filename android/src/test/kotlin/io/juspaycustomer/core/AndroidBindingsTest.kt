package io.juspaycustomer.core

import android.os.Build
import android.system.SystemCleaner
import io.juspaycustomer.testing.KeepAliveServer
import io.juspaycustomer.testing.Request
import java.lang.ref.WeakReference
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/**
 * The Android variant of the generated bindings (src/main/generated), run on Android 14's
 * framework classes through the real core (the host build, loaded by JNA through uniffi's
 * `libraryOverride` property): it takes Android's SystemCleaner, looks a customer up, and a client
 * nobody closed is freed by that cleaner.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [Build.VERSION_CODES.UPSIDE_DOWN_CAKE])
class AndroidBindingsTest {
    private val server = KeepAliveServer()

    @After
    fun stop() = server.close()

    private fun newClient() = CustomerClient(ClientConfig(server.baseUrl, Credentials.DeviceToken("tok_android")))

    @Test
    fun `on API 34 the bindings take Android's SystemCleaner`() {
        assertEquals(34, Build.VERSION.SDK_INT)
        val cleaner = UniffiLib.CLEANER
        assertEquals("AndroidSystemCleaner", cleaner.javaClass.simpleName)
        val wrapped = cleaner.javaClass.getDeclaredField("cleaner").apply { isAccessible = true }.get(cleaner)
        assertSame(SystemCleaner.cleaner(), wrapped)
    }

    @Test
    fun `a lookup through the Android bindings and the real core`() {
        newClient().use { client ->
            val customer = runBlocking { client.getCustomer("cst_android") }
            assertEquals("cst_android", customer.id)
            assertEquals("Asha", customer.firstName)
            assertNull(customer.lastName)
        }
        assertEquals(listOf(Request("/customers/cst_android", "Bearer tok_android")), server.requests)
    }

    @Test
    fun `a client nobody closes is freed by SystemCleaner, and its pooled connection with it`() {
        val client = lookUpAndLetGo()
        val deadline = System.nanoTime() + 20_000_000_000L
        while ((client.get() != null || server.connectionsClosedByClient == 0) && System.nanoTime() < deadline) {
            System.gc()
            server.await(100) { connectionsClosedByClient > 0 }
        }
        assertNull("the client was never collected", client.get())
        assertEquals("the core's connection pool was not freed", 1, server.connectionsClosedByClient)
    }

    /** One lookup, its connection left in the core's pool; then only a weak reference remains. */
    private fun lookUpAndLetGo(): WeakReference<CustomerClient> {
        val client = newClient()
        runBlocking { client.getCustomer("cst_pooled") }
        // Alive, the client keeps its connection: what closes it below is the cleaner.
        assertTrue(!server.await(500) { connectionsClosedByClient > 0 })
        assertEquals(1, server.connectionsOpened)
        return WeakReference(client)
    }
}
