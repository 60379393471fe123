import Foundation
import JuspayCustomerCore
import XCTest

/// Printing the bindings' records never shows personal data or secrets: Customer, ClientConfig
/// and Credentials print through the core's redacting Debug/Display (uniffi's `description` and
/// `debugDescription`), not Swift's default reflection, which would list every field.
final class PrintingTests: XCTestCase {
    private let token = "device-token-SECRET-4711"
    private let apiKey = "sk_test_SECRET0815"

    private func printed(_ value: Any) -> [String] {
        [String(describing: value), String(reflecting: value), "\(value)", "\([value])"]
    }

    func testACustomerFromARealLookupPrintsNeitherEmailNorMobileNumber() async throws {
        let calls = try PluginCalls.load()
        let server = try CaseServer(wireCustomer: calls.wireCustomer)
        defer { server.stop() }
        let email = try XCTUnwrap(calls.customer["emailAddress"] as? String)
        let mobile = try XCTUnwrap(calls.customer["mobileNumber"] as? String)
        let client = try CustomerClient(config: ClientConfig(baseUrl: server.origin, credentials: .deviceToken(token: token)))

        let customer = try await client.getCustomer(customerId: "cst_tooedar2k7j1d60b", cancellation: nil)

        // The lookup did return them; printing must not show them.
        XCTAssertEqual(customer.emailAddress, email)
        XCTAssertEqual(customer.mobileNumber, mobile)
        for text in printed(customer) + [customer.description, customer.debugDescription] {
            XCTAssertTrue(text.contains("cst_tooedar2k7j1d60b"), "the id is shown: \(text)")
            XCTAssertFalse(text.contains(email), "email in: \(text)")
            XCTAssertFalse(text.contains(mobile), "mobile number in: \(text)")
        }
    }

    func testACustomerWithAClientAuthTokenNeverPrintsTheToken() async throws {
        let calls = try PluginCalls.load()
        let server = try CaseServer(wireCustomer: calls.wireCustomer)
        defer { server.stop() }
        let client = try CustomerClient(config: ClientConfig(baseUrl: server.origin, credentials: .deviceToken(token: token)))

        let customer = try await client.getCustomer(
            customerId: "cst_tooedar2k7j1d60b", cancellation: nil, options: LookupOptions(clientAuthToken: true))

        // The lookup did return it; printing must not show it.
        let secret = CaseServer.clientAuthToken("cst_tooedar2k7j1d60b")
        let auth = try XCTUnwrap(customer.juspay)
        XCTAssertEqual(auth.clientAuthToken, secret)
        for text in printed(customer) + printed(auth) + [customer.description, auth.debugDescription] {
            XCTAssertFalse(text.contains(secret), "client auth token in: \(text)")
            XCTAssertTrue(text.contains(CaseServer.clientAuthExpiry), "the expiry is shown: \(text)")
        }
    }

    func testAConfigurationPrintsNoTokenAndNoApiKey() {
        let withToken = ClientConfig(baseUrl: "https://api.merchant.example", credentials: .deviceToken(token: token))
        let withKey = ClientConfig(
            baseUrl: "https://api.juspay.in", credentials: .apiKey(apiKey: apiKey, merchantId: "merchant_1", apiVersion: nil))
        let texts = printed(withToken) + printed(withToken.credentials) + printed(withKey) + printed(withKey.credentials)
        for text in texts {
            XCTAssertFalse(text.contains(token), "token in: \(text)")
            XCTAssertFalse(text.contains(apiKey), "API key in: \(text)")
        }
        XCTAssertTrue(withToken.description.contains("https://api.merchant.example"), "the rest is shown: \(withToken)")
    }
}
