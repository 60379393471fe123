import Foundation

#if canImport(JuspayCustomerCore)
import JuspayCustomerCore
#endif

/// Everything the Capacitor plugin does, without Capacitor, so XCTest runs it directly: reads
/// the options of `definitions.ts`, keeps one core client for the configured backend and token,
/// runs and cancels lookups, and turns every outcome into what JavaScript receives. How each call
/// answers (checks, their order, messages) is src-ts/contract/plugin-calls.json, which XCTest
/// runs here as the JVM suite does against the Android adapter.
///
/// Thread-safety: a lock, not an actor. Capacitor delivers calls in JavaScript's order on the
/// plugin's queue; state changes here happen synchronously on that queue, under the lock, so a
/// `cancel(lookupId)` sent right after `getCustomer` always finds its lookup. An actor would
/// need a `Task` per call, and tasks started one after another may reach it in any order. The
/// lock is never held across an `await` or a call into the core.
final class JuspayCustomerAdapter: @unchecked Sendable {
    /// Builds the core's client; tests pass another to reach failures the real core cannot be
    /// made to produce.
    typealias ClientFactory = (ClientConfig) throws -> CustomerClient

    /// One lookup in flight. `cancel(lookupId)` reaches it through the core's own token, since
    /// JavaScript names a lookup, not a Swift `Task`; cancelling the Task that runs it stops it too.
    final class Lookup {
        let customerId: String
        let lookupId: String?
        let options: LookupOptions
        let client: CustomerClient
        let cancellation = CancellationToken()

        init(customerId: String, lookupId: String?, options: LookupOptions, client: CustomerClient) {
            self.customerId = customerId
            self.lookupId = lookupId
            self.options = options
            self.client = client
        }
    }

    /// What `configure` gave but the token; each token gets a client built from it.
    struct Endpoint {
        let baseUrl: String
        let connectTimeoutMs: UInt64
        let deadlineMs: UInt64
        let maxRetries: UInt32
        let spkiPins: [String]
        let cacheTtlMs: UInt64

        func config(token: String) -> ClientConfig {
            ClientConfig(
                baseUrl: baseUrl, credentials: .deviceToken(token: token),
                connectTimeoutMs: connectTimeoutMs, deadlineMs: deadlineMs, maxRetries: maxRetries,
                spkiPins: spkiPins, cacheTtlMs: cacheTtlMs)
        }
    }

    /// The core's bounds and defaults, checked here too to name the TypeScript option.
    private static let core = coreConstants()

    private let makeClient: ClientFactory
    private let lock = NSLock()
    private var endpoint: Endpoint?  // nil until configured
    private var client: CustomerClient?  // nil until there is a token
    private var inFlight: [ObjectIdentifier: Lookup] = [:]

    init(makeClient: @escaping ClientFactory = { try CustomerClient(config: $0) }) {
        self.makeClient = makeClient
    }

    /// Replaces the whole configuration, token included (absent means none until `setToken`).
    /// The adapter checks the types and numbers, then the core checks the URL and the token, so
    /// a bad option fails here rather than at the first lookup; on failure nothing changes.
    func configure(_ options: [String: Any]) throws {
        let backendUrl = try Options.requiredString(options, "backendUrl")
        let token = try Options.optionalString(options, "token")
        let maxTimeoutMs = Int(Self.core.maxTimeoutMs)
        let timeoutMs = try Options.optionalInteger(options, "timeoutMs", min: 1, max: maxTimeoutMs)
        let connectTimeoutMs = try Options.optionalInteger(options, "connectTimeoutMs", min: 1, max: maxTimeoutMs)
        let maxRetries = try Options.optionalInteger(options, "maxRetries", min: 0, max: Int(Self.core.maxRetries))
        let cacheTtlMs = try Options.optionalInteger(options, "cacheTtlMs", min: 0, max: Int(Self.core.maxCacheTtlMs))
        let pins = try Options.optionalStringList(options, "pins")
        // The core's defaults for what was not given.
        let endpoint = Endpoint(
            baseUrl: backendUrl,
            connectTimeoutMs: connectTimeoutMs.map { UInt64($0) } ?? Self.core.defaultConnectTimeoutMs,
            deadlineMs: timeoutMs.map { UInt64($0) } ?? Self.core.defaultDeadlineMs,
            maxRetries: maxRetries.map { UInt32($0) } ?? Self.core.defaultMaxRetries,
            spkiPins: pins,
            cacheTtlMs: cacheTtlMs.map { UInt64($0) } ?? 0)
        // Without a token there is no client yet: the core checks the URL and the pins alone.
        let built: CustomerClient?
        if let token = token {
            built = try newClient(endpoint, token: token)
        } else {
            try core { try checkEndpoint(baseUrl: backendUrl, spkiPins: pins) }
            built = nil
        }
        locked {
            self.endpoint = endpoint
            self.client = built
        }
    }

