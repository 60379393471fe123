package io.juspaycustomer.plugin.support

import java.io.BufferedInputStream
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.InputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import org.json.JSONArray
import org.json.JSONObject

/**
 * The plugin-call cases every implementation runs: src-ts/contract/plugin-calls.json, format in
 * its README. Read strictly: a key this harness does not know fails the load.
 */
class PluginCalls private constructor(json: JSONObject) {
    class Case(val name: String, val calls: List<JSONObject>, val requests: Int?) {
        override fun toString() = name
    }

    /** The documented customer on the wire, and as getCustomer resolves it; `id` is replaced. */
    val wireCustomer: JSONObject
    val customer: JSONObject
    val cases: List<Case>

    init {
        val vectorName = json.getString("customerVector")
        val vector = Vectors.all().firstOrNull { it.name == vectorName } ?: error("no vector $vectorName")
        wireCustomer = vector.json.getJSONArray("responses").getJSONObject(0).getJSONObject("json")
        customer = vector.expectedCustomer ?: error("vector $vectorName has no customer")
        val list = json.getJSONArray("cases")
        cases = (0 until list.length()).map { i ->
            val case = list.getJSONObject(i)
            val name = case.getString("name")
            check(case.keySet().all { it in setOf("name", "calls", "requests") }) { "$name: unknown key in ${case.keySet()}" }
            val calls = case.getJSONArray("calls").let { a -> (0 until a.length()).map { a.getJSONObject(it) } }
            for (step in calls) check(step.keySet() in STEP_KEYS) { "$name: unknown step $step" }
            Case(name, calls, if (case.has("requests")) case.getInt("requests") else null)
        }
    }

    companion object {
        private val STEP_KEYS = listOf(
            setOf("call", "options", "expect"),
            setOf("call", "options", "start"),
            setOf("await", "expect"),
            setOf("waitForRequests"),
        )

        fun load() = PluginCalls(JSONObject(Paths.pluginCalls.readText()))

        /** [value] with "{{server}}" replaced in every string, however deep. */
        fun withServer(value: Any?, origin: String): Any? = when (value) {
            is String -> value.replace("{{server}}", origin)
            is JSONObject -> JSONObject().also { copy -> value.keySet().forEach { copy.put(it, withServer(value.get(it), origin)) } }
            is JSONArray -> JSONArray().also { copy -> (0 until value.length()).forEach { copy.put(withServer(value.get(it), origin)) } }
            else -> value
        }
    }
}

/**
 * The cases' server on 127.0.0.1 (raw sockets, so it sees when a client closes a connection):
 * `GET …/customers/{id}` answers the documented customer with that id, at once, after 500 ms for
 * `slow-…` ids, never for `hang-…` ids (it holds the connection until the client closes it).
 * With exactly the query `options.get_client_auth_token=true` the customer carries a client auth
 * token ([clientAuthToken]), otherwise a malformed `juspay` that a lookup must ignore.
 */
class CaseServer(private val wireCustomer: JSONObject) : AutoCloseable {
    /** A request: the decoded customer id and the Authorization header. */
    data class Request(val id: String, val authorization: String?)

    private val socket = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val connections = CopyOnWriteArrayList<Socket>()
    private val heldCount = AtomicInteger()

    val origin: String get() = "http://127.0.0.1:${socket.localPort}"
    val requests: MutableList<Request> = CopyOnWriteArrayList()

    /** Connections of `hang-…` requests that the client has not closed yet. */
    val held: Int get() = heldCount.get()

    init {
        thread(isDaemon = true, name = "case-server") {
            while (!socket.isClosed) {
                val client = try { socket.accept() } catch (e: IOException) { break }
                connections += client
                thread(isDaemon = true) { serve(client) }
            }
        }
    }

    private fun serve(client: Socket) = try {
        client.use {
            val input = BufferedInputStream(it.getInputStream())
            while (true) {
                val head = readHead(input) ?: break
                val lines = head.split("\r\n")
                val target = lines.first().split(" ").getOrElse(1) { "" }
                val authorization = lines.drop(1).firstOrNull { l -> l.lowercase().startsWith("authorization:") }
                    ?.substringAfter(':')?.trim()
                val match = Regex("/customers/([^/?]*)(?:\\?(.*))?$").find(target)
                if (match == null) {
                    it.getOutputStream().write("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".toByteArray())
                    continue
                }
                val id = percentDecoded(match.groupValues[1])
                requests += Request(id, authorization)
                if (id.startsWith("hang-")) {
                    heldCount.incrementAndGet()
                    try {
                        while (input.read() >= 0) Unit
                    } finally {
                        heldCount.decrementAndGet()
                    }
                    break
                }
                if (id.startsWith("slow-")) Thread.sleep(500)
                val juspay: Any = if (match.groupValues[2] == "options.get_client_auth_token=true") {
                    JSONObject().put("client_auth_token", clientAuthToken(id)).put("client_auth_token_expiry", CLIENT_AUTH_EXPIRY)
                } else {
                    "not asked"
                }
                val body = JSONObject(wireCustomer.toString()).put("id", id).put("juspay", juspay).toString()
                    .toByteArray(Charsets.UTF_8)
                val response = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.size}\r\n\r\n"
                it.getOutputStream().apply { write(response.toByteArray()); write(body); flush() }
            }
        }
    } catch (e: IOException) {
        // The client went away (a cancelled lookup, or close()).
    }

    /** The request head up to its blank line, or null at the end of the connection. */
    private fun readHead(input: InputStream): String? {
        val head = ByteArrayOutputStream()
        while (true) {
            val b = input.read()
            if (b < 0) return null
            head.write(b)
            if (head.size() >= 4 && head.toString(Charsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return head.toString(Charsets.ISO_8859_1)
            }
        }
    }

    private fun percentDecoded(segment: String): String {
        val bytes = ByteArrayOutputStream()
        var i = 0
        while (i < segment.length) {
            if (segment[i] == '%' && i + 2 < segment.length) {
                bytes.write(segment.substring(i + 1, i + 3).toInt(16))
                i += 3
            } else {
                bytes.write(segment[i].code)
                i += 1
            }
        }
        return bytes.toString(Charsets.UTF_8)
    }

    companion object {
        const val CLIENT_AUTH_EXPIRY = "2030-01-01T00:15:00Z"
        fun clientAuthToken(id: String) = "cat_$id"
    }

    override fun close() {
        socket.close()
        connections.forEach { runCatching { it.close() } }
    }
}
