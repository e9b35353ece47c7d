//! Filters zhibu adds to tera's: `zh_date` (2026年12月9日); `markdown`, which needs the site,
//! is registered with the functions.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate};
use tera::{Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("zh_date", zh_date);
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
    fn zh_date_rejects_non_dates() {
        assert!(zh_date(&Value::from("明天"), &HashMap::new()).is_err());
    }

    #[test]
    fn inline_rendering_drops_a_single_paragraph_only() {
        assert_eq!(unwrap_paragraph("<p><strong>党章</strong></p>\n"), "<strong>党章</strong>");
        assert_eq!(unwrap_paragraph("<p>a</p><p>b</p>"), "<p>a</p><p>b</p>");
    }
}
