import Foundation

/// Reads the options JavaScript passed, by the names `definitions.ts` gives them, with the words
/// every platform uses (src-ts/contract/plugin-calls.json). What strings mean (URL rules, token
/// rules, customer id rules) the core checks, so those errors are worded the same everywhere.
///
/// A key that is absent or `null` is "not given": `JSON.stringify` drops `undefined`.
enum Options {
    static func requiredString(_ options: [String: Any], _ key: String) throws -> String {
        guard let value = try optionalString(options, key) else {
            throw PluginError.invalidArgument("\(key) is required")
        }
        return value
    }

    static func optionalString(_ options: [String: Any], _ key: String) throws -> String? {
        guard let value = given(options, key) else { return nil }
        guard let string = value as? String else {
            throw PluginError.invalidArgument("\(key) must be a string")
        }
        return string
    }

    /// A whole number within `min...max`, checked here rather than by the core so the message
    /// names the TypeScript option (the core says `deadline_ms`) and never echoes the value
    /// (each platform prints numbers its own way).
    static func optionalInteger(_ options: [String: Any], _ key: String, min: Int, max: Int) throws -> Int? {
        guard let value = given(options, key) else { return nil }
        // JavaScript booleans arrive as NSNumber too; they are not numbers here.
        guard let number = value as? NSNumber, !isBoolean(number) else {
            throw PluginError.invalidArgument("\(key) must be a number")
        }
        let double = number.doubleValue
        // NaN fails the first comparison, infinities the range.
        guard double == double.rounded(.down), double >= Double(min), double <= Double(max) else {
            throw PluginError.invalidArgument("\(key) must be an integer between \(min) and \(max)")
        }
        return Int(double)
    }

    /// Whether a JSON value is a boolean: Foundation gives JSON booleans as CFBoolean NSNumbers.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        #if canImport(Darwin)
        return CFGetTypeID(number) == CFBooleanGetTypeID()
        #else
        // swift-corelibs-foundation (Linux) does not bridge NSNumber to CF types; its booleans
        // are instances of the one class it uses for NSNumber(value: Bool).
        return type(of: number) == booleanClass
        #endif
    }

    #if !canImport(Darwin)
    private static let booleanClass: NSNumber.Type = type(of: NSNumber(value: true))
    #endif

    /// A boolean; absent or `null` is `false`. JavaScript numbers arrive as NSNumber too, and
    /// `1 as? Bool` would succeed: only a real boolean counts.
    static func optionalBoolean(_ options: [String: Any], _ key: String) throws -> Bool {
        guard let value = given(options, key) else { return false }
        guard let number = value as? NSNumber, isBoolean(number) else {
            throw PluginError.invalidArgument("\(key) must be a boolean")
        }
        return number.boolValue
    }

    /// An array of strings; absent or `null` is empty.
    static func optionalStringList(_ options: [String: Any], _ key: String) throws -> [String] {
        guard let value = given(options, key) else { return [] }
        guard let array = value as? [Any], let strings = array as? [String], strings.count == array.count else {
            throw PluginError.invalidArgument("\(key) must be an array of strings")
        }
        return strings
    }

    private static func given(_ options: [String: Any], _ key: String) -> Any? {
        guard let value = options[key], !(value is NSNull) else { return nil }
        return value
    }
}
