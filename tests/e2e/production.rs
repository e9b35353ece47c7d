//! The command line against DynamoDB (moto's server) and S3 (s3s-fs), reached only through the
//! standard AWS environment: `zhibu admin init`, `zhibu admin migrate` from a one-machine
//! branch, and `zhibu serve` with `members import` on the production store.

#![cfg(feature = "aws")]
#![allow(clippy::unwrap_used)]

use crate::common;
use crate::servers;

use std::ffi::OsStr;
use std::path::Path;

use chrono::DateTime;
use common::{Site, http};
use serde_json::{Value, json};
use zhibu_functions::blobs::Blobs;
use zhibu_functions::blobs::dir::DirBlobs;
use zhibu_functions::blobs::s3::S3Blobs;
use zhibu_functions::domain::{MemberId, NoteStatus, Role, StoredLocation};
use zhibu_functions::store::dynamo::DynamoStore;
use zhibu_functions::store::prelude::*;
use zhibu_functions::store::sqlite::SqliteStore;
use zhibu_functions::store::{Copy, Document, Member, Note, Signin};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
}

/// DynamoDB on moto, S3 on s3s-fs: each through its own standard endpoint variable.
struct Aws {
    dynamodb: String,
    s3: String,
}

impl Aws {
    fn from_env() -> Option<Aws> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        match (var("ZHIBU_TEST_DYNAMODB"), var("ZHIBU_TEST_S3S")) {
            (Some(dynamodb), Some(s3)) => Some(Aws { dynamodb, s3 }),
            _ => {
                assert!(
                    std::env::var_os("ZHIBU_TEST_SERVERS_REQUIRED").is_none(),
                    "the servers' addresses are missing: `bash tests/run.sh` starts them"
                );
                eprintln!("skipped: run `bash tests/run.sh`, which starts moto and s3s-fs");
                None
            }
        }
    }

    fn env<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut env = vec![
            ("AWS_ENDPOINT_URL_DYNAMODB", self.dynamodb.as_str()),
            ("AWS_ENDPOINT_URL_S3", self.s3.as_str()),
            ("AWS_ACCESS_KEY_ID", servers::ACCESS_KEY),
            ("AWS_SECRET_ACCESS_KEY", servers::SECRET_KEY),
            ("AWS_REGION", "cn-north-1"),
        ];
        env.extend_from_slice(extra);
        env
    }

    async fn store(&self, table: &str) -> DynamoStore {
        DynamoStore::new(&zhibu_functions::aws::load_for_endpoint(&self.dynamodb, "k", "s").await, table)
    }

    async fn blobs(&self, bucket: &str, prefix: &str) -> S3Blobs {
        let config =
            zhibu_functions::aws::load_for_endpoint(&self.s3, servers::ACCESS_KEY, servers::SECRET_KEY).await;
        S3Blobs::new(&config, bucket, prefix)
    }
}

fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
    args.iter().map(|a| OsStr::new(a).to_owned()).collect()
}

fn zhibu(site: &Site, args: &[&str], env: &[(&str, &str)]) -> common::Run {
    let args = os(args);
    let refs: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    site.zhibu_with(&refs, env)
}

#[test]
fn admin_init_creates_the_table_and_the_bucket_and_is_safe_to_run_again() {
    let Some(aws) = Aws::from_env() else { return };
    let site = Site::fixture("site");
    let (table, bucket) = (servers::unique("init"), servers::unique("init"));
    let store = format!("dynamodb:{table}");
    let blobs = format!("s3:{bucket}/photos");
    let env = aws.env(&[("ZHIBU_STORE", &store), ("ZHIBU_BLOBS", &blobs)]);
    let first = zhibu(&site, &["admin", "init"], &env).ok();
    assert!(first.stderr.contains(&format!("store dynamodb:{table} created")), "{}", first.stderr);
    assert!(first.stderr.contains("created (private)"), "{}", first.stderr);
    let second = zhibu(&site, &["admin", "init"], &env).ok();
    assert!(second.stderr.contains(&format!("store dynamodb:{table} ready")), "{}", second.stderr);
    assert!(second.stderr.contains(&format!("photos s3:{bucket}/photos ready")), "{}", second.stderr);
    runtime().block_on(async {
        assert!(!aws.store(&table).await.ensure_table().await.unwrap(), "the table exists");
        assert!(!aws.blobs(&bucket, "photos").await.ensure_bucket().await.unwrap(), "the bucket exists");
    });
}

