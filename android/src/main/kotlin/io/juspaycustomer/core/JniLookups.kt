package io.juspaycustomer.core

import kotlinx.coroutines.suspendCancellableCoroutine
import java.nio.ByteBuffer
import java.util.concurrent.atomic.AtomicLong

/**
 * [CustomerClient]'s lookup through JNI instead of JNA: the same core, client, connection pool,
 * answers and errors, at less JVM-side cost than a lookup through the generated bindings (which
 * make six JNA calls per lookup, each allocating native structures for JNA's cleaner; here it is
 * three JNI calls that pass byte arrays, read and written with the generated converters).
 * android/README.md has the numbers; the benchmark suite measures it as `jni` and `jni-blocking`.
 *
 * Build one per client and [close] it when done with it; the client itself stays yours to close
 * (a lookup already running keeps what it needs). Thread-safe. Open, as the generated classes
 * are, so tests can stand in for it.
 *
 * ```
 * val lookups = JniLookups(client)
 * val customer = lookups.getCustomer("cst_1")   // suspends; cancelling the coroutine cancels it
 * ```
 */
open class JniLookups(client: CustomerClient) : AutoCloseable {
    private val handle: Long = JniLookupsNative.open(client.uniffiCloneHandle())

    // 1 for this object's own hold, plus one per call in flight; the handle is freed at 0.
    private val holds = AtomicLong(1)
    private val closed = java.util.concurrent.atomic.AtomicBoolean(false)

    init {
        check(handle != 0L) { "JniLookups: the core did not accept the client's handle" }
    }

    /**
     * [CustomerClient.getCustomer]: the lookup runs on the core's runtime while the caller
     * suspends, and no thread waits for it; the runtime's thread resumes the coroutine through
     * its dispatcher (with [kotlinx.coroutines.Dispatchers.Unconfined] the caller would go on
     * running on that thread: dispatch elsewhere before blocking there). Cancelling the calling
     * coroutine resumes it at once with [kotlin.coroutines.cancellation.CancellationException]
     * and cancels the request; cancelling [cancellation] ends it with
     * [CustomerException.Cancelled].
     */
    @Throws(CustomerException::class)
    open suspend fun getCustomer(
        customerId: String,
        cancellation: Cancellation? = null,
        options: LookupOptions = LookupOptions(),
    ): Customer {
        // The request sees one token: ours, which the coroutine and the caller's token cancel.
        val own = Cancellation()
        val fromToken = cancellation?.onCancel(own::cancel)
        // Held until the core has answered, not only until the coroutine resumes (at once when
        // cancelled): close() then waits for the lookup, as with the blocking call.
        hold()
        val finish = {
            fromToken?.let { cancellation.removeOnCancel(it) }
            own.close()
            release()
        }
        var started = false
        try {
            return suspendCancellableCoroutine { continuation ->
                continuation.invokeOnCancellation { own.cancel() }
                val callback = JniLookupsNative.Callback { answer ->
                    finish()
                    continuation.resumeWith(runCatching { decode(answer) })
                }
                started = own.useHandle { token ->
                    JniLookupsNative.getCustomerAsync(handle, customerId.toByteArray(Charsets.UTF_8), token, encode(options), callback)
                }
                if (!started) throw OutOfMemoryError("JniLookups: no memory to start the lookup")
            }
        } catch (e: Throwable) {
            // Thrown before the core took the lookup: nothing will call the callback.
            if (!started) finish()
            throw e
        }
    }

    /**
     * [CustomerClient.getCustomerBlocking]: blocks the calling thread until the lookup ends.
     * Never call it on a UI thread; cancel it from another thread through [cancellation].
     */
    @Throws(CustomerException::class)
    fun getCustomerBlocking(customerId: String, cancellation: Cancellation? = null, options: LookupOptions = LookupOptions()): Customer =
        held { client ->
            decode(
                cancellation.held { token ->
                    JniLookupsNative.getCustomerBlocking(client, customerId.toByteArray(Charsets.UTF_8), token, encode(options))
                },
            )
        }

    /** Whether [close] has been called and the last lookup in flight has ended. */
    val isClosed: Boolean get() = holds.get() == 0L

    /** Frees this object's hold on the client; lookups in flight finish first. Idempotent. */
    override fun close() {
        if (closed.compareAndSet(false, true)) release()
    }

