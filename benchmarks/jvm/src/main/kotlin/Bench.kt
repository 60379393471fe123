// Kotlin on the JVM: the generated uniffi bindings of the Rust core (JNA) against OkHttp doing the
// same request with the same headers, parsed with org.json, in one JVM. Prints one JSON object.
//
//   java -cp ... BenchKt latency --base-url URL --api-key K --merchant-id M --customer-id ID
//        [--clients uniffi,uniffi-blocking,jni,jni-blocking,okhttp,okhttp-io] [--keep-waker-attached true]
//        [--warmup-ms 2000 --warmup-rounds 2 --duration-ms 2000 --rounds 5]
//   java -cp ... BenchKt cold uniffi|okhttp --base-url URL ...  (a fresh JVM each time)
//
// The library comes from -Duniffi.component.juspay_customer.libraryOverride=/abs/path.so.

import io.juspaycustomer.core.CancellationToken
import io.juspaycustomer.core.ClientConfig
import io.juspaycustomer.core.Credentials
import io.juspaycustomer.core.CustomerClient
import io.juspaycustomer.core.JniLookups
import io.juspaycustomer.core.WakerThreads
import java.lang.management.ManagementFactory
import java.util.Base64
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import okhttp3.OkHttpClient
import okhttp3.Request
import org.json.JSONArray
import org.json.JSONObject

class Options(args: List<String>) {
    val positional = mutableListOf<String>()
    private val named = mutableMapOf<String, String>()

    init {
        var i = 0
        while (i < args.size) {
            if (args[i].startsWith("--")) {
                named[args[i].removePrefix("--")] = args[i + 1]
                i += 2
            } else {
                positional += args[i++]
            }
        }
    }

    fun str(name: String, default: String? = null) =
        named[name] ?: default ?: error("--$name is required")

    fun long(name: String, default: Long) = named[name]?.toLong() ?: default
}

/** The customer as the OkHttp side reads it: the same fields as the core's Customer. */
data class CustomerDto(
    val id: String,
    val objectType: String?,
    val objectReferenceId: String?,
    val firstName: String?,
    val lastName: String?,
    val emailAddress: String?,
    val mobileNumber: String?,
    val mobileCountryCode: String?,
    val dateCreated: String?,
    val lastUpdated: String?,
)

interface Lookup {
    val name: String
    suspend fun lookup(): String
}

/**
 * How the bindings are called: the generated suspend function or the core's blocking entry point
 * (both through JNA), or `JniLookups`' suspend function or blocking call (JNI).
 */
enum class Call { SUSPEND, BLOCKING, JNI_SUSPEND, JNI_BLOCKING }

class UniffiLookup(private val o: Options, attached: Boolean = false, private val call: Call = Call.SUSPEND) : Lookup {
    override val name = when (call) {
        Call.SUSPEND -> if (attached) "uniffi-attached" else "uniffi"
        Call.BLOCKING -> "uniffi-blocking"
        Call.JNI_SUSPEND -> "jni"
        Call.JNI_BLOCKING -> "jni-blocking"
    }
    private val client = CustomerClient(
        ClientConfig(
            baseUrl = o.str("base-url"),
            credentials = Credentials.ApiKey(apiKey = o.str("api-key"), merchantId = o.str("merchant-id")),
        ),
    )
    private val customerId = o.str("customer-id")
    private val jni = JniLookups(client)

    override suspend fun lookup(): String = when (call) {
        Call.SUSPEND -> client.getCustomer(customerId).id
        // On the calling thread, as OkHttp's execute() below.
        Call.BLOCKING -> client.getCustomerBlocking(customerId).id
        // Resumed by the core's callback, no thread parked; compared with okhttp-io below.
        Call.JNI_SUSPEND -> jni.getCustomer(customerId).id
        Call.JNI_BLOCKING -> jni.getCustomerBlocking(customerId).id
    }
}

/**
 * What a hand-written Android client would do: OkHttp, the core's headers, org.json. `execute()`
 * on the calling thread (no thread switch at all: the fastest way to use OkHttp), or, as a
 * coroutine app calls blocking I/O, inside `withContext(Dispatchers.IO)`.
 */
class OkHttpLookup(private val o: Options, private val onIoDispatcher: Boolean = false) : Lookup {
    override val name = if (onIoDispatcher) "okhttp-io" else "okhttp"
    private val client = OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .callTimeout(30, TimeUnit.SECONDS)
        .followRedirects(false)
        .build()
    private val customerId = o.str("customer-id")
    private val basic = Base64.getEncoder().encodeToString("${o.str("api-key")}:".toByteArray())
    private val url = "${o.str("base-url").trimEnd('/')}/customers/$customerId"

    override suspend fun lookup(): String =
        if (onIoDispatcher) withContext(Dispatchers.IO) { execute() } else execute()

