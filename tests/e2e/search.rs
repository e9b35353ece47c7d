//! Site search end to end: `zhibu build` on `tests/fixtures/search` (the cases other tools get
//! wrong: 段简 across jieba's words, 2026 and 12·9, 黨費, dangfei and df, 三会一课), the index's
//! files checked, searched with the generator's query code and with the theme's `search.js`
//! under node (`tests/search/run.mjs`), which must find and rank exactly the same; and `serve`'s
//! incremental rebuild of the index equal to a fresh one.
//!
//! And in a real browser (`tests/browser/search.mjs`): the branch's own site built and served as
//! static files, a phone (390×844) typing queries into the search page, results and highlights
//! checked; screenshots in `target/browser-screenshots/search-*.png`.
//!
//! Needs node (20 or newer), and for the browser run Chromium and `npm ci` in tests/browser;
//! without them those tests say so and pass, unless `ZHIBU_TEST_BROWSER_REQUIRED` is set (as
//! the test command sets it).

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use zhibu_generator::search::query::Index;

use crate::common::Site;

/// Queries, the pages they must find (first ones in this order; `[]` for none).
const CASES: &[(&str, &[&str])] = &[
    ("段简", &["/notices/test-text/"]),
    ("一段简单的测试", &["/notices/test-text/"]),
    ("2026", &["/notices/dues-2026/", "/notices/december-9th/"]),
    ("12·9", &["/notices/december-9th/"]),
    ("12.9", &["/notices/december-9th/"]),
    ("一二·九", &["/notices/december-9th/"]),
    ("黨費", &["/notices/dues-2026/", "/notices/dues-2024/"]),
    ("ｄａｎｇｆｅｉ", &["/notices/dues-2026/"]),
    ("dangfei", &["/notices/dues-2026/"]),
    ("df", &["/notices/dues-2026/", "/study/development/"]),
    ("三会一课", &["/study/three-one/"]),
    ("对象", &["/study/development/", "/study/objects/"]),
    ("党", &["/notices/dues-2026/"]),
    ("0.2", &["/notices/dues-2026/"]),
    ("党费 交纳", &["/notices/dues-2026/"]),
    ("成教学院", &["/"]),
    // Not indexed: a draft, `in_search_index = false`, a noindex page, scripts, code, navigation.
    ("草稿专用词", &[]),
    ("隐藏专用词", &[]),
    ("私密专用词", &[]),
    ("脚本专用词", &[]),
    ("代码专用词", &[]),
    ("导航链接", &[]),
];

/// Whether node (and for the browser, Chromium and playwright-core) are here; a test without
/// them passes with a note unless they are required.
fn have(browser: bool) -> bool {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium: std::path::PathBuf =
        std::env::var_os("ZHIBU_CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), Into::into);
    let mut missing = Vec::new();
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing.push("node");
    }
    if browser && !Path::new(&chromium).is_file() {
        missing.push("chromium");
    }
    if browser && !repo.join("tests/browser/node_modules/playwright-core/package.json").is_file() {
        missing.push("playwright-core (npm ci in tests/browser)");
    }
    if missing.is_empty() {
        return true;
    }
    assert!(std::env::var_os("ZHIBU_TEST_BROWSER_REQUIRED").is_none(), "missing: {}", missing.join(", "));
    eprintln!("skipped: missing {}", missing.join(", "));
    false
}

fn built() -> Site {
    let site = Site::fixture("search");
    site.build().ok();
    site
}

fn urls(index: &mut Index<'_, Path>, q: &str) -> Vec<String> {
    let hits = index.search(q);
    hits.iter().map(|h| index.url(h.doc).unwrap_or_default()).collect()
}

