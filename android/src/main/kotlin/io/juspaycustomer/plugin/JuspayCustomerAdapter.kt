package io.juspaycustomer.plugin

import io.juspaycustomer.core.ClientConfig
import io.juspaycustomer.core.Credentials
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.CustomerException
import io.juspaycustomer.core.JniLookups
import io.juspaycustomer.core.LookupOptions
import io.juspaycustomer.core.checkEndpoint
import io.juspaycustomer.core.coreConstants
import org.json.JSONObject
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.cancellation.CancellationException

/**
 * Everything the Capacitor plugin does, without Capacitor, so it runs on a plain JVM: reads the
 * options of `definitions.ts`, keeps one core client for the configured backend and token,
 * runs and cancels lookups, and turns every outcome into what JavaScript receives. How each call
 * answers (checks, their order, messages) is src-ts/contract/plugin-calls.json, which the JVM
 * suite runs here and through the plugin class.
 *
 * Thread-safe: the bridge calls it from its plugin thread while lookups end on others.
 * Every failure is a [PluginError].
 *
 * Lookups go through [JniLookups] (JNI), not the generated suspend function (JNA): the same core
 * at less JVM-side cost per lookup.
 *
 * [newCoreClient] is the core's constructor and [newLookups] wraps a client for lookups; tests
 * pass others to reach failures the real core cannot be made to produce.
 */
