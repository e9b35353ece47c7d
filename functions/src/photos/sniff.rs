//! What a file says about itself before anything is decoded: its format (magic bytes), its
//! dimensions, and what decoding it would cost in bytes; and the limits those are held to.
//! Everything here reads headers only, in time and memory bounded by the file's size.

use std::ops::Range;

use super::{DECODE_BUDGET, Format, MAX_PIXELS, PhotoError};

pub(super) const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Sniffs the format from the first bytes; None for anything else (including GIF, HEIC, SVG, text).
///
/// Only the magic bytes are looked at: `FF D8 FF` for JPEG, the 8-byte PNG signature, and a RIFF
/// container of type `WEBP`. Whether the rest of the file is valid is for [`process`] to find out.
///
/// [`process`]: super::process
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

/// What the headers announce, before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub width: u32,
    pub height: u32,
    /// The decoder's output: width × height × channels × bytes per sample, the channels as the
    /// decoder hands them over (a palette PNG comes out as RGB, or RGBA with tRNS).
    pub pixel_bytes: u64,
    /// What the decoder holds besides its output while it works, where that grows with the
    /// image: a progressive (or multi-scan) JPEG's DCT coefficients, 2 bytes each; WebP's YUV
    /// planes, the RGBA buffer of a lossless image without alpha, an animation's canvas.
    pub working_bytes: u64,
}

impl Header {
    /// Bytes one decode takes, apart from a fixed overhead that does not grow with the image.
    pub fn cost(&self) -> u64 {
        self.pixel_bytes.saturating_add(self.working_bytes)
    }
}

/// Reads the dimensions and the decode cost from the file's headers, without decoding anything.
pub(super) fn read_header(format: Format, bytes: &[u8]) -> Result<Header, PhotoError> {
    let header = match format {
        Format::Jpeg => jpeg_header(bytes),
        Format::Png => png_header(bytes),
        Format::WebP => webp_header(bytes),
    };
    header.ok_or_else(|| PhotoError::Corrupt("the header is truncated or malformed".into()))
}

pub(super) fn check_pixels(width: u32, height: u32) -> Result<(), PhotoError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        Err(PhotoError::TooManyPixels { width, height })
    } else if width == 0 || height == 0 {
        Err(PhotoError::Corrupt(format!("the header gives an empty size of {width}×{height}")))
    } else {
        Ok(())
    }
}

pub(super) fn check_budget(width: u32, height: u32, bytes: u64) -> Result<(), PhotoError> {
    if bytes > DECODE_BUDGET { Err(PhotoError::TooManyBytes { width, height, bytes }) } else { Ok(()) }
}

fn pixels(width: u32, height: u32) -> u64 {
    u64::from(width) * u64::from(height)
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

// ---- PNG ----

/// One chunk of a PNG: its type and where it lies in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PngChunk {
    pub kind: [u8; 4],
    /// The chunk's data (after length and type, before the CRC).
    pub data: Range<usize>,
    /// The whole chunk: length, type, data and CRC.
    pub span: Range<usize>,
}

/// The chunks of a PNG after its signature, read from their length and type fields only, up to
/// the first one that does not fit in the file (a truncated or malformed file ends there).
pub(super) fn png_chunks(bytes: &[u8]) -> impl Iterator<Item = PngChunk> + '_ {
    let mut at = PNG_SIGNATURE.len();
    std::iter::from_fn(move || {
        let length = usize::try_from(be32(bytes, at)?).ok()?;
        let kind: [u8; 4] = bytes.get(at + 4..at + 8)?.try_into().ok()?;
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        let chunk = PngChunk { kind, data: at + 8..end - 4, span: at..end };
        at = end;
        Some(chunk)
    })
}

/// PNG: the first chunk must be IHDR, width and height big-endian at offsets 16 and 20.
pub(super) fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be32(bytes, 16)?, be32(bytes, 20)?))
}

