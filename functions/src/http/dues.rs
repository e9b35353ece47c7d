//! The dues ledger (党费): the member's year and payments under `/api/dues/…`, the admins'
//! members × months, reviews, direct records and rates under `/api/admin/dues…`. The rules are
//! `crate::domain::dues` and `crate::file::dues`; nothing here takes money.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::copies::{form_fields, signed_url, too_large};
use super::extract::{Admin, Caller, JsonBody, both, member_id_field};
use super::joining::person;
use super::{AppState, UPLOAD_LIMIT};
use crate::domain::dues::{self as rules, Month, MonthState, PayMethod, PaymentForm, month_field};
use crate::domain::{FieldError, MemberId};
use crate::error::{ApiError, ApiResult};
use crate::file::dues::{self, DuesError, Payment, PaymentStatus, Year};
use crate::secretary::admin::Actor;

impl From<DuesError> for ApiError {
    fn from(e: DuesError) -> ApiError {
        match e {
            DuesError::NotFound => ApiError::NotFound("没有这笔党费记录".into()),
            DuesError::Invalid(fields) => ApiError::Invalid(fields),
            DuesError::AlreadyCovered(m) => {
                ApiError::conflict("already_paid", format!("{}的党费已交或正在等待确认", m.label()))
            }
            DuesError::Reviewed => ApiError::conflict("reviewed", "这笔党费已经确认或退回，不能再修改"),
            DuesError::Photo(e) => e.into(),
            DuesError::Failed(e) => ApiError::Internal(e),
        }
    }
}

#[derive(Deserialize)]
pub struct PaymentDto {
    member_id: Option<String>,
    months: Option<Vec<String>>,
    amount_fen: Option<i64>,
    method: Option<String>,
    note: Option<String>,
}

impl PaymentDto {
    fn form(&self) -> Result<PaymentForm, Vec<FieldError>> {
        PaymentForm::parse(
            self.months.as_deref(),
            self.amount_fen,
            self.method.as_deref(),
            self.note.as_deref(),
        )
    }
}

#[derive(Deserialize)]
pub struct ReviewDto {
    decision: Option<String>,
    reason: Option<String>,
}

#[derive(Deserialize)]
pub struct RateDto {
    member_id: Option<String>,
    from: Option<String>,
    amount_fen: Option<i64>,
    /// After-tax monthly wage in yuan: the amount follows from the 2008 table.
    wage_yuan: Option<i64>,
    note: Option<String>,
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

fn year_of(state: &AppState, query: &YearQuery) -> ApiResult<i32> {
    match query.year.as_deref().map(str::trim) {
        None | Some("") => Ok(state.clock.now().year()),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| ApiError::field("year", "年份应形如 2026")),
    }
}

#[derive(Serialize)]
pub struct ReceiptView {
    thumb_url: String,
    url: String,
}

#[derive(Serialize)]
pub struct PaymentView {
    amount: String,
    amount_fen: u32,
    at: String,
    expected_fen: u32,
    id: String,
    member_id: MemberId,
    method: PayMethod,
    method_label: &'static str,
    months: Vec<Month>,
    name: String,
    note: String,
    reason: Option<String>,
    receipt: Option<ReceiptView>,
    status: PaymentStatus,
    status_label: &'static str,
}

fn payment_view(state: &AppState, name: &str, p: Payment) -> PaymentView {
    PaymentView {
        amount: rules::yuan(p.amount_fen.into()),
        amount_fen: p.amount_fen,
        at: p.at.to_rfc3339(),
        expected_fen: p.expected_fen,
        id: p.id,
        member_id: p.member_id,
        method: p.method,
        method_label: p.method.label(),
        months: p.months,
        name: name.to_string(),
        note: p.note,
        reason: p.reason,
        receipt: p.receipt.map(|r| ReceiptView {
            thumb_url: signed_url(state, &r.thumb_key),
            url: signed_url(state, &r.photo_key),
        }),
        status_label: p.status.label(),
        status: p.status,
    }
}

#[derive(Serialize)]
pub struct MonthView {
    due_fen: u32,
    month: Month,
    state: MonthState,
    state_label: &'static str,
}

