import Foundation
import XCTest

@testable import JuspayCustomerPlugin

/// The plugin-call cases every implementation runs (src-ts/contract/plugin-calls.json, format in
/// its README), read strictly: a key this harness does not know fails the load.
struct PluginCalls {
    struct Case {
        let name: String
        let calls: [[String: Any]]
        let requests: Int?
    }

    /// The documented customer on the wire, and as `getCustomer` resolves it; `id` is replaced.
    let wireCustomer: [String: Any]
    let customer: [String: Any]
    let cases: [Case]

    private static let stepKeys: [Set<String>] = [
        ["call", "options", "expect"],
        ["call", "options", "start"],
        ["await", "expect"],
        ["waitForRequests"],
    ]

    /// `JUSPAY_PLUGIN_CALLS`, or the repository's file found from this file's path (the
    /// simulator can read the Mac's files).
    static func file() -> URL {
        if let path = ProcessInfo.processInfo.environment["JUSPAY_PLUGIN_CALLS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // JuspayCustomerPluginTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // ios
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("src-ts/contract/plugin-calls.json")
    }

    static func load() throws -> PluginCalls {
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file())) as? [String: Any],
            let vectorName = json["customerVector"] as? String,
            let list = json["cases"] as? [[String: Any]]
        else {
            throw ScenarioError("\(file().path) is not a plugin-calls file")
        }
        guard let vector = try Vector.loadAll().first(where: { $0.name == vectorName }),
            let responses = vector.json["responses"] as? [[String: Any]],
            let wire = responses.first?["json"] as? [String: Any],
            let customer = vector.expect["customer"] as? [String: Any]
        else {
            throw ScenarioError("customerVector \(vectorName) is not a vector with a customer")
        }
        let cases = try list.map { item -> Case in
            let name = item["name"] as? String ?? "?"
            guard Set(item.keys).isSubset(of: ["name", "calls", "requests"]),
                let calls = item["calls"] as? [[String: Any]]
            else {
                throw ScenarioError("\(name): unknown keys or no calls in \(item.keys.sorted())")
            }
            for step in calls where !stepKeys.contains(Set(step.keys)) {
                throw ScenarioError("\(name): unknown step \(describeJSON(step))")
            }
            return Case(name: name, calls: calls, requests: item["requests"] as? Int)
        }
        return PluginCalls(wireCustomer: wire, customer: customer, cases: cases)
    }
}

/// Every case of src-ts/contract/plugin-calls.json against the adapter and the real core, over
/// loopback HTTP to a server in this process: the web and JVM suites run the same file. Needs
/// no scenario server, so it runs from Xcode too.
final class PluginCallsTests: XCTestCase {
    private static let limitSeconds: TimeInterval = 5

    /// A call's outcome, as JavaScript would see it: `resolved(nil)` for a call that resolves
    /// with nothing.
    enum Outcome {
        case resolved([String: Any]?)
        case rejected(PluginError)
    }

    /// A call made: its outcome now, or a lookup still running.
    struct Pending {
        let outcome: Outcome?
        let lookup: JuspayCustomerAdapter.Lookup?
        let task: Task<Result<[String: Any], PluginError>, Never>?

        /// The outcome, or nil when a lookup gives none within the limit (it is then cancelled,
        /// so the test goes on).
        func settle() async -> Outcome? {
            if let outcome = outcome { return outcome }
            guard let lookup = lookup, let task = task else { return nil }
            let started = Date()
            let watchdog = Task {
                do {
                    try await Task.sleep(nanoseconds: UInt64(PluginCallsTests.limitSeconds * 1_000_000_000))
                } catch {
                    return  // the lookup ended in time
                }
                lookup.cancellation.cancel()
            }
            let result = await task.value
            watchdog.cancel()
            if Date().timeIntervalSince(started) >= PluginCallsTests.limitSeconds { return nil }
            switch result {
            case .success(let customer): return .resolved(customer)
            case .failure(let failure): return .rejected(failure)
            }
        }
    }

    func testEveryCaseThroughTheAdapter() async throws {
        let calls = try PluginCalls.load()
        XCTAssertGreaterThanOrEqual(calls.cases.count, 50, "cases in \(PluginCalls.file().path)")
        for item in calls.cases {
            try await play(item, calls)
        }
    }

