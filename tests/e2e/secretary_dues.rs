//! The secretary's dues and review commands on the embedded store: `dues rate` (in fen or from a
//! wage), `dues record`, the ledger as `report dues` (CSV and XLSX), a democratic review round as
//! `report review`, and `dues notify` posting the name-free summary to a group webhook — a tiny
//! HTTP server on 127.0.0.1 inside the test stands in for WeCom and Feishu.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset};
use common::Site;
use zhibu_functions::admin::Actor;
use zhibu_functions::catalog::Catalog;
use zhibu_functions::domain::MemberId;
use zhibu_functions::domain::dues::{Month, PaymentForm};
use zhibu_functions::file;
use zhibu_functions::store::prelude::*;
use zhibu_functions::store::sqlite::SqliteStore;

/// Runs `zhibu ARGS --data <site>/.zhibu` in the site folder, with no store, blob or webhook
/// settings (nor a proxy) from the environment, and these variables.
fn zhibu_env(site: &Site, args: &[&str], env: &[(&str, &str)]) -> common::Run {
    let data = site.root().join(".zhibu");
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhibu"));
    command.args(args.iter().map(OsStr::new)).arg("--data").arg(&data).current_dir(site.root());
    for var in [
        "ZHIBU_STORE",
        "ZHIBU_BLOBS",
        "ZHIBU_DUES_WEBHOOK",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    common::Run::from(command.output().expect("run zhibu"))
}

fn zhibu(site: &Site, args: &[&str]) -> common::Run {
    zhibu_env(site, args, &[])
}

fn id(s: &str) -> MemberId {
    MemberId::parse(s).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
}

fn store(site: &Site) -> SqliteStore {
    SqliteStore::open(&site.root().join(".zhibu/zhibu.sqlite")).unwrap()
}

fn beijing_now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&zhibu_functions::clock::china())
}

/// (actor, action, target, detail) of the audit lines whose action starts with `prefix`.
fn audit(site: &Site, prefix: &str) -> Vec<(String, String, String, String)> {
    let log = runtime().block_on(store(site).audit_log()).unwrap();
    log.into_iter()
        .filter(|e| e.action.starts_with(prefix))
        .map(|e| (e.actor, e.action, e.target, e.detail))
        .collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM for Excel and WPS");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The first sheet of an XLSX, cell by cell.
fn xlsx_cells(path: &std::path::Path) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader as _, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    sheet.rows().map(<[calamine::Data]>::to_vec).collect()
}

/// A branch whose roster has the joining record's stages: an applicant and an activist (who pay
/// no dues and take no part in the review), a full member, a probationary member approved in
/// June 2025, and the secretary (no stage: a full member).
fn branch() -> Site {
    let site = Site::fixture("site");
    site.write(
        "roster.csv",
        "id,name,role,stage\n\
         m001,张三,member,申请人\n\
         m002,李四,member,积极分子\n\
         m003,赵五,member,正式党员\n\
         m004,钱六,member,预备党员\n\
         a001,王书记,admin,\n",
    );
    zhibu(&site, &["members", "import", "roster.csv", "--codes", "codes.csv"]).ok();
    zhibu(&site, &["members", "stage", "m004", "--milestone", "approved", "--date", "2025-06-20"]).ok();
    site
}