#[derive(Serialize)]
pub struct YearView {
    arrears: String,
    arrears_fen: u64,
    member_id: MemberId,
    months: Vec<MonthView>,
    months_behind: u32,
    name: String,
    overdue: Vec<Month>,
    payments: Vec<PaymentView>,
    rate: String,
    rate_fen: u32,
    year: i32,
}

fn year_view(state: &AppState, y: Year) -> YearView {
    let name = y.member.name.clone();
    YearView {
        arrears: rules::yuan(y.arrears_fen),
        arrears_fen: y.arrears_fen,
        member_id: y.member.id,
        months: y
            .months
            .into_iter()
            .map(|m| MonthView {
                due_fen: m.due_fen,
                month: m.month,
                state: m.state,
                state_label: m.state.label(),
            })
            .collect(),
        months_behind: y.months_behind,
        overdue: y.overdue,
        payments: y.payments.into_iter().map(|p| payment_view(state, &name, p)).collect(),
        rate: rules::yuan(y.rate_fen.into()),
        rate_fen: y.rate_fen,
        name,
        year: y.year,
    }
}

#[derive(Serialize)]
pub struct MineAnswer {
    dues: YearView,
    /// Whether the caller pays dues at all (full and probationary members do; applicants,
    /// activists and candidates do not).
    pays_dues: bool,
}

#[derive(Serialize)]
pub struct PaymentAnswer {
    payment: PaymentView,
}

#[derive(Serialize)]
pub struct Deleted {
    deleted: bool,
}

pub async fn mine(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(query): Query<YearQuery>,
) -> ApiResult<Json<MineAnswer>> {
    let year = year_of(&state, &query)?;
    let today = state.clock.now().date_naive();
    let y = dues::year_of(state.store.as_ref(), &me, year, today).await?;
    let stage = crate::file::joining::road_of(state.store.as_ref(), &me).await?.stage;
    Ok(Json(MineAnswer { dues: year_view(&state, y), pays_dues: dues::pays_dues(stage) }))
}

pub async fn report(
    State(state): State<AppState>,
    Caller(me): Caller,
    JsonBody(dto): JsonBody<PaymentDto>,
) -> ApiResult<(StatusCode, Json<PaymentAnswer>)> {
    let form = dto.form().map_err(ApiError::Invalid)?;
    let payment = dues::report(state.store.as_ref(), &me.id, form, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(PaymentAnswer { payment: payment_view(&state, &me.name, payment) })))
}

pub async fn receipt(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<PaymentAnswer>)> {
    let mut form = form_fields(multipart, "photo").await?;
    let photo = form.file("photo").ok_or_else(|| ApiError::field("photo", "请选择收据照片"))?;
    if photo.len() > UPLOAD_LIMIT {
        return Err(too_large());
    }
    let now = state.clock.now();
    let payment =
        dues::attach_receipt(state.store.as_ref(), state.blobs.as_ref(), &me.id, &id, photo, now).await?;
    Ok((StatusCode::CREATED, Json(PaymentAnswer { payment: payment_view(&state, &me.name, payment) })))
}

