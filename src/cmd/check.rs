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
    let mut warnings = built.warnings.clone();
    if args.external {
        let checker = &built.link_checker;
        let outcome = crate::external_links::check(
            &args.site.root,
            &built.external_links,
            &checker.skip_prefixes,
            &checker.skip_anchor_prefixes,
            std::time::Duration::from_secs(args.timeout),
        );
        if !args.site.quiet {
            eprintln!("{}", say(&outcome.summary));
        }
        if checker.external_level == zhibu_generator::config::LinkLevel::Error && !outcome.problems.is_empty()
        {
            let mut problems = zhibu_generator::problems::Problems::default();
            problems.extend(outcome.problems);
            return Err(problems.into_error().with_warnings(warnings).in_lang(progress::lang()).into());
        }
        warnings.extend(outcome.problems);
    }
    progress::print_all_warnings(&warnings);
    if !args.site.quiet {
        let summary = messages::site_is_fine(built.pages, built.sections, built.files.len(), warnings.len());
        eprintln!("{}", say(&summary));
    }
    Ok(())
}
