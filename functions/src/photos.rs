//! Photos of handwritten copies of the Party Constitution, uploaded from phones.
//!
//! [`process`] turns the uploaded bytes into a clean JPEG and a thumbnail:
//!
//! 1. the format is sniffed from the magic bytes ([`sniff`]), never from a file name;
//! 2. the dimensions are read from the file header, *before* anything is decoded, and images of
//!    more than [`MAX_PIXELS`] are refused (decompression bombs); the decoder is then limited to
//!    exactly those dimensions, so it cannot be talked into allocating more;
//! 3. a JPEG without its end-of-image marker (an upload cut short) is refused rather than
//!    decoded with a grey bottom;
//! 4. the image is decoded, flattened onto white if it has transparency, downscaled to at most
//!    [`MAX_SIDE`] pixels on the long side, turned upright according to its Exif orientation
//!    (JPEG, and PNG/WebP where the file carries Exif), and re-encoded as a baseline JPEG of
//!    quality [`JPEG_QUALITY`];
//! 5. a thumbnail of at most [`THUMB_SIDE`] pixels on the long side is made from that.
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
    PixelWithColorType, RgbImage,
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
    if format == Format::Jpeg && !jpeg_has_end(bytes) {
        // The JPEG decoder would fill the missing part with grey; better ask for the photo again.
        return Err(PhotoError::Corrupt("the JPEG is truncated (no end-of-image marker)".into()));
    }
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
        encode_both(flatten_gray(image), orientation)
    } else {
        encode_both(flatten_rgb(image), orientation)
    }
}

fn encode_both<P>(image: ImageBuffer<P, Vec<u8>>, orientation: Orientation) -> Result<Processed, PhotoError>
where
    P: Pixel<Subpixel = u8> + PixelWithColorType + 'static,
{
    // Resizing first and turning the smaller result is cheaper; the long side is the same.
    let main = orient(downscale(image, MAX_SIDE), orientation);
    let jpeg = encode_jpeg(&main, JPEG_QUALITY)?;
    let (width, height) = main.dimensions();
    let thumb = encode_jpeg(&downscale(main, THUMB_SIDE), THUMB_QUALITY)?;
    Ok(Processed { jpeg, thumb, width, height })
}

/// Turns the image upright (what `DynamicImage::apply_orientation` does, on a typed buffer).
fn orient<P>(image: ImageBuffer<P, Vec<u8>>, orientation: Orientation) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    match orientation {
        Orientation::NoTransforms => image,
        Orientation::Rotate90 => imageops::rotate90(&image),
        Orientation::Rotate180 => imageops::rotate180(&image),
        Orientation::Rotate270 => imageops::rotate270(&image),
        Orientation::FlipHorizontal => imageops::flip_horizontal(&image),
        Orientation::FlipVertical => imageops::flip_vertical(&image),
        Orientation::Rotate90FlipH => imageops::flip_horizontal(&imageops::rotate90(&image)),
        Orientation::Rotate270FlipH => imageops::flip_horizontal(&imageops::rotate270(&image)),
    }
}

/// Encodes gray or RGB pixels as a baseline JPEG. Only pixels go in: the encoder writes SOI, a
/// JFIF APP0, tables, frame, scan and EOI, and no Exif, XMP, ICC profile or comment.
fn encode_jpeg<P>(image: &ImageBuffer<P, Vec<u8>>, quality: u8) -> Result<Vec<u8>, PhotoError>
where
    P: Pixel<Subpixel = u8> + PixelWithColorType + 'static,
{
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
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
    jpeg_frame(bytes).map(|(width, height, _)| (width, height))
}

