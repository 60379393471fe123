package io.juspaycustomer.plugin

import io.juspaycustomer.core.CancellationToken
import io.juspaycustomer.core.ClientConfig
import io.juspaycustomer.core.Credentials
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.CustomerException
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.cancellation.CancellationException
import org.json.JSONObject

/**
 * Everything the Capacitor plugin does, without Capacitor, so it runs on a plain JVM: reads the
 * options of `definitions.ts`, keeps one core client for the configured backend and token,
 * runs and cancels lookups, and turns every outcome into what JavaScript receives.
 *
 * Thread-safe: the bridge calls it from its plugin thread while lookups end on others.
 * Every failure is a [PluginError].
 */
class JuspayCustomerAdapter : AutoCloseable {

    /** One lookup in flight: `cancel(lookupId)` and [close] reach it through [cancellation]. */
    private class Lookup(val customerId: String, val lookupId: String?, val client: SharedClient) {
        val cancellation = CancellationToken()
    }

    private val lock = Any()
    private var config: ClientConfig? = null // with a placeholder token until one is given
    private var client: SharedClient? = null // null until there is a token
    private val inFlight = LinkedHashSet<Lookup>()

    /**
     * Replaces the whole configuration, token included (absent means none until [setToken]).
     * The core checks the URL, token and ranges now, so a bad option fails here rather than at
     * the first lookup; on failure the previous configuration stays.
     */
    fun configure(options: JSONObject) {
        val backendUrl = Options.requiredString(options, "backendUrl")
        val token = Options.optionalString(options, "token")
        val defaults = ClientConfig(backendUrl, Credentials.DeviceToken(PLACEHOLDER_TOKEN))
        val config = defaults.copy(
            deadlineMs = Options.optionalCount(options, "timeoutMs", MAX_MS) ?: defaults.deadlineMs,
            connectTimeoutMs = Options.optionalCount(options, "connectTimeoutMs", MAX_MS) ?: defaults.connectTimeoutMs,
            maxRetries = Options.optionalCount(options, "maxRetries", UInt.MAX_VALUE.toULong())?.toUInt() ?: defaults.maxRetries,
        )
        synchronized(lock) {
            // Without a token the client is built only to have the core validate the rest.
            val built = newClient(config, token ?: PLACEHOLDER_TOKEN)
            if (token == null) built.release()
            this.config = config
            replaceClient(if (token == null) null else built)
        }
    }

    /** Replaces the device token; lookups already running finish with the old one. */
    fun setToken(options: JSONObject) {
        val token = Options.requiredString(options, "token")
        synchronized(lock) {
            val config = config ?: throw PluginError.invalidArgument(PluginError.NOT_CONFIGURED_FOR_SET_TOKEN)
            replaceClient(newClient(config, token))
        }
    }

    /**
     * Looks up `options.customerId` and returns the customer in TypeScript's shape. The lookup
     * is registered under `options.lookupId` before the first suspension point, so a [cancel]
     * right after a start in `CoroutineStart.UNDISPATCHED` finds it. Cancelling the calling
     * coroutine stops the request too (the core's future is dropped) and gives CANCELLED.
     */
    suspend fun getCustomer(options: JSONObject): JSONObject {
        val lookup = synchronized(lock) {
            if (config == null) throw PluginError.invalidArgument(PluginError.NOT_CONFIGURED)
            val client = client ?: throw PluginError.invalidArgument(PluginError.NO_TOKEN)
            val customerId = Options.requiredString(options, "customerId")
            val lookupId = Options.optionalString(options, "lookupId")
            if (lookupId != null) {
                // As the web does: an id names one lookup, or cancel could not tell which.
                if (lookupId.isEmpty()) throw PluginError.invalidArgument("lookupId must be a non-empty string when given")
                if (inFlight.any { it.lookupId == lookupId }) {
                    throw PluginError.invalidArgument("lookupId \"$lookupId\" is already used by a lookup in flight")
                }
            }
            Lookup(customerId, lookupId, client.acquire()).also { inFlight.add(it) }
        }
        try {
            return lookup.client.client.getCustomer(lookup.customerId, lookup.cancellation).toJson()
        } catch (e: CustomerException) {
            throw PluginError.from(e)
        } catch (e: CancellationException) {
            throw PluginError.cancelled()
        } finally {
            synchronized(lock) { inFlight.remove(lookup) }
            lookup.cancellation.close()
            lookup.client.release()
        }
    }

    /** Cancels the lookup started with `options.lookupId`; unknown or finished ids do nothing. */
    fun cancel(options: JSONObject) {
        val lookupId = Options.requiredString(options, "lookupId")
        synchronized(lock) {
            inFlight.filter { it.lookupId == lookupId }.forEach { it.cancellation.cancel() }
        }
    }

    /**
     * Forgets the configuration and cancels every lookup in flight (they end with CANCELLED);
     * the client is closed once the last of them has ended.
     */
    override fun close() {
        synchronized(lock) {
            config = null
            replaceClient(null)
            inFlight.forEach { it.cancellation.cancel() }
        }
    }

    private fun newClient(config: ClientConfig, token: String): SharedClient = try {
        SharedClient(CustomerClient(config.copy(credentials = Credentials.DeviceToken(token))))
    } catch (e: CustomerException) {
        throw PluginError.from(e)
    }

    private fun replaceClient(next: SharedClient?) {
        val previous = client
        client = next
        previous?.release()
    }

    private companion object {
        /** Valid for the core, never sent: a client holding it is closed at once. */
        const val PLACEHOLDER_TOKEN = "unset"
        val MAX_MS = Long.MAX_VALUE.toULong()
    }
}

/**
 * A client shared by the adapter and the lookups using it. Closing it frees the core's
 * connection pool; that waits for the last user, so a new token never cuts a lookup short.
 */
internal class SharedClient(val client: CustomerClient) {
    private val users = AtomicInteger(1) // the adapter's own hold

    /** Called under the adapter's lock while the adapter still holds it, so never at zero. */
    fun acquire(): SharedClient = also { users.incrementAndGet() }

    fun release() {
        if (users.decrementAndGet() == 0) client.close()
    }
}