class JuspayCustomerAdapter internal constructor(
    private val newCoreClient: (ClientConfig) -> CustomerClient,
    private val newLookups: (CustomerClient) -> JniLookups = { JniLookups(it) },
) : AutoCloseable {

    constructor() : this({ CustomerClient(it) })

    /** One lookup in flight: `cancel(lookupId)` and [close] reach it through [cancellation]. */
    private class Lookup(
        val customerId: String,
        val lookupId: String?,
        val options: LookupOptions,
        val client: SharedClient,
    ) {
        val cancellation = JniLookups.Cancellation()
    }

    /** What `configure` gave but the token; each token gets a client built from it. */
    private data class Endpoint(
        val baseUrl: String,
        val connectTimeoutMs: ULong,
        val deadlineMs: ULong,
        val maxRetries: UInt,
        val spkiPins: List<String>,
        val cacheTtlMs: ULong,
    ) {
        fun config(token: String) = ClientConfig(
            baseUrl,
            Credentials.DeviceToken(token),
            connectTimeoutMs = connectTimeoutMs,
            deadlineMs = deadlineMs,
            maxRetries = maxRetries,
            spkiPins = spkiPins,
            cacheTtlMs = cacheTtlMs,
        )
    }

    private val lock = Any()
    private var endpoint: Endpoint? = null // null until configured
    private var client: SharedClient? = null // null until there is a token
    private val inFlight = LinkedHashSet<Lookup>()

    /**
     * Replaces the whole configuration, token included (absent means none until [setToken]).
     * The adapter checks the types and numbers, then the core checks the URL and the token, so
     * a bad option fails here rather than at the first lookup; on failure nothing changes.
     */
    fun configure(options: JSONObject) {
        val backendUrl = Options.requiredString(options, "backendUrl")
        val token = Options.optionalString(options, "token")
        val timeoutMs = Options.optionalInteger(options, "timeoutMs", 1, CORE.maxTimeoutMs.toInt())
        val connectTimeoutMs = Options.optionalInteger(options, "connectTimeoutMs", 1, CORE.maxTimeoutMs.toInt())
        val maxRetries = Options.optionalInteger(options, "maxRetries", 0, CORE.maxRetries.toInt())
        val cacheTtlMs = Options.optionalInteger(options, "cacheTtlMs", 0, CORE.maxCacheTtlMs.toInt())
        val pins = Options.optionalStringList(options, "pins")
        // The core's defaults for what was not given.
        val endpoint = Endpoint(
            baseUrl = backendUrl,
            connectTimeoutMs = connectTimeoutMs?.toULong() ?: CORE.defaultConnectTimeoutMs,
            deadlineMs = timeoutMs?.toULong() ?: CORE.defaultDeadlineMs,
            maxRetries = maxRetries?.toUInt() ?: CORE.defaultMaxRetries,
            spkiPins = pins,
            cacheTtlMs = cacheTtlMs?.toULong() ?: 0u,
        )
        synchronized(lock) {
            // Without a token there is no client yet: the core checks the URL and the pins alone.
            val built = if (token == null) null.also { core { checkEndpoint(backendUrl, pins) } } else newClient(endpoint, token)
            this.endpoint = endpoint
            replaceClient(built)
        }
    }

    /**
     * Replaces the device token; lookups already running finish with the old one. The new
     * client starts with an empty cache: nothing fetched under the old token is given under it.
     */
    fun setToken(options: JSONObject) {
        synchronized(lock) {
            val endpoint = endpoint ?: throw PluginError.invalidArgument(PluginError.NOT_CONFIGURED_FOR_SET_TOKEN)
            replaceClient(newClient(endpoint, Options.requiredString(options, "token")))
        }
    }

    /**
     * Looks up `options.customerId` (with Juspay's client auth token when
     * `options.clientAuthToken` is true) and returns the customer in TypeScript's shape. The lookup
     * is registered under `options.lookupId` before the first suspension point, so a [cancel]
     * right after a start in `CoroutineStart.UNDISPATCHED` finds it. Cancelling the calling
     * coroutine stops the request too (through its cancellation) and gives CANCELLED.
     */
    suspend fun getCustomer(options: JSONObject): JSONObject {
        val lookup = synchronized(lock) {
            if (endpoint == null) throw PluginError.invalidArgument(PluginError.NOT_CONFIGURED)
            val client = client ?: throw PluginError.invalidArgument(PluginError.NO_TOKEN)
            val customerId = Options.requiredString(options, "customerId")
            val lookupId = Options.optionalString(options, "lookupId")
            val lookupOptions = LookupOptions(clientAuthToken = Options.optionalBoolean(options, "clientAuthToken"))
            if (lookupId != null) {
                // An id names one lookup, or cancel could not tell which.
                if (lookupId.isEmpty()) throw PluginError.invalidArgument("lookupId must not be empty")
                if (inFlight.any { it.lookupId == lookupId }) {
                    throw PluginError.invalidArgument("lookupId \"$lookupId\" is already used by a lookup in flight")
                }
            }
            Lookup(customerId, lookupId, lookupOptions, client.acquire()).also { inFlight.add(it) }
        }
        try {
            return lookup.client.lookups.getCustomer(lookup.customerId, lookup.cancellation, lookup.options).toJson()
        } catch (e: CustomerException) {
            throw PluginError.from(e)
        } catch (e: CancellationException) {
            throw PluginError.cancelled()
        } catch (e: Exception) {
            throw PluginError.internalError(e)
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
            endpoint = null
            replaceClient(null)
            inFlight.forEach { it.cancellation.cancel() }
        }
    }

    private fun newClient(endpoint: Endpoint, token: String): SharedClient = core {
        val client = newCoreClient(endpoint.config(token))
        // The lookups hold the core's client themselves, so this handle can go at once.
        try {
            SharedClient(newLookups(client))
        } finally {
            client.close()
        }
    }

    /** Runs a call into the core, turning what it throws into the [PluginError] JavaScript gets. */
    private fun <T> core(call: () -> T): T = try {
        call()
    } catch (e: CustomerException) {
        throw PluginError.from(e)
    } catch (e: Exception) {
        throw PluginError.internalError(e)
    }

    private fun replaceClient(next: SharedClient?) {
        val previous = client
        client = next
        previous?.release()
    }

    private companion object {
        /** The core's bounds and defaults, checked here too to name the TypeScript option. */
        val CORE = coreConstants()
    }
}

/**
 * A client shared by the adapter and the lookups using it. Closing it frees the core's
 * connection pool; that waits for the last user, so a new token never cuts a lookup short.
 */
internal class SharedClient(val lookups: JniLookups) {
    private val users = AtomicInteger(1) // the adapter's own hold

    /** Called under the adapter's lock while the adapter still holds it, so never at zero. */
    fun acquire(): SharedClient = also { users.incrementAndGet() }

    fun release() {
        if (users.decrementAndGet() == 0) lookups.close()
    }
}