    /// Replaces the device token; lookups already running finish with the old one. The new
    /// client starts with an empty cache: nothing fetched under the old token is given under it.
    func setToken(_ options: [String: Any]) throws {
        guard let endpoint = locked({ self.endpoint }) else {
            throw PluginError.invalidArgument(PluginError.notConfiguredForSetToken)
        }
        let built = try newClient(endpoint, token: Options.requiredString(options, "token"))
        locked { self.client = built }
    }

    /// Checks the call and registers the lookup under `options.lookupId`, synchronously, so a
    /// `cancel` delivered next finds it; `run` then performs it.
    func startLookup(_ options: [String: Any]) throws -> Lookup {
        try locked { () throws -> Lookup in
            guard endpoint != nil else { throw PluginError.invalidArgument(PluginError.notConfigured) }
            guard let client = client else { throw PluginError.invalidArgument(PluginError.noToken) }
            let customerId = try Options.requiredString(options, "customerId")
            let lookupId = try Options.optionalString(options, "lookupId")
            let lookupOptions = LookupOptions(clientAuthToken: try Options.optionalBoolean(options, "clientAuthToken"))
            if let lookupId = lookupId {
                // An id names one lookup, or cancel could not tell which.
                guard !lookupId.isEmpty else { throw PluginError.invalidArgument("lookupId must not be empty") }
                guard !inFlight.values.contains(where: { $0.lookupId == lookupId }) else {
                    throw PluginError.invalidArgument("lookupId \"\(lookupId)\" is already used by a lookup in flight")
                }
            }
            let lookup = Lookup(customerId: customerId, lookupId: lookupId, options: lookupOptions, client: client)
            inFlight[ObjectIdentifier(lookup)] = lookup
            return lookup
        }
    }

    /// Performs a lookup from `startLookup`: the customer in TypeScript's shape, or the rejection.
    func run(_ lookup: Lookup) async -> Result<[String: Any], PluginError> {
        defer { locked { inFlight[ObjectIdentifier(lookup)] = nil } }
        do {
            let customer = try await lookup.client.lookUpCustomer(
                customerId: lookup.customerId, cancellation: lookup.cancellation, options: lookup.options)
            return .success(customer.jsObject)
        } catch let error as CustomerError {
            return .failure(PluginError(error))
        } catch {
            return .failure(PluginError.internalError(error))
        }
    }

    /// Cancels the lookup started with `options.lookupId`: it ends with CANCELLED. Unknown or
    /// finished ids do nothing.
    func cancel(_ options: [String: Any]) throws {
        let lookupId = try Options.requiredString(options, "lookupId")
        let matching = locked { inFlight.values.filter { $0.lookupId == lookupId } }
        matching.forEach { $0.cancellation.cancel() }
    }

    private func newClient(_ endpoint: Endpoint, token: String) throws -> CustomerClient {
        try core { try makeClient(endpoint.config(token: token)) }
    }

    /// Runs a call into the core, turning what it throws into the `PluginError` JavaScript gets.
    private func core<T>(_ call: () throws -> T) throws -> T {
        do {
            return try call()
        } catch let error as CustomerError {
            throw PluginError(error)
        } catch {
            throw PluginError.internalError(error)
        }
    }

    // NSLock.withLock needs iOS 16; the package supports iOS 15.
    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
