import Capacitor
import Foundation

/// The Capacitor bridge to `JuspayCustomerAdapter`: one method per method of
/// `JuspayCustomerPlugin` in `definitions.ts`. It only moves `CAPPluginCall`s in and answers
/// out; everything else is the adapter's, which XCTest runs without a bridge.
@objc(JuspayCustomerPlugin)
public class JuspayCustomerPlugin: CAPPlugin, CAPBridgedPlugin {
    public let identifier = "JuspayCustomerPlugin"
    public let jsName = "JuspayCustomer"
    public let pluginMethods: [CAPPluginMethod] = [
        CAPPluginMethod(name: "configure", returnType: CAPPluginReturnPromise),
        CAPPluginMethod(name: "setToken", returnType: CAPPluginReturnPromise),
        CAPPluginMethod(name: "getCustomer", returnType: CAPPluginReturnPromise),
        CAPPluginMethod(name: "cancel", returnType: CAPPluginReturnPromise),
    ]

    private let adapter = JuspayCustomerAdapter()

    @objc func configure(_ call: CAPPluginCall) {
        answer(call) { try adapter.configure(options(of: call)) }
    }

    @objc func setToken(_ call: CAPPluginCall) {
        answer(call) { try adapter.setToken(options(of: call)) }
    }

    @objc func getCustomer(_ call: CAPPluginCall) {
        let lookup: JuspayCustomerAdapter.Lookup
        do {
            // Registered before this method returns, so a cancel() the bridge delivers next
            // finds it; only the wait for the network leaves the plugin's queue.
            lookup = try adapter.startLookup(options(of: call))
        } catch {
            reject(call, error)
            return
        }
        let adapter = self.adapter
        Task {
            switch await adapter.run(lookup) {
            case .success(let customer):
                call.resolve(customer)
            case .failure(let failure):
                call.reject(failure.message, failure.code, nil, failure.data)
            }
        }
    }

    @objc func cancel(_ call: CAPPluginCall) {
        answer(call) { try adapter.cancel(options(of: call)) }
    }

    private func answer(_ call: CAPPluginCall, _ action: () throws -> Void) {
        do {
            try action()
            call.resolve()
        } catch {
            reject(call, error)
        }
    }

    private func reject(_ call: CAPPluginCall, _ error: Error) {
        let failure = error as? PluginError ?? PluginError.internalError(error)
        call.reject(failure.message, failure.code, nil, failure.data)
    }

    private func options(of call: CAPPluginCall) -> [String: Any] {
        call.options as? [String: Any] ?? [:]
    }
}
