package io.juspaycustomer.testing

import java.io.InputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.Collections
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** What the server received: the raw path and the Authorization header. */
data class Request(val path: String, val authorization: String?)

/**
 * HTTP/1.1 on 127.0.0.1 over plain sockets, so a test sees each connection open and close (the
 * JDK's HttpServer hides both). Every request on a connection is answered with the customer
 * whose id is the last path segment, keep-alive; a path containing `/hold` is never answered
 * and its connection is held until the client closes it.
 */
class KeepAliveServer : AutoCloseable {
    private val socket = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val connections: MutableList<Socket> = Collections.synchronizedList(mutableListOf())
    private val opened = AtomicInteger()
    private val closed = AtomicInteger()
    private val lock = Object()

    val requests: MutableList<Request> = Collections.synchronizedList(mutableListOf())
    val baseUrl: String = "http://127.0.0.1:${socket.localPort}"
    val connectionsOpened: Int get() = opened.get()
    val connectionsClosedByClient: Int get() = closed.get()

    init {
        Thread({
            while (!socket.isClosed) {
                val connection = runCatching { socket.accept() }.getOrNull() ?: break
                connections.add(connection)
                opened.incrementAndGet()
                Thread({ serve(connection) }, "keep-alive-connection").apply { isDaemon = true }.start()
            }
        }, "keep-alive-accept").apply { isDaemon = true }.start()
    }

    private fun serve(connection: Socket) {
        connection.use {
            val input = it.getInputStream().buffered()
            val output = it.getOutputStream()
            while (true) {
                val head = readHead(input) ?: break // the client closed the connection
                val lines = head.split("\r\n")
                val path = lines.first().split(' ').getOrElse(1) { "" }
                val authorization = lines.drop(1)
                    .firstOrNull { line -> line.startsWith("authorization:", ignoreCase = true) }
                    ?.substringAfter(':')?.trim()
                notifying { requests.add(Request(path, authorization)) }
                if ("/hold" in path) {
                    while (input.read() >= 0) { /* until the client closes */ }
                    break
                }
                val body = """{"id":"${path.substringAfterLast('/')}","object":"customer","first_name":"Asha"}"""
                    .toByteArray()
                output.write(
                    ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.size}\r\n" +
                        "connection: keep-alive\r\n\r\n").toByteArray(),
                )
                output.write(body)
                output.flush()
            }
            notifying { closed.incrementAndGet() }
        }
    }

    /** The request line and headers, or null at end of stream before a whole head. */
    private fun readHead(input: InputStream): String? {
        val head = StringBuilder()
        while (!head.endsWith("\r\n\r\n")) {
            val b = runCatching { input.read() }.getOrDefault(-1)
            if (b < 0) return null
            head.append(b.toChar())
        }
        return head.toString()
    }

    private fun <T> notifying(change: () -> T): T = synchronized(lock) { change().also { lock.notifyAll() } }

    /** Waits up to [timeoutMs] for [condition], checked whenever a request or a close arrives. */
    fun await(timeoutMs: Long, condition: KeepAliveServer.() -> Boolean): Boolean {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs)
        synchronized(lock) {
            while (!condition()) {
                val left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())
                if (left <= 0) return false
                lock.wait(left)
            }
        }
        return true
    }

    override fun close() {
        socket.close()
        synchronized(connections) { connections.forEach { runCatching { it.close() } } }
    }
}
