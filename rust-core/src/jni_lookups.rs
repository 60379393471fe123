//! The blocking lookup called through JNI, for the JVM and Android (`JniLookups.kt` in the
//! Android library), beside the uniffi bindings rather than instead of them.
//!
//! Why: uniffi's Kotlin bindings call through JNA, and one lookup through them makes six JNA
//! calls that each allocate native structures JNA tracks for its cleaner; on the JVM that costs
//! more CPU than OkHttp's whole request. Here one lookup is three JNI calls (a cancellation,
//! the lookup, its release) that pass byte arrays. Values cross in uniffi's own serialization
//! (the generated `FfiConverter`s read and write them on the Kotlin side), so the records, the
//! error codes and their order stay exactly those of the bindings.
//!
//! Handles are `Box<Arc<T>>` pointers owned by the Kotlin side: `open`/`close` for a client,
//! `newCancellation`/`freeCancellation` for a token. Kotlin never passes a freed handle (it
//! counts calls in flight before closing), and never 0 where a handle is required.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use jni_sys::{jbyte, jbyteArray, jclass, jlong, jsize, JNIEnv};
use uniffi::{Lift, Lower};

use crate::error::ErrorDetails;
use crate::{CancellationToken, CustomerClient, CustomerError, LookupOptions, UniFfiTag};

/// The first byte of a lookup's answer: a `Customer` or a `CustomerError` follows.
const ANSWER_CUSTOMER: u8 = 0;
const ANSWER_ERROR: u8 = 1;

/// Takes over the handle from `CustomerClient.uniffiCloneHandle()` (a clone the caller gave
/// away) and returns this module's handle to the same client, or 0 when the handle is not one.
#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_open(
    _env: *mut JNIEnv,
    _class: jclass,
    uniffi_handle: jlong,
) -> jlong {
    catch_unwind(|| {
        match <Arc<CustomerClient> as Lift<UniFfiTag>>::try_lift(
            uniffi::Handle::from_raw_unchecked(uniffi_handle as u64),
        ) {
            Ok(client) => Box::into_raw(Box::new(client)) as jlong,
            Err(_) => 0,
        }
    })
    .unwrap_or(0)
}

/// Releases a handle from `open`; lookups still running keep their own reference.
#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_close(
    _env: *mut JNIEnv,
    _class: jclass,
    client: jlong,
) {
    // SAFETY: `client` came from `open` and Kotlin releases it once (see the module comment).
    drop(unsafe { Box::from_raw(client as *mut Arc<CustomerClient>) });
}

#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_newCancellation(
    _env: *mut JNIEnv,
    _class: jclass,
) -> jlong {
    Box::into_raw(Box::new(Arc::new(CancellationToken::new()))) as jlong
}

#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_cancel(
    _env: *mut JNIEnv,
    _class: jclass,
    cancellation: jlong,
) {
    // SAFETY: a live handle from `newCancellation` (see the module comment).
    unsafe { &*(cancellation as *const Arc<CancellationToken>) }.cancel();
}

#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_freeCancellation(
    _env: *mut JNIEnv,
    _class: jclass,
    cancellation: jlong,
) {
    // SAFETY: as in `cancel`, released once.
    drop(unsafe { Box::from_raw(cancellation as *mut Arc<CancellationToken>) });
}

/// `CustomerClient::get_customer_blocking` with the customer id as UTF-8 and the options in
/// uniffi's serialization; returns [`ANSWER_CUSTOMER`] and the customer, or [`ANSWER_ERROR`]
/// and the error (a panic in the core is INTERNAL). Null only when the JVM could not allocate
/// the answer, with its OutOfMemoryError pending.
#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_getCustomerBlocking(
    env: *mut JNIEnv,
    _class: jclass,
    client: jlong,
    customer_id: jbyteArray,
    cancellation: jlong,
    options: jbyteArray,
) -> jbyteArray {
    // SAFETY: the JVM passes a valid env and arrays; the handles are live (module comment).
    let (client, customer_id, cancellation, options) = unsafe {
        (
            Arc::clone(&*(client as *const Arc<CustomerClient>)),
            read_bytes(env, customer_id),
            (cancellation != 0)
                .then(|| Arc::clone(&*(cancellation as *const Arc<CancellationToken>))),
            read_bytes(env, options),
        )
    };
    let answer = catch_unwind(AssertUnwindSafe(|| {
        lookup(client, customer_id, cancellation, options)
    }))
    .unwrap_or_else(|panic| Err(panicked(&*panic)));
    let mut bytes = Vec::with_capacity(512);
    match answer {
        Ok(customer) => {
            bytes.push(ANSWER_CUSTOMER);
            <crate::Customer as Lower<UniFfiTag>>::write(customer, &mut bytes);
        }
        Err(error) => {
            bytes.push(ANSWER_ERROR);
            <CustomerError as Lower<UniFfiTag>>::write(error, &mut bytes);
        }
    }
    // SAFETY: a valid env, as above.
    unsafe { new_byte_array(env, &bytes) }
}

fn lookup(
    client: Arc<CustomerClient>,
    customer_id: Vec<u8>,
    cancellation: Option<Arc<CancellationToken>>,
    options: Vec<u8>,
) -> Result<crate::Customer, CustomerError> {
    // Kotlin encodes a String as UTF-8 itself (unpaired surrogates become '?'), as the
    // bindings' own String converter does, so this fails only on a caller that is not ours.
    let customer_id = String::from_utf8(customer_id)
        .map_err(|_| CustomerError::invalid_argument("customer_id is not UTF-8"))?;
    let options = <LookupOptions as Lift<UniFfiTag>>::try_read(&mut options.as_slice())
        .map_err(|e| internal(format!("JniLookups: unreadable lookup options: {e}")))?;
    client.get_customer_blocking(customer_id, cancellation, options)
}

fn internal(message: String) -> CustomerError {
    CustomerError::Internal {
        details: ErrorDetails::message(message),
    }
}

fn panicked(panic: &(dyn std::any::Any + Send)) -> CustomerError {
    let what = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic");
    internal(format!("the core panicked during a lookup: {what}"))
}

/// # Safety
/// `env` is the calling thread's JNI environment and `array` a live byte array.
unsafe fn read_bytes(env: *mut JNIEnv, array: jbyteArray) -> Vec<u8> {
    let functions = &**env;
    let len = (functions.v1_1.GetArrayLength)(env, array).max(0) as usize;
    let mut bytes = vec![0u8; len];
    (functions.v1_1.GetByteArrayRegion)(
        env,
        array,
        0,
        len as jsize,
        bytes.as_mut_ptr().cast::<jbyte>(),
    );
    bytes
}

/// # Safety
/// As [`read_bytes`]; null when the JVM could not allocate (its exception is then pending).
unsafe fn new_byte_array(env: *mut JNIEnv, bytes: &[u8]) -> jbyteArray {
    let functions = &**env;
    let Ok(len) = jsize::try_from(bytes.len()) else {
        return ptr::null_mut();
    };
    let array = (functions.v1_1.NewByteArray)(env, len);
    if !array.is_null() {
        (functions.v1_1.SetByteArrayRegion)(env, array, 0, len, bytes.as_ptr().cast::<jbyte>());
    }
    array
}
