import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking  // URLSession on Linux
#endif

/// The shared scenario vectors and the Rust scenario server that plays them
/// (`juspay-scenario-server`, vector NAME under `/NAME`). The simulator cannot start processes,
/// so ios/Tests/run-on-simulator.sh starts the server on the Mac and passes its URL in
/// `JUSPAY_SCENARIO_SERVER` (as `TEST_RUNNER_JUSPAY_SCENARIO_SERVER`); the simulator shares the
/// Mac's loopback interface.
struct ScenarioServer: Sendable {
    let baseURL: String

    static func fromEnvironment() throws -> ScenarioServer {
        guard let url = ProcessInfo.processInfo.environment["JUSPAY_SCENARIO_SERVER"], !url.isEmpty else {
            throw XCTSkip("JUSPAY_SCENARIO_SERVER is not set: run ios/Tests/run-on-simulator.sh to play the vectors")
        }
        return ScenarioServer(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url)
    }

    /// The base URL under which the server plays vector `name`.
    func backendUrl(_ name: String) -> String {
        "\(baseURL)/\(name)"
    }

    /// Forgets what vector `name` received, so it can be played again.
    func reset(_ name: String) async throws {
        var request = URLRequest(url: try url("/__control/\(name)/reset"))
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    /// The requests vector `name` received: method, raw path (still percent-encoded), headers.
    func requests(_ name: String) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(for: URLRequest(url: try url("/__control/\(name)/requests")))
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw ScenarioError("the server's request list for \(name) is not a JSON array")
        }
        return list
    }

    private func url(_ path: String) throws -> URL {
        guard let url = URL(string: baseURL + path) else { throw ScenarioError("bad URL \(baseURL + path)") }
        return url
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One vector file of rust-core/tests/vectors (format in its README). Immutable once loaded.
struct Vector: @unchecked Sendable {
    let name: String
    let json: [String: Any]

    var customerId: String { json["customerId"] as? String ?? "" }
    var config: [String: Any] { json["config"] as? [String: Any] ?? [:] }
    var expect: [String: Any] { json["expect"] as? [String: Any] ?? [:] }

    /// `JUSPAY_VECTORS_DIR`, or the repository's vectors found from this file's path (the
    /// simulator can read the Mac's files).
    static func directory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["JUSPAY_VECTORS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // JuspayCustomerPluginTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // ios
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("rust-core/tests/vectors")
    }

    static func loadAll() throws -> [Vector] {
        let dir = directory()
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { file in
            guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
                throw ScenarioError("\(file.lastPathComponent) is not a JSON object")
            }
            return Vector(name: file.deletingPathExtension().lastPathComponent, json: json)
        }
    }
}

/// Whether two JSON-shaped values are equal once both have gone through the JSON encoder the
/// bridge uses (so Int and NSNumber, nil and NSNull, compare as JavaScript would see them).
func sameJSON(_ a: Any, _ b: Any) -> Bool {
    func normalised(_ value: Any) -> NSObject? {
        guard JSONSerialization.isValidJSONObject(["v": value]),
            let data = try? JSONSerialization.data(withJSONObject: ["v": value]),
            let object = try? JSONSerialization.jsonObject(with: data) as? NSDictionary
        else { return nil }
        return object
    }
    guard let left = normalised(a), let right = normalised(b) else { return false }
    return left.isEqual(right)
}

func describeJSON(_ value: Any) -> String {
    guard JSONSerialization.isValidJSONObject(["v": value]),
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]),
        let text = String(data: data, encoding: .utf8)
    else { return "\(value)" }
    return text
}