/// The 2025 ledger the dues tests start from, set through the command line: m003 pays 1% of an
/// after-tax wage of 4500 yuan, paid January and February in cash and March at the host
/// organisation; m004 (a member since June) paid June and is exempt from September; the
/// secretary pays 0.50 and reported December themself (waiting for confirmation).
fn ledger_2025(site: &Site) {
    let run = zhibu(site, &["dues", "rate", "m003", "--from", "2025-01", "--wage", "4500"]).ok();
    assert!(
        run.stderr.contains(
            "m003 赵五: 45.00 yuan a month from 2025-01 on, by the 2008 table for an after-tax wage \
             of 4500 yuan."
        ),
        "{}",
        run.stderr
    );
    let run = zhibu(site, &["dues", "rate", "a001", "--from", "2025-01", "--fen", "50"]).ok();
    assert!(run.stderr.contains("a001 王书记: 0.50 yuan a month from 2025-01 on."), "{}", run.stderr);
    let run = zhibu(
        site,
        &["dues", "rate", "m004", "--from", "2025-09", "--fen", "0", "--note", "生活困难，支委会同意"],
    )
    .ok();
    assert!(run.stderr.contains("0.00 yuan a month from 2025-09 on (exempt)"), "{}", run.stderr);
    let run = zhibu(
        site,
        &["dues", "record", "m003", "--months", "2025-02,2025-01", "--fen", "9000", "--method", "cash"],
    )
    .ok();
    assert!(
        run.stderr.contains("m003 赵五: recorded 90.00 yuan for 2025-01, 2025-02 (现金), confirmed."),
        "{}",
        run.stderr
    );
    zhibu(site, &["dues", "record", "m003", "--months", "2025-03", "--fen", "4500", "--method", "host"]).ok();
    let run = zhibu(
        site,
        &["dues", "record", "m004", "--months", "2025-06", "--fen", "30", "--method", "微信转账给支部"],
    )
    .ok();
    assert!(
        run.stderr.contains("these months come to 0.20 yuan"),
        "a different amount is noted: {}",
        run.stderr
    );
    let s = store(site);
    runtime().block_on(async {
        let form =
            PaymentForm::parse(Some(&["2025-12".to_string()]), Some(50), Some("wechat"), None).unwrap();
        file::dues::report(&s, &id("a001"), form, beijing_now()).await.unwrap();
    });
}

/// The latest month whose dues have fallen due today (the 10th of the following month passed).
fn latest_due() -> Month {
    let today = beijing_now().date_naive();
    let previous = Month::of(today).previous();
    if today <= previous.due_by() { previous.previous() } else { previous }
}

/// Months from `first` to `last`, both included.
fn months_between(first: Month, last: Month) -> u32 {
    let n = (last.year - first.year) * 12 + last.month as i32 - first.month as i32 + 1;
    n.max(0) as u32
}

#[test]
fn dues_rate_and_record_refuse_what_is_wrong_and_log_each_change() {
    let site = branch();
    ledger_2025(&site);

    let covered = zhibu(
        &site,
        &["dues", "record", "m003", "--months", "2025-04,2025-02", "--fen", "9000", "--method", "cash"],
    )
    .failed();
    assert!(covered.stderr.contains("2025-02 of m003 is covered already"), "{}", covered.stderr);
    let bad =
        zhibu(&site, &["dues", "record", "m003", "--months", "2025-13", "--fen", "0", "--method", "alipay"])
            .failed();
    for said in [
        "--months \"2025-13\": 月份应形如 2026-10",
        "--fen: 金额应为大于 0 的整数（分）",
        "--method: 交纳方式应为",
        "(cash, wechat, bank or host)",
        "nothing was recorded",
    ] {
        assert!(bad.stderr.contains(said), "{said}: {}", bad.stderr);
    }
    let nobody =
        zhibu(&site, &["dues", "record", "m404", "--months", "2025-04", "--fen", "20", "--method", "cash"])
            .failed();
    assert!(nobody.stderr.contains("no member m404"), "{}", nobody.stderr);
    let month = zhibu(&site, &["dues", "rate", "m003", "--from", "2025-1", "--fen", "20"]).failed();
    assert!(
        month.stderr.contains("--from \"2025-1\" is not a month: write it like 2026-01"),
        "{}",
        month.stderr
    );
    let both = zhibu(&site, &["dues", "rate", "m003", "--from", "2025-01", "--fen", "20", "--wage", "3000"])
        .failed();
    assert!(both.stderr.contains("--wage"), "{}", both.stderr);
    let neither = zhibu(&site, &["dues", "rate", "m003", "--from", "2025-01"]).failed();
    assert!(neither.stderr.contains("--fen"), "{}", neither.stderr);
    let activist = zhibu(&site, &["dues", "rate", "m002", "--from", "2025-01", "--fen", "20"]).ok();
    assert!(
        activist.stderr.contains("m002 李四 is 积极分子 and does not pay dues yet"),
        "{}",
        activist.stderr
    );

    let log = audit(&site, "dues.");
    let lines: Vec<(&str, &str, &str)> =
        log.iter().map(|(_, a, t, d)| (a.as_str(), t.as_str(), d.as_str())).collect();
    assert_eq!(
        lines,
        [
            ("dues.rate", "m003", "2025-01 起每月 45.00 元"),
            ("dues.rate", "a001", "2025-01 起每月 0.50 元"),
            ("dues.rate", "m004", "2025-09 起每月 0.00 元"),
            ("dues.record", "m003", "90.00 元，2025-01、2025-02，现金"),
            ("dues.record", "m003", "45.00 元，2025-03，由实习单位党组织收取"),
            ("dues.record", "m004", "0.30 元，2025-06，微信转账给支部"),
            ("dues.rate", "m002", "2025-01 起每月 0.20 元"),
        ],
        "the refusals left nothing"
    );
    assert!(log.iter().all(|(actor, ..)| actor.starts_with("cli:")), "{log:?}");
}

