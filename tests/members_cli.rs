//! The secretary's roster and data commands on the embedded store: list, reset-code, export,
//! remove (and erase), purge — each leaving a line in the audit log.

#![allow(clippy::unwrap_used)]

mod common;

use std::ffi::OsStr;

use chrono::{DateTime, Duration, FixedOffset};
use common::Site;
use zhibu_functions::blobs::Blobs;
use zhibu_functions::blobs::dir::DirBlobs;
use zhibu_functions::domain::{MemberId, NoteStatus, StoredLocation};
use zhibu_functions::store::sqlite::SqliteStore;
use zhibu_functions::store::{Copy, Note, Signin, Store};

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
        vec!["id", "name", "role", "last_activity"]
    );
    assert_eq!(&rows[0][0], "m001");
    assert_eq!(&rows[0][3], ago(1).format("%Y-%m-%d %H:%M").to_string(), "the note is the latest");
    assert_eq!(&rows[2][3], "");
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
    assert_eq!(actions, vec!["member.export", "member.erase"]);
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
    assert_eq!(actions, vec!["member.remove", "data.purge_locations"]);
}
