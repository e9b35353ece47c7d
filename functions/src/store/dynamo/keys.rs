//! Where every record lives in the one table: the layout (also in the README) and the key
//! builders more than one aggregate uses. Each aggregate's item type, next to its operations,
//! builds its keys from these.
//!
//! | record | pk | sk | gsi1 (by member) | gsi2 (by collection) | gsi3 |
//! |---|---|---|---|---|---|
//! | member | `MEMBER#<id>` | `MEMBER` | | `ROSTER` / `<order>` | |
//! | roster counter | `ROSTER` | `COUNTER` | | | |
//! | login failure | `MEMBER#<id>` | `FAIL#<unix>#<nonce>` (TTL `expires_at`) | | | |
//! | login failure by address | `ADDR#<address>` | `FAIL#<unix>#<nonce>` (TTL `expires_at`) | | | |
//! | quota | `MEMBER#<id>` | `QUOTA#<kind>#<window start>` (TTL `expires_at`) | | | |
//! | sign-in | `EVENT#<event>` | `SIGNIN#<member>` | `MEMBER#<id>` / `SIGNIN#<unix>#<event>` | | `LOCATED` / `<unix>#…` while it has a location |
//! | note | `NOTE#<id>` | `NOTE` | `MEMBER#<id>` / `NOTE#<unix>#<id>` | `NOTES#<status>` / `<unix>#<id>` | `PAGE#<page>#<status>` / `<unix>#<id>` |
//! | copy | `COPY#<campaign>#<member>` | `DAY#<day>` | `MEMBER#<id>` / `COPY#<campaign>#<day>` | `CAMPAIGN#<campaign>` / `<member>#<day>` | |
//! | photo key | `BLOB#<key>` | `BLOB` (→ the copy's pk/sk) | | | |
//! | idempotency key | `MEMBER#<id>` | `IDEM#<key>` (TTL `expires_at`) | | | |
//! | quiz answers | `QUIZ#<quiz>` | `ANSWER#<member>` | `MEMBER#<id>` / `QUIZ#<quiz>` | | |
//! | quiz reveal | `QUIZ#<quiz>` | `REVEALED` | | | |
//! | document | `DOC#<kind>#<id>` | `DOC` | `MEMBER#<id>` / `DOC#<kind>#<id>` | `DOCS#<kind>` / `<id>` | |
//! | audit line | `AUDIT` | `<unix>#<nanos>#<uuid>` | | | |
//!
//! Times in sort keys are zero-padded Unix seconds ([`unix`]), so string order is time order
//! whatever the offset.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::domain::MemberId;

/// Sort-key time: zero-padded Unix seconds, so string order is time order whatever the offset.
pub(super) fn unix(at: DateTime<FixedOffset>) -> String {
    format!("{:012}", at.timestamp().max(0))
}

pub(super) fn member_pk(id: &MemberId) -> String {
    format!("MEMBER#{id}")
}

pub(super) fn address_pk(address: &str) -> String {
    format!("ADDR#{address}")
}

pub(super) fn copy_pk(campaign: &str, member: &MemberId) -> String {
    format!("COPY#{campaign}#{member}")
}

pub(super) fn day_sk(day: u32) -> String {
    format!("DAY#{day:04}")
}

pub(super) fn blob_pk(key: &str) -> String {
    format!("BLOB#{key}")
}

pub(super) fn idempotency_sk(key: &str) -> String {
    format!("IDEM#{key}")
}

/// Any item's key, for deleting what a query found.
#[derive(Deserialize)]
pub(super) struct Keys {
    pub(super) pk: String,
    pub(super) sk: String,
}
