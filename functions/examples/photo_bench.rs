//! Benchmarks of `photos::process`: time per photo, and peak memory per upload.
//!
//! ```sh
//! cargo run --release -p zhibu-functions --example photo_bench          # time, 10 runs
//! cargo run --release -p zhibu-functions --example photo_bench -- 30    # 30 runs
//! cargo run --release -p zhibu-functions --example photo_bench -- 10 4032x3024
//! cargo run --release -p zhibu-functions --example photo_bench -- inputs DIR
//! cargo run --release -p zhibu-functions --example photo_bench -- peak DIR/FILE [COPIES]
//! ```
//!
//! **Time.** The input is by default a 4000×3000 (12-megapixel) JPEG of quality 90: a colour
//! gradient with a soft pattern and per-pixel noise, so it does not compress trivially (about the
//! size of a real phone photo), with an Exif APP1 segment saying Orientation = 6 (rotate 90°), as
//! phones write when held upright.
//!
//! **Memory.** `inputs DIR` writes the inputs of `bench/photo_memory.sh` (see [`write_inputs`];
//! `tests/suite/crafted.rs` makes them, for the tests too): ordinary photos, and files that are small on
//! the wire but large once decoded. `peak FILE [COPIES]` reads one file, resets the process's
//! peak resident set size (Linux: `/proc/self/clear_refs`), processes the file COPIES times at
//! once (one thread each, as parallel uploads are) and prints one tab-separated line: the file,
//! the copies, how many were accepted, refused and busy, the resident set before, the peak, the
//! difference in MiB, and the last refusal.
//! Run it in a fresh process per measurement.

use std::path::Path;
use std::time::Instant;

use zhibu_functions::photos;

#[path = "../tests/suite/crafted.rs"]
mod crafted;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inputs") => {
            let dir = args.get(1).ok_or_else(|| anyhow::anyhow!("usage: photo_bench inputs DIR"))?;
            write_inputs(Path::new(dir))
        }
        Some("peak") => {
            let file = args.get(1).ok_or_else(|| anyhow::anyhow!("usage: photo_bench peak FILE [COPIES]"))?;
            let copies = match args.get(2) {
                Some(n) => n.parse()?,
                None => 1,
            };
            peak(Path::new(file), copies)
        }
        _ => time(&args),
    }
}

// ---- time ----

fn time(args: &[String]) -> anyhow::Result<()> {
    let runs: usize = match args.first() {
        Some(arg) => arg.parse()?,
        None => 10,
    };
    anyhow::ensure!(runs > 0, "the number of runs must be positive");
    let (width, height) = match args.get(1) {
        Some(arg) => {
            let (w, h) = arg.split_once('x').ok_or_else(|| anyhow::anyhow!("size must be WxH"))?;
            (w.parse()?, h.parse()?)
        }
        None => (4000, 3000),
    };

    let started = Instant::now();
    let input = crafted::phone_jpeg(width, height, true);
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

// ---- peak memory ----

fn peak(file: &Path, copies: usize) -> anyhow::Result<()> {
    anyhow::ensure!(copies > 0, "COPIES must be positive");
    let input = std::fs::read(file)?;
    // Forget whatever reading the file (and starting up) cost: the peak starts from here.
    std::fs::write("/proc/self/clear_refs", "5")?;
    let before = status_kib("VmRSS")?;
    let results: Vec<_> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..copies).map(|_| s.spawn(|| photos::process(&input))).collect();
        threads.into_iter().map(|t| t.join()).collect()
    });
    let peak = status_kib("VmHWM")?;
    let (mut accepted, mut refused, mut busy) = (0, 0, 0);
    let mut outcome = String::new();
    for result in results {
        match result {
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(photos::PhotoError::Busy)) => busy += 1,
            Ok(Err(e)) => {
                refused += 1;
                outcome = e.to_string();
            }
            Err(_) => anyhow::bail!("a processing thread panicked"),
        }
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "{name}\t{copies}\t{accepted}\t{refused}\t{busy}\t{:.1}\t{:.1}\t{:.1}\t{outcome}",
        mib(before),
        mib(peak),
        mib(peak.saturating_sub(before))
    );
    Ok(())
}

/// A `VmRSS`/`VmHWM`-style line of `/proc/self/status`, in KiB.
fn status_kib(key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')))
        .ok_or_else(|| anyhow::anyhow!("no {key} in /proc/self/status"))?;
    Ok(line.trim().trim_end_matches("kB").trim().parse()?)
}

/// Writes the memory benchmark's inputs into `dir`:
///
/// - `phone-12mp.jpg`: the 4000×3000 phone photo of the time benchmark (baseline, 4:2:0);
/// - `square-16mp.jpg`: 3999×3999, just too small to be halved on the way to 2000 px, so the
///   resampling buffers come on top of the whole decoded image;
/// - `photo-40mp.jpg`: an 8000×5000 baseline JPEG (the pixel limit, 120 MB decoded), smooth
///   enough to stay under the 4 MiB upload limit;
/// - `rgba16-4096.png`: a 4096×4096 16-bit RGBA PNG of zeros, exactly the decode budget;
/// - `progressive-40mp.jpg`: a flat grey 8000×5000 *progressive* 4:4:4 JPEG written by hand
///   (about 235 KB): its decoder keeps every DCT coefficient (6 bytes a pixel) besides the pixels;
/// - `rgba16-6300.png`: a 6300×6300 16-bit RGBA PNG of zeros, about 308 KB (317.5 MB decoded);
/// - `iccp-2gib.png`: a 64×64 PNG with an iCCP chunk that inflates to 2 GiB (about 2 MB);
/// - `lossless-40mp.webp`: an 8000×5000 lossless RGB WebP of one colour (its decoder works in
///   RGBA, then copies to RGB).
fn write_inputs(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let write = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        std::fs::write(dir.join(name), bytes)?;
        println!("{name}\t{} bytes", bytes.len());
        Ok(())
    };
    write("phone-12mp.jpg", &crafted::phone_jpeg(4000, 3000, true))?;
    write("square-16mp.jpg", &crafted::phone_jpeg(3999, 3999, false))?;
    write("photo-40mp.jpg", &crafted::phone_jpeg(8000, 5000, false))?;
    write("rgba16-4096.png", &crafted::zero_png(4096, 4096, 16, 6))?;
    write("progressive-40mp.jpg", &crafted::flat_progressive_jpeg(8000, 5000))?;
    write("rgba16-6300.png", &crafted::zero_png(6300, 6300, 16, 6))?;
    write("iccp-2gib.png", &crafted::with_iccp_bomb(&crafted::small_png(), 2 << 30))?;
    write("lossless-40mp.webp", &crafted::flat_lossless_webp(8000, 5000))?;
    Ok(())
}
