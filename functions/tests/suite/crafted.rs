//! Crafted photo inputs for tests and benchmarks: ordinary photos generated in code, and files
//! that are small on the wire but large once decoded (decompression bombs), written by hand so
//! that no large buffer is needed to make them. Shared by `tests/copies.rs`,
//! `tests/photo_memory.rs` and `examples/photo_bench.rs` (through `#[path]`).

#![allow(dead_code)]

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;

/// A `width`×`height` JPEG with an Exif segment saying Orientation = 6 (rotate 90°), as phones
/// write when held upright: a colour gradient with a soft pattern, like paper under uneven light
/// with writing on it. `noisy` adds per-pixel noise, so that it does not compress trivially (a
/// real photo's size, quality 90); without it the picture is smooth (quality 75).
pub fn phone_jpeg(width: u32, height: u32, noisy: bool) -> Vec<u8> {
    let mut state: u32 = 0x9E37_79B9;
    let mut noise = move || {
        // xorshift32: deterministic, no dependency
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        if noisy { (state >> 24) as i32 - 128 } else { 0 }
    };
    let image = RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        // gradient plus a soft pattern, like paper under uneven light with writing on it
        let wave = ((x as f32 / 37.0).sin() * (y as f32 / 23.0).cos() * 40.0) as i32;
        let base = [
            (200.0 * fx + 40.0) as i32 + wave,
            (180.0 * fy + 50.0) as i32 - wave / 2,
            (120.0 * (1.0 - fx) + 90.0) as i32 + wave / 3,
        ];
        image::Rgb(base.map(|v| (v + noise() / 12).clamp(0, 255) as u8))
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, if noisy { 90 } else { 75 })
        .encode_image(&image)
        .expect("a JPEG of at most 65535 pixels a side encodes into memory");

    // APP1 "Exif\0\0" + big-endian TIFF header + IFD0 with one entry: Orientation (0x0112),
    // SHORT, count 1, value 6.
    let mut tiff = b"MM\0\x2A\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&[0, 1]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&(2 + 6 + tiff.len() as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    jpeg.splice(2..2, app1);
    jpeg
}

/// A 64×64 RGB PNG of gradients, written by the image crate.
pub fn small_png() -> Vec<u8> {
    let image = RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).expect("a small PNG encodes into memory");
    out.into_inner()
}

/// `png` with an iCCP chunk, right after IHDR, whose profile inflates to `size` zero bytes (a
/// gigabyte takes about 1 MB).
pub fn with_iccp_bomb(png: &[u8], size: u64) -> Vec<u8> {
    let mut data = b"bomb\0\0".to_vec(); // profile name, NUL, compression method 0
    data.extend(zeros_zlib(size));
    let mut out = png[..33].to_vec(); // signature (8) + IHDR (25)
    out.extend(png_chunk(b"iCCP", &data));
    out.extend_from_slice(&png[33..]);
    out
}

/// A `width`×`height` PNG of zeros (black, or transparent) with the given bit depth and colour
/// type (0 grey, 2 RGB, 4 grey and alpha, 6 RGBA), its image data compressed at 1032:1: a
/// 6300×6300 16-bit RGBA one is about 308 KB, 317.5 MB decoded.
pub fn zero_png(width: u32, height: u32, depth: u8, color: u8) -> Vec<u8> {
    let channels: u64 = match color {
        0 => 1,
        2 => 3,
        4 => 2,
        _ => 4,
    };
    let row = 1 + (u64::from(width) * channels * u64::from(depth)).div_ceil(8);
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, color, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(b"IDAT", &zeros_zlib(row * u64::from(height))));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// A PNG chunk: length, type, data and CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| (0..8).fold(n, |c, _| if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 }))
        .collect();
    !bytes.iter().fold(!0u32, |crc, &b| table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8))
}

