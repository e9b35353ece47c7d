//! `zhibu members import | list | reset-code | logout | remove | export | stage`: the roster and
//! members' data in the configured store. Changes are written to the audit log as `cli:<user>`.

use std::collections::HashMap;

use anyhow::{Context as _, bail};
use zhibu_functions::admin::{self, Actor};
use zhibu_functions::domain::MemberId;
use zhibu_functions::domain::joining::{self, Dated, Milestone, Road, Stage, Warning};
use zhibu_functions::file::{self, joining::JoiningRecord};
use zhibu_functions::reports::Table;
use zhibu_functions::store::{Member, Store};
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

/// Each member's stage (申请人 … 正式党员) by id: their joining record read with the roster's
/// `stage` column.
async fn stages(store: &dyn Store) -> anyhow::Result<HashMap<String, Stage>> {
    let records: HashMap<MemberId, Vec<Dated>> = file::all::<JoiningRecord>(store)
        .await?
        .into_iter()
        .map(|r| (r.member_id.clone(), r.dated()))
        .collect();
    let mut stages = HashMap::new();
    for record in store.members().await? {
        let member = record.member;
        let dated = records.get(&member.id).map(Vec::as_slice).unwrap_or_default();
        if let Some(stage) = joining::road(dated, member.stage()).stage {
            stages.insert(member.id.to_string(), stage);
        }
    }
    Ok(stages)
}

pub fn list(args: &crate::cli::ListArgs) -> anyhow::Result<()> {
    let b = super::backends(&args.data.data)?;
    let members = b.runtime.block_on(admin::overview(b.store.as_ref()))?;
    let stages = b.runtime.block_on(stages(b.store.as_ref()))?;
    let stage = |m: &admin::Overview| stages.get(&m.id).map(|s| s.label()).unwrap_or_default();
    let last = |m: &admin::Overview| {
        m.last_activity.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
    };
    if args.csv {
        let rows = members
            .iter()
            .map(|m| vec![m.id.clone(), m.name.clone(), m.role.clone(), stage(m).to_string(), last(m)])
            .collect();
        print!("{}", Table::new("members", &["id", "name", "role", "stage", "last_activity"], rows).csv());
        return Ok(());
    }
    println!("{:<12} {:<10} {:<9} {:<8} last activity", "id", "name", "role", "stage");
    for m in &members {
        let activity = if m.last_activity.is_some() { last(m) } else { "—".to_string() };
        println!("{:<12} {:<10} {:<9} {:<8} {activity}", m.id, m.name, m.role, stage(m));
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
        // Pages of thought reports (and any document's photos), without their thumbnails.
        for doc in &data.documents {
            let pages = doc.blob_keys.iter().filter(|k| !k.ends_with("-thumb.jpg"));
            for (n, key) in pages.enumerate() {
                if let Some(bytes) = b.runtime.block_on(b.blobs.get(key))? {
                    let name = format!("{}-{}-{}.jpg", doc.kind, doc.id.replace([':', '/'], "-"), n + 1);
                    private_files::write_new(&dir.join(&name), &bytes)
                        .with_context(|| format!("cannot write {name}"))?;
                    photos += 1;
                }
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
        "{id}: {} sign-ins, {} notes, {} copies, {} quiz answers, {} records of their file in {}{}",
        data.signins.len(),
        data.notes.len(),
        data.copies.len(),
        data.quiz_answers.len(),
        data.documents.len(),
        args.output.display(),
        args.photos.as_ref().map(|d| format!("; {photos} photos in {}", d.display())).unwrap_or_default()
    );
    Ok(())
}

/// A milestone by its key or Chinese name; an unknown one is an error listing them all.
fn milestone(given: &str) -> anyhow::Result<Milestone> {
    Milestone::parse(given).with_context(|| {
        let all: Vec<String> =
            Milestone::ALL.iter().map(|m| format!("  {:<20} {}", m.as_str(), m.label())).collect();
        format!(
            "no milestone {given:?}; the milestones of the joining record, in order (key or Chinese name):\n{}",
            all.join("\n")
        )
    })
}

/// `zhibu members stage ID [--milestone M --date D [--note N] | --remove M]`: records or removes
/// one milestone of a member's joining record (audited as `cli:<user>`), then shows the timeline.
pub fn stage(args: &crate::cli::StageArgs) -> anyhow::Result<()> {
    let id = member_id(&args.id)?;
    let b = super::backends(&args.data.data)?;
    let member = b
        .runtime
        .block_on(b.store.member(&id))?
        .with_context(|| format!("no member {id} in the roster"))?
        .member;
    let now = super::now();
    let today = now.date_naive();
    let store = b.store.as_ref();
    if let Some(given) = &args.milestone {
        let m = milestone(given)?;
        let dated =
            Dated::parse(Some(m.as_str()), args.date.as_deref(), args.note.as_deref()).map_err(|errors| {
                let list: Vec<String> =
                    errors.iter().map(|e| format!("--{}: {}", e.field, e.message)).collect();
                anyhow::anyhow!("{}", list.join("; "))
            })?;
        if dated.date > today {
            bail!(
                "--date {} is in the future (today is {today}): record a milestone once it has happened",
                dated.date
            );
        }
        let (label, date) = (dated.milestone.label(), dated.date);
        b.runtime.block_on(file::joining::record_milestone(
            store,
            &Actor::command_line(),
            &id,
            dated,
            now,
        ))?;
        eprintln!("{id} {}: recorded {label} on {date}.", member.name);
    } else if let Some(given) = &args.remove {
        let m = milestone(given)?;
        let removed = b.runtime.block_on(file::joining::remove_milestone(
            store,
            &Actor::command_line(),
            &id,
            m,
            now,
        ))?;
        if !removed {
            bail!("{id} has no {} recorded; nothing was removed", m.label());
        }
        eprintln!("{id} {}: removed {}.", member.name, m.label());
    }
    // The road and warnings as the secretary's page shows them (missing reports included).
    let people = b.runtime.block_on(file::joining::overview(store, today))?;
    let (road, warnings) = match people.into_iter().find(|p| p.member.id == id) {
        Some(p) => (p.road, p.warnings),
        None => (b.runtime.block_on(file::joining::road_of(store, &member))?, Vec::new()),
    };
    print_timeline(&member, &road, &warnings);
    Ok(())
}

fn print_timeline(member: &Member, road: &Road, warnings: &[Warning]) {
    println!("{} {}", member.id, member.name);
    println!("stage: {}", road.stage.map(Stage::label).unwrap_or("—"));
    let recorded: Vec<_> = road.steps.iter().filter(|s| s.date.is_some()).collect();
    if recorded.is_empty() {
        println!("no milestones recorded");
    }
    for step in recorded {
        let date = step.date.map(|d| d.to_string()).unwrap_or_default();
        let note = if step.note.is_empty() { String::new() } else { format!("（{}）", step.note) };
        println!("  {date}  {}{note}", step.milestone.label());
    }
    match road.next {
        Some(next) => println!("next: {} — {}", next.label(), next.needs()),
        None => println!("next: —"),
    }
    if let Some(ends) = road.probation_ends {
        println!("probation ends: {ends}");
    }
    for w in warnings {
        println!("warning: {}", w.message);
    }
}
