//! Shortcodes in Markdown, Zola's grammar:
//! `{{ name(key="value", n=3) }}` (inline) and `{% name(key="value") %}body{% end %}` (with a body,
//! which may hold other shortcodes). Arguments are separated by commas or whitespace
//! (`{{ youtube(id="x" autoplay=true) }}`); a value is a string in `"`, `'` or `` ` `` (no escapes),
//! an integer, a decimal number, `true`/`false` or an array of those `[1, "a", [2]]`.
//! `{{/* name() */}}` and `{%/* name() */%}` are written out literally, for documentation.
//!
//! As in Zola, text that does not fit the grammar is text (`{{ get_url(path=x) }}`, a bare name
//! as a value, is not a call). Where it looks like a call (`{{ name(`) the parser says why it is
//! not one, as a [`Miss`], so the caller can tell an editor about a typo in prose.
//!
//! This module only finds and parses them (pure); rendering is the caller's through
//! [`RenderContext::shortcode`](super::RenderContext::shortcode).

use serde_json::{Map, Number, Value};

use crate::messages::{self, Text};

/// One shortcode call found in a Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Map<String, Value>,
    pub body: Option<String>,
    /// Byte range in the source text that the call occupies.
    pub start: usize,
    pub end: usize,
    /// Byte offset in the source text where `body` starts.
    pub body_start: usize,
    /// Zola's `nth`: this call is the nth (from 1) of its name on the page. Set by the renderer.
    pub nth: usize,
}

/// A piece of a Markdown body: text to keep, or a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(std::borrow::Cow<'a, str>),
    Call(Call),
}

/// Text that starts like a call (`{{ name(`) but is not one, kept as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// Byte offset of the `{{` or `{%`.
    pub start: usize,
    /// Byte offset where the parser gave up.
    pub offset: usize,
    pub name: String,
    pub message: Text,
    /// A body shortcode without its `{% end %}`: Zola fails the page for this one.
    pub unclosed_body: bool,
}

/// A body split into text and calls, and what looked like calls but was not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed<'a> {
    pub pieces: Vec<Piece<'a>>,
    pub misses: Vec<Miss>,
}

/// Splits a Markdown body into text and shortcode calls. Never fails: what is not a call is
/// text, and where it looked like one, a [`Miss`] says why it is not.
pub fn parse(text: &str) -> Parsed<'_> {
    let mut parsed = Parsed::default();
    let mut pos = 0;
    let mut text_start = 0;
    let bytes = text.as_bytes();
    while let Some(found) = text[pos..].find('{') {
        let at = pos + found;
        let close = match bytes.get(at + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                pos = at + 1;
                continue;
            }
        };
        if text[at + 2..].starts_with("/*") {
            if let Some((literal, end)) = escaped(text, at, close) {
                push_text(&mut parsed, text, text_start, at);
                parsed.pieces.push(Piece::Text(literal.into()));
                pos = end;
                text_start = end;
            } else {
                pos = at + 1;
            }
            continue;
        }
        match call_at(text, at, close) {
            Attempt::Call(call) => {
                push_text(&mut parsed, text, text_start, at);
                pos = call.end;
                text_start = call.end;
                parsed.pieces.push(Piece::Call(call));
            }
            Attempt::Miss(miss) => {
                parsed.misses.push(miss);
                pos = at + 1;
            }
            Attempt::NotACall => pos = at + 1,
        }
    }
    push_text(&mut parsed, text, text_start, text.len());
    parsed
}

fn push_text<'a>(parsed: &mut Parsed<'a>, text: &'a str, from: usize, to: usize) {
    if from < to {
        parsed.pieces.push(Piece::Text(text[from..to].into()));
    }
}

enum Attempt {
    Call(Call),
    Miss(Miss),
    NotACall,
}

