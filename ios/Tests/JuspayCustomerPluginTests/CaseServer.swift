import Foundation

/// The plugin-call cases' server, in the test process on the loopback interface (the simulator
/// shares the Mac's): `GET …/customers/{id}` answers the documented customer with that id, at
/// once, after 500 ms for `slow-…` ids, never for `hang-…` ids (it holds the connection until the
/// client closes it, which `held` counts). Format and rules: src-ts/contract/README.md.
/// Plain POSIX sockets (`LoopbackListener`), so it runs on Linux as on Apple platforms.
final class CaseServer: @unchecked Sendable {
    struct Request {
        let id: String
        let authorization: String?
    }

    let origin: String
    private var listener: LoopbackListener!
    private let wireCustomer: [String: Any]
    private let lock = NSLock()
    private var received: [Request] = []
    private var heldCount = 0
    private var closedCount = 0

    /// The client auth token this server gives for `id` when asked, and its expiry.
    static func clientAuthToken(_ id: String) -> String { "cat_\(id)" }
    static let clientAuthExpiry = "2030-01-01T00:15:00Z"

    init(wireCustomer: [String: Any]) throws {
        self.wireCustomer = wireCustomer
        // The handler reaches the server through a box: init cannot capture `self` before it
        // is complete, and the listener must exist to know its port.
        let box = Box()
        let listener = try LoopbackListener { connection in box.server?.serve(connection) }
        self.listener = listener
        self.origin = "http://127.0.0.1:\(listener.port)"
        box.server = self
    }

    private final class Box: @unchecked Sendable {
        weak var server: CaseServer?
    }

    var requests: [Request] { locked { received } }

    /// Connections of `hang-…` requests that the client has not closed yet.
    var held: Int { locked { heldCount } }

    /// Connections of `hang-…` requests that the client closed.
    var heldThenClosed: Int { locked { closedCount } }

    func stop() {
        listener.stop()
    }

    /// Answers request after request on one connection until the client closes it.
    private func serve(_ connection: LoopbackListener.Connection) {
        var buffer = Data()
        defer { connection.close() }
        while true {
            // Reads up to the blank line ending a request head (a GET has no body).
            guard let end = buffer.range(of: Data("\r\n\r\n".utf8)) else {
                guard let data = connection.receive() else { return }
                buffer.append(data)
                continue
            }
            let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
            buffer = Data(buffer[end.upperBound...])
            guard answer(head, on: connection) else { return }
        }
    }

    /// Answers one request; false when the connection is done.
    private func answer(_ head: String, on connection: LoopbackListener.Connection) -> Bool {
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = (lines.first ?? "").split(separator: " ")
        let target = requestLine.count > 1 ? String(requestLine[1]) : ""
        let authorization = lines.dropFirst()
            .first { $0.lowercased().hasPrefix("authorization:") }
            .map { String($0.dropFirst("authorization:".count)).trimmingCharacters(in: .whitespaces) }
        // The id, and the query after it: exactly `options.get_client_auth_token=true` asks for
        // a client auth token; otherwise `juspay` is malformed, and a lookup must ignore it.
        let afterMarker = target.range(of: "/customers/", options: .backwards).map { target[$0.upperBound...] }
        let idAndQuery = afterMarker?.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false) ?? []
        guard let idPart = idAndQuery.first, !idPart.contains("/"),
            let id = String(idPart).removingPercentEncoding
        else {
            return connection.send(Data("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".utf8))
        }
        locked { received.append(Request(id: id, authorization: authorization)) }
        if id.hasPrefix("hang-") {
            locked { heldCount += 1 }
            // Holds the connection, reading nothing it needs, until the client closes or resets it.
            while connection.receive() != nil {}
            locked {
                heldCount -= 1
                closedCount += 1
            }
            return false
        }
        var customer = wireCustomer
        customer["id"] = id
        customer["juspay"] =
            idAndQuery.count > 1 && idAndQuery[1] == "options.get_client_auth_token=true"
            ? ([
                "client_auth_token": CaseServer.clientAuthToken(id),
                "client_auth_token_expiry": CaseServer.clientAuthExpiry,
            ] as [String: Any]) as Any
            : "not asked" as Any
        let body = (try? JSONSerialization.data(withJSONObject: customer)) ?? Data()
        if id.hasPrefix("slow-") {
            Thread.sleep(forTimeInterval: 0.5)
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.count)\r\n\r\n"
        return connection.send(Data(head.utf8) + body)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
