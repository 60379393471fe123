// Swift on Linux: the generated uniffi bindings of the Rust core against URLSession doing the same
// request with the same headers, decoded with JSONDecoder, in one process. Prints one JSON object
// shaped as benchmarks/jvm's (rounds of per-client summaries).
//
//   SwiftBench latency --base-url URL --api-key K --merchant-id M --customer-id ID
//       [--clients uniffi,uniffi-blocking,urlsession] [--toolchain TEXT]
//       [--warmup-ms 2000 --warmup-rounds 2 --duration-ms 2000 --rounds 5]
//
// On Linux URLSession is swift-corelibs-foundation over libcurl, not Apple's: the figures say what
// the bindings cost against a native HTTP client here, not what an iPhone measures.

import Dispatch
import Foundation
import JuspayCustomerCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct Options {
    var positional: [String] = []
    private var named: [String: String] = [:]

    init(_ args: [String]) {
        var i = 0
        while i < args.count {
            if args[i].hasPrefix("--"), i + 1 < args.count {
                named[String(args[i].dropFirst(2))] = args[i + 1]
                i += 2
            } else {
                positional.append(args[i])
                i += 1
            }
        }
    }

    func str(_ name: String, _ fallback: String? = nil) -> String {
        guard let value = named[name] ?? fallback else { fatalError("--\(name) is required") }
        return value
    }

    func int(_ name: String, _ fallback: Int) -> Int { named[name].flatMap { Int($0) } ?? fallback }
}

protocol Lookup {
    var name: String { get }
    func lookup() async throws -> String
}

/// The bindings as an app calls them: `lookUpCustomer` (the async call that honours Task
/// cancellation), or the core's blocking entry point on the calling thread.
final class UniffiLookup: Lookup {
    enum Call { case async, blocking }

    let name: String
    private let call: Call
    private let client: CustomerClient
    private let customerId: String

    init(_ o: Options, call: Call) throws {
        self.call = call
        name = call == .async ? "uniffi" : "uniffi-blocking"
        client = try CustomerClient(
            config: ClientConfig(
                baseUrl: o.str("base-url"),
                credentials: .apiKey(apiKey: o.str("api-key"), merchantId: o.str("merchant-id"))))
        customerId = o.str("customer-id")
    }

    func lookup() async throws -> String {
        switch call {
        case .async: return try await client.lookUpCustomer(customerId: customerId).id
        case .blocking: return try client.getCustomerBlocking(customerId: customerId).id
        }
    }
}

/// The customer as a hand-written client decodes it: the same fields as the core's Customer.
struct CustomerDto: Decodable {
    let id: String
    let object: String?
    let objectReferenceId: String?
    let firstName: String?
    let lastName: String?
    let emailAddress: String?
    let mobileNumber: String?
    let mobileCountryCode: String?
    let dateCreated: String?
    let lastUpdated: String?
}

struct HTTPStatusError: Error { let status: Int }

/// What a hand-written iOS client would do: URLSession's async `data(for:)` with the core's
/// headers, JSONDecoder. No URL cache (the core keeps none unless asked).
final class URLSessionLookup: Lookup {
    let name = "urlsession"
    private let session: URLSession
    private let request: URLRequest
    private let decoder = JSONDecoder()

    init(_ o: Options) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
        let customerId = o.str("customer-id")
        var base = o.str("base-url")
        while base.hasSuffix("/") { base.removeLast() }
        var request = URLRequest(url: URL(string: "\(base)/customers/\(customerId)")!)
        let basic = Data("\(o.str("api-key")):".utf8).base64EncodedString()
        for (field, value) in [
            ("Accept", "application/json"),
            ("Authorization", "Basic \(basic)"),
            ("x-merchantid", o.str("merchant-id")),
            ("x-routing-id", customerId),
            ("version", "2019-05-07"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("User-Agent", "juspay-customer/0.1.0"),
        ] {
            request.setValue(value, forHTTPHeaderField: field)
        }
        self.request = request
        decoder.keyDecodingStrategy = .convertFromSnakeCase
    }

    func lookup() async throws -> String {
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw HTTPStatusError(status: status) }
        return try decoder.decode(CustomerDto.self, from: data).id
    }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Sequential lookups for `durationMs`; each one's latency in nanoseconds, and the phase's length.
func phase(_ l: Lookup, expected: String, durationMs: Int) async throws -> ([UInt64], UInt64) {
    var samples: [UInt64] = []
    samples.reserveCapacity(1 << 16)
    let started = now()
    let end = started + UInt64(durationMs) * 1_000_000
    while now() < end {
        let t0 = now()
        let id = try await l.lookup()
        samples.append(now() - t0)
        precondition(id == expected, "wrong customer \(id)")
    }
    return (samples, now() - started)
}

/// Nearest-rank percentiles in microseconds, as benchmarks/jvm and juspay-bench report them.
func summary(_ unsorted: [UInt64], elapsedNs: UInt64) -> [String: Any] {
    let samples = unsorted.sorted()
    let n = samples.count
    func rank(_ p: Double) -> Double {
        n == 0 ? 0 : Double(samples[min(max(Int((p * Double(n)).rounded(.up)), 1), n) - 1]) / 1000
    }
    let seconds = Double(elapsedNs) / 1e9
    return [
        "count": n,
        "seconds": seconds,
        "rps": Double(n) / seconds,
        "p50_us": rank(0.5),
        "p90_us": rank(0.9),
        "p99_us": rank(0.99),
        "max_us": n == 0 ? 0 : Double(samples[n - 1]) / 1000,
        "mean_us": n == 0 ? 0 : Double(samples.reduce(0, +)) / Double(n) / 1000,
    ]
}

func latency(_ o: Options) async throws -> [String: Any] {
    let expected = o.str("customer-id")
    let clients: [Lookup] = try o.str("clients", "uniffi,uniffi-blocking,urlsession").split(separator: ",").map {
        switch $0 {
        case "uniffi": return try UniffiLookup(o, call: .async)
        case "uniffi-blocking": return try UniffiLookup(o, call: .blocking)
        case "urlsession": return URLSessionLookup(o)
        default: fatalError("unknown client \($0)")
        }
    }
    // Warm-up: connection pools open, first-call costs (library load, symbol lookups) paid.
    for _ in 0..<o.int("warmup-rounds", 2) {
        for c in clients { _ = try await phase(c, expected: expected, durationMs: o.int("warmup-ms", 2000)) }
    }
    var rounds: [[String: Any]] = []
    for round in 0..<o.int("rounds", 5) {
        // Rotate which goes first, so none always runs in the same slot.
        let shift = round % clients.count
        for c in clients[shift...] + clients[..<shift] {
            let (samples, elapsed) = try await phase(c, expected: expected, durationMs: o.int("duration-ms", 2000))
            rounds.append(["round": round, "client": c.name, "summary": summary(samples, elapsedNs: elapsed)])
        }
    }
    return ["swift": o.str("toolchain", "unknown"), "rounds": rounds]
}

@main
enum SwiftBench {
    static func main() async {
        let o = Options(Array(CommandLine.arguments.dropFirst()))
        guard o.positional.first == "latency" else {
            FileHandle.standardError.write(Data("usage: SwiftBench latency --base-url URL --api-key K ...\n".utf8))
            exit(2)
        }
        do {
            let json = try JSONSerialization.data(withJSONObject: try await latency(o), options: [.sortedKeys])
            FileHandle.standardOutput.write(json)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } catch {
            // A failed lookup ends the run: the figures would not be of the same request.
            FileHandle.standardError.write(Data("SwiftBench: \(error)\n".utf8))
            exit(1)
        }
    }
}
