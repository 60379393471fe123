package io.juspaycustomer.plugin.support

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.util.Collections
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import org.json.JSONObject

/** What a test's server received: the raw path and the Authorization header. */
data class Received(val path: String, val authorization: String?)

/** A test's answer: status and JSON body. */
data class Reply(val status: Int, val body: JSONObject, val delayMs: Long = 0)

/**
 * A small HTTP server on 127.0.0.1 (the JDK's), answering every request with [respond]. It
 * records each request and how many were being answered at once.
 */
class LoopbackServer(private val respond: (Received) -> Reply) : AutoCloseable {
    private val executor: ExecutorService = Executors.newCachedThreadPool()
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 256)
    private val inFlight = AtomicInteger()
    private val peak = AtomicInteger()

    val received: MutableList<Received> = Collections.synchronizedList(mutableListOf())
    val baseUrl: String get() = "http://127.0.0.1:${server.address.port}"
    /** The most requests being answered at the same moment. */
    val peakConcurrency: Int get() = peak.get()

    init {
        server.executor = executor
        server.createContext("/") { exchange ->
            exchange.use {
                val now = inFlight.incrementAndGet()
                peak.accumulateAndGet(now) { a, b -> maxOf(a, b) }
                try {
                    val request = Received(it.requestURI.rawPath, it.requestHeaders.getFirst("Authorization"))
                    received.add(request)
                    val reply = respond(request)
                    if (reply.delayMs > 0) Thread.sleep(reply.delayMs)
                    val body = reply.body.toString().toByteArray()
                    it.responseHeaders.add("content-type", "application/json")
                    it.sendResponseHeaders(reply.status, body.size.toLong())
                    it.responseBody.write(body)
                } finally {
                    inFlight.decrementAndGet()
                }
            }
        }
        server.start()
    }

    override fun close() {
        server.stop(0)
        executor.shutdownNow()
    }

    companion object {
        /** Juspay's documented 401 body. */
        fun juspay401(): JSONObject = JSONObject(
            """{"status":"error","error_code":"access_denied","error_info":{"user_message":"Unauthorized.",""" +
                """"request_id":"b2e0fd33-7655-4778-83a8-5179ed21b0b7","href":"NA",""" +
                """"developer_message":"Invalid API Key. Please pass a valid and active api key.",""" +
                """"code":"UNAUTHORIZED","category":"USER_ERROR"}}""",
        )

        /** A customer whose id is the (undecoded) last path segment, so answers can't be mixed up. */
        fun customerFor(path: String): JSONObject =
            JSONObject().put("id", path.substringAfterLast('/')).put("object", "customer").put("first_name", "Asha")
    }
}
