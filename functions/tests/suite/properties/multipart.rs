//! Properties: Multipart uploads

use super::*;

// ---------------------------------------------------------------------------------------------
// Multipart uploads

/// One part of a multipart body as a browser (or anything else) might send it.
#[derive(Debug, Clone)]
pub(super) struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    value: Vec<u8>,
    /// Line ending of the part's headers: `\r\n`, or a bare `\n` some clients send.
    crlf: bool,
}

pub(super) fn part() -> impl Strategy<Value = Part> {
    let name = prop_oneof![
        6 => prop::sample::select(&["campaign", "day", "photo"][..]).prop_map(str::to_string),
        1 => any_text(12),
    ];
    let value = prop_oneof![
        2 => prop::sample::select(&["constitution-100", "nope-campaign", "1", "3", "9", "10", "0", "-1", "101", "1.5", " 2 ", ""][..])
            .prop_map(|s| s.as_bytes().to_vec()),
        2 => image_bytes(),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ];
    (
        name,
        prop::option::of(prop_oneof![Just("a.jpg".to_string()), any_text(12)]),
        prop::option::of(prop_oneof![Just("image/jpeg".to_string()), any_text(20)]),
        value,
        prop::bool::weighted(0.9),
    )
        .prop_map(|(name, filename, content_type, value, crlf)| Part {
            name,
            filename,
            content_type,
            value,
            crlf,
        })
}

/// A multipart body: parts between boundaries (sometimes not the declared one), maybe without
/// the closing boundary, maybe cut short.
#[derive(Debug, Clone)]
pub(super) struct Upload {
    header_boundary: String,
    body_boundary: String,
    parts: Vec<Part>,
    close: bool,
    cut: Option<prop::sample::Index>,
}

impl Upload {
    fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.header_boundary)
    }

    fn body(&self) -> Vec<u8> {
        let mut body = Vec::new();
        for p in &self.parts {
            let eol: &[u8] = if p.crlf { b"\r\n" } else { b"\n" };
            body.extend_from_slice(format!("--{}", self.body_boundary).as_bytes());
            body.extend_from_slice(eol);
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
            if let Some(f) = &p.filename {
                disposition.push_str(&format!("; filename=\"{f}\""));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(eol);
            if let Some(c) = &p.content_type {
                body.extend_from_slice(format!("Content-Type: {c}").as_bytes());
                body.extend_from_slice(eol);
            }
            body.extend_from_slice(eol);
            body.extend_from_slice(&p.value);
            body.extend_from_slice(b"\r\n");
        }
        if self.close {
            body.extend_from_slice(format!("--{}--\r\n", self.body_boundary).as_bytes());
        }
        if let Some(cut) = self.cut {
            body.truncate(cut.index(body.len() + 1));
        }
        body
    }
}

/// The form's own part `name`, with a good value most of the time.
pub(super) fn form_part(name: &'static str) -> impl Strategy<Value = Part> {
    let value = match name {
        "campaign" => prop_oneof![
            4 => Just(b"constitution-100".to_vec()),
            1 => prop::sample::select(&["nope-campaign", "", "CONSTITUTION-100", "../x", "constitution-100\0"][..])
                .prop_map(|s| s.as_bytes().to_vec()),
        ]
        .boxed(),
        "day" => prop_oneof![
            4 => (1u32..=9).prop_map(|d| d.to_string().into_bytes()),
            1 => prop::sample::select(&["10", "0", "-1", "101", "1.5", " 2 ", "", "99999999999999999999", "３"][..])
                .prop_map(|s| s.as_bytes().to_vec()),
        ]
        .boxed(),
        _ => image_bytes().boxed(),
    };
    let is_photo = name == "photo";
    value.prop_map(move |value| Part {
        name: name.to_string(),
        filename: is_photo.then(|| "a.jpg".to_string()),
        content_type: is_photo.then(|| "image/jpeg".to_string()),
        value,
        crlf: true,
    })
}

pub(super) fn upload() -> impl Strategy<Value = Upload> {
    let boundary = prop_oneof![
        6 => Just("zhibu-boundary".to_string()),
        1 => proptest::string::string_regex("[ -~]{0,80}").unwrap(),
        1 => Just("\"quoted boundary\"".to_string()),
    ];
    let form = (
        prop::option::weighted(0.9, form_part("campaign")),
        prop::option::weighted(0.9, form_part("day")),
        prop::option::weighted(0.9, form_part("photo")),
        prop::collection::vec(part(), 0..3),
    )
        .prop_map(|(c, d, p, others)| [c, d, p].into_iter().flatten().chain(others).collect::<Vec<_>>())
        .prop_shuffle();
    (
        boundary,
        prop::bool::weighted(0.95),
        prop_oneof![4 => form, 1 => prop::collection::vec(part(), 0..5)],
        prop::bool::weighted(0.9),
        prop::option::weighted(0.1, any::<prop::sample::Index>()),
        "[a-z-]{1,12}",
    )
        .prop_map(|(header_boundary, same, parts, close, cut, other)| {
            let body_boundary = if same { header_boundary.trim_matches('"').to_string() } else { other };
            Upload { header_boundary, body_boundary, parts, close, cut }
        })
}

#[test]
fn copies_answer_any_multipart_body_with_a_copy_or_a_contract_error() {
    let api = Api::new();
    check(256, (upload(), idempotency_key()), |(upload, key)| {
        let answer =
            api.post("/api/copies", true, Some(&upload.content_type()), key.as_deref(), upload.body())?;
        if let Some(copy) = answer.get("copy") {
            prop_assert_eq!(&copy["campaign"], "constitution-100");
            prop_assert!(copy["width"].as_u64().is_some_and(|w| (1..=2000).contains(&w)), "{}", copy);
        }
        Ok(())
    });
}

#[test]
fn copies_answer_any_bytes_with_a_contract_error() {
    let api = Api::new();
    let content_type = prop_oneof![
        Just("multipart/form-data; boundary=zhibu-boundary".to_string()),
        proptest::string::string_regex("multipart/form-data[ -~]{0,40}").unwrap(),
        proptest::string::string_regex("[ -~]{0,40}").unwrap(),
    ];
    check(128, (prop::collection::vec(any::<u8>(), 0..400), content_type), |(body, ct)| {
        api.post("/api/copies", true, Some(&ct), None, body)?;
        Ok(())
    });
}
