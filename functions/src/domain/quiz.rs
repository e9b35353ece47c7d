//! Quiz rounds (测一测): a round's phase, the answers a member may give, when new answers are
//! taken and when results show, and the anonymous distribution. No scores and no ranking.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{FieldError, Role};
use crate::catalog::Quiz;

/// Where a round stands: answered alone while open; results once it has closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    NotOpen,
    Open,
    Closed,
}

impl Phase {
    /// Open from `opens` (included) until `closes` (excluded).
    pub fn of(quiz: &Quiz, now: DateTime<FixedOffset>) -> Phase {
        if now < quiz.opens {
            Phase::NotOpen
        } else if now >= quiz.closes {
            Phase::Closed
        } else {
            Phase::Open
        }
    }
}

/// Whether the distribution and the key show: once the round has closed or an admin revealed
/// it; admins see the distribution while the round runs, to choose when to reveal it.
pub fn results_visible(phase: Phase, revealed: bool, role: Role) -> bool {
    phase == Phase::Closed || revealed || role == Role::Admin
}

/// A member's answers, checked against the round: one 1-based option per question. A missing
/// list or one of the wrong length is one error on `answers`; otherwise every bad answer is
/// named (`answers[i]`).
pub fn parse_answers(quiz: &Quiz, given: Option<&[Option<u32>]>) -> Result<Vec<u32>, Vec<FieldError>> {
    let Some(given) = given else {
        return Err(vec![FieldError::new("answers", "请提交每道题的选项")]);
    };
    if given.len() != quiz.questions.len() {
        let message = format!("本次共 {} 道题，提交了 {} 个答案", quiz.questions.len(), given.len());
        return Err(vec![FieldError::new("answers", message)]);
    }
    let mut errors = Vec::new();
    let mut answers = Vec::with_capacity(given.len());
    for (i, (choice, q)) in given.iter().zip(&quiz.questions).enumerate() {
        let field = format!("answers[{i}]");
        match choice {
            Some(c) if (1..=q.options.len() as u32).contains(c) => answers.push(*c),
            Some(_) => errors.push(FieldError::new(field, format!("第 {} 题没有这个选项", i + 1))),
            None => errors.push(FieldError::new(field, format!("第 {} 题还没有作答", i + 1))),
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

/// Why new answers are refused (all 409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerRefusal {
    NotOpen {
        opens: DateTime<FixedOffset>,
    },
    Closed,
    /// The results are out: answering now would be copying.
    Revealed,
}

impl AnswerRefusal {
    pub fn is_not_open(&self) -> bool {
        matches!(self, AnswerRefusal::NotOpen { .. })
    }
}

impl std::fmt::Display for AnswerRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerRefusal::NotOpen { opens } => {
                write!(f, "测一测尚未开始，{} 开放", opens.format("%Y年%m月%d日 %H:%M"))
            }
            AnswerRefusal::Closed => f.write_str("本次测一测已经结束"),
            AnswerRefusal::Revealed => f.write_str("答案已经公布，本次测一测不再接收作答"),
        }
    }
}

/// Whether a member's first answers are taken now: only while the round is open and before
/// the results are out. (A repeat gets the first answers back whatever the time.)
pub fn accepts_answers(quiz: &Quiz, now: DateTime<FixedOffset>, revealed: bool) -> Result<(), AnswerRefusal> {
    match Phase::of(quiz, now) {
        Phase::NotOpen => Err(AnswerRefusal::NotOpen { opens: quiz.opens }),
        Phase::Closed => Err(AnswerRefusal::Closed),
        Phase::Open if revealed => Err(AnswerRefusal::Revealed),
        Phase::Open => Ok(()),
    }
}

/// How many members chose each option of each question (answers out of range are not counted).
pub fn tally<'a>(quiz: &Quiz, all: impl IntoIterator<Item = &'a [u32]>) -> Vec<Vec<u32>> {
    let mut counts: Vec<Vec<u32>> = quiz.questions.iter().map(|q| vec![0; q.options.len()]).collect();
    for answers in all {
        for (question, choice) in counts.iter_mut().zip(answers) {
            if let Some(n) = (*choice as usize).checked_sub(1).and_then(|c| question.get_mut(c)) {
                *n += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::QuizQuestion;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn round() -> Quiz {
        let question = |options: &[&str]| QuizQuestion {
            question: "?".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            answer: 1,
            source: String::new(),
            explain: String::new(),
        };
        Quiz {
            id: "2026-12-regulations".into(),
            title: "测一测".into(),
            page: "/campaigns/quiz/".into(),
            opens: at("2026-12-01T08:00:00+08:00"),
            closes: at("2026-12-10T22:00:00+08:00"),
            questions: vec![question(&["每月", "每季度", "每半年"]), question(&["是", "否"])],
        }
    }

    #[test]
    fn a_round_is_open_from_its_opening_until_just_before_it_closes() {
        let q = round();
        assert_eq!(Phase::of(&q, at("2026-12-01T07:59:59+08:00")), Phase::NotOpen);
        assert_eq!(Phase::of(&q, q.opens), Phase::Open);
        assert_eq!(Phase::of(&q, at("2026-12-10T21:59:59+08:00")), Phase::Open);
        assert_eq!(Phase::of(&q, q.closes), Phase::Closed);
        assert_eq!(serde_json::to_value(Phase::NotOpen).unwrap(), "not_open");
    }

    #[test]
    fn answers_are_checked_question_by_question() {
        let q = round();
        assert_eq!(parse_answers(&q, Some(&[Some(3), Some(1)])), Ok(vec![3, 1]));
        assert_eq!(parse_answers(&q, None).unwrap_err()[0].field, "answers");
        let short = parse_answers(&q, Some(&[Some(1)])).unwrap_err();
        assert_eq!(short, [FieldError::new("answers", "本次共 2 道题，提交了 1 个答案")]);
        let errors = parse_answers(&q, Some(&[None, Some(3)])).unwrap_err();
        assert_eq!(
            errors,
            [
                FieldError::new("answers[0]", "第 1 题还没有作答"),
                FieldError::new("answers[1]", "第 2 题没有这个选项")
            ]
        );
        assert!(parse_answers(&q, Some(&[Some(0), Some(1)])).is_err(), "options are 1-based");
    }

    #[test]
    fn new_answers_are_taken_only_while_open_and_unrevealed() {
        let q = round();
        let open = at("2026-12-09T19:30:00+08:00");
        assert_eq!(accepts_answers(&q, open, false), Ok(()));
        assert_eq!(accepts_answers(&q, open, true), Err(AnswerRefusal::Revealed));
        let early = accepts_answers(&q, at("2026-11-30T08:00:00+08:00"), false).unwrap_err();
        assert!(early.is_not_open());
        assert_eq!(early.to_string(), "测一测尚未开始，2026年12月01日 08:00 开放");
        assert_eq!(accepts_answers(&q, q.closes, true), Err(AnswerRefusal::Closed), "closed comes first");
    }

    #[test]
    fn results_show_when_closed_revealed_or_to_admins() {
        assert!(!results_visible(Phase::Open, false, Role::Member));
        assert!(results_visible(Phase::Open, true, Role::Member));
        assert!(results_visible(Phase::Closed, false, Role::Member));
        assert!(results_visible(Phase::NotOpen, false, Role::Admin));
    }

    #[test]
    fn the_tally_counts_each_option_and_skips_nonsense() {
        let q = round();
        let all: [&[u32]; 4] = [&[1, 2], &[2, 2], &[2, 9], &[0]];
        assert_eq!(tally(&q, all), vec![vec![1, 2, 0], vec![0, 2]]);
    }
}
