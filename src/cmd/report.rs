//! `zhibu report attendance | copies | notes | reports | joining | dues | review`: the functions'
//! report tables
//! written as CSV (UTF-8 with a byte-order mark, so Excel and WPS read the Chinese right) or as
//! real XLSX.

use std::path::Path;

use anyhow::{Context as _, bail};
use rust_xlsxwriter::{Format, Workbook};
use zhibu_functions::catalog::Catalog;
use zhibu_functions::domain::{NoteStatus, Quarter};
use zhibu_functions::reports::{self, Table};

use crate::cli::{
    AttendanceArgs, CopiesArgs, DuesReportArgs, JoiningReportArgs, NotesReportArgs, ReportOut,
    ReviewReportArgs, ThoughtReportsArgs,
};

fn catalog(out: &ReportOut) -> anyhow::Result<Catalog> {
    super::catalog(out.catalog.as_deref(), &out.data.data)
}

pub fn stats(args: &crate::cli::StatsArgs) -> anyhow::Result<()> {
    let catalog = super::catalog(args.catalog.as_deref(), &args.data.data)?;
    let b = super::backends(&args.data.data)?;
    let stats = b.runtime.block_on(reports::stats(b.store.as_ref(), &catalog, super::now()))?;
    if let Some(dir) = args.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = args.output.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&stats)? + "\n")
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &args.output).with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "Statistics of {} events and {} campaigns ({} members, counts only) in {}; rebuild the site to chart them.",
        stats.events.len(),
        stats.campaigns.len(),
        stats.members,
        args.output.display()
    );
    Ok(())
}

pub fn xlsx_bytes(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // Sheet names: at most 31 characters, none of []:*?/\
    let name: String = table.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    sheet.set_name(if name.is_empty() { "report" } else { &name })?;
    let bold = Format::new().set_bold();
    for (c, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, header, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Numbers as numbers, so the college can sum them; everything else as text.
            match cell.parse::<f64>() {
                Ok(n) if table.numeric.contains(&c) => sheet.write_number(r as u32 + 1, c as u16, n)?,
                _ => sheet.write_string(r as u32 + 1, c as u16, cell)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}

fn write(table: &Table, out: &ReportOut) -> anyhow::Result<()> {
    let bytes = match out.format.as_str() {
        "xlsx" => xlsx_bytes(table)?,
        _ => table.csv().into_bytes(),
    };
    match &out.output {
        Some(path) => write_new(path, &bytes)?,
        None if out.format == "xlsx" => bail!("--format xlsx needs --output FILE.xlsx"),
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    eprintln!(
        "{}: {} rows{}",
        table.title,
        table.rows.len(),
        out.output.as_ref().map(|p| format!(" in {}", p.display())).unwrap_or_default()
    );
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))
}

pub fn attendance(args: &AttendanceArgs) -> anyhow::Result<()> {
    if args.to < args.from {
        bail!("--to ({}) is before --from ({})", args.to, args.from);
    }
    let catalog = catalog(&args.out)?;
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::attendance(b.store.as_ref(), &catalog, args.from, args.to))?;
    write(&table, &args.out)
}

pub fn copies(args: &CopiesArgs) -> anyhow::Result<()> {
    let catalog = catalog(&args.out)?;
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::copies(b.store.as_ref(), &catalog, &args.campaign))?;
    write(&table, &args.out)
}

pub fn notes(args: &NotesReportArgs) -> anyhow::Result<()> {
    let status = args.status.as_deref().and_then(NoteStatus::parse);
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::notes(b.store.as_ref(), status))?;
    write(&table, &args.out)
}

/// The quarter `--quarter` names (default: the current one, Beijing time); one still to come has
/// no reports yet, so it is refused.
fn quarter(given: Option<&str>) -> anyhow::Result<Quarter> {
    let today = super::now().date_naive();
    let Some(given) = given else { return Ok(Quarter::of(today)) };
    let quarter = Quarter::parse(given).with_context(|| {
        format!("--quarter {given:?} is not a quarter: write it like 2026Q4 (year, Q, 1–4)")
    })?;
    if quarter > Quarter::of(today) {
        bail!("--quarter {quarter} has not begun yet (the current quarter is {})", Quarter::of(today));
    }
    Ok(quarter)
}

pub fn thought_reports(args: &ThoughtReportsArgs) -> anyhow::Result<()> {
    let quarter = quarter(args.quarter.as_deref())?;
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::thought_reports(b.store.as_ref(), quarter))?;
    write(&table, &args.out)
}

pub fn joining(args: &JoiningReportArgs) -> anyhow::Result<()> {
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::joining(b.store.as_ref(), super::now().date_naive()))?;
    write(&table, &args.out)
}

/// `zhibu report dues [--year Y]`: the ledger of a year (default: this one, Beijing time) as of
/// today; a year still to come has no dues yet, so it is refused.
pub fn dues(args: &DuesReportArgs) -> anyhow::Result<()> {
    use chrono::Datelike as _;
    let today = super::now().date_naive();
    let year = args.year.unwrap_or(today.year());
    if year > today.year() {
        bail!("--year {year} has not begun yet (this year is {})", today.year());
    }
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::dues(b.store.as_ref(), year, today))?;
    write(&table, &args.out)
}

/// `zhibu report review --review ID`: a review round declared in the catalog.
pub fn review(args: &ReviewReportArgs) -> anyhow::Result<()> {
    let catalog = catalog(&args.out)?;
    let b = super::backends(&args.out.data.data)?;
    let table = b.runtime.block_on(reports::review(b.store.as_ref(), &catalog, &args.review))?;
    write(&table, &args.out)
}
