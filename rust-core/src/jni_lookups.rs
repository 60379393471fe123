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
//! The suspend lookup does not park a thread: `getCustomerAsync` spawns the lookup onto the
//! runtime and returns; the runtime's thread hands the answer to a Kotlin callback, which
//! resumes the coroutine. A lookup then crosses threads twice, as OkHttp's `execute()` in
//! `withContext(Dispatchers.IO)` does, instead of four times (caller, IO thread, runtime, IO
//! thread, caller). The runtime's threads attach to the JVM once, as daemons, and detach when
//! they exit.
//!
//! Handles are `Box<Arc<T>>` pointers owned by the Kotlin side: `open`/`close` for a client,
//! `newCancellation`/`freeCancellation` for a token. Kotlin never passes a freed handle (it
//! counts calls in flight before closing), and never 0 where a handle is required.

use std::ffi::c_void;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use jni_sys::{
    jboolean, jbyte, jbyteArray, jclass, jlong, jmethodID, jobject, jsize, jvalue, JNIEnv, JavaVM,
    JNI_EDETACHED, JNI_FALSE, JNI_OK, JNI_TRUE, JNI_VERSION_1_6,
};
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
    // SAFETY: a valid env, as above.
    unsafe { new_byte_array(env, &encode(answer)) }
}

/// `CustomerClient::get_customer` without parking a thread: spawns the lookup and returns
/// `JNI_TRUE`; when it ends, a thread of the runtime calls `callback.complete(answer)` with the
/// answer as `getCustomerBlocking` returns it, or with null when the JVM had no memory for it.
/// `JNI_FALSE` (the callback is never called) only when the JVM could not keep a reference to
/// the callback or find its class, with its exception pending.
#[no_mangle]
pub extern "system" fn Java_io_juspaycustomer_core_JniLookupsNative_getCustomerAsync(
    env: *mut JNIEnv,
    _class: jclass,
    client: jlong,
    customer_id: jbyteArray,
    cancellation: jlong,
    options: jbyteArray,
    callback: jobject,
) -> jboolean {
    // SAFETY: as in getCustomerBlocking; `callback` is a live local reference.
    let (client, customer_id, cancellation, options, callback) = unsafe {
        (
            Arc::clone(&*(client as *const Arc<CustomerClient>)),
            read_bytes(env, customer_id),
            (cancellation != 0)
                .then(|| Arc::clone(&*(cancellation as *const Arc<CancellationToken>))),
            read_bytes(env, options),
            Callback::new(env, callback),
        )
    };
    let Some(callback) = callback else {
        return JNI_FALSE;
    };
    crate::blocking::spawn_detached(async move {
        let answer = CatchUnwind(Box::pin(async move {
            let customer_id = String::from_utf8(customer_id)
                .map_err(|_| CustomerError::invalid_argument("customer_id is not UTF-8"))?;
            let options = read_options(&options)?;
            client
                .get_customer(customer_id, cancellation, options)
                .await
        }))
        .await;
        callback.complete(&encode(answer));
    });
    JNI_TRUE
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
    let options = read_options(&options)?;
    client.get_customer_blocking(customer_id, cancellation, options)
}

fn read_options(mut options: &[u8]) -> Result<LookupOptions, CustomerError> {
    <LookupOptions as Lift<UniFfiTag>>::try_read(&mut options)
        .map_err(|e| internal(format!("JniLookups: unreadable lookup options: {e}")))
}

/// A lookup's answer as Kotlin reads it: the tag byte, then the value in uniffi's serialization.
fn encode(answer: Result<crate::Customer, CustomerError>) -> Vec<u8> {
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
    bytes
}

/// A lookup whose panic is an INTERNAL answer, so the callback is called whatever happens.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future<Output = Result<crate::Customer, CustomerError>>> Future for CatchUnwind<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.0.as_mut();
        catch_unwind(AssertUnwindSafe(|| future.poll(cx)))
            .unwrap_or_else(|panic| Poll::Ready(Err(panicked(&*panic))))
    }
}

/// The JVM this library was loaded into (a `*mut JavaVM`), kept by the first async lookup.
static JAVA_VM: OnceLock<usize> = OnceLock::new();
/// `JniLookupsNative.Callback.complete([B)V`, looked up once (method IDs live as long as the class).
static COMPLETE: OnceLock<usize> = OnceLock::new();