fn t(s: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn id(s: &str) -> MemberId {
    MemberId::parse(s).unwrap()
}

/// A one-machine branch: three members, sign-ins (one with a location), notes in every state,
/// copies with their photos in the folder, documents of their files (one at version 2).
async fn one_machine_branch(store: &SqliteStore, blobs: &DirBlobs) {
    for (i, name, role) in
        [("m002", "李四", Role::Member), ("m001", "张三", Role::Member), ("a001", "王书记", Role::Admin)]
    {
        let member = Member {
            id: id(i),
            name: name.into(),
            role,
            profile: [("class".into(), "2022级".into())].into(),
        };
        store.upsert_member(&member, &format!("hash-of-{i}")).await.unwrap();
    }
    for (event, who, located) in [("e-1", "m001", true), ("e-1", "m002", false), ("e-2", "m001", false)] {
        let location = located.then_some(StoredLocation {
            lat: 30.52,
            lon: 114.36,
            accuracy_m: 20.0,
            within_geofence: Some(true),
        });
        let signin =
            Signin { event: event.into(), member_id: id(who), at: t("2026-12-09T19:00:00+08:00"), location };
        store.insert_signin(&signin).await.unwrap();
    }
    for (n, who, status) in [
        ("n1", "m001", NoteStatus::Approved),
        ("n2", "m002", NoteStatus::Pending),
        ("n3", "m001", NoteStatus::Rejected),
    ] {
        let note = Note {
            id: n.into(),
            page: "/theory/constitution/".into(),
            member_id: id(who),
            body: format!("学习心得 {n}：坚定理想信念。"),
            status: NoteStatus::Pending,
            at: t("2026-12-02T08:00:00+08:00"),
            flagged_words: vec![],
            review_reason: None,
            reviewed_by: None,
            reviewed_at: None,
        };
        store.insert_note(&note).await.unwrap();
        if status != NoteStatus::Pending {
            store
                .review_note(n, status, Some("理由"), &id("a001"), t("2026-12-03T08:00:00+08:00"))
                .await
                .unwrap();
        }
    }
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
            bytes: 3,
            at: t("2026-12-01T21:00:00+08:00"),
        };
        store.put_copy(&copy).await.unwrap();
        blobs.put(&copy.photo_key, format!("photo {who} {day}").into_bytes(), "image/jpeg").await.unwrap();
        blobs.put(&copy.thumb_key, format!("thumb {who} {day}").into_bytes(), "image/jpeg").await.unwrap();
    }
    for (kind, i, who) in [("report", "r-1", "m001"), ("talk", "t-1", "m001"), ("report", "r-2", "m002")] {
        let document = Document {
            kind: kind.into(),
            id: i.into(),
            member_id: id(who),
            version: 1,
            at: t("2026-12-04T10:00:00+08:00"),
            blob_keys: vec![],
            body: json!({"title": format!("思想汇报 {i}"), "nested": {"score": 1.5, "items": [1, 2]}}),
        };
        assert!(store.put_document(&document).await.unwrap());
    }
    let read = Document {
        version: 2,
        at: t("2026-12-05T10:00:00+08:00"),
        body: json!({"title": "思想汇报 r-1", "read_by": "a001"}),
        ..store.document("report", "r-1").await.unwrap().unwrap()
    };
    assert!(store.put_document(&read).await.unwrap());
}

/// The `kind source written already target` row of migrate's table.
fn row(stdout: &str, kind: &str) -> Vec<String> {
    let line =
        stdout.lines().find(|l| l.starts_with(kind)).unwrap_or_else(|| panic!("no {kind} row in\n{stdout}"));
    line.split_whitespace().map(str::to_string).collect()
}

fn assert_row(stdout: &str, kind: &str, source: usize, written: usize, already: usize) {
    let r = row(stdout, kind);
    assert_eq!(
        (&r[1], &r[2], &r[3], &r[4]),
        (&source.to_string(), &written.to_string(), &already.to_string(), &source.to_string()),
        "{kind}: {stdout}"
    );
    assert_eq!(r.last().map(String::as_str), Some("ok"), "{kind}: {stdout}");
}

