import Foundation

#if canImport(JuspayCustomerCore)
// A separate module under SwiftPM; under CocoaPods the generated bindings compile into this one.
import JuspayCustomerCore
#endif

/// A rejection as every platform reports it to JavaScript: `code` is one of the core's stable
/// codes (TypeScript's `CustomerErrorCode`) and `data` has every key of `CustomerErrorData`,
/// with `NSNull` where nothing is known.
///
/// Messages never hold the customer's email or mobile number: the core's never do, and the
/// adapter's own name options, not values.
struct PluginError: Error {
    let code: String
    let message: String
    let data: [String: Any]

    /// Said word for word by the web and Android adapters too (the contract test checks).
    static let notConfigured = "call configure before getCustomer"
    static let notConfiguredForSetToken = "call configure before setToken"
    static let noToken = "no device token: pass token to configure or call setToken"

    /// A rejection the adapter makes itself, before the core is asked. Every rejection is made
    /// from a core error, so the code and `retryable` are always the core's own.
    static func invalidArgument(_ message: String) -> PluginError {
        PluginError(CustomerError.InvalidArgument(details: details(message)))
    }

    /// The core's error, with its code, message and details as they are.
    init(_ error: CustomerError) {
        let details = error.details()
        self.init(
            code: error.code(), message: details.message,
            data: errorData(
                status: details.httpStatus.map { Int($0) },
                errorCode: details.errorCode,
                errorInfoCode: details.errorInfoCode,
                userMessage: details.userMessage,
                developerMessage: details.developerMessage,
                requestId: details.requestId,
                retryable: error.isRetryable(),
                // u64 in Rust; no real Retry-After gets near Int's limit.
                retryAfterMs: details.retryAfterMs.map { Int(clamping: $0) }))
    }

    /// Anything else the core or its bindings throw, e.g. uniffi's internal error (a
    /// `LocalizedError` whose description is the panic message): a bug of ours, reported as
    /// INTERNAL as on Android (a panic inside a lookup already arrives as the core's own INTERNAL).
    static func internalError(_ error: Error) -> PluginError {
        let message = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
        return PluginError(CustomerError.Internal(details: details("internal error: \(message)")))
    }

    /// Details of a failure without a server answer.
    private static func details(_ message: String) -> ErrorDetails {
        ErrorDetails(
            message: message, httpStatus: nil, errorCode: nil, errorInfoCode: nil, userMessage: nil,
            developerMessage: nil, requestId: nil, retryAfterMs: nil)
    }

    private init(code: String, message: String, data: [String: Any]) {
        self.code = code
        self.message = message
        self.data = data
    }
}

/// `CustomerErrorData`: every key present, so JavaScript sees `null` rather than `undefined`.
private func errorData(
    status: Int? = nil,
    errorCode: String? = nil,
    errorInfoCode: String? = nil,
    userMessage: String? = nil,
    developerMessage: String? = nil,
    requestId: String? = nil,
    retryable: Bool,
    retryAfterMs: Int? = nil
) -> [String: Any] {
    [
        "status": jsValue(status),
        "errorCode": jsValue(errorCode),
        "errorInfoCode": jsValue(errorInfoCode),
        "userMessage": jsValue(userMessage),
        "developerMessage": jsValue(developerMessage),
        "requestId": jsValue(requestId),
        "retryable": retryable,
        "retryAfterMs": jsValue(retryAfterMs),
    ]
}

/// The value, or JavaScript's `null`: a dictionary entry set to nil would drop the key.
func jsValue<T>(_ value: T?) -> Any {
    value.map { $0 as Any } ?? NSNull()
}
