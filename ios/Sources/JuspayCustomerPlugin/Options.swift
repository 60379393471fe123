import Foundation

/// Reads the options JavaScript passed, by the names `definitions.ts` gives them. Only types are
/// checked here; what the values mean (URL rules, ranges, customer id rules) the core checks, so
/// every platform words those errors the same.
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

    /// A non-negative whole number, saturated at `max` so the core reports it as out of range.
    static func optionalCount(_ options: [String: Any], _ key: String, max: UInt64) throws -> UInt64? {
        guard let value = given(options, key) else { return nil }
        // JavaScript booleans arrive as NSNumber too; they are not numbers here.
        guard let number = value as? NSNumber, CFGetTypeID(number) != CFBooleanGetTypeID() else {
            throw PluginError.invalidArgument("\(key) must be a number")
        }
        let double = number.doubleValue
        guard !double.isNaN, double >= 0, double == double.rounded(.down) else {
            throw PluginError.invalidArgument("\(key) must be a non-negative integer")
        }
        // Compared as doubles: whole doubles past UInt64's range (or infinity) saturate too.
        return double >= Double(max) ? max : UInt64(double)
    }

    private static func given(_ options: [String: Any], _ key: String) -> Any? {
        guard let value = options[key], !(value is NSNull) else { return nil }
        return value
    }
}
