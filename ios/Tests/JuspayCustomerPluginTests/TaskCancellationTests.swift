import Foundation
import JuspayCustomerCore
import XCTest

@testable import JuspayCustomerPlugin

/// `CustomerClient.lookUpCustomer` (ios/Sources/JuspayCustomerCore/TaskCancellation.swift):
/// cancelling the Swift Task ends the lookup with CANCELLED, at once, and closes its connection,
/// against a loopback server that never answers (`hang-…` ids of CaseServer).
final class TaskCancellationTests: XCTestCase {
    /// What "at once" means here (the issue's bound; the core itself takes well under 10 ms).
    private static let withinSeconds: TimeInterval = 0.1

    func testCancellingTheTaskEndsTheLookupAndClosesItsConnection() async throws {
        let server = try CaseServer(wireCustomer: [:])
        defer { server.stop() }
        let client = try CustomerClient(
            config: ClientConfig(
                baseUrl: server.origin, credentials: .deviceToken(token: "t")))
        let task = Task { try await client.lookUpCustomer(customerId: "hang-1") }
        try await until("the server holds the request") { server.held == 1 }

        let cancelledAt = Date()
        task.cancel()
        let result = await task.result
        let elapsed = Date().timeIntervalSince(cancelledAt)

        assertCancelled(result)
        print("TaskCancellationTests: task.cancel() to CANCELLED in \(String(format: "%.2f", elapsed * 1000)) ms")
        XCTAssertLessThan(elapsed, Self.withinSeconds, "seconds from task.cancel() to the CANCELLED error")
        try await until("the server sees the connection closed") { server.heldThenClosed == 1 }
        XCTAssertEqual(server.held, 0)
        XCTAssertEqual(server.requests.map(\.id), ["hang-1"])
    }

    func testATaskCancelledBeforeTheLookupNeverConnects() async throws {
        let server = try CaseServer(wireCustomer: [:])
        defer { server.stop() }
        let client = try CustomerClient(
            config: ClientConfig(
                baseUrl: server.origin, credentials: .deviceToken(token: "t")))
        let task = Task { () throws -> Customer in
            while !Task.isCancelled { await Task.yield() }
            return try await client.lookUpCustomer(customerId: "hang-1")
        }
        task.cancel()
        assertCancelled(await task.result)
        XCTAssertEqual(server.requests.count, 0, "requests after a cancelled Task")
    }

    /// A token the caller passes still cancels, and is cancelled with the Task.
    func testTheCallersTokenCancelsAndIsCancelledWithTheTask() async throws {
        let server = try CaseServer(wireCustomer: [:])
        defer { server.stop() }
        let client = try CustomerClient(
            config: ClientConfig(
                baseUrl: server.origin, credentials: .deviceToken(token: "t")))

        let byToken = CancellationToken()
        let first = Task { try await client.lookUpCustomer(customerId: "hang-1", cancellation: byToken) }
        try await until("the server holds the first request") { server.held == 1 }
        byToken.cancel()
        assertCancelled(await first.result)

        let withTask = CancellationToken()
        let second = Task { try await client.lookUpCustomer(customerId: "hang-2", cancellation: withTask) }
        try await until("the server holds the second request") { server.held == 1 && server.requests.count == 2 }
        second.cancel()
        assertCancelled(await second.result)
        XCTAssertTrue(withTask.isCancelled(), "the caller's token after the Task was cancelled")
        try await until("the server sees both connections closed") { server.heldThenClosed == 2 }
    }

    /// A Task that is not cancelled gets the customer as `getCustomer` gives it.
    func testAnUncancelledTaskGetsTheCustomer() async throws {
        let calls = try PluginCalls.load()
        let server = try CaseServer(wireCustomer: calls.wireCustomer)
        defer { server.stop() }
        let client = try CustomerClient(
            config: ClientConfig(
                baseUrl: server.origin, credentials: .deviceToken(token: "t")))
        let customer = try await Task { try await client.lookUpCustomer(customerId: "cst_task") }.value
        XCTAssertEqual(customer.id, "cst_task")
        var expected = calls.customer
        expected["id"] = "cst_task"
        // Not asked for a client auth token: `juspay` is null.
        expected["juspay"] = NSNull()
        XCTAssertTrue(sameJSON(customer.jsObject, expected), describeJSON(customer.jsObject))
    }

    private func assertCancelled(_ result: Result<Customer, Error>, file: StaticString = #filePath, line: UInt = #line) {
        switch result {
        case .success:
            XCTFail("a cancelled lookup must not succeed", file: file, line: line)
        case .failure(let error):
            guard let error = error as? CustomerError, case .Cancelled = error else {
                return XCTFail("expected CustomerError.Cancelled, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.code(), "CANCELLED", file: file, line: line)
        }
    }

    private func until(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(5)
        while !condition() {
            guard Date() < deadline else { throw ScenarioError("\(what): not within 5 s") }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }
}
