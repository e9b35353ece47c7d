//! The branch roster: a CSV with `id,name,role` and optionally the joining record's columns
//! `stage`, `contacts` and `mobile` (checked and normalised here), further columns kept as profile
//! fields, imported by the secretary. New members get fresh access codes, returned once; re-importing
//! updates names and roles and never resets a code.

use std::collections::BTreeMap;

use crate::auth;
use crate::domain::{MemberId, Role, Stage};
use crate::store::{CONTACTS_COLUMN, MOBILE_COLUMN, Member, MemberStore, STAGE_COLUMN};

/// A roster row that could not be read, with its line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// Parses the roster. Every bad row is reported, with its line; nothing is imported from a
/// file with errors.
pub fn parse(text: &str) -> Result<Vec<Member>, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.to_ascii_lowercase()).collect(),
        Err(e) => return Err(vec![RowError { line: 1, message: format!("cannot read the header: {e}") }]),
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id_col), Some(name_col)) = (col("id"), col("name")) else {
        return Err(vec![RowError {
            line: 1,
            message: "the header must have the columns id,name and optionally role".into(),
        }]);
    };
    let role_col = col("role");
    let mut members = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeMap::new();
    let mut line = 1;
    for record in reader.records() {
        // The line the record starts on: a quoted field may hold line breaks, so this is not
        // the record's number plus one.
        let at = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        line = at.and_then(|p| usize::try_from(p.line()).ok()).unwrap_or(line + 1);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError { line, message: format!("cannot read: {e}") });
                continue;
            }
        };
        let get = |c: usize| record.get(c).unwrap_or("").to_string();
        let id = match MemberId::parse(&get(id_col)) {
            Ok(id) => id,
            Err(_) => {
                errors.push(RowError {
                    line,
                    message: format!("id {:?} must be 3–32 letters, digits, _ or -", get(id_col)),
                });
                continue;
            }
        };
        let name = get(name_col);
        if name.is_empty() || name.chars().count() > 50 {
            errors.push(RowError {
                line,
                message: format!("member {id}: a name of 1–50 characters is required"),
            });
            continue;
        }
        let role_text = role_col.map(get).unwrap_or_default();
        let Some(role) = Role::parse(&role_text) else {
            errors.push(RowError {
                line,
                message: format!("member {id}: role {role_text:?} must be member, committee or admin"),
            });
            continue;
        };
        let mut profile: BTreeMap<String, String> = headers
            .iter()
            .enumerate()
            .filter(|(c, _)| Some(*c) != role_col && *c != id_col && *c != name_col)
            .map(|(c, h)| (h.clone(), get(c)))
            .collect();
        if let Err(message) = normalise_joining_columns(&id, &mut profile) {
            errors.push(RowError { line, message });
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            errors.push(RowError {
                line,
                message: format!("member {id} is listed twice (also on line {first})"),
            });
            continue;
        }
        members.push((line, Member { id, name, role, profile }));
    }
    errors.extend(check_contacts(&members));
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() { Ok(members.into_iter().map(|(_, m)| m).collect()) } else { Err(errors) }
}

/// Checks the `stage`, `contacts` and `mobile` columns of a row and keeps them in one form:
/// the stage's ASCII name, `id;id`, and `yes` (or nothing).
fn normalise_joining_columns(id: &MemberId, profile: &mut BTreeMap<String, String>) -> Result<(), String> {
    if let Some(stage) = profile.get_mut(STAGE_COLUMN)
        && !stage.is_empty()
    {
        let parsed = Stage::parse(stage).ok_or_else(|| {
            format!(
                "member {id}: stage {stage:?} must be one of 申请人/积极分子/发展对象/预备党员/正式党员 \
                 (or applicant/activist/candidate/probationary/full)"
            )
        })?;
        *stage = parsed.as_str().to_string();
    }
    if let Some(contacts) = profile.get_mut(CONTACTS_COLUMN) {
        let ids: Vec<&str> = contacts.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()).collect();
        if ids.len() > 2 {
            return Err(format!("member {id}: at most two contact persons, separated by ';'"));
        }
        let mut parsed = Vec::new();
        for c in ids {
            let contact =
                MemberId::parse(c).map_err(|_| format!("member {id}: contact {c:?} is not a member id"))?;
            if &contact == id {
                return Err(format!("member {id}: cannot be their own contact person"));
            }
            parsed.push(contact.to_string());
        }
        *contacts = parsed.join(";");
    }
    if let Some(mobile) = profile.get_mut(MOBILE_COLUMN) {
        *mobile = match mobile.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" | "是" | "流动党员" => "yes".into(),
            "no" | "n" | "false" | "0" | "否" | "" => String::new(),
            other => return Err(format!("member {id}: mobile {other:?} must be yes/是 or no/否 (or empty)")),
        };
    }
    Ok(())
}

