//! Properties: Shortcodes

use super::*;

// ---------------------------------------------------------------------------------------------
// Shortcodes

/// A shortcode argument value that zhibu can write, with how it is written.
pub(super) fn arg_value() -> impl Strategy<Value = (serde_json::Value, String)> {
    let leaf = prop_oneof![
        (prop::sample::select(&['"', '\'', '`'][..]), any::<String>()).prop_map(|(q, s)| {
            let s: String = s.chars().filter(|c| *c != q).collect();
            (serde_json::Value::String(s.clone()), format!("{q}{s}{q}"))
        }),
        any::<i64>().prop_map(|i| (serde_json::json!(i), i.to_string())),
        any::<bool>().prop_map(|b| (serde_json::json!(b), b.to_string())),
        any::<f64>()
            .prop_filter("finite, and not an integer in disguise", |f| f.is_finite() && f.fract() != 0.0)
            .prop_map(|f| (serde_json::json!(f), format!("{f:?}")))
            // Zola's grammar has no exponents: 1e-7 is not a number there.
            .prop_filter("written without an exponent", |(_, t)| !t.contains('e')),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        (prop::collection::vec(inner, 0..4), prop::sample::select(&[",", ", ", " ,\n"][..])).prop_map(
            |(items, sep)| {
                let value = serde_json::Value::Array(items.iter().map(|(v, _)| v.clone()).collect());
                let text = items.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(sep);
                (value, format!("[{text}]"))
            },
        )
    })
}

#[derive(Debug, Clone)]
pub(super) struct CallValues {
    pub(super) name: String,
    pub(super) args: BTreeMap<String, (serde_json::Value, String)>,
    pub(super) body: Option<String>,
    pub(super) before: String,
    pub(super) after: String,
    pub(super) pad: &'static str,
    /// Between arguments: a comma, or (when `pad` is not empty) only the pad.
    pub(super) comma: bool,
}

impl CallValues {
    fn text(&self) -> String {
        let args: Vec<String> =
            self.args.iter().map(|(k, (_, v))| format!("{k}{0}={0}{v}", self.pad)).collect();
        let separator =
            if self.comma || self.pad.is_empty() { format!(",{}", self.pad) } else { self.pad.to_string() };
        let head = format!("{}{}({}){}", self.pad, self.name, args.join(&separator), self.pad);
        match &self.body {
            None => format!("{}{{{{{head}}}}}{}", self.before, self.after),
            Some(b) => format!("{}{{%{head}%}}{b}{{% end %}}{}", self.before, self.after),
        }
    }
}

pub(super) fn no_braces(max: usize) -> impl Strategy<Value = String> {
    any_text(max).prop_map(|s| s.replace('{', "("))
}

pub(super) fn call_values() -> impl Strategy<Value = CallValues> {
    (
        "[A-Za-z_][A-Za-z0-9_]{0,10}",
        prop::collection::btree_map("[A-Za-z_][A-Za-z0-9_]{0,7}", arg_value(), 0..4),
        prop::option::of(no_braces(60)),
        no_braces(40),
        no_braces(40),
        prop::sample::select(&["", " ", "  ", "\n", "\t", " \r\n "][..]),
        any::<bool>(),
    )
        .prop_map(|(name, args, body, before, after, pad, comma)| CallValues {
            name,
            args,
            body,
            before,
            after,
            pad,
            comma,
        })
}

pub(super) fn calls(pieces: &[Piece]) -> Vec<Call> {
    pieces.iter().filter_map(|p| if let Piece::Call(c) = p { Some(c.clone()) } else { None }).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn shortcode_parse_gives_calls_inside_the_text_and_misses_inside_it(
        text in prop_oneof![any_text(200), soup(SHORTCODE_PIECES, 40)],
    ) {
        let t = text.clone();
        let (pieces, misses) = within("shortcodes::parse", move || {
            let parsed = shortcodes::parse(&t);
            let pieces = parsed.pieces.into_iter().map(|p| match p {
                Piece::Text(s) => Err(s.into_owned()),
                Piece::Call(c) => Ok(c),
            }).collect::<Vec<_>>();
            (pieces, parsed.misses)
        });
        let mut last_end = 0;
        let mut rebuilt = String::new();
        for piece in &pieces {
            match piece {
                Ok(call) => {
                    prop_assert!(last_end <= call.start && call.start < call.end && call.end <= text.len());
                    prop_assert!(text.is_char_boundary(call.start) && text.is_char_boundary(call.end));
                    let source = &text[call.start..call.end];
                    prop_assert!(source.starts_with("{{") || source.starts_with("{%"), "call source {:?}", source);
                    prop_assert!(source.ends_with("}}") || source.ends_with("%}"), "call source {:?}", source);
                    last_end = call.end;
                    rebuilt.push_str(source);
                }
                Err(t) => rebuilt.push_str(t),
            }
        }
        // Only escapes (`{{/* x */}}` → `{{ x }}`) change the text.
        if !text.contains("/*") {
            prop_assert_eq!(rebuilt, text.clone());
        }
        for miss in &misses {
            prop_assert!(miss.start <= miss.offset && miss.offset <= text.len(), "{:?}", miss);
            let from = &text[miss.start..];
            prop_assert!(from.starts_with("{{") || from.starts_with("{%"), "miss at {:?}", from);
            prop_assert!(miss.message.en().starts_with("shortcode `"), "{}", miss.message);
        }
    }

    #[test]
    fn a_shortcode_call_parses_back_to_its_name_arguments_and_body(c in call_values()) {
        let text = c.text();
        let parsed = shortcodes::parse(&text);
        prop_assert!(parsed.misses.is_empty(), "{:?} in {:?}", parsed.misses, text);
        let found = calls(&parsed.pieces);
        prop_assert_eq!(found.len(), 1, "{:?}", parsed.pieces);
        let call = &found[0];
        prop_assert_eq!(&call.name, &c.name);
        let want: serde_json::Map<String, serde_json::Value> = c.args.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect();
        prop_assert_eq!(&call.args, &want);
        prop_assert_eq!(call.body.as_deref(), c.body.as_deref().map(|b| b.trim_matches('\n')));
        prop_assert_eq!(call.start, c.before.len());
        prop_assert_eq!(call.end, text.len() - c.after.len());
    }
}
