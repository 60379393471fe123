package io.juspaycustomer.plugin

import io.juspaycustomer.core.CustomerException
import io.juspaycustomer.core.ErrorDetails
import io.juspaycustomer.core.coreConstants
import org.json.JSONObject

/**
 * A rejection as every platform reports it to JavaScript: [code] is one of the core's stable
 * codes (TypeScript's `CustomerErrorCode`), [data] has every key of `CustomerErrorData`, with
 * `JSONObject.NULL` where nothing is known. Every rejection is made from a core error, so the
 * code and `retryable` are always the core's own.
 *
 * Messages never hold the customer's email or mobile number: the core's never do, and the
 * adapter's own name options, not values.
 */
class PluginError(
    val code: String,
    override val message: String,
    val data: JSONObject,
) : Exception(message) {

    companion object {
        /** Rejections the adapter makes itself, before the core is asked. */
        fun invalidArgument(message: String) = from(CustomerException.InvalidArgument(details(message)))

        /** The caller's coroutine was cancelled: said exactly as the core says its own CANCELLED. */
        fun cancelled() = from(CustomerException.Cancelled(details(coreConstants().cancelledMessage)))

        /**
         * Anything else the core or its bindings throw, e.g. uniffi's `InternalException`: a bug
         * of ours, reported as INTERNAL as on iOS (a panic inside a lookup already arrives as the
         * core's own INTERNAL).
         */
        fun internalError(e: Throwable) = from(CustomerException.Internal(details("internal error: ${e.message ?: e.toString()}")))

        /** The core's error, with its code, message and details as they are. */
        fun from(e: CustomerException): PluginError {
            val details = e.details()
            return PluginError(e.code(), details.message, data(details, e.isRetryable()))
        }

        private fun data(d: ErrorDetails, retryable: Boolean) = JSONObject()
            .put("status", d.httpStatus?.toInt().orNull())
            .put("errorCode", d.errorCode.orNull())
            .put("errorInfoCode", d.errorInfoCode.orNull())
            .put("userMessage", d.userMessage.orNull())
            .put("developerMessage", d.developerMessage.orNull())
            .put("requestId", d.requestId.orNull())
            .put("retryable", retryable)
            // u64 in Rust; a Long can't hold the top half, and no real Retry-After gets there.
            .put("retryAfterMs", d.retryAfterMs?.coerceAtMost(Long.MAX_VALUE.toULong())?.toLong().orNull())

        /** Details of a failure without a server answer. The code comes from the core's error. */
        private fun details(message: String) = ErrorDetails(message, null, null, null, null, null, null, null)

        const val NOT_CONFIGURED = "call configure before getCustomer"
        const val NOT_CONFIGURED_FOR_SET_TOKEN = "call configure before setToken"
        const val NO_TOKEN = "no device token: pass token to configure or call setToken"
    }
}

/** JSONObject.put(key, null) removes the key; the contract wants every key present. */
internal fun Any?.orNull(): Any = this ?: JSONObject.NULL
