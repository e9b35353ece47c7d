//! The generator's integration tests, one binary: incremental rebuilds equal fresh builds,
//! Sass compiled as Zola does, Zola 0.22 sites built as they are, and property tests of every
//! parser that reads an editor's files.

mod fixture;
mod images;
mod incremental;
mod properties;
mod sass;
mod zola_compat;
mod zola_markdown;
mod zola_templates;
