//! The functions' domain: types that validate on construction (a value of one of them is
//! valid) and the branch's rules, pure — no store, no router, no clock of their own — so each is
//! tested with plain values. Handlers parse a request DTO (a serde struct of `Option`s) into
//! these, reporting every bad field at once, ask the rules, and map the answer to HTTP.
//!
//! One file per concept: [`ids`] (member ids, roles, event/campaign ids), [`field`] (the field
//! error every parser reports), [`location`] (coordinates, what is kept of them, the one
//! great-circle distance), [`notes`] (a note's text, page, status and review), [`campaign`]
//! (campaign days, progress and the streak), [`signin`] (sign-in admission) and [`quiz`] (quiz
//! rounds' phases, answers and tally), [`joining`] (stages, the joining record's milestones and
//! its warnings), [`reports`] (quarters and thought reports), [`talks`] (谈心谈话) and [`dues`]
//! (months, amounts, the 2008 rates, the ledger). Everything is re-exported here, so callers write
//! `crate::domain::MemberId`.

pub mod campaign;
pub mod dues;
pub mod field;
pub mod ids;
pub mod joining;
pub mod location;
pub mod notes;
pub mod quiz;
pub mod reports;
pub mod signin;
pub mod talks;

pub use campaign::{CampaignDay, Progress, streak};
pub use field::FieldError;
pub use ids::{MemberId, Role, Slug};
pub use joining::{Dated, Milestone, Road, Stage, Warning};
pub use location::{Coordinates, EARTH_RADIUS_M, ReportedLocation, StoredLocation, distance_m};
pub use notes::{
    NOTE_MAX_CHARS, NOTE_MIN_CHARS, NoteBody, NoteDraft, NoteStatus, REASON_MAX_CHARS, Review, is_invisible,
    note_id_for_key, page_path, strip_invisible,
};
pub use reports::Quarter;
pub use signin::{Admitted, MAX_ACCURACY_CREDIT_M, SigninRefusal, SigninRequest, admit};
pub use talks::TalkMode;
