//! Progress lines on stderr: one per phase with counts and times; silent with `--quiet`.

use std::time::Duration;

use zhibu_generator::Problem;

pub struct Lines {
    pub quiet: bool,
}

impl zhibu_generator::Progress for Lines {
    fn phase(&self, name: &str, detail: &str, elapsed: Duration) {
        if !self.quiet {
            let memory = resident_memory().map(|m| format!("  {m}")).unwrap_or_default();
            eprintln!("  {name:<10} {detail:<48} {:>8}{memory}", format_duration(elapsed));
        }
    }
}

/// Resident memory of this process, where the system tells it (Linux).
fn resident_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 =
        status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(if kib >= 1024.0 * 1024.0 {
        format!("{:.1} GiB", kib / 1024.0 / 1024.0)
    } else {
        format!("{:.0} MiB", kib / 1024.0)
    })
}

pub fn format_duration(d: Duration) -> String {
    if d.as_millis() >= 1000 { format!("{:.2} s", d.as_secs_f64()) } else { format!("{} ms", d.as_millis()) }
}

/// How many warnings are printed one by one before the rest are only counted.
const SHOWN_WARNINGS: usize = 20;

/// Warnings never fail a build but are always shown (the first ones in full, then a count).
pub fn print_warnings(warnings: &[Problem]) {
    for w in warnings.iter().take(SHOWN_WARNINGS) {
        eprintln!("warning: {w}");
    }
    if warnings.len() > SHOWN_WARNINGS {
        eprintln!(
            "warning: … and {} more warnings (`zhibu check` lists them all)",
            warnings.len() - SHOWN_WARNINGS
        );
    }
}

/// Every warning, for `zhibu check`.
pub fn print_all_warnings(warnings: &[Problem]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}
