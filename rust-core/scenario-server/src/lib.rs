//! Plays the shared scenario vectors (`rust-core/tests/vectors/*.json`) over real loopback
//! HTTP. The Rust suite uses it in-process; the JVM suite runs its binary.

mod server;
pub mod shape;
mod vector;

pub use server::{RecordedRequest, Responder, ScenarioServer};
pub use vector::{
    load_vectors, vectors_dir, Answer, Expectation, Vector, VectorConfig, VectorOptions,
};
