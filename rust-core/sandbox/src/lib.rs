//! A local stand-in for Juspay's customer API: `GET /customers/{id}`, `POST /customers` and
//! `POST /customers/{id}`, with Juspay's documented bodies, Basic-auth key checks, an optional
//! IP allow-list, seeded customers, and fault switches (delay, error statuses, 429, connection
//! reset, malformed, oversized and slow bodies) for reliability tests.
//!
//! Start it in-process with [`Sandbox::start`], or run the `juspay-sandbox` binary, which prints
//! `listening on http://HOST:PORT` once ready. The README beside this crate documents the CLI,
//! the bodies and the fault switches.

mod auth;
mod bodies;
mod control;
mod customer;
mod demo;
mod faults;
mod handlers;
pub mod harness;
pub mod limits;
pub mod log_writer;
pub mod process;
mod routes;
mod server;
mod state;
mod store;

pub use control::CONTROL_KEY_HEADER;
pub use customer::{load_seed, Customer};
pub use demo::demo_customers;
pub use faults::{Fault, FaultAnswer, FaultError, FAULT_HEADER, FAULT_PATH_PREFIX};
pub use limits::ServerLimits;
pub use server::{Sandbox, SandboxConfig};
