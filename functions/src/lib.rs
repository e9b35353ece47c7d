//! The branch's functions: sessions, sign-ins (签到), study notes (学习心得) and photos of
//! handwritten copies, as one axum router over a store and a blob trait. The same router runs on
//! AWS Lambda (`src/bin/api.rs`) and inside `zhibu serve`.

pub mod app;
pub mod auth;
#[cfg(feature = "aws")]
pub mod aws;
pub mod blobs;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod file;
pub mod http;
pub mod photos;
pub mod private_files;
pub mod secretary;
pub mod store;
pub mod upload;
pub mod words;

#[cfg(feature = "sqlite")]
pub use secretary::backup;
pub use secretary::{admin, migrate, publish, reports, retention, roster};
