//! Zola's image processing: `resize_image` and `get_image_metadata`.
//!
//! A template's `resize_image` only records what to make and answers at once with the size the
//! result will have, read from the source's header (the pixels are not decoded then). Once every
//! output is rendered, [`Images::process`] decodes, resizes and encodes the recorded images in
//! parallel; they join the build's files under `processed_images/`. A result's name is the
//! source's file stem, a hash of the source's bytes and of the operation, and the format's
//! extension, so the same request gives the same name on every build and machine, and a result
//! once made can be reused: from memory under `zhibu serve` (the build cache) and from
//! `.zhibu/processed_images/` of the site.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::messages::{self, Text};

/// The output folder of resized images, as in Zola.
pub const SUBDIR: &str = "processed_images";

/// What `resize_image` does, as Zola defines each op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Exactly `width`×`height`, whatever the aspect ratio.
    Scale(u32, u32),
    /// `width` wide, the height keeping the aspect ratio.
    FitWidth(u32),
    /// `height` high, the width keeping the aspect ratio.
    FitHeight(u32),
    /// Within `width`×`height`, keeping the aspect ratio; never enlarged.
    Fit(u32, u32),
    /// Exactly `width`×`height`, cropped around the centre to keep the aspect ratio.
    Fill(u32, u32),
}

impl Op {
    pub fn from_args(op: &str, width: Option<u32>, height: Option<u32>) -> Result<Op, Text> {
        let both = |f: fn(u32, u32) -> Op| match (width, height) {
            (Some(w), Some(h)) => Ok(f(w, h)),
            _ => Err(messages::image_op_needs(op, "width and height")),
        };
        match op {
            "scale" => both(Op::Scale),
            "fit" => both(Op::Fit),
            "fill" => both(Op::Fill),
            "fit_width" => width.map(Op::FitWidth).ok_or_else(|| messages::image_op_needs(op, "width")),
            "fit_height" => height.map(Op::FitHeight).ok_or_else(|| messages::image_op_needs(op, "height")),
            _ => Err(messages::image_bad_op(op)),
        }
    }

    fn key(&self) -> String {
        match self {
            Op::Scale(w, h) => format!("scale:{w}x{h}"),
            Op::FitWidth(w) => format!("fit_width:{w}"),
            Op::FitHeight(h) => format!("fit_height:{h}"),
            Op::Fit(w, h) => format!("fit:{w}x{h}"),
            Op::Fill(w, h) => format!("fill:{w}x{h}"),
        }
    }
}

/// What to do to the source's pixels: crop (x, y, w, h) first, then resize to (w, h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Plan {
    pub crop: Option<(u32, u32, u32, u32)>,
    pub resize: Option<(u32, u32)>,
}

impl Plan {
    /// The plan of `op` for a source of `(w, h)` (after its EXIF orientation), as Zola's.
    pub fn new(op: Op, (w, h): (u32, u32)) -> Plan {
        let resize = |size| Plan { crop: None, resize: Some(size) };
        let (ow, oh) = (w.max(1) as u64, h.max(1) as u64);
        match op {
            Op::Scale(tw, th) => resize((tw, th)),
            Op::FitWidth(tw) => resize((tw, (oh * tw as u64 / ow) as u32)),
            Op::FitHeight(th) => resize(((ow * th as u64 / oh) as u32, th)),
            Op::Fit(tw, th) => {
                if w <= tw && h <= th {
                    Plan::default()
                } else if ow * th as u64 > oh * tw as u64 {
                    Plan::new(Op::FitWidth(tw), (w, h))
                } else {
                    Plan::new(Op::FitHeight(th), (w, h))
                }
            }
            Op::Fill(tw, th) => {
                let fw = w as f32 / tw.max(1) as f32;
                let fh = h as f32 / th.max(1) as f32;
                if (fw - fh).abs() <= 0.1 {
                    return resize((tw, th));
                }
                let (cw, ch) = if fw < fh {
                    (w, (fw * th as f32).round() as u32)
                } else {
                    ((fh * tw as f32).round() as u32, h)
                };
                let (cw, ch) = (cw.min(w), ch.min(h));
                Plan { crop: Some(((w - cw) / 2, (h - ch) / 2, cw, ch)), resize: Some((tw, th)) }
            }
        }
    }

