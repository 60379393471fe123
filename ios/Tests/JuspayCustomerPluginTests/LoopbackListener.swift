import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP listener on 127.0.0.1 with one thread per connection, on POSIX sockets so the same test
/// servers run on Linux and on Apple platforms (Network.framework is Apple-only). `handle` gets
/// each accepted connection on its own thread; `stop()` ends the accept loop and shuts every
/// connection still open, which wakes a handler blocked in `receive`.
final class LoopbackListener: @unchecked Sendable {
    /// One accepted connection: blocking reads and writes on its socket.
    final class Connection: @unchecked Sendable {
        fileprivate let fd: Int32
        private let lock = NSLock()
        private var closed = false

        fileprivate init(fd: Int32) { self.fd = fd }

        /// Up to `max` bytes; nil once the peer has closed or reset the connection (or it was shut).
        func receive(max: Int = 65_536) -> Data? {
            var buffer = [UInt8](repeating: 0, count: max)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
                if count > 0 { return Data(buffer[0..<count]) }
                if count < 0 && errno == EINTR { continue }
                return nil
            }
        }

        /// Writes all of `data`; false when the connection is gone.
        @discardableResult
        func send(_ data: Data) -> Bool {
            var offset = 0
            let bytes = [UInt8](data)
            while offset < bytes.count {
                let count = bytes[offset...].withUnsafeBytes { Self.write(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return false }
                offset += count
            }
            return true
        }

        /// Shuts both directions (waking a blocked `receive`) and closes the socket, once.
        func close() {
            lock.lock()
            defer { lock.unlock() }
            guard !closed else { return }
            closed = true
            _ = shutdown(fd, Int32(SHUT_RDWR))
            _ = LoopbackListener.closeSocket(fd)
        }

        /// `send` without SIGPIPE when the peer has gone: MSG_NOSIGNAL on Linux; on Darwin the
        /// socket has SO_NOSIGPIPE (set in `accept`).
        private static func write(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
            #if canImport(Glibc)
            return Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
            #else
            return Darwin.send(fd, pointer, count, 0)
            #endif
        }
    }

    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var stopped = false
    private var open: [Connection] = []
    private let acceptDone = DispatchSemaphore(value: 0)

    init(handle: @escaping @Sendable (Connection) -> Void) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ScenarioError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // any free port
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            _ = Self.closeSocket(fd)
            throw ScenarioError("bind/listen on 127.0.0.1 failed: errno \(code)")
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: actual.sin_port)
        let thread = Thread { [self] in acceptLoop(handle) }
        thread.start()
    }

    /// Ends the accept loop (within one poll interval), then shuts every open connection.
    func stop() {
        let connections: [Connection] = locked {
            guard !stopped else { return [] }
            stopped = true
            return open
        }
        acceptDone.wait()
        acceptDone.signal()  // a second stop() must not block
        connections.forEach { $0.close() }
        _ = Self.closeSocket(fd)
    }

    /// Polls rather than blocks in accept(): closing a socket does not wake accept() on Linux.
    private func acceptLoop(_ handle: @escaping @Sendable (Connection) -> Void) {
        defer { acceptDone.signal() }
        while !locked({ stopped }) {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 20) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            #if canImport(Darwin)
            var one: Int32 = 1
            _ = setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let connection = Connection(fd: client)
            let accepted: Bool = locked {
                guard !stopped else { return false }
                open.append(connection)
                return true
            }
            guard accepted else {
                connection.close()
                return
            }
            let thread = Thread { handle(connection) }
            thread.start()
        }
    }

    fileprivate static func closeSocket(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.close(fd)
        #else
        return Darwin.close(fd)
        #endif
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
