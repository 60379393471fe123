package io.juspaycustomer.plugin

import io.juspaycustomer.core.Customer
import org.json.JSONObject

/**
 * The customer in TypeScript's `Customer` shape: every key present, `null` for what Juspay
 * omitted. It holds personal data (email, mobile number) and, when asked for, Juspay's client
 * auth token: hand it to the caller, never to a log.
 */
internal fun Customer.toJson(): JSONObject = JSONObject()
    .put("id", id)
    .put("object", `object`.orNull())
    .put("objectReferenceId", objectReferenceId.orNull())
    .put("firstName", firstName.orNull())
    .put("lastName", lastName.orNull())
    .put("emailAddress", emailAddress.orNull())
    .put("mobileNumber", mobileNumber.orNull())
    .put("mobileCountryCode", mobileCountryCode.orNull())
    .put("dateCreated", dateCreated.orNull())
    .put("lastUpdated", lastUpdated.orNull())
    // TypeScript's `JuspayClientAuth`.
    .put(
        "juspay",
        juspay?.let { auth ->
            JSONObject()
                .put("clientAuthToken", auth.clientAuthToken)
                .put("clientAuthTokenExpiry", auth.clientAuthTokenExpiry.orNull())
        }.orNull(),
    )