    /// The size of the result for a source of `size`.
    pub fn size(&self, size: (u32, u32)) -> (u32, u32) {
        self.resize.or(self.crop.map(|(_, _, w, h)| (w, h))).unwrap_or(size)
    }
}

/// The format a result is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg(u8),
    Png,
    /// Always lossless (the encoder zhibu uses has no lossy WebP); the quality is only checked.
    WebP(Option<u8>),
}

impl Format {
    /// As Zola: `auto` is PNG for a lossless source (PNG, BMP, TIFF, ...), JPEG otherwise.
    pub fn from_args(
        format: &str,
        quality: Option<u64>,
        source: Option<ImageFormat>,
    ) -> Result<Format, Text> {
        let lossless = matches!(
            source,
            Some(
                ImageFormat::Png
                    | ImageFormat::Pnm
                    | ImageFormat::Tiff
                    | ImageFormat::Tga
                    | ImageFormat::Bmp
                    | ImageFormat::Ico
                    | ImageFormat::Hdr
                    | ImageFormat::Farbfeld
            )
        );
        let chosen = match format {
            "auto" if lossless => "png",
            "auto" => "jpg",
            other => other,
        };
        match chosen {
            "jpg" | "jpeg" => match quality.unwrap_or(75) {
                q @ 1..=100 => Ok(Format::Jpeg(q as u8)),
                q => Err(messages::image_bad_quality("JPEG", q, 1, 100)),
            },
            "png" => Ok(Format::Png),
            "webp" => match quality {
                None => Ok(Format::WebP(None)),
                Some(q @ 0..=100) => Ok(Format::WebP(Some(q as u8))),
                Some(q) => Err(messages::image_bad_quality("WebP", q, 0, 100)),
            },
            _ => Err(messages::image_bad_format(format)),
        }
    }

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Jpeg(_) => "jpg",
            Format::Png => "png",
            Format::WebP(_) => "webp",
        }
    }

    fn key(&self) -> String {
        match self {
            Format::Jpeg(q) => format!("jpg:{q}"),
            Format::Png => "png".into(),
            Format::WebP(q) => format!("webp:{q:?}"),
        }
    }
}

/// What the header of a source says.
#[derive(Debug, Clone)]
pub struct Source {
    /// Of the file's bytes.
    pub hash: u64,
    /// After the EXIF orientation, as the image is seen.
    pub size: (u32, u32),
    pub format: Option<ImageFormat>,
}

/// Reads the size and format of an image from its header, without decoding its pixels.
pub fn read_header(bytes: &[u8]) -> Result<Source, String> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let format = reader.format();
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    let size = match decoder.orientation() {
        Ok(
            image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH,
        ) => (h, w),
        _ => (w, h),
    };
    Ok(Source { hash: xxhash_rust::xxh3::xxh3_64(bytes), size, format })
}

/// `{width, height, format, mime}` of `get_image_metadata`, as Zola gives them.
pub fn metadata_value(source: &Source) -> Value {
    json!({
        "width": source.size.0,
        "height": source.size.1,
        "format": source.format.and_then(|f| f.extensions_str().first().copied()),
        "mime": source.format.map(|f| f.to_mime_type()),
    })
}

