//! Quiz rounds (测一测): `GET /api/quizzes/{id}`, `POST /api/quizzes/{id}/answers` and, for
//! admins, `POST /api/quizzes/{id}/reveal`. Run the way the branch runs them: everyone answers
//! alone; once the round closes (or an admin reveals it after the discussion) everyone sees the
//! same anonymous distribution, then the official answers with the articles they come from. No
//! scores and no ranking. The rules are the domain's ([`crate::domain::quiz`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody};
use crate::catalog::Quiz;
use crate::domain::quiz::{AnswerRefusal, Phase, accepts_answers, parse_answers, results_visible, tally};
use crate::error::{ApiError, ApiResult};
use crate::store::{Inserted, Member, QuizAnswers, QuizReveal};

#[derive(Deserialize)]
pub struct AnswersDto {
    answers: Option<Vec<Option<u32>>>,
}

/// A round as everyone sees it: its window and state, not its questions' keys.
#[derive(Serialize)]
pub struct QuizView {
    closes: String,
    id: String,
    opens: String,
    page: String,
    /// How many questions.
    questions: usize,
    revealed: bool,
    state: Phase,
    title: String,
}

/// A member's own answers (`POST …/answers` answers with these).
#[derive(Serialize)]
pub struct OwnAnswers {
    answers: Vec<u32>,
    at: String,
}

impl From<QuizAnswers> for OwnAnswers {
    fn from(a: QuizAnswers) -> OwnAnswers {
        OwnAnswers { answers: a.answers, at: a.at.to_rfc3339() }
    }
}

/// A question's distribution, with the key, its source and the explanation.
#[derive(Serialize)]
pub struct QuestionResult {
    answer: u32,
    counts: Vec<u32>,
    explain: String,
    options: Vec<String>,
    question: String,
    source: String,
}

/// The anonymous distribution of every member's answers.
#[derive(Serialize)]
pub struct Results {
    questions: Vec<QuestionResult>,
    respondents: usize,
}

/// `GET /api/quizzes/{id}` and a reveal.
#[derive(Serialize)]
pub struct QuizAnswer {
    mine: Option<OwnAnswers>,
    quiz: QuizView,
    results: Option<Results>,
}

impl From<AnswerRefusal> for ApiError {
    fn from(refusal: AnswerRefusal) -> ApiError {
        if refusal.is_not_open() {
            ApiError::NotOpen(refusal.to_string())
        } else {
            ApiError::Closed(refusal.to_string())
        }
    }
}

fn quiz_of(state: &AppState, id: &str) -> ApiResult<Quiz> {
    state.catalog.get().quizzes.get(id).cloned().ok_or_else(|| ApiError::NotFound("没有这个测一测".into()))
}

fn results(quiz: &Quiz, all: &[QuizAnswers]) -> Results {
    let counts = tally(quiz, all.iter().map(|a| a.answers.as_slice()));
    let questions = quiz
        .questions
        .iter()
        .zip(counts)
        .map(|(q, counts)| QuestionResult {
            answer: q.answer,
            counts,
            explain: q.explain.clone(),
            options: q.options.clone(),
            question: q.question.clone(),
            source: q.source.clone(),
        })
        .collect();
    Results { questions, respondents: all.len() }
}

async fn view(state: &AppState, quiz: &Quiz, caller: &Member) -> ApiResult<QuizAnswer> {
    let revealed = state.store.quiz_reveal(&quiz.id).await?.is_some();
    let phase = Phase::of(quiz, state.clock.now());
    let mine = state.store.quiz_answers_of(&caller.id, &quiz.id).await?;
    let results = if results_visible(phase, revealed, caller.role) {
        Some(results(quiz, &state.store.quiz_answers(&quiz.id).await?))
    } else {
        None
    };
    Ok(QuizAnswer {
        mine: mine.map(Into::into),
        quiz: QuizView {
            closes: quiz.closes.to_rfc3339(),
            id: quiz.id.clone(),
            opens: quiz.opens.to_rfc3339(),
            page: quiz.page.clone(),
            questions: quiz.questions.len(),
            revealed,
            state: phase,
            title: quiz.title.clone(),
        },
        results,
    })
}

/// `GET /api/quizzes/{id}`
pub async fn show(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<QuizAnswer>> {
    let quiz = quiz_of(&state, &id)?;
    Ok(Json(view(&state, &quiz, &me).await?))
}

/// `POST /api/quizzes/{id}/answers`: 201 the first time; a repeat gets the first answers back
/// (200) whatever the window.
pub async fn answer(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<AnswersDto>,
) -> ApiResult<(StatusCode, Json<OwnAnswers>)> {
    let quiz = quiz_of(&state, &id)?;
    let answers = parse_answers(&quiz, dto.answers.as_deref()).map_err(ApiError::Invalid)?;
    if let Some(existing) = state.store.quiz_answers_of(&me.id, &quiz.id).await? {
        return Ok((StatusCode::OK, Json(existing.into())));
    }
    let revealed = state.store.quiz_reveal(&quiz.id).await?.is_some();
    accepts_answers(&quiz, state.clock.now(), revealed)?;
    let record = QuizAnswers { quiz: quiz.id.clone(), member_id: me.id, answers, at: state.clock.now() };
    match state.store.insert_quiz_answers(&record).await? {
        Inserted::New(a) => Ok((StatusCode::CREATED, Json(a.into()))),
        Inserted::Existing(a) => Ok((StatusCode::OK, Json(a.into()))),
    }
}

/// `POST /api/quizzes/{id}/reveal` (admins): results show before the round closes.
pub async fn reveal(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<QuizAnswer>> {
    let quiz = quiz_of(&state, &id)?;
    if state.store.quiz_reveal(&quiz.id).await?.is_none() {
        let reveal = QuizReveal { quiz: quiz.id.clone(), by: admin.id.clone(), at: state.clock.now() };
        state.store.reveal_quiz(&reveal).await?;
        super::audit::record(&state, &admin.id, "quiz.reveal", &quiz.id, "").await?;
    }
    Ok(Json(view(&state, &quiz, &admin).await?))
}
