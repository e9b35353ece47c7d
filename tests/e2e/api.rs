//! The functions on `zhibu serve`'s origin, with a roster imported by `zhibu members import`:
//! the whole local path a newcomer runs, with nothing else installed.

use crate::common;

use std::ffi::OsStr;

use common::{Site, http};
use serde_json::{Value, json};

fn import(site: &Site, roster: &str, codes: &str) -> common::Run {
    site.import_roster(roster, codes, &site.root().join(".zhibu"))
}

fn codes(site: &Site, file: &str) -> Vec<(String, String)> {
    site.codes(file)
}

fn login(addr: &str, id: &str, code: &str) -> String {
    let (status, body) =
        http(addr, "POST", "/api/session", None, Some(&json!({"member_id": id, "code": code}).to_string()));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("json");
    v["token"].as_str().expect("token").to_string()
}

#[test]
fn members_import_gives_codes_once_and_never_resets_them() {
    let site = Site::fixture("site");
    let run = import(&site, "id,name,role,class\nm001,张三,member,2022级\na001,王书记,admin,\n", "codes.csv");
    assert!(run.success, "{}", run.stderr);
    assert!(run.stderr.contains("2 new, 0 updated"), "{}", run.stderr);
    let first = codes(&site, "codes.csv");
    assert_eq!(first.len(), 2);

    let again = import(&site, "id,name,role\nm001,张三丰,member\nm002,李四,member\n", "codes-2.csv");
    assert!(again.success, "{}", again.stderr);
    assert!(again.stderr.contains("1 new, 1 updated"), "{}", again.stderr);
    let second = codes(&site, "codes-2.csv");
    assert_eq!(second.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), vec!["m002"]);

    let refused = import(&site, "id,name,role\nm003,王五,member\n", "codes.csv");
    assert!(!refused.success);
    assert!(refused.stderr.contains("already exists"), "{}", refused.stderr);

    let bad = import(&site, "id,name,role\nx,张三,member\nm004,赵六,boss\n", "codes-3.csv");
    assert!(!bad.success);
    assert!(bad.stderr.contains("roster.csv:2:") && bad.stderr.contains("roster.csv:3:"), "{}", bad.stderr);
    assert!(!site.root().join("codes-3.csv").exists());

    // The first code still works, and the name was updated.
    let server = site.serve(&site.root().join(".zhibu"));
    let token = login(&server.addr, "m001", &first[0].1);
    let (_, me) = http(&server.addr, "GET", "/api/me", Some(&token), None);
    assert!(me.contains("张三丰"), "{me}");
}

#[test]
fn serve_runs_the_api_on_the_sites_origin_and_keeps_data_across_restarts() {
    let site = Site::fixture("site");
    assert!(import(&site, "id,name,role\nm001,张三,member\n", "codes.csv").success);
    let code = codes(&site, "codes.csv")[0].1.clone();
    let data = site.root().join(".zhibu");
    {
        let server = site.serve(&data);
        let (status, _) = http(&server.addr, "GET", "/zhibu-catalog.json", None, None);
        assert_eq!(status, 404, "the catalog (quiz answer keys) is for the functions only");
        let token = login(&server.addr, "m001", &code);
        // The fixture's event opens on 2026-12-09: the catalog from the build is what decides.
        let (status, body) = http(
            &server.addr,
            "POST",
            "/api/signins",
            Some(&token),
            Some(&json!({"event": "2026-12-09-remembrance", "consent_location": false}).to_string()),
        );
        // Outside the window (409), or inside it an on-site event that needs a location (422).
        assert!(status == 409 || (status == 422 && body.contains("\"location\"")), "{status} {body}");
        let (status, body) = http(
            &server.addr,
            "POST",
            "/api/notes",
            Some(&token),
            Some(&json!({"page": "/notices/event/", "body": "在实习单位也要按时参加组织生活。"}).to_string()),
        );
        assert_eq!(status, 201, "{body}");
        // A page gains a note form: after the rebuild the functions accept notes there.
        site.write(
            "content/notices/meeting.md",
            "+++\ntitle = \"十二月主题党日安排\"\ndate = 2026-11-20\n+++\n## 会议议程\n\n{{ note_form() }}\n",
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let (status, _) = http(
                &server.addr,
                "POST",
                "/api/notes",
                Some(&token),
                Some(
                    &json!({"page": "/notices/meeting/", "body": "主题党日的学习心得，认真记录。"})
                        .to_string(),
                ),
            );
            if status == 201 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the new note page was never accepted ({status})");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let (status, page) = http(&server.addr, "GET", "/notices/event/", None, None);
        assert_eq!(status, 200, "the site is still served beside the API");
        assert!(page.contains("note-form"));
    }
    let server = site.serve(&data);
    let token = login(&server.addr, "m001", &code);
    let (status, body) = http(&server.addr, "GET", "/api/notes/mine", Some(&token), None);
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(2), "both notes survived the restart: {body}");
    let (status, body) = http(&server.addr, "GET", "/api/nothing", None, None);
    assert_eq!(status, 404);
    assert!(body.contains("not_found"));
}

#[test]
fn admin_init_creates_the_local_store_and_is_safe_to_run_again() {
    let site = Site::fixture("site");
    let data = site.root().join("data-dir");
    let args = [OsStr::new("admin"), OsStr::new("init"), OsStr::new("--data"), data.as_os_str()];
    let first = site.zhibu_plain(&args);
    assert!(first.success, "{}", first.stderr);
    assert!(data.join("zhibu.sqlite").is_file());
    assert!(data.join("blobs").is_dir());
    // Members imported in between survive a second init.
    let import = site.import_roster("id,name,role\nm001,张三,member\n", "codes.csv", &data);
    assert!(import.success, "{}", import.stderr);
    assert!(site.zhibu_plain(&args).success);
    let again = import_again(&site, &data);
    assert!(again.stderr.contains("0 new, 1 updated"), "{}", again.stderr);
    let default_folder = site.zhibu_plain(&[OsStr::new("admin"), OsStr::new("init")]);
    assert!(default_folder.success, "{}", default_folder.stderr);
    assert!(site.root().join(".zhibu/zhibu.sqlite").is_file(), "the default data folder is .zhibu/");
}

fn import_again(site: &Site, data: &std::path::Path) -> common::Run {
    site.import_roster("id,name,role\nm001,张三,member\n", "codes-2.csv", data)
}

#[test]
fn a_store_setting_that_is_not_built_in_is_a_clear_error() {
    let site = Site::fixture("site");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .args(["admin", "init"])
        .current_dir(site.root())
        .env("ZHIBU_STORE", "postgres:nope")
        .output()
        .expect("run zhibu");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ZHIBU_STORE must be sqlite:<path> or dynamodb:<table>"), "{stderr}");
}
