//! Photos of handwritten copies of the Party Constitution, uploaded from phones.
//!
//! [`process`] turns the uploaded bytes into a clean JPEG and a thumbnail:
//!
//! 1. the format is sniffed from the magic bytes ([`sniff`]), never from a file name;
//! 2. the dimensions are read from the file header, *before* anything is decoded, and images of
//!    more than [`MAX_PIXELS`] are refused (decompression bombs); the decoder is then limited to
//!    exactly those dimensions, so it cannot be talked into allocating more;
//! 3. the image is decoded, flattened onto white if it has transparency, downscaled to at most
//!    [`MAX_SIDE`] pixels on the long side, turned upright according to its Exif orientation
//!    (JPEG, and PNG/WebP where the file carries Exif), and re-encoded as a baseline JPEG of
//!    quality [`JPEG_QUALITY`];
//! 4. a thumbnail of at most [`THUMB_SIDE`] pixels on the long side is made from that.
//!
//! The outputs are written from pixels only: no Exif (so no GPS position, camera serial number
//! or capture time), no XMP, no ICC profile, no comments. The only application segment is the
//! encoder's JFIF header.
//!
//! Everything is pure (bytes in, bytes out) and must not panic on any input. The caller limits
//! the upload size (4 MiB).

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::{self, FilterType};
use image::metadata::Orientation;
use image::{
    DynamicImage, GrayImage, ImageBuffer, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, Pixel,
    RgbImage,
};

/// Image formats accepted for uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG (JFIF or Exif), what phone cameras write.
    Jpeg,
    /// PNG, typically screenshots.
    Png,
    /// WebP (lossy, lossless or extended), what some Android apps and browsers write.
    WebP,
}

impl Format {
    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::WebP => ImageFormat::WebP,
        }
    }
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Sniffs the format from the first bytes; None for anything else (including GIF, HEIC, SVG, text).
///
/// Only the magic bytes are looked at: `FF D8 FF` for JPEG, the 8-byte PNG signature, and a RIFF
/// container of type `WEBP`. Whether the rest of the file is valid is for [`process`] to find out.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Some(Format::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else {
        None
    }
}

/// Largest accepted image, in pixels (width × height as written in the file header).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Long side, in pixels, of the processed JPEG; smaller images are not enlarged.
pub const MAX_SIDE: u32 = 2000;
/// Long side, in pixels, of the thumbnail; smaller images are not enlarged.
pub const THUMB_SIDE: u32 = 320;
/// JPEG quality (1–100) of the processed image.
pub const JPEG_QUALITY: u8 = 85;
/// JPEG quality (1–100) of the thumbnail.
pub const THUMB_QUALITY: u8 = 80;

/// Most bytes a decoder may allocate for the decoded image: 40 megapixels of 16-bit RGBA (the
/// deepest PNG), plus some headroom for the decoders' own buffers.
const MAX_DECODE_ALLOC: u64 = MAX_PIXELS * 8 + (64 << 20);

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    /// The bytes are not a JPEG, PNG or WebP file (by their magic bytes).
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// The header announces more than [`MAX_PIXELS`] pixels; nothing was decoded.
    #[error("image of {width}×{height} pixels is over the 40-megapixel limit")]
    TooManyPixels {
        /// Width from the file header.
        width: u32,
        /// Height from the file header.
        height: u32,
    },
    /// The file looks like an image but is truncated, malformed or uses a feature the decoders
    /// do not support (e.g. 12-bit or arithmetic-coded JPEG). The message is the decoder's.
    #[error("the image could not be decoded: {0}")]
    Corrupt(String),
}

/// The result of [`process`].
#[derive(Debug, Clone)]
pub struct Processed {
    /// Upright JPEG, at most [`MAX_SIDE`] pixels on the long side, without metadata.
    pub jpeg: Vec<u8>,
    /// Upright JPEG thumbnail, at most [`THUMB_SIDE`] pixels on the long side, without metadata.
    pub thumb: Vec<u8>,
    /// Width of `jpeg`, in pixels (after orientation).
    pub width: u32,
    /// Height of `jpeg`, in pixels (after orientation).
    pub height: u32,
}

/// Everything above, pure (bytes in, bytes out), no IO.
///
/// Sniffs the format, refuses images of more than [`MAX_PIXELS`] from their header, decodes,
/// downscales to [`MAX_SIDE`], applies the Exif orientation, and re-encodes `jpeg` and `thumb`
/// without any metadata. See the [module documentation](self).
///
/// # Errors
///
/// [`PhotoError::NotAnImage`] if the magic bytes are not those of a JPEG, PNG or WebP file,
/// [`PhotoError::TooManyPixels`] if the header announces too large an image, and
/// [`PhotoError::Corrupt`] if the header cannot be read or the image cannot be decoded.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let (width, height) = header_dimensions(format, bytes)?;
    check_pixels(width, height)?;
    // The decoders are not known to panic on malformed input, but they parse untrusted bytes:
    // should one do so anyway, refuse the upload rather than take the request (or the whole
    // function) down. This only works with `panic = "unwind"`, the default.
    panic::catch_unwind(AssertUnwindSafe(|| decode_and_encode(format, bytes, width, height)))
        .unwrap_or_else(|_| Err(PhotoError::Corrupt("the decoder failed on malformed data".into())))
}

