//! Domain types that validate on construction: a value of one of these types is valid.
//! Request DTOs are plain serde structs of `Option`s; handlers turn them into these, reporting
//! every bad field at once.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// A member's id: the student or member number, `[A-Za-z0-9_-]{3,32}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemberId(String);

impl MemberId {
    pub fn parse(s: &str) -> Result<MemberId, FieldError> {
        let ok = (3..=32).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if ok {
            Ok(MemberId(s.to_string()))
        } else {
            Err(FieldError::new("member_id", "学号/党员编号应为 3–32 位字母、数字、下划线或连字符"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MemberId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member's role: admins (the secretary, the instructor) moderate and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "member" | "党员" | "" => Some(Role::Member),
            "admin" | "管理员" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
        }
    }
}

/// An event or campaign id as declared in content: lower-case ASCII, digits, `-`, 3–64.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, s: &str) -> Result<Slug, FieldError> {
        let ok = (3..=64).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-');
        if ok { Ok(Slug(s.to_string())) } else { Err(FieldError::new(field, "编号格式不正确")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A location as a member's phone reported it. Exact coordinates are used only to check a
/// geofence; what is kept is [`StoredLocation`].
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
        let lat = match lat {
            Some(v) if v.is_finite() && (-90.0..=90.0).contains(&v) => v,
            Some(_) => {
                errors.push(FieldError::new("location.lat", "纬度应在 -90 到 90 之间"));
                0.0
            }
            None => {
                errors.push(FieldError::new("location.lat", "缺少纬度"));
                0.0
            }
        };
        let lon = match lon {
            Some(v) if v.is_finite() && (-180.0..=180.0).contains(&v) => v,
            Some(_) => {
                errors.push(FieldError::new("location.lon", "经度应在 -180 到 180 之间"));
                0.0
            }
            None => {
                errors.push(FieldError::new("location.lon", "缺少经度"));
                0.0
            }
        };
        let accuracy_m = match accuracy_m {
            Some(v) if v.is_finite() && (0.0..=100_000.0).contains(&v) => v,
            Some(_) => {
                errors.push(FieldError::new("location.accuracy_m", "定位精度应在 0 到 100000 米之间"));
                0.0
            }
            None => {
                errors.push(FieldError::new("location.accuracy_m", "缺少定位精度"));
                0.0
            }
        };
        if errors.is_empty() { Ok(Coordinates { lat, lon, accuracy_m }) } else { Err(errors) }
    }

    /// Great-circle distance in metres (haversine, mean Earth radius).
    pub fn distance_m(&self, lat: f64, lon: f64) -> f64 {
        const R: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), lat.to_radians());
        let dp = (lat - self.lat).to_radians();
        let dl = (lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * a.sqrt().atan2((1.0 - a).sqrt())
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

/// A study note's text: 10–5000 characters after trimming; plain text, never HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteBody(String);

pub const NOTE_MIN_CHARS: usize = 10;
pub const NOTE_MAX_CHARS: usize = 5000;

impl NoteBody {
    /// Invisible characters (zero-width, bidi controls) are removed first: they hide text from
    /// the reviewer and the sensitive-word list, and reorder what readers see.
    pub fn parse(s: &str) -> Result<NoteBody, FieldError> {
        let visible = strip_invisible(s);
        let trimmed = visible.trim();
        let n = trimmed.chars().count();
        if n < NOTE_MIN_CHARS {
            return Err(FieldError::new("body", format!("心得至少 {NOTE_MIN_CHARS} 个字，现在是 {n} 个字")));
        }
        if n > NOTE_MAX_CHARS {
            return Err(FieldError::new("body", format!("心得最多 {NOTE_MAX_CHARS} 个字，现在是 {n} 个字")));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            return Err(FieldError::new("body", "心得中含有无法显示的控制字符"));
        }
        Ok(NoteBody(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Characters that show nothing themselves but hide or reorder text: zero-width spaces and
/// joiners, the word joiner, the byte-order mark, the soft hyphen, and bidirectional controls.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The text without [`is_invisible`] characters.
pub fn strip_invisible(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect()
}

/// A site path that takes notes, e.g. `/theory/constitution/`.
pub fn page_path(s: &str) -> Result<String, FieldError> {
    let ok =
        s.starts_with('/') && s.ends_with('/') && s.len() <= 300 && !s.contains("..") && !s.contains('?');
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new("page", "页面路径应形如 /theory/article/"))
    }
}

/// Moderation state of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteStatus {
    Pending,
    Approved,
    Rejected,
}

impl NoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::Pending => "pending",
            NoteStatus::Approved => "approved",
            NoteStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<NoteStatus> {
        match s {
            "pending" => Some(NoteStatus::Pending),
            "approved" => Some(NoteStatus::Approved),
            "rejected" => Some(NoteStatus::Rejected),
            _ => None,
        }
    }
}

/// A day of a campaign, 1 to the campaign's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CampaignDay(u32);

impl CampaignDay {
    pub fn parse(s: &str, days: u32) -> Result<CampaignDay, FieldError> {
        match s.trim().parse::<u32>() {
            Ok(d) if (1..=days).contains(&d) => Ok(CampaignDay(d)),
            _ => Err(FieldError::new("day", format!("天数应为 1 到 {days} 之间的整数"))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_are_checked() {
        assert!(MemberId::parse("2021-0345").is_ok());
        assert!(MemberId::parse("ab").is_err());
        assert!(MemberId::parse("has space").is_err());
        assert!(MemberId::parse(&"x".repeat(33)).is_err());
        assert!(MemberId::parse("张三").is_err());
    }

    #[test]
    fn roles_parse_in_english_and_chinese() {
        assert_eq!(Role::parse("Admin"), Some(Role::Admin));
        assert_eq!(Role::parse("党员"), Some(Role::Member));
        assert_eq!(Role::parse("boss"), None);
    }

    #[test]
    fn coordinates_report_every_bad_field() {
        let errors = Coordinates::new(Some(91.0), None, Some(-1.0)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["location.lat", "location.lon", "location.accuracy_m"]);
        assert!(Coordinates::new(Some(f64::NAN), Some(1.0), Some(1.0)).is_err());
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
    fn note_bodies_are_trimmed_and_counted_in_characters() {
        assert!(NoteBody::parse("  学习党章的体会很深  ").is_err(), "9 characters after trimming");
        assert_eq!(NoteBody::parse("  学习党章的体会很深刻  ").unwrap().as_str(), "学习党章的体会很深刻");
        assert!(NoteBody::parse(&"党".repeat(5000)).is_ok());
        assert!(NoteBody::parse(&"党".repeat(5001)).is_err());
        assert!(NoteBody::parse("<script>alert(1)</script>").is_ok(), "kept as text, never interpreted");
        assert!(NoteBody::parse("控制字符\u{0007}在这里出现了").is_err());
        assert_eq!(
            NoteBody::parse("学习\u{200B}党章\u{202E}的体会\u{2066}很深刻\u{FEFF}").unwrap().as_str(),
            "学习党章的体会很深刻",
            "zero-width and bidi controls are removed"
        );
        assert!(
            NoteBody::parse("\u{200B}".repeat(20).as_str()).is_err(),
            "invisible characters do not count"
        );
    }

    #[test]
    fn campaign_days_are_in_range() {
        assert_eq!(CampaignDay::parse("1", 100).unwrap().get(), 1);
        assert!(CampaignDay::parse("0", 100).is_err());
        assert!(CampaignDay::parse("101", 100).is_err());
        assert!(CampaignDay::parse("x", 100).is_err());
    }

    #[test]
    fn page_paths_are_checked() {
        assert!(page_path("/theory/a/").is_ok());
        assert!(page_path("theory/a").is_err());
        assert!(page_path("/../etc/").is_err());
    }
}