#[test]
fn the_index_files_are_written_and_found_by_the_rust_query() {
    let site = built();
    let out = site.out();
    let meta: Value = serde_json::from_str(&site.read_out("search/meta.json")).unwrap();
    assert_eq!(meta["n"], 10, "7 pages and 3 sections, not the draft, the hidden or the private: {meta}");
    let shards = meta["s"].as_u64().unwrap();
    for n in 0..shards {
        let plain = std::fs::read(out.join(format!("search/k/{n}.bin"))).unwrap();
        let gz = std::fs::read(out.join(format!("search/k/{n}.bin.gz"))).unwrap();
        assert_eq!(&gz[..2], [0x1f, 0x8b], "shard {n}.bin.gz is gzip");
        assert!(!plain.is_empty());
    }
    assert!(site.read_out("search/t2s.txt").contains("黨党"));
    assert!(site.read_out("search/py.txt").contains("dang"));
    let chunk: Value = serde_json::from_str(&site.read_out("search/t/0-0.json")).unwrap();
    assert_eq!(chunk["u"], "/notices/december-9th/", "the newest page is number 0");
    // Zola's format, asked for by `[search] index_format`, named for the default language (the
    // fixture sets none: Zola's `en`).
    let zola = site.read_out("search_index.en.js");
    assert!(zola.starts_with("window.searchIndex = {"), "{}", &zola[..80.min(zola.len())]);
    assert!(site.read_out("elasticlunr.min.js").contains("elasticlunr"));

    let mut index = Index::open(out.as_path()).unwrap();
    for (q, want) in CASES {
        let got = urls(&mut index, q);
        assert!(got.starts_with(&want.iter().map(|s| s.to_string()).collect::<Vec<_>>()), "{q}: {got:?}");
        if want.is_empty() {
            assert!(got.is_empty(), "{q}: {got:?}");
        }
    }
}