/// A global reference to the Kotlin callback of one async lookup.
struct Callback(jobject);

// SAFETY: a JNI global reference may be used and deleted from any attached thread.
unsafe impl Send for Callback {}

impl Callback {
    /// # Safety
    /// `env` is the calling thread's JNI environment and `callback` a live reference to a
    /// `JniLookupsNative.Callback`.
    unsafe fn new(env: *mut JNIEnv, callback: jobject) -> Option<Callback> {
        let functions = &**env;
        if JAVA_VM.get().is_none() {
            let mut vm: *mut JavaVM = ptr::null_mut();
            if (functions.v1_2.GetJavaVM)(env, &mut vm) != JNI_OK || vm.is_null() {
                return None;
            }
            let _ = JAVA_VM.set(vm as usize);
        }
        if COMPLETE.get().is_none() {
            // The interface's method, which dispatches to any implementation (each lambda is
            // a class of its own).
            let class = (functions.v1_1.FindClass)(
                env,
                c"io/juspaycustomer/core/JniLookupsNative$Callback".as_ptr(),
            );
            if class.is_null() {
                return None;
            }
            let method =
                (functions.v1_1.GetMethodID)(env, class, c"complete".as_ptr(), c"([B)V".as_ptr());
            (functions.v1_1.DeleteLocalRef)(env, class);
            if method.is_null() {
                return None;
            }
            let _ = COMPLETE.set(method as usize);
        }
        let global = (functions.v1_1.NewGlobalRef)(env, callback);
        (!global.is_null()).then_some(Callback(global))
    }

    /// Calls `complete(answer)` on this (runtime) thread and releases the callback.
    fn complete(self, answer: &[u8]) {
        let (Some(&vm), Some(&method)) = (JAVA_VM.get(), COMPLETE.get()) else {
            return; // unreachable: `new` set both before this callback existed
        };
        // SAFETY: `vm` is the JVM that made this callback, still running (it is not unloaded
        // while threads are attached); the thread is attached before its env is used, and every
        // local reference made here is deleted, since an attached thread never returns to Java.
        unsafe {
            let Some(env) = attached_env(vm as *mut JavaVM) else {
                return;
            };
            let functions = &**env;
            let array = new_byte_array(env, answer);
            if array.is_null() {
                // Out of memory: complete(null) tells Kotlin so.
                (functions.v1_1.ExceptionClear)(env);
            }
            let args = [jvalue { l: array }];
            (functions.v1_1.CallVoidMethodA)(env, self.0, method as jmethodID, args.as_ptr());
            if (functions.v1_2.ExceptionCheck)(env) == JNI_TRUE {
                // The callback only resumes a coroutine; report whatever it threw, as the JVM
                // does for an uncaught exception, and keep the runtime thread.
                (functions.v1_1.ExceptionDescribe)(env);
                (functions.v1_1.ExceptionClear)(env);
            }
            if !array.is_null() {
                (functions.v1_1.DeleteLocalRef)(env, array);
            }
            (functions.v1_1.DeleteGlobalRef)(env, self.0);
        }
    }
}

thread_local! {
    /// Set on a runtime thread once it is attached; detaches it when the thread exits.
    static ATTACHED: std::cell::RefCell<Option<Detach>> = const { std::cell::RefCell::new(None) };
}

struct Detach(*mut JavaVM);

impl Drop for Detach {
    fn drop(&mut self) {
        // SAFETY: the thread this value belongs to was attached to this JVM.
        unsafe { ((**self.0).v1_1.DetachCurrentThread)(self.0) };
    }
}

/// The calling thread's env, attaching it as a daemon (it must not keep the JVM from exiting)
/// the first time.
///
/// # Safety
/// `vm` is a live JVM.
unsafe fn attached_env(vm: *mut JavaVM) -> Option<*mut JNIEnv> {
    let mut env: *mut c_void = ptr::null_mut();
    match ((**vm).v1_2.GetEnv)(vm, &mut env, JNI_VERSION_1_6) {
        JNI_OK => return Some(env.cast()),
        JNI_EDETACHED => {}
        _ => return None,
    }
    if ((**vm).v1_4.AttachCurrentThreadAsDaemon)(vm, &mut env, ptr::null_mut()) != JNI_OK {
        return None;
    }
    ATTACHED.with(|attached| *attached.borrow_mut() = Some(Detach(vm)));
    Some(env.cast())
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