/// The call starting at the `{{` or `{%` at `at`.
fn call_at(text: &str, at: usize, close: &str) -> Attempt {
    let mut p = Parser { text, pos: at + 2 };
    let miss = |name: String, offset: usize, message: Text, unclosed_body: bool| {
        Attempt::Miss(Miss { start: at, offset, name, message, unclosed_body })
    };
    let (name, args) = match p.call_head() {
        Ok(Some(head)) => head,
        Ok(None) => return Attempt::NotACall,
        Err((name, message)) => return miss(name, p.pos, message, false),
    };
    p.skip_ws();
    if !p.eat(close) {
        let message = messages::shortcode_not_closed(&name, close);
        return miss(name, p.pos, message, false);
    }
    let mut end = p.pos;
    let mut body = None;
    let mut body_start = end;
    if close == "%}" {
        let Some((body_end, tag_end)) = find_end(text, end) else {
            let message = messages::shortcode_without_end(&name);
            return miss(name, at, message, true);
        };
        let raw = &text[end..body_end];
        body_start = end + (raw.len() - raw.trim_start_matches('\n').len());
        body = Some(raw.trim_matches('\n').to_string());
        end = tag_end;
    }
    Attempt::Call(Call { name, args, body, start: at, end, body_start, nth: 0 })
}

/// `{{/* call */}}`, `{%/* call */%}` or `{%/* end */%}` at `at`: the text without the comment
/// marks and the offset after it. `None` when what is inside is not a call (then it is text).
fn escaped(text: &str, at: usize, close: &str) -> Option<(String, usize)> {
    let inner_start = at + 4;
    let mut p = Parser { text, pos: inner_start };
    p.skip_ws();
    let is_end = close == "%}" && p.eat("end") && {
        p.skip_ws();
        p.rest().starts_with("*/")
    };
    if !is_end {
        p.pos = inner_start;
        if !matches!(p.call_head(), Ok(Some(_))) {
            return None;
        }
        p.skip_ws();
    }
    let inner_end = p.pos;
    if !(p.eat("*/") && p.eat(close)) {
        return None;
    }
    Some((format!("{}{}{close}", &text[at..at + 2], &text[inner_start..inner_end]), p.pos))
}

/// Finds the `{% end %}` that closes a body starting at `from`, past the bodies of calls inside
/// it: returns (start of the tag, end of the tag).
fn find_end(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut pos = from;
    while let Some(i) = text[pos..].find("{%") {
        let at = pos + i;
        let mut p = Parser { text, pos: at + 2 };
        p.skip_ws();
        if p.eat("end") && {
            p.skip_ws();
            p.eat("%}")
        } {
            if depth == 0 {
                return Some((at, p.pos));
            }
            depth -= 1;
            pos = p.pos;
            continue;
        }
        p.pos = at + 2;
        if matches!(p.call_head(), Ok(Some(_))) && {
            p.skip_ws();
            p.eat("%}")
        } {
            depth += 1;
            pos = p.pos;
            continue;
        }
        pos = at + 2;
    }
    None
}

