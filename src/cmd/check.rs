//! `zhibu check`: every check of a build, writing nothing.

use crate::cli::CheckArgs;
use crate::progress::{self, Lines};

pub fn run(args: &CheckArgs) -> anyhow::Result<()> {
    let lines = Lines { quiet: args.site.quiet };
    let built = zhibu_generator::build(&super::options(&args.site, None), &lines)?;
    progress::print_all_warnings(&built.warnings);
    if !args.site.quiet {
        eprintln!(
            "Site is fine: {} pages, {} sections, {} files would be written ({} warnings)",
            built.pages,
            built.sections,
            built.files.len(),
            built.warnings.len()
        );
    }
    Ok(())
}
