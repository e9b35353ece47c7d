//! `zhibu members import`: the roster into the configured store.

use anyhow::{Context as _, bail};
use zhibu_functions::{app, config, roster};

use crate::cli::ImportArgs;

pub fn import(args: &ImportArgs) -> anyhow::Result<()> {
    if args.codes.exists() {
        bail!(
            "{} already exists: codes are written once, so choose a new file name (existing members keep their codes)",
            args.codes.display()
        );
    }
    let text = std::fs::read_to_string(&args.roster)
        .with_context(|| format!("cannot read {}", args.roster.display()))?;
    let members = match roster::parse(&text) {
        Ok(m) => m,
        Err(errors) => {
            let list: Vec<String> = errors
                .iter()
                .map(|e| format!("  {}:{}: {}", args.roster.display(), e.line, e.message))
                .collect();
            bail!("the roster has {} problem(s); nothing was imported:\n{}", errors.len(), list.join("\n"));
        }
    };
    let config = config::Config::from_env(&args.data)?;
    let runtime = super::runtime()?;
    let store = runtime.block_on(app::open_store(&config.store))?;
    let total = members.len();
    let imported = runtime.block_on(roster::import(store.as_ref(), members))?;
    if !imported.new_codes.is_empty() {
        config::write_private(&args.codes, &roster::codes_csv(&imported.new_codes), false)
            .with_context(|| format!("cannot write {}", args.codes.display()))?;
    }
    eprintln!(
        "Imported {total} members: {} new, {} updated (codes kept).",
        imported.new_codes.len(),
        imported.updated
    );
    if imported.new_codes.is_empty() {
        eprintln!("No new members, so no codes file was written.");
    } else {
        eprintln!(
            "The new members' access codes are in {} — hand each member their own code, then delete the file.",
            args.codes.display()
        );
    }
    Ok(())
}
