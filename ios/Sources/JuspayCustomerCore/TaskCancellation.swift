// Hand-written, beside (not inside) the generated bindings in Generated/: part of their module
// (JuspayCustomerCore under SwiftPM, the pod's one module under CocoaPods), so no import.

extension CustomerClient {
    /// `getCustomer` that also stops when the Swift `Task` awaiting it is cancelled: the lookup
    /// ends with `CustomerError.Cancelled` and its connection is closed, as with
    /// `cancellation.cancel()`. uniffi's generated async call has no cancellation handler (it
    /// keeps polling the Rust future after the Task is cancelled), so this routes the Task's
    /// cancellation into the core's `CancellationToken`: the given one, which is then cancelled
    /// too, or a new one.
    public func lookUpCustomer(
        customerId: String, cancellation: CancellationToken? = nil, options: LookupOptions = LookupOptions()
    ) async throws -> Customer {
        let token = cancellation ?? CancellationToken()
        // The handler runs at once when the Task is already cancelled; the core then answers
        // CANCELLED without connecting.
        return try await withTaskCancellationHandler {
            try await getCustomer(customerId: customerId, cancellation: token, options: options)
        } onCancel: {
            token.cancel()
        }
    }
}
