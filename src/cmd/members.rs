//! `zhibu members import | list | reset-code | logout | remove | export`: the roster and members' data in
//! the configured store. Changes are written to the audit log as `cli:<user>`.

use anyhow::{Context as _, bail};
use zhibu_functions::admin::{self, Actor};
use zhibu_functions::reports::Table;
use zhibu_functions::{app, config, private_files, roster};

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
    runtime.block_on(admin::audit(
        store.as_ref(),
        &Actor::command_line(),
        super::now(),
        "members.import",
        &args.roster.display().to_string(),
        format!("新增 {} 人，更新 {} 人", imported.new_codes.len(), imported.updated),
    ))?;
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

fn member_id(id: &str) -> anyhow::Result<zhibu_functions::domain::MemberId> {
    zhibu_functions::domain::MemberId::parse(id).map_err(|e| anyhow::anyhow!("{id:?}: {}", e.message))
}

pub fn list(args: &crate::cli::ListArgs) -> anyhow::Result<()> {
    let b = super::backends(&args.data.data)?;
    let members = b.runtime.block_on(admin::overview(b.store.as_ref()))?;
    let last = |m: &admin::Overview| {
        m.last_activity.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
    };
    if args.csv {
        let rows =
            members.iter().map(|m| vec![m.id.clone(), m.name.clone(), m.role.clone(), last(m)]).collect();
        print!("{}", Table::new("members", &["id", "name", "role", "last_activity"], rows).csv());
        return Ok(());
    }
    println!("{:<12} {:<10} {:<7} last activity", "id", "name", "role");
    for m in &members {
        let activity = if m.last_activity.is_some() { last(m) } else { "—".to_string() };
        println!("{:<12} {:<10} {:<7} {activity}", m.id, m.name, m.role);
    }
    eprintln!("{} members", members.len());
    Ok(())
}

pub fn reset_code(args: &crate::cli::ResetCodeArgs) -> anyhow::Result<()> {
    if args.codes.exists() {
        bail!("{} already exists: codes are written once, so choose a new file name", args.codes.display());
    }
    let id = member_id(&args.id)?;
    let b = super::backends(&args.data.data)?;
    let record =
        b.runtime.block_on(b.store.member(&id))?.with_context(|| format!("no member {id} in the roster"))?;
    let code =
        b.runtime.block_on(admin::reset_code(b.store.as_ref(), &Actor::command_line(), &id, super::now()))?;
    config::write_private(&args.codes, &roster::codes_csv(&[(record.member, code)]), false)
        .with_context(|| format!("cannot write {}", args.codes.display()))?;
    eprintln!(
        "{id} has a new access code in {} (the old one no longer works, and neither does any login made with it) — hand it over, then delete the file.",
        args.codes.display()
    );
    Ok(())
}

pub fn logout(args: &crate::cli::LogoutArgs) -> anyhow::Result<()> {
    let id = member_id(&args.id)?;
    let b = super::backends(&args.data.data)?;
    let ended = b.runtime.block_on(admin::end_sessions(
        b.store.as_ref(),
        &Actor::command_line(),
        &id,
        super::now(),
    ))?;
    if !ended {
        bail!("no member {id} in the roster");
    }
    eprintln!("{id} is logged out everywhere: every session ended; their access code still works.");
    Ok(())
}

pub fn remove(args: &crate::cli::RemoveArgs) -> anyhow::Result<()> {
    let id = member_id(&args.id)?;
    if args.erase && !args.yes {
        bail!(
            "--erase deletes every sign-in, note, copy, quiz answer and photo of {id} and cannot be undone; \
             export them first (`zhibu members export {id} --output {id}.json --photos {id}-photos`), \
             then run again with --yes"
        );
    }
    let b = super::backends(&args.data.data)?;
    let removed = b.runtime.block_on(admin::remove(
        b.store.as_ref(),
        b.blobs.as_ref(),
        &Actor::command_line(),
        &id,
        args.erase,
        super::now(),
    ))?;
    if args.erase {
        eprintln!("{id}: removed from the roster, every record erased, {} photos deleted.", removed.photos);
    } else {
        eprintln!("{id}: removed from the roster (can no longer log in); their records stay until --erase.");
    }
    Ok(())
}

pub fn export(args: &crate::cli::ExportArgs) -> anyhow::Result<()> {
    let id = member_id(&args.id)?;
    if args.output.exists() {
        bail!("{} already exists", args.output.display());
    }
    if let Some(dir) = &args.photos
        && dir.read_dir().is_ok_and(|mut d| d.next().is_some())
    {
        bail!("{} is not empty", dir.display());
    }
    let b = super::backends(&args.data.data)?;
    let data = b.runtime.block_on(admin::export(b.store.as_ref(), &id))?;
    let mut photos = 0;
    if let Some(dir) = &args.photos {
        private_files::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for copy in &data.copies {
            let bytes = b.runtime.block_on(b.blobs.get(&copy.photo_key))?;
            if let Some(bytes) = bytes {
                let name = format!("{}-day{:03}.jpg", copy.campaign, copy.day);
                private_files::write_new(&dir.join(&name), &bytes)
                    .with_context(|| format!("cannot write {name}"))?;
                photos += 1;
            }
        }
    }
    config::write_private(&args.output, &(serde_json::to_string_pretty(&data)? + "\n"), false)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    b.runtime.block_on(admin::exported(
        b.store.as_ref(),
        &Actor::command_line(),
        &id,
        &args.output.display().to_string(),
        super::now(),
    ))?;
    eprintln!(
        "{id}: {} sign-ins, {} notes, {} copies, {} quiz answers in {}{}",
        data.signins.len(),
        data.notes.len(),
        data.copies.len(),
        data.quiz_answers.len(),
        args.output.display(),
        args.photos.as_ref().map(|d| format!("; {photos} photos in {}", d.display())).unwrap_or_default()
    );
    Ok(())
}
