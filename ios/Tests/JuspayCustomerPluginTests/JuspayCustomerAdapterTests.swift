import JuspayCustomerCore
import XCTest

@testable import JuspayCustomerPlugin

/// The adapter without a server: error mapping, cancellation by lookupId, the customer's keys.
/// What each call answers (option checks, their order, messages) is
/// src-ts/contract/plugin-calls.json, which PluginCallsTests runs.
final class JuspayCustomerAdapterTests: XCTestCase {
    /// A loopback URL the core accepts; nothing here ever connects to it.
    private let backendUrl = "http://127.0.0.1:9/backend"

    func testCancelEndsOnlyTheLookupWithThatId() async throws {
        let adapter = JuspayCustomerAdapter()
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        let first = try adapter.startLookup(["customerId": "cst_1", "lookupId": "a"])
        let other = try adapter.startLookup(["customerId": "cst_1", "lookupId": "b"])
        let anonymous = try adapter.startLookup(["customerId": "cst_1"])

        try adapter.cancel(["lookupId": "a"])
        XCTAssertTrue(first.cancellation.isCancelled())
        XCTAssertFalse(other.cancellation.isCancelled())
        XCTAssertFalse(anonymous.cancellation.isCancelled())

        // Cancelled before it starts: the core ends it at once, without connecting.
        switch await adapter.run(first) {
        case .success:
            XCTFail("a cancelled lookup must not succeed")
        case .failure(let failure):
            XCTAssertEqual(failure.code, "CANCELLED")
            XCTAssertEqual(failure.message, "the lookup was cancelled")
            assertData(failure.data, ["retryable": false])
        }
        try adapter.cancel(["lookupId": "b"])
        XCTAssertTrue(other.cancellation.isCancelled())
    }

    /// What the core throws besides CustomerError (uniffi's internal error, a LocalizedError
    /// whose description is the panic message) rejects with INTERNAL "internal error: <its
    /// message>", as on Android. (A panic inside a lookup is caught by the core itself and
    /// arrives as its own INTERNAL.) The real core cannot be made to panic on purpose, so a real
    /// client whose lookups throw such an error stands in.
    func testAnythingElseTheCoreThrowsIsAnInternalError() async throws {
        let adapter = JuspayCustomerAdapter(makeClient: { try PanickingClient(config: $0) })
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        let lookup = try adapter.startLookup(["customerId": "cst_1"])
        switch await adapter.run(lookup) {
        case .success:
            XCTFail("the lookup must fail")
        case .failure(let failure):
            XCTAssertEqual(failure.code, "INTERNAL")
            XCTAssertEqual(failure.message, "internal error: \(Panic.message)")
            assertData(failure.data, ["retryable": false])
        }

        let unbuildable = JuspayCustomerAdapter(makeClient: { _ in throw Panic() })
        assertRejects(
            try unbuildable.configure(["backendUrl": backendUrl, "token": "t"]),
            "INTERNAL", "internal error: \(Panic.message)")
        // Without a token no client is built (the core checks the URL alone), so nothing throws.
        try unbuildable.configure(["backendUrl": backendUrl])
        assertRejects(try unbuildable.setToken(["token": "t"]), "INTERNAL", "internal error: \(Panic.message)")
    }

    /// `pins` reaches the core, which checks them with or without a token (the shared cases cover
    /// the option's type; pinning itself runs over loopback TLS in the core's own tests).
    func testTheCoreChecksThePinsWithATokenOrWithout() throws {
        let pin = "sha256/" + Data(repeating: 7, count: 32).base64EncodedString()
        let adapter = JuspayCustomerAdapter()
        for token in ["t", nil] as [String?] {
            var base: [String: Any] = ["backendUrl": "https://api.merchant.invalid", "pins": [pin, pin]]
            base["token"] = token
            try adapter.configure(base)
            var http = base
            http["backendUrl"] = "http://127.0.0.1:1"
            assertRejects(
                try adapter.configure(http), "INVALID_ARGUMENT",
                "spki_pins need an https base URL: plain http has no certificate to pin")
            var bad = base
            bad["pins"] = ["AAAA"]
            assertRejects(
                try adapter.configure(bad), "INVALID_ARGUMENT",
                "spki_pins[0] is not the base64 of a SHA-256 hash (44 characters, optionally after \"sha256/\")")
        }
    }