/// PNG: IHDR's bit depth and colour type, and whether a tRNS chunk (which adds an alpha channel
/// when the decoder expands the image) comes before the image data.
fn png_header(bytes: &[u8]) -> Option<Header> {
    let (width, height) = png_dimensions(bytes)?;
    let depth = *bytes.get(24)?;
    let color = *bytes.get(25)?;
    let trns = png_chunks(bytes).take_while(|c| &c.kind != b"IDAT").any(|c| &c.kind == b"tRNS");
    let channels = match color {
        0 => 1 + u64::from(trns),     // grey
        2 | 3 => 3 + u64::from(trns), // RGB, palette
        4 => 2,                       // grey and alpha
        _ => 4,                       // RGBA (or an invalid type the decoder will refuse)
    };
    let sample = if depth == 16 { 2 } else { 1 };
    Some(Header { width, height, pixel_bytes: pixels(width, height) * channels * sample, working_bytes: 0 })
}

// ---- JPEG ----

/// JPEG: walks the marker segments up to the first frame header (SOF0–SOF15, except DHT, JPG
/// and DAC which share the range); segments such as APP1 (which may hold an Exif thumbnail with
/// its own SOF) are skipped by their length.
#[cfg(test)]
pub(super) fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    jpeg_frame(bytes).map(|(width, height, _)| (width, height))
}

/// Width, height and offset (just after the marker) of the first frame header: walks the
/// marker segments up to the first SOF0–SOF15 (except DHT, JPG and DAC, which share the range);
/// segments such as APP1 (which may hold an Exif thumbnail with its own SOF) are skipped by their
/// length.
fn jpeg_frame(bytes: &[u8]) -> Option<(u32, u32, usize)> {
    let mut segments = JpegSegments { bytes, at: 2 };
    loop {
        let (marker, at) = segments.next()?;
        match marker {
            // Start of scan or end of image before any frame header.
            0xD9 | 0xDA => return None,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                // length (2), precision (1), height (2), width (2)
                let height = be16(bytes, at + 3)?;
                let width = be16(bytes, at + 5)?;
                return Some((width, height, at));
            }
            _ => {}
        }
    }
}

/// The markers of a JPEG after SOI, each with the offset just after it; segments with a length
/// are skipped by it (their payload is not searched for markers).
struct JpegSegments<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Iterator for JpegSegments<'_> {
    type Item = (u8, usize);

    fn next(&mut self) -> Option<(u8, usize)> {
        let bytes = self.bytes;
        // Tolerate junk between segments, as decoders do, and fill bytes (FF FF …).
        while *bytes.get(self.at)? != 0xFF {
            self.at += 1;
        }
        while *bytes.get(self.at)? == 0xFF {
            self.at += 1;
        }
        let marker = *bytes.get(self.at)?;
        self.at += 1;
        let at = self.at;
        match marker {
            // TEM, RSTn, SOI, EOI: no length.
            0x01 | 0xD0..=0xD9 => {}
            _ => {
                let length = be16(bytes, at)? as usize;
                if length < 2 {
                    return None;
                }
                self.at = at.checked_add(length)?;
            }
        }
        Some((marker, at))
    }
}

/// JPEG: the frame header's size and components (the output has 1 channel for one component, 3
/// for YCbCr, up to 4 otherwise), and whether the decoder must keep every DCT coefficient until
/// the end: for a progressive frame (SOF2, SOF6, SOF10, SOF14), or when the first scan does not
/// carry every component. Those take 2 bytes each, one per pixel of each component at its
/// sampling, padded to whole MCUs — 6 bytes a pixel at 4:4:4, 3 at 4:2:0.
fn jpeg_header(bytes: &[u8]) -> Option<Header> {
    let (width, height, at) = jpeg_frame(bytes)?;
    let progressive = matches!(bytes.get(at.checked_sub(1)?)?, 0xC2 | 0xC6 | 0xCA | 0xCE);
    let count = usize::from(*bytes.get(at + 7)?);
    let sampling: Vec<(u64, u64)> = (0..count)
        .map(|i| {
            let factors = *bytes.get(at + 9 + 3 * i)?;
            Some((u64::from(factors >> 4).max(1), u64::from(factors & 0x0F).max(1)))
        })
        .collect::<Option<_>>()?;
    let channels = match count {
        1 => 1,
        3 => 3,
        n => n.clamp(2, 4) as u64,
    };
    // The first scan's component count, if there is a scan at all (without one the decoder
    // fails; count as if it had to keep everything).
    let first_scan = JpegSegments { bytes, at: 2 }
        .find(|&(marker, _)| marker == 0xDA)
        .and_then(|(_, at)| bytes.get(at + 2).copied());
    let keeps_coefficients = progressive || first_scan.is_none_or(|n| usize::from(n) < count);
    let working_bytes = if keeps_coefficients {
        let h_max = sampling.iter().map(|s| s.0).max().unwrap_or(1);
        let v_max = sampling.iter().map(|s| s.1).max().unwrap_or(1);
        let mcus_x = u64::from(width).div_ceil(8 * h_max);
        let mcus_y = u64::from(height).div_ceil(8 * v_max);
        let blocks_per_mcu: u64 = sampling.iter().map(|(h, v)| h * v).sum();
        mcus_x * mcus_y * blocks_per_mcu * 64 * 2
    } else {
        0
    };
    Some(Header { width, height, pixel_bytes: pixels(width, height) * channels, working_bytes })
}