#[test]
fn the_dues_report_has_each_payers_months_in_roster_order_as_csv_and_xlsx() {
    let site = branch();
    ledger_2025(&site);
    let run = zhibu(&site, &["report", "dues", "--year", "2025"]).ok();
    assert!(run.stderr.contains("党费台账 2025年: 3 rows"), "{}", run.stderr);
    let rows = csv_rows(&run.stdout);
    let mut headers = vec!["学号".to_string(), "姓名".into(), "每月金额（元）".into()];
    headers.extend((1..=12).map(|m| format!("{m}月")));
    headers.extend(["欠交月数", "欠交金额（元）", "连续未交月数"].map(String::from));
    assert_eq!(rows[0], headers);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        ["m003", "m004", "a001"],
        "those who pay dues, in roster order; the applicant and activist are not"
    );

    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<String>>();
    let unpaid = "未交";
    let m003_behind = months_between(Month { year: 2025, month: 4 }, latest_due()).min(24).to_string();
    let mut m003 = row(&["m003", "赵五", "45.00", "已交", "已交", "在实习单位交纳"]);
    m003.extend(row(&[unpaid; 9]));
    m003.extend(row(&["9", "405.00", &m003_behind]));
    assert_eq!(rows[1], m003);
    let mut m004 = row(&["m004", "钱六", "0.00", "", "", "", "", ""]);
    m004.extend(row(&["已交", unpaid, unpaid, "免交", "免交", "免交", "免交", "2", "0.40", "0"]));
    assert_eq!(rows[2], m004, "nothing before their approval; exempt from September");
    let a001_behind = months_between(Month { year: 2026, month: 1 }, latest_due()).to_string();
    let mut a001 = row(&["a001", "王书记", "0.50"]);
    a001.extend(row(&[unpaid; 11]));
    a001.extend(row(&["待确认", "11", "5.50", &a001_behind]));
    assert_eq!(rows[3], a001, "a reported month waits for confirmation");

    // This year by default, with every payer listed.
    let this_year = beijing_now().format("%Y").to_string();
    let current = zhibu(&site, &["report", "dues"]).ok();
    assert!(current.stderr.contains(&format!("党费台账 {this_year}年: 3 rows")), "{}", current.stderr);
    let future = zhibu(&site, &["report", "dues", "--year", "2100"]).failed();
    assert!(future.stderr.contains("--year 2100 has not begun yet"), "{}", future.stderr);

    let out = site.root().join("dues.xlsx");
    zhibu(
        &site,
        &["report", "dues", "--year", "2025", "--format", "xlsx", "--output", out.to_str().unwrap()],
    )
    .ok();
    let sheet = xlsx_cells(&out);
    assert_eq!(sheet.len(), 4);
    let text: Vec<String> = sheet[0].iter().map(ToString::to_string).collect();
    assert_eq!(text, headers);
    use calamine::Data;
    assert_eq!(sheet[1][0], Data::String("m003".into()), "ids stay text");
    assert_eq!(sheet[1][2], Data::Float(45.0), "the monthly amount is a number");
    assert_eq!(sheet[1][6], Data::String("未交".into()));
    assert_eq!(sheet[1][15], Data::Float(9.0));
    assert_eq!(sheet[1][16], Data::Float(405.0));
    assert_eq!(sheet[3][16], Data::Float(5.5));
    assert_eq!(sheet[2][17], Data::Float(0.0));
    assert!(matches!(sheet[1][17], Data::Float(_)), "{:?}", sheet[1][17]);
}

/// A review round declared in content, open now: the site is built so the catalog has it.
fn review_site() -> (Site, Catalog) {
    let site = branch();
    site.write(
        "content/notices/review.md",
        "+++\ntitle = \"2026年度民主评议党员\"\n[extra.review]\nid = \"2026-review\"\nyear = 2026\n\
         opens = 2025-12-15T00:00:00+08:00\ncloses = 2099-01-15T22:00:00+08:00\n+++\n",
    );
    site.build().ok();
    let catalog = Catalog::from_file(&site.root().join(".zhibu/zhibu-catalog.json")).unwrap();
    (site, catalog)
}

