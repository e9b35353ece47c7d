//! The joining record (发展党员纪实): one record per person holding their dated milestones, which
//! admins write (the API, or `zhibu members stage` in the shell); the person's road read from it;
//! and the branch's overview — everyone on the road, in roster order, with their next step and
//! every warning (the record's own rules, quarters without a 思想汇报).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::reports::{self, Report, ReportStatus};
use super::{Change, Kept, update};
use crate::domain::joining::{self, Dated, Milestone, Road, Stage, Warning};
use crate::domain::{MemberId, Quarter};
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, Member, MemberStore, StoreResult};

/// One milestone as recorded, with who recorded it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(flatten)]
    pub dated: Dated,
    pub recorded_by: String,
    pub recorded_at: DateTime<FixedOffset>,
}

/// A person's joining record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoiningRecord {
    pub member_id: MemberId,
    /// In milestone order, one entry per milestone.
    pub milestones: Vec<Entry>,
}

impl Kept for JoiningRecord {
    const KIND: &'static str = "joining";

    fn id(&self) -> String {
        self.member_id.to_string()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

impl JoiningRecord {
    pub fn dated(&self) -> Vec<Dated> {
        self.milestones.iter().map(|e| e.dated.clone()).collect()
    }
}

/// A person's recorded milestones (none when nothing is recorded).
pub async fn record_of(store: &(impl DocumentStore + ?Sized), member: &MemberId) -> StoreResult<Vec<Dated>> {
    let record: Option<super::Versioned<JoiningRecord>> = super::load(store, member.as_str()).await?;
    Ok(record.map(|r| r.value.dated()).unwrap_or_default())
}

/// A person's road: their record read with the roster's stage.
pub async fn road_of(store: &(impl DocumentStore + ?Sized), member: &Member) -> StoreResult<Road> {
    Ok(joining::road(&record_of(store, &member.id).await?, member.stage()))
}

/// Records (or corrects) one milestone of a person's record and writes the audit line.
pub async fn record_milestone(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    member: &MemberId,
    dated: Dated,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<JoiningRecord> {
    let entry = Entry { dated: dated.clone(), recorded_by: actor.0.clone(), recorded_at: now };
    let written = update(store, member.as_str(), now, |current: Option<JoiningRecord>| {
        let mut record =
            current.unwrap_or_else(|| JoiningRecord { member_id: member.clone(), milestones: Vec::new() });
        record.milestones.retain(|e| e.dated.milestone != dated.milestone);
        record.milestones.push(entry.clone());
        record.milestones.sort_by_key(|e| e.dated.milestone);
        Ok::<_, anyhow::Error>(Change::Put(record))
    })
    .await?;
    let detail = format!("{} {}{}", dated.milestone.label(), dated.date, note_suffix(&dated.note));
    audit(store, actor, now, "joining.record", member.as_str(), detail).await?;
    written.ok_or_else(|| anyhow::anyhow!("the joining record of {member} was not written"))
}

fn note_suffix(note: &str) -> String {
    if note.is_empty() { String::new() } else { format!("（{note}）") }
}

/// Removes a milestone recorded by mistake; false when it was not recorded.
pub async fn remove_milestone(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    member: &MemberId,
    milestone: Milestone,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<bool> {
    let mut found = false;
    update(store, member.as_str(), now, |current: Option<JoiningRecord>| {
        let Some(mut record) = current else {
            found = false;
            return Ok::<_, anyhow::Error>(Change::Delete);
        };
        found = record.milestones.iter().any(|e| e.dated.milestone == milestone);
        record.milestones.retain(|e| e.dated.milestone != milestone);
        Ok(if record.milestones.is_empty() { Change::Delete } else { Change::Put(record) })
    })
    .await?;
    if found {
        audit(store, actor, now, "joining.remove", member.as_str(), milestone.label().to_string()).await?;
    }
    Ok(found)
}

/// Everyone in the roster, in roster order, with their stage (their record read with the roster's
/// stage): every record read once, not once per member.
pub async fn roster_with_stages(
    store: &(impl MemberStore + DocumentStore + ?Sized),
) -> anyhow::Result<Vec<(Member, Option<Stage>)>> {
    let records = all_records(store).await?;
    Ok(store
        .members()
        .await?
        .into_iter()
        .map(|r| {
            let dated = records.get(&r.member.id).map(Vec::as_slice).unwrap_or_default();
            let stage = joining::road(dated, r.member.stage()).stage;
            (r.member, stage)
        })
        .collect())
}

async fn all_records(
    store: &(impl DocumentStore + ?Sized),
) -> anyhow::Result<BTreeMap<MemberId, Vec<Dated>>> {
    Ok(super::all::<JoiningRecord>(store)
        .await?
        .into_iter()
        .map(|r| (r.member_id.clone(), r.dated()))
        .collect())
}

/// How many ended quarters the overview looks back for missing reports.
pub const REPORT_WINDOW_QUARTERS: usize = 8;

/// One person on the road, for the secretary's page and `zhibu report joining`.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub member: Member,
    pub road: Road,
    pub warnings: Vec<Warning>,
    /// Quarters (ended, at a reporting stage) without a submitted report.
    pub missing_reports: Vec<Quarter>,
}

/// Everyone with a stage before 正式党员 or a joining record, in roster order, with their road and
/// warnings as of `today`.
pub async fn overview(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    today: NaiveDate,
) -> anyhow::Result<Vec<Person>> {
    let records = all_records(store).await?;
    let mut submitted: BTreeMap<MemberId, Vec<Quarter>> = BTreeMap::new();
    for report in super::all::<Report>(store).await? {
        if report.status == ReportStatus::Submitted {
            submitted.entry(report.member_id.clone()).or_default().push(report.quarter);
        }
    }
    let mut people = Vec::new();
    for record in store.members().await? {
        let member = record.member;
        let dated = records.get(&member.id).cloned().unwrap_or_default();
        let road = joining::road(&dated, member.stage());
        if dated.is_empty() && road.stage.is_none_or(|s| s == Stage::Full) {
            continue;
        }
        let mut warnings = joining::record_warnings(&dated, today);
        let missing_reports = match road.stage {
            Some(stage) if stage.reports_quarterly() => {
                let since = dated
                    .iter()
                    .find(|d| d.milestone == Milestone::Applied)
                    .map(|d| d.date)
                    .unwrap_or_else(|| reports::default_since(today));
                let done = submitted.get(&member.id).cloned().unwrap_or_default();
                reports::due_quarters_since(since, today).into_iter().filter(|q| !done.contains(q)).collect()
            }
            _ => Vec::new(),
        };
        for q in &missing_reports {
            warnings
                .push(Warning {
                    code: "missing_report", message: format!("{}没有提交思想汇报", q.label())
                });
        }
        people.push(Person { member, road, warnings, missing_reports });
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_serialises_flat() {
        let record = JoiningRecord {
            member_id: MemberId::parse("m001").unwrap(),
            milestones: vec![Entry {
                dated: Dated {
                    milestone: Milestone::Activist,
                    date: NaiveDate::from_ymd_opt(2026, 10, 10).unwrap(),
                    note: String::new(),
                },
                recorded_by: "cli:wang".into(),
                recorded_at: DateTime::parse_from_rfc3339("2026-10-10T10:00:00+08:00").unwrap(),
            }],
        };
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["milestones"][0]["milestone"], "activist");
        assert_eq!(json["milestones"][0]["date"], "2026-10-10");
        let back: JoiningRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, record);
    }
}
