// STAND-INS, NOT CAPACITOR. Module `Capacitor` for Linux only (ios/Tests/linux/Package.swift):
// exactly the Capacitor types and members that ios/Sources/JuspayCustomerPlugin/
// JuspayCustomerPlugin.swift uses, declared as Swift sees the real ones, so that file compiles
// without iOS. check_stand_ins.py checks every declaration here against the sources of the
// pinned @capacitor/ios npm package (and that there are no others). Nothing here runs in an app.
import Foundation

/// CAPPlugin.h: `@interface CAPPlugin : NSObject`.
open class CAPPlugin: NSObject {}

/// CAPBridgedPlugin.h: `@protocol CAPBridgedPlugin <NSObject>` and its three properties.
public protocol CAPBridgedPlugin: NSObjectProtocol {
    var identifier: String { get }
    var jsName: String { get }
    var pluginMethods: [CAPPluginMethod] { get }
}

/// CAPBridgedPlugin.h: `#define CAPPluginReturnPromise @"promise"`.
// swift-format-ignore: AlwaysUseLowerCamelCase
// Capacitor's own name, which the plugin uses.
public var CAPPluginReturnPromise: String { "promise" }

/// CAPPluginMethod.h: `@interface CAPPluginMethod : NSObject`, `initWithName:returnType:`.
open class CAPPluginMethod: NSObject {
    public init(name: String!, returnType: String!) {}
}

/// PluginCallResult.swift.
public typealias PluginCallResultData = [String: Any]

/// CAPPluginCall.h (`options`) and CAPPluginCall.swift (`resolve`, `reject`).
open class CAPPluginCall: NSObject {
    public var options: [AnyHashable: Any]! = [:]
    public func resolve() {}
    public func resolve(_ data: PluginCallResultData = [:]) {}
    public func reject(_ message: String, _ code: String? = nil, _ error: Error? = nil, _ data: PluginCallResultData? = nil) {}
}
