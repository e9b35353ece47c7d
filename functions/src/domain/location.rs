//! Where a member is: the location a phone reports (checked into [`Coordinates`], exact, used
//! only to check a geofence), what is kept of it ([`StoredLocation`], 0.01° ≈ 1 km), and the one
//! great-circle distance every part of the functions measures with.

use serde::{Deserialize, Serialize};

use super::FieldError;

/// The Earth's mean radius in metres (IUGG's 6,371 km, rounded as in most references).
pub const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// Great-circle distance in metres between two points in degrees (haversine on a sphere of
/// [`EARTH_RADIUS_M`]). Sign-in geofences, the attendance list and the reports all use this.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    // Rounding can push `a` a hair over 1 for antipodal points.
    EARTH_RADIUS_M * 2.0 * a.sqrt().min(1.0).asin()
}

/// A location as a phone reports it (the Geolocation API's fields), not yet checked.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
pub struct ReportedLocation {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
}

/// A location as a member's phone reported it, checked. Exact coordinates are used only to
/// check a geofence; what is kept is [`StoredLocation`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    lat: f64,
    lon: f64,
    accuracy_m: f64,
}

impl Coordinates {
    pub fn new(
        lat: Option<f64>,
        lon: Option<f64>,
        accuracy_m: Option<f64>,
    ) -> Result<Coordinates, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |v: Option<f64>, range: std::ops::RangeInclusive<f64>, field, bad, missing| match v {
            Some(v) if v.is_finite() && range.contains(&v) => v,
            Some(_) => {
                errors.push(FieldError::new(field, bad));
                0.0
            }
            None => {
                errors.push(FieldError::new(field, missing));
                0.0
            }
        };
        let lat = check(lat, -90.0..=90.0, "location.lat", "纬度应在 -90 到 90 之间", "缺少纬度");
        let lon = check(lon, -180.0..=180.0, "location.lon", "经度应在 -180 到 180 之间", "缺少经度");
        let accuracy_m = check(
            accuracy_m,
            0.0..=100_000.0,
            "location.accuracy_m",
            "定位精度应在 0 到 100000 米之间",
            "缺少定位精度",
        );
        if errors.is_empty() { Ok(Coordinates { lat, lon, accuracy_m }) } else { Err(errors) }
    }

    /// A reported location, checked.
    pub fn from_reported(l: &ReportedLocation) -> Result<Coordinates, Vec<FieldError>> {
        Coordinates::new(l.lat, l.lon, l.accuracy_m)
    }

    /// Great-circle distance in metres to a point ([`distance_m`]).
    pub fn distance_m(&self, lat: f64, lon: f64) -> f64 {
        distance_m(self.lat, self.lon, lat, lon)
    }

    pub fn accuracy_m(&self) -> f64 {
        self.accuracy_m
    }

    /// What may be kept: 0.01° (about 1 km), enough to know the city an intern is in.
    pub fn coarse(&self, within_geofence: Option<bool>) -> StoredLocation {
        let round = |v: f64| (v * 100.0).round() / 100.0;
        StoredLocation {
            lat: round(self.lat),
            lon: round(self.lon),
            accuracy_m: self.accuracy_m.round(),
            within_geofence,
        }
    }
}

/// A location as stored and returned: coarse, with whether it was inside the event's geofence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StoredLocation {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub within_geofence: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_report_every_bad_field() {
        let errors = Coordinates::new(Some(91.0), None, Some(-1.0)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["location.lat", "location.lon", "location.accuracy_m"]);
        assert!(Coordinates::new(Some(f64::NAN), Some(1.0), Some(1.0)).is_err());
        assert!(Coordinates::new(Some(90.0), Some(-180.0), Some(100_000.0)).is_ok(), "the bounds are in");
    }

    #[test]
    fn stored_location_is_rounded_to_about_a_kilometre() {
        let c = Coordinates::new(Some(30.52345), Some(114.35678), Some(12.4)).unwrap();
        let s = c.coarse(Some(true));
        assert_eq!((s.lat, s.lon, s.accuracy_m), (30.52, 114.36, 12.0));
    }

    #[test]
    fn great_circle_distance_is_right() {
        // Wuhan to Beijing is about 1,050 km.
        let wuhan = Coordinates::new(Some(30.5928), Some(114.3055), Some(10.0)).unwrap();
        let d = wuhan.distance_m(39.9042, 116.4074);
        assert!((1_040_000.0..1_060_000.0).contains(&d), "{d}");
        assert!(wuhan.distance_m(30.5928, 114.3055) < 0.001);
    }

    #[test]
    fn distances_are_great_circle_metres() {
        let d = distance_m(30.52, 114.36, 30.53, 114.36);
        assert!((d - 1112.0).abs() < 5.0, "{d}");
        assert_eq!(distance_m(30.0, 114.0, 30.0, 114.0), 0.0);
        // Half the Earth's circumference, without a NaN from rounding.
        let antipodes = distance_m(0.0, 0.0, 0.0, 180.0);
        assert!((antipodes - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1.0, "{antipodes}");
    }
}
