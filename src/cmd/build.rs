//! `zhibu build`: render everything in memory, then write only what changed.

use std::time::Instant;

use anyhow::Context as _;

use crate::cli::BuildArgs;
use crate::progress::{self, Lines};

pub fn run(args: &BuildArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let lines = Lines { quiet: args.site.quiet };
    if !args.site.quiet {
        eprintln!("Building site in {}", args.site.root.display());
    }
    let built = zhibu_generator::build(&super::options(&args.site, args.base_url.clone()), &lines)?;
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
        anyhow::bail!(
            "the catalog {} would be published inside the output folder {}: it holds the quiz answer keys; choose another --catalog",
            catalog.display(),
            output.display()
        );
    }
    let report = zhibu_generator::output::sync(&output, &built.files)
        .with_context(|| format!("cannot write the output folder {}", output.display()))?;
    zhibu_generator::output::write_file(&catalog, built.catalog.to_json().as_bytes())
        .with_context(|| format!("cannot write the catalog {}", catalog.display()))?;
    if !args.site.quiet {
        use zhibu_generator::Progress as _;
        lines.phase(
            "write",
            &format!(
                "{} written, {} unchanged, {} removed",
                report.written, report.unchanged, report.removed
            ),
            write_start.elapsed(),
        );
        eprintln!(
            "Done: {} pages, {} sections into {} in {}",
            built.pages,
            built.sections,
            output.display(),
            progress::format_duration(start.elapsed())
        );
    }
    Ok(())
}