    private fun execute(): String {
        val request = Request.Builder()
            .url(url)
            .header("Accept", "application/json")
            .header("Authorization", "Basic $basic")
            .header("x-merchantid", o.str("merchant-id"))
            .header("x-routing-id", customerId)
            .header("version", "2019-05-07")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("User-Agent", "juspay-customer/0.1.0")
            .build()
        client.newCall(request).execute().use { response ->
            check(response.isSuccessful) { "HTTP ${response.code}" }
            val json = JSONObject(response.body!!.string())
            fun opt(key: String): String? = if (json.isNull(key)) null else json.optString(key)
            return CustomerDto(
                id = json.getString("id"),
                objectType = opt("object"),
                objectReferenceId = opt("object_reference_id"),
                firstName = opt("first_name"),
                lastName = opt("last_name"),
                emailAddress = opt("email_address"),
                mobileNumber = opt("mobile_number"),
                mobileCountryCode = opt("mobile_country_code"),
                dateCreated = opt("date_created"),
                lastUpdated = opt("last_updated"),
            ).id
        }
    }
}

/** Sequential lookups for `durationMs`; each one's latency in nanoseconds. */
suspend fun phase(l: Lookup, expected: String, durationMs: Long): Pair<LongArray, Long> {
    val samples = ArrayList<Long>(1 shl 16)
    val started = System.nanoTime()
    val end = started + durationMs * 1_000_000
    while (System.nanoTime() < end) {
        val t0 = System.nanoTime()
        val id = l.lookup()
        samples += System.nanoTime() - t0
        check(id == expected) { "wrong customer $id" }
    }
    return samples.toLongArray() to (System.nanoTime() - started)
}

/** Nearest-rank percentiles in microseconds, as juspay-bench reports them. */
fun summary(samples: LongArray, elapsedNs: Long): JSONObject {
    samples.sort()
    val n = samples.size
    fun rank(p: Double) = if (n == 0) 0.0 else samples[(Math.ceil(p * n).toInt().coerceIn(1, n)) - 1] / 1000.0
    return JSONObject()
        .put("count", n)
        .put("seconds", elapsedNs / 1e9)
        .put("rps", n / (elapsedNs / 1e9))
        .put("p50_us", rank(0.5))
        .put("p90_us", rank(0.9))
        .put("p99_us", rank(0.99))
        .put("max_us", if (n == 0) 0.0 else samples[n - 1] / 1000.0)
        .put("mean_us", if (n == 0) 0.0 else samples.average() / 1000.0)
}

fun latency(o: Options): JSONObject = runBlocking {
    val expected = o.str("customer-id")
    val attached = o.str("keep-waker-attached", "false") == "true"
    // As the Android library ships it (the Capacitor plugin calls it); one JVM per setting.
    if (attached) WakerThreads.keepAttached()
    val clients = o.str("clients", "uniffi,okhttp").split(",").map {
        when (it) {
            "uniffi" -> UniffiLookup(o, attached)
            "uniffi-blocking" -> UniffiLookup(o, call = Call.BLOCKING)
            "jni" -> UniffiLookup(o, call = Call.JNI_SUSPEND)
            "jni-blocking" -> UniffiLookup(o, call = Call.JNI_BLOCKING)
            "okhttp" -> OkHttpLookup(o)
            "okhttp-io" -> OkHttpLookup(o, onIoDispatcher = true)
            else -> error("unknown client $it")
        }
    }
    // Warm-up: both JITs (and both connection pools) well past their first compilations.
    repeat(o.long("warmup-rounds", 2).toInt()) {
        for (c in clients) phase(c, expected, o.long("warmup-ms", 2000))
    }
    val rounds = JSONArray()
    repeat(o.long("rounds", 5).toInt()) { round ->
        // Rotate which goes first, so none always runs right after a GC of another's.
        val shift = round % clients.size
        val order = clients.drop(shift) + clients.take(shift)
        for (c in order) {
            System.gc()
            val (samples, elapsed) = phase(c, expected, o.long("duration-ms", 2000))
            rounds.put(JSONObject().put("round", round).put("client", c.name).put("summary", summary(samples, elapsed)))
        }
    }
    JSONObject()
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("rounds", rounds)
}

fun cold(o: Options): JSONObject {
    val t0 = System.nanoTime()
    val jvmToMainMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().startTime
    val which = o.positional.getOrNull(1) ?: error("cold uniffi|okhttp")
    val out = JSONObject().put("client", which).put("jvm_start_to_main_ms", jvmToMainMs)
    val lookup: Lookup
    if (which == "uniffi") {
        // The first call into the bindings loads JNA and the library and registers every symbol.
        CancellationToken().close()
        val loaded = System.nanoTime()
        out.put("load_library_us", (loaded - t0) / 1000.0)
        lookup = UniffiLookup(o)
        out.put("construct_us", (System.nanoTime() - loaded) / 1000.0)
    } else {
        lookup = OkHttpLookup(o)
        out.put("load_library_us", 0.0)
        out.put("construct_us", (System.nanoTime() - t0) / 1000.0)
    }
    val built = System.nanoTime()
    val id = runBlocking { lookup.lookup() }
    check(id == o.str("customer-id")) { "wrong customer $id" }
    val answered = System.nanoTime()
    return out
        .put("first_lookup_us", (answered - built) / 1000.0)
        .put("main_to_answer_us", (answered - t0) / 1000.0)
}

fun main(args: Array<String>) {
    val o = Options(args.toList())
    val result = when (o.positional.firstOrNull()) {
        "latency" -> latency(o)
        "cold" -> cold(o)
        else -> error("usage: latency | cold uniffi|okhttp, with --base-url --api-key --merchant-id --customer-id")
    }
    println(result)
    // OkHttp's pool and the bindings' cleaner threads would keep the JVM up for a while.
    System.exit(0)
}