/// The size of an SVG image as Zola's `get_image_metadata` gives it: its root's `width` and
/// `height` when both are plain numbers (or pixels), else its `viewBox`'s.
pub fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start + 4..];
    let tag = &tag[..tag.find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let mut rest = tag;
        loop {
            let at = rest.find(name)?;
            let before = rest[..at].chars().next_back();
            let after = rest[at + name.len()..].trim_start();
            rest = &rest[at + name.len()..];
            if before.is_some_and(char::is_whitespace) && after.starts_with('=') {
                let value = after[1..].trim_start();
                let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                let value = &value[1..];
                return Some(&value[..value.find(quote)?]);
            }
        }
    };
    let number = |v: &str| v.trim().trim_end_matches("px").trim().parse::<f64>().ok().filter(|n| *n >= 0.0);
    if let (Some(w), Some(h)) = (attr("width").and_then(number), attr("height").and_then(number)) {
        return Some((w as u32, h as u32));
    }
    let view_box: Vec<f64> = attr("viewBox")?
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match view_box[..] {
        [_, _, w, h] if w >= 0.0 && h >= 0.0 => Some((w as u32, h as u32)),
        _ => None,
    }
}

/// One recorded resize.
#[derive(Debug, Clone)]
pub struct Job {
    pub file: PathBuf,
    /// The path as the template gave it, for messages.
    pub asked: String,
    pub plan: Plan,
    pub format: Format,
}

/// The name of the result of `op` and `format` on a source of `hash` named `file`.
pub fn file_name(file: &Path, hash: u64, op: Op, format: Format) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&hash.to_le_bytes());
    h.update(op.key().as_bytes());
    h.update(&[0]);
    h.update(format.key().as_bytes());
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "image".into());
    format!("{stem}.{:016x}.{}", h.digest(), format.extension())
}

/// A path that leads out of the site folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideSite;

/// Finds `path` as Zola's `search_for_file` does: `@/` means `content/`, a leading `/` is
/// dropped; then the site folder, `static/`, `content/`, the output folder and the theme's
/// `static/`, in that order. A path with `..` is refused.
pub fn find(
    root: &Path,
    path: &str,
    theme: Option<&str>,
    output_dir: &str,
) -> Result<Option<PathBuf>, OutsideSite> {
    let rel = match path.strip_prefix("@/") {
        Some(rest) => format!("content/{rest}"),
        None => path.trim_start_matches('/').to_string(),
    };
    if Path::new(&rel).components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(OutsideSite);
    }
    let mut dirs = vec![root.to_path_buf(), root.join("static"), root.join("content"), root.join(output_dir)];
    if let Some(t) = theme {
        dirs.push(root.join("themes").join(t).join("static"));
    }
    Ok(dirs.into_iter().map(|d| d.join(&rel)).find(|p| p.is_file()))
}

/// The resizes recorded while rendering, and the headers read so far.
#[derive(Default)]
pub struct Images {
    jobs: Mutex<BTreeMap<String, Job>>,
    sources: Mutex<HashMap<PathBuf, Arc<Source>>>,
}

/// A result made (or taken from a cache), by name, or why it could not be.
type Made = Result<(String, Arc<Vec<u8>>), Text>;

/// What [`Images::process`] made.
pub struct Processed {
    /// Path under the output folder, bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Every result by name, for the next build under `serve`.
    pub memo: Memo,
    /// One per image that could not be made.
    pub problems: Vec<Text>,
}

/// The memory `zhibu serve` keeps between builds: result name → bytes.
pub type Memo = HashMap<String, Arc<Vec<u8>>>;

impl Images {
    /// The header of the image at `file`, read once per build.
    pub fn source(&self, file: &Path) -> Result<Arc<Source>, String> {
        if let Some(s) = self.sources.lock().map_err(|e| e.to_string())?.get(file) {
            return Ok(s.clone());
        }
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let source = Arc::new(read_header(&bytes)?);
        if let Ok(mut m) = self.sources.lock() {
            m.insert(file.to_path_buf(), source.clone());
        }
        Ok(source)
    }

