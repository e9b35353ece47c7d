//! Properties: The roster

use super::*;

// ---------------------------------------------------------------------------------------------
// The roster

#[rustfmt::skip]
pub(super) const ROSTER_PIECES: &[&str] = &[
    "id", "name", "role", "class", "ID", "Name", ",", ",,", "\n", "\r\n", "\r", "\"", "\"\"", " ", "\t", "\u{feff}",
    "m001", "m002", "a001", "x", "m-_9", "张三", "王书记", "member", "admin", "boss", "Admin", "id,name,role\n",
    "id,name\n", "m001,张三,member\n", "m001,张三,member\n", "\"m,1\"", "\"多\n行\"", "\u{0}", "é",
];

#[test]
fn roster_parse_gives_members_or_every_bad_row_with_its_line() {
    let text = prop_oneof![any_text(300), soup(ROSTER_PIECES, 40)];
    check(256, text, |text| {
        let t = text.clone();
        let result = within("roster::parse", move || roster::parse(&t));
        match result {
            Ok(members) => {
                for m in &members {
                    let chars = m.name.chars().count();
                    prop_assert!((1..=50).contains(&chars), "name {:?}", m.name);
                    prop_assert_eq!(m.name.trim(), &m.name);
                }
                let mut ids: Vec<_> = members.iter().map(|m| m.id.to_string()).collect();
                ids.sort();
                ids.dedup();
                prop_assert_eq!(ids.len(), members.len(), "an id imported twice");
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                let lines = text.split('\n').count().max(1);
                for e in &errors {
                    prop_assert!(
                        (1..=lines).contains(&e.line),
                        "line {} of {} lines: {:?}",
                        e.line,
                        lines,
                        e
                    );
                    prop_assert!(!e.message.trim().is_empty());
                }
                let mut sorted = errors.iter().map(|e| e.line).collect::<Vec<_>>();
                sorted.sort();
                prop_assert_eq!(
                    sorted,
                    errors.iter().map(|e| e.line).collect::<Vec<_>>(),
                    "errors in file order"
                );
            }
        }
        Ok(())
    });
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    id: String,
    name: String,
    role: Option<Role>,
    class: String,
}

pub(super) fn rows() -> impl Strategy<Value = Vec<Row>> {
    let name = prop_oneof![
        proptest::string::string_regex("[^\\p{Cc}]{1,50}")
            .unwrap()
            .prop_map(|s| s.trim().to_string())
            .prop_filter("a name", |s| !s.is_empty()),
        proptest::string::string_regex("[张王李赵][一-龥]{1,3}").unwrap(),
        // A line break inside a quoted field: the rows after it start one line later.
        Just("多\n行".to_string()),
    ];
    let row = (
        "[A-Za-z0-9_-]{3,32}",
        name,
        prop::option::of(prop::sample::select(&[Role::Member, Role::Admin, Role::Committee][..])),
        prop_oneof![
            Just(String::new()),
            Just("2022级".to_string()),
            Just("多行\n备注, \"引号\"".to_string())
        ],
    )
        .prop_map(|(id, name, role, class)| Row { id, name, role, class });
    prop::collection::vec(row, 0..12).prop_map(|rows| {
        let mut seen = std::collections::HashSet::new();
        rows.into_iter().filter(|r| seen.insert(r.id.clone())).collect()
    })
}

pub(super) fn write_roster(rows: &[Row], bom: bool, crlf: bool) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .from_writer(Vec::new());
    out.write_record(["id", "name", "role", "class"]).unwrap();
    for r in rows {
        let role = r.role.map(Role::as_str).unwrap_or("");
        out.write_record([r.id.as_str(), r.name.as_str(), role, r.class.as_str()]).unwrap();
    }
    let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
    if bom { format!("\u{feff}{text}") } else { text }
}

#[test]
fn a_roster_written_by_a_csv_writer_parses_back_to_the_same_members() {
    check(256, (rows(), any::<bool>(), any::<bool>()), |(rows, bom, crlf)| {
        let text = write_roster(&rows, bom, crlf);
        let members = roster::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(members.len(), rows.len());
        for (m, r) in members.iter().zip(&rows) {
            prop_assert_eq!(m.id.to_string(), r.id.clone());
            prop_assert_eq!(&m.name, &r.name);
            prop_assert_eq!(m.role, r.role.unwrap_or(Role::Member));
            prop_assert_eq!(m.profile.get("class").map(String::as_str), Some(r.class.trim()));
        }
        Ok(())
    });
}

#[test]
fn a_bad_row_is_reported_at_the_line_it_starts_on() {
    let case = (
        rows(),
        any::<prop::sample::Index>(),
        prop::sample::select(&["x,短id,member", "m999,,member", "m998,名字,boss"][..]),
    );
    check(256, case, |(rows, at, bad)| {
        let good = write_roster(&rows, false, false);
        let mut records: Vec<&str> = Vec::new();
        // Split the written roster into its records (a quoted field may hold line breaks).
        let mut start = 0;
        let mut quoted = false;
        for (i, c) in good.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '\n' if !quoted => {
                    records.push(&good[start..=i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        let insert_at = 1 + at.index(records.len());
        let line = 1 + records[..insert_at].iter().map(|r| r.matches('\n').count()).sum::<usize>();
        let bad_line = format!("{bad}\n");
        records.insert(insert_at, &bad_line);
        let text = records.concat();
        let errors = roster::parse(&text).expect_err("a bad row");
        prop_assert_eq!(errors.len(), 1, "{:?}", errors);
        prop_assert_eq!(errors[0].line, line, "{:?} in\n{}", errors[0], text);
        Ok(())
    });
}
