//! The generator's integration tests, one binary: incremental rebuilds equal fresh builds, and
//! property tests of every parser that reads an editor's files.

mod incremental;
mod properties;
mod zola_markdown;
