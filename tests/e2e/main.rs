//! The end-to-end tests of the whole (the `zhibu` binary on fixture sites, the API through
//! `zhibu serve`, the branch's own site, the browser forms): one test binary, so the workspace
//! links it once instead of once per file, as mdBook does.

#![allow(clippy::unwrap_used)]

mod common;
#[cfg(feature = "aws")]
#[path = "../../functions/tests/suite/servers.rs"]
mod servers;

mod api;
mod browser;
mod build;
mod editor_guide;
mod errors;
mod production;
mod run;
mod search;
mod secretary_cli;
mod secretary_dues;
mod serve;
mod site;
