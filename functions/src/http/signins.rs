//! Sign-ins (签到): per event, never a daily chore. Location is optional, needs explicit
//! consent, is used exactly only to check a geofence, and is kept coarse (0.01°).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody};
use crate::domain::{Coordinates, Slug};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::store::{Inserted, Signin};

#[derive(Deserialize)]
pub struct LocationDto {
    lat: Option<f64>,
    lon: Option<f64>,
    accuracy_m: Option<f64>,
}

#[derive(Deserialize)]
pub struct SigninDto {
    event: Option<String>,
    consent_location: Option<bool>,
    location: Option<LocationDto>,
}

/// Benefit of the doubt for a phone's reported accuracy, capped so a vague fix cannot claim
/// presence from another district.
const MAX_ACCURACY_CREDIT_M: f64 = 200.0;

pub async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    JsonBody(dto): JsonBody<SigninDto>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let event_id = match dto.event.as_deref() {
        Some(e) => Slug::parse("event", e).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(FieldError::new("event", "缺少活动编号"));
            None
        }
    };
    let consent = match dto.consent_location {
        Some(c) => c,
        None => {
            errors.push(FieldError::new("consent_location", "请说明是否同意提供位置（true 或 false）"));
            false
        }
    };
    let coordinates = match &dto.location {
        None => None,
        Some(_) if !consent => {
            errors.push(FieldError::new("location", "未同意提供位置时不能提交位置"));
            None
        }
        Some(l) => match Coordinates::new(l.lat, l.lon, l.accuracy_m) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.extend(e);
                None
            }
        },
    };
    let Some(event_id) = event_id.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };

    let catalog = state.catalog.get();
    let event =
        catalog.events.get(event_id.as_str()).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))?;
    let now = state.clock.now();
    if now < event.opens {
        return Err(ApiError::NotOpen(format!(
            "签到尚未开始，{} 开放",
            event.opens.format("%Y年%m月%d日 %H:%M")
        )));
    }
    if now > event.closes {
        return Err(ApiError::Closed(format!("签到已于 {} 结束", event.closes.format("%Y年%m月%d日 %H:%M"))));
    }
    let location = match (&event.geofence, coordinates) {
        (Some(fence), Some(c)) => {
            let distance = c.distance_m(fence.lat, fence.lon);
            let allowance = fence.radius_m + c.accuracy_m().min(MAX_ACCURACY_CREDIT_M);
            if distance > allowance {
                return Err(ApiError::field(
                    "location",
                    format!("您距离活动地点约 {:.0} 米，超出签到范围（{:.0} 米）", distance, fence.radius_m),
                ));
            }
            Some(c.coarse(Some(true)))
        }
        (Some(_), None) => {
            return Err(ApiError::field(
                "location",
                "本次是现场活动，签到需要位置；不便提供位置的同志请联系支部书记登记出席",
            ));
        }
        (None, Some(c)) => Some(c.coarse(None)),
        (None, None) => None,
    };
    let signin = Signin { event: event.id.clone(), member_id: me.id, at: now, location };
    match state.store.insert_signin(&signin).await? {
        Inserted::New(s) => Ok((StatusCode::CREATED, Json(json!({ "signin": s }))).into_response()),
        Inserted::Existing(s) => Ok((StatusCode::OK, Json(json!({ "signin": s }))).into_response()),
    }
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<Value>> {
    let signins = state.store.signins_of_member(&me.id).await?;
    Ok(Json(json!({ "signins": signins })))
}

pub async fn of_event(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(event): Path<String>,
) -> ApiResult<Json<Value>> {
    let catalog = state.catalog.get();
    let event = catalog.events.get(&event).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))?;
    let signins = state.store.signins_of_event(&event.id).await?;
    let members = state.store.members().await?;
    let name = |id: &crate::domain::MemberId| {
        members.iter().find(|m| &m.member.id == id).map(|m| m.member.name.clone()).unwrap_or_default()
    };
    // Each sign-in with the member's name and, for an on-site event, the approximate distance
    // of its coarse (~1 km) location to the geofence's centre.
    let listed: Vec<Value> = signins
        .iter()
        .map(|s| {
            let distance = match (&s.location, &event.geofence) {
                (Some(l), Some(g)) => Some(crate::reports::distance_m(l.lat, l.lon, g.lat, g.lon).round()),
                _ => None,
            };
            json!({
                "event": s.event, "member_id": s.member_id, "name": name(&s.member_id), "at": s.at.to_rfc3339(),
                "location": s.location, "distance_m": distance,
            })
        })
        .collect();
    let absent: Vec<String> = members
        .iter()
        .filter(|m| !signins.iter().any(|s| s.member_id == m.member.id))
        .map(|m| m.member.id.as_str().to_string())
        .collect();
    Ok(Json(json!({ "event": event.id, "signins": listed, "absent": absent })))
}

/// `GET /api/events` (admins): every declared event with its window and how many signed in.
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<Value>> {
    let catalog = state.catalog.get();
    let mut events: Vec<&crate::catalog::Event> = catalog.events.values().collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.opens));
    let mut listed = Vec::new();
    for e in events {
        let signed_in = state.store.signins_of_event(&e.id).await?.len();
        listed.push(json!({
            "id": e.id, "title": e.title, "page": e.page, "opens": e.opens.to_rfc3339(),
            "closes": e.closes.to_rfc3339(), "onsite": e.geofence.is_some(), "signed_in": signed_in,
        }));
    }
    Ok(Json(json!({ "events": listed })))
}
