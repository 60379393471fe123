package io.juspaycustomer.plugin

import com.getcapacitor.JSObject
import com.getcapacitor.Plugin
import com.getcapacitor.PluginCall
import com.getcapacitor.PluginMethod
import com.getcapacitor.annotation.CapacitorPlugin
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch

/**
 * The Capacitor bridge to [JuspayCustomerAdapter]: one method per method of
 * `JuspayCustomerPlugin` in `definitions.ts`. It only moves `PluginCall`s in and answers out;
 * everything else is the adapter's, which the JVM tests run.
 */
@CapacitorPlugin(name = "JuspayCustomer")
class JuspayCustomerPlugin internal constructor(private val adapter: JuspayCustomerAdapter) : Plugin() {

    /** The constructor Capacitor uses; tests hand in an adapter of their own. */
    constructor() : this(JuspayCustomerAdapter())

    // Lookups outlive the bridge call that starts them; one failing must not cancel the others.
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    @PluginMethod
    fun configure(call: PluginCall) {
        answer(call) {
            adapter.configure(call.data)
            call.resolve()
        }
    }

    @PluginMethod
    fun setToken(call: PluginCall) {
        answer(call) {
            adapter.setToken(call.data)
            call.resolve()
        }
    }

    @PluginMethod
    fun getCustomer(call: PluginCall) {
        // UNDISPATCHED: the lookup is registered before this method returns, so a cancel() the
        // bridge delivers next finds it; it also runs (and rejects) if the scope is already gone.
        scope.launch(start = CoroutineStart.UNDISPATCHED) {
            answer(call) { call.resolve(JSObject.fromJSONObject(adapter.getCustomer(call.data))) }
        }
    }

    @PluginMethod
    fun cancel(call: PluginCall) {
        answer(call) {
            adapter.cancel(call.data)
            call.resolve()
        }
    }

    override fun handleOnDestroy() {
        scope.cancel()
        adapter.close()
    }

    /**
     * Runs [action], which resolves [call]; whatever it throws rejects the call. The adapter
     * throws only [PluginError]s; anything else would be a bug here, and still settles the call
     * as an internal error rather than escaping to the bridge or the coroutine.
     */
    private inline fun answer(call: PluginCall, action: () -> Unit) {
        try {
            action()
        } catch (e: Exception) {
            val error = e as? PluginError ?: PluginError.internalError(e)
            call.reject(error.message, error.code, null, JSObject.fromJSONObject(error.data))
        }
    }
}
