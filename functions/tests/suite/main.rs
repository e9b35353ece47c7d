//! The functions' tests, one binary (the workspace links it once instead of once per file, as
//! mdBook does): every row of the API contract through a real router over a temporary SQLite
//! store (`common`), the store and blob contracts against every adapter (moto and s3s-fs, started
//! by `tests/run.sh`, through `servers`), the deploy template, property tests of every parser
//! that takes outside input, and the photo pipeline's memory.

#![allow(clippy::unwrap_used)]

mod common;
mod crafted;
#[cfg(feature = "aws")]
mod servers;

mod admin_api;
mod blobs_contract;
mod copies;
mod deploy_template;
mod file;
mod idempotency;
#[cfg(feature = "lambda")]
mod lambda;
mod notes;
mod persistence;
mod photo_memory;
mod production;
mod properties;
mod quizzes;
mod requests;
mod sessions;
mod signins;
mod store_contract;
