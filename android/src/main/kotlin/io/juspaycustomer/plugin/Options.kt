package io.juspaycustomer.plugin

import org.json.JSONArray
import org.json.JSONObject

/**
 * Reads the options JavaScript passed, by the names `definitions.ts` gives them, with the words
 * every platform uses (src-ts/contract/plugin-calls.json). What strings mean (URL rules, token
 * rules, customer id rules) the core checks, so those errors are worded the same everywhere.
 *
 * A key that is absent or `null` is "not given": `JSON.stringify` drops `undefined`.
 */
internal object Options {

    fun requiredString(options: JSONObject, key: String): String =
        optionalString(options, key) ?: throw PluginError.invalidArgument("$key is required")

    fun optionalString(options: JSONObject, key: String): String? = when (val value = given(options, key)) {
        null -> null
        is String -> value
        else -> throw PluginError.invalidArgument("$key must be a string")
    }

    /** A boolean; absent or `null` is `false`. */
    fun optionalBoolean(options: JSONObject, key: String): Boolean = when (val value = given(options, key)) {
        null -> false
        is Boolean -> value
        else -> throw PluginError.invalidArgument("$key must be a boolean")
    }

    /**
     * A whole number within [min]..[max], checked here rather than by the core so the message
     * names the TypeScript option (the core says `deadline_ms`) and never echoes the value
     * (each platform prints numbers its own way).
     */
    fun optionalInteger(options: JSONObject, key: String, min: Int, max: Int): Int? {
        val value = given(options, key) ?: return null
        if (value !is Number) throw PluginError.invalidArgument("$key must be a number")
        val number = value.toDouble()
        // NaN fails the first comparison, infinities the range.
        if (number != Math.floor(number) || number < min || number > max) {
            throw PluginError.invalidArgument("$key must be an integer between $min and $max")
        }
        return number.toInt()
    }

    /** An array of strings; absent or `null` is empty. */
    fun optionalStringList(options: JSONObject, key: String): List<String> {
        val value = given(options, key) ?: return emptyList()
        val array = value as? JSONArray ?: throw PluginError.invalidArgument("$key must be an array of strings")
        return (0 until array.length()).map {
            array.opt(it) as? String ?: throw PluginError.invalidArgument("$key must be an array of strings")
        }
    }

    private fun given(options: JSONObject, key: String): Any? = options.opt(key).takeUnless { it == null || it == JSONObject.NULL }
}
