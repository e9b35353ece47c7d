//! `zhibu build`: render everything in memory, then write only what changed.

use std::time::Instant;

use anyhow::Context as _;

use zhibu_generator::messages::{self, Phase};

use crate::cli::BuildArgs;
use crate::progress::{self, Lines, say};

pub fn run(args: &BuildArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let lines = Lines { quiet: args.site.quiet };
    let options = super::options(&args.site, args.base_url.clone());
    if !args.site.quiet {
        eprintln!("{}", say(&messages::building(&args.site.root.display().to_string())));
    }
    let built = zhibu_generator::build(&options, &lines)?;
    progress::print_warnings(&built.warnings);
    let output = match &args.output {
        Some(o) => o.clone(),
        None => args.site.root.join(&built.output_dir),
    };
    let write_start = Instant::now();
    let catalog = match &args.catalog {
        Some(c) => c.clone(),
        None => args.site.root.join(zhibu_generator::catalog::DEFAULT_PATH),
    };
    if catalog.starts_with(&output) {
        let message =
            messages::catalog_in_output(&catalog.display().to_string(), &output.display().to_string());
        anyhow::bail!("{}", say(&message));
    }
    let report = zhibu_generator::output::sync_with(&output, &built.files, built.sync)
        .with_context(|| say(&messages::cannot_write_output(&output.display().to_string())).to_string())?;
    zhibu_generator::output::write_file(&catalog, built.catalog.to_json().as_bytes())
        .with_context(|| say(&messages::cannot_write_catalog(&catalog.display().to_string())).to_string())?;
    if !args.site.quiet {
        use zhibu_generator::Progress as _;
        let written = messages::written_count(report.written, report.unchanged, report.removed);
        lines.phase(Phase::Write, &written, write_start.elapsed());
        let took = progress::format_duration(start.elapsed());
        let done = messages::built(built.pages, built.sections, &output.display().to_string(), &took);
        eprintln!("{}", say(&done));
    }
    Ok(())
}
