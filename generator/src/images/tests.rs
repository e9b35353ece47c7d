#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use super::*;

/// The size Zola's documentation shows for its 300×380 example.
fn size(op: Op) -> (u32, u32) {
    Plan::new(op, (300, 380)).size((300, 380))
}

#[test]
fn each_op_gives_zolas_size() {
    assert_eq!(size(Op::Scale(150, 150)), (150, 150));
    assert_eq!(size(Op::FitWidth(100)), (100, 126));
    assert_eq!(size(Op::FitHeight(150)), (118, 150));
    assert_eq!(size(Op::Fit(150, 150)), (118, 150));
    assert_eq!(size(Op::Fit(400, 400)), (300, 380), "fit never enlarges");
    assert_eq!(size(Op::Fill(100, 200)), (100, 200));
    // Fill crops around the centre to the target's aspect ratio before resizing.
    let plan = Plan::new(Op::Fill(100, 200), (300, 380));
    assert_eq!(plan.crop, Some((55, 0, 190, 380)));
}

#[test]
fn ops_check_their_arguments() {
    assert_eq!(Op::from_args("fit_width", Some(10), None), Ok(Op::FitWidth(10)));
    assert_eq!(Op::from_args("fit_height", None, Some(10)), Ok(Op::FitHeight(10)));
    assert_eq!(Op::from_args("fill", Some(1), Some(2)), Ok(Op::Fill(1, 2)));
    assert!(
        Op::from_args("fit", Some(10), None).unwrap_err().en().contains("needs a `width` and a `height`")
    );
    assert!(Op::from_args("crop", Some(10), Some(1)).unwrap_err().en().contains("there is no op `crop`"));
}

#[test]
fn auto_format_keeps_png_and_makes_jpeg_of_the_rest() {
    assert_eq!(Format::from_args("auto", None, Some(ImageFormat::Png)), Ok(Format::Png));
    assert_eq!(Format::from_args("auto", None, Some(ImageFormat::Jpeg)), Ok(Format::Jpeg(75)));
    assert_eq!(Format::from_args("auto", None, Some(ImageFormat::WebP)), Ok(Format::Jpeg(75)));
    assert_eq!(Format::from_args("jpeg", Some(90), None), Ok(Format::Jpeg(90)));
    assert_eq!(Format::from_args("webp", None, None), Ok(Format::WebP(None)));
    assert!(Format::from_args("jpg", Some(0), None).is_err());
    assert!(Format::from_args("avif", None, None).unwrap_err().en().contains("`avif`"));
}

#[test]
fn names_are_deterministic_and_follow_the_request() {
    let file = Path::new("/site/static/photo.jpg");
    let a = file_name(file, 1, Op::Fill(10, 10), Format::Jpeg(75));
    assert_eq!(a, file_name(Path::new("/elsewhere/photo.jpg"), 1, Op::Fill(10, 10), Format::Jpeg(75)));
    assert!(a.starts_with("photo.") && a.ends_with(".jpg") && a.len() == "photo.".len() + 16 + 4, "{a}");
    assert_ne!(a, file_name(file, 2, Op::Fill(10, 10), Format::Jpeg(75)));
    assert_ne!(a, file_name(file, 1, Op::Fit(10, 10), Format::Jpeg(75)));
    assert_ne!(a, file_name(file, 1, Op::Fill(10, 10), Format::Jpeg(80)));
}

#[test]
fn paths_are_found_as_zola_finds_them_and_never_outside_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for rel in ["static/a.png", "content/blog/b.png", "themes/t/static/c.png", "d.png"] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), b"x").unwrap();
    }
    let find = |p| find(root, p, Some("t"), "public");
    assert_eq!(find("a.png"), Ok(Some(root.join("static/a.png"))));
    assert_eq!(find("/a.png"), Ok(Some(root.join("static/a.png"))));
    assert_eq!(find("@/blog/b.png"), Ok(Some(root.join("content/blog/b.png"))));
    assert_eq!(find("blog/b.png"), Ok(Some(root.join("content/blog/b.png"))));
    assert_eq!(find("c.png"), Ok(Some(root.join("themes/t/static/c.png"))));
    assert_eq!(find("d.png"), Ok(Some(root.join("d.png"))));
    assert_eq!(find("nope.png"), Ok(None));
    assert_eq!(find("../x.png"), Err(OutsideSite));
}

#[test]
fn svg_sizes_come_from_width_and_height_or_the_view_box() {
    assert_eq!(
        svg_size(
            r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">"#
        ),
        Some((120, 80))
    );
    assert_eq!(svg_size(r#"<svg stroke-width="3" viewBox="0 0 24.5 12" width="100%">"#), Some((24, 12)));
    assert_eq!(svg_size(r#"<svg viewBox='0,0,10,20'>"#), Some((10, 20)));
    assert_eq!(svg_size("<svg>"), None);
    assert_eq!(svg_size("not an svg"), None);
}

#[test]
fn resizing_keeps_the_colour_type_and_lets_no_colour_bleed_from_transparent_pixels() {
    // Left half: transparent, but green in its colour channels; right half: opaque blue.
    let img = image::RgbaImage::from_fn(8, 8, |x, _| {
        if x < 4 { image::Rgba([0, 255, 0, 0]) } else { image::Rgba([0, 0, 255, 255]) }
    });
    let small = resize(&DynamicImage::ImageRgba8(img), 4, 4).unwrap();
    assert_eq!((small.width(), small.height(), small.color()), (4, 4, image::ColorType::Rgba8));
    let edge = small.as_rgba8().unwrap().get_pixel(2, 1).0;
    assert!(edge[3] > 0 && edge[1] == 0, "no green in a pixel beside the transparent half: {edge:?}");
    let gray = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(10, 6, image::Luma([90])));
    let gray = resize(&gray, 5, 3).unwrap();
    assert_eq!(gray.color(), image::ColorType::L8);
    assert!(gray.as_luma8().unwrap().pixels().all(|p| p.0[0] == 90), "a flat image stays flat");
}