    /// Records a resize and returns its name and plan.
    pub fn enqueue(
        &self,
        file: &Path,
        asked: &str,
        op: Op,
        format: Format,
        source: &Source,
    ) -> (String, Plan) {
        let name = file_name(file, source.hash, op, format);
        let plan = Plan::new(op, source.size);
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.entry(name.clone()).or_insert_with(|| Job {
                file: file.to_path_buf(),
                asked: asked.to_string(),
                plan,
                format,
            });
        }
        (name, plan)
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.lock().map(|j| j.is_empty()).unwrap_or(true)
    }

    /// Makes every recorded resize, in parallel: each from `memo` when it holds the name, else
    /// from `disk` (a folder of earlier results, e.g. `.zhibu/processed_images`) when it has the
    /// file, else decoded, resized and encoded (and written to `disk`, when given; files of `disk` no
    /// request asks for are removed). Returns the
    /// outputs (path under the output folder, bytes), the new memo and a problem per image that could not be made.
    pub fn process(&self, memo: Option<&Memo>, disk: Option<&Path>) -> Processed {
        let jobs: Vec<(String, Job)> = self
            .jobs
            .lock()
            .map(|j| j.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        if let Some(d) = disk {
            let _ = std::fs::create_dir_all(d);
        }
        let results: Vec<Made> = jobs
            .par_iter()
            .map(|(name, job)| {
                if let Some(bytes) = memo.and_then(|m| m.get(name)) {
                    return Ok((name.clone(), bytes.clone()));
                }
                if let Some(bytes) = disk.and_then(|d| std::fs::read(d.join(name)).ok()) {
                    return Ok((name.clone(), Arc::new(bytes)));
                }
                let bytes = make(job)
                    .map_err(|e| messages::image_process_failed(&job.file.display().to_string(), &e))?;
                if let Some(d) = disk {
                    // Written beside, then renamed: a half-written file is never taken as made.
                    let tmp = d.join(format!("{name}.zhibu-tmp"));
                    if std::fs::write(&tmp, &bytes).is_ok() {
                        let _ = std::fs::rename(&tmp, d.join(name));
                    }
                }
                Ok((name.clone(), Arc::new(bytes)))
            })
            .collect();
        let mut files = Vec::new();
        let mut new_memo = Memo::new();
        let mut problems = Vec::new();
        for r in results {
            match r {
                Ok((name, bytes)) => {
                    files.push((format!("{SUBDIR}/{name}"), bytes.to_vec()));
                    new_memo.insert(name, bytes);
                }
                Err(p) => problems.push(p),
            }
        }
        // Results no request asks for any more leave the disk, as Zola prunes its own.
        if let (Some(d), true) = (disk, problems.is_empty()) {
            for entry in std::fs::read_dir(d).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !new_memo.contains_key(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Processed { files, memo: new_memo, problems }
    }
}

/// Decodes, orients, crops, resizes and encodes one image.
pub fn make(job: &Job) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(&job.file).map_err(|e| e.to_string())?;
    let reader = ImageReader::new(Cursor::new(&bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    if let Some((x, y, w, h)) = job.plan.crop {
        img = img.crop_imm(x, y, w, h);
    }
    if let Some((w, h)) = job.plan.resize {
        img = resize(&img, w.max(1), h.max(1))?;
    }
    let mut out = Cursor::new(Vec::new());
    let result = match job.format {
        Format::Jpeg(q) => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q))
        }
        Format::Png => img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)),
        Format::WebP(_) => {
            let img = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out))
        }
    };
    result.map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// `img` resized to `w`×`h` with Lanczos3, as Zola resizes (fast_image_resize's SIMD
/// convolution; colours with alpha are weighted by it, so transparent pixels bleed no colour).
fn resize(img: &DynamicImage, w: u32, h: u32) -> Result<DynamicImage, String> {
    use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
    let mut resized = DynamicImage::new(w, h, img.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(img, &mut resized, &options).map_err(|e| e.to_string())?;
    Ok(resized)
}

#[cfg(test)]
mod tests;
