package io.juspaycustomer.plugin

import org.json.JSONObject

/**
 * Reads the options JavaScript passed, by the names `definitions.ts` gives them. Only types are
 * checked here; what the values mean (URL rules, ranges, customer id rules) the core checks, so
 * every platform words those errors the same.
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

    /** A non-negative whole number, saturated at [max] so the core reports it as out of range. */
    fun optionalCount(options: JSONObject, key: String, max: ULong): ULong? {
        val value = given(options, key) ?: return null
        if (value !is Number) throw PluginError.invalidArgument("$key must be a number")
        val asDouble = value.toDouble()
        if (asDouble.isNaN() || asDouble < 0 || asDouble != Math.floor(asDouble)) {
            throw PluginError.invalidArgument("$key must be a non-negative integer")
        }
        // Whole doubles beyond Long's range still compare correctly against max.
        return if (asDouble >= max.toDouble()) max else value.toLong().toULong().coerceAtMost(max)
    }

    private fun given(options: JSONObject, key: String): Any? =
        options.opt(key).takeUnless { it == null || it == JSONObject.NULL }
}