#[test]
fn the_review_report_lists_each_participant_with_counts_never_opinions() {
    let (site, catalog) = review_site();
    let round = &catalog.reviews["2026-review"];
    let s = store(&site);
    let now = beijing_now();
    let opinion = "希望在实习单位多参加组织生活，按时交纳党费。";
    runtime().block_on(async {
        let member = |who: &str| {
            let s = &s;
            let who = id(who);
            async move { s.member(&who).await.unwrap().unwrap().member }
        };
        let body = "一年来，我认真学习党章党规，按时参加支部组织生活，在实习单位主动亮明党员身份。".repeat(6);
        file::review::save_self(&s, round, &member("m003").await, Some(&body), true, now).await.unwrap();
        file::review::save_self(&s, round, &member("m004").await, Some("还在写"), false, now).await.unwrap();
        for writer in ["m004", "a001"] {
            file::review::send_opinion(&s, round, &member(writer).await, &id("m003"), Some(opinion), now)
                .await
                .unwrap();
        }
        let actor = Actor("a001".into());
        let feedback = "学习扎实，起到了先锋模范作用。";
        file::review::record_outcome(&s, &actor, round, &id("m003"), Some("优秀"), Some(feedback), now)
            .await
            .unwrap();
    });

    let run = zhibu(&site, &["report", "review", "--review", "2026-review"]).ok();
    assert!(run.stderr.contains("2026年度民主评议党员: 3 rows"), "{}", run.stderr);
    assert!(!run.stdout.contains(opinion), "the opinions themselves are for the committee only");
    let rows = csv_rows(&run.stdout);
    let headers = ["学号", "姓名", "个人自评", "互评意见条数", "评议结果", "组织反馈"].map(String::from);
    assert_eq!(rows[0], headers);
    assert_eq!(
        rows[1],
        ["m003", "赵五", "已提交", "2", "优秀", "学习扎实，起到了先锋模范作用。"].map(String::from)
    );
    assert_eq!(rows[2], ["m004", "钱六", "草稿", "0", "", ""].map(String::from));
    assert_eq!(rows[3], ["a001", "王书记", "未写", "0", "", ""].map(String::from));

    let out = site.root().join("review.xlsx");
    zhibu(
        &site,
        &[
            "report",
            "review",
            "--review",
            "2026-review",
            "--format",
            "xlsx",
            "--output",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    let sheet = xlsx_cells(&out);
    assert_eq!(sheet.len(), 4);
    assert_eq!(sheet[1][3], calamine::Data::Float(2.0), "the count is a number");
    assert_eq!(sheet[1][4], calamine::Data::String("优秀".into()));

    let unknown = zhibu(&site, &["report", "review", "--review", "2025-review"]).failed();
    assert!(unknown.stderr.contains("no review 2025-review in the catalog"), "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("2026-review 2026年度民主评议党员"),
        "the known ones: {}",
        unknown.stderr
    );
}

/// A stand-in for a group robot on 127.0.0.1: answers every request with `status` and `answer`
/// and keeps each request's head and body.
struct Robot {
    url: String,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

const SECRET: &str = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

fn robot(status: &'static str, answer: &'static str) -> Robot {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/cgi-bin/webhook/send?key={SECRET}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut head, mut length) = (String::new(), 0);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = n.trim().parse().unwrap();
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            seen.lock().unwrap().push((head, String::from_utf8(body).unwrap()));
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{answer}",
                answer.len()
            );
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    Robot { url, requests }
}

impl Robot {
    fn requests(&self) -> Vec<(String, String)> {
        self.requests.lock().unwrap().clone()
    }
}

/// Nothing of a member (names, ids) or of money (amounts, 元) in a text for the group.
#[track_caller]
fn names_no_one(text: &str) {
    for private in [
        "张三",
        "李四",
        "赵五",
        "钱六",
        "王书记",
        "m003",
        "m004",
        "a001",
        "45.00",
        "0.50",
        "5.50",
        "405",
        "元",
    ] {
        assert!(!text.contains(private), "{private:?} in {text}");
    }
}

#[test]
fn dues_notify_posts_counts_only_to_the_group_and_never_shows_the_webhook() {
    let site = branch();
    ledger_2025(&site);

    // A dry run prints the message and sends nothing (no webhook needed).
    let silent = robot("200 OK", r#"{"errcode":0,"errmsg":"ok"}"#);
    let dry = zhibu(&site, &["dues", "notify", "--webhook", &silent.url, "--dry-run"]).ok();
    let text = dry.stdout.trim().to_string();
    assert!(
        text.starts_with("【党费提醒】") && text.contains("有 2 位同志"),
        "m003 and a001 are behind: {text}"
    );
    assert!(text.contains("另有 1 笔交纳等待支部确认"), "{text}");
    names_no_one(&text);
    assert!(dry.stderr.contains("Dry run: nothing was sent"), "{}", dry.stderr);
    zhibu(&site, &["dues", "notify", "--dry-run"]).ok();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(silent.requests().is_empty(), "a dry run sends nothing");
    assert!(audit(&site, "dues.notify").is_empty(), "nor logs a notice");

    // WeCom: {"msgtype":"text","text":{"content":…}}.
    let wecom = robot("200 OK", r#"{"errcode":0,"errmsg":"ok"}"#);
    let sent = zhibu(&site, &["dues", "notify", "--webhook", &wecom.url]).ok();
    let origin = wecom.url.split("/cgi-bin").next().unwrap().to_string();
    assert!(sent.stderr.contains(&format!("Posted the reminder to {origin} (wecom)")), "{}", sent.stderr);
    let requests = wecom.requests();
    assert_eq!(requests.len(), 1);
    let (head, body) = &requests[0];
    assert!(head.starts_with(&format!("POST /cgi-bin/webhook/send?key={SECRET} HTTP/1.1")), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json, serde_json::json!({"msgtype": "text", "text": {"content": text}}));
    names_no_one(body);

    // Feishu, with the webhook from the environment: {"msg_type":"text","content":{"text":…}}.
    let feishu = robot("200 OK", r#"{"code":0,"msg":"success","data":{}}"#);
    zhibu_env(&site, &["dues", "notify", "--style", "feishu"], &[("ZHIBU_DUES_WEBHOOK", &feishu.url)]).ok();
    let json: serde_json::Value = serde_json::from_str(&feishu.requests()[0].1).unwrap();
    assert_eq!(json, serde_json::json!({"msg_type": "text", "content": {"text": text}}));

    // Failures name the host and the status or code; nothing is logged for them.
    let broken = robot("500 Internal Server Error", "{}");
    let failed = zhibu(&site, &["dues", "notify", "--webhook", &broken.url]).failed();
    let broken_origin = broken.url.split("/cgi-bin").next().unwrap();
    assert!(failed.stderr.contains(&format!("{broken_origin} answered HTTP 500")), "{}", failed.stderr);
    let refused = robot("200 OK", r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#);
    let failed_code = zhibu(&site, &["dues", "notify", "--webhook", &refused.url]).failed();
    assert!(failed_code.stderr.contains("errcode 93000 (invalid webhook url)"), "{}", failed_code.stderr);
    let closed = format!(
        "http://{}/hook?key={SECRET}",
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap()
    );
    let unreachable = zhibu(&site, &["dues", "notify", "--webhook", &closed]).failed();
    assert!(unreachable.stderr.contains("could not post to http://127.0.0.1:"), "{}", unreachable.stderr);
    let missing = zhibu(&site, &["dues", "notify"]).failed();
    assert!(missing.stderr.contains("pass --webhook URL or set ZHIBU_DUES_WEBHOOK"), "{}", missing.stderr);
    let plain = zhibu(
        &site,
        &["dues", "notify", "--webhook", &format!("http://qyapi.example.com/send?key={SECRET}")],
    )
    .failed();
    assert!(plain.stderr.contains("must be an https:// URL"), "{}", plain.stderr);
    for run in [&dry, &sent, &failed, &failed_code, &unreachable, &plain] {
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "the key is a secret: {}",
            run.stderr
        );
    }

    let log = audit(&site, "dues.notify");
    assert_eq!(log.len(), 2, "one line per notice sent: {log:?}");
    let (actor, _, target, detail) = &log[0];
    assert!(actor.starts_with("cli:"));
    assert_eq!(target, &origin, "the host only, never the key");
    assert_eq!(detail, "2 位同志有到期党费未交，1 笔交纳待确认");
}
