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
class JuspayCustomerPlugin : Plugin() {

    private val adapter = JuspayCustomerAdapter()

    // Lookups outlive the bridge call that starts them; one failing must not cancel the others.
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    @PluginMethod
    fun configure(call: PluginCall) {
        answer(call) { adapter.configure(call.data) }
    }

    @PluginMethod
    fun setToken(call: PluginCall) {
        answer(call) { adapter.setToken(call.data) }
    }

    @PluginMethod
    fun getCustomer(call: PluginCall) {
        // UNDISPATCHED: the lookup is registered before this method returns, so a cancel() the
        // bridge delivers next finds it; it also runs (and rejects) if the scope is already gone.
        scope.launch(start = CoroutineStart.UNDISPATCHED) {
            try {
                call.resolve(JSObject.fromJSONObject(adapter.getCustomer(call.data)))
            } catch (e: PluginError) {
                reject(call, e)
            } catch (e: Exception) {
                // Only a bug can get here (uniffi's InternalException for a panic in the core);
                // the other methods get the same from the bridge. Settle the call, don't crash.
                call.reject(e.toString(), null, null, null)
            }
        }
    }

    @PluginMethod
    fun cancel(call: PluginCall) {
        answer(call) { adapter.cancel(call.data) }
    }

    override fun handleOnDestroy() {
        scope.cancel()
        adapter.close()
    }

    private inline fun answer(call: PluginCall, action: () -> Unit) {
        try {
            action()
            call.resolve()
        } catch (e: PluginError) {
            reject(call, e)
        }
    }

    private fun reject(call: PluginCall, e: PluginError) {
        call.reject(e.message, e.code, null, JSObject.fromJSONObject(e.data))
    }
}
