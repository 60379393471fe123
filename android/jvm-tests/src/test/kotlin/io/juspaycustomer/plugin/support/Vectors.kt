package io.juspaycustomer.plugin.support

import org.json.JSONObject

/** One shared scenario vector (format: rust-core/tests/vectors/README.md). */
class Vector(val name: String, val json: JSONObject) {
    val customerId: String = json.getString("customerId")
    private val config: JSONObject = json.optJSONObject("config") ?: JSONObject()
    // The format's defaults, not the client's (README: "these are the defaults").
    val deadlineMs: Long = config.optLong("deadlineMs", 5_000)
    val maxRetries: Int = config.optInt("maxRetries", 2)
    /** `options.clientAuthToken`; absent is false. */
    val clientAuthToken: Boolean = json.optJSONObject("options")?.optBoolean("clientAuthToken") ?: false
    val expect: JSONObject = json.getJSONObject("expect")
    val expectedRequests: Int = expect.getInt("requests")
    val expectedPath: String? = expect.optString("requestPath").takeIf { expect.has("requestPath") }
    /** A customer's absent `juspay` means null (the format's README). */
    val expectedCustomer: JSONObject? = expect.optJSONObject("customer")?.let {
        if (it.has("juspay")) it else JSONObject(it.toString()).put("juspay", JSONObject.NULL)
    }
    val expectedError: JSONObject? = expect.optJSONObject("error")

    override fun toString() = name
}

object Vectors {
    fun all(): List<Vector> {
        val files = Paths.vectors.listFiles { f -> f.name.endsWith(".json") }.orEmpty().sortedBy { it.name }
        check(files.size >= 30) { "only ${files.size} vectors in ${Paths.vectors}" }
        return files.map { Vector(it.name.removeSuffix(".json"), JSONObject(it.readText())) }
    }
}
