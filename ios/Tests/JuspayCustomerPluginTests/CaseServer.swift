import Foundation
import Network

/// The plugin-call cases' server, in the test process on the loopback interface (the simulator
/// shares the Mac's): `GET …/customers/{id}` answers the documented customer with that id, at
/// once, after 500 ms for `slow-…` ids, never for `hang-…` ids (it holds the connection until the
/// client closes it, which `held` counts). Format and rules: src-ts/contract/README.md.
final class CaseServer: @unchecked Sendable {
    struct Request {
        let id: String
        let authorization: String?
    }

    let origin: String
    private let listener: NWListener
    private let queue: DispatchQueue
    private let wireCustomer: [String: Any]
    private let lock = NSLock()
    private var received: [Request] = []
    private var heldCount = 0
    private var connections: [NWConnection] = []

    /// Hands new connections to the server once it exists: the listener must have its handler
    /// before it starts, and the server's init cannot capture `self` before it is complete.
    private final class Acceptor {
        weak var server: CaseServer?
    }

    /// The client auth token this server gives for `id` when asked, and its expiry.
    static func clientAuthToken(_ id: String) -> String { "cat_\(id)" }
    static let clientAuthExpiry = "2030-01-01T00:15:00Z"

    init(wireCustomer: [String: Any]) throws {
        let parameters = NWParameters.tcp
        parameters.requiredInterfaceType = .loopback
        let listener = try NWListener(using: parameters, on: .any)
        let queue = DispatchQueue(label: "case-server")
        let acceptor = Acceptor()
        let ready = DispatchSemaphore(value: 0)
        var failure: NWError?
        listener.stateUpdateHandler = { state in
            switch state {
            case .ready:
                ready.signal()
            case .failed(let error):
                failure = error
                ready.signal()
            default:
                break
            }
        }
        listener.newConnectionHandler = { connection in acceptor.server?.accept(connection) }
        listener.start(queue: queue)
        guard ready.wait(timeout: .now() + 10) == .success, failure == nil, let port = listener.port else {
            listener.cancel()
            throw ScenarioError("the case server did not start: \(String(describing: failure))")
        }
        self.listener = listener
        self.queue = queue
        self.wireCustomer = wireCustomer
        self.origin = "http://127.0.0.1:\(port.rawValue)"
        acceptor.server = self
    }

    var requests: [Request] { locked { received } }

    /// Connections of `hang-…` requests that the client has not closed yet.
    var held: Int { locked { heldCount } }

    func stop() {
        listener.cancel()
        locked { connections }.forEach { $0.cancel() }
    }

    private func accept(_ connection: NWConnection) {
        locked { connections.append(connection) }
        connection.start(queue: queue)
        readHead(connection, buffer: Data())
    }

    /// Reads up to the blank line ending a request head (a GET has no body), then answers it.
    private func readHead(_ connection: NWConnection, buffer: Data) {
        connection.receive(minimumIncompleteLength: 1, maximumLength: 65_536) { [weak self] data, _, isComplete, error in
            guard let self = self else { return }
            var buffer = buffer
            if let data = data { buffer.append(data) }
            if let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                self.answer(head, rest: Data(buffer[end.upperBound...]), on: connection)
            } else if isComplete || error != nil {
                connection.cancel()
            } else {
                self.readHead(connection, buffer: buffer)
            }
        }
    }

    private func answer(_ head: String, rest: Data, on connection: NWConnection) {
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
            send("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n", Data(), on: connection, rest: rest)
            return
        }
        locked { received.append(Request(id: id, authorization: authorization)) }
        if id.hasPrefix("hang-") {
            locked { heldCount += 1 }
            awaitClose(connection)
            return
        }
        var customer = wireCustomer
        customer["id"] = id
        customer["juspay"] = idAndQuery.count > 1 && idAndQuery[1] == "options.get_client_auth_token=true"
            ? (["client_auth_token": CaseServer.clientAuthToken(id),
                "client_auth_token_expiry": CaseServer.clientAuthExpiry] as [String: Any]) as Any
            : "not asked" as Any
        let body = (try? JSONSerialization.data(withJSONObject: customer)) ?? Data()
        let respond = {
            self.send("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.count)\r\n\r\n",
                      body, on: connection, rest: rest)
        }
        if id.hasPrefix("slow-") {
            queue.asyncAfter(deadline: .now() + .milliseconds(500), execute: respond)
        } else {
            respond()
        }
    }

    private func send(_ head: String, _ body: Data, on connection: NWConnection, rest: Data) {
        connection.send(content: Data(head.utf8) + body, completion: .contentProcessed { [weak self] error in
            if error == nil { self?.readHead(connection, buffer: rest) }
        })
    }

    /// Holds the connection, reading nothing more, until the client closes or resets it.
    private func awaitClose(_ connection: NWConnection) {
        connection.receive(minimumIncompleteLength: 1, maximumLength: 65_536) { [weak self] _, _, isComplete, error in
            guard let self = self else { return }
            if isComplete || error != nil {
                self.locked { self.heldCount -= 1 }
                connection.cancel()
            } else {
                self.awaitClose(connection)
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
