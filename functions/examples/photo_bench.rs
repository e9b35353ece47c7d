//! Times `photos::process` on a phone-sized photo generated in memory.
//!
//! ```sh
//! cargo run --release -p zhibu-functions --example photo_bench          # 10 runs
//! cargo run --release -p zhibu-functions --example photo_bench -- 30    # 30 runs
//! cargo run --release -p zhibu-functions --example photo_bench -- 10 4032x3024
//! ```
//!
//! The input is by default a 4000×3000 (12-megapixel) JPEG of quality 90: a colour gradient with a soft
//! pattern and per-pixel noise, so it does not compress trivially (about the size of a real
//! phone photo), with an Exif APP1 segment saying Orientation = 6 (rotate 90°), as phones write
//! when held upright.

use std::time::Instant;

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;
use zhibu_functions::photos;

fn main() -> anyhow::Result<()> {
    let runs: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 10,
    };
    anyhow::ensure!(runs > 0, "the number of runs must be positive");
    let (width, height) = match std::env::args().nth(2) {
        Some(arg) => {
            let (w, h) = arg.split_once('x').ok_or_else(|| anyhow::anyhow!("size must be WxH"))?;
            (w.parse()?, h.parse()?)
        }
        None => (4000, 3000),
    };

    let started = Instant::now();
    let input = phone_jpeg(width, height)?;
    println!(
        "input: {width}×{height} JPEG, {} bytes ({:.2} MiB), Exif orientation 6; generated in {} ms",
        input.len(),
        input.len() as f64 / (1024.0 * 1024.0),
        started.elapsed().as_millis()
    );

    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let processed = photos::process(&input)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(processed);
    }
    times.sort_by(f64::total_cmp);
    let median = if runs % 2 == 1 { times[runs / 2] } else { (times[runs / 2 - 1] + times[runs / 2]) / 2.0 };
    println!(
        "process × {runs}: min {:.1} ms, median {median:.1} ms, max {:.1} ms",
        times[0],
        times[runs - 1]
    );
    if let Some(p) = last {
        println!(
            "output: {}×{} JPEG, {} bytes; thumbnail {} bytes",
            p.width,
            p.height,
            p.jpeg.len(),
            p.thumb.len()
        );
    }
    Ok(())
}

/// A `width`×`height` JPEG with an Exif orientation segment.
fn phone_jpeg(width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let mut state: u32 = 0x9E37_79B9;
    let mut noise = move || {
        // xorshift32: deterministic, no dependency
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 24) as i32 - 128
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
    JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&image)?;

    // APP1 "Exif\0\0" + big-endian TIFF header + IFD0 with one entry: Orientation (0x0112),
    // SHORT, count 1, value 6.
    let mut tiff = b"MM\0\x2A\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&[0, 1]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    let mut app1 = vec![0xFF, 0xE1];
    let length = u16::try_from(2 + 6 + tiff.len())?;
    app1.extend_from_slice(&length.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    jpeg.splice(2..2, app1);
    Ok(jpeg)
}
