//! Shortcodes in Markdown, Zola's syntax:
//! `{{ name(key="value", n=3) }}` (inline) and `{% name(key="value") %}body{% end %}` (with a body).
//! `{{/* name() */}}` and `{%/* name() */%}` are written out literally, for documentation.
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
}

/// A piece of a Markdown body: text to keep, or a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(std::borrow::Cow<'a, str>),
    Call(Call),
}

/// A parse error at a byte offset of the source.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub offset: usize,
    pub message: Text,
}

/// Splits a Markdown body into text and shortcode calls.
pub fn parse(text: &str) -> Result<Vec<Piece<'_>>, ParseError> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    let bytes = text.as_bytes();
    while let Some(found) = text[pos..].find(['{']) {
        let at = pos + found;
        let next = bytes.get(at + 1).copied();
        let (open, close) = match next {
            Some(b'{') => ("{{", "}}"),
            Some(b'%') => ("{%", "%}"),
            _ => {
                pos = at + 1;
                continue;
            }
        };
        let inner_start = at + 2;
        // Escaped: {{/* ... */}} → {{ ... }}
        let after_open = &text[inner_start..];
        if let Some(rest) = after_open.strip_prefix("/*") {
            let end_marker = format!("*/{close}");
            if let Some(e) = rest.find(&end_marker) {
                if text_start < at {
                    pieces.push(Piece::Text(text[text_start..at].into()));
                }
                let inner = &rest[..e];
                pieces.push(Piece::Text(format!("{open}{inner}{close}").into()));
                pos = inner_start + 2 + e + end_marker.len();
                text_start = pos;
                continue;
            }
        }
        let Some((name, args, after)) = parse_call_head(text, inner_start)? else {
            pos = at + 2;
            continue;
        };
        // Expect close marker.
        let rest = &text[after..];
        let trimmed = rest.trim_start();
        if !trimmed.starts_with(close) {
            return Err(ParseError { offset: after, message: messages::shortcode_not_closed(&name, close) });
        }
        let mut end = after + (rest.len() - trimmed.len()) + close.len();
        let mut body = None;
        if open == "{%" {
            // Find matching {% end %}
            let Some((body_end, end_tag_end)) = find_end(text, end) else {
                return Err(ParseError { offset: at, message: messages::shortcode_without_end(&name) });
            };
            body = Some(text[end..body_end].trim_matches('\n').to_string());
            end = end_tag_end;
        }
        if text_start < at {
            pieces.push(Piece::Text(text[text_start..at].into()));
        }
        pieces.push(Piece::Call(Call { name, args, body, start: at, end }));
        pos = end;
        text_start = end;
    }
    if text_start < text.len() {
        pieces.push(Piece::Text(text[text_start..].into()));
    }
    Ok(pieces)
}

/// Finds `{% end %}` after `from`: returns (start of tag, end of tag).
fn find_end(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut pos = from;
    while let Some(i) = text[pos..].find("{%") {
        let at = pos + i;
        let rest = text[at + 2..].trim_start();
        if let Some(r) = rest.strip_prefix("end") {
            let r2 = r.trim_start();
            if let Some(after) = r2.strip_prefix("%}") {
                let end = text.len() - after.len();
                return Some((at, end));
            }
        }
        pos = at + 2;
    }
    None
}

/// A call's name, arguments and the offset just after its `)`.
type CallHead = (String, Map<String, Value>, usize);

