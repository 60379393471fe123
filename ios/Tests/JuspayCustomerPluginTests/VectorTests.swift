import XCTest

@testable import JuspayCustomerPlugin

/// The shared scenario vectors through the adapter and the real core, over loopback HTTP: the
/// same customers, codes, messages and error data as the Rust, JVM and web suites.
final class VectorTests: XCTestCase {
    func testEveryVectorGivesTheExpectedAnswer() async throws {
        let server = try ScenarioServer.fromEnvironment()
        let vectors = try Vector.loadAll()
        XCTAssertGreaterThanOrEqual(vectors.count, 30, "vectors found in \(Vector.directory().path)")

        let failures = await withTaskGroup(of: String?.self, returning: [String].self) { group in
            for vector in vectors {
                group.addTask { await Self.play(vector, on: server) }
            }
            var failures: [String] = []
            for await failure in group {
                if let failure = failure { failures.append(failure) }
            }
            return failures.sorted()
        }
        XCTAssertTrue(failures.isEmpty, "\n" + failures.joined(separator: "\n"))
    }

    func testCancelByLookupIdStopsALookupInFlight() async throws {
        let server = try ScenarioServer.fromEnvironment()
        let name = "slower-than-deadline"  // answers after 3 s
        try await server.reset(name)
        let adapter = JuspayCustomerAdapter()
        try adapter.configure(["backendUrl": server.backendUrl(name), "token": "t", "timeoutMs": 10_000])
        let lookup = try adapter.startLookup(["customerId": "cst_tooedar2k7j1d60b", "lookupId": "slow"])
        let started = Date()
        let running = Task { await adapter.run(lookup) }

        try await Task.sleep(nanoseconds: 300_000_000)
        try adapter.cancel(["lookupId": "slow"])
        let result = await running.value

        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "cancel must not wait for the server's answer")
        guard case .failure(let failure) = result else {
            return XCTFail("a cancelled lookup must not succeed")
        }
        XCTAssertEqual(failure.code, "CANCELLED")
        XCTAssertEqual(failure.message, "the lookup was cancelled")
        assertData(failure.data, ["retryable": false])
        let requests = try await server.requests(name)
        XCTAssertEqual(requests.count, 1, "the request was sent before it was cancelled")
    }

    /// Plays one vector; nil when everything matched, else what differed.
    private static func play(_ vector: Vector, on server: ScenarioServer) async -> String? {
        do {
            try await server.reset(vector.name)
            let adapter = JuspayCustomerAdapter()
            try adapter.configure([
                "backendUrl": server.backendUrl(vector.name),
                "token": "device-token",
                // The vector format's defaults, not the client's.
                "timeoutMs": vector.config["deadlineMs"] ?? 5000,
                "maxRetries": vector.config["maxRetries"] ?? 2,
            ])
            let options = vector.json["options"] as? [String: Any] ?? [:]
            let lookup = try adapter.startLookup([
                "customerId": vector.customerId,
                "clientAuthToken": options["clientAuthToken"] as? Bool ?? false,
            ])
            let result = await adapter.run(lookup)
            // A customer's absent `juspay` means null (the vectors' README).
            var expect = vector.expect
            if var customer = expect["customer"] as? [String: Any], customer["juspay"] == nil {
                customer["juspay"] = NSNull()
                expect["customer"] = customer
            }
            if let problem = compare(result, expect) {
                return "\(vector.name): \(problem)"
            }
            let requests = try await server.requests(vector.name)
            if let want = vector.expect["requests"] as? Int, requests.count != want {
                return "\(vector.name): \(requests.count) requests, want \(want)"
            }
            if let path = vector.expect["requestPath"] as? String,
                let bad = requests.first(where: { $0["path"] as? String != path })
            {
                return "\(vector.name): request path \(bad["path"] ?? "?"), want \(path)"
            }
            return nil
        } catch {
            return "\(vector.name): \(error)"
        }
    }

    private static func compare(_ result: Result<[String: Any], PluginError>, _ expect: [String: Any]) -> String? {
        switch (result, expect["customer"], expect["error"] as? [String: Any]) {
        case (.success(let got), .some(let want), nil):
            return sameJSON(got, want) ? nil : "customer\n  got  \(describeJSON(got))\n  want \(describeJSON(want))"
        case (.failure(let failure), nil, .some(let want)):
            var got: [String: Any] = ["code": failure.code, "message": failure.message, "data": failure.data]
            if want["message"] == nil {
                got["message"] = nil  // left out where the text is the operating system's (NETWORK)
            }
            return sameJSON(got, want) ? nil : "error\n  got  \(describeJSON(got))\n  want \(describeJSON(want))"
        case (.success(let got), _, _):
            return "unexpected customer \(describeJSON(got))"
        case (.failure(let failure), _, _):
            return "unexpected \(failure.code): \(failure.message)"
        }
    }
}
