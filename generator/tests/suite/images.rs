//! `resize_image` and `get_image_metadata` as Zola has them: sizes answered at once from the
//! source's header, the resized files made after rendering under `processed_images/` with
//! deterministic names, reused from `.zhibu/processed_images/` and from `serve`'s memory, and
//! clear errors for a missing image or a bad op.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use zhibu_generator::Silent;
use zhibu_generator::site::{Built, Cache, build, build_cached};

use super::fixture::{bytes, options, write};

/// An image of `w`×`h` in `format`, made here.
fn image_bytes(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, format).unwrap();
    out.into_inner()
}

const INDEX: &str = r#"{% set s = resize_image(path="photo.png", width=150, height=150, op="scale") %}
scale {{ s.width }}x{{ s.height }} of {{ s.orig_width }}x{{ s.orig_height }} {{ s.url }} {{ s.static_path }}
{% set s = resize_image(path="photo.png", width=100, op="fit_width") %}fit_width {{ s.width }}x{{ s.height }}
{% set s = resize_image(path="photo.png", height=150, op="fit_height") %}fit_height {{ s.width }}x{{ s.height }}
{% set s = resize_image(path="photo.png", width=150, height=150, op="fit") %}fit {{ s.width }}x{{ s.height }}
{% set s = resize_image(path="photo.png", width=100, height=200) %}fill {{ s.width }}x{{ s.height }} {{ s.url }}
{% set s = resize_image(path="@/blog/pic.jpg", width=40, height=30, op="fit", format="webp") %}webp {{ s.width }}x{{ s.height }} {{ s.url }}
{% set s = resize_image(path="blog/pic.jpg", width=40, op="fit_width") %}jpg {{ s.url }}
{% set m = get_image_metadata(path="photo.png") %}meta {{ m.width }}x{{ m.height }} {{ m.format }} {{ m.mime }}
{% set m = get_image_metadata(path="@/blog/pic.jpg") %}meta {{ m.width }}x{{ m.height }} {{ m.format }} {{ m.mime }}
{% set m = get_image_metadata(path="logo.svg") %}meta {{ m.width }}x{{ m.height }} {{ m.format }} {{ m.mime }}
{% set m = get_image_metadata(path="nope.png", allow_missing=true) %}missing {% if m %}found{% else %}null{% endif %}
"#;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "config.toml", b"base_url = \"https://example.org\"\ntitle = \"t\"\n");
    write(root, "content/_index.md", b"+++\ntitle = \"home\"\n+++\nhi\n");
    write(root, "templates/index.html", INDEX.as_bytes());
    write(root, "static/photo.png", image_bytes(300, 380, image::ImageFormat::Png));
    write(root, "content/blog/_index.md", b"+++\ntitle = \"blog\"\n+++\n");
    write(root, "templates/section.html", b"{{ section.title }}");
    write(root, "static/logo.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 32\"></svg>");
    write(root, "content/blog/pic.jpg", image_bytes(80, 40, image::ImageFormat::Jpeg));
    dir
}

fn index(built: &Built) -> String {
    String::from_utf8(bytes(built, "index.html").unwrap()).unwrap()
}

/// The processed files of a build, by name.
fn processed(built: &Built) -> Vec<(String, Vec<u8>)> {
    (built.files.iter())
        .filter(|f| f.path.starts_with("processed_images/"))
        .map(|f| (f.path.clone(), bytes(built, &f.path).unwrap()))
        .collect()
}

#[test]
fn every_op_answers_zolas_size_and_the_files_are_made() {
    let dir = site();
    let built = build(&options(dir.path()), &Silent).unwrap();
    let html = index(&built);
    for line in [
        "scale 150x150 of 300x380 https://example.org/processed_images/photo.",
        "fit_width 100x126",
        "fit_height 118x150",
        "fit 118x150",
        "fill 100x200 https://example.org/processed_images/photo.",
        "webp 40x20 https://example.org/processed_images/pic.",
        "meta 300x380 png image/png",
        "meta 80x40 jpg image/jpeg",
        "meta 64x32 svg text/svg+xml",
        "missing null",
    ] {
        assert!(html.contains(line), "{line:?} in {html}");
    }
    assert!(html.contains(" static/processed_images/photo."), "{html}");
    // fit is the same request as fit_height here but another op: two names. All six differ.
    let files = processed(&built);
    assert_eq!(files.len(), 7, "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (path, data) in &files {
        assert!(html.contains(&format!("https://example.org/{path}")) || path.ends_with(".png"), "{path}");
        let img = image::load_from_memory(data).unwrap();
        let ext = path.rsplit('.').next().unwrap();
        let format = image::guess_format(data).unwrap();
        assert_eq!(format.extensions_str()[0], if ext == "jpg" { "jpg" } else { ext }, "{path}");
        if path.ends_with(".webp") {
            assert_eq!((img.width(), img.height()), (40, 20));
        }
    }
    // auto keeps PNG as PNG and makes JPEG of a JPEG.
    assert!(
        files.iter().filter(|f| f.0.starts_with("processed_images/photo.")).all(|f| f.0.ends_with(".png"))
    );
    assert!(files.iter().any(|f| f.0.starts_with("processed_images/pic.") && f.0.ends_with(".jpg")));
    let fill = files
        .iter()
        .map(|f| image::load_from_memory(&f.1).unwrap())
        .find(|i| (i.width(), i.height()) == (100, 200));
    assert!(fill.is_some(), "the filled image is 100x200");
    // The results are kept on disk for the next build.
    let kept = dir.path().join(".zhibu/processed_images");
    assert_eq!(std::fs::read_dir(&kept).unwrap().count(), 7);
}

