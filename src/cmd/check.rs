//! `zhibu check`: every check of a build, writing nothing.

use zhibu_generator::messages;

use crate::cli::CheckArgs;
use crate::progress::{self, Lines, say};

pub fn run(args: &CheckArgs) -> anyhow::Result<()> {
    let lines = Lines { quiet: args.site.quiet };
    let options = zhibu_generator::BuildOptions {
        mode: zhibu_generator::config::Mode::Check,
        ..super::options(&args.site, None)
    };
    let built = zhibu_generator::build(&options, &lines)?;
    progress::print_all_warnings(&built.warnings);
    if !args.site.quiet {
        let summary =
            messages::site_is_fine(built.pages, built.sections, built.files.len(), built.warnings.len());
        eprintln!("{}", say(&summary));
    }
    Ok(())
}
