//! Sign-in admission (签到): whether a member may sign in to an event now, and what is kept of
//! their location. The request is checked first ([`SigninRequest::parse`]: the event id, an
//! explicit answer on consent, and coordinates only with consent); then [`admit`] applies the
//! event's window and, for an on-site event, its geofence — the radius plus the phone's reported
//! accuracy, credited up to [`MAX_ACCURACY_CREDIT_M`]. Exact coordinates go no further than this
//! module: what comes out is the coarse [`StoredLocation`].

use chrono::{DateTime, FixedOffset};

use super::{Coordinates, FieldError, ReportedLocation, Slug, StoredLocation};
use crate::catalog::Event;

/// Benefit of the doubt for a phone's reported accuracy, capped so a vague fix cannot claim
/// presence from another district.
pub const MAX_ACCURACY_CREDIT_M: f64 = 200.0;

/// How times appear in the members' messages.
const WHEN: &str = "%Y年%m月%d日 %H:%M";

/// A sign-in as submitted, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SigninRequest {
    pub event: Slug,
    /// Present only when the member consented to give their location.
    pub coordinates: Option<Coordinates>,
}

impl SigninRequest {
    /// Every bad field at once: a missing or malformed event id, a missing answer on consent, a
    /// location sent without consent, bad coordinates (each field named).
    pub fn parse(
        event: Option<&str>,
        consent_location: Option<bool>,
        location: Option<&ReportedLocation>,
    ) -> Result<SigninRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let event = Slug::required("event", event, "缺少活动编号").map_err(|e| errors.push(e)).ok();
        let consent = consent_location.unwrap_or_else(|| {
            errors.push(FieldError::new("consent_location", "请说明是否同意提供位置（true 或 false）"));
            false
        });
        let coordinates = match location {
            None => None,
            Some(_) if !consent => {
                errors.push(FieldError::new("location", "未同意提供位置时不能提交位置"));
                None
            }
            Some(l) => Coordinates::from_reported(l).map_err(|e| errors.extend(e)).ok(),
        };
        match event {
            Some(event) if errors.is_empty() => Ok(SigninRequest { event, coordinates }),
            _ => Err(errors),
        }
    }
}

/// An admitted sign-in: what may be kept of the member's location.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Admitted {
    /// Coarse; `within_geofence` is true for an on-site event, null for one without a geofence.
    pub location: Option<StoredLocation>,
}

/// Why a sign-in is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum SigninRefusal {
    /// Before the event's window (409 `not_open`).
    NotOpen { opens: DateTime<FixedOffset> },
    /// After it (409 `closed`).
    Closed { closes: DateTime<FixedOffset> },
    /// An on-site event and no location: the member goes to the secretary, who records their
    /// attendance (422 on `location`).
    LocationNeeded,
    /// Farther from the centre than the radius plus the accuracy credit (422 on `location`).
    TooFar { distance_m: f64, radius_m: f64 },
}

impl SigninRefusal {
    /// The field a refusal is about, for the ones that are a field's fault.
    pub fn field_error(&self) -> Option<FieldError> {
        match self {
            SigninRefusal::NotOpen { .. } | SigninRefusal::Closed { .. } => None,
            SigninRefusal::LocationNeeded | SigninRefusal::TooFar { .. } => {
                Some(FieldError::new("location", self.to_string()))
            }
        }
    }
}

/// The member's message.
impl std::fmt::Display for SigninRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SigninRefusal::NotOpen { opens } => write!(f, "签到尚未开始，{} 开放", opens.format(WHEN)),
            SigninRefusal::Closed { closes } => write!(f, "签到已于 {} 结束", closes.format(WHEN)),
            SigninRefusal::LocationNeeded => {
                f.write_str("本次是现场活动，签到需要位置；不便提供位置的同志请联系支部书记登记出席")
            }
            SigninRefusal::TooFar { distance_m, radius_m } => write!(
                f,
                "您距离活动地点约 {}，不在签到范围（约 {}）内。如果您就在会场，请到窗边或室外重新定位后再签到；\
                 不便在本站签到的，请联系支部书记登记出席，两种方式同等有效",
                distance(*distance_m),
                distance(*radius_m)
            ),
        }
    }
}

/// A distance for people: metres under a kilometre, then kilometres (one decimal under 10 km).
fn distance(m: f64) -> String {
    if m < 999.5 {
        format!("{m:.0} 米")
    } else if m < 10_000.0 {
        format!("{:.1} 公里", m / 1000.0)
    } else {
        format!("{:.0} 公里", m / 1000.0)
    }
}

