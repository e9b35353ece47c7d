//! `zhibu notes publish`: approved study notes into the site's content as Markdown pages.

use zhibu_functions::catalog::Catalog;
use zhibu_functions::store::AuditEntry;

use crate::cli::PublishArgs;

pub fn publish(args: &PublishArgs) -> anyhow::Result<()> {
    let catalog_path = match &args.catalog {
        Some(p) => p.clone(),
        None => zhibu_functions::config::Config::from_env(&args.data.data)?.catalog,
    };
    // Titles of the source pages are nice to have, not required: without a build, the path.
    let catalog = Catalog::from_file(&catalog_path).unwrap_or_default();
    let b = super::backends(&args.data.data)?;
    let published =
        b.runtime.block_on(zhibu_functions::publish::approved_notes(b.store.as_ref(), &catalog, &args.to))?;
    for path in &published.written {
        eprintln!("  wrote {}", path.display());
    }
    if !published.written.is_empty() {
        let entry = AuditEntry {
            at: super::now(),
            actor: zhibu_functions::admin::Actor::command_line().0,
            action: "notes.publish".into(),
            target: args.to.display().to_string(),
            detail: format!("发布 {} 篇心得", published.written.len()),
        };
        b.runtime.block_on(b.store.append_audit(&entry))?;
    }
    eprintln!(
        "{} approved notes written, {} already published; commit them to put them on the site.",
        published.written.len(),
        published.already
    );
    Ok(())
}