    private func play(_ item: PluginCalls.Case, _ calls: PluginCalls) async throws {
        let server = try CaseServer(wireCustomer: calls.wireCustomer)
        defer { server.stop() }
        let adapter = JuspayCustomerAdapter()
        var started: [String: Pending] = [:]
        for (index, step) in item.calls.enumerated() {
            let what = "\(item.name), step \(index + 1) \(describeJSON(step))"
            if let method = step["call"] as? String {
                let given = step["options"] ?? [String: Any]()
                let options = withServer(given, server.origin) as? [String: Any] ?? [:]
                let pending = call(adapter, method, options)
                if let name = step["start"] as? String {
                    started[name] = pending
                } else {
                    await check(what, pending, step["expect"], server, calls.customer)
                }
            } else if let name = step["await"] as? String {
                guard let pending = started.removeValue(forKey: name) else {
                    return XCTFail("\(what): nothing was started as \(name)")
                }
                await check(what, pending, step["expect"], server, calls.customer)
            } else if let count = step["waitForRequests"] as? Int {
                await until("\(what): the requests") { server.requests.count >= count }
            }
        }
        XCTAssertEqual(started.keys.sorted(), [], "\(item.name): lookups started and never awaited")
        if let requests = item.requests {
            XCTAssertEqual(server.requests.count, requests, "\(item.name): requests the server received")
        }
        await until("\(item.name): closing every held connection") { server.held == 0 }
    }

    /// Makes the call as the plugin class does: getCustomer registers its lookup at once and
    /// waits for the network in a Task.
    private func call(_ adapter: JuspayCustomerAdapter, _ method: String, _ options: [String: Any]) -> Pending {
        do {
            switch method {
            case "configure":
                try adapter.configure(options)
            case "setToken":
                try adapter.setToken(options)
            case "cancel":
                try adapter.cancel(options)
            case "getCustomer":
                let lookup = try adapter.startLookup(options)
                return Pending(outcome: nil, lookup: lookup, task: Task { await adapter.run(lookup) })
            default:
                XCTFail("unknown call \(method)")
            }
            return Pending(outcome: .resolved(nil), lookup: nil, task: nil)
        } catch let failure as PluginError {
            return Pending(outcome: .rejected(failure), lookup: nil, task: nil)
        } catch {
            XCTFail("\(method) threw what is not a PluginError: \(error)")
            return Pending(outcome: nil, lookup: nil, task: nil)
        }
    }

    private func check(
        _ what: String, _ pending: Pending, _ want: Any?, _ server: CaseServer, _ customer: [String: Any]
    ) async {
        guard let outcome = await pending.settle() else {
            return XCTFail("\(what): no outcome within \(Self.limitSeconds) s")
        }
        switch (outcome, want) {
        case (.resolved(nil), let want as String) where want == "resolve":
            break
        case (.resolved(let got?), let want as [String: Any]) where want["customer"] != nil:
            let id = want["customer"] as? String ?? ""
            var expected = customer
            expected["id"] = id
            expected["juspay"] =
                want["clientAuthToken"] as? Bool == true
                ? ([
                    "clientAuthToken": CaseServer.clientAuthToken(id),
                    "clientAuthTokenExpiry": CaseServer.clientAuthExpiry,
                ] as [String: Any]) as Any
                : NSNull() as Any
            XCTAssertTrue(sameJSON(got, expected), "\(what)\n  got  \(describeJSON(got))\n  want \(describeJSON(expected))")
            if let token = want["token"] as? String {
                let sent = server.requests.filter { $0.id == id }.map { $0.authorization ?? "" }
                XCTAssertEqual(sent, ["Bearer \(token)"], "\(what): Authorization")
            }
        case (.rejected(let failure), let want as [String: Any]) where want["code"] != nil:
            XCTAssertEqual(failure.code, want["code"] as? String, what)
            XCTAssertEqual(failure.message, want["message"] as? String, what)
            assertData(failure.data, ["retryable": false])
        case (.resolved(let got), _):
            XCTFail("\(what): resolved with \(describeJSON(got ?? [:]))")
        case (.rejected(let failure), _):
            XCTFail("\(what): rejected with \(failure.code): \(failure.message)")
        }
    }

    private func until(_ what: String, _ condition: () -> Bool) async {
        let deadline = Date().addingTimeInterval(Self.limitSeconds)
        while !condition() {
            if Date() > deadline { return XCTFail("\(what) did not happen within \(Self.limitSeconds) s") }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }
}

/// `value` with "{{server}}" replaced in every string, however deep.
func withServer(_ value: Any, _ origin: String) -> Any {
    switch value {
    case let string as String:
        return string.replacingOccurrences(of: "{{server}}", with: origin)
    case let object as [String: Any]:
        return object.mapValues { withServer($0, origin) }
    case let array as [Any]:
        return array.map { withServer($0, origin) }
    default:
        return value
    }
}