/// Contact persons must be full members listed in the same roster (no stage given counts as full:
/// a roster of Party members).
fn check_contacts(members: &[(usize, Member)]) -> Vec<RowError> {
    let by_id: BTreeMap<&MemberId, &Member> = members.iter().map(|(_, m)| (&m.id, m)).collect();
    let mut errors = Vec::new();
    for (line, member) in members {
        for contact in member.contacts() {
            match by_id.get(&contact) {
                None => errors.push(RowError {
                    line: *line,
                    message: format!("member {}: contact person {contact} is not in this roster", member.id),
                }),
                Some(c) if c.stage().is_some_and(|s| s != Stage::Full) => errors.push(RowError {
                    line: *line,
                    message: format!(
                        "member {}: contact person {contact} must be a full member (their stage is {})",
                        member.id,
                        c.stage().map(Stage::label).unwrap_or_default()
                    ),
                }),
                Some(_) => {}
            }
        }
    }
    errors
}

/// What an import did: the new members with their codes (to hand out once), and how many
/// existing members were updated.
pub struct Imported {
    pub new_codes: Vec<(Member, String)>,
    pub updated: usize,
}

pub async fn import(store: &(impl MemberStore + ?Sized), members: Vec<Member>) -> anyhow::Result<Imported> {
    let mut new_codes = Vec::new();
    let mut updated = 0;
    for member in members {
        let existing = store.member(&member.id).await?;
        if existing.is_some() {
            store.upsert_member(&member, "").await?;
            updated += 1;
            continue;
        }
        let code = auth::new_access_code();
        let hash = {
            let code = code.clone();
            tokio::task::spawn_blocking(move || auth::hash_code(&code)).await??
        };
        // The store keeps an existing code even if someone was added in between.
        if store.upsert_member(&member, &hash).await? {
            new_codes.push((member, code));
        } else {
            updated += 1;
        }
    }
    Ok(Imported { new_codes, updated })
}

/// The codes file for the secretary: UTF-8 with a byte-order mark so Excel and WPS open it
/// right, `id,name,code`.
pub fn codes_csv(new_codes: &[(Member, String)]) -> String {
    let rows =
        new_codes.iter().map(|(m, code)| vec![m.id.to_string(), m.name.clone(), code.clone()]).collect();
    super::reports::Table::new("access codes", &["id", "name", "code"], rows).csv()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_rows_parse_with_profile_fields() {
        let members =
            parse("\u{feff}id,name,role,class\nm001,张三,member,2022级\na001, 王书记 ,admin,\n").unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].profile["class"], "2022级");
        assert_eq!(members[1].name, "王书记");
        assert_eq!(members[1].role, Role::Admin);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let errors = parse(
            "id,name,role\nx,张三,member\nm002,,member\nm003,李四,boss\nm004,赵六,\nm004,赵六,member\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 6]);
        assert!(errors[3].message.contains("listed twice"));
    }

    #[test]
    fn the_joining_columns_are_checked_and_normalised() {
        let members = parse(
            "id,name,role,stage,contacts,mobile\n\
             m001,张三,member,积极分子,m003；m004,是\n\
             m002,李四,committee,probationary,,\n\
             m003,王五,member,正式党员,,no\n\
             m004,赵六,member,,,\n",
        )
        .unwrap();
        assert_eq!(members[0].stage(), Some(Stage::Activist));
        assert_eq!(members[0].profile["stage"], "activist");
        assert_eq!(members[0].contacts().iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["m003", "m004"]);
        assert!(members[0].mobile());
        assert_eq!(members[1].role, Role::Committee);
        assert!(!members[2].mobile());
        assert_eq!(members[3].stage(), None);
    }

    #[test]
    fn bad_joining_columns_are_reported_with_their_lines() {
        let errors = parse(
            "id,name,stage,contacts,mobile\n\
             m001,张三,群众,,\n\
             m002,李四,applicant,m003,\n\
             m003,王五,activist,,\n\
             m004,赵六,,m404,\n\
             m005,钱七,,m005,\n\
             m006,孙八,,,maybe\n\
             m007,周九,,m003;m004;m006,\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 5, 6, 7, 8], "{errors:?}");
        assert!(errors[1].message.contains("must be a full member"), "{}", errors[1].message);
        assert!(errors[2].message.contains("not in this roster"));
    }

    #[test]
    fn a_roster_without_the_columns_is_refused() {
        assert!(parse("学号,姓名\n1,2\n").is_err());
    }

    #[test]
    fn the_codes_file_starts_with_a_bom() {
        let m = Member {
            id: MemberId::parse("m001").unwrap(),
            name: "张三".into(),
            role: Role::Member,
            profile: Default::default(),
        };
        let csv = codes_csv(&[(m, "ABCDE23456".into())]);
        assert!(csv.starts_with("\u{feff}id,name,code\n"));
        assert!(csv.contains("m001,张三,ABCDE23456"));
    }
}
