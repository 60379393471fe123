//! The customers the emulator starts with when no seed file is given. The first is the one on
//! Juspay's Get Customer page, so the page's sample request gets the page's sample answer.

use crate::customer::Customer;

/// (id, object_reference_id, first, last, email, country code, mobile, created, updated)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const DEMO: [Row; 6] = [
    (
        "cst_tooedar2k7j1d60b",
        "customer",
        "name",
        "al",
        "test@juspay.in",
        "65",
        "99999999",
        "2020-03-17T14:29:17Z",
        "2020-03-17T14:29:17Z",
    ),
    (
        "cst_7hq2m9xk4v1p8zta",
        "customer-id-007",
        "Priya",
        "Raghavan",
        "priya.raghavan@example.com",
        "91",
        "9876543210",
        "2024-02-11T09:15:42Z",
        "2025-06-03T17:48:05Z",
    ),
    (
        "cst_k3w8n1c5r7d2f6gb",
        "user-10042",
        "Aarav",
        "Mehta",
        "aarav.mehta@example.com",
        "91",
        "9123456780",
        "2024-08-29T14:02:11Z",
        "2024-08-29T14:02:11Z",
    ),
    (
        "cst_p5t9y2e6u3j8l1qm",
        "user-10043",
        "Wei Ling",
        "Tan",
        "weiling.tan@example.com",
        "65",
        "91234567",
        "2025-01-07T03:30:00Z",
        "2025-11-19T08:12:54Z",
    ),
    (
        "cst_b8v4s6a1z9x3c7hn",
        "user-10044",
        "Nur Aisyah",
        "Rahman",
        "aisyah.rahman@example.com",
        "60",
        "123456789",
        "2025-04-22T11:45:19Z",
        "2025-04-22T11:45:19Z",
    ),
    (
        "cst_f2g6h0j4k8m1n5pr",
        "user-10045",
        "Juan",
        "dela Cruz",
        "juan.delacruz@example.com",
        "63",
        "9171234567",
        "2025-09-30T22:05:37Z",
        "2026-01-14T06:20:48Z",
    ),
];

/// The built-in demo customers: Juspay's documented sample customer and five more.
pub fn demo_customers() -> Vec<Customer> {
    DEMO.iter()
        .map(
            |&(id, reference, first, last, email, country, mobile, created, updated)| Customer {
                object_reference_id: reference.into(),
                object: "customer".into(),
                mobile_number: Some(mobile.into()),
                mobile_country_code: Some(country.into()),
                last_updated: updated.into(),
                last_name: Some(last.into()),
                id: id.into(),
                first_name: Some(first.into()),
                email_address: Some(email.into()),
                date_created: created.into(),
            },
        )
        .collect()
}