fn check_pixels(width: u32, height: u32) -> Result<(), PhotoError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        Err(PhotoError::TooManyPixels { width, height })
    } else if width == 0 || height == 0 {
        Err(PhotoError::Corrupt(format!("the header gives an empty size of {width}×{height}")))
    } else {
        Ok(())
    }
}

/// Decodes (with the decoder limited to the header's dimensions), then hands over to [`finish`].
fn decode_and_encode(format: Format, bytes: &[u8], width: u32, height: u32) -> Result<Processed, PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    // `sniff` and the image crate agree on every file; should they not, trust neither.
    if reader.format() != Some(format.image_format()) {
        return Err(PhotoError::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);

    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    // The decoder read the header again, possibly differently: check its own reading too.
    let (w, h) = decoder.dimensions();
    check_pixels(w, h)?;
    if decoder.total_bytes() > MAX_DECODE_ALLOC {
        return Err(PhotoError::TooManyPixels { width: w, height: h });
    }
    // A broken Exif block only loses the orientation, not the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    finish(image, orientation)
}

fn decode_error(e: ImageError) -> PhotoError {
    PhotoError::Corrupt(e.to_string())
}

/// Downscales, orients and encodes a decoded image.
fn finish(image: DynamicImage, orientation: Orientation) -> Result<Processed, PhotoError> {
    if is_gray(&image) {
        let gray = flatten_gray(image);
        encode_both(gray, orientation, DynamicImage::ImageLuma8)
    } else {
        let rgb = flatten_rgb(image);
        encode_both(rgb, orientation, DynamicImage::ImageRgb8)
    }
}

fn encode_both<P>(
    image: ImageBuffer<P, Vec<u8>>,
    orientation: Orientation,
    wrap: fn(ImageBuffer<P, Vec<u8>>) -> DynamicImage,
) -> Result<Processed, PhotoError>
where
    P: Pixel<Subpixel = u8> + image::PixelWithColorType + 'static,
{
    // Resizing first and rotating the smaller result is cheaper; the long side does not change.
    let mut main = wrap(downscale(image, MAX_SIDE));
    main.apply_orientation(orientation);
    let (width, height) = (main.width(), main.height());
    let jpeg = encode_jpeg(&main, JPEG_QUALITY)?;
    let thumb = match main {
        DynamicImage::ImageLuma8(buf) => DynamicImage::ImageLuma8(downscale(buf, THUMB_SIDE)),
        other => DynamicImage::ImageRgb8(downscale(other.into_rgb8(), THUMB_SIDE)),
    };
    let thumb = encode_jpeg(&thumb, THUMB_QUALITY)?;
    Ok(Processed { jpeg, thumb, width, height })
}

fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(image.as_bytes().len() / 8);
    // Only pixels go in: the encoder writes SOI, a JFIF APP0, tables, frame, scan and EOI.
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .map_err(|e| PhotoError::Corrupt(format!("re-encoding failed: {e}")))?;
    Ok(out)
}

fn is_gray(image: &DynamicImage) -> bool {
    matches!(
        image,
        DynamicImage::ImageLuma8(_)
            | DynamicImage::ImageLumaA8(_)
            | DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_)
    )
}

/// Composites `value` with coverage `alpha` over white.
fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    // (v·a + 255·(255 − a)) / 255, rounded; always ≤ 255.
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

/// 8-bit RGB, transparent areas on white (screenshots and stickers with alpha would turn black).
fn flatten_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let data = rgba
        .as_raw()
        .chunks_exact(4)
        .flat_map(|p| [over_white(p[0], p[3]), over_white(p[1], p[3]), over_white(p[2], p[3])])
        .collect();
    RgbImage::from_raw(w, h, data).unwrap_or_else(|| RgbImage::new(w, h))
}

/// 8-bit gray, transparent areas on white.
fn flatten_gray(image: DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return image.into_luma8();
    }
    let la = image.into_luma_alpha8();
    let (w, h) = la.dimensions();
    let data = la.as_raw().chunks_exact(2).map(|p| over_white(p[0], p[1])).collect();
    GrayImage::from_raw(w, h, data).unwrap_or_else(|| GrayImage::new(w, h))
}

