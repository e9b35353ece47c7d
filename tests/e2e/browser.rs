//! The member's side in a real browser: `zhibu serve` on a site built with the branch's theme,
//! whose events, campaign and quiz round are dated from today, driven by Debian's headless
//! Chromium through playwright-core (`tests/browser/e2e.mjs`) as a phone in WeChat would use it:
//! login, sign-ins with and without location, notes and their review, a photo upload and the
//! calendar, the quiz, and submissions made offline that are recorded exactly once.
//!
//! A second run (`tests/browser/admin.mjs`), on a site of its own, drives the secretary's pages
//! under /admin/ (the branch's `content/admin/`): a member refused, notes reviewed with flagged
//! words marked, attendance, the campaign heatmap, quiz results and their reveal, the roster and
//! the audit log.
//!
//! A third (`tests/browser/file.mjs`) walks the member's file (the branch's `content/me/` and the
//! admin pages of reports, the joining record and talks): an activist writes a thought report —
//! a draft kept on the phone and on the server, photographed pages — submits, withdraws and
//! resubmits it; their contact person reads and comments on it, another member is told it does
//! not exist; the author answers once and can no longer withdraw; the secretary records a
//! milestone, sees the record's warnings and records a talk that answers the member's request,
//! which the member then reads; a committee member (支委) gets the reviewers' pages only.
//!
//! A fourth (`tests/browser/year.mjs`) walks the rest of the branch's year (the pages 我的党费,
//! 民主评议, 实习单位证明, 意见建议 and their admin pages): a member reports three months of dues with a
//! receipt, the secretary confirms them and records cash for another; a self-assessment is saved
//! as a draft, restored from the phone on reload and submitted, and a signed opinion sent; a
//! host unit's note of two photos is uploaded, accepted, and cited to confirm the member's
//! attendance at an event; a suggestion sent from the footer is answered; the secretary records
//! an outcome, which the member reads, and prints the 民主测评表; a committee member is refused
//! these pages.
//!
//! A fifth (`tests/browser/walk.mjs`) is the phone walk-through on the branch's own site with
//! pages dated from today added: no page scrolls sideways at 360 and 390 px (signed out, as a
//! member, as an admin) or shows a developer's word; the sign-in and the upload within the first
//! screen; distances in kilometres; a calendar of what was done, corrected after a dropped
//! connection; an upload's percentage and done state; axe-core clean on the logged-in pages.
//!
//! Needs `chromium` (or `ZHIBU_CHROMIUM`), `node` and `npm ci` in `tests/browser`; without them
//! the tests say so and pass, unless `ZHIBU_TEST_BROWSER_REQUIRED` is set (as the test command
//! sets it), when they fail. Screenshots of every step go to `target/browser-screenshots/`
//! (the admin run's named `admin-*.png`, the member's file's `file-*.png`, the year's
//! `year-*.png`, the walk-through's `walk-*.png`). The runs take turns, not to share the cores.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, NaiveDate, Utc};
use common::Site;
use serde_json::json;

/// The whole browser run, at most.
const DEADLINE: Duration = Duration::from_secs(300);

/// One browser run at a time: each starts Chromium and a server on a 2-core machine.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A word of the fixture's sensitive-word list (`ZHIBU_SENSITIVE_WORDS`).
const FLAGGED_WORD: &str = "代签到";

/// The fixture's democratic review round (`[extra.review]`), open now.
const REVIEW: &str = "e2e-review";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Chromium, node and playwright-core, or what is missing.
fn tools() -> Result<PathBuf, String> {
    let chromium =
        std::env::var_os("ZHIBU_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("{} (apt-get install chromium)", chromium.display()));
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing.push("node (Node.js 20 or newer)".to_string());
    }
    if !browser_dir().join("node_modules/playwright-core/package.json").is_file() {
        missing.push("playwright-core (npm ci in tests/browser)".to_string());
    }
    if missing.is_empty() { Ok(chromium) } else { Err(missing.join(", ")) }
}