/// Whether a sign-in to `event` at `now` is admitted. The window includes both its ends; an
/// on-site event needs coordinates within its radius plus their accuracy (at most
/// [`MAX_ACCURACY_CREDIT_M`]); an event without a geofence takes a sign-in with or without.
pub fn admit(
    event: &Event,
    now: DateTime<FixedOffset>,
    coordinates: Option<&Coordinates>,
) -> Result<Admitted, SigninRefusal> {
    if now < event.opens {
        return Err(SigninRefusal::NotOpen { opens: event.opens });
    }
    if now > event.closes {
        return Err(SigninRefusal::Closed { closes: event.closes });
    }
    let location = match (&event.geofence, coordinates) {
        (Some(fence), Some(c)) => {
            let distance_m = c.distance_m(fence.lat, fence.lon);
            let allowance = fence.radius_m + c.accuracy_m().min(MAX_ACCURACY_CREDIT_M);
            if distance_m > allowance {
                return Err(SigninRefusal::TooFar { distance_m, radius_m: fence.radius_m });
            }
            Some(c.coarse(Some(true)))
        }
        (Some(_), None) => return Err(SigninRefusal::LocationNeeded),
        (None, Some(c)) => Some(c.coarse(None)),
        (None, None) => None,
    };
    Ok(Admitted { location })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Geofence;
    use crate::domain::distance_m;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// The on-site event of the API tests: 07:00–22:00, 300 m around (30.52, 114.36).
    fn on_site() -> Event {
        Event {
            id: "2026-12-09-remembrance".into(),
            title: "纪念一二·九运动主题党日".into(),
            page: "/campaigns/1209/".into(),
            opens: at("2026-12-09T07:00:00+08:00"),
            closes: at("2026-12-09T22:00:00+08:00"),
            geofence: Some(Geofence { lat: 30.52, lon: 114.36, radius_m: 300.0 }),
        }
    }

    fn online() -> Event {
        Event { geofence: None, ..on_site() }
    }

    fn evening() -> DateTime<FixedOffset> {
        at("2026-12-09T19:30:00+08:00")
    }

    fn coords(lat: f64, lon: f64, accuracy_m: f64) -> Coordinates {
        Coordinates::new(Some(lat), Some(lon), Some(accuracy_m)).unwrap()
    }

    /// A point `metres` north of the geofence's centre.
    fn north_of_centre(metres: f64, accuracy_m: f64) -> Coordinates {
        let lat = 30.52 + (metres / crate::domain::EARTH_RADIUS_M).to_degrees();
        coords(lat, 114.36, accuracy_m)
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_request_names_every_bad_field() {
        let errors = SigninRequest::parse(None, None, None).unwrap_err();
        assert_eq!(fields(&errors), ["event", "consent_location"]);
        let bad = ReportedLocation { lat: Some(120.0), lon: Some(114.0), accuracy_m: Some(-3.0) };
        let errors = SigninRequest::parse(Some("UPPER"), Some(true), Some(&bad)).unwrap_err();
        assert_eq!(fields(&errors), ["event", "location.lat", "location.accuracy_m"]);
    }

    #[test]
    fn a_location_without_consent_is_a_field_error() {
        let venue = ReportedLocation { lat: Some(30.52), lon: Some(114.36), accuracy_m: Some(15.0) };
        let errors =
            SigninRequest::parse(Some("2026-12-online-study"), Some(false), Some(&venue)).unwrap_err();
        assert_eq!(errors, [FieldError::new("location", "未同意提供位置时不能提交位置")]);
        let request = SigninRequest::parse(Some("2026-12-online-study"), Some(true), Some(&venue)).unwrap();
        assert_eq!(request.coordinates, Some(coords(30.52, 114.36, 15.0)));
        let without = SigninRequest::parse(Some("2026-12-online-study"), Some(false), None).unwrap();
        assert_eq!(without.coordinates, None);
    }

    #[test]
    fn before_the_window_is_not_open_and_after_it_closed() {
        let venue = coords(30.52, 114.36, 10.0);
        let opens = at("2026-12-09T07:00:00+08:00");
        let closes = at("2026-12-09T22:00:00+08:00");
        assert_eq!(
            admit(&on_site(), at("2026-12-09T06:59:59+08:00"), Some(&venue)),
            Err(SigninRefusal::NotOpen { opens })
        );
        assert!(admit(&on_site(), opens, Some(&venue)).is_ok(), "the opening second is in");
        assert!(admit(&on_site(), closes, Some(&venue)).is_ok(), "so is the closing second");
        assert_eq!(
            admit(&on_site(), at("2026-12-09T22:00:01+08:00"), Some(&venue)),
            Err(SigninRefusal::Closed { closes })
        );
        // The window is compared as instants, whatever the offset the clock reports in.
        assert!(admit(&on_site(), at("2026-12-08T23:30:00+00:00"), Some(&venue)).is_ok());
        assert_eq!(
            SigninRefusal::NotOpen { opens }.to_string(),
            "签到尚未开始，2026年12月09日 07:00 开放",
            "the member reads when it opens"
        );
        assert_eq!(SigninRefusal::Closed { closes }.to_string(), "签到已于 2026年12月09日 22:00 结束");
        assert_eq!(SigninRefusal::NotOpen { opens }.field_error(), None);
    }

    #[test]
    fn the_window_is_checked_before_the_location() {
        assert_eq!(
            admit(&on_site(), at("2026-12-10T08:00:00+08:00"), None),
            Err(SigninRefusal::Closed { closes: at("2026-12-09T22:00:00+08:00") })
        );
    }

    #[test]
    fn inside_the_geofence_is_admitted_and_kept_coarse() {
        let admitted = admit(&on_site(), evening(), Some(&coords(30.52123, 114.36234, 15.4))).unwrap();
        let location = admitted.location.unwrap();
        assert_eq!((location.lat, location.lon, location.accuracy_m), (30.52, 114.36, 15.0));
        assert_eq!(location.within_geofence, Some(true));
    }

    #[test]
    fn outside_the_geofence_is_a_location_error_with_the_distance() {
        let far = coords(30.54, 114.36, 20.0);
        let refusal = admit(&on_site(), evening(), Some(&far)).unwrap_err();
        let SigninRefusal::TooFar { distance_m: d, radius_m } = refusal else { panic!("{refusal:?}") };
        assert_eq!(radius_m, 300.0);
        assert!((d - distance_m(30.54, 114.36, 30.52, 114.36)).abs() < 1e-9);
        let error = refusal.field_error().unwrap();
        assert_eq!(error.field, "location");
        assert_eq!(
            error.message,
            "您距离活动地点约 2.2 公里，不在签到范围（约 300 米）内。如果您就在会场，请到窗边或室外重新定位后再签到；\
             不便在本站签到的，请联系支部书记登记出席，两种方式同等有效"
        );
    }

    #[test]
    fn distances_are_told_in_metres_then_kilometres() {
        assert_eq!(distance(260.4), "260 米");
        assert_eq!(distance(999.0), "999 米");
        assert_eq!(distance(2224.0), "2.2 公里");
        assert_eq!(distance(683_369.0), "683 公里");
    }

    #[test]
    fn the_reported_accuracy_is_credited_up_to_200_metres() {
        // 450 m out: 300 m radius + 150 m accuracy reaches it, 100 m does not.
        assert!(admit(&on_site(), evening(), Some(&north_of_centre(450.0, 151.0))).is_ok());
        assert!(matches!(
            admit(&on_site(), evening(), Some(&north_of_centre(450.0, 100.0))),
            Err(SigninRefusal::TooFar { .. })
        ));
        // 550 m out: an accuracy of 1,000 m is credited as 200 m only, 500 m in all.
        assert!(matches!(
            admit(&on_site(), evening(), Some(&north_of_centre(550.0, 1000.0))),
            Err(SigninRefusal::TooFar { .. })
        ));
        assert!(admit(&on_site(), evening(), Some(&north_of_centre(495.0, 1000.0))).is_ok());
        // The accuracy is kept as reported (rounded), not as credited.
        let kept = admit(&on_site(), evening(), Some(&north_of_centre(495.0, 1000.0))).unwrap();
        assert_eq!(kept.location.unwrap().accuracy_m, 1000.0);
    }

    #[test]
    fn an_on_site_event_without_location_points_to_the_secretary() {
        let refusal = admit(&on_site(), evening(), None).unwrap_err();
        assert_eq!(refusal, SigninRefusal::LocationNeeded);
        let error = refusal.field_error().unwrap();
        assert_eq!(error.field, "location");
        assert!(error.message.contains("支部书记"), "{error}");
    }

    #[test]
    fn an_event_without_geofence_takes_sign_ins_with_or_without_location() {
        assert_eq!(admit(&online(), evening(), None), Ok(Admitted { location: None }));
        let anywhere = admit(&online(), evening(), Some(&coords(39.9042, 116.4074, 30.0))).unwrap();
        let location = anywhere.location.unwrap();
        assert_eq!((location.lat, location.lon, location.within_geofence), (39.9, 116.41, None));
    }
}