/// Whether a JPEG has an end-of-image marker (FF D9) after its frame header. Cameras always
/// write one; an upload cut short does not have it. (Searched from the end: data appended after
/// the image, such as the video of a "motion photo", may follow it.)
pub(super) fn jpeg_has_end(bytes: &[u8]) -> bool {
    let frame = jpeg_frame(bytes).map_or(bytes.len(), |(_, _, at)| at);
    bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]).is_some_and(|eoi| eoi > frame)
}

// ---- WebP ----

/// WebP: the first chunk after `RIFF····WEBP` is VP8X (canvas size, 24-bit, minus one), VP8L
/// (14-bit sizes, minus one, after the 0x2F signature) or VP8 (14-bit sizes after the key-frame
/// start code 9D 01 2A).
pub(super) fn webp_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
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

/// WebP, as image-webp decodes it: RGBA out when the file says it has alpha, RGB otherwise.
/// A lossy image is first decoded into YUV planes (1.5 bytes a pixel, padded to 16×16
/// macroblocks), and its alpha, if any, through a temporary RGBA buffer into a plane (5 bytes a
/// pixel); a lossless image without alpha into a temporary RGBA buffer; an animation keeps a
/// canvas and a frame (4 bytes a pixel each) besides.
fn webp_header(bytes: &[u8]) -> Option<Header> {
    let (width, height) = webp_dimensions(bytes)?;
    let px = pixels(width, height);
    let yuv = u64::from(width).div_ceil(16) * u64::from(height).div_ceil(16) * 384;
    let lossy_with_alpha = yuv + px * 5;
    let (alpha, working_bytes) = match bytes.get(12..16)? {
        b"VP8 " => (false, yuv),
        b"VP8L" => {
            let alpha = (le32(bytes, 21)? >> 28) & 1 == 1;
            (alpha, if alpha { 0 } else { px * 4 })
        }
        _ => {
            // VP8X: flags, then the chunks; the image is the first VP8 or VP8L among them.
            let flags = *bytes.get(20)?;
            let (alpha, animated) = (flags & 0x10 != 0, flags & 0x02 != 0);
            let working = match webp_image_chunk(bytes) {
                _ if animated => lossy_with_alpha + px * 8,
                Some(b"VP8L") if alpha => 0,
                Some(b"VP8L") => px * 4,
                Some(b"VP8 ") if !alpha => yuv,
                _ => lossy_with_alpha,
            };
            (alpha, working)
        }
    };
    Some(Header { width, height, pixel_bytes: px * if alpha { 4 } else { 3 }, working_bytes })
}