/// The test site: the branch's theme and config keys, with an online event open now, an
/// on-site event (geofence) open now, a campaign in its fifth day, a quiz round open now, a
/// page taking notes, the branch's admin pages and member's pages (`content/me/`, with the two
/// guides they link to as stubs) and a sensitive-word list.
fn write_site(site: &Site) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("themes/zhibu"), &site.root().join("themes/zhibu"));
    common::copy_dir(&repo.join("static"), &site.root().join("static"));
    common::copy_dir(&repo.join("content/admin"), &site.root().join("content/admin"));
    common::copy_dir(&repo.join("content/me"), &site.root().join("content/me"));
    site.write("sensitive-words.txt", &format!("# 测试用敏感词表\n{FLAGGED_WORD}\n翻墙\n"));
    let beijing = FixedOffset::east_opt(8 * 3600).expect("+08:00");
    let now = Utc::now().with_timezone(&beijing);
    let at =
        |hours: i64| (now + chrono::Duration::hours(hours)).format("%Y-%m-%dT%H:%M:%S+08:00").to_string();
    let (opens, closes) = (at(-2), at(24));
    let today = now.date_naive();

    site.write(
        "config.toml",
        r#"base_url = "https://branch.example.cn"
title = "测试学院学生党支部"
description = "浏览器端到端测试用站点"
default_language = "zh-CN"
theme = "zhibu"

[extra]
branch_name = "测试学院学生党支部"
branch_short = "学生党支部"
college = "测试学院"
slogan = "实习在外，组织在身边"
address = "××省××市××路××号"
postcode = "000000"
contact_email = "branch@example.cn"
contact_phone = "000-00000000"
office_hours = "工作日 8:30—17:00"
icp_number = "鄂ICP备00000000号"
icp_url = "https://beian.miit.gov.cn/"
psb_number = "鄂公网安备00000000000000号"
psb_url = "https://beian.mps.gov.cn/"
rules_page = "@/rules.md"
footer_rules = "本站实名使用；签到只针对具体活动，位置自愿提供。"
login_page = "@/login.md"
member_page = "@/me/_index.md"
suggest_page = "@/me/suggest.md"
nav = [
    { name = "首页", path = "@/_index.md", section = "" },
    { name = "通知公告", path = "@/notices/_index.md", section = "notices" },
    { name = "支部活动", path = "@/activities/_index.md", section = "activities" },
]
home_event_sections = ["activities/_index.md"]
home_columns = ["activities/_index.md"]
"#,
    );
    site.write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n");
    site.write("content/notices/_index.md", "+++\ntitle = \"通知公告\"\nsort_by = \"date\"\n+++\n");
    site.write("content/activities/_index.md", "+++\ntitle = \"支部活动\"\nsort_by = \"date\"\n+++\n");
    site.write("content/rules.md", "+++\ntitle = \"网络化运行管理办法\"\n+++\n本站实名使用。\n");
    site.write("content/joining/_index.md", "+++\ntitle = \"入党指导\"\n+++\n");
    site.write("content/joining/steps.md", "+++\ntitle = \"入党流程全解\"\n+++\n七个步骤。\n");
    site.write("content/joining/thought-report.md", "+++\ntitle = \"思想汇报怎么写\"\n+++\n写真实的体会。\n");
    site.write("content/guide/_index.md", "+++\ntitle = \"党务指南\"\n+++\n");
    site.write("content/guide/dues.md", "+++\ntitle = \"党费交纳标准与办法\"\n+++\n按月交纳。\n");
    site.write("content/life/_index.md", "+++\ntitle = \"党员生活\"\n+++\n");
    site.write(
        "content/life/intern-organisational-life.md",
        "+++\ntitle = \"实习期间怎样参加组织生活\"\n+++\n请实习单位出具证明。\n",
    );
    site.write(
        "content/login.md",
        "+++\ntitle = \"成员登录\"\npath = \"login\"\n[extra]\nshare = false\n+++\n{{ login_form() }}\n\n{{ my_notes() }}\n",
    );
    let year = today.format("%Y");
    site.write(
        "content/activities/review.md",
        &format!(
            r#"+++
title = "{year} 年度民主评议党员"
date = {today}
[extra]
share = false
[extra.review]
id = "{REVIEW}"
year = {year}
opens = {opens}
closes = {closes}
+++
个人自评在本站写；民主测评在支部党员大会上用纸质测评表无记名进行。
"#
        ),
    );
    write_dated_pages(site, "activities", "");
}

