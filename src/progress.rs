//! Progress lines and warnings on stderr, in the run's language; progress is silent with
//! `--quiet`.

use std::sync::OnceLock;
use std::time::Duration;

use zhibu_generator::Problem;
use zhibu_generator::messages::{self, Lang, Phase, Text};

/// The language of this run's messages, chosen once by [`set_lang`] when the command reads its
/// site (`ZHIBU_LANG`, else the site's `default_language`); English before that.
static LANG: OnceLock<Lang> = OnceLock::new();

pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// A message in the run's language.
pub fn say(text: &Text) -> &str {
    text.get(lang())
}

pub struct Lines {
    pub quiet: bool,
}

impl zhibu_generator::Progress for Lines {
    fn phase(&self, phase: Phase, detail: &Text, elapsed: Duration) {
        if !self.quiet {
            let memory = resident_memory().map(|m| format!("  {m}")).unwrap_or_default();
            let name = messages::phase(phase);
            eprintln!("  {:<10} {:<48} {:>8}{memory}", say(&name), say(detail), format_duration(elapsed));
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
    let prefix = messages::warning_prefix();
    for w in warnings.iter().take(SHOWN_WARNINGS) {
        eprintln!("{}{}", say(&prefix), w.render(lang()));
    }
    if warnings.len() > SHOWN_WARNINGS {
        eprintln!("{}{}", say(&prefix), say(&messages::more_warnings(warnings.len() - SHOWN_WARNINGS)));
    }
}

/// Every warning, for `zhibu check`.
pub fn print_all_warnings(warnings: &[Problem]) {
    let prefix = messages::warning_prefix();
    for w in warnings {
        eprintln!("{}{}", say(&prefix), w.render(lang()));
    }
}
