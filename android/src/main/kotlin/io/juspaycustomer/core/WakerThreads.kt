package io.juspaycustomer.core

import com.sun.jna.CallbackThreadInitializer
import com.sun.jna.Native

/**
 * Keeps the native threads that resume suspended lookups attached to the VM.
 *
 * A suspended [CustomerClient.getCustomer] resumes when a thread of the core's runtime calls
 * back into Kotlin through JNA. By default JNA attaches that thread to the VM for the one
 * callback and detaches it afterwards, so every lookup pays an attach and a detach. After
 * [keepAttached], each such thread stays attached, as a daemon thread named [THREAD_NAME] (it
 * never keeps the VM from exiting), until the native thread itself exits: JNA detaches it then.
 * The wake-ups come from the runtime's one thread and, now and then, from a thread of its blocking
 * pool, which exits once idle (and is detached then): a few VM threads, not one per lookup.
 *
 * Apps that call the generated suspend functions call it once, before their first suspend lookup
 * (called after one, it was seen not to take effect); calling it again does nothing. It lives
 * here, beside the generated bindings, because the callback it configures is internal to them.
 */
object WakerThreads {
    /** The VM's name for an attached runtime thread. */
    const val THREAD_NAME = "juspay-customer-waker"

    private val installed by lazy {
        Native.setCallbackThreadInitializer(
            uniffiRustFutureContinuationCallbackImpl,
            CallbackThreadInitializer(true, false, THREAD_NAME),
        )
    }

    fun keepAttached() {
        installed
    }
}