#[test]
fn names_and_bytes_are_the_same_on_every_build_and_from_the_caches() {
    let dir = site();
    let first = build(&options(dir.path()), &Silent).unwrap();
    std::fs::remove_dir_all(dir.path().join(".zhibu")).unwrap();
    let fresh = build(&options(dir.path()), &Silent).unwrap();
    assert_eq!(processed(&first), processed(&fresh));
    assert_eq!(index(&first), index(&fresh));
    // From the disk cache.
    let again = build(&options(dir.path()), &Silent).unwrap();
    assert_eq!(processed(&first), processed(&again));
    // Under serve: a rebuild after an edit of the body still has every image.
    let mut cache = Cache::default();
    build_cached(&options(dir.path()), &Silent, &mut cache).unwrap();
    write(dir.path(), "content/_index.md", b"+++\ntitle = \"home\"\n+++\nhello\n");
    let rebuilt = build_cached(&options(dir.path()), &Silent, &mut cache).unwrap();
    assert_eq!(processed(&first), processed(&rebuilt));
}

#[test]
fn a_changed_source_gets_a_new_name() {
    let dir = site();
    let first = build(&options(dir.path()), &Silent).unwrap();
    write(dir.path(), "static/photo.png", image_bytes(300, 381, image::ImageFormat::Png));
    let second = build(&options(dir.path()), &Silent).unwrap();
    let names = |b: &Built| {
        processed(b).into_iter().map(|f| f.0).filter(|n| n.contains("photo.")).collect::<Vec<_>>()
    };
    assert!(names(&first).iter().all(|n| !names(&second).contains(n)));
}

fn error_of(template: &str) -> String {
    let dir = site();
    write(dir.path(), "templates/index.html", template.as_bytes());
    let err = build(&options(dir.path()), &Silent).err().expect("the build fails");
    let listed: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    listed.join("\n")
}

#[test]
fn a_missing_image_or_a_bad_request_fails_the_page_clearly() {
    let err = error_of("hi\n{{ resize_image(path=\"nope.png\", width=10, height=10) }}");
    assert!(err.contains("content/_index.md"), "{err}");
    assert!(err.contains("templates/index.html:2"), "{err}");
    assert!(err.contains("`resize_image`: there is no image `nope.png`"), "{err}");
    assert!(!err.contains("Failed to render"), "only the image's message: {err}");
    let err = error_of("{{ get_image_metadata(path=\"nope.png\") }}");
    assert!(err.contains("`get_image_metadata`: there is no image `nope.png`"), "{err}");
    let err = error_of("{{ resize_image(path=\"photo.png\", width=10, height=10, op=\"crop\") }}");
    assert!(err.contains("there is no op `crop`"), "{err}");
    let err = error_of("{{ resize_image(path=\"photo.png\", width=10, height=10, format=\"avif\") }}");
    assert!(err.contains("cannot write the format `avif`"), "{err}");
    let err = error_of("{{ resize_image(path=\"photo.png\", height=10, op=\"fit_width\") }}");
    assert!(err.contains("op `fit_width` needs a `width`"), "{err}");
    let err = error_of("{{ resize_image(path=\"../x.png\", width=10, height=10) }}");
    assert!(err.contains("outside the site folder"), "{err}");
}

#[test]
fn a_shortcode_resizing_an_image_keeps_it_through_serve_rebuilds() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "templates/shortcodes/figure.html",
        b"{% set s = resize_image(path=src, width=20, height=20) %}<img src=\"{{ s.url }}\" width=\"{{ s.width }}\">",
    );
    write(root, "templates/page.html", b"{{ page.content | safe }}");
    write(root, "content/blog/a.md", b"+++\ntitle = \"a\"\n+++\n{{ figure(src=\"photo.png\") }}\n");
    write(root, "content/blog/b.md", b"+++\ntitle = \"b\"\n+++\nb\n");
    let mut cache = Cache::default();
    let first = build_cached(&options(root), &Silent, &mut cache).unwrap();
    let page = String::from_utf8(bytes(&first, "blog/a/index.html").unwrap()).unwrap();
    assert!(page.contains("/processed_images/photo.") && page.contains("width=\"20\""), "{page}");
    // An edit of another page's body: page a is not rendered again, its image is still made.
    write(root, "content/blog/b.md", b"+++\ntitle = \"b\"\n+++\nbb\n");
    let second = build_cached(&options(root), &Silent, &mut cache).unwrap();
    assert_eq!(processed(&first), processed(&second));
    assert_eq!(processed(&second), processed(&build(&options(root), &Silent).unwrap()));
    // A missing image in a shortcode names the shortcode and the image.
    write(root, "content/blog/b.md", b"+++\ntitle = \"b\"\n+++\n{{ figure(src=\"gone.png\") }}\n");
    let err = build(&options(root), &Silent).err().expect("the build fails");
    let listed: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    let listed = listed.join("\n");
    assert!(listed.contains("content/blog/b.md"), "{listed}");
    assert!(listed.contains("shortcode `figure` failed in templates/shortcodes/figure.html: `resize_image`: there is no image `gone.png`"), "{listed}");
}

#[test]
fn results_no_page_asks_for_leave_the_disk_cache() {
    let dir = site();
    build(&options(dir.path()), &Silent).unwrap();
    write(
        dir.path(),
        "templates/index.html",
        b"{% set s = resize_image(path=\"photo.png\", width=10, height=10) %}{{ s.url }}",
    );
    let built = build(&options(dir.path()), &Silent).unwrap();
    assert_eq!(processed(&built).len(), 1);
    let kept = dir.path().join(".zhibu/processed_images");
    assert_eq!(std::fs::read_dir(&kept).unwrap().count(), 1);
}