#[test]
fn migrate_moves_a_branch_to_dynamodb_and_s3_without_losing_a_record_and_resumes() {
    let Some(aws) = Aws::from_env() else { return };
    let site = Site::fixture("site");
    let data = site.root().join("old-machine");
    let (table, bucket) = (servers::unique("move"), servers::unique("move"));
    let rt = runtime();
    let sqlite = SqliteStore::open(&data.join("zhibu.sqlite")).unwrap();
    let folder = DirBlobs::open(&data.join("blobs")).unwrap();
    rt.block_on(one_machine_branch(&sqlite, &folder));

    // An earlier run was interrupted after a few records and one photo.
    rt.block_on(async {
        let target = aws.store(&table).await;
        target.ensure_table().await.unwrap();
        let first = sqlite.members().await.unwrap().remove(0);
        target.upsert_member(&first.member, &first.code_hash).await.unwrap();
        target.insert_signin(&sqlite.signins_of_event("e-2").await.unwrap()[0]).await.unwrap();
        target.import_document(&sqlite.document("talk", "t-1").await.unwrap().unwrap()).await.unwrap();
        let photos = aws.blobs(&bucket, "photos").await;
        photos.ensure_bucket().await.unwrap();
        let key = "copies/constitution-100/m001/1-abc.jpg";
        photos.put(key, folder.get(key).await.unwrap().unwrap(), "image/jpeg").await.unwrap();
    });

    let from = format!("sqlite:{}", data.join("zhibu.sqlite").display());
    let to = format!("dynamodb:{table}");
    let blobs_from = format!("dir:{}", data.join("blobs").display());
    let blobs_to = format!("s3:{bucket}/photos");
    let args = [
        "admin",
        "migrate",
        "--from",
        &from,
        "--to",
        &to,
        "--blobs-from",
        &blobs_from,
        "--blobs-to",
        &blobs_to,
    ];
    let run = zhibu(&site, &args, &aws.env(&[])).ok();
    assert_row(&run.stdout, "members", 3, 2, 1);
    assert_row(&run.stdout, "signins", 3, 2, 1);
    assert_row(&run.stdout, "notes", 3, 3, 0);
    assert_row(&run.stdout, "copies", 3, 3, 0);
    assert_row(&run.stdout, "documents", 3, 2, 1);
    assert_row(&run.stdout, "photos", 6, 5, 1);
    assert!(run.stderr.contains("both sides have the same checksums"), "{}", run.stderr);

    // What arrived is what was there, read back through the production adapters.
    rt.block_on(async {
        let target = aws.store(&table).await;
        let names = |ms: Vec<zhibu_functions::store::MemberRecord>| {
            ms.into_iter().map(|m| (m.member, m.code_hash)).collect::<Vec<_>>()
        };
        assert_eq!(
            names(target.members().await.unwrap()),
            names(sqlite.members().await.unwrap()),
            "roster order too"
        );
        for who in ["m001", "m002", "a001"] {
            assert_eq!(
                target.signins_of_member(&id(who)).await.unwrap(),
                sqlite.signins_of_member(&id(who)).await.unwrap()
            );
            assert_eq!(
                target.notes_of_member(&id(who)).await.unwrap(),
                sqlite.notes_of_member(&id(who)).await.unwrap()
            );
            assert_eq!(
                target.copies_of_member(&id(who)).await.unwrap(),
                sqlite.copies_of_member(&id(who)).await.unwrap()
            );
            assert_eq!(
                target.all_documents_of_member(&id(who)).await.unwrap(),
                sqlite.all_documents_of_member(&id(who)).await.unwrap()
            );
        }
        let report = target.document("report", "r-1").await.unwrap().unwrap();
        assert_eq!(report.version, 2, "a document keeps its version");
        let queue = target.notes_with_status(NoteStatus::Pending).await.unwrap();
        assert_eq!(queue.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["n2"]);
        let photos = aws.blobs(&bucket, "photos").await;
        assert_eq!(photos.keys().await.unwrap(), folder.keys().await.unwrap());
        let key = "copies/constitution-100/m002/1-abc-thumb.jpg";
        assert_eq!(photos.get(key).await.unwrap(), folder.get(key).await.unwrap());
        assert!(target.copy_by_key(key).await.unwrap().is_some(), "photos are found by key");
    });

    // Running it again changes nothing.
    let again = zhibu(&site, &args, &aws.env(&[])).ok();
    let kinds =
        [("members", 3), ("signins", 3), ("notes", 3), ("copies", 3), ("documents", 3), ("photos", 6)];
    for (kind, n) in kinds {
        assert_row(&again.stdout, kind, n, 0, n);
    }
}

