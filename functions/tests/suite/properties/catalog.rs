//! Properties: The catalog the functions read

use super::*;

// ---------------------------------------------------------------------------------------------
// The catalog the functions read

#[test]
fn catalog_from_json_takes_any_text() {
    let text = prop_oneof![
        any_text(200),
        json_value().prop_map(|v| v.to_string()),
        json_object(&[
            ("version", &["1", "2", "\"1\""]),
            ("events", &["[]", "[{\"id\": \"e\", \"opens\": \"x\"}]", "{}"]),
            ("campaigns", &["[]", "[{\"id\": \"c\", \"starts\": \"2026-12-01\", \"days\": 0}]"]),
            ("note_pages", &["[]", "[{\"path\": 1}]"]),
            ("quizzes", &["[]", "[{\"questions\": [{}]}]"]),
            ("reviews", &["[]", "[{\"id\": \"r\", \"year\": \"2026\"}]", "{}"]),
        ]),
    ];
    check(256, text, |text| {
        let _ =
            within("Catalog::from_json", move || zhibu_functions::catalog::Catalog::from_json(&text).is_ok());
        Ok(())
    });
}
