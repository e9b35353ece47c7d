//! Quiz rounds (测一测), run the way the branch runs them: everyone answers alone; once the round
//! closes (or an admin reveals it after the discussion) everyone sees the same anonymous
//! distribution, then the official answers with the articles they come from. No scores and no
//! ranking: a member sees their own answers beside the official ones, nobody else's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody};
use crate::catalog::Quiz;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::store::{Inserted, QuizAnswers, QuizReveal};

#[derive(Deserialize)]
pub struct AnswersDto {
    answers: Option<Vec<Option<u32>>>,
}

fn quiz_of(state: &AppState, id: &str) -> ApiResult<Quiz> {
    state.catalog.get().quizzes.get(id).cloned().ok_or_else(|| ApiError::NotFound("没有这个测一测".into()))
}

fn state_name(state: &AppState, quiz: &Quiz) -> &'static str {
    let now = state.clock.now();
    if now < quiz.opens {
        "not_open"
    } else if now >= quiz.closes {
        "closed"
    } else {
        "open"
    }
}

fn own(a: &QuizAnswers) -> Value {
    json!({ "answers": a.answers, "at": a.at.to_rfc3339() })
}

/// The distribution of every member's answers, with the key: only once results are visible.
fn results(quiz: &Quiz, all: &[QuizAnswers]) -> Value {
    let questions: Vec<Value> = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut counts = vec![0u32; q.options.len()];
            for a in all {
                if let Some(choice) = a
                    .answers
                    .get(i)
                    .and_then(|c| (*c as usize).checked_sub(1))
                    .and_then(|c| counts.get_mut(c))
                {
                    *choice += 1;
                }
            }
            json!({
                "question": q.question, "options": q.options, "counts": counts,
                "answer": q.answer, "source": q.source, "explain": q.explain,
            })
        })
        .collect();
    json!({ "respondents": all.len(), "questions": questions })
}

async fn view(state: &AppState, quiz: &Quiz, caller: &crate::store::Member) -> ApiResult<Value> {
    let revealed = state.store.quiz_reveal(&quiz.id).await?.is_some();
    let phase = state_name(state, quiz);
    let mine = state.store.quiz_answers_of(&caller.id, &quiz.id).await?;
    // Admins see the distribution while the round runs, to choose when to reveal it.
    let results = if phase == "closed" || revealed || caller.role == crate::domain::Role::Admin {
        Some(results(quiz, &state.store.quiz_answers(&quiz.id).await?))
    } else {
        None
    };
    Ok(json!({
        "quiz": {
            "id": quiz.id, "title": quiz.title, "page": quiz.page,
            "opens": quiz.opens.to_rfc3339(), "closes": quiz.closes.to_rfc3339(),
            "state": phase, "revealed": revealed, "questions": quiz.questions.len(),
        },
        "mine": mine.as_ref().map(own),
        "results": results,
    }))
}

/// `GET /api/quizzes/{id}`
pub async fn show(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let quiz = quiz_of(&state, &id)?;
    Ok(Json(view(&state, &quiz, &me).await?))
}

/// `POST /api/quizzes/{id}/answers`
pub async fn answer(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<AnswersDto>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let quiz = quiz_of(&state, &id)?;
    let Some(given) = dto.answers else {
        return Err(ApiError::field("answers", "请提交每道题的选项"));
    };
    if given.len() != quiz.questions.len() {
        return Err(ApiError::field(
            "answers",
            format!("本次共 {} 道题，提交了 {} 个答案", quiz.questions.len(), given.len()),
        ));
    }
    let mut errors = Vec::new();
    let mut answers = Vec::with_capacity(given.len());
    for (i, (choice, q)) in given.iter().zip(&quiz.questions).enumerate() {
        match choice {
            Some(c) if (1..=q.options.len() as u32).contains(c) => answers.push(*c),
            Some(_) => {
                errors.push(FieldError::new(format!("answers[{i}]"), format!("第 {} 题没有这个选项", i + 1)))
            }
            None => {
                errors.push(FieldError::new(format!("answers[{i}]"), format!("第 {} 题还没有作答", i + 1)))
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    // A repeat returns the first answers whatever the window; new answers only while open and
    // before the results are out.
    if let Some(existing) = state.store.quiz_answers_of(&me.id, &quiz.id).await? {
        return Ok((StatusCode::OK, Json(own(&existing))));
    }
    match state_name(&state, &quiz) {
        "not_open" => {
            return Err(ApiError::NotOpen(format!(
                "测一测尚未开始，{} 开放",
                quiz.opens.format("%Y年%m月%d日 %H:%M")
            )));
        }
        "closed" => return Err(ApiError::Closed("本次测一测已经结束".into())),
        _ => {}
    }
    if state.store.quiz_reveal(&quiz.id).await?.is_some() {
        return Err(ApiError::Closed("答案已经公布，本次测一测不再接收作答".into()));
    }
    let record = QuizAnswers { quiz: quiz.id.clone(), member_id: me.id, answers, at: state.clock.now() };
    match state.store.insert_quiz_answers(&record).await? {
        Inserted::New(a) => Ok((StatusCode::CREATED, Json(own(&a)))),
        Inserted::Existing(a) => Ok((StatusCode::OK, Json(own(&a)))),
    }
}

/// `POST /api/quizzes/{id}/reveal` (admins): results show before the round closes.
pub async fn reveal(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let quiz = quiz_of(&state, &id)?;
    if state.store.quiz_reveal(&quiz.id).await?.is_none() {
        let reveal = QuizReveal { quiz: quiz.id.clone(), by: admin.id.clone(), at: state.clock.now() };
        state.store.reveal_quiz(&reveal).await?;
        super::audit::record(&state, &admin.id, "quiz.reveal", &quiz.id, "").await?;
    }
    Ok(Json(view(&state, &quiz, &admin).await?))
}
