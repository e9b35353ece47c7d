//! Heart-to-heart talks (谈心谈话): a member's request for one, and the record of a talk held —
//! how, when, about what, a short summary and the follow-ups — which the member sees and may add a
//! note to. The rule: at least one talk a year with every member.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::FieldError;
use super::notes::strip_invisible;

/// How a talk is (to be) held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TalkMode {
    InPerson,
    Phone,
    Video,
}

impl TalkMode {
    pub const ALL: [TalkMode; 3] = [TalkMode::InPerson, TalkMode::Phone, TalkMode::Video];

    pub fn parse(s: &str) -> Option<TalkMode> {
        let s = s.trim();
        TalkMode::ALL.into_iter().find(|m| s == m.as_str() || s == m.label())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TalkMode::InPerson => "inperson",
            TalkMode::Phone => "phone",
            TalkMode::Video => "video",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TalkMode::InPerson => "面谈",
            TalkMode::Phone => "电话",
            TalkMode::Video => "视频",
        }
    }
}

fn mode_field(s: Option<&str>) -> Result<TalkMode, FieldError> {
    let s =
        s.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| FieldError::new("mode", "请选择方式"))?;
    TalkMode::parse(s).ok_or_else(|| FieldError::new("mode", "方式应为面谈、电话或视频"))
}

/// Plain text of at most `max` characters; `min` 0 makes it optional.
pub fn text_field(field: &str, s: Option<&str>, min: usize, max: usize) -> Result<String, FieldError> {
    let text = strip_invisible(s.unwrap_or("")).trim().to_string();
    let n = text.chars().count();
    if n < min {
        return Err(FieldError::new(
            field,
            if min == 1 { "请填写此项".to_string() } else { format!("至少 {min} 个字") },
        ));
    }
    if n > max {
        return Err(FieldError::new(field, format!("最多 {max} 个字，现在是 {n} 个字")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new(field, "含有无法显示的控制字符"));
    }
    Ok(text)
}

/// A member's request for a talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkAsk {
    pub topic: String,
    pub preferred: String,
    pub mode: TalkMode,
}

impl TalkAsk {
    pub fn parse(
        topic: Option<&str>,
        preferred: Option<&str>,
        mode: Option<&str>,
    ) -> Result<TalkAsk, Vec<FieldError>> {
        let mut errors = Vec::new();
        let topic = text_field("topic", topic, 0, 200).map_err(|e| errors.push(e)).ok();
        let preferred = text_field("preferred", preferred, 0, 200).map_err(|e| errors.push(e)).ok();
        let mode = mode_field(mode).map_err(|e| errors.push(e)).ok();
        match (topic, preferred, mode) {
            (Some(topic), Some(preferred), Some(mode)) => Ok(TalkAsk { topic, preferred, mode }),
            _ => Err(errors),
        }
    }
}

/// The record of a talk held, as an admin or a committee member writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkHeld {
    pub held_on: NaiveDate,
    pub mode: TalkMode,
    pub topic: String,
    pub summary: String,
    pub follow_ups: String,
}

impl TalkHeld {
    pub fn parse(
        held_on: Option<&str>,
        mode: Option<&str>,
        topic: Option<&str>,
        summary: Option<&str>,
        follow_ups: Option<&str>,
        today: NaiveDate,
    ) -> Result<TalkHeld, Vec<FieldError>> {
        let mut errors = Vec::new();
        let held_on = super::joining::parse_date("held_on", held_on)
            .and_then(|d| {
                if d > today {
                    Err(FieldError::new("held_on", "谈话日期不能晚于今天"))
                } else {
                    Ok(d)
                }
            })
            .map_err(|e| errors.push(e))
            .ok();
        let mode = mode_field(mode).map_err(|e| errors.push(e)).ok();
        let topic = text_field("topic", topic, 1, 200).map_err(|e| errors.push(e)).ok();
        let summary = text_field("summary", summary, 1, 2000).map_err(|e| errors.push(e)).ok();
        let follow_ups = text_field("follow_ups", follow_ups, 0, 1000).map_err(|e| errors.push(e)).ok();
        match (held_on, mode, topic, summary, follow_ups) {
            (Some(held_on), Some(mode), Some(topic), Some(summary), Some(follow_ups)) => {
                Ok(TalkHeld { held_on, mode, topic, summary, follow_ups })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_request_needs_only_a_mode() {
        let ask = TalkAsk::parse(None, Some("周末晚上"), Some("视频")).unwrap();
        assert_eq!(ask.mode, TalkMode::Video);
        assert_eq!(ask.topic, "");
        let errors = TalkAsk::parse(Some(&"x".repeat(201)), None, Some("写信")).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["topic", "mode"]);
    }

    #[test]
    fn a_talk_record_needs_date_mode_topic_and_summary_and_is_not_in_the_future() {
        let today = d("2026-11-30");
        let ok = TalkHeld::parse(
            Some("2026-11-28"),
            Some("phone"),
            Some("实习近况"),
            Some("谈了实习和学习"),
            None,
            today,
        );
        assert_eq!(ok.unwrap().mode, TalkMode::Phone);
        let errors = TalkHeld::parse(Some("2026-12-01"), None, Some(""), None, None, today).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["held_on", "mode", "topic", "summary"]
        );
    }
}
