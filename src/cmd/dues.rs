//! `zhibu dues rate | record | notify`: the dues ledger (党费) from the command line — a member's
//! monthly amount, a payment made to the branch (confirmed at once), and a reminder posted to the
//! branch's group chat through its robot webhook (企业微信 or 飞书), counts only. Changes are
//! written to the audit log as `cli:<user>`.

use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use chrono::Datelike as _;
use zhibu_functions::admin::{self, Actor};
use zhibu_functions::domain::dues::{self as rules, Month, PaymentForm};
use zhibu_functions::domain::talks::text_field;
use zhibu_functions::domain::{FieldError, MemberId};
use zhibu_functions::file::{self, dues::DuesError};
use zhibu_functions::store::Member;

use crate::cli::{DuesNotifyArgs, DuesRateArgs, DuesRecordArgs};

/// The environment variable holding the group webhook when `--webhook` is not given.
pub const WEBHOOK_ENV: &str = "ZHIBU_DUES_WEBHOOK";

/// How long a post to the webhook may take, connecting included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The highest after-tax monthly wage (yuan) taken, as the admin page does (a bound against typos).
const MAX_WAGE_YUAN: u32 = 10_000_000;

fn member_id(id: &str) -> anyhow::Result<MemberId> {
    MemberId::parse(id).map_err(|e| anyhow!("{id:?}: {}", e.message))
}

/// The member of the roster with this id.
fn member(b: &super::Backends, id: &MemberId) -> anyhow::Result<Member> {
    Ok(b.runtime
        .block_on(b.store.member(id))?
        .with_context(|| format!("no member {id} in the roster"))?
        .member)
}

/// A remark when the person does not pay dues (yet): the ledger and its reports leave them out.
fn unless_paying(b: &super::Backends, member: &Member) -> anyhow::Result<()> {
    let stage = b.runtime.block_on(file::joining::road_of(b.store.as_ref(), member))?.stage;
    if !file::dues::pays_dues(stage) {
        eprintln!(
            "Note: {} {} is {} and does not pay dues yet; the ledger shows them once they are a \
             Party member.",
            member.id,
            member.name,
            stage.map(|s| s.label()).unwrap_or_default()
        );
    }
    Ok(())
}

/// The fields of a form as the command line names them: `--months: 月份应形如 2026-10`.
fn field_errors(errors: &[FieldError], months: &[String]) -> anyhow::Error {
    let list: Vec<String> = errors
        .iter()
        .map(|e| {
            let flag = match e.field.as_str() {
                "months" => "--months".to_string(),
                "amount_fen" => "--fen".to_string(),
                "method" => "--method".to_string(),
                "note" => "--note".to_string(),
                f => match f
                    .strip_prefix("months[")
                    .and_then(|i| i.trim_end_matches(']').parse::<usize>().ok())
                {
                    Some(i) => {
                        format!("--months {:?}", months.get(i).map(String::as_str).unwrap_or_default())
                    }
                    None => format!("--{f}"),
                },
            };
            let hint = if e.field == "method" { " (cash, wechat, bank or host)" } else { "" };
            format!("{flag}: {}{hint}", e.message)
        })
        .collect();
    anyhow!("{}; nothing was recorded", list.join("; "))
}

/// `zhibu dues rate ID --from 2026-01 (--fen N | --wage YUAN) [--note TEXT]`.
pub fn rate(args: &DuesRateArgs) -> anyhow::Result<()> {
    let id = member_id(&args.id)?;
    let from = Month::parse(&args.from)
        .with_context(|| format!("--from {:?} is not a month: write it like 2026-01", args.from))?;
    let (fen, how) = match (args.fen, args.wage) {
        (Some(fen), _) if fen > rules::MAX_PAYMENT_FEN => {
            bail!("--fen {fen} is more than the most a month may be ({} fen)", rules::MAX_PAYMENT_FEN)
        }
        (Some(fen), _) => (fen, String::new()),
        (None, Some(wage)) if wage > MAX_WAGE_YUAN => {
            bail!("--wage {wage} is more than {MAX_WAGE_YUAN} yuan: give the after-tax monthly wage in yuan")
        }
        (None, Some(wage)) => {
            (rules::rate_for_wage(wage), format!(", by the 2008 table for an after-tax wage of {wage} yuan"))
        }
        (None, None) => bail!("give the amount: --fen N (in fen) or --wage YUAN (after-tax monthly wage)"),
    };
    let note =
        text_field("note", args.note.as_deref(), 0, 200).map_err(|e| anyhow!("--note: {}", e.message))?;
    let b = super::backends(&args.data.data)?;
    let member = member(&b, &id)?;
    b.runtime.block_on(file::dues::set_rate(
        b.store.as_ref(),
        &Actor::command_line(),
        &id,
        from,
        fen,
        &note,
        super::now(),
    ))?;
    let exempt = if fen == 0 { " (exempt)" } else { "" };
    eprintln!("{id} {}: {} yuan a month from {from} on{exempt}{how}.", member.name, rules::yuan(fen.into()));
    unless_paying(&b, &member)
}