/// The pages dated from today, in `content/<dir>/`, their file names after `prefix`: an online
/// event and an on-site event (geofence) open now, a campaign in its fifth day (the upload form
/// and the calendar first, then the schedule, `data/copy.toml`, as the branch's page has them)
/// and a quiz round open now.
fn write_dated_pages(site: &Site, dir: &str, prefix: &str) {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("+08:00");
    let now = Utc::now().with_timezone(&beijing);
    let at =
        |hours: i64| (now + chrono::Duration::hours(hours)).format("%Y-%m-%dT%H:%M:%S+08:00").to_string();
    let (opens, closes) = (at(-2), at(24));
    let today = now.date_naive();
    let starts = today - chrono::Duration::days(4);
    site.write(
        &format!("content/{dir}/{prefix}online.md"),
        &format!(
            r#"+++
title = "线上主题党日：学习党章"
date = {today}
[extra]
share = false
[extra.signin]
event = "e2e-online"
opens = {opens}
closes = {closes}
+++
实习在外的同志在线参加。

{{{{ signin(event="e2e-online") }}}}

{{{{ note_form() }}}}
"#
        ),
    );
    site.write(
        &format!("content/{dir}/{prefix}onsite.md"),
        &format!(
            r#"+++
title = "支部党员大会（现场）"
date = {today}
[extra]
share = false
[extra.signin]
event = "e2e-onsite"
opens = {opens}
closes = {closes}
# off the 0.01° grid, so that the coarse location kept (30.52, 114.36) is some 260 m away
geofence = {{ lat = 30.5222, lon = 114.3610, radius_m = 300 }}
+++
在学院行政楼召开。

{{{{ signin(event="e2e-onsite") }}}}
"#
        ),
    );
    let mut schedule = String::new();
    for day in 1..=100u32 {
        let date: NaiveDate = starts + chrono::Duration::days(i64::from(day) - 1);
        schedule.push_str(&format!(
            "[[days]]\nday = {day}\ndate = {date}\npart = \"第{}部分\"\ntext = \"第 {day} 天的抄写内容\"\nkind = \"copy\"\n\n",
            day.div_ceil(25)
        ));
    }
    site.write("data/copy.toml", &schedule);
    site.write(
        &format!("content/{dir}/{prefix}copy.md"),
        &format!(
            r#"+++
title = "手抄党章100天"
date = {today}
[extra]
share = false
[extra.campaign]
id = "e2e-copy"
starts = {starts}
days = 100
+++
每天抄写一段。

{{{{ copy_upload(campaign="e2e-copy") }}}}

{{{{ copy_progress(campaign="e2e-copy") }}}}

{{{{ copy_schedule(data="data/copy.toml", campaign="e2e-copy") }}}}
"#
        ),
    );
    site.write(
        &format!("content/{dir}/{prefix}quiz.md"),
        &format!(
            r#"+++
title = "支部测一测：党员的权利和义务"
date = {today}
[extra]
share = false
[extra.quiz_round]
id = "e2e-quiz"
opens = {opens}
closes = {closes}

[[extra.quiz]]
question = "支部党员大会一般多久召开一次？"
options = ["每月一次", "每季度一次", "每年一次"]
answer = 2
source = "《中国共产党支部工作条例（试行）》第十一条"
explain = "党支部党员大会一般每季度召开一次。"

[[extra.quiz]]
question = "下列哪一项是预备党员没有的权利？"
options = ["参加党的有关会议", "表决权、选举权和被选举权", "向党的上级组织提出申诉"]
answer = 2
source = "《中国共产党章程》第七条"
explain = "预备党员没有表决权、选举权和被选举权。"
+++
先独立作答，再一起讨论。

{{{{ quiz() }}}}
"#
        ),
    );
}

/// The walk-through's site: the branch's own (`config.toml`, `content/`, `data/`, `static/`, the
/// theme), with the pages dated from today added to its campaigns (`/campaigns/walk-online/` and
/// so on), so that every real page is walked and something is open now.
fn write_branch_site(site: &Site) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "data", "static", "themes/zhibu"] {
        common::copy_dir(&repo.join(dir), &site.root().join(dir));
    }
    site.write("config.toml", &std::fs::read_to_string(repo.join("config.toml")).expect("config.toml"));
    site.write("sensitive-words.txt", &format!("# 测试用敏感词表\n{FLAGGED_WORD}\n"));
    write_dated_pages(site, "campaigns", "walk-");
}

