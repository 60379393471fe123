package io.juspaycustomer.plugin.support

import java.io.IOException
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

/**
 * A server that reads each request and never answers, and notes when the client closes the
 * connection: it shows whether a cancelled lookup really stops its request.
 */
class HangingServer : AutoCloseable {
    private val socket = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val connections = CopyOnWriteArrayList<Socket>()
    private val requestCount = AtomicInteger()

    /** Completes, with System.nanoTime(), when the client has closed (EOF or reset). */
    val clientClosed = CompletableFuture<Long>()

    val baseUrl: String get() = "http://127.0.0.1:${socket.localPort}"
    val requests: Int get() = requestCount.get()

    init {
        thread(isDaemon = true, name = "hanging-server") {
            while (!socket.isClosed) {
                val client = try { socket.accept() } catch (e: IOException) { break }
                connections += client
                thread(isDaemon = true) { hold(client) }
            }
        }
    }

    private fun hold(client: Socket) {
        val head = StringBuilder()
        try {
            // Inside the try: close() may have closed the socket before this thread started.
            val input = client.getInputStream()
            while (true) {
                val b = input.read()
                if (b < 0) break
                head.append(b.toChar())
                if (head.endsWith("\r\n\r\n")) {
                    requestCount.incrementAndGet()
                    head.clear()
                }
            }
        } catch (e: IOException) {
            // A reset is a close too.
        }
        clientClosed.complete(System.nanoTime())
    }

    /** Waits until [n] request heads have arrived in all. */
    fun awaitRequests(n: Int) {
        val until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (requestCount.get() < n) {
            check(System.nanoTime() < until) { "only ${requestCount.get()} of $n requests arrived" }
            Thread.sleep(5)
        }
    }

    override fun close() {
        socket.close()
        connections.forEach { runCatching { it.close() } }
    }
}
