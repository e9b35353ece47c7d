//! Tests of [`process`](super::process) as a whole: formats and sizes here; limits, the memory
//! budget, hostile input, orientation and metadata in `limits`. Inputs are generated in code.

#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{
    DynamicImage, GenericImageView, GrayImage, ImageBuffer, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage,
};

use super::sniff::{PNG_SIGNATURE, jpeg_dimensions, png_dimensions, webp_dimensions};
use super::*;

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
        0x52, 0x49, 0x46, 0x46, 0x3c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20, 0x30,
        0x00, 0x00, 0x00, 0xd0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x02, 0x00, 0x02, 0x00, 0x02, 0x00, 0x34, 0x25,
        0xa0, 0x02, 0x74, 0xba, 0x01, 0xf8, 0x00, 0x03, 0xb0, 0x00, 0xfe, 0xf0, 0xc4, 0x0b, 0xff, 0x20, 0xb9,
        0x61, 0x75, 0xc8, 0xd7, 0xff, 0x20, 0x3f, 0xe4, 0x07, 0xfc, 0x80, 0xff, 0xf8, 0xf2, 0x00, 0x00, 0x00,
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

mod limits;
