//! Reference merchant backend: it holds the Juspay API key and gives devices short-lived tokens
//! scoped to one customer. A device calls `GET /customers/{id}` with its token; the backend checks
//! the token and that `{id}` is the token's customer, calls Juspay with the key through the Rust
//! core, and returns Juspay's answer (errors rebuilt from Juspay's known fields, see `sanitise`).
//!
//! Without JUSPAY_API_KEY it starts the Juspay emulator in-process and uses it, so the demo runs
//! offline with no setup. See the README beside this crate.

mod auth;
pub mod config;
mod errors;
mod handlers;
mod limits;
mod login;
mod metrics;
pub mod openapi;
mod rate_limits;
mod redis_limits;
mod request_context;
mod routes;
mod sanitise;
mod server;
mod state;
pub mod tokens;
mod upstream;

pub use config::{Args, Config};
pub use server::{start, Running};
