package io.juspaycustomer.core

import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * A Kotlin TokenProvider with the generated CustomerClient, as a native Android team uses it
 * without Capacitor. The server answers Juspay's 401 unless the token is the provider's fresh one.
 */
class TokenProviderTest {
    private val server = LoopbackServer { request ->
        if (request.authorization == "Bearer $FRESH") Reply(200, LoopbackServer.customerFor(request.path), delayMs = 20)
        else Reply(401, LoopbackServer.juspay401(), delayMs = 20)
    }

    @AfterEach
    fun stop() = server.close()

    /** Hands out a stale token first and the fresh one when asked to refresh; records each ask. */
    private class RotatingProvider(private val fetchDelayMs: Long = 0, private val freshToken: String = FRESH) : TokenProvider {
        val asks: MutableList<Boolean> = Collections.synchronizedList(mutableListOf())

        override suspend fun token(forceRefresh: Boolean): String {
            asks += forceRefresh
            delay(fetchDelayMs) // a network round trip to the merchant's backend
            return if (forceRefresh) freshToken else STALE
        }
    }

    private fun client(provider: TokenProvider) =
        CustomerClient(ClientConfig(server.baseUrl, Credentials.TokenProvider(provider)))

    @Test
    fun `a 401 makes one forced refresh and one retry, and the refreshed token is then reused`() = runBlocking {
        val provider = RotatingProvider()
        client(provider).use { client ->
            assertEquals("cst_1", client.getCustomer("cst_1").id)
            assertEquals(listOf(false, true), provider.asks)
            assertEquals(listOf("Bearer $STALE", "Bearer $FRESH"), server.received.map { it.authorization })

            assertEquals("cst_2", client.getCustomer("cst_2").id)
            assertEquals(listOf(false, true), provider.asks, "the cached token is used, not asked again")
            assertEquals(3, server.received.size)
        }
    }

    @Test
    fun `concurrent lookups refused together share one refresh`() = runBlocking {
        val provider = RotatingProvider(fetchDelayMs = 100)
        client(provider).use { client ->
            val ids = (1..16).map { "cst_$it" }
            val customers = ids.map { id -> async(Dispatchers.Default) { client.getCustomer(id) } }.awaitAll()
            assertEquals(ids, customers.map { it.id })
            assertEquals(listOf(false, true), provider.asks, "one first fetch and one refresh for all 16")
            assertEquals(16, server.received.count { it.authorization == "Bearer $FRESH" })
        }
    }

    @Test
    fun `a token still refused after the refresh is UNAUTHORIZED with Juspay's details`() = runBlocking {
        val provider = RotatingProvider(freshToken = "also-rejected")
        client(provider).use { client ->
            val e = assertThrows<CustomerException.Unauthorized> { runBlocking { client.getCustomer("cst_1") } }
            assertEquals("UNAUTHORIZED", e.code())
            assertEquals("Invalid API Key. Please pass a valid and active api key.", e.details().message)
            assertEquals(401.toUShort(), e.details().httpStatus)
            assertEquals("b2e0fd33-7655-4778-83a8-5179ed21b0b7", e.details().requestId)
            assertFalse(e.isRetryable())
            assertEquals(listOf(false, true), provider.asks, "exactly one forced refresh per 401")
            assertEquals(2, server.received.size)
        }
    }

    @Test
    fun `an undeclared exception from the provider is UNAUTHORIZED, not a crash`() = runBlocking {
        val calls = AtomicInteger()
        val throwing = object : TokenProvider {
            override suspend fun token(forceRefresh: Boolean): String {
                calls.incrementAndGet()
                throw IllegalStateException("user signed out")
            }
        }
        client(throwing).use { client ->
            val e = assertThrows<CustomerException.Unauthorized> { runBlocking { client.getCustomer("cst_1") } }
            assertEquals("token provider: unexpected error: java.lang.IllegalStateException: user signed out", e.details().message)
            assertEquals(0, server.received.size, "nothing is sent without a token")
            // The client is still usable, and a failed fetch is asked again rather than cached.
            assertThrows<CustomerException.Unauthorized> { runBlocking { client.getCustomer("cst_1") } }
            assertEquals(2, calls.get())
        }
    }

    @Test
    fun `the provider's declared errors map to UNAUTHORIZED and to retryable NETWORK`() = runBlocking {
        val refusing = object : TokenProvider {
            override suspend fun token(forceRefresh: Boolean): String = throw TokenProviderException.Unauthorized("signed out")
        }
        val down = object : TokenProvider {
            override suspend fun token(forceRefresh: Boolean): String = throw TokenProviderException.Unavailable("backend down")
        }
        client(refusing).use { client ->
            val e = assertThrows<CustomerException> { runBlocking { client.getCustomer("cst_1") } }
            assertEquals("UNAUTHORIZED", e.code())
            assertEquals("token provider: signed out", e.details().message)
        }
        client(down).use { client ->
            val e = assertThrows<CustomerException> { runBlocking { client.getCustomer("cst_1") } }
            assertEquals("NETWORK", e.code())
            assertEquals("token provider: backend down", e.details().message)
            assertTrue(e.isRetryable())
        }
        assertEquals(0, server.received.size)
    }

    private companion object {
        const val STALE = "stale-token"
        const val FRESH = "fresh-token"
    }
}
