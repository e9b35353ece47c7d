//! Peak memory of photo processing, measured where it is paid: the resident set of a process.
//! Each case runs in a fresh child process (this test binary again, running only [`child`]),
//! which makes its input, resets its peak (`/proc/self/clear_refs`), processes the input and
//! prints how far its resident set rose. Linux only.
//!
//! The child fixes glibc's mmap threshold (`MALLOC_MMAP_THRESHOLD_`): otherwise the threshold
//! follows the largest buffer freed so far, and each thread's arena keeps freed buffers below it,
//! so the peak of many threads would show what the allocator keeps, not what is used at once.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use crate::crafted;

use std::process::Command;

use zhibu_functions::photos::{self, DECODE_SLOTS, PhotoError};

const CASE: &str = "ZHIBU_PHOTO_MEMORY_CASE";

fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':'))).unwrap();
    line.trim().trim_end_matches("kB").trim().parse().unwrap()
}

/// Processes `input` on `copies` threads at once; (accepted, refused, MiB the resident set rose).
fn measure(input: &[u8], copies: usize) -> (usize, Vec<PhotoError>, f64) {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_kib("VmRSS");
    let results: Vec<_> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..copies).map(|_| s.spawn(|| photos::process(input))).collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let peak = status_kib("VmHWM");
    let accepted = results.iter().filter(|r| r.is_ok()).count();
    let refused = results.into_iter().filter_map(Result::err).collect();
    (accepted, refused, peak.saturating_sub(before) as f64 / 1024.0)
}

/// Runs in the child only (when CASE is set): one line per measurement,
/// `MEASURED <accepted> <refused> <MiB> <first refusal>`.
#[test]
fn child() {
    let Ok(case) = std::env::var(CASE) else { return };
    let report = |(accepted, refused, mib): (usize, Vec<PhotoError>, f64)| {
        let first = refused.first().map(ToString::to_string).unwrap_or_default();
        println!("MEASURED {accepted} {} {mib:.1} {first}", refused.len());
    };
    match case.as_str() {
        "rgba16" => report(measure(&crafted::zero_png(6300, 6300, 16, 6), 1)),
        "iccp" => report(measure(&crafted::with_iccp_bomb(&crafted::small_png(), 1 << 30), 1)),
        "progressive" => report(measure(&crafted::flat_progressive_jpeg(8000, 5000), 1)),
        "deep" => report(measure(&crafted::zero_png(2000, 2000, 16, 6), 1)),
        "parallel" => {
            let photo = crafted::phone_jpeg(2000, 1500, false);
            report(measure(&photo, 1));
            report(measure(&photo, 8));
        }
        other => panic!("no case {other}"),
    }
}

/// Runs `case` in a child process; one (accepted, refused, MiB, first refusal) per measurement.
fn run(case: &str) -> Vec<(usize, usize, f64, String)> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["photo_memory::child", "--exact", "--nocapture", "--test-threads", "1"])
        .env(CASE, case)
        .env("MALLOC_MMAP_THRESHOLD_", "1048576")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{case}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<_> = stdout
        .lines()
        .filter_map(|l| l.split_once("MEASURED ").map(|(_, measured)| measured))
        .map(|l| {
            let mut parts = l.splitn(4, ' ');
            let mut next = || parts.next().unwrap_or_default().to_string();
            (next().parse().unwrap(), next().parse().unwrap(), next().parse().unwrap(), next())
        })
        .collect();
    assert!(!lines.is_empty(), "{case}: {stdout}");
    lines
}

#[test]
fn a_308_kb_16_bit_rgba_png_is_refused_without_allocating_its_pixels() {
    // Before the byte budget it was accepted, at +455 MiB (317.5 MB of 16-bit pixels, then an
    // 8-bit copy beside them).
    let [(accepted, refused, mib, why)] = &run("rgba16")[..] else { panic!() };
    assert_eq!((*accepted, *refused), (0, 1), "{why}");
    assert!(why.contains("over the 128 MiB budget"), "{why}");
    assert!(*mib < 8.0, "{mib} MiB");
}

#[test]
fn an_iccp_profile_that_inflates_to_a_gigabyte_is_never_inflated() {
    // Before, the PNG decoder inflated it up to its allocation limit (about +370 MiB), then
    // ignored the error and accepted the image.
    let [(accepted, _, mib, why)] = &run("iccp")[..] else { panic!() };
    assert_eq!(*accepted, 1, "{why}");
    assert!(*mib < 8.0, "{mib} MiB");
}

#[test]
fn a_small_progressive_40_megapixel_jpeg_is_refused_without_decoding() {
    // 235 KB; decoding it took +344 MiB: 114 MiB of pixels and 229 MiB of coefficients.
    let [(accepted, refused, mib, why)] = &run("progressive")[..] else { panic!() };
    assert_eq!((*accepted, *refused), (0, 1), "{why}");
    assert!(*mib < 8.0, "{mib} MiB");
}

#[test]
fn a_16_bit_png_is_narrowed_and_flattened_in_its_own_buffer() {
    // 2000×2000 16-bit RGBA: 30.5 MiB decoded; before, an 8-bit RGBA copy came on top (+46 MiB).
    let [(accepted, _, mib, why)] = &run("deep")[..] else { panic!() };
    assert_eq!(*accepted, 1, "{why}");
    assert!(*mib < 30.5 + 6.0, "{mib} MiB");
}

#[test]
fn eight_parallel_uploads_take_the_memory_of_two() {
    // 3-megapixel JPEGs (8.6 MiB decoded); before the decode slots, eight at once took about
    // eight times one.
    let measured = run("parallel");
    let [(1, 0, one, _), (8, 0, eight, _)] = &measured[..] else { panic!("{measured:?}") };
    let slots = DECODE_SLOTS as f64;
    assert!(*one > 8.0, "one photo takes its 8.6 MiB of pixels: {one} MiB");
    assert!(*eight < slots * one + 16.0, "8 at once: {eight} MiB; one: {one} MiB");
}
