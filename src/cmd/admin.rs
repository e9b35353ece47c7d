//! `zhibu admin init | purge | migrate | backup | verify | restore`: prepare the configured
//! backends; move a branch between them; back up one machine's data and bring it back.

use anyhow::bail;
use zhibu_functions::config::{BlobsConfig, Config, StoreConfig};
use zhibu_functions::{app, migrate};

use crate::cli::{BackupArgs, InitArgs, MigrateArgs, PurgeArgs, RestoreArgs, VerifyArgs};
use zhibu_functions::backup;

/// The local store and photo folder, which are all a backup can copy.
fn local(data: &std::path::Path) -> anyhow::Result<(std::path::PathBuf, std::path::PathBuf)> {
    let config = Config::from_env(data)?;
    match (config.store, config.blobs) {
        (StoreConfig::Sqlite(db), BlobsConfig::Dir(blobs)) => Ok((db, blobs)),
        _ => bail!(
            "backups are of the embedded store and photo folder (sqlite: and dir:); DynamoDB keeps \
             its own (point-in-time recovery), and `zhibu admin migrate` copies to SQLite"
        ),
    }
}

fn print_counts(c: &backup::Counts) {
    println!(
        "members {}  sign-ins {}  notes {}  copies {}  documents {}  photos {}",
        c.members, c.signins, c.notes, c.copies, c.documents, c.photos
    );
}

pub fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    let (db, blobs) = local(&args.data.data)?;
    let started = std::time::Instant::now();
    let say = |line: &str| eprintln!("  {line}");
    eprintln!("Backing up {} and {} to {}", db.display(), blobs.display(), args.to.display());
    let manifest = super::runtime()?.block_on(backup::backup(&db, &blobs, &args.to, super::now(), &say))?;
    print_counts(&manifest.counts);
    if !manifest.removed_during_backup.is_empty() {
        eprintln!(
            "Note: {} photos were removed (replaced or erased) while the backup ran; the manifest lists them.",
            manifest.removed_during_backup.len()
        );
    }
    eprintln!("Done in {}: {}", crate::progress::format_duration(started.elapsed()), args.to.display());
    Ok(())
}

pub fn verify(args: &VerifyArgs) -> anyhow::Result<()> {
    let verified = super::runtime()?.block_on(backup::verify(&args.dir))?;
    print_counts(&verified.counts);
    eprintln!("OK: {} (taken {}) is whole and consistent.", args.dir.display(), verified.manifest.created_at);
    Ok(())
}

pub fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let (db, blobs) = local(&args.data.data)?;
    let say = |line: &str| eprintln!("  {line}");
    eprintln!("Restoring {} into {}", args.from.display(), args.data.data.display());
    let verified = super::runtime()?.block_on(backup::restore(&args.from, &db, &blobs, &say))?;
    print_counts(&verified.counts);
    eprintln!("Done. Start the server; members log in again (the token secret is not in backups).");
    Ok(())
}

pub fn purge(args: &PurgeArgs) -> anyhow::Result<()> {
    let days = match args.days {
        Some(d) if d >= 1 => d,
        Some(_) => bail!("--days must be at least 1"),
        None => zhibu_functions::retention::location_days_from_env()?,
    };
    let b = super::backends(&args.data.data)?;
    let actor = zhibu_functions::admin::Actor::command_line();
    let purged =
        b.runtime.block_on(zhibu_functions::admin::purge(b.store.as_ref(), &actor, days, super::now()))?;
    eprintln!("Removed the location of {purged} sign-ins older than {days} days (attendance is kept).");
    Ok(())
}

pub fn init(args: &InitArgs) -> anyhow::Result<()> {
    let config = Config::from_env(&args.data)?;
    super::runtime()?.block_on(async {
        // Creating leaves existing data alone: the SQLite schema uses IF NOT EXISTS, the table
        // and the bucket are created only when missing.
        let (_, store) = app::prepare_store(&config.store).await?;
        let (_, blobs) = app::prepare_blobs(&config.blobs).await?;
        eprintln!("Ready: {store}; {blobs}");
        Ok(())
    })
}

pub fn migrate(args: &MigrateArgs) -> anyhow::Result<()> {
    let from = StoreConfig::parse(&args.from)?;
    let to = StoreConfig::parse(&args.to)?;
    if from == to {
        bail!("--from and --to are the same store ({})", args.from);
    }
    if let StoreConfig::Sqlite(path) = &from
        && !path.exists()
    {
        bail!("--from {}: no such file", args.from);
    }
    let blobs = match (&args.blobs_from, &args.blobs_to) {
        (Some(f), Some(t)) => Some((BlobsConfig::parse(f)?, BlobsConfig::parse(t)?)),
        _ => None,
    };
    super::runtime()?.block_on(async {
        let source = app::open_store(&from).await?;
        let (target, what) = app::prepare_store(&to).await?;
        eprintln!("Migrating {} → {} ({what})", args.from, args.to);
        let say = |line: &str| eprintln!("  {line}");
        let mut tallies = migrate::records(source.as_ref(), target.as_ref(), &say).await?;
        if let Some((f, t)) = &blobs {
            let source = app::open_blobs(f).await?;
            let (target, what) = app::prepare_blobs(t).await?;
            eprintln!("Copying photos ({what})");
            tallies.push(migrate::blobs(source.as_ref(), target.as_ref(), &say).await?);
        }
        print_tallies(&tallies);
        let bad: Vec<&str> = tallies.iter().filter(|t| !t.matches()).map(|t| t.kind).collect();
        if !bad.is_empty() {
            bail!(
                "the target differs from the source for {}; nothing was deleted from the source — \
                 look at the target, then run the same command again",
                bad.join(", ")
            );
        }
        eprintln!("Done: every record is in the target and both sides have the same checksums.");
        Ok(())
    })
}

fn print_tallies(tallies: &[migrate::Tally]) {
    println!(
        "{:<9} {:>7} {:>8} {:>8} {:>7}  checksum (sha256, first 16)",
        "kind", "source", "written", "already", "target"
    );
    for t in tallies {
        let check = if t.matches() { "ok" } else { "MISMATCH" };
        println!(
            "{:<9} {:>7} {:>8} {:>8} {:>7}  {} {} {check}",
            t.kind,
            t.source,
            t.written,
            t.already,
            t.target,
            &t.source_sha256[..16],
            if t.source_sha256 == t.target_sha256 { "=" } else { "≠" },
        );
    }
}