/// `zhibu dues record ID --months 2026-10,2026-11 --fen N --method cash|wechat|bank|host [--note]`.
pub fn record(args: &DuesRecordArgs) -> anyhow::Result<()> {
    let id = member_id(&args.id)?;
    let months: Vec<String> =
        args.months.iter().map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect();
    let form = PaymentForm::parse(Some(&months), Some(args.fen), Some(&args.method), args.note.as_deref())
        .map_err(|errors| field_errors(&errors, &months))?;
    let b = super::backends(&args.data.data)?;
    let member = member(&b, &id)?;
    let payment = b
        .runtime
        .block_on(file::dues::record(b.store.as_ref(), &Actor::command_line(), &id, form, super::now()))
        .map_err(|e| match e {
            DuesError::AlreadyCovered(month) => anyhow!(
                "{month} of {id} is covered already (a payment that includes it is confirmed or waits for \
                 confirmation); nothing was recorded"
            ),
            DuesError::Invalid(errors) => field_errors(&errors, &months),
            DuesError::Failed(e) => e,
            other => anyhow!("{other}"),
        })?;
    let covered: Vec<String> = payment.months.iter().map(Month::to_string).collect();
    eprintln!(
        "{id} {}: recorded {} yuan for {} ({}), confirmed.",
        member.name,
        rules::yuan(payment.amount_fen.into()),
        covered.join(", "),
        payment.method.label()
    );
    if payment.amount_fen != payment.expected_fen {
        eprintln!(
            "Note: at {id}'s monthly amount these months come to {} yuan.",
            rules::yuan(payment.expected_fen.into())
        );
    }
    unless_paying(&b, &member)
}

/// A group robot's webhook: the URL (a secret: its key is in the path or the query) and what of
/// it may be shown — the scheme and host.
struct Webhook {
    url: String,
    origin: String,
}

impl Webhook {
    /// An https URL (plain http only to this machine, for testing). Errors never repeat the URL.
    fn parse(url: &str) -> anyhow::Result<Webhook> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            bail!("the webhook is not a URL: it should start with https://");
        };
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default().to_ascii_lowercase();
        if host.is_empty() {
            bail!("the webhook URL has no host");
        }
        let local = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .any(|h| host == *h || host.strip_prefix(h).is_some_and(|port| port.starts_with(':')));
        match scheme.as_str() {
            "https" => {}
            "http" if local => {}
            "http" => bail!("the webhook must be an https:// URL: over http its key would travel in clear"),
            _ => bail!("the webhook must be an https:// URL"),
        }
        Ok(Webhook { url: url.to_string(), origin: format!("{scheme}://{host}") })
    }

    /// A text with the URL (or its secret part) replaced by the origin.
    fn redact(&self, text: &str) -> String {
        let mut text = text.replace(&self.url, &self.origin);
        let secret = self.url.split_once("://").map(|(_, r)| r).unwrap_or_default();
        if let Some(i) = secret.find(['/', '?', '#']) {
            let tail = &secret[i..];
            if tail.len() > 1 {
                text = text.replace(tail, "/…");
            }
        }
        text
    }
}

/// The message as the chat's robot takes it.
fn body(style: &str, text: &str) -> serde_json::Value {
    match style {
        "feishu" => serde_json::json!({ "msg_type": "text", "content": { "text": text } }),
        _ => serde_json::json!({ "msgtype": "text", "text": { "content": text } }),
    }
}

/// The error a robot reports in a 200 answer: WeCom's `errcode`, Feishu's `code` (or its older
/// `StatusCode`), each non-zero on failure, with the message beside it.
fn answer_error(answer: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(answer).ok()?;
    [("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")].into_iter().find_map(
        |(code, message)| {
            let n = value.get(code)?.as_i64()?;
            let message = value.get(message).and_then(|m| m.as_str()).unwrap_or_default();
            (n != 0).then(|| {
                if message.is_empty() { format!("{code} {n}") } else { format!("{code} {n} ({message})") }
            })
        },
    )
}