/// Bits written least significant first, as DEFLATE and JPEG's reverse both need.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// `n` bits of `value`, least significant first (DEFLATE's extra bits and header fields).
    fn put(&mut self, value: u64, n: u32) {
        self.acc |= value << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code of `len` bits, most significant first (DEFLATE).
    fn code(&mut self, code: u64, len: u32) {
        let reversed = (0..len).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
        self.put(reversed, len);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A zlib stream of `size` zero bytes at DEFLATE's best ratio (1032:1): one dynamic block whose
/// only codes are a literal 0, the end of block and "copy 258 bytes from distance 1", the last
/// two bits each.
pub fn zeros_zlib(size: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // last block
    bits.put(2, 2); // dynamic Huffman codes
    bits.put(286 - 257, 5); // literal/length codes
    bits.put(2 - 1, 5); // distance codes
    bits.put(18 - 4, 4); // code length codes, in the order below
    // Code length code lengths, in DEFLATE's order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
    // symbol 18 (a run of zeros) 1 bit, symbols 1 and 2 (lengths) 2 bits.
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits.put(len, 3);
    }
    // Canonical codes: 18 → 0, 1 → 10, 2 → 11.
    let (one, two, zeros) = ((0b10, 2), (0b11, 2), (0b0, 1));
    let run_of_zeros = |bits: &mut Bits, mut n: u64| {
        while n > 0 {
            let run = n.min(138);
            bits.code(zeros.0, zeros.1);
            bits.put(run - 11, 7);
            n -= run;
        }
    };
    // Literal/length lengths: 0 → 2, 1–255 → 0, 256 → 2, 257–284 → 0, 285 → 1; distances 0, 1 → 1.
    bits.code(two.0, two.1);
    run_of_zeros(&mut bits, 255);
    bits.code(two.0, two.1);
    run_of_zeros(&mut bits, 28);
    bits.code(one.0, one.1);
    bits.code(one.0, one.1);
    bits.code(one.0, one.1);
    // Canonical codes: 285 → 0, literal 0 → 10, end of block → 11; distance 0 (1 byte back) → 0.
    let mut left = size;
    if left > 0 {
        bits.code(0b10, 2);
        left -= 1;
    }
    while left >= 258 {
        bits.code(0, 1);
        bits.code(0, 1);
        left -= 258;
    }
    for _ in 0..left {
        bits.code(0b10, 2);
    }
    bits.code(0b11, 2);
    let mut out = vec![0x78, 0x01];
    out.extend(bits.finish());
    // Adler-32 of zeros: a stays 1, b adds a once per byte.
    let adler = ((size % 65521) << 16) | 1;
    out.extend_from_slice(&(adler as u32).to_be_bytes());
    out
}

/// JPEG entropy-coded bits: most significant first, a 0x00 stuffed after every 0xFF.
#[derive(Default)]
struct JpegBits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl JpegBits {
    fn put(&mut self, value: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                if self.acc == 0xFF {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            let pad = 8 - self.n;
            self.put((1 << pad) - 1, pad);
        }
        self.out
    }
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// A flat mid-grey progressive JPEG, three components at full resolution (4:4:4): one DC scan
/// (every difference 0, one bit a block) and one AC scan per component (end-of-band runs only).
pub fn flat_progressive_jpeg(width: u16, height: u16) -> Vec<u8> {
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    let mut out = vec![0xFF, 0xD8];
    let mut dqt = vec![0];
    dqt.extend([1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    let mut sof = vec![8];
    sof.extend_from_slice(&height.to_be_bytes());
    sof.extend_from_slice(&width.to_be_bytes());
    sof.extend_from_slice(&[3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
    out.extend(segment(0xC2, &sof));
    // DC table 0: one code, "0", for category 0. AC table 0: EOBRUN symbols 0x00–0xE0, 4 bits
    // each (codes 0000–1110).
    let mut dht = vec![0x00, 1];
    dht.extend([0u8; 15]);
    dht.push(0);
    dht.extend_from_slice(&[0x10, 0, 0, 0, 15]);
    dht.extend([0u8; 12]);
    dht.extend((0..15u8).map(|r| r << 4));
    out.extend(segment(0xC4, &dht));

    out.extend(segment(0xDA, &[3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0]));
    let mut dc = JpegBits::default();
    for _ in 0..blocks * 3 {
        dc.put(0, 1);
    }
    out.extend(dc.finish());
    for component in 1..=3u8 {
        out.extend(segment(0xDA, &[1, component, 0x00, 1, 63, 0]));
        let mut ac = JpegBits::default();
        let mut left = blocks;
        while left > 0 {
            let run = left.min(32767) as u32;
            let r = 31 - run.leading_zeros(); // EOBRUN of 2^r + extra bits
            ac.put(r, 4);
            ac.put(run - (1 << r), r);
            left -= u64::from(run);
        }
        out.extend(ac.finish());
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A `width`×`height` lossless WebP of one colour, without alpha.
pub fn flat_lossless_webp(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_pixel(width, height, image::Rgb([200, 180, 120]));
    let mut out = Vec::new();
    image
        .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out))
        .expect("a WebP of at most 16383 pixels a side encodes into memory");
    out
}
