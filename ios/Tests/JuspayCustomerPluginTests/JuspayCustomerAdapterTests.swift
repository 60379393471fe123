import XCTest
import JuspayCustomerCore
@testable import JuspayCustomerPlugin

/// The adapter without a server: option checks, the agreed messages, error mapping,
/// cancellation by lookupId. Every rejection here happens before any network I/O.
final class JuspayCustomerAdapterTests: XCTestCase {
    /// A loopback URL the core accepts; nothing here ever connects to it.
    private let backendUrl = "http://127.0.0.1:9/backend"

    func testGetCustomerBeforeConfigureAsksForConfigure() {
        let adapter = JuspayCustomerAdapter()
        assertRejects(try adapter.startLookup(["customerId": "cst_1"]),
                      "INVALID_ARGUMENT", "call configure before getCustomer")
    }

    func testSetTokenBeforeConfigureAsksForConfigure() {
        let adapter = JuspayCustomerAdapter()
        assertRejects(try adapter.setToken(["token": "t"]), "INVALID_ARGUMENT", "call configure before setToken")
    }

    func testGetCustomerWithoutTokenAsksForOne() throws {
        let adapter = JuspayCustomerAdapter()
        try adapter.configure(["backendUrl": backendUrl])
        assertRejects(try adapter.startLookup(["customerId": "cst_1"]),
                      "INVALID_ARGUMENT", "no device token: pass token to configure or call setToken")
        try adapter.setToken(["token": "t"])
        XCTAssertNoThrow(try adapter.startLookup(["customerId": "cst_1"]))
    }

    func testConfigureWithoutTokenForgetsTheOldOne() throws {
        let adapter = JuspayCustomerAdapter()
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        try adapter.configure(["backendUrl": backendUrl])
        assertRejects(try adapter.startLookup(["customerId": "cst_1"]),
                      "INVALID_ARGUMENT", "no device token: pass token to configure or call setToken")
    }

    func testRequiredOptionsAreNamed() throws {
        let adapter = JuspayCustomerAdapter()
        assertRejects(try adapter.configure([:]), "INVALID_ARGUMENT", "backendUrl is required")
        assertRejects(try adapter.configure(["backendUrl": NSNull()]), "INVALID_ARGUMENT", "backendUrl is required")
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        assertRejects(try adapter.startLookup([:]), "INVALID_ARGUMENT", "customerId is required")
        assertRejects(try adapter.setToken([:]), "INVALID_ARGUMENT", "token is required")
        assertRejects(try adapter.cancel([:]), "INVALID_ARGUMENT", "lookupId is required")
    }

    func testWrongOptionTypesNameTheTypeScriptOption() throws {
        let adapter = JuspayCustomerAdapter()
        let cases: [([String: Any], String)] = [
            (["backendUrl": 42], "backendUrl must be a string"),
            (["backendUrl": backendUrl, "token": 7], "token must be a string"),
            (["backendUrl": backendUrl, "timeoutMs": "5000"], "timeoutMs must be a number"),
            (["backendUrl": backendUrl, "timeoutMs": true], "timeoutMs must be a number"),
            (["backendUrl": backendUrl, "connectTimeoutMs": -1], "connectTimeoutMs must be a non-negative integer"),
            (["backendUrl": backendUrl, "maxRetries": 1.5], "maxRetries must be a non-negative integer"),
        ]
        for (options, message) in cases {
            assertRejects(try adapter.configure(options), "INVALID_ARGUMENT", message)
        }
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        assertRejects(try adapter.startLookup(["customerId": 12]), "INVALID_ARGUMENT", "customerId must be a string")
        assertRejects(try adapter.startLookup(["customerId": "cst_1", "lookupId": 3]),
                      "INVALID_ARGUMENT", "lookupId must be a string")
    }

    func testTheCoreChecksValuesAndWordsTheErrors() {
        let adapter = JuspayCustomerAdapter()
        assertRejects(try adapter.configure(["backendUrl": "http://api.example.com", "token": "t"]), "INVALID_ARGUMENT",
                      "base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])")
        assertRejects(try adapter.configure(["backendUrl": backendUrl, "maxRetries": 11]),
                      "INVALID_ARGUMENT", "max_retries must be at most 10, got 11")
        // Too large to hold: saturated, so the core reports it as out of range.
        assertRejects(try adapter.configure(["backendUrl": backendUrl, "timeoutMs": 1e30]),
                      "INVALID_ARGUMENT", "deadline_ms must be between 1 and 600000, got 18446744073709551615")
        assertRejects(try adapter.configure(["backendUrl": backendUrl, "token": ""]),
                      "INVALID_ARGUMENT", "token must not be empty")
    }

    func testAFailedConfigureKeepsThePreviousConfiguration() throws {
        let adapter = JuspayCustomerAdapter()
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        assertRejects(try adapter.configure(["backendUrl": "ftp://example.com", "token": "t"]),
                      "INVALID_ARGUMENT", "base URL must use https, not ftp")
        XCTAssertNoThrow(try adapter.startLookup(["customerId": "cst_1"]))
    }

    func testCancelEndsOnlyTheLookupsWithThatId() async throws {
        let adapter = JuspayCustomerAdapter()
        try adapter.configure(["backendUrl": backendUrl, "token": "t"])
        let first = try adapter.startLookup(["customerId": "cst_1", "lookupId": "a"])
        let second = try adapter.startLookup(["customerId": "cst_1", "lookupId": "a"])
        let other = try adapter.startLookup(["customerId": "cst_1", "lookupId": "b"])
        let anonymous = try adapter.startLookup(["customerId": "cst_1"])

        try adapter.cancel(["lookupId": "a"])
        XCTAssertTrue(first.cancellation.isCancelled())
        XCTAssertTrue(second.cancellation.isCancelled())
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

    func testCancellingAnUnknownLookupDoesNothing() throws {
        let adapter = JuspayCustomerAdapter()
        XCTAssertNoThrow(try adapter.cancel(["lookupId": "never-started"]))
    }

    func testCoreErrorsKeepTheirCodeMessageAndDetails() {
        let details = ErrorDetails(
            message: "too many requests (HTTP 429)", httpStatus: 429, errorCode: "rate_limited",
            errorInfoCode: "TOO_MANY", userMessage: "Slow down.", developerMessage: nil,
            requestId: "req-1", retryAfterMs: 3000)
        let failure = PluginError(CustomerError.RateLimited(details: details))
        XCTAssertEqual(failure.code, "RATE_LIMITED")
        XCTAssertEqual(failure.message, "too many requests (HTTP 429)")
        assertData(failure.data, [
            "status": 429, "errorCode": "rate_limited", "errorInfoCode": "TOO_MANY", "userMessage": "Slow down.",
            "requestId": "req-1", "retryable": true, "retryAfterMs": 3000,
        ])

        let plain = ErrorDetails(message: "m", httpStatus: nil, errorCode: nil, errorInfoCode: nil,
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
        XCTAssertEqual(Set(object.keys), [
            "id", "object", "objectReferenceId", "firstName", "lastName", "emailAddress", "mobileNumber",
            "mobileCountryCode", "dateCreated", "lastUpdated",
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