#[test]
fn migrate_stops_with_an_error_when_the_target_holds_something_else() {
    let Some(aws) = Aws::from_env() else { return };
    let site = Site::fixture("site");
    let data = site.root().join("old-machine");
    let table = servers::unique("clash");
    let rt = runtime();
    let sqlite = SqliteStore::open(&data.join("zhibu.sqlite")).unwrap();
    let folder = DirBlobs::open(&data.join("blobs")).unwrap();
    rt.block_on(one_machine_branch(&sqlite, &folder));
    // The target already knows m001, with another code (someone imported the roster there).
    rt.block_on(async {
        let target = aws.store(&table).await;
        target.ensure_table().await.unwrap();
        let m = sqlite.member(&id("m001")).await.unwrap().unwrap();
        target.upsert_member(&m.member, "another-hash").await.unwrap();
        // And another body for one document: the migration leaves it, the checksums tell.
        let mut d = sqlite.document("report", "r-2").await.unwrap().unwrap();
        d.body = json!({"title": "另一份思想汇报"});
        assert!(target.import_document(&d).await.unwrap());
    });
    let from = format!("sqlite:{}", data.join("zhibu.sqlite").display());
    let run = zhibu(
        &site,
        &["admin", "migrate", "--from", &from, "--to", &format!("dynamodb:{table}")],
        &aws.env(&[]),
    )
    .failed();
    assert!(row(&run.stdout, "members").contains(&"MISMATCH".to_string()), "{}", run.stdout);
    assert!(row(&run.stdout, "documents").contains(&"MISMATCH".to_string()), "{}", run.stdout);
    assert!(run.stderr.contains("differs from the source for members, documents"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was deleted from the source"), "{}", run.stderr);
    // Bad arguments are clear errors before anything is touched.
    let same = zhibu(&site, &["admin", "migrate", "--from", &from, "--to", &from], &[]).failed();
    assert!(same.stderr.contains("the same store"), "{}", same.stderr);
    let missing =
        zhibu(&site, &["admin", "migrate", "--from", "sqlite:nowhere.sqlite", "--to", "dynamodb:x"], &[])
            .failed();
    assert!(missing.stderr.contains("no such file"), "{}", missing.stderr);
}

fn login(addr: &str, id: &str, code: &str) -> String {
    let (status, body) =
        http(addr, "POST", "/api/session", None, Some(&json!({"member_id": id, "code": code}).to_string()));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["token"].as_str().unwrap().to_string()
}

#[test]
fn serve_and_members_import_work_on_dynamodb_and_s3() {
    let Some(aws) = Aws::from_env() else { return };
    let site = Site::fixture("site");
    let (table, bucket) = (servers::unique("serve"), servers::unique("serve"));
    let store = format!("dynamodb:{table}");
    let blobs = format!("s3:{bucket}/photos");
    let env = aws.env(&[("ZHIBU_STORE", &store), ("ZHIBU_BLOBS", &blobs)]);
    zhibu(&site, &["admin", "init"], &env).ok();
    site.write("roster.csv", "id,name,role\nm001,张三,member\n");
    let import = zhibu(&site, &["members", "import", "roster.csv", "--codes", "codes.csv"], &env).ok();
    assert!(import.stderr.contains("1 new, 0 updated"), "{}", import.stderr);
    let codes = std::fs::read_to_string(site.root().join("codes.csv")).unwrap();
    let code = codes.lines().nth(1).unwrap().split(',').nth(2).unwrap().to_string();

    let data = site.root().join(".zhibu");
    let server = site.serve_with(&data, &env);
    let token = login(&server.addr, "m001", &code);
    let note = json!({"page": "/notices/event/", "body": "在实习单位也要按时参加组织生活。"}).to_string();
    let (status, body) = http(&server.addr, "POST", "/api/notes", Some(&token), Some(&note));
    assert_eq!(status, 201, "{body}");
    let (_, mine) = http(&server.addr, "GET", "/api/notes/mine", Some(&token), None);
    assert!(mine.contains("在实习单位也要按时参加组织生活。"), "{mine}");
    assert!(!Path::new(&data.join("zhibu.sqlite")).exists(), "nothing went to the embedded store");
    let stored = runtime()
        .block_on(async { aws.store(&table).await.notes_with_status(NoteStatus::Pending).await.unwrap() });
    assert_eq!(stored.len(), 1, "the note is in DynamoDB");
}
