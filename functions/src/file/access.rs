//! Who may see whose file. A person's thought reports and joining record: the person, their
//! contact persons (培养联系人), admins and committee members. Their talks: the person, admins and
//! committee members. Anyone else is told the record does not exist (404, not 403), so that a
//! report's existence is not revealed either.

use crate::store::Member;

/// Whether `viewer` may read `person`'s thought reports and joining record.
pub fn may_read_reports(viewer: &Member, person: &Member) -> bool {
    viewer.id == person.id || viewer.role.reviews() || person.contacts().contains(&viewer.id)
}

/// Whether `viewer` may comment on and mark as read `person`'s reports (everyone who may read
/// them but the person themself).
pub fn may_review_reports(viewer: &Member, person: &Member) -> bool {
    viewer.id != person.id && may_read_reports(viewer, person)
}

/// Whether `viewer` may read `person`'s talks.
pub fn may_read_talks(viewer: &Member, person: &Member) -> bool {
    viewer.id == person.id || viewer.role.reviews()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MemberId, Role};

    fn member(id: &str, role: Role, contacts: &str) -> Member {
        let mut profile = std::collections::BTreeMap::new();
        profile.insert("contacts".to_string(), contacts.to_string());
        Member { id: MemberId::parse(id).unwrap(), name: id.into(), role, profile }
    }

    #[test]
    fn reports_are_read_by_the_author_their_contacts_and_reviewers_only() {
        let author = member("m001", Role::Member, "m003");
        let contact = member("m003", Role::Member, "");
        let other = member("m002", Role::Member, "");
        let admin = member("a001", Role::Admin, "");
        let committee = member("c001", Role::Committee, "");
        assert!(may_read_reports(&author, &author));
        assert!(!may_review_reports(&author, &author));
        assert!(may_review_reports(&contact, &author));
        assert!(may_review_reports(&admin, &author));
        assert!(may_review_reports(&committee, &author));
        assert!(!may_read_reports(&other, &author));
        // The contact's relation is one way.
        assert!(!may_read_reports(&author, &contact));
        // Talks: not the contact person.
        assert!(!may_read_talks(&contact, &author));
        assert!(may_read_talks(&committee, &author));
        assert!(may_read_talks(&author, &author));
    }
}
