/**
 * Quick picks for the sign-in screen: the object_reference_ids of the customers the reference
 * backend's embedded emulator is seeded with (rust-core/sandbox/src/demo.rs). Only ids, no
 * personal data; the end-to-end tests sign in as each, so a change in the seed shows up there.
 */
export const DEMO_CUSTOMER_IDS: readonly string[] = [
  'customer-id-007',
  'user-10042',
  'user-10043',
  'user-10044',
  'user-10045',
];
