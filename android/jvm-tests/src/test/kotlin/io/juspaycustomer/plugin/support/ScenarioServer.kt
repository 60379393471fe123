package io.juspaycustomer.plugin.support

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit
import org.json.JSONArray

/**
 * The real `juspay-scenario-server` binary playing every shared vector over loopback, each under
 * `/{name}`, with its control endpoints for what each vector received.
 */
class ScenarioServer : AutoCloseable {
    private val process: Process = ProcessBuilder(
        Paths.scenarioServer.path, "--vectors", Paths.vectors.path, "--listen", "127.0.0.1:0",
    ).redirectError(ProcessBuilder.Redirect.INHERIT).start()

    /** `http://127.0.0.1:PORT`, from the line the server prints once it listens. */
    val origin: String

    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    init {
        val line = process.inputStream.bufferedReader().readLine()
        origin = line?.let { Regex("^listening on (http://\\S+)$").find(it)?.groupValues?.get(1) }
            ?: run { close(); error("scenario server did not start: printed $line") }
    }

    fun baseUrl(vector: String) = "$origin/$vector"

    /** Every request vector [name] received: `{method, path, headers}` with lowercase headers. */
    fun requests(name: String): JSONArray {
        val response = send(HttpRequest.newBuilder(URI("$origin/__control/$name/requests")).GET())
        return JSONArray(response)
    }

    fun reset(name: String) {
        send(HttpRequest.newBuilder(URI("$origin/__control/$name/reset")).POST(HttpRequest.BodyPublishers.noBody()))
    }

    private fun send(request: HttpRequest.Builder): String {
        val response = http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) { "control endpoint answered ${response.statusCode()}" }
        return response.body()
    }

    override fun close() {
        // It also stops when its stdin closes, so a crashed JVM takes it along.
        process.outputStream.close()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }
}