/// Size of `(width, height)` scaled so the long side is at most `max_side` (never enlarged, never
/// below one pixel).
fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side || long == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(max_side).clamp(1, max_side)
    };
    (scale(width), scale(height))
}

/// Downscales to at most `max_side` on the long side: halves with a 2×2 box filter while the
/// image stays at least twice the target (fast, and as good as any filter for exact halving),
/// then resamples the rest of the way with a triangle filter ([`resample`]).
fn downscale<P>(mut image: ImageBuffer<P, Vec<u8>>, max_side: u32) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let (target_w, target_h) = fit(image.width(), image.height(), max_side);
    while image.width() / 2 >= target_w && image.height() / 2 >= target_h {
        let (w, h) = (image.width(), image.height());
        let data = match P::CHANNEL_COUNT {
            1 => halve::<1>(image.as_raw(), w, h),
            3 => halve::<3>(image.as_raw(), w, h),
            _ => break,
        };
        image = match ImageBuffer::from_raw(w / 2, h / 2, data) {
            Some(half) => half,
            None => break,
        };
    }
    if image.dimensions() == (target_w, target_h) {
        return image;
    }
    let (w, h) = image.dimensions();
    let data = match P::CHANNEL_COUNT {
        1 => resample::<1>(image.as_raw(), w, h, target_w, target_h),
        3 => resample::<3>(image.as_raw(), w, h, target_w, target_h),
        _ => None,
    };
    match data.and_then(|data| ImageBuffer::from_raw(target_w, target_h, data)) {
        Some(resized) => resized,
        // Not reached with the gray and RGB buffers used here; the library's resize is slower.
        None => imageops::resize(&image, target_w, target_h, FilterType::Triangle),
    }
}

/// Halves both sides of a `C`-channel 8-bit image with a 2×2 box filter (an odd last row or
/// column is dropped).
fn halve<const C: usize>(src: &[u8], width: u32, height: u32) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let (half_w, half_h) = (w / 2, h / 2);
    let stride = w * C;
    let mut out = Vec::with_capacity(half_w * half_h * C);
    if stride == 0 {
        return out;
    }
    for rows in src.chunks_exact(2 * stride).take(half_h) {
        let (top, bottom) = rows.split_at(stride);
        for (a, b) in top.chunks_exact(2 * C).zip(bottom.chunks_exact(2 * C)).take(half_w) {
            for c in 0..C {
                let sum = u16::from(a[c]) + u16::from(a[C + c]) + u16::from(b[c]) + u16::from(b[C + c]);
                out.push(((sum + 2) >> 2) as u8);
            }
        }
    }
    out
}

/// Fixed-point precision of the resampling weights (they sum to `1 << WEIGHT_BITS`).
const WEIGHT_BITS: u32 = 14;

/// Resampling weights along one axis: output `i` is the weighted sum of the `taps` inputs from
/// `starts[i]`, with weights `weights[i * taps ..][.. taps]`.
struct AxisWeights {
    taps: usize,
    starts: Vec<usize>,
    weights: Vec<i32>,
}

/// Triangle-filter weights to go from `src` to `dst` samples (`dst <= src`), the filter
/// stretched by the ratio so that every input contributes (like `FilterType::Triangle`).
fn axis_weights(src: usize, dst: usize) -> AxisWeights {
    let ratio = src as f64 / dst as f64;
    let support = ratio.max(1.0);
    let taps = ((2.0 * support).ceil() as usize + 1).min(src).max(1);
    let mut starts = Vec::with_capacity(dst);
    let mut weights = vec![0; dst * taps];
    let one = 1i32 << WEIGHT_BITS;
    for (i, row) in weights.chunks_exact_mut(taps).enumerate() {
        let center = (i as f64 + 0.5) * ratio;
        let first = ((center - support).floor().max(0.0) as usize).min(src.saturating_sub(taps));
        starts.push(first);
        let raw: Vec<f64> = (first..first + taps)
            .map(|j| {
                let w = 1.0 - ((j as f64 + 0.5 - center) / support).abs();
                if j < src { w.max(0.0) } else { 0.0 }
            })
            .collect();
        let total: f64 = raw.iter().sum();
        if total <= 0.0 {
            // Cannot happen for dst <= src; fall back to the nearest sample.
            row[0] = one;
            continue;
        }
        for (out, w) in row.iter_mut().zip(&raw) {
            *out = (w / total * f64::from(one)).round() as i32;
        }
        // Put the rounding error on the largest weight so that flat areas stay exactly flat.
        let error = one - row.iter().sum::<i32>();
        if let Some(max) = row.iter_mut().max_by_key(|w| **w) {
            *max += error;
        }
    }
    AxisWeights { taps, starts, weights }
}

