//! Filters zhibu adds to tera's: `zh_date` (2026年12月9日) and Zola's `base64_encode`,
//! `base64_decode`, `regex_replace`. `markdown` and `num_format`, which need the site's
//! config, are registered with the functions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, NaiveDate};
use tera::{Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("zh_date", zh_date);
    tera.register_filter("base64_encode", base64_encode);
    tera.register_filter("base64_decode", base64_decode);
    let compiled: Arc<Mutex<HashMap<String, regex::Regex>>> = Arc::default();
    tera.register_filter("regex_replace", move |value: &Value, args: &HashMap<String, Value>| {
        regex_replace(&compiled, value, args)
    });
}

/// `{{ 1234567 | num_format }}` → `1,234,567`: an integer with the thousands separators of
/// `locale` (else the site's `default_language`), as Zola's `num_format`. A language with a
/// region zhibu's locale table lacks (`zh-CN`) falls back to its language (`zh`).
pub fn num_format(
    value: &Value,
    args: &HashMap<String, Value>,
    default_language: &str,
) -> tera::Result<Value> {
    use num_format::ToFormattedString as _;
    let n = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg(format!("num_format expects an integer, got {value}")))?;
    let name = match args.get("locale") {
        Some(v) => v.as_str().ok_or_else(|| tera::Error::msg("num_format: `locale` must be a string"))?,
        None => default_language,
    };
    let locale = num_format::Locale::from_name(name)
        .or_else(|_| num_format::Locale::from_name(name.split(['-', '_']).next().unwrap_or(name)))
        .map_err(|_| tera::Error::msg(format!("num_format: `{name}` is not a locale")))?;
    Ok(Value::String(n.to_formatted_string(&locale)))
}

fn string<'a>(value: &'a Value, filter: &str) -> tera::Result<&'a str> {
    value.as_str().ok_or_else(|| tera::Error::msg(format!("{filter} expects a string, got {value}")))
}

/// `{{ "党支部" | base64_encode }}` → `5YWa5pSv6YOo` (standard alphabet, padded), as in Zola.
pub fn base64_encode(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    use base64::Engine as _;
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(string(value, "base64_encode")?)))
}

/// The reverse of `base64_encode`; the decoded bytes must be UTF-8 text.
pub fn base64_decode(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(string(value, "base64_decode")?)
        .map_err(|e| tera::Error::msg(format!("base64_decode: cannot decode: {e}")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|e| tera::Error::msg(format!("base64_decode: not UTF-8 text: {e}")))
}

/// `regex_replace(pattern=…, rep=…)`: every match replaced, `$1`/`${name}` in `rep` naming
/// groups, as in Zola; each pattern is compiled once per build.
fn regex_replace(
    compiled: &Mutex<HashMap<String, regex::Regex>>,
    value: &Value,
    args: &HashMap<String, Value>,
) -> tera::Result<Value> {
    let text = string(value, "regex_replace")?;
    let named = |name: &str| {
        args.get(name).and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg(format!("regex_replace: the `{name}` argument (a string) is required"))
        })
    };
    let (pattern, rep) = (named("pattern")?, named("rep")?);
    let mut cache = compiled.lock().map_err(|_| tera::Error::msg("regex_replace: cache poisoned"))?;
    if !cache.contains_key(pattern) {
        let re = regex::Regex::new(pattern)
            .map_err(|e| tera::Error::msg(format!("regex_replace: `{pattern}` is not a valid regex: {e}")))?;
        cache.insert(pattern.to_string(), re);
    }
    let re = &cache[pattern];
    Ok(Value::String(re.replace_all(text, rep).into_owned()))
}

/// `{{ page.date | zh_date }}` → `2026年12月9日`; `zh_date(weekday=true)` adds `星期三`.
pub fn zh_date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => return Ok(Value::String(String::new())),
        other => return Err(tera::Error::msg(format!("zh_date expects a date string, got {other}"))),
    };
    let date =
        parse_day(&text).ok_or_else(|| tera::Error::msg(format!("zh_date: `{text}` is not a date")))?;
    let mut out = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    if args.get("weekday").and_then(Value::as_bool).unwrap_or(false) {
        const DAYS: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];
        out.push(' ');
        out.push_str(DAYS[date.weekday().num_days_from_monday() as usize]);
    }
    Ok(Value::String(out))
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.date_naive());
    }
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// Drops the paragraph around a one-paragraph rendering (`markdown(inline=true)`).
pub fn unwrap_paragraph(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_date_from_day_or_datetime() {
        let none = HashMap::new();
        assert_eq!(zh_date(&Value::from("2026-12-09"), &none).unwrap(), "2026年12月9日");
        assert_eq!(zh_date(&Value::from("2026-01-05T19:00:00+08:00"), &none).unwrap(), "2026年1月5日");
        let weekday = HashMap::from([("weekday".to_string(), Value::Bool(true))]);
        assert_eq!(zh_date(&Value::from("2026-12-09"), &weekday).unwrap(), "2026年12月9日 星期三");
    }

    #[test]
    fn base64_round_trips_chinese_text() {
        let none = HashMap::new();
        let encoded = base64_encode(&Value::from("党支部"), &none).unwrap();
        assert_eq!(encoded, "5YWa5pSv6YOo");
        assert_eq!(base64_decode(&encoded, &none).unwrap(), "党支部");
        assert!(base64_decode(&Value::from("not base64!"), &none).is_err());
    }

    #[test]
    fn regex_replace_uses_groups_and_reports_bad_patterns() {
        let cache = Mutex::default();
        let args = |p: &str, r: &str| {
            HashMap::from([("pattern".to_string(), Value::from(p)), ("rep".to_string(), Value::from(r))])
        };
        let out = regex_replace(&cache, &Value::from("2026-12-09"), &args(r"(\d+)-(\d+)-(\d+)", "$3/$2/$1"));
        assert_eq!(out.unwrap(), "09/12/2026");
        let bad = regex_replace(&cache, &Value::from("x"), &args("(", "")).unwrap_err();
        assert!(bad.to_string().contains("not a valid regex"), "{bad}");
    }

    #[test]
    fn num_format_groups_by_locale() {
        let locale = |l: &str| HashMap::from([("locale".to_string(), Value::from(l))]);
        assert_eq!(num_format(&Value::from(1234567), &HashMap::new(), "zh-CN").unwrap(), "1,234,567");
        assert_eq!(num_format(&Value::from(1234567), &locale("de"), "en").unwrap(), "1.234.567");
        assert_eq!(num_format(&Value::from(-1000), &HashMap::new(), "en").unwrap(), "-1,000");
        assert!(num_format(&Value::from(1), &locale("xx-nowhere"), "en").is_err());
        assert!(num_format(&Value::from("1"), &HashMap::new(), "en").is_err());
    }

    #[test]
    fn zh_date_rejects_non_dates() {
        assert!(zh_date(&Value::from("明天"), &HashMap::new()).is_err());
    }

    #[test]
    fn inline_rendering_drops_a_single_paragraph_only() {
        assert_eq!(unwrap_paragraph("<p><strong>党章</strong></p>\n"), "<strong>党章</strong>");
        assert_eq!(unwrap_paragraph("<p>a</p><p>b</p>"), "<p>a</p><p>b</p>");
    }
}