/// The roster of the member's and the admin runs: 张三 an activist with 李四 as contact person.
const ROSTER: &str = "id,name,role,stage,contacts\nm001,张三,member,activist,m002\nm002,李四,member,full,\na001,王书记,admin,full,\n";

/// The member's file run's: the same, 赵六, a member who is nobody's contact person, and 钱委员, a
/// committee member (支委).
const FILE_ROSTER: &str = "id,name,role,stage,contacts\nm001,张三,member,积极分子,m002\nm002,李四,member,正式党员,\nm003,赵六,member,正式党员,\na001,王书记,admin,正式党员,\nc001,钱委员,支委,正式党员,\n";

/// The year run's: 张三 and 钱委员 (a committee member) full members, 李四 probationary — the three
/// pay dues and take part in the review with the secretary —, 赵六 an activist, who does neither.
const YEAR_ROSTER: &str = "id,name,role,stage\nm001,张三,member,正式党员\nm002,李四,member,预备党员\nm003,赵六,member,积极分子\na001,王书记,admin,正式党员\nc001,钱委员,支委,正式党员\n";

fn import_members(site: &Site, data: &Path, roster: &str) -> Vec<(String, String)> {
    let run = site.import_roster(roster, "codes.csv", data);
    assert!(run.success, "members import: {}", run.stderr);
    site.codes("codes.csv")
}

/// Chromium, or None when the browser tests are to be skipped (and said so).
fn chromium_or_skip() -> Option<PathBuf> {
    match tools() {
        Ok(c) => Some(c),
        Err(missing) if std::env::var_os("ZHIBU_TEST_BROWSER_REQUIRED").is_some() => {
            panic!(
                "browser tests are required (ZHIBU_TEST_BROWSER_REQUIRED) but these are missing: {missing}"
            )
        }
        Err(missing) => {
            eprintln!("SKIPPED the browser test: missing {missing}");
            None
        }
    }
}

/// The test site built, its members imported and `zhibu serve` running on it.
struct Fixture {
    // Declared first, so the server stops before the site's folder goes.
    server: common::Server,
    codes: Vec<(String, String)>,
    _site: Site,
}

impl Fixture {
    fn start(roster: &str) -> Fixture {
        Fixture::of(roster, write_site)
    }

    fn of(roster: &str, write: fn(&Site)) -> Fixture {
        let site = Site { dir: tempfile::tempdir().expect("temp dir") };
        write(&site);
        site.build().ok();
        let data = site.root().join(".zhibu");
        let codes = import_members(&site, &data, roster);
        let words = site.root().join("sensitive-words.txt");
        let words = words.to_str().expect("a UTF-8 temp path");
        let server = site.serve_with(&data, &[("ZHIBU_SENSITIVE_WORDS", words)]);
        Fixture { server, codes, _site: site }
    }

    fn who(&self, id: &str, name: &str) -> serde_json::Value {
        let code = self.codes.iter().find(|(m, _)| m == id).map(|(_, c)| c.clone()).unwrap_or_default();
        json!({ "id": id, "name": name, "code": code })
    }

    /// What both scripts are given: where, who, and the fixture's events, campaign and quiz.
    fn config(&self, chromium: &Path, shots: &Path) -> serde_json::Value {
        json!({
            "base": format!("http://{}", self.server.addr),
            "chromium": chromium,
            "shots": shots,
            "member": self.who("m001", "张三"),
            "other": self.who("m002", "李四"),
            "stranger": self.who("m003", "赵六"),
            "admin": self.who("a001", "王书记"),
            "committee": self.who("c001", "钱委员"),
            "pages": {
                "online": "/activities/online/",
                "onsite": "/activities/onsite/",
                "copy": "/activities/copy/",
                "quiz": "/activities/quiz/",
                "login": "/login/",
                "admin": "/admin/",
                "moderation": "/admin/moderation/",
                "attendance": "/admin/attendance/",
                "campaign": "/admin/campaign/",
                "quizResults": "/admin/quiz/",
                "members": "/admin/members/",
                "audit": "/admin/audit/",
                "me": "/me/",
                "report": "/me/report/",
                "talk": "/me/talk/",
                "reading": "/me/reading/",
                "print": "/me/print/",
                "adminReports": "/admin/reports/",
                "adminJoining": "/admin/joining/",
                "adminTalks": "/admin/talks/",
                "dues": "/me/dues/",
                "host": "/me/host/",
                "suggest": "/me/suggest/",
                "review": "/me/review/",
                "adminDues": "/admin/dues/",
                "adminReview": "/admin/review/",
                "adminHost": "/admin/host/",
                "adminSuggestions": "/admin/suggestions/",
            },
            "events": { "online": "e2e-online", "onsite": "e2e-onsite" },
            "campaign": { "id": "e2e-copy", "today": 5 },
            "quiz": "e2e-quiz",
            "review": REVIEW,
            "flagged": FLAGGED_WORD,
        })
    }
}