pub async fn withdraw(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Deleted>> {
    dues::withdraw(state.store.as_ref(), state.blobs.as_ref(), &me.id, &id, state.clock.now()).await?;
    Ok(Json(Deleted { deleted: true }))
}

#[derive(Serialize)]
pub struct BehindView {
    member_id: MemberId,
    months_behind: u32,
    name: String,
}

#[derive(Serialize)]
pub struct BranchAnswer {
    /// Members two or more months behind (the ones to call: six months in a row counts as
    /// leaving the Party), in roster order.
    behind: Vec<BehindView>,
    months: Vec<Month>,
    pending: Vec<PaymentView>,
    rows: Vec<YearView>,
    year: i32,
}

/// Members × months in roster order, who is behind, and the payments that wait.
pub async fn branch(
    State(state): State<AppState>,
    Admin(_): Admin,
    Query(query): Query<YearQuery>,
) -> ApiResult<Json<BranchAnswer>> {
    let year = year_of(&state, &query)?;
    let today = state.clock.now().date_naive();
    let rows = dues::branch_year(state.store.as_ref(), year, today).await?;
    let behind = rows
        .iter()
        .filter(|r| r.months_behind >= 2)
        .map(|r| BehindView {
            member_id: r.member.id.clone(),
            months_behind: r.months_behind,
            name: r.member.name.clone(),
        })
        .collect();
    let names = super::joining::names(&state).await?;
    let pending = dues::pending(state.store.as_ref())
        .await?
        .into_iter()
        .map(|p| {
            let name = names.get(&p.member_id).cloned().unwrap_or_default();
            payment_view(&state, &name, p)
        })
        .collect();
    Ok(Json(BranchAnswer {
        behind,
        months: Month::of_year(year),
        pending,
        rows: rows.into_iter().map(|y| year_view(&state, y)).collect(),
        year,
    }))
}

pub async fn review(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<ReviewDto>,
) -> ApiResult<Json<PaymentAnswer>> {
    let confirm = match dto.decision.as_deref().map(str::trim) {
        Some("confirm") => true,
        Some("reject") => false,
        _ => return Err(ApiError::field("decision", "请选择 confirm（确认）或 reject（退回）")),
    };
    let actor = Actor(admin.id.to_string());
    let payment =
        dues::review(state.store.as_ref(), &actor, &id, confirm, dto.reason.as_deref(), state.clock.now())
            .await?;
    let name = person(&state, payment.member_id.as_str()).await.map(|m| m.name).unwrap_or_default();
    Ok(Json(PaymentAnswer { payment: payment_view(&state, &name, payment) }))
}

pub async fn record(
    State(state): State<AppState>,
    Admin(admin): Admin,
    JsonBody(dto): JsonBody<PaymentDto>,
) -> ApiResult<(StatusCode, Json<PaymentAnswer>)> {
    let member = member_id_field("member_id", dto.member_id.as_deref());
    let (member, form) = both(member.map_err(|e| vec![e]), dto.form())?;
    let member = person(&state, member.as_str())
        .await
        .map_err(|_| ApiError::field("member_id", "名单中没有这位成员"))?;
    let actor = Actor(admin.id.to_string());
    let payment = dues::record(state.store.as_ref(), &actor, &member.id, form, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(PaymentAnswer { payment: payment_view(&state, &member.name, payment) })))
}

#[derive(Serialize)]
pub struct RateAnswer {
    amount: String,
    amount_fen: u32,
    from: Month,
    member_id: MemberId,
}

/// Sets a member's monthly amount from a month on: in fen, or from an after-tax wage by the 2008
/// table (0 exempts).
pub async fn rate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    JsonBody(dto): JsonBody<RateDto>,
) -> ApiResult<Json<RateAnswer>> {
    let mut errors = Vec::new();
    let member = member_id_field("member_id", dto.member_id.as_deref()).map_err(|e| errors.push(e)).ok();
    let from = month_field("from", dto.from.as_deref()).map_err(|e| errors.push(e)).ok();
    let fen = match (dto.amount_fen, dto.wage_yuan) {
        (Some(f), None) if (0..=i64::from(rules::MAX_PAYMENT_FEN)).contains(&f) => Some(f as u32),
        (None, Some(w)) if (0..=10_000_000).contains(&w) => Some(rules::rate_for_wage(w as u32)),
        (Some(_), Some(_)) => {
            errors.push(FieldError::new("amount_fen", "金额和工资只填一项"));
            None
        }
        (None, None) => {
            errors.push(FieldError::new("amount_fen", "请填写每月金额（分），或税后月工资（元）"));
            None
        }
        (Some(_), None) => {
            errors.push(FieldError::new("amount_fen", "金额应为 0 或正整数（分）"));
            None
        }
        (None, Some(_)) => {
            errors.push(FieldError::new("wage_yuan", "工资应为 0 或正整数（元）"));
            None
        }
    };
    let note = crate::domain::talks::text_field("note", dto.note.as_deref(), 0, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(member), Some(from), Some(fen), Some(note)) = (member, from, fen, note) else {
        return Err(ApiError::Invalid(errors));
    };
    let member = person(&state, member.as_str())
        .await
        .map_err(|_| ApiError::field("member_id", "名单中没有这位成员"))?;
    let actor = Actor(admin.id.to_string());
    dues::set_rate(state.store.as_ref(), &actor, &member.id, from, fen, &note, state.clock.now()).await?;
    Ok(Json(RateAnswer { amount: rules::yuan(fen.into()), amount_fen: fen, from, member_id: member.id }))
}