/// A call's name and arguments.
type CallHead = (String, Map<String, Value>);

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Zola's whitespace: space, tab and line breaks (not the ideographic space).
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r' | '\n')) {
            self.bump();
        }
    }

    /// An identifier: `[A-Za-z_][A-Za-z0-9_]*`.
    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        if !matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            self.bump();
        }
        Some(self.text[start..self.pos].to_string())
    }

    /// `␣name␣(args)`: `Ok(None)` when this is not a shortcode at all (no name, or no `(` after
    /// it); `Err` with the name when it starts like one but its arguments are not Zola's.
    fn call_head(&mut self) -> Result<Option<CallHead>, (String, Text)> {
        self.skip_ws();
        let Some(name) = self.ident() else { return Ok(None) };
        self.skip_ws();
        if !self.eat("(") {
            return Ok(None);
        }
        let mut args = Map::new();
        self.skip_ws();
        if self.eat(")") {
            return Ok(Some((name, args)));
        }
        loop {
            let Some(key) = self.ident() else {
                let message = if self.peek().is_none() {
                    messages::shortcode_missing_paren(&name)
                } else {
                    messages::shortcode_argument_name(&name)
                };
                return Err((name, message));
            };
            self.skip_ws();
            if !self.eat("=") {
                let message = messages::shortcode_argument_value(&name, &key);
                return Err((name, message));
            }
            self.skip_ws();
            let value = match self.value(&name, &key) {
                Ok(v) => v,
                Err(message) => return Err((name, message)),
            };
            args.insert(key.clone(), value);
            self.skip_ws();
            if self.eat(")") {
                return Ok(Some((name, args)));
            }
            if self.eat(",") {
                self.skip_ws();
                continue;
            }
            // Whitespace (or nothing) between arguments, as Zola's grammar allows.
            if matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || c == '_') {
                continue;
            }
            let message = if self.peek().is_none() {
                messages::shortcode_missing_paren(&name)
            } else {
                messages::shortcode_after_argument(&name, &key)
            };
            return Err((name, message));
        }
    }

    fn value(&mut self, name: &str, key: &str) -> Result<Value, Text> {
        match self.peek() {
            Some(q @ ('"' | '\'' | '`')) => {
                self.bump();
                let start = self.pos;
                let Some(len) = self.rest().find(q) else {
                    return Err(messages::shortcode_string_not_closed(name, key));
                };
                self.pos = start + len + 1;
                Ok(Value::String(self.text[start..start + len].to_string()))
            }
            Some('[') => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.eat("]") {
                        break;
                    }
                    items.push(self.value(name, key)?);
                    self.skip_ws();
                    if self.eat("]") {
                        break;
                    }
                    if !self.eat(",") {
                        return Err(messages::shortcode_list_separator(name, key));
                    }
                }
                Ok(Value::Array(items))
            }
            _ if self.eat("true") => Ok(Value::Bool(true)),
            _ if self.eat("false") => Ok(Value::Bool(false)),
            _ => self.number().ok_or_else(|| {
                let word: String = self
                    .rest()
                    .chars()
                    .take_while(|c| !matches!(c, ' ' | '\t' | '\r' | '\n' | ',' | ')' | ']'))
                    .collect();
                messages::shortcode_bad_value(name, key, &word)
            }),
        }
    }

    /// Zola's numbers: `-?(0|[1-9][0-9]*)`, with `.[0-9]+` after it for a decimal.
    fn number(&mut self) -> Option<Value> {
        let bytes = self.text.as_bytes();
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let start = self.pos;
        let mut i = start + usize::from(bytes.get(start) == Some(&b'-'));
        i = match bytes.get(i) {
            Some(b'0') => i + 1,
            Some(b'1'..=b'9') => digits(i + 1),
            _ => return None,
        };
        let decimal = bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if decimal {
            i = digits(i + 1);
        }
        let written = &self.text[start..i];
        let value = match written.parse::<i64>() {
            Ok(n) if !decimal => Value::Number(n.into()),
            _ => Value::Number(Number::from_f64(written.parse::<f64>().ok()?)?),
        };
        self.pos = i;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn calls(text: &str) -> Vec<Call> {
        parse(text)
            .pieces
            .into_iter()
            .filter_map(|p| if let Piece::Call(c) = p { Some(c) } else { None })
            .collect()
    }

    /// The text with calls shown as `CALL`.
    fn shown(text: &str) -> String {
        parse(text)
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Call(_) => "CALL".into(),
            })
            .collect()
    }

    #[test]
    fn inline_shortcode_with_typed_args() {
        let c = calls("前文 {{ signin(event=\"2026-12-09-remembrance\", n=3, on=true, xs=[1, 'a']) }} 后文");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].name, "signin");
        assert_eq!(c[0].args["event"], "2026-12-09-remembrance");
        assert_eq!(c[0].args["n"], 3);
        assert_eq!(c[0].args["on"], true);
        assert_eq!(c[0].args["xs"], json!([1, "a"]));
        assert_eq!(c[0].body, None);
    }

    #[test]
    fn arguments_are_separated_by_commas_or_whitespace() {
        for text in [
            "{{ youtube(id=\"x\", autoplay=true) }}",
            "{{ youtube(id=\"x\" autoplay=true) }}",
            "{{ youtube(id=\"x\"\n\tautoplay=true) }}",
            "{{youtube(id = \"x\" ,autoplay= true)}}",
            // Zola's grammar needs no space at all after a value.
            "{{ youtube(id=\"x\"autoplay=true) }}",
        ] {
            let c = calls(text);
            assert_eq!(c.len(), 1, "{text}");
            assert_eq!(c[0].args["id"], "x", "{text}");
            assert_eq!(c[0].args["autoplay"], true, "{text}");
        }
    }

    #[test]
    fn the_values_zola_allows() {
        let c = calls(
            "{{ f(a=\"d\", b='s', c=`b`, d=0, e=-12, f=1.5, g=-0.25, h=false, i=[], j=[[1], ['x',],], k='say \"hi\"') }}",
        );
        assert_eq!(c.len(), 1);
        let a = &c[0].args;
        assert_eq!((&a["a"], &a["b"], &a["c"]), (&json!("d"), &json!("s"), &json!("b")));
        assert_eq!((&a["d"], &a["e"]), (&json!(0), &json!(-12)));
        assert!(a["d"].is_i64() && a["f"].is_f64());
        assert_eq!((&a["f"], &a["g"]), (&json!(1.5), &json!(-0.25)));
        assert_eq!(a["h"], false);
        assert_eq!(a["i"], json!([]));
        assert_eq!(a["j"], json!([[1], ["x"]]));
        assert_eq!(a["k"], "say \"hi\"");
    }

    #[test]
    fn what_zola_does_not_allow_is_text() {
        for text in [
            "{{ get_url(path=x) }}",
            "{{ f(a=1,) }}",
            "{{ f(a=01) }}",
            "{{ f(a=1e5) }}",
            "{{ f(a=.5) }}",
            "{{ f(a=[1 2]) }}",
            "{{ f(a=\"x) }}",
            "{{ f(a=1) ]]",
            "{{ f(a=1)\u{3000}}}",
        ] {
            let parsed = parse(text);
            assert_eq!(shown(text), text, "{text}");
            assert_eq!(parsed.misses.len(), 1, "{text}: {:?}", parsed.misses);
            assert!(!parsed.misses[0].unclosed_body);
            assert!(parsed.misses[0].message.en().starts_with("shortcode `"), "{text}");
        }
    }

    #[test]
    fn body_shortcode_takes_its_body() {
        let c = calls("{% note(kind=\"tip\") %}\n注意：**加粗**\n{% end %}\n");
        assert_eq!(c[0].body.as_deref(), Some("注意：**加粗**"));
        assert_eq!(c[0].body_start, "{% note(kind=\"tip\") %}\n".len());
    }

    #[test]
    fn a_body_holds_nested_body_shortcodes() {
        let text = "{% a() %}\nx {% b() %}y{% end %} z\n{%end%}后";
        let c = calls(text);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].body.as_deref(), Some("x {% b() %}y{% end %} z"));
        assert_eq!(&text[c[0].end..], "后");
        let inner = calls(c[0].body.as_deref().unwrap());
        assert_eq!((inner[0].name.as_str(), inner[0].body.as_deref()), ("b", Some("y")));
    }

    #[test]
    fn escaped_shortcode_is_literal_text() {
        assert_eq!(shown("写成 {{/* signin(event=\"x\") */}} 即可"), "写成 {{ signin(event=\"x\") }} 即可");
        assert_eq!(
            shown("{%/* note(kind='tip') */%}\n正文\n{%/* end */%}"),
            "{% note(kind='tip') %}\n正文\n{% end %}"
        );
        // Only a call is escaped; other comments stay as written, as in Zola.
        assert_eq!(shown("{{/* not a call */}}"), "{{/* not a call */}}");
    }

    #[test]
    fn braces_that_are_not_shortcodes_stay_text() {
        let text = "JSON {\"a\": 1} and {{ not a call }} {{ page.title }} {% if x %}{% end %}";
        assert!(calls(text).is_empty());
        assert!(parse(text).misses.is_empty());
    }

    #[test]
    fn unclosed_body_is_a_miss_zola_fails_on() {
        let parsed = parse("{% note() %}\nbody\n");
        assert!(parsed.pieces.iter().all(|p| matches!(p, Piece::Text(_))));
        assert!(parsed.misses[0].unclosed_body);
        assert!(parsed.misses[0].message.en().contains("{% end %}"));
    }

    #[test]
    fn bad_argument_is_a_miss_with_offset() {
        let parsed = parse("abc {{ x(a=) }}");
        assert_eq!(parsed.misses.len(), 1);
        let miss = &parsed.misses[0];
        assert!(miss.message.en().contains("`a`"), "{}", miss.message.en());
        assert_eq!((miss.start, miss.name.as_str()), (4, "x"));
        assert!(miss.offset > 4);
    }
}
