package io.juspaycustomer.plugin.support

import com.getcapacitor.JSObject
import com.getcapacitor.MessageHandler
import com.getcapacitor.Plugin
import com.getcapacitor.PluginCall
import com.getcapacitor.PluginMethod
import com.getcapacitor.PluginResult
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import org.json.JSONObject

/** What a call posted to JavaScript: exactly one of them per call. */
sealed interface Answer {
    /** `resolve(data)`; `data` is JSON null for `resolve()`. */
    data class Resolved(val data: Any) : Answer
    /** `reject(...)`: the `{message, code, data}` object JavaScript's error is built from. */
    data class Rejected(val error: JSONObject) : Answer
}

/**
 * Drives a plugin the way Capacitor's bridge does: finds the @PluginMethod by name through
 * reflection and hands it a real PluginCall, whose answers reach a MessageHandler; this one
 * keeps them instead of posting them to a WebView.
 */
class PluginHarness(private val plugin: Plugin) {
    private val ids = AtomicInteger()

    class Recorder : MessageHandler() {
        val answers = mutableListOf<Answer>()
        val first = CompletableFuture<Answer>()

        override fun sendResponseMessage(call: PluginCall, successResult: PluginResult?, errorResult: PluginResult?) {
            val answer = if (errorResult != null) {
                Answer.Rejected(JSONObject(errorResult.toString()))
            } else {
                Answer.Resolved(successResult?.let { JSONObject(it.toString()) } ?: JSONObject.NULL)
            }
            synchronized(answers) { answers += answer }
            first.complete(answer)
        }
    }

    /** A call in flight; [await] gives its answer and checks there was only one. */
    class Pending(private val recorder: Recorder) {
        fun await(seconds: Long = 15): Answer {
            val answer = recorder.first.get(seconds, TimeUnit.SECONDS)
            Thread.sleep(20) // a second answer would come at once; give it the chance to show
            check(synchronized(recorder.answers) { recorder.answers.size } == 1) { "the call was answered more than once" }
            return answer
        }
    }

    fun start(method: String, options: JSONObject): Pending {
        val recorder = Recorder()
        // The bridge builds the call's data by parsing the JSON JavaScript sent.
        val call = PluginCall(recorder, "JuspayCustomer", "cb-${ids.incrementAndGet()}", method, JSObject(options.toString()))
        val target = plugin.javaClass.getMethod(method, PluginCall::class.java)
        check(target.isAnnotationPresent(PluginMethod::class.java)) { "$method is not a @PluginMethod" }
        target.invoke(plugin, call)
        return Pending(recorder)
    }

    fun call(method: String, options: JSONObject): Answer = start(method, options).await()

    /** What the bridge calls when the app's activity is destroyed. */
    fun destroy() {
        val method = plugin.javaClass.getDeclaredMethod("handleOnDestroy")
        method.isAccessible = true
        method.invoke(plugin)
    }
}
