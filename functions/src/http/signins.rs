//! Sign-ins (签到): `POST /api/signins`, `GET /api/signins` (the caller's own), and for admins
//! `GET /api/events` and `GET /api/events/{event}/signins`. Admission — window, consent,
//! geofence — is the domain's ([`crate::domain::signin`]); here requests are parsed and answers
//! shaped.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody};
use crate::catalog::Event;
use crate::domain::{
    MemberId, ReportedLocation, SigninRefusal, SigninRequest, StoredLocation, admit, distance_m,
};
use crate::error::{ApiError, ApiResult};
use crate::store::{Inserted, Signin};

#[derive(Deserialize)]
pub struct SigninDto {
    event: Option<String>,
    consent_location: Option<bool>,
    location: Option<ReportedLocation>,
}

/// A stored location as answered (fields in the order the API has always sent them).
#[derive(Serialize)]
pub struct LocationView {
    accuracy_m: f64,
    lat: f64,
    lon: f64,
    within_geofence: Option<bool>,
}

impl From<StoredLocation> for LocationView {
    fn from(l: StoredLocation) -> LocationView {
        LocationView { accuracy_m: l.accuracy_m, lat: l.lat, lon: l.lon, within_geofence: l.within_geofence }
    }
}

/// A sign-in as its member sees it.
#[derive(Serialize)]
pub struct SigninView {
    at: DateTime<FixedOffset>,
    event: String,
    location: Option<LocationView>,
    member_id: MemberId,
}

impl From<Signin> for SigninView {
    fn from(s: Signin) -> SigninView {
        SigninView { at: s.at, event: s.event, location: s.location.map(Into::into), member_id: s.member_id }
    }
}

/// `POST /api/signins`: 201 the first time, 200 with the stored record on a repeat.
#[derive(Serialize)]
pub struct SigninAnswer {
    signin: SigninView,
}

/// `GET /api/signins`.
#[derive(Serialize)]
pub struct SigninsAnswer {
    signins: Vec<SigninView>,
}

/// A sign-in in an event's attendance, with the member's name and, for an on-site event, the
/// approximate distance of its coarse (~1 km) location to the geofence's centre.
#[derive(Serialize)]
pub struct AttendanceRow {
    at: String,
    distance_m: Option<f64>,
    event: String,
    location: Option<LocationView>,
    member_id: MemberId,
    name: String,
}

/// `GET /api/events/{event}/signins`: who signed in, whose attendance an admin confirmed
/// otherwise (by a host unit's note or their own word), and who is absent.
#[derive(Serialize)]
pub struct AttendanceAnswer {
    absent: Vec<String>,
    confirmed: Vec<super::host::ConfirmationView>,
    event: String,
    signins: Vec<AttendanceRow>,
}

/// A declared event with its window and how many signed in.
#[derive(Serialize)]
pub struct EventView {
    closes: String,
    id: String,
    onsite: bool,
    opens: String,
    page: String,
    signed_in: usize,
    title: String,
}

/// `GET /api/events`.
#[derive(Serialize)]
pub struct EventsAnswer {
    events: Vec<EventView>,
}

impl From<SigninRefusal> for ApiError {
    fn from(refusal: SigninRefusal) -> ApiError {
        match &refusal {
            SigninRefusal::NotOpen { .. } => ApiError::NotOpen(refusal.to_string()),
            SigninRefusal::Closed { .. } => ApiError::Closed(refusal.to_string()),
            SigninRefusal::LocationNeeded | SigninRefusal::TooFar { .. } => {
                ApiError::Invalid(refusal.field_error().into_iter().collect())
            }
        }
    }
}

fn event_of<'a>(catalog: &'a crate::catalog::Catalog, id: &str) -> ApiResult<&'a Event> {
    catalog.events.get(id).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    JsonBody(dto): JsonBody<SigninDto>,
) -> ApiResult<(StatusCode, Json<SigninAnswer>)> {
    let request = SigninRequest::parse(dto.event.as_deref(), dto.consent_location, dto.location.as_ref())
        .map_err(ApiError::Invalid)?;
    let catalog = state.catalog.get();
    let event = event_of(&catalog, request.event.as_str())?;
    let now = state.clock.now();
    let admitted = admit(event, now, request.coordinates.as_ref())?;
    let signin = Signin { event: event.id.clone(), member_id: me.id, at: now, location: admitted.location };
    let (status, stored) = match state.store.insert_signin(&signin).await? {
        Inserted::New(s) => (StatusCode::CREATED, s),
        Inserted::Existing(s) => (StatusCode::OK, s),
    };
    Ok((status, Json(SigninAnswer { signin: stored.into() })))
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<SigninsAnswer>> {
    let signins = state.store.signins_of_member(&me.id).await?;
    Ok(Json(SigninsAnswer { signins: signins.into_iter().map(Into::into).collect() }))
}

pub async fn of_event(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(event): Path<String>,
) -> ApiResult<Json<AttendanceAnswer>> {
    let catalog = state.catalog.get();
    let event = event_of(&catalog, &event)?;
    let signins = state.store.signins_of_event(&event.id).await?;
    let members = state.store.members().await?;
    let name = |id: &MemberId| {
        members.iter().find(|m| &m.member.id == id).map(|m| m.member.name.clone()).unwrap_or_default()
    };
    let confirmed = crate::file::host::confirmed_at(state.store.as_ref(), &event.id).await?;
    let absent = members
        .iter()
        .filter(|m| !signins.iter().any(|s| s.member_id == m.member.id))
        .filter(|m| !confirmed.iter().any(|c| c.member_id == m.member.id))
        .map(|m| m.member.id.as_str().to_string())
        .collect();
    let names = members.iter().map(|m| (m.member.id.clone(), m.member.name.clone())).collect();
    let confirmed = confirmed.into_iter().map(|c| super::host::confirmation_view(&names, c)).collect();
    let rows = signins
        .into_iter()
        .map(|s| {
            let distance_m = match (&s.location, &event.geofence) {
                (Some(l), Some(g)) => Some(distance_m(l.lat, l.lon, g.lat, g.lon).round()),
                _ => None,
            };
            AttendanceRow {
                at: s.at.to_rfc3339(),
                distance_m,
                name: name(&s.member_id),
                event: s.event,
                location: s.location.map(Into::into),
                member_id: s.member_id,
            }
        })
        .collect();
    Ok(Json(AttendanceAnswer { absent, confirmed, event: event.id.clone(), signins: rows }))
}

/// `GET /api/events` (admins): every declared event with its window and how many signed in,
/// the latest opening first.
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<EventsAnswer>> {
    let catalog = state.catalog.get();
    let mut events: Vec<&Event> = catalog.events.values().collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.opens));
    let mut listed = Vec::new();
    for e in events {
        listed.push(EventView {
            closes: e.closes.to_rfc3339(),
            id: e.id.clone(),
            onsite: e.geofence.is_some(),
            opens: e.opens.to_rfc3339(),
            page: e.page.clone(),
            signed_in: state.store.signins_of_event(&e.id).await?.len(),
            title: e.title.clone(),
        });
    }
    Ok(Json(EventsAnswer { events: listed }))
}