/// Width, height and offset of the first frame header (see [`jpeg_dimensions`]).
fn jpeg_frame(bytes: &[u8]) -> Option<(u32, u32, usize)> {
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
                return Some((width, height, at));
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

/// Whether a JPEG has an end-of-image marker (FF D9) after its frame header. Cameras always
/// write one; an upload cut short does not have it. (Searched from the end: data appended after
/// the image, such as the video of a "motion photo", may follow it.)
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let frame = jpeg_frame(bytes).map_or(bytes.len(), |(_, _, at)| at);
    bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]).is_some_and(|eoi| eoi > frame)
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use image::codecs::webp::WebPEncoder;
    use image::{GenericImageView, Rgb, Rgba, RgbaImage};

    // ---- inputs, generated in code ----

    /// A colourful image that does not compress to nothing: gradients plus a checker pattern.
    fn pattern(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let checker = if (x / 8 + y / 8) % 2 == 0 { 30 } else { 0 };
            Rgb([(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 100 + checker])
        })
    }

    /// Left half red, right half blue: shows which way an image was turned.
    fn red_left_blue_right(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(
            width,
            height,
            |x, _| if x < width / 2 { Rgb([220, 20, 20]) } else { Rgb([20, 20, 220]) },
        )
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(image).unwrap();
        out
    }

    fn png(image: &DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn webp(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        image.write_with_encoder(WebPEncoder::new_lossless(&mut out)).unwrap();
        out
    }

    /// A big-endian TIFF structure as found in Exif: IFD0 with Orientation and, optionally, a
    /// pointer to a GPS IFD with latitude, longitude and map datum ("WGS-84").
    fn exif_tiff(orientation: u16, with_gps: bool) -> Vec<u8> {
        fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
            out.extend_from_slice(&tag.to_be_bytes());
            out.extend_from_slice(&kind.to_be_bytes());
            out.extend_from_slice(&count.to_be_bytes());
            out.extend_from_slice(&value);
        }
        const SHORT: u16 = 3;
        const LONG: u16 = 4;
        const ASCII: u16 = 2;
        const RATIONAL: u16 = 5;
        let mut t = b"MM\0\x2A\0\0\0\x08".to_vec();
        let ifd0_entries: u16 = if with_gps { 2 } else { 1 };
        let gps_ifd = 8 + 2 + 12 * u32::from(ifd0_entries) + 4;
        t.extend_from_slice(&ifd0_entries.to_be_bytes());
        let o = orientation.to_be_bytes();
        entry(&mut t, 0x0112, SHORT, 1, [o[0], o[1], 0, 0]);
        if with_gps {
            entry(&mut t, 0x8825, LONG, 1, gps_ifd.to_be_bytes());
        }
        t.extend_from_slice(&0u32.to_be_bytes()); // no IFD1
        if with_gps {
            assert_eq!(t.len() as u32, gps_ifd);
            let entries = 5u16;
            let data = gps_ifd + 2 + 12 * u32::from(entries) + 4;
            let (latitude, longitude, datum) = (data, data + 24, data + 48);
            t.extend_from_slice(&entries.to_be_bytes());
            entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
            entry(&mut t, 0x0002, RATIONAL, 3, latitude.to_be_bytes());
            entry(&mut t, 0x0003, ASCII, 2, *b"E\0\0\0");
            entry(&mut t, 0x0004, RATIONAL, 3, longitude.to_be_bytes());
            entry(&mut t, 0x0012, ASCII, 7, datum.to_be_bytes());
            t.extend_from_slice(&0u32.to_be_bytes());
            for (num, den) in [(39, 1), (54, 1), (2712, 100), (116, 1), (23, 1), (1704, 100)] {
                t.extend_from_slice(&u32::to_be_bytes(num));
                t.extend_from_slice(&u32::to_be_bytes(den));
            }
            t.extend_from_slice(b"WGS-84\0");
        }
        t
    }

    /// Inserts an APP1 Exif segment right after SOI, as cameras write it.
    fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
        let length = u16::try_from(2 + 6 + tiff.len()).unwrap();
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(b"Exif\0\0");
        out.extend_from_slice(tiff);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[4..]);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    /// The APPn markers (0xE0–0xEF) among a JPEG's segments before the first scan.
    fn app_markers(jpeg: &[u8]) -> Vec<u8> {
        let mut markers = Vec::new();
        let mut at = 2;
        while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
            let marker = jpeg[at + 1];
            if marker == 0xDA {
                break;
            }
            if (0xE0..=0xEF).contains(&marker) {
                markers.push(marker);
            }
            at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        }
        markers
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn decode(jpeg: &[u8]) -> DynamicImage {
        assert_eq!(sniff(jpeg), Some(Format::Jpeg));
        image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).unwrap()
    }

    fn is_reddish(p: Rgb<u8>) -> bool {
        p[0] > 150 && p[2] < 100
    }

    fn is_bluish(p: Rgb<u8>) -> bool {
        p[2] > 150 && p[0] < 100
    }

    // ---- sniffing ----

    #[test]
    fn sniff_recognises_jpeg_png_and_webp_by_their_magic_bytes() {
        let image = pattern(16, 16);
        assert_eq!(sniff(&jpeg(&image)), Some(Format::Jpeg));
        assert_eq!(sniff(&png(&DynamicImage::ImageRgb8(image.clone()))), Some(Format::Png));
        assert_eq!(sniff(&webp(&image)), Some(Format::WebP));
        // Only the magic bytes count, not what follows.
        assert_eq!(sniff(b"\xFF\xD8\xFF"), Some(Format::Jpeg));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBP"), Some(Format::WebP));
    }

    #[test]
    fn sniff_rejects_gif_heic_svg_text_and_empty_input() {
        let rejected: [&[u8]; 10] = [
            b"",
            b"\xFF",
            b"\xFF\xD8",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "我抄写了党章第一章。".as_bytes(),
            b"RIFF\0\0\0\0WAVEfmt ",
            b"\x89PNG\r\n",
            b"BM\x36\0\0\0",
        ];
        for bytes in rejected {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
            assert_eq!(process(bytes).unwrap_err(), PhotoError::NotAnImage, "{bytes:?}");
        }
    }

    // ---- processing ----

    #[test]
    fn a_png_is_processed_into_a_jpeg_by_its_content_alone() {
        let out = process(&png(&DynamicImage::ImageRgb8(pattern(300, 200)))).unwrap();
        assert_eq!((out.width, out.height), (300, 200));
        assert_eq!(decode(&out.jpeg).dimensions(), (300, 200));
        assert_eq!(decode(&out.thumb).dimensions(), (300, 200));
    }

    #[test]
    fn a_webp_is_processed_into_a_jpeg() {
        let out = process(&webp(&pattern(640, 480))).unwrap();
        assert_eq!((out.width, out.height), (640, 480));
        assert_eq!(decode(&out.thumb).dimensions(), (320, 240));
    }

    #[test]
    fn a_lossy_webp_is_processed_into_a_jpeg() {
        // A 2×2 red lossy (VP8) WebP written by ImageMagick (`convert -size 2x2 xc:#f00`), the
        // same bytes as in image-webp's own tests; the image crate only encodes lossless WebP.
        let bytes = [
            0x52, 0x49, 0x46, 0x46, 0x3c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20,
            0x30, 0x00, 0x00, 0x00, 0xd0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x02, 0x00, 0x02, 0x00, 0x02, 0x00,
            0x34, 0x25, 0xa0, 0x02, 0x74, 0xba, 0x01, 0xf8, 0x00, 0x03, 0xb0, 0x00, 0xfe, 0xf0, 0xc4, 0x0b,
            0xff, 0x20, 0xb9, 0x61, 0x75, 0xc8, 0xd7, 0xff, 0x20, 0x3f, 0xe4, 0x07, 0xfc, 0x80, 0xff, 0xf8,
            0xf2, 0x00, 0x00, 0x00,
        ];
        assert_eq!(sniff(&bytes), Some(Format::WebP));
        assert_eq!(webp_dimensions(&bytes), Some((2, 2)));
        let out = process(&bytes).unwrap();
        assert_eq!((out.width, out.height), (2, 2));
        assert!(is_reddish(*decode(&out.jpeg).into_rgb8().get_pixel(0, 0)));
    }

    #[test]
    fn a_large_image_is_downscaled_to_2000_px_and_its_thumbnail_to_320_px() {
        let out = process(&jpeg(&pattern(3000, 2000))).unwrap();
        assert_eq!((out.width, out.height), (2000, 1333));
        assert_eq!(decode(&out.jpeg).dimensions(), (2000, 1333));
        assert_eq!(decode(&out.thumb).dimensions(), (320, 213));
    }

    #[test]
    fn a_phone_sized_portrait_is_downscaled_on_its_long_side() {
        let out = process(&png(&DynamicImage::ImageRgb8(pattern(1512, 4032)))).unwrap();
        assert_eq!((out.width, out.height), (750, 2000));
        assert_eq!(decode(&out.thumb).dimensions(), (120, 320));
    }

    #[test]
    fn a_small_image_is_not_enlarged() {
        let out = process(&jpeg(&pattern(120, 90))).unwrap();
        assert_eq!((out.width, out.height), (120, 90));
        assert_eq!(decode(&out.thumb).dimensions(), (120, 90));
    }

    #[test]
    fn downscaling_keeps_the_picture() {
        let out = process(&png(&DynamicImage::ImageRgb8(red_left_blue_right(4100, 1000)))).unwrap();
        let image = decode(&out.jpeg).into_rgb8();
        assert_eq!(image.dimensions(), (2000, 488));
        assert!(is_reddish(*image.get_pixel(100, 244)));
        assert!(is_bluish(*image.get_pixel(1900, 244)));
    }

    #[test]
    fn transparent_areas_become_white() {
        let image =
            RgbaImage::from_fn(64, 64, |x, _| if x < 32 { Rgba([0, 0, 0, 0]) } else { Rgba([0, 0, 0, 255]) });
        let out = process(&png(&DynamicImage::ImageRgba8(image))).unwrap();
        let decoded = decode(&out.jpeg).into_rgb8();
        assert!(decoded.get_pixel(8, 32).0.iter().all(|&v| v > 240));
        assert!(decoded.get_pixel(56, 32).0.iter().all(|&v| v < 15));
    }

    #[test]
    fn a_grayscale_image_stays_grayscale() {
        let gray = GrayImage::from_fn(2400, 100, |x, _| image::Luma([(x % 256) as u8]));
        let out = process(&png(&DynamicImage::ImageLuma8(gray))).unwrap();
        assert_eq!(decode(&out.jpeg).color(), image::ColorType::L8);
        assert_eq!((out.width, out.height), (2000, 83));
    }

    // ---- decompression bombs ----

    #[test]
    fn a_png_header_claiming_10000_by_10000_pixels_is_refused_before_decoding() {
        // Signature and IHDR only: there is no image data at all, so anything but the header
        // check would fail with Corrupt.
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&10_000u32.to_be_bytes());
        ihdr.extend_from_slice(&10_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
        let mut bomb = PNG_SIGNATURE.to_vec();
        bomb.extend(png_chunk(b"IHDR", &ihdr));
        assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 10_000, height: 10_000 });
        bomb.extend(png_chunk(b"IEND", &[]));
        assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 10_000, height: 10_000 });
    }

    #[test]
    fn a_jpeg_header_claiming_too_many_pixels_is_refused_before_decoding() {
        // SOI, then a baseline frame header (SOF0) of 9000×5000 with three components.
        let mut bomb = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
        bomb.extend_from_slice(&5000u16.to_be_bytes());
        bomb.extend_from_slice(&9000u16.to_be_bytes());
        bomb.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 9000, height: 5000 });
    }

    #[test]
    fn a_webp_header_claiming_too_many_pixels_is_refused_before_decoding() {
        // RIFF/WEBP with an extended-format (VP8X) chunk for a 16384×16384 canvas.
        let mut bomb = b"RIFF\x16\0\0\0WEBPVP8X\x0A\0\0\0\0\0\0\0".to_vec();
        bomb.extend_from_slice(&16383u32.to_le_bytes()[..3]);
        bomb.extend_from_slice(&16383u32.to_le_bytes()[..3]);
        assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 16384, height: 16384 });
    }

    #[test]
    fn exactly_40_megapixels_passes_the_header_check() {
        assert_eq!(check_pixels(8000, 5000), Ok(()));
        assert_eq!(check_pixels(8000, 5001), Err(PhotoError::TooManyPixels { width: 8000, height: 5001 }));
        assert!(matches!(check_pixels(0, 10), Err(PhotoError::Corrupt(_))));
    }

    #[test]
    fn the_header_readers_agree_with_the_decoders() {
        let image = pattern(123, 45);
        assert_eq!(jpeg_dimensions(&jpeg(&image)), Some((123, 45)));
        assert_eq!(png_dimensions(&png(&DynamicImage::ImageRgb8(image.clone()))), Some((123, 45)));
        assert_eq!(webp_dimensions(&webp(&image)), Some((123, 45)));
        let rgba = RgbaImage::from_pixel(77, 66, Rgba([1, 2, 3, 128]));
        let mut lossless = Vec::new();
        rgba.write_with_encoder(WebPEncoder::new_lossless(&mut lossless)).unwrap();
        assert_eq!(webp_dimensions(&lossless), Some((77, 66)));
    }

    #[test]
    fn the_jpeg_header_reader_skips_a_frame_header_inside_the_exif_thumbnail() {
        // An APP1 segment whose payload looks like a 60000×60000 SOF must not be read as one.
        let mut fake = b"Exif\0\0".to_vec();
        fake.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60]);
        let real = jpeg(&pattern(64, 48));
        let mut file = real[..2].to_vec();
        file.extend_from_slice(&[0xFF, 0xE1]);
        file.extend_from_slice(&u16::try_from(fake.len() + 2).unwrap().to_be_bytes());
        file.extend_from_slice(&fake);
        file.extend_from_slice(&real[2..]);
        assert_eq!(jpeg_dimensions(&file), Some((64, 48)));
        assert_eq!(process(&file).map(|p| (p.width, p.height)), Ok((64, 48)));
    }

    // ---- hostile and broken input ----

    #[test]
    fn truncated_or_garbage_bytes_give_corrupt_or_not_an_image_and_never_panic() {
        let image = pattern(96, 64);
        let samples = [
            jpeg(&image),
            with_exif(&jpeg(&image), &exif_tiff(6, true)),
            png(&DynamicImage::ImageRgb8(image.clone())),
            webp(&image),
        ];
        for sample in &samples {
            // Truncated anywhere in the headers, then in coarser steps through the data.
            let cuts = (0..sample.len().min(400)).chain((400..sample.len()).step_by(97));
            for cut in cuts {
                match process(&sample[..cut]) {
                    Err(PhotoError::Corrupt(message)) => {
                        assert!(!message.contains("failed on malformed"), "{message}")
                    }
                    Err(PhotoError::NotAnImage) => assert!(sniff(&sample[..cut]).is_none()),
                    Err(other) => panic!("cut at {cut}: {other:?}"),
                    Ok(_) => panic!("cut at {cut}: accepted"),
                }
            }
        }

        // Right magic bytes, then garbage; and bytes flipped all over valid files.
        let mut state = 0x2545_F491u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        for prefix in [&b"\xFF\xD8\xFF"[..], PNG_SIGNATURE, b"RIFF\x40\0\0\0WEBPVP8 "] {
            for len in [0, 1, 10, 100, 1000] {
                let mut bytes = prefix.to_vec();
                bytes.extend((0..len).map(|_| next() as u8));
                assert!(matches!(process(&bytes), Err(PhotoError::Corrupt(_))), "{bytes:?}");
            }
        }
        for sample in &samples {
            for _ in 0..150 {
                let mut bytes = sample.clone();
                for _ in 0..1 + next() % 8 {
                    let at = next() as usize % bytes.len();
                    bytes[at] = next() as u8;
                }
                if let Err(PhotoError::Corrupt(message)) = process(&bytes) {
                    assert!(!message.contains("failed on malformed"), "{message}");
                }
            }
        }
    }

    #[test]
    fn a_jpeg_cut_short_is_refused_but_data_after_its_end_is_tolerated() {
        let full = jpeg(&pattern(200, 100));
        let cut = &full[..full.len() * 2 / 3];
        assert!(matches!(process(cut), Err(PhotoError::Corrupt(m)) if m.contains("truncated")));
        // Some phones append data after the image (e.g. the video of a motion photo).
        let mut trailer = full.clone();
        trailer.extend_from_slice(b"\0\0\0\x18ftypmp42 appended video");
        assert_eq!(process(&trailer).map(|p| (p.width, p.height)), Ok((200, 100)));
    }

    // ---- orientation and metadata ----

    #[test]
    fn the_exif_orientation_is_applied_and_the_output_has_no_exif() {
        // Orientation 6: the camera was turned, the picture must be rotated 90° clockwise, so
        // the red left half ends up at the top.
        let input = with_exif(&jpeg(&red_left_blue_right(80, 40)), &exif_tiff(6, false));
        assert_eq!(app_markers(&input), [0xE1, 0xE0]);
        let out = process(&input).unwrap();
        assert_eq!((out.width, out.height), (40, 80));
        for output in [&out.jpeg, &out.thumb] {
            let image = decode(output).into_rgb8();
            assert_eq!(image.dimensions(), (40, 80));
            assert!(is_reddish(*image.get_pixel(20, 10)));
            assert!(is_bluish(*image.get_pixel(20, 70)));
            assert_eq!(app_markers(output), [0xE0], "only the JFIF header");
            assert!(!contains(output, &[0xFF, 0xE1]), "no APP1 marker");
            assert!(!contains(output, b"Exif"));
            assert!(exif::Reader::new().read_from_container(&mut Cursor::new(output)).is_err());
        }
    }

    #[test]
    fn orientation_8_turns_the_picture_counter_clockwise() {
        let input = with_exif(&jpeg(&red_left_blue_right(80, 40)), &exif_tiff(8, false));
        let image = decode(&process(&input).unwrap().jpeg).into_rgb8();
        assert_eq!(image.dimensions(), (40, 80));
        assert!(is_bluish(*image.get_pixel(20, 10)));
        assert!(is_reddish(*image.get_pixel(20, 70)));
    }

    #[test]
    fn the_exif_orientation_of_a_png_is_applied() {
        let plain = png(&DynamicImage::ImageRgb8(red_left_blue_right(80, 40)));
        // eXIf goes after IHDR (8-byte signature + 25-byte chunk) and before the image data.
        let mut input = plain[..33].to_vec();
        input.extend(png_chunk(b"eXIf", &exif_tiff(6, false)));
        input.extend_from_slice(&plain[33..]);
        let out = process(&input).unwrap();
        assert_eq!((out.width, out.height), (40, 80));
        assert!(is_reddish(*decode(&out.jpeg).into_rgb8().get_pixel(20, 10)));
    }

    #[test]
    fn gps_coordinates_in_the_exif_do_not_survive_processing() {
        let input = with_exif(&jpeg(&pattern(200, 150)), &exif_tiff(1, true));
        // The input really carries a position, as kamadak-exif reads it.
        let exif = exif::Reader::new().read_from_container(&mut Cursor::new(&input)).unwrap();
        assert!(exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_some());
        assert!(exif.get_field(exif::Tag::GPSLongitude, exif::In::PRIMARY).is_some());
        assert!(contains(&input, b"WGS-84"));

        let out = process(&input).unwrap();
        assert_eq!((out.width, out.height), (200, 150));
        for output in [&out.jpeg, &out.thumb] {
            assert!(exif::Reader::new().read_from_container(&mut Cursor::new(output)).is_err());
            assert!(!contains(output, &[0xFF, 0xE1]));
            assert!(!contains(output, b"Exif"));
            assert!(!contains(output, b"WGS-84"));
            assert_eq!(app_markers(output), [0xE0]);
        }
    }

    // ---- resampling ----

    #[test]
    fn resampling_keeps_flat_areas_flat_and_sizes_exact() {
        for (sw, sh, dw, dh) in [(2016, 1512, 2000, 1500), (500, 313, 320, 200), (3, 3, 2, 1), (7, 1, 1, 1)] {
            let src = vec![77u8; sw * sh * 3];
            let out = resample::<3>(&src, sw as u32, sh as u32, dw as u32, dh as u32).unwrap();
            assert_eq!(out.len(), dw * dh * 3);
            assert!(out.iter().all(|&v| v == 77), "{sw}×{sh} → {dw}×{dh}");
        }
        assert_eq!(resample::<3>(&[0; 12], 2, 2, 3, 2), None, "never enlarges");
        assert_eq!(resample::<1>(&[0; 3], 2, 2, 1, 1), None, "buffer of the wrong size");
        assert_eq!(halve::<1>(&[0, 4, 8, 8, 4, 0, 9, 9, 9], 3, 3), [4]);
    }

    #[test]
    fn fit_keeps_the_aspect_ratio_and_at_least_one_pixel() {
        assert_eq!(fit(4000, 3000, 2000), (2000, 1500));
        assert_eq!(fit(3000, 4000, 320), (240, 320));
        assert_eq!(fit(40_000, 1, 2000), (2000, 1));
        assert_eq!(fit(100, 50, 2000), (100, 50));
    }
}
