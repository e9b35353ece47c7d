//! The secretary's use cases, shared by the command line (`zhibu members | report | notes |
//! admin`), the admin endpoints and the scheduled retention function: the roster import
//! ([`roster`]), actions on members and their data, audited ([`admin`]), reports and the
//! counts-only statistics ([`reports`]), publishing approved notes ([`publish`]), moving a
//! branch between backends ([`migrate`]) and the retention of locations ([`retention`]).
//!
//! The crate root re-exports each module (`zhibu_functions::admin`, ...), the paths the command
//! line has always used.

pub mod admin;
#[cfg(feature = "sqlite")]
pub mod backup;
pub mod migrate;
pub mod publish;
pub mod reports;
pub mod retention;
pub mod roster;
