package io.juspaycustomer.plugin

import io.juspaycustomer.core.ClientConfig
import io.juspaycustomer.core.Credentials
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.LookupOptions
import io.juspaycustomer.plugin.support.LoopbackServer
import io.juspaycustomer.plugin.support.Reply
import io.juspaycustomer.plugin.support.Vectors
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test

/**
 * Printing the bindings' records never shows personal data or secrets: Customer, ClientConfig
 * and Credentials print through the core's redacting Display (uniffi's toString), not the data
 * class's own, which would list every field. A log line with a customer in it stays clean.
 */
class PrintingTest {
    private val documented = Vectors.all().first { it.name == "200-documented" }
    private val email = documented.expectedCustomer!!.getString("emailAddress")
    private val mobile = documented.expectedCustomer!!.getString("mobileNumber")
    private val server = LoopbackServer {
        Reply(
            200,
            JSONObject(documented.json.getJSONArray("responses").getJSONObject(0).getJSONObject("json").toString())
                .put("juspay", JSONObject().put("client_auth_token", CLIENT_AUTH_TOKEN).put("client_auth_token_expiry", EXPIRY)),
        )
    }

    @AfterEach
    fun stop() = server.close()

    private fun printed(value: Any): List<String> = listOf(value.toString(), "$value", listOf(value).toString())

    @Test
    fun `a customer from a real lookup prints neither email nor mobile number`() = runBlocking {
        CustomerClient(ClientConfig(server.baseUrl, Credentials.DeviceToken(TOKEN))).use { client ->
            val customer = client.getCustomer("cst_tooedar2k7j1d60b")
            // The lookup did return them; printing must not show them.
            assertEquals(email, customer.emailAddress)
            assertEquals(mobile, customer.mobileNumber)
            for (text in printed(customer)) {
                assertTrue("cst_tooedar2k7j1d60b" in text, "the id is shown: $text")
                assertFalse(email in text, "email in: $text")
                assertFalse(mobile in text, "mobile number in: $text")
            }
        }
    }

    @Test
    fun `a customer with a client auth token prints neither the token nor the adapter's JSON of it`() = runBlocking {
        CustomerClient(ClientConfig(server.baseUrl, Credentials.DeviceToken(TOKEN))).use { client ->
            val customer = client.getCustomer("cst_tooedar2k7j1d60b", null, LookupOptions(clientAuthToken = true))
            val auth = customer.juspay ?: fail("no client auth token")
            assertEquals(CLIENT_AUTH_TOKEN, auth.clientAuthToken)
            for (text in printed(customer) + printed(auth)) {
                assertFalse(CLIENT_AUTH_TOKEN in text, "client auth token in: $text")
                assertTrue(EXPIRY in text, "the expiry is shown: $text")
            }
        }
    }

    @Test
    fun `a configuration prints no token and no API key`() {
        val withToken = ClientConfig(server.baseUrl, Credentials.DeviceToken(TOKEN))
        val withKey = ClientConfig("https://api.juspay.in", Credentials.ApiKey(API_KEY, "merchant_1", null))
        for (text in printed(withToken) + printed(withToken.credentials) + printed(withKey) + printed(withKey.credentials)) {
            assertFalse(TOKEN in text, "token in: $text")
            assertFalse(API_KEY in text, "API key in: $text")
        }
        assertTrue(server.baseUrl in withToken.toString(), "the rest is shown: $withToken")
    }

    private companion object {
        const val TOKEN = "device-token-SECRET-4711"
        const val API_KEY = "sk_test_SECRET0815"
        const val CLIENT_AUTH_TOKEN = "cat-SECRET-2718"
        const val EXPIRY = "2030-01-01T00:15:00Z"
    }
}
