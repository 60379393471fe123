import Foundation

#if canImport(JuspayCustomerCore)
import JuspayCustomerCore
#endif

extension Customer {
    /// The customer in TypeScript's `Customer` shape: every key present, `null` for what Juspay
    /// omitted. It holds personal data (email, mobile number) and, when asked for, Juspay's
    /// client auth token: hand it to the caller, never to a log.
    var jsObject: [String: Any] {
        [
            "id": id,
            "object": jsValue(object),
            "objectReferenceId": jsValue(objectReferenceId),
            "firstName": jsValue(firstName),
            "lastName": jsValue(lastName),
            "emailAddress": jsValue(emailAddress),
            "mobileNumber": jsValue(mobileNumber),
            "mobileCountryCode": jsValue(mobileCountryCode),
            "dateCreated": jsValue(dateCreated),
            "lastUpdated": jsValue(lastUpdated),
            "juspay": jsValue(juspay?.jsObject),
        ]
    }
}

extension JuspayClientAuth {
    /// TypeScript's `JuspayClientAuth`.
    var jsObject: [String: Any] {
        [
            "clientAuthToken": clientAuthToken,
            "clientAuthTokenExpiry": jsValue(clientAuthTokenExpiry),
        ]
    }
}