#[test]
fn search_js_under_node_finds_and_ranks_as_the_generator() {
    if !have(false) {
        return;
    }
    let site = built();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut queries: Vec<&str> = CASES.iter().map(|(q, _)| *q).collect();
    queries.push("党废");
    let list = site.root().join("queries.json");
    std::fs::write(&list, serde_json::to_string(&queries).unwrap()).unwrap();
    let run = Command::new("node")
        .arg(repo.join("tests/search/run.mjs"))
        .arg(repo.join("themes/zhibu/static/js/search.js"))
        .arg(site.out())
        .arg(&list)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let results: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();

    let out = site.out();
    let mut index = Index::open(out.as_path()).unwrap();
    for r in &results {
        let q = r["q"].as_str().unwrap();
        let rust: Vec<u64> = index.search(q).iter().map(|h| u64::from(h.doc)).collect();
        let js: Vec<u64> = r["docs"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap()).collect();
        assert_eq!(js, rust, "{q}: search.js and the generator disagree");
        if let Some((_, want)) = CASES.iter().find(|(c, _)| *c == q) {
            let got: Vec<&str> = r["urls"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
            assert!(got.starts_with(want), "{q}: {got:?}");
        }
        // A first query: meta.json, its shards (at once), its excerpts; the fold table only for
        // traditional characters.
        let trips = r["roundTrips"].as_u64().unwrap();
        assert!(trips <= if q == "黨費" || js.is_empty() { 4 } else { 3 }, "{q}: {trips} round trips");
    }
    let by = |q: &str| results.iter().find(|r| r["q"] == q).unwrap();
    // Excerpts and titles mark what matched, whole.
    assert_eq!(by("段简")["excerpts"][0], "这是一<mark>段简</mark>单的测试文本。");
    assert_eq!(
        by("12·9")["excerpts"][0],
        "为纪念<mark>12·9</mark>运动，支部定于2026年12月9日上午举行主题党日。"
    );
    assert_eq!(by("dangfei")["titles"][0], "关于2026年<mark>党费</mark>收缴的通知");
    assert_eq!(by("黨費")["titles"][0], "关于2026年<mark>党费</mark>收缴的通知");
    // Nothing found for a homophone typed by mistake: the pinyin table suggests the right one.
    assert_eq!(by("党废")["suggestions"][0], "党费");

    // The syllables a pinyin query is split into are the generator's.
    let js = repo.join("themes/zhibu/static/js/search.js");
    let syl = Command::new("node")
        .arg("-e")
        .arg(format!(
            "process.stdout.write(JSON.stringify(require({:?}).SYL.sort()))",
            js.display().to_string()
        ))
        .output()
        .unwrap();
    let mut rust: Vec<&str> = zhibu_generator::search::query::SYLLABLES.split(' ').collect();
    rust.sort_unstable();
    assert_eq!(serde_json::from_slice::<Vec<String>>(&syl.stdout).unwrap(), rust);
}

#[test]
fn serve_rebuilds_the_index_as_a_fresh_build_would() {
    use zhibu_generator::site::{Body, Cache, build, build_cached};
    use zhibu_generator::{BuildOptions, Silent};
    let site = Site::fixture("search");
    let options = BuildOptions { root: site.root().to_path_buf(), ..Default::default() };
    let index_of = |built: &zhibu_generator::Built| -> Vec<(String, Vec<u8>)> {
        built
            .files
            .iter()
            .filter(|f| f.path.starts_with("search"))
            .map(|f| match &f.body {
                Body::Bytes(b) => (f.path.clone(), b.clone()),
                Body::Copy(p) => (f.path.clone(), std::fs::read(p).unwrap()),
            })
            .collect()
    };
    let mut cache = Cache::default();
    build_cached(&options, &Silent, &mut cache).unwrap();
    site.write(
        "content/notices/test-text.md",
        "+++\ntitle = \"分词测试\"\ndate = 2026-10-01\n+++\n\n这是一段改过的测试文本，新增专用词。\n",
    );
    let again = build_cached(&options, &Silent, &mut cache).unwrap();
    let fresh = build(&options, &Silent).unwrap();
    assert_eq!(index_of(&again), index_of(&fresh));
    let mut index = Index::open(&fresh.files[..]).unwrap();
    assert_eq!(index.search("新增专用词").len(), 1);
    assert!(index.search("段简").is_empty());
}

#[test]
fn a_phone_types_queries_into_the_search_page_of_the_branch_site() {
    if !have(true) {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let shots = repo.join("target/browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let run = Command::new("node")
        .arg(repo.join("tests/browser/search.mjs"))
        .arg(env!("CARGO_BIN_EXE_zhibu"))
        .arg(repo)
        .arg(work.path())
        .arg(&shots)
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success() && log.contains("search: all steps passed"), "{log}");
}

#[test]
fn search_js_fetches_only_the_chunks_its_first_results_need() {
    if !have(false) {
        return;
    }
    // Three hundred more pages, so that common keys are cut into chunks (index.rs): 党员 in every
    // one, 三会一课 in the title of some, 部党员 where 支部 meets 党员.
    let site = Site::fixture("search");
    for i in 0..300 {
        let title = if i % 7 == 3 {
            format!("第{i}次三会一课安排")
        } else {
            format!("支部活动纪实{i}")
        };
        let body = format!(
            "{}全体党员参加学习，讨论发展对象的培养。{}\n\n本次活动{}支部党员{i}人到会。",
            "党员同志们，".repeat(1 + i % 5),
            if i % 3 == 0 { "坚持三会一课制度。" } else { "" },
            if i % 11 == 0 { "由" } else { "共" },
        );
        site.write(
            &format!("content/notices/gen-{i}.md"),
            &format!(
                "+++\ntitle = \"{title}\"\ndate = 2026-0{}-{:02}\n+++\n\n{body}\n",
                1 + i % 9,
                1 + i % 28
            ),
        );
    }
    site.build().ok();
    let chunks = std::fs::read_dir(site.out().join("search/k"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains('-'))
        .count();
    assert!(chunks > 0, "some key has further chunks");
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/zhibu/static/js/search.js");
    // A first query asking for five results, then the same query asking for all: the five are the
    // first five of all, ranked alike, for fewer files.
    let script = r#"
const fs = require('fs'), path = require('path'), api = require(process.argv[1]), dir = process.argv[2];
const index = () => { const got = []; return { got, index: new api.Index(async (p, binary) => {
  got.push(p); const raw = fs.readFileSync(path.join(dir, 'search', p)); return binary ? new Uint8Array(raw) : raw.toString(); }) }; };
(async () => {
  const out = [];
  for (const q of ['党员', '三会一课', '部党员', '发展对象', '党员 学习', '党', 'shyk', '支部党员']) {
    const a = index(), b = index(), five = await a.index.search(q, 5), all = await b.index.search(q);
    out.push({ q, five: five.slice(0, 5).map((h) => [h.doc, h.score]), all: all.slice(0, 5).map((h) => [h.doc, h.score]),
      more: !!five.more, fewer: a.got.length, every: b.got.length, count: all.length });
  }
  process.stdout.write(JSON.stringify(out));
})();
"#;
    let run = Command::new("node").arg("-e").arg(script).arg(&js).arg(site.out()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let results: Vec<Value> = serde_json::from_slice(&run.stdout).unwrap();
    let mut saved = 0;
    for r in &results {
        assert_eq!(r["five"], r["all"], "{}: the first five differ from those of a full search", r["q"]);
        assert!(r["fewer"].as_u64() <= r["every"].as_u64(), "{r}");
        if r["more"] == true {
            saved += 1;
            assert!(r["fewer"].as_u64() < r["every"].as_u64(), "{r}");
        }
    }
    assert!(saved > 0, "some query stopped early: {results:?}");
}
