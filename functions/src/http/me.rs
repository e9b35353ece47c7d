//! `GET /api/me` (the caller's own summary: a member's progress is theirs, not a league table)
//! and `GET /api/admin/members` (admins: the roster with each member's last activity).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;

use super::AppState;
use super::extract::{Admin, Caller};
use super::session::MemberView;
use crate::domain::{Progress, Quarter, Stage};
use crate::error::ApiResult;
use crate::file;
use crate::secretary::admin::{Overview, overview};

/// `GET /api/me`: who the caller is, how many sign-ins and notes, each campaign's progress, their
/// stage, how many people they are a contact person for, and what is open for them now.
#[derive(Serialize)]
pub struct MeAnswer {
    contact_for: usize,
    /// By campaign id.
    copies: BTreeMap<String, Progress>,
    member: MemberView,
    notes: usize,
    open: Vec<OpenItem>,
    signins: usize,
    stage: Option<Stage>,
    stage_label: &'static str,
}

/// Something open for the member now: facts, not chores.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpenItem {
    /// An event open for sign-in that they have not signed in to.
    Signin { closes: DateTime<FixedOffset>, event: String, page: String, title: String },
    /// This quarter's thought report, not yet submitted (for those who write them).
    Report { quarter: Quarter, quarter_label: String },
    /// Their request for a talk, waiting.
    TalkRequest { id: String },
    /// Dues months unpaid after the 10th of the following month (the member's own reminder).
    Dues { months: Vec<crate::domain::dues::Month> },
    /// A democratic review round open now, their self-assessment not yet submitted.
    Review { closes: DateTime<FixedOffset>, review: String, page: String, title: String },
}

/// A member of the roster with their last activity.
#[derive(Serialize)]
pub struct RosterRow {
    id: String,
    last_activity: Option<DateTime<FixedOffset>>,
    name: String,
    role: String,
}

impl From<Overview> for RosterRow {
    fn from(o: Overview) -> RosterRow {
        RosterRow { id: o.id, last_activity: o.last_activity, name: o.name, role: o.role }
    }
}

/// `GET /api/admin/members`, in roster order.
#[derive(Serialize)]
pub struct RosterAnswer {
    members: Vec<RosterRow>,
}

pub async fn show(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<MeAnswer>> {
    let store = state.store.as_ref();
    let signed_in = store.signins_of_member(&me.id).await?;
    let notes = store.notes_of_member(&me.id).await?.len();
    let catalog = state.catalog.get();
    let now = state.clock.now();
    let today = now.date_naive();
    let mut copies = BTreeMap::new();
    for campaign in catalog.campaigns.values() {
        let days = store.copies_of(&me.id, &campaign.id).await?.into_iter().map(|c| c.day);
        copies.insert(campaign.id.clone(), Progress::of(campaign, days, today));
    }
    let mut open: Vec<OpenItem> = catalog
        .events
        .values()
        .filter(|e| e.opens <= now && now < e.closes && !signed_in.iter().any(|s| s.event == e.id))
        .map(|e| OpenItem::Signin {
            closes: e.closes,
            event: e.id.clone(),
            page: e.page.clone(),
            title: e.title.clone(),
        })
        .collect();
    let stage = file::joining::road_of(store, &me).await?.stage;
    let quarter = Quarter::of(today);
    if stage.is_some_and(Stage::reports_quarterly) {
        let submitted = match file::reports::own(store, &me.id, quarter).await {
            Ok(r) => r.status == file::reports::ReportStatus::Submitted,
            Err(file::reports::ReportError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !submitted {
            open.push(OpenItem::Report { quarter, quarter_label: quarter.label() });
        }
    }
    let (requests, _) = file::talks::of_member(store, &me.id).await?;
    open.extend(
        requests
            .into_iter()
            .filter(|r| r.status == file::talks::RequestStatus::Open)
            .map(|r| OpenItem::TalkRequest { id: r.id }),
    );
    if file::dues::pays_dues(stage) {
        let dues = file::dues::year_of(store, &me, today.year(), today).await?;
        let mut months = dues.overdue;
        if today.month() == 1 {
            months.extend(file::dues::year_of(store, &me, today.year() - 1, today).await?.overdue);
            months.sort();
        }
        if !months.is_empty() {
            open.push(OpenItem::Dues { months });
        }
        for r in catalog.reviews.values().filter(|r| r.opens <= now && now < r.closes) {
            let done = file::review::self_of(store, &r.id, &me.id)
                .await?
                .is_some_and(|s| s.status == file::review::SelfStatus::Submitted);
            if !done {
                open.push(OpenItem::Review {
                    closes: r.closes,
                    review: r.id.clone(),
                    page: r.page.clone(),
                    title: r.title.clone(),
                });
            }
        }
    }
    let contact_for = store.members().await?.iter().filter(|m| m.member.contacts().contains(&me.id)).count();
    Ok(Json(MeAnswer {
        contact_for,
        copies,
        member: me.into(),
        notes,
        open,
        signins: signed_in.len(),
        stage,
        stage_label: super::joining::stage_label(stage),
    }))
}

pub async fn roster(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<RosterAnswer>> {
    let members = overview(state.store.as_ref()).await?;
    Ok(Json(RosterAnswer { members: members.into_iter().map(Into::into).collect() }))
}
