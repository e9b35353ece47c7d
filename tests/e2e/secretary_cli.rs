//! The secretary's roster and data commands on the embedded store: list, reset-code, export,
//! remove (and erase), purge, the joining record (`members stage`) — each leaving a line in the
//! audit log — and the reports for the college as CSV and XLSX.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::ffi::OsStr;

use chrono::{DateTime, Duration, FixedOffset};
use common::Site;
use zhibu_functions::blobs::Blobs;
use zhibu_functions::blobs::dir::DirBlobs;
use zhibu_functions::domain::reports::ReportText;
use zhibu_functions::domain::{MemberId, NoteStatus, Quarter, StoredLocation};
use zhibu_functions::file::reports as file_reports;
use zhibu_functions::store::prelude::*;
use zhibu_functions::store::sqlite::SqliteStore;
use zhibu_functions::store::{Copy, Note, Signin};

fn zhibu(site: &Site, args: &[&str]) -> common::Run {
    let data = site.root().join(".zhibu");
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.extend([OsStr::new("--data"), data.as_os_str()]);
    site.zhibu_plain(&all)
}

fn id(s: &str) -> MemberId {
    MemberId::parse(s).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
}

fn ago(days: i64) -> DateTime<FixedOffset> {
    let now = chrono::Utc::now().with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap());
    now - Duration::days(days)
}

/// A branch with two members who took part: sign-ins (one old with a location), a note, copies
/// with photos.
fn branch() -> Site {
    let site = Site::fixture("site");
    site.write("roster.csv", "id,name,role\nm001,张三,member\nm002,李四,member\na001,王书记,admin\n");
    zhibu(&site, &["members", "import", "roster.csv", "--codes", "codes.csv"]).ok();
    let data = site.root().join(".zhibu");
    let store = SqliteStore::open(&data.join("zhibu.sqlite")).unwrap();
    let blobs = DirBlobs::open(&data.join("blobs")).unwrap();
    runtime().block_on(async {
        let location =
            StoredLocation { lat: 30.52, lon: 114.36, accuracy_m: 20.0, within_geofence: Some(true) };
        for (who, event, at) in
            [("m001", "e-old", ago(200)), ("m001", "e-new", ago(3)), ("m002", "e-new", ago(2))]
        {
            let signin = Signin { event: event.into(), member_id: id(who), at, location: Some(location) };
            store.insert_signin(&signin).await.unwrap();
        }
        let note = Note {
            id: "n1".into(),
            page: "/notices/event/".into(),
            member_id: id("m001"),
            body: "在实习单位也要按时参加组织生活。".into(),
            status: NoteStatus::Approved,
            at: ago(1),
            flagged_words: vec![],
            review_reason: None,
            reviewed_by: None,
            reviewed_at: None,
        };
        store.insert_note(&note).await.unwrap();
        for (who, day) in [("m001", 1), ("m001", 2), ("m002", 1)] {
            let key = format!("copies/constitution-100/{who}/{day}-abc");
            let copy = Copy {
                campaign: "constitution-100".into(),
                member_id: id(who),
                day,
                photo_key: format!("{key}.jpg"),
                thumb_key: format!("{key}-thumb.jpg"),
                width: 2000,
                height: 1500,
                bytes: 5,
                at: ago(5),
            };
            store.put_copy(&copy).await.unwrap();
            blobs.put(&copy.photo_key, b"photo".to_vec(), "image/jpeg").await.unwrap();
            blobs.put(&copy.thumb_key, b"thumb".to_vec(), "image/jpeg").await.unwrap();
        }
    });
    site
}

fn store(site: &Site) -> SqliteStore {
    SqliteStore::open(&site.root().join(".zhibu/zhibu.sqlite")).unwrap()
}

fn audit(site: &Site) -> Vec<(String, String, String)> {
    let log = runtime().block_on(store(site).audit_log()).unwrap();
    log.into_iter().map(|e| (e.actor, e.action, e.target)).collect()
}

