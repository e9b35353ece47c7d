//! `zhibu notes publish`: approved study notes into the site's content as Markdown pages.

use zhibu_functions::admin;

use crate::cli::PublishArgs;

pub fn publish(args: &PublishArgs) -> anyhow::Result<()> {
    // Titles of the source pages are nice to have, not required: without a build, the path.
    let catalog = super::catalog(args.catalog.as_deref(), &args.data.data).unwrap_or_default();
    let b = super::backends(&args.data.data)?;
    let published =
        b.runtime.block_on(zhibu_functions::publish::approved_notes(b.store.as_ref(), &catalog, &args.to))?;
    for path in &published.written {
        eprintln!("  wrote {}", path.display());
    }
    if !published.written.is_empty() {
        b.runtime.block_on(admin::audit(
            b.store.as_ref(),
            &admin::Actor::command_line(),
            super::now(),
            "notes.publish",
            &args.to.display().to_string(),
            format!("发布 {} 篇心得", published.written.len()),
        ))?;
    }
    eprintln!(
        "{} approved notes written, {} already published; commit them to put them on the site.",
        published.written.len(),
        published.already
    );
    Ok(())
}