/// The screenshot folder, emptied of this run's earlier screenshots (`mine`) only.
fn screenshots(mine: fn(&str) -> bool) -> PathBuf {
    let shots =
        Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("browser-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    for entry in std::fs::read_dir(&shots).expect("screenshot folder").flatten() {
        if mine(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    shots
}

/// Runs `node <script>` in tests/browser with the config, within the deadline, and fails the
/// test unless every step passed (its output is printed either way).
fn run_script(script: &str, config: &serde_json::Value, shots: &Path) {
    let mut child = Command::new("node")
        .arg(script)
        .current_dir(browser_dir())
        .env("E2E_CONFIG", config.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let log = format!(
        "{}{}\nscreenshots: {}",
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
        shots.display()
    );
    eprintln!("{log}");
    let status = status.unwrap_or_else(|| panic!("{script} took over {DEADLINE:?}:\n{log}"));
    assert!(status.success(), "{script} failed:\n{log}");
    assert!(log.contains("steps passed"), "{log}");
}

#[test]
fn a_member_on_a_phone_logs_in_signs_in_writes_uploads_answers_and_submits_offline() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(chromium) = chromium_or_skip() else { return };
    let fixture = Fixture::start(ROSTER);
    let shots = screenshots(|name| {
        !name.starts_with("admin-")
            && !name.starts_with("file-")
            && !name.starts_with("year-")
            && !name.starts_with("walk-")
            && !name.starts_with("search-")
    });
    run_script("e2e.mjs", &fixture.config(&chromium, &shots), &shots);
}

#[test]
fn an_admin_reviews_notes_and_reads_attendance_progress_quiz_results_members_and_the_audit_log() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(chromium) = chromium_or_skip() else { return };
    let fixture = Fixture::start(ROSTER);
    let shots = screenshots(|name| name.starts_with("admin-"));
    run_script("admin.mjs", &fixture.config(&chromium, &shots), &shots);
}

#[test]
fn an_activist_writes_a_thought_report_that_the_contact_person_comments_and_the_secretary_keeps_the_record() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(chromium) = chromium_or_skip() else { return };
    let fixture = Fixture::start(FILE_ROSTER);
    let shots = screenshots(|name| name.starts_with("file-"));
    run_script("file.mjs", &fixture.config(&chromium, &shots), &shots);
}

#[test]
fn a_phone_walks_through_the_branch_site_with_the_action_first_and_nothing_sideways_or_inaccessible() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(chromium) = chromium_or_skip() else { return };
    let fixture = Fixture::of(ROSTER, write_branch_site);
    let shots = screenshots(|name| name.starts_with("walk-"));
    let mut config = fixture.config(&chromium, &shots);
    let pages = config["pages"].as_object_mut().expect("pages");
    for (name, path) in [
        ("online", "/campaigns/walk-online/"),
        ("onsite", "/campaigns/walk-onsite/"),
        ("copy", "/campaigns/walk-copy/"),
        ("quiz", "/campaigns/walk-quiz/"),
        ("branchCopy", "/campaigns/constitution-100/"),
        ("branchEvents", "/notices/q4-branch-meeting/ /campaigns/december-9th-remembrance/"),
        ("stats", "/life/stats/"),
    ] {
        pages.insert(name.to_string(), json!(path));
    }
    run_script("walk.mjs", &config, &shots);
}

#[test]
fn a_member_reports_dues_writes_a_self_assessment_uploads_a_host_note_and_is_answered() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(chromium) = chromium_or_skip() else { return };
    let fixture = Fixture::start(YEAR_ROSTER);
    let shots = screenshots(|name| name.starts_with("year-"));
    run_script("year.mjs", &fixture.config(&chromium, &shots), &shots);
}