#[test]
fn list_shows_the_roster_with_last_activity_and_as_csv_for_excel() {
    let site = branch();
    let table = zhibu(&site, &["members", "list"]).ok();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[1].starts_with("m001") && lines[1].contains("张三"), "{}", table.stdout);
    assert!(lines[3].starts_with("a001") && lines[3].ends_with('—'), "no activity yet: {}", table.stdout);
    let csv = zhibu(&site, &["members", "list", "--csv"]).ok();
    assert!(csv.stdout.starts_with('\u{feff}'), "UTF-8 with BOM");
    let mut reader = csv::Reader::from_reader(csv.stdout.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        vec!["id", "name", "role", "stage", "last_activity"]
    );
    assert_eq!(&rows[0][0], "m001");
    assert_eq!(&rows[0][3], "", "a roster without a stage column");
    assert_eq!(&rows[0][4], ago(1).format("%Y-%m-%d %H:%M").to_string(), "the note is the latest");
    assert_eq!(&rows[2][4], "");
}

#[test]
fn reset_code_gives_a_new_code_once_and_logs_it() {
    let site = branch();
    let old = runtime().block_on(store(&site).member(&id("m002"))).unwrap().unwrap().code_hash;
    let run = zhibu(&site, &["members", "reset-code", "m002", "--codes", "new-code.csv"]).ok();
    assert!(run.stderr.contains("the old one no longer works"), "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("new-code.csv")).unwrap();
    let code = text.lines().nth(1).unwrap().split(',').nth(2).unwrap().to_string();
    let new = runtime().block_on(store(&site).member(&id("m002"))).unwrap().unwrap().code_hash;
    assert!(zhibu_functions::auth::verify_code(&code, &new));
    assert!(!zhibu_functions::auth::verify_code(&code, &old));
    let again = zhibu(&site, &["members", "reset-code", "m002", "--codes", "new-code.csv"]).failed();
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let unknown = zhibu(&site, &["members", "reset-code", "m404", "--codes", "x.csv"]).failed();
    assert!(unknown.stderr.contains("no member m404"), "{}", unknown.stderr);
    let (actor, action, target) = audit(&site).pop().unwrap();
    assert!(actor.starts_with("cli:"));
    assert_eq!((action.as_str(), target.as_str()), ("member.reset_code", "m002"));
}

#[test]
fn export_gives_a_member_all_their_data_and_erase_leaves_nothing_of_them() {
    let site = branch();
    let out = site.root().join("m001.json");
    let photos = site.root().join("m001-photos");
    let run = zhibu(
        &site,
        &[
            "members",
            "export",
            "m001",
            "--output",
            out.to_str().unwrap(),
            "--photos",
            photos.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(run.stderr.contains("2 sign-ins, 1 notes, 2 copies"), "{}", run.stderr);
    let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(data["member"]["name"], "张三");
    assert_eq!(data["signins"].as_array().unwrap().len(), 2);
    assert_eq!(data["notes"][0]["body"], "在实习单位也要按时参加组织生活。");
    assert!(!data.to_string().contains("code_hash"), "no secrets in an export");
    assert_eq!(std::fs::read_dir(&photos).unwrap().count(), 2);

    let refused = zhibu(&site, &["members", "remove", "m001", "--erase"]).failed();
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    let run = zhibu(&site, &["members", "remove", "m001", "--erase", "--yes"]).ok();
    assert!(run.stderr.contains("4 photos deleted"), "{}", run.stderr);
    let s = store(&site);
    let rt = runtime();
    assert!(rt.block_on(s.member(&id("m001"))).unwrap().is_none());
    assert!(rt.block_on(s.signins_of_member(&id("m001"))).unwrap().is_empty());
    assert!(rt.block_on(s.notes_of_member(&id("m001"))).unwrap().is_empty());
    assert!(rt.block_on(s.copies_of_member(&id("m001"))).unwrap().is_empty());
    let keys = rt.block_on(DirBlobs::open(&site.root().join(".zhibu/blobs")).unwrap().keys()).unwrap();
    assert!(keys.iter().all(|k| !k.contains("/m001/")), "{keys:?}");
    assert_eq!(keys.len(), 2, "m002's photo and thumbnail stay");
    assert_eq!(rt.block_on(s.signins_of_member(&id("m002"))).unwrap().len(), 1);

    let actions: Vec<String> = audit(&site).into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(actions, vec!["members.import", "member.export", "member.erase"]);
}

#[test]
fn remove_keeps_records_until_erase_and_purge_drops_old_locations() {
    let site = branch();
    zhibu(&site, &["members", "remove", "m002"]).ok();
    let s = store(&site);
    let rt = runtime();
    assert!(rt.block_on(s.member(&id("m002"))).unwrap().is_none());
    assert_eq!(rt.block_on(s.signins_of_member(&id("m002"))).unwrap().len(), 1, "records stay");
    let again = zhibu(&site, &["members", "remove", "m002"]).failed();
    assert!(again.stderr.contains("no member m002"), "{}", again.stderr);

    let run = zhibu(&site, &["admin", "purge", "--days", "180"]).ok();
    assert!(run.stderr.contains("location of 1 sign-ins"), "{}", run.stderr);
    let old = rt.block_on(s.signins_of_event("e-old")).unwrap();
    assert!(old[0].location.is_none(), "older than 180 days");
    assert!(rt.block_on(s.signins_of_event("e-new")).unwrap().iter().all(|x| x.location.is_some()));
    let actions: Vec<String> = audit(&site).into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(actions, vec!["members.import", "member.remove", "data.purge_locations"]);
}

/// Reads an XLSX back: the first sheet's rows as text.
fn xlsx_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    use calamine::{Reader as _, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM for Excel and WPS");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn attendance_lists_every_member_of_each_event_as_csv_and_xlsx() {
    let site = branch();
    site.build().ok();
    let at = DateTime::parse_from_rfc3339("2026-12-09T19:05:00+08:00").unwrap();
    runtime().block_on(async {
        let location =
            StoredLocation { lat: 30.52, lon: 114.37, accuracy_m: 20.0, within_geofence: Some(true) };
        let signin = Signin {
            event: "2026-12-09-remembrance".into(),
            member_id: id("m002"),
            at,
            location: Some(location),
        };
        store(&site).insert_signin(&signin).await.unwrap();
    });
    let run = zhibu(&site, &["report", "attendance", "--from", "2026-12-01", "--to", "2026-12-31"]).ok();
    let rows = csv_rows(&run.stdout);
    assert_eq!(
        rows[0][..6],
        ["活动编号", "活动", "开始时间", "成员编号", "姓名", "已签到"].map(String::from)
    );
    assert_eq!(rows.len(), 4, "one row per member of the roster: {rows:?}");
    let m002 = rows.iter().find(|r| r[3] == "m002").unwrap();
    assert_eq!((m002[5].as_str(), m002[6].as_str(), m002[7].as_str()), ("是", "2026-12-09 19:05", "是"));
    assert_eq!(m002[8], "958", "the coarse location's distance to the geofence centre");
    let m001 = rows.iter().find(|r| r[3] == "m001").unwrap();
    assert_eq!((m001[5].as_str(), m001[6].as_str()), ("否", ""), "absent members are listed");

    let out = site.root().join("attendance.xlsx");
    zhibu(
        &site,
        &[
            "report",
            "attendance",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
            "--format",
            "xlsx",
            "--output",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    let sheet = xlsx_rows(&out);
    assert_eq!(sheet.len(), 4);
    assert_eq!(sheet[0][4], "姓名");
    let row = sheet.iter().find(|r| r[3] == "m002").unwrap();
    assert_eq!((row[4].as_str(), row[8].as_str()), ("李四", "958"));
    let again = zhibu(
        &site,
        &[
            "report",
            "attendance",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
            "--format",
            "xlsx",
            "--output",
            out.to_str().unwrap(),
        ],
    )
    .failed();
    assert!(again.stderr.contains("must not exist yet"), "{}", again.stderr);
    let backwards =
        zhibu(&site, &["report", "attendance", "--from", "2026-12-31", "--to", "2026-12-01"]).failed();
    assert!(backwards.stderr.contains("is before"), "{}", backwards.stderr);
}

#[test]
fn the_copy_report_has_a_column_per_day_and_the_notes_report_every_note() {
    let site = branch();
    site.build().ok();
    let run = zhibu(&site, &["report", "copies", "--campaign", "constitution-100"]).ok();
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0].len(), 4 + 100);
    assert_eq!(rows[1][..6], ["m001", "张三", "2", "100", "✓", "✓"].map(String::from));
    assert_eq!(rows[2][..6], ["m002", "李四", "1", "100", "✓", ""].map(String::from));
    let out = site.root().join("copies.xlsx");
    zhibu(
        &site,
        &[
            "report",
            "copies",
            "--campaign",
            "constitution-100",
            "--format",
            "xlsx",
            "--output",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    let sheet = xlsx_rows(&out);
    assert_eq!(sheet[1][2], "2", "days done is a number");
    let unknown = zhibu(&site, &["report", "copies", "--campaign", "nope"]).failed();
    assert!(unknown.stderr.contains("no campaign nope"), "{}", unknown.stderr);

    let notes = csv_rows(&zhibu(&site, &["report", "notes", "--status", "approved"]).ok().stdout);
    assert_eq!(notes.len(), 2);
    assert_eq!((notes[1][3].as_str(), notes[1][4].as_str()), ("张三", "已通过"));
    assert_eq!(notes[1][7], "在实习单位也要按时参加组织生活。");
    assert_eq!(csv_rows(&zhibu(&site, &["report", "notes", "--status", "pending"]).ok().stdout).len(), 1);
}

#[test]
fn publish_writes_approved_notes_as_pages_that_build_and_show_as_text() {
    let site = branch();
    runtime().block_on(async {
        let note = Note {
            id: "n2".into(),
            page: "/notices/event/".into(),
            member_id: id("m002"),
            body: "第一段：<script>alert(1)</script> 和 {{ qr() }}。\n\n第二段：*不是强调* # 不是标题".into(),
            status: NoteStatus::Approved,
            at: ago(1),
            flagged_words: vec![],
            review_reason: None,
            reviewed_by: None,
            reviewed_at: None,
        };
        store(&site).insert_note(&note).await.unwrap();
        let pending =
            Note {
                id: "n3".into(), status: NoteStatus::Pending, body: "还在审核中的心得。".into(), ..note
            };
        store(&site).insert_note(&pending).await.unwrap();
    });
    site.build().ok();
    let run = zhibu(&site, &["notes", "publish"]).ok();
    assert!(run.stderr.contains("2 approved notes written, 0 already published"), "{}", run.stderr);
    let again = zhibu(&site, &["notes", "publish"]).ok();
    assert!(again.stderr.contains("0 approved notes written, 2 already published"), "{}", again.stderr);

    let files: Vec<_> = std::fs::read_dir(site.root().join("content/life"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("note-"))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let source = files.iter().find(|f| f.ends_with("-n2.md")).unwrap();
    let text = std::fs::read_to_string(site.root().join("content/life").join(source)).unwrap();
    assert!(text.contains("author = \"李四\""), "{text}");
    assert!(text.contains("source_page = \"/notices/event/\""), "{text}");

    site.build().ok();
    let slug = source.trim_end_matches(".md");
    let html = site.read_out(&format!("life/{slug}/index.html"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the note is shown as text");
    assert!(!html.contains("<script>alert"), "never as HTML");
    assert!(html.contains("{{ qr() }}"), "shortcode syntax stays text");
    assert!(html.contains("*不是强调* # 不是标题"));
    assert!(site.read_out("life/index.html").contains(slug), "党员生活 lists it");
    let (_, action, _) = audit(&site).pop().unwrap();
    assert_eq!(action, "notes.publish");
}

#[test]
fn stats_export_counts_only_and_the_theme_charts_it_as_svg() {
    let site = branch();
    // An event that has already taken place (stats count events that have opened).
    site.write(
        "content/notices/past.md",
        "+++\ntitle = \"十月主题党日\"\n[extra.signin]\nevent = \"2026-10-20-theme-day\"\nopens = 2026-10-20T08:00:00+08:00\ncloses = 2026-10-20T22:00:00+08:00\n+++\n",
    );
    site.build().ok();
    let at = DateTime::parse_from_rfc3339("2026-10-20T19:05:00+08:00").unwrap();
    runtime().block_on(async {
        let signin =
            Signin { event: "2026-10-20-theme-day".into(), member_id: id("m001"), at, location: None };
        store(&site).insert_signin(&signin).await.unwrap();
    });
    let run = zhibu(&site, &["report", "stats"]).ok();
    assert!(run.stderr.contains("3 members, counts only"), "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("data/stats.json")).unwrap();
    for private in ["m001", "张三", "李四", "30.52"] {
        assert!(!text.contains(private), "no names, ids or places in the export: {private}");
    }
    let stats: serde_json::Value = serde_json::from_str(&text).unwrap();
    let campaign = &stats["campaigns"][0];
    let bands: Vec<u64> =
        campaign["bands"].as_array().unwrap().iter().map(|b| b["members"].as_u64().unwrap()).collect();
    assert_eq!(
        bands,
        vec![1, 2, 0, 0, 0],
        "a001 has not started; m001 (2 days) and m002 (1) are in the first quarter"
    );
    assert_eq!(campaign["copies"], 3);

    // The theme's shortcode, on a page of this site.
    let shortcode = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/zhibu/templates/shortcodes/stats_chart.html"),
    )
    .unwrap();
    site.write("templates/shortcodes/stats_chart.html", &shortcode);
    site.write(
        "content/notices/stats.md",
        "+++\ntitle = \"统计\"\n+++\n{{ stats_chart(kind=\"events\") }}\n{{ stats_chart(kind=\"campaigns\") }}\n",
    );
    site.build().ok();
    let html = site.read_out("notices/stats/index.html");
    assert!(html.contains("<svg") && !html.contains("<script"), "SVG, no script");
    let events = stats["events"].as_array().unwrap();
    assert_eq!(events[0]["id"], "2026-10-20-theme-day");
    assert_eq!(events[0]["signed_in"], 1);
    assert!(html.contains("1 人 · 33%"), "one of three members: {html}");
    assert!(html.contains("width=\"173\""), "a third of the 520-wide bar");
    assert!(html.contains("尚未开始"));
    assert!(html.contains("width=\"240\""), "two of three members in a band: two thirds of 360");
}

#[test]
fn logout_ends_a_members_sessions_and_logs_it() {
    let site = branch();
    let generation = || runtime().block_on(store(&site).member(&id("m002"))).unwrap().unwrap().session_gen;
    let before = generation();
    let run = zhibu(&site, &["members", "logout", "m002"]).ok();
    assert!(run.stderr.contains("logged out everywhere"), "{}", run.stderr);
    assert_ne!(generation(), before, "every token made before carries the old generation");
    let unknown = zhibu(&site, &["members", "logout", "m404"]).failed();
    assert!(unknown.stderr.contains("no member m404"), "{}", unknown.stderr);
    let (actor, action, target) = audit(&site).pop().unwrap();
    assert!(actor.starts_with("cli:"));
    assert_eq!((action.as_str(), target.as_str()), ("member.logout", "m002"));
}

/// Today and now in Beijing, as the command line sees them.
fn beijing_now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&zhibu_functions::clock::china())
}

/// A branch whose roster has the joining record's columns: an applicant, an activist away on
/// placement with two contact persons, a full member, a probationary member and the secretary
/// (no stage: a full member).
fn file_branch() -> Site {
    let site = Site::fixture("site");
    site.write(
        "roster.csv",
        "id,name,role,stage,contacts,mobile\n\
         m001,张三,member,申请人,,\n\
         m002,李四,member,积极分子,m003;a001,是\n\
         m003,赵五,member,正式党员,,\n\
         m004,钱六,member,probationary,,\n\
         a001,王书记,admin,,,\n",
    );
    zhibu(&site, &["members", "import", "roster.csv", "--codes", "codes.csv"]).ok();
    site
}

/// The milestones the joining tests start from, recorded through the command line: m001 applied
/// and was talked to late (a warning), m002 became an activist, m004 was approved a year ago.
fn record_milestones(site: &Site) {
    for args in [
        ["m001", "--milestone", "递交入党申请书", "--date", "2025-03-01"],
        ["m001", "--milestone", "first_talk", "--date", "2025-04-15"],
        ["m002", "--milestone", "确定为积极分子", "--date", "2025-10-10"],
        ["m004", "--milestone", "approved", "--date", "2025-12-20"],
    ] {
        let mut all = vec!["members", "stage"];
        all.extend(args);
        zhibu(site, &all).ok();
    }
}

fn audit_details(site: &Site, prefix: &str) -> Vec<(String, String, String, String)> {
    let log = runtime().block_on(store(site).audit_log()).unwrap();
    log.into_iter()
        .filter(|e| e.action.starts_with(prefix))
        .map(|e| (e.actor, e.action, e.target, e.detail))
        .collect()
}

#[test]
fn members_stage_records_milestones_by_name_or_key_refuses_bad_ones_and_logs_each() {
    let site = file_branch();
    let run =
        zhibu(&site, &["members", "stage", "m001", "--milestone", "递交入党申请书", "--date", "2025-03-01"])
            .ok();
    assert!(run.stderr.contains("recorded 递交入党申请书 on 2025-03-01"), "{}", run.stderr);
    assert!(run.stdout.contains("stage: 申请人"), "{}", run.stdout);
    assert!(run.stdout.contains("next: 谈话 — "), "the next step and what it needs: {}", run.stdout);
    let run = zhibu(
        &site,
        &[
            "members",
            "stage",
            "m001",
            "--milestone",
            "first_talk",
            "--date",
            "2025-04-15",
            "--note",
            "书记谈话",
        ],
    )
    .ok();
    assert!(run.stdout.contains("2025-04-15  谈话（书记谈话）"), "{}", run.stdout);
    assert!(run.stdout.contains("next: 确定为积极分子"), "{}", run.stdout);
    assert!(
        run.stdout.contains("warning: 谈话（2025-04-15）晚于递交申请书（2025-03-01）后一个月"),
        "the record's rules are warnings, never silent: {}",
        run.stdout
    );

    let unknown =
        zhibu(&site, &["members", "stage", "m001", "--milestone", "转正", "--date", "2025-05-01"]).failed();
    assert!(unknown.stderr.contains("no milestone \"转正\""), "{}", unknown.stderr);
    for listed in ["applied", "递交入党申请书", "activist", "确定为积极分子", "full_approved", "上级审批转正"]
    {
        assert!(unknown.stderr.contains(listed), "the valid milestones are listed: {}", unknown.stderr);
    }
    let future =
        zhibu(&site, &["members", "stage", "m001", "--milestone", "activist", "--date", "2100-01-01"])
            .failed();
    assert!(future.stderr.contains("--date 2100-01-01 is in the future"), "{}", future.stderr);
    let bad_date =
        zhibu(&site, &["members", "stage", "m001", "--milestone", "activist", "--date", "2025-13-01"])
            .failed();
    assert!(bad_date.stderr.contains("--date: 日期应形如 2026-10-10"), "{}", bad_date.stderr);
    let no_date = zhibu(&site, &["members", "stage", "m001", "--milestone", "activist"]).failed();
    assert!(no_date.stderr.contains("--date"), "{}", no_date.stderr);
    let nobody =
        zhibu(&site, &["members", "stage", "m404", "--milestone", "activist", "--date", "2025-05-01"])
            .failed();
    assert!(nobody.stderr.contains("no member m404"), "{}", nobody.stderr);

    // A milestone recorded by mistake is removed again.
    zhibu(&site, &["members", "stage", "m002", "--milestone", "确定为积极分子", "--date", "2025-10-10"]).ok();
    zhibu(&site, &["members", "stage", "m002", "--milestone", "contacts_assigned", "--date", "2025-10-20"])
        .ok();
    let run = zhibu(&site, &["members", "stage", "m002", "--remove", "指定培养联系人"]).ok();
    assert!(run.stderr.contains("removed 指定培养联系人"), "{}", run.stderr);
    assert!(run.stdout.contains("next: 指定培养联系人"), "{}", run.stdout);
    let again = zhibu(&site, &["members", "stage", "m002", "--remove", "contacts_assigned"]).failed();
    assert!(again.stderr.contains("no 指定培养联系人 recorded"), "{}", again.stderr);

    // With no flags: the timeline.
    let timeline = zhibu(&site, &["members", "stage", "m001"]).ok();
    let lines: Vec<&str> = timeline.stdout.lines().collect();
    assert_eq!(
        lines[..4],
        ["m001 张三", "stage: 申请人", "  2025-03-01  递交入党申请书", "  2025-04-15  谈话（书记谈话）"]
    );
    assert!(timeline.stdout.contains("next: 确定为积极分子 — "), "{}", timeline.stdout);
    assert!(
        timeline.stdout.contains("没有提交思想汇报"),
        "missing reports are warnings too: {}",
        timeline.stdout
    );

    // The stage shows in the roster list.
    let list = zhibu(&site, &["members", "list"]).ok();
    let m002 = list.stdout.lines().find(|l| l.starts_with("m002")).unwrap();
    assert!(m002.contains("积极分子"), "{}", list.stdout);
    let csv = csv_rows(&zhibu(&site, &["members", "list", "--csv"]).ok().stdout);
    assert_eq!(csv[0][3], "stage");
    let stages: Vec<&str> = csv[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(stages, ["申请人", "积极分子", "正式党员", "预备党员", ""]);

    // Every change is in the audit log, as the command line's user; the refusals left nothing.
    let log = audit_details(&site, "joining.");
    let lines: Vec<(&str, &str, &str)> =
        log.iter().map(|(_, a, t, d)| (a.as_str(), t.as_str(), d.as_str())).collect();
    assert_eq!(
        lines,
        [
            ("joining.record", "m001", "递交入党申请书 2025-03-01"),
            ("joining.record", "m001", "谈话 2025-04-15（书记谈话）"),
            ("joining.record", "m002", "确定为积极分子 2025-10-10"),
            ("joining.record", "m002", "指定培养联系人 2025-10-20"),
            ("joining.remove", "m002", "指定培养联系人"),
        ]
    );
    assert!(log.iter().all(|(actor, ..)| actor.starts_with("cli:")), "{log:?}");
}

#[test]
fn the_joining_report_has_each_persons_stage_next_step_and_warnings_as_csv_and_xlsx() {
    let site = file_branch();
    record_milestones(&site);
    let last_quarter = Quarter::of(beijing_now().date_naive()).previous().to_string();
    let run = zhibu(&site, &["report", "joining"]).ok();
    let rows = csv_rows(&run.stdout);
    let headers = [
        "学号",
        "姓名",
        "阶段",
        "培养联系人",
        "流动党员",
        "最近节点",
        "节点日期",
        "下一步",
        "预备期满",
        "未交思想汇报",
        "提醒",
    ]
    .map(String::from);
    assert_eq!(rows[0], headers);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["m001", "m002", "m004"], "everyone on the road, in roster order; full members are not");

    let m001 = &rows[1];
    assert_eq!(
        m001[..9],
        ["m001", "张三", "申请人", "", "", "谈话", "2025-04-15", "确定为积极分子", ""].map(String::from)
    );
    assert!(m001[9].contains(&last_quarter), "the last quarter has no report: {m001:?}");
    assert!(m001[9].starts_with("2025Q"), "quarters since the application, joined with 、: {m001:?}");
    assert!(m001[9].contains('、'));
    assert!(m001[10].contains("晚于递交申请书（2025-03-01）后一个月"), "{m001:?}");
    assert!(!m001[10].contains("思想汇报"), "missing reports have their own column: {m001:?}");

    let m002 = &rows[2];
    assert_eq!(
        m002[..9],
        [
            "m002",
            "李四",
            "积极分子",
            "赵五、王书记",
            "是",
            "确定为积极分子",
            "2025-10-10",
            "指定培养联系人",
            ""
        ]
        .map(String::from)
    );
    let m004 = &rows[3];
    assert_eq!(
        (m004[2].as_str(), m004[5].as_str(), m004[8].as_str()),
        ("预备党员", "上级审批", "2026-12-20")
    );
    assert!(m004[10].contains("预备期"), "probation ends (or ended) without a 转正申请: {m004:?}");

    let out = site.root().join("joining.xlsx");
    let run =
        zhibu(&site, &["report", "joining", "--format", "xlsx", "--output", out.to_str().unwrap()]).ok();
    assert!(run.stderr.contains("3 rows"), "{}", run.stderr);
    let sheet = xlsx_rows(&out);
    assert_eq!(sheet.len(), 4);
    assert_eq!(sheet[0], headers);
    assert_eq!(sheet[2][..5], ["m002", "李四", "积极分子", "赵五、王书记", "是"].map(String::from));
    assert_eq!(sheet[3][8], "2026-12-20");
    let needs_output = zhibu(&site, &["report", "joining", "--format", "xlsx"]).failed();
    assert!(needs_output.stderr.contains("needs --output"), "{}", needs_output.stderr);
}

#[test]
fn the_thought_report_table_shows_each_writers_quarter_as_csv_and_xlsx() {
    let site = file_branch();
    let now = beijing_now();
    let quarter = Quarter::of(now.date_naive());
    let s = store(&site);
    runtime().block_on(async {
        let text = |title: &str| ReportText {
            title: title.into(),
            body: "在实习单位坚持学习党章，".repeat(20),
        };
        // m002 submitted and their contact person commented (so it is read); m004 submitted; m001
        // only has a draft, which is their own business.
        file_reports::save(&s, &id("m002"), quarter, text("本季度思想汇报"), true, now).await.unwrap();
        file_reports::comment(&s, &id("m003"), &id("m002"), quarter, Some("认识深刻，继续努力。"), now)
            .await
            .unwrap();
        file_reports::save(&s, &id("m004"), quarter, text("预备期思想汇报"), true, now).await.unwrap();
        file_reports::save(&s, &id("m001"), quarter, text("草稿"), false, now).await.unwrap();
    });
    let headers = ["学号", "姓名", "阶段", "季度", "状态", "提交时间", "意见条数"].map(String::from);
    let submitted = now.format("%Y-%m-%d %H:%M").to_string();

    // Without --quarter: the current one.
    let rows = csv_rows(&zhibu(&site, &["report", "reports"]).ok().stdout);
    assert_eq!(rows[0], headers);
    assert_eq!(rows.len(), 4, "everyone who writes reports, not full members or the secretary: {rows:?}");
    assert_eq!(rows[1], ["m001", "张三", "申请人", &quarter.label(), "未提交", "", "0"].map(String::from));
    assert_eq!(
        rows[2],
        ["m002", "李四", "积极分子", &quarter.label(), "已阅", &submitted, "1"].map(String::from)
    );
    assert_eq!(
        rows[3],
        ["m004", "钱六", "预备党员", &quarter.label(), "已提交", &submitted, "0"].map(String::from)
    );

    let previous = quarter.previous().to_string();
    let rows = csv_rows(&zhibu(&site, &["report", "reports", "--quarter", &previous]).ok().stdout);
    assert!(rows[1..].iter().all(|r| r[4] == "未提交" && r[3] == quarter.previous().label()), "{rows:?}");

    let out = site.root().join("reports.xlsx");
    let current = quarter.to_string();
    zhibu(
        &site,
        &["report", "reports", "--quarter", &current, "--format", "xlsx", "--output", out.to_str().unwrap()],
    )
    .ok();
    let sheet = xlsx_rows(&out);
    assert_eq!(sheet[0], headers);
    assert_eq!(sheet.len(), 4);
    assert_eq!((sheet[2][0].as_str(), sheet[2][4].as_str(), sheet[2][6].as_str()), ("m002", "已阅", "1"));

    let bad = zhibu(&site, &["report", "reports", "--quarter", "2026Q5"]).failed();
    assert!(bad.stderr.contains("--quarter \"2026Q5\" is not a quarter"), "{}", bad.stderr);
    assert!(bad.stderr.contains("2026Q4"), "it says how to write one: {}", bad.stderr);
    let future = zhibu(&site, &["report", "reports", "--quarter", "2100Q1"]).failed();
    assert!(future.stderr.contains("2100Q1 has not begun"), "{}", future.stderr);
}