fn to_u8(acc: i32) -> u8 {
    ((acc + (1 << (WEIGHT_BITS - 1))) >> WEIGHT_BITS).clamp(0, 255) as u8
}

/// Resizes a `C`-channel 8-bit image down to `dst_w`×`dst_h` with a separable triangle filter in
/// fixed point (several times faster than `imageops::resize` on u8 images). `None` if the sizes
/// do not fit the buffer or the image would grow.
fn resample<const C: usize>(src: &[u8], src_w: u32, src_h: u32, dst_w: u32, dst_h: u32) -> Option<Vec<u8>> {
    let (sw, sh, dw, dh) = (src_w as usize, src_h as usize, dst_w as usize, dst_h as usize);
    if src.len() != sw.checked_mul(sh)?.checked_mul(C)? || dw == 0 || dh == 0 || dw > sw || dh > sh {
        return None;
    }
    // Horizontal pass: sh rows of dw pixels.
    let xs = axis_weights(sw, dw);
    let mut wide = Vec::with_capacity(sh * dw * C);
    for row in src.chunks_exact(sw * C) {
        for (&start, weights) in xs.starts.iter().zip(xs.weights.chunks_exact(xs.taps)) {
            let pixels = row.get(start * C..(start + xs.taps) * C)?;
            let mut acc = [0i32; C];
            for (pixel, &w) in pixels.chunks_exact(C).zip(weights) {
                for c in 0..C {
                    acc[c] += w * i32::from(pixel[c]);
                }
            }
            wide.extend(acc.map(to_u8));
        }
    }
    // Vertical pass: whole rows at a time, which the compiler vectorises.
    let ys = axis_weights(sh, dh);
    let stride = dw * C;
    let mut out = Vec::with_capacity(dh * stride);
    let mut acc = vec![0i32; stride];
    for (&start, weights) in ys.starts.iter().zip(ys.weights.chunks_exact(ys.taps)) {
        acc.fill(0);
        for (k, &w) in weights.iter().enumerate() {
            if w == 0 {
                continue;
            }
            let row = wide.get((start + k) * stride..(start + k + 1) * stride)?;
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += w * i32::from(v);
            }
        }
        out.extend(acc.iter().map(|&a| to_u8(a)));
    }
    Some(out)
}

/// Reads the pixel dimensions from the file header without decoding anything.
fn header_dimensions(format: Format, bytes: &[u8]) -> Result<(u32, u32), PhotoError> {
    let dims = match format {
        Format::Jpeg => jpeg_dimensions(bytes),
        Format::Png => png_dimensions(bytes),
        Format::WebP => webp_dimensions(bytes),
    };
    dims.ok_or_else(|| PhotoError::Corrupt("the header is truncated or malformed".into()))
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u32::from(u16::from_be_bytes([b[0], b[1]])))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn le16(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(3)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], 0]))
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// PNG: the first chunk must be IHDR, width and height big-endian at offsets 16 and 20.
fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be32(bytes, 16)?, be32(bytes, 20)?))
}

/// JPEG: walks the marker segments up to the first frame header (SOF0–SOF15, except DHT, JPG
/// and DAC which share the range); segments such as APP1 (which may hold an Exif thumbnail with
/// its own SOF) are skipped by their length.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2; // after SOI
    loop {
        // Tolerate junk between segments, as decoders do, and fill bytes (FF FF …).
        while *bytes.get(at)? != 0xFF {
            at += 1;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            // TEM, RSTn, SOI: no length.
            0x01 | 0xD0..=0xD8 => {}
            // Start of scan or end of image before any frame header.
            0xD9 | 0xDA => return None,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                // length (2), precision (1), height (2), width (2)
                let height = be16(bytes, at + 3)?;
                let width = be16(bytes, at + 5)?;
                return Some((width, height));
            }
            _ => {
                let length = be16(bytes, at)? as usize;
                if length < 2 {
                    return None;
                }
                at += length;
            }
        }
    }
}

/// WebP: the first chunk after `RIFF····WEBP` is VP8X (canvas size, 24-bit, minus one), VP8L
/// (14-bit sizes, minus one, after the 0x2F signature) or VP8 (14-bit sizes after the key-frame
/// start code 9D 01 2A).
fn webp_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let data = 20;
    match bytes.get(12..16)? {
        b"VP8X" => Some((le24(bytes, data + 4)? + 1, le24(bytes, data + 7)? + 1)),
        b"VP8L" => {
            if *bytes.get(data)? != 0x2F {
                return None;
            }
            let bits = le32(bytes, data + 1)?;
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8 " => {
            if bytes.get(data + 3..data + 6)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((le16(bytes, data + 6)? & 0x3FFF, le16(bytes, data + 8)? & 0x3FFF))
        }
        _ => None,
    }
}
