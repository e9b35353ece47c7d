//! Quizzes in SQLite: `quiz_answers` (one row per quiz and member) and `quiz_reveals`.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, collect, json, member_id, time};
use crate::domain::MemberId;
use crate::store::{Inserted, QuizAnswers, QuizReveal, QuizStore, StoreResult};

fn quiz_answers_row(row: &rusqlite::Row) -> rusqlite::Result<QuizAnswers> {
    Ok(QuizAnswers {
        quiz: row.get("quiz")?,
        member_id: member_id(row.get("member_id")?)?,
        answers: json(&row.get::<_, String>("answers")?)?,
        at: time(row.get("at")?)?,
    })
}

fn quiz_reveal_row(row: &rusqlite::Row) -> rusqlite::Result<QuizReveal> {
    Ok(QuizReveal {
        quiz: row.get("quiz")?,
        by: member_id(row.get("by_member")?)?,
        at: time(row.get("at")?)?,
    })
}

#[async_trait]
impl QuizStore for SqliteStore {
    async fn insert_quiz_answers(&self, answers: &QuizAnswers) -> StoreResult<Inserted<QuizAnswers>> {
        let a = answers.clone();
        self.with(move |c| {
            let inserted = c.execute(
                "INSERT INTO quiz_answers (quiz, member_id, answers, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (quiz, member_id) DO NOTHING",
                params![
                    a.quiz,
                    a.member_id.as_str(),
                    serde_json::to_string(&a.answers).unwrap_or_default(),
                    a.at.to_rfc3339()
                ],
            )?;
            if inserted == 1 {
                return Ok(Inserted::New(a));
            }
            let existing = c.query_row(
                "SELECT * FROM quiz_answers WHERE quiz = ?1 AND member_id = ?2",
                params![a.quiz, a.member_id.as_str()],
                quiz_answers_row,
            )?;
            Ok(Inserted::Existing(existing))
        })
        .await
    }

    async fn quiz_answers_of(&self, id: &MemberId, quiz: &str) -> StoreResult<Option<QuizAnswers>> {
        let (id, quiz) = (id.clone(), quiz.to_string());
        self.with(move |c| {
            c.query_row(
                "SELECT * FROM quiz_answers WHERE quiz = ?1 AND member_id = ?2",
                params![quiz, id.as_str()],
                quiz_answers_row,
            )
            .optional()
        })
        .await
    }

    async fn quiz_answers(&self, quiz: &str) -> StoreResult<Vec<QuizAnswers>> {
        let quiz = quiz.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM quiz_answers WHERE quiz = ?1 ORDER BY member_id")?;
            collect(st.query_map([quiz], quiz_answers_row)?)
        })
        .await
    }

    async fn quiz_answers_of_member(&self, id: &MemberId) -> StoreResult<Vec<QuizAnswers>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM quiz_answers WHERE member_id = ?1 ORDER BY quiz")?;
            collect(st.query_map([id.as_str()], quiz_answers_row)?)
        })
        .await
    }

    async fn reveal_quiz(&self, reveal: &QuizReveal) -> StoreResult<QuizReveal> {
        let r = reveal.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO quiz_reveals (quiz, by_member, at) VALUES (?1, ?2, ?3) ON CONFLICT (quiz) DO NOTHING",
                params![r.quiz, r.by.as_str(), r.at.to_rfc3339()],
            )?;
            c.query_row("SELECT * FROM quiz_reveals WHERE quiz = ?1", [r.quiz], quiz_reveal_row)
        })
        .await
    }

    async fn quiz_reveal(&self, quiz: &str) -> StoreResult<Option<QuizReveal>> {
        let quiz = quiz.to_string();
        self.with(move |c| {
            c.query_row("SELECT * FROM quiz_reveals WHERE quiz = ?1", [quiz], quiz_reveal_row).optional()
        })
        .await
    }
}