/// Parses `␣name(args)` starting at `pos`. `Ok(None)` when this is not a shortcode at all.
fn parse_call_head(text: &str, pos: usize) -> Result<Option<CallHead>, ParseError> {
    let mut p = Parser { text, pos };
    p.skip_ws();
    let name_start = p.pos;
    let Some(first) = p.peek() else { return Ok(None) };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Ok(None);
    }
    while matches!(p.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
        p.bump();
    }
    let name = text[name_start..p.pos].to_string();
    p.skip_ws();
    if p.peek() != Some('(') {
        return Ok(None);
    }
    if name == "end" {
        return Ok(None);
    }
    p.bump();
    let mut args = Map::new();
    loop {
        p.skip_ws();
        match p.peek() {
            Some(')') => {
                p.bump();
                break;
            }
            None => return Err(p.error(messages::shortcode_missing_paren(&name))),
            _ => {}
        }
        let key_start = p.pos;
        while matches!(p.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            p.bump();
        }
        let key = text[key_start..p.pos].to_string();
        if key.is_empty() {
            return Err(p.error(messages::shortcode_argument_name(&name)));
        }
        p.skip_ws();
        if p.peek() != Some('=') {
            return Err(p.error(messages::shortcode_argument_value(&name, &key)));
        }
        p.bump();
        p.skip_ws();
        let value = p.value(&name, &key)?;
        p.skip_ws();
        match p.peek() {
            Some(',') => {
                p.bump();
            }
            Some(')') => {}
            _ => {
                return Err(p.error(messages::shortcode_after_argument(&name, &key)));
            }
        }
        args.insert(key, value);
    }
    Ok(Some((name, args, p.pos)))
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(c) if c.is_whitespace()) {
            self.bump();
        }
    }

    fn error(&self, message: Text) -> ParseError {
        ParseError { offset: self.pos, message }
    }

    fn value(&mut self, name: &str, key: &str) -> Result<Value, ParseError> {
        match self.peek() {
            Some(q @ ('"' | '\'' | '`')) => {
                self.bump();
                let start = self.pos;
                let Some(len) = self.text[start..].find(q) else {
                    return Err(self.error(messages::shortcode_string_not_closed(name, key)));
                };
                self.pos = start + len + 1;
                Ok(Value::String(self.text[start..start + len].to_string()))
            }
            Some('[') => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some(']') {
                        self.bump();
                        break;
                    }
                    items.push(self.value(name, key)?);
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => self.bump(),
                        Some(']') => {}
                        _ => {
                            return Err(self.error(messages::shortcode_list_separator(name, key)));
                        }
                    }
                }
                Ok(Value::Array(items))
            }
            _ => {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
                {
                    self.bump();
                }
                let word = &self.text[start..self.pos];
                match word {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => {
                        if let Ok(i) = word.parse::<i64>() {
                            Ok(Value::Number(i.into()))
                        } else if let Some(n) = word.parse::<f64>().ok().and_then(Number::from_f64) {
                            Ok(Value::Number(n))
                        } else {
                            Err(self.error(messages::shortcode_bad_value(name, key, word)))
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> Vec<Call> {
        parse(text)
            .unwrap()
            .into_iter()
            .filter_map(|p| if let Piece::Call(c) = p { Some(c) } else { None })
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
        assert_eq!(c[0].args["xs"], serde_json::json!([1, "a"]));
        assert_eq!(c[0].body, None);
    }

    #[test]
    fn body_shortcode_takes_its_body() {
        let c = calls("{% note(kind=\"tip\") %}\n注意：**加粗**\n{% end %}\n");
        assert_eq!(c[0].body.as_deref(), Some("注意：**加粗**"));
    }

    #[test]
    fn escaped_shortcode_is_literal_text() {
        let pieces = parse("写成 {{/* signin(event=\"x\") */}} 即可").unwrap();
        let text: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Call(_) => "CALL".into(),
            })
            .collect();
        assert_eq!(text, "写成 {{ signin(event=\"x\") }} 即可");
    }

    #[test]
    fn braces_that_are_not_shortcodes_stay_text() {
        assert!(calls("JSON {\"a\": 1} and {{ not a call }}").is_empty());
    }

    #[test]
    fn unclosed_body_is_an_error() {
        let err = parse("{% note() %}\nbody\n").unwrap_err();
        assert!(err.message.en().contains("{% end %}"));
    }

    #[test]
    fn bad_argument_is_an_error_with_offset() {
        let err = parse("abc {{ x(a=) }}").unwrap_err();
        assert!(err.message.en().contains("`a`"), "{}", err.message.en());
        assert!(err.offset > 4);
    }
}
