//! Who and what a request names: a member's id, a member's role, and the id of an event,
//! campaign or quiz as declared in content.

use serde::{Deserialize, Serialize};

use super::FieldError;

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

/// A member's role: admins (the secretary, the instructor) moderate, manage the roster and
/// export; committee members (支委) read and comment on the branch's records like an admin — thought
/// reports, the joining record, talks — but cannot manage the roster or erase data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
    Committee,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "member" | "党员" | "" => Some(Role::Member),
            "admin" | "管理员" => Some(Role::Admin),
            "committee" | "支委" | "支部委员" => Some(Role::Committee),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
            Role::Committee => "committee",
        }
    }

    /// Admins and committee members: those who read members' reports and records.
    pub fn reviews(self) -> bool {
        matches!(self, Role::Admin | Role::Committee)
    }
}

/// An event or campaign id as declared in content, by the catalog's one id rule
/// ([`zhibu_catalog::valid_id`]: lower-case ASCII, digits, `-`, 3–64; never a `#`, the DynamoDB
/// keys' separator).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, s: &str) -> Result<Slug, FieldError> {
        if zhibu_catalog::valid_id(s) {
            Ok(Slug(s.to_string()))
        } else {
            Err(FieldError::new(field, "编号格式不正确"))
        }
    }

    /// A required id: missing is `missing`, present must be valid.
    pub fn required(field: &str, s: Option<&str>, missing: &str) -> Result<Slug, FieldError> {
        match s {
            Some(s) => Slug::parse(field, s),
            None => Err(FieldError::new(field, missing)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
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
        assert_eq!(Role::parse("支委"), Some(Role::Committee));
        assert!(Role::Committee.reviews() && Role::Admin.reviews() && !Role::Member.reviews());
        assert_eq!(Role::parse("boss"), None);
    }

    #[test]
    fn slugs_follow_the_catalogs_id_rule() {
        assert_eq!(
            Slug::parse("event", "2026-12-09-remembrance").unwrap().as_str(),
            "2026-12-09-remembrance"
        );
        assert_eq!(Slug::parse("event", "UPPER").unwrap_err(), FieldError::new("event", "编号格式不正确"));
        assert_eq!(Slug::parse("event", "a#b").unwrap_err().field, "event");
        assert_eq!(Slug::required("campaign", None, "缺少活动编号").unwrap_err().message, "缺少活动编号");
    }
}