/// Posts the message; a failure to connect, a non-2xx answer or an error code is an error naming
/// the host and the status or code, never the URL.
fn post(hook: &Webhook, body: &serde_json::Value) -> anyhow::Result<()> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        // A redirect is an answer of its own (3xx), never followed with the message.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into();
    let origin = &hook.origin;
    let mut response = agent
        .post(&hook.url)
        .header("Content-Type", "application/json; charset=utf-8")
        .send(body.to_string())
        .map_err(|e| {
            let why = match e {
                ureq::Error::Timeout(_) => format!("no answer within {} s", TIMEOUT.as_secs()),
                ureq::Error::BadUri(_) => "the URL is not valid".to_string(),
                e => hook.redact(&e.to_string()),
            };
            anyhow!("could not post to {origin}: {why}; nothing was sent")
        })?;
    let status = response.status();
    let answer = response.body_mut().with_config().limit(64 * 1024).read_to_string().unwrap_or_default();
    if !status.is_success() {
        bail!("{origin} answered HTTP {status}; the reminder was not posted");
    }
    if let Some(error) = answer_error(&answer) {
        bail!("{origin} refused the message: {}", hook.redact(&error));
    }
    Ok(())
}

/// `zhibu dues notify [--webhook URL] [--style wecom|feishu] [--dry-run]`: posts the branch's
/// summary (how many are behind, how many payments wait; no names, no amounts) to the group.
pub fn notify(args: &DuesNotifyArgs) -> anyhow::Result<()> {
    let given = args.webhook.clone().or_else(|| std::env::var(WEBHOOK_ENV).ok());
    let hook = match given.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Some(Webhook::parse(url)?),
        None if args.dry_run => None,
        None => bail!("no webhook: pass --webhook URL or set {WEBHOOK_ENV} (the group robot's address)"),
    };
    let b = super::backends(&args.data.data)?;
    let now = super::now();
    let today = now.date_naive();
    let store = b.store.as_ref();
    let rows = b.runtime.block_on(file::dues::branch_year(store, today.year(), today))?;
    let pending = b.runtime.block_on(file::dues::pending(store))?.len();
    // Counts only, never a name or an amount (file::dues::group_summary guarantees it).
    let text = file::dues::group_summary(&rows, pending, today);
    let behind = rows.iter().filter(|r| r.months_behind >= 1).count();
    println!("{text}");
    let Some(hook) = hook.filter(|_| !args.dry_run) else {
        eprintln!("Dry run: nothing was sent.");
        return Ok(());
    };
    post(&hook, &body(&args.style, &text))?;
    b.runtime.block_on(admin::audit(
        store,
        &Actor::command_line(),
        now,
        "dues.notify",
        &hook.origin,
        format!("{behind} 位同志有到期党费未交，{pending} 笔交纳待确认"),
    ))?;
    eprintln!(
        "Posted the reminder to {} ({}): {behind} behind, {pending} payments waiting for confirmation.",
        hook.origin, args.style
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_shows_only_its_scheme_and_host() {
        let url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-secret";
        let hook = Webhook::parse(url).unwrap();
        assert_eq!(hook.origin, "https://qyapi.weixin.qq.com");
        let said = hook.redact(&format!("bad uri: {url}; path /cgi-bin/webhook/send?key=693a91f6-secret"));
        assert!(!said.contains("693a91f6"), "{said}");
        let feishu = Webhook::parse("https://open.feishu.cn/open-apis/bot/v2/hook/abc-token").unwrap();
        assert_eq!(feishu.origin, "https://open.feishu.cn");
        assert!(!feishu.redact("/open-apis/bot/v2/hook/abc-token").contains("abc-token"));
        assert_eq!(Webhook::parse("http://127.0.0.1:8080/hook").unwrap().origin, "http://127.0.0.1:8080");
        for bad in [
            "http://qyapi.weixin.qq.com/send?key=k",
            "ftp://x/y",
            "qyapi.weixin.qq.com/send?key=k",
            "https:///x",
        ] {
            let e = Webhook::parse(bad).err().unwrap().to_string();
            assert!(!e.contains("key=k") && !e.contains("/send"), "{e}");
        }
        assert_eq!(Webhook::parse("https://user:pw@example.com/x").unwrap().origin, "https://example.com");
    }

    #[test]
    fn robots_report_errors_by_code() {
        assert_eq!(answer_error(r#"{"errcode":0,"errmsg":"ok"}"#), None);
        assert_eq!(answer_error(r#"{"code":0,"msg":"success","data":{}}"#), None);
        assert_eq!(answer_error("ok"), None);
        assert_eq!(
            answer_error(r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#).unwrap(),
            "errcode 93000 (invalid webhook url)"
        );
        assert_eq!(
            answer_error(r#"{"code":19001,"msg":"param invalid"}"#).unwrap(),
            "code 19001 (param invalid)"
        );
        assert_eq!(answer_error(r#"{"StatusCode":9499}"#).unwrap(), "StatusCode 9499");
    }

    #[test]
    fn the_two_chats_take_text_in_their_own_shape() {
        assert_eq!(body("wecom", "hi"), serde_json::json!({"msgtype":"text","text":{"content":"hi"}}));
        assert_eq!(body("feishu", "hi"), serde_json::json!({"msg_type":"text","content":{"text":"hi"}}));
    }
}
