//! The generator's integration tests, one binary: incremental rebuilds equal fresh builds, and
//! property tests of every parser that reads an editor's files, and Zola 0.22 sites built as they are.

mod incremental;
mod properties;
mod zola_compat;