/// The type of the first VP8 or VP8L chunk of a WebP, found by the chunks' sizes.
fn webp_image_chunk(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 12;
    loop {
        let kind = bytes.get(at..at + 4)?;
        if kind == b"VP8 " || kind == b"VP8L" {
            return Some(kind);
        }
        let size = usize::try_from(le32(bytes, at + 4)?).ok()?;
        at = at.checked_add(8)?.checked_add(size)?.checked_add(size & 1)?;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// SOI, a frame header of the given kind (0xC0 baseline, 0xC2 progressive) with three
    /// components of the given sampling factors, and optionally a scan header for `scan` components.
    fn jpeg_headers(sof: u8, width: u16, height: u16, luma: u8, scan: Option<u8>) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, sof, 0x00, 0x11, 0x08];
        out.extend_from_slice(&height.to_be_bytes());
        out.extend_from_slice(&width.to_be_bytes());
        out.extend_from_slice(&[3, 1, luma, 0, 2, 0x11, 1, 3, 0x11, 1]);
        if let Some(n) = scan {
            out.extend_from_slice(&[0xFF, 0xDA, 0x00, 6 + 2 * n, n]);
            for i in 0..n {
                out.extend_from_slice(&[i + 1, 0]);
            }
            out.extend_from_slice(&[0, 63, 0]);
        }
        out
    }

    fn png_ihdr(width: u32, height: u32, depth: u8, color: u8) -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        out.extend_from_slice(&13u32.to_be_bytes());
        out.extend_from_slice(b"IHDR");
        out.extend_from_slice(&width.to_be_bytes());
        out.extend_from_slice(&height.to_be_bytes());
        out.extend_from_slice(&[depth, color, 0, 0, 0]);
        out.extend_from_slice(&[0; 4]); // CRC, not checked here
        out
    }

    fn append_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&[0; 4]);
    }

    #[test]
    fn the_largest_8_bit_rgb_jpeg_fits_the_budget() {
        // 8000×5000, 4:2:0, one interleaved scan: 120 MB of RGB and nothing else.
        let header = read_header(Format::Jpeg, &jpeg_headers(0xC0, 8000, 5000, 0x22, Some(3))).unwrap();
        assert_eq!((header.pixel_bytes, header.working_bytes), (120_000_000, 0));
        assert_eq!(check_budget(8000, 5000, header.cost()), Ok(()));
    }

    #[test]
    fn a_progressive_jpeg_pays_for_its_coefficients() {
        // 4:4:4: 3 components × 2 bytes per pixel (8000 and 5000 are whole 8×8 blocks).
        let header = read_header(Format::Jpeg, &jpeg_headers(0xC2, 8000, 5000, 0x11, Some(3))).unwrap();
        assert_eq!((header.pixel_bytes, header.working_bytes), (120_000_000, 240_000_000));
        // 4:2:0: luma plus two quarter-size chroma planes, padded to 16×16 MCUs.
        let header = read_header(Format::Jpeg, &jpeg_headers(0xC2, 4000, 3000, 0x22, Some(1))).unwrap();
        assert_eq!(header.working_bytes, 250 * 188 * 6 * 64 * 2);
        // A baseline frame whose first scan carries one component of three keeps them too.
        let header = read_header(Format::Jpeg, &jpeg_headers(0xC0, 4000, 3000, 0x11, Some(1))).unwrap();
        assert_eq!(header.working_bytes, 72_000_000);
        // Without any scan the decoder will fail; until then, count the worst.
        let header = read_header(Format::Jpeg, &jpeg_headers(0xC0, 4000, 3000, 0x11, None)).unwrap();
        assert_eq!(header.working_bytes, 72_000_000);
    }

    #[test]
    fn png_costs_count_channels_and_bit_depth() {
        let cost = |png: &[u8]| read_header(Format::Png, png).unwrap().cost();
        assert_eq!(cost(&png_ihdr(6300, 6300, 16, 6)), 6300 * 6300 * 8, "16-bit RGBA");
        assert_eq!(cost(&png_ihdr(100, 100, 8, 2)), 30_000, "8-bit RGB");
        assert_eq!(cost(&png_ihdr(100, 100, 1, 0)), 10_000, "1-bit grey is expanded to 8 bits");
        assert_eq!(cost(&png_ihdr(100, 100, 16, 4)), 40_000, "16-bit grey and alpha");
        let mut palette = png_ihdr(100, 100, 4, 3);
        append_chunk(&mut palette, b"PLTE", &[0; 6]);
        assert_eq!(cost(&palette), 30_000, "a palette comes out as RGB");
        append_chunk(&mut palette, b"tRNS", &[0]);
        append_chunk(&mut palette, b"IDAT", &[]);
        assert_eq!(cost(&palette), 40_000, "or RGBA with tRNS");
    }

    #[test]
    fn webp_costs_count_the_decoders_buffers() {
        let webp = |kind: &[u8; 4], payload: &[u8]| {
            let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
            out.extend_from_slice(kind);
            out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            out.extend_from_slice(payload);
            out
        };
        // Lossless 8000×5000, with and without the alpha hint (bit 28).
        let bits = |alpha: u32| (7999 | (4999 << 14) | (alpha << 28)).to_le_bytes();
        let lossless = |alpha| [&[0x2F][..], &bits(alpha)[..]].concat();
        let header = read_header(Format::WebP, &webp(b"VP8L", &lossless(0))).unwrap();
        assert_eq!((header.pixel_bytes, header.working_bytes), (120_000_000, 160_000_000));
        assert!(check_budget(8000, 5000, header.cost()).is_err());
        let header = read_header(Format::WebP, &webp(b"VP8L", &lossless(1))).unwrap();
        assert_eq!((header.pixel_bytes, header.working_bytes), (160_000_000, 0));
        // Extended 1000×1000: animated with alpha (canvas, frame, YUV and alpha planes), a still
        // lossy image with alpha (YUV and alpha planes), and one without (YUV planes: a phone's
        // WebP with Exif).
        let extended = |flags: u8, image: &[u8; 4]| {
            let mut vp8x = vec![flags, 0, 0, 0];
            vp8x.extend_from_slice(&999u32.to_le_bytes()[..3]);
            vp8x.extend_from_slice(&999u32.to_le_bytes()[..3]);
            let mut file = webp(b"VP8X", &vp8x);
            file.extend_from_slice(b"EXIF\x03\0\0\0MM\0\0"); // 3 bytes, padded to 4
            file.extend_from_slice(image);
            file.extend_from_slice(&[0; 4]);
            read_header(Format::WebP, &file).unwrap()
        };
        let yuv = 63 * 63 * 384;
        let header = extended(0x12, b"ANMF");
        assert_eq!((header.pixel_bytes, header.working_bytes), (4_000_000, yuv + 13_000_000));
        let header = extended(0x10, b"VP8 ");
        assert_eq!((header.pixel_bytes, header.working_bytes), (4_000_000, yuv + 5_000_000));
        let header = extended(0x08, b"VP8 ");
        assert_eq!((header.pixel_bytes, header.working_bytes), (3_000_000, yuv));
        let header = extended(0x08, b"VP8L");
        assert_eq!((header.pixel_bytes, header.working_bytes), (3_000_000, 4_000_000));
    }

    #[test]
    fn png_chunks_stop_at_the_first_that_does_not_fit() {
        let mut png = png_ihdr(1, 1, 8, 0);
        append_chunk(&mut png, b"tEXt", b"a\0b");
        let whole = png.len();
        png.extend_from_slice(&u32::MAX.to_be_bytes());
        png.extend_from_slice(b"iCCP");
        png.extend_from_slice(&[0; 100]);
        let chunks: Vec<_> = png_chunks(&png).collect();
        assert_eq!(chunks.iter().map(|c| &c.kind).collect::<Vec<_>>(), [b"IHDR", b"tEXt"]);
        assert_eq!(chunks[1].span.end, whole);
        assert_eq!(&png[chunks[1].data.clone()], b"a\0b");
        assert_eq!(png_chunks(&png[..20]).count(), 0);
    }

    #[test]
    fn exactly_40_megapixels_passes_the_header_check() {
        assert_eq!(check_pixels(8000, 5000), Ok(()));
        assert_eq!(check_pixels(8000, 5001), Err(PhotoError::TooManyPixels { width: 8000, height: 5001 }));
        assert!(matches!(check_pixels(0, 10), Err(PhotoError::Corrupt(_))));
        assert_eq!(check_budget(1, 1, DECODE_BUDGET), Ok(()));
        assert_eq!(
            check_budget(1, 1, DECODE_BUDGET + 1),
            Err(PhotoError::TooManyBytes { width: 1, height: 1, bytes: DECODE_BUDGET + 1 })
        );
    }
}