    private inline fun <T> held(call: (Long) -> T): T {
        hold()
        try {
            return call(handle)
        } finally {
            release()
        }
    }

    private fun hold() {
        while (true) {
            val n = holds.get()
            check(n > 0) { "JniLookups is closed" }
            if (holds.compareAndSet(n, n + 1)) return
        }
    }

    private fun release() {
        if (holds.decrementAndGet() == 0L) JniLookupsNative.close(handle)
    }

    /**
     * Cancels the lookups it is given (they end with [CustomerException.Cancelled]), as
     * [CancellationToken] does for [CustomerClient]. Cancelling is permanent. [close] it after
     * the last lookup that uses it.
     */
    class Cancellation : AutoCloseable {
        private val handle = JniLookupsNative.newCancellation()
        private val holds = AtomicLong(1)
        private val closed = java.util.concurrent.atomic.AtomicBoolean(false)
        private val listeners = java.util.concurrent.CopyOnWriteArrayList<() -> Unit>()

        @Volatile
        var isCancelled = false
            private set

        fun cancel() {
            isCancelled = true
            if (tryHold()) {
                try {
                    JniLookupsNative.cancel(handle)
                } finally {
                    release()
                }
            }
            listeners.forEach { it() }
        }

        override fun close() {
            if (closed.compareAndSet(false, true)) release()
        }

        internal fun onCancel(listener: () -> Unit): () -> Unit {
            listeners.add(listener)
            if (isCancelled) listener()
            return listener
        }

        internal fun removeOnCancel(listener: () -> Unit) {
            listeners.remove(listener)
        }

        internal fun <T> useHandle(call: (Long) -> T): T {
            check(tryHold()) { "JniLookups.Cancellation is closed" }
            try {
                return call(handle)
            } finally {
                release()
            }
        }

        private fun tryHold(): Boolean {
            while (true) {
                val n = holds.get()
                if (n <= 0) return false
                if (holds.compareAndSet(n, n + 1)) return true
            }
        }

        private fun release() {
            if (holds.decrementAndGet() == 0L) JniLookupsNative.freeCancellation(handle)
        }
    }

    private fun <T> Cancellation?.held(call: (Long) -> T): T = if (this == null) call(0L) else useHandle(call)

    private companion object {
        const val ANSWER_CUSTOMER: Byte = 0

        fun encode(options: LookupOptions): ByteArray {
            val buffer = ByteBuffer.allocate(FfiConverterTypeLookupOptions.allocationSize(options).toInt())
            FfiConverterTypeLookupOptions.write(options, buffer)
            return buffer.array()
        }

        /** The core's answer: its first byte says whether a customer or an error follows. */
        fun decode(answer: ByteArray?): Customer {
            if (answer == null) throw OutOfMemoryError("JniLookups: no memory for the answer")
            val buffer = ByteBuffer.wrap(answer, 1, answer.size - 1)
            return when (answer[0]) {
                ANSWER_CUSTOMER -> FfiConverterTypeCustomer.read(buffer)
                else -> throw FfiConverterTypeCustomerError.read(buffer)
            }
        }
    }
}

/** The JNI functions of rust-core/src/jni_lookups.rs, in the library the bindings load. */
private object JniLookupsNative {
    init {
        // The library the bindings load: their override (a path or a name) if set, else the packaged one.
        val name = System.getProperty("uniffi.component.juspay_customer.libraryOverride") ?: "juspay_customer"
        if (java.io.File(name).isAbsolute) System.load(name) else System.loadLibrary(name)
    }

    @JvmStatic external fun open(uniffiHandle: Long): Long

    @JvmStatic external fun close(client: Long)

    @JvmStatic external fun newCancellation(): Long

    @JvmStatic external fun cancel(cancellation: Long)

    @JvmStatic external fun freeCancellation(cancellation: Long)

    @JvmStatic external fun getCustomerBlocking(client: Long, customerId: ByteArray, cancellation: Long, options: ByteArray): ByteArray?

    /** Starts the lookup; false (with an exception pending) only when it could not start. */
    @JvmStatic external fun getCustomerAsync(client: Long, id: ByteArray, token: Long, options: ByteArray, done: Callback): Boolean

    /** Called once per started lookup, on a thread of the core's runtime, with its answer. */
    fun interface Callback {
        fun complete(answer: ByteArray?)
    }
}