    func testCoreErrorsKeepTheirCodeMessageAndDetails() {
        let details = ErrorDetails(
            message: "too many requests (HTTP 429)", httpStatus: 429, errorCode: "rate_limited",
            errorInfoCode: "TOO_MANY", userMessage: "Slow down.", developerMessage: nil,
            requestId: "req-1", retryAfterMs: 3000)
        let failure = PluginError(CustomerError.RateLimited(details: details))
        XCTAssertEqual(failure.code, "RATE_LIMITED")
        XCTAssertEqual(failure.message, "too many requests (HTTP 429)")
        assertData(
            failure.data,
            [
                "status": 429, "errorCode": "rate_limited", "errorInfoCode": "TOO_MANY", "userMessage": "Slow down.",
                "requestId": "req-1", "retryable": true, "retryAfterMs": 3000,
            ])

        let plain = ErrorDetails(
            message: "m", httpStatus: nil, errorCode: nil, errorInfoCode: nil,
            userMessage: nil, developerMessage: nil, requestId: nil, retryAfterMs: nil)
        let every: [(CustomerError, String, Bool)] = [
            (CustomerError.InvalidArgument(details: plain), "INVALID_ARGUMENT", false),
            (CustomerError.Unauthorized(details: plain), "UNAUTHORIZED", false),
            (CustomerError.Forbidden(details: plain), "FORBIDDEN", false),
            (CustomerError.CustomerNotFound(details: plain), "CUSTOMER_NOT_FOUND", false),
            (CustomerError.EndpointNotFound(details: plain), "ENDPOINT_NOT_FOUND", false),
            (CustomerError.RateLimited(details: plain), "RATE_LIMITED", true),
            (CustomerError.ServerError(details: plain), "SERVER_ERROR", true),
            (CustomerError.Timeout(details: plain), "TIMEOUT", true),
            (CustomerError.Network(details: plain), "NETWORK", true),
            (CustomerError.InvalidResponse(details: plain), "INVALID_RESPONSE", false),
            (CustomerError.Cancelled(details: plain), "CANCELLED", false),
            (CustomerError.Internal(details: plain), "INTERNAL", false),
        ]
        for (error, code, retryable) in every {
            let failure = PluginError(error)
            XCTAssertEqual(failure.code, code)
            XCTAssertEqual(failure.message, "m")
            assertData(failure.data, ["retryable": retryable])
        }
    }

    func testCustomerHasEveryTypeScriptKey() {
        let customer = Customer(
            id: "cst_1", object: "customer", objectReferenceId: nil, firstName: "Jane", lastName: nil,
            emailAddress: nil, mobileNumber: nil, mobileCountryCode: nil, dateCreated: nil, lastUpdated: nil)
        let object = customer.jsObject
        XCTAssertEqual(
            Set(object.keys),
            [
                "id", "object", "objectReferenceId", "firstName", "lastName", "emailAddress", "mobileNumber",
                "mobileCountryCode", "dateCreated", "lastUpdated", "juspay",
            ])
        XCTAssertEqual(object["id"] as? String, "cst_1")
        XCTAssertEqual(object["firstName"] as? String, "Jane")
        XCTAssertTrue(object["lastName"] is NSNull)
    }
}

/// Every key of `CustomerErrorData`; those not in `expected` must be `null`.
func assertData(_ data: [String: Any], _ expected: [String: Any], file: StaticString = #filePath, line: UInt = #line) {
    let keys: Set<String> = [
        "status", "errorCode", "errorInfoCode", "userMessage", "developerMessage", "requestId", "retryable",
        "retryAfterMs",
    ]
    var full: [String: Any] = [:]
    for key in keys {
        full[key] = expected[key] ?? NSNull()
    }
    // Compared as Foundation objects, the way they reach the bridge's JSON encoder.
    XCTAssertEqual(NSDictionary(dictionary: data), NSDictionary(dictionary: full), file: file, line: line)
}

func assertRejects<T>(
    _ expression: @autoclosure () throws -> T, _ code: String, _ message: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        _ = try expression()
        XCTFail("expected \(code): \(message)", file: file, line: line)
    } catch let failure as PluginError {
        XCTAssertEqual(failure.code, code, file: file, line: line)
        XCTAssertEqual(failure.message, message, file: file, line: line)
        assertData(failure.data, ["retryable": false], file: file, line: line)
    } catch {
        XCTFail("expected a PluginError, got \(error)", file: file, line: line)
    }
}

/// What uniffi throws after a panic in the core: an error whose description is the message.
struct Panic: LocalizedError {
    static let message = "panicked at src/client.rs: boom"
    var errorDescription: String? { Self.message }
}

/// A real client (the core validates its configuration) whose lookups fail as after a panic.
final class PanickingClient: CustomerClient, @unchecked Sendable {
    override func getCustomer(
        customerId: String, cancellation: CancellationToken? = nil, options: LookupOptions = LookupOptions()
    ) async throws -> Customer {
        throw Panic()
    }
}
