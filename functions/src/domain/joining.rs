//! The road into the Party (发展党员纪实): the five stages a person passes, the dated milestones
//! the branch records on the way, the stage that follows from them, what comes next, and the
//! rules that become warnings for the secretary. Pure: dates in, facts out.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::FieldError;

/// Where a person stands: 申请人 → 积极分子 → 发展对象 → 预备党员 → 正式党员.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Applicant,
    Activist,
    Candidate,
    Probationary,
    Full,
}

impl Stage {
    pub const ALL: [Stage; 5] =
        [Stage::Applicant, Stage::Activist, Stage::Candidate, Stage::Probationary, Stage::Full];

    /// The Chinese name or the ASCII one, as the roster or a form gives it.
    pub fn parse(s: &str) -> Option<Stage> {
        let s = s.trim();
        Stage::ALL.into_iter().find(|stage| {
            s.eq_ignore_ascii_case(stage.as_str()) || s == stage.label() || s == stage.long_label()
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Probationary => "probationary",
            Stage::Full => "full",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Applicant => "申请人",
            Stage::Activist => "积极分子",
            Stage::Candidate => "发展对象",
            Stage::Probationary => "预备党员",
            Stage::Full => "正式党员",
        }
    }

    fn long_label(self) -> &'static str {
        match self {
            Stage::Applicant => "入党申请人",
            Stage::Activist => "入党积极分子",
            Stage::Candidate => "发展对象",
            Stage::Probationary => "预备党员",
            Stage::Full => "党员",
        }
    }

    /// Whether people at this stage write a 思想汇报 every quarter (everyone not yet a full
    /// member).
    pub fn reports_quarterly(self) -> bool {
        self != Stage::Full
    }
}

/// The milestones of the joining record, in the order they happen. Each belongs to a stage;
/// four of them move the person into the next stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    Applied,
    FirstTalk,
    Activist,
    ContactsAssigned,
    Trained,
    Candidate,
    PoliticalReview,
    IntensiveTraining,
    CommitteeReview,
    PreReview,
    Publicity,
    AdmittedByMeeting,
    HigherTalk,
    Approved,
    Oath,
    ProbationEnds,
    FullApplication,
    FullByMeeting,
    FullApproved,
}

impl Milestone {
    pub const ALL: [Milestone; 19] = [
        Milestone::Applied,
        Milestone::FirstTalk,
        Milestone::Activist,
        Milestone::ContactsAssigned,
        Milestone::Trained,
        Milestone::Candidate,
        Milestone::PoliticalReview,
        Milestone::IntensiveTraining,
        Milestone::CommitteeReview,
        Milestone::PreReview,
        Milestone::Publicity,
        Milestone::AdmittedByMeeting,
        Milestone::HigherTalk,
        Milestone::Approved,
        Milestone::Oath,
        Milestone::ProbationEnds,
        Milestone::FullApplication,
        Milestone::FullByMeeting,
        Milestone::FullApproved,
    ];

    /// By its key (`activist`) or its Chinese name (`确定为积极分子`).
    pub fn parse(s: &str) -> Option<Milestone> {
        let s = s.trim();
        Milestone::ALL.into_iter().find(|m| s == m.as_str() || s == m.label())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::Applied => "applied",
            Milestone::FirstTalk => "first_talk",
            Milestone::Activist => "activist",
            Milestone::ContactsAssigned => "contacts_assigned",
            Milestone::Trained => "trained",
            Milestone::Candidate => "candidate",
            Milestone::PoliticalReview => "political_review",
            Milestone::IntensiveTraining => "intensive_training",
            Milestone::CommitteeReview => "committee_review",
            Milestone::PreReview => "pre_review",
            Milestone::Publicity => "publicity",
            Milestone::AdmittedByMeeting => "admitted_by_meeting",
            Milestone::HigherTalk => "higher_talk",
            Milestone::Approved => "approved",
            Milestone::Oath => "oath",
            Milestone::ProbationEnds => "probation_ends",
            Milestone::FullApplication => "full_application",
            Milestone::FullByMeeting => "full_by_meeting",
            Milestone::FullApproved => "full_approved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Milestone::Applied => "递交入党申请书",
            Milestone::FirstTalk => "谈话",
            Milestone::Activist => "确定为积极分子",
            Milestone::ContactsAssigned => "指定培养联系人",
            Milestone::Trained => "党课/培训结业",
            Milestone::Candidate => "确定为发展对象",
            Milestone::PoliticalReview => "政治审查",
            Milestone::IntensiveTraining => "集中培训",
            Milestone::CommitteeReview => "支部委员会审查",
            Milestone::PreReview => "上级预审",
            Milestone::Publicity => "公示",
            Milestone::AdmittedByMeeting => "支部大会讨论接收",
            Milestone::HigherTalk => "上级谈话",
            Milestone::Approved => "上级审批",
            Milestone::Oath => "入党宣誓",
            Milestone::ProbationEnds => "预备期满",
            Milestone::FullApplication => "转正申请",
            Milestone::FullByMeeting => "支部大会讨论转正",
            Milestone::FullApproved => "上级审批转正",
        }
    }

    /// The stage during which it happens.
    pub fn stage(self) -> Stage {
        use Milestone::*;
        match self {
            Applied | FirstTalk => Stage::Applicant,
            Activist | ContactsAssigned | Trained => Stage::Activist,
            Candidate | PoliticalReview | IntensiveTraining | CommitteeReview | PreReview | Publicity
            | AdmittedByMeeting | HigherTalk => Stage::Candidate,
            Approved | Oath | ProbationEnds | FullApplication | FullByMeeting => Stage::Probationary,
            FullApproved => Stage::Full,
        }
    }

    /// The stage it starts, for the four that move a person on (and the application).
    pub fn starts(self) -> Option<Stage> {
        match self {
            Milestone::Applied => Some(Stage::Applicant),
            Milestone::Activist => Some(Stage::Activist),
            Milestone::Candidate => Some(Stage::Candidate),
            Milestone::Approved => Some(Stage::Probationary),
            Milestone::FullApproved => Some(Stage::Full),
            _ => None,
        }
    }

    /// What the step needs, for the person reading their timeline.
    pub fn needs(self) -> &'static str {
        use Milestone::*;
        match self {
            Applied => "年满十八周岁，向党支部递交书面入党申请书",
            FirstTalk => "党支部收到申请书后一个月内派人谈话",
            Activist => "党员推荐、群团组织推优，支部委员会研究确定并报上级备案",
            ContactsAssigned => "支部指定一至两名正式党员作为培养联系人",
            Trained => "参加党课或入党积极分子培训并结业；每季度递交思想汇报",
            Candidate => {
                "经过一年以上培养教育，听取党小组、培养联系人和群众意见，支部委员会讨论确定并报上级备案"
            }
            PoliticalReview => "对本人及直系亲属等进行政治审查，形成结论性材料",
            IntensiveTraining => "参加短期集中培训（一般不少于三天或二十四学时）",
            CommitteeReview => "支部委员会对发展对象的条件、培养教育情况进行审查",
            PreReview => "上级党委对发展对象进行预审",
            Publicity => "预审通过后进行公示",
            AdmittedByMeeting => "填写入党志愿书，支部大会讨论并表决接收为预备党员",
            HigherTalk => "上级党委派人谈话",
            Approved => "上级党委审批",
            Oath => "面向党旗进行入党宣誓",
            ProbationEnds => {
                "预备期一年，自支部大会通过其为预备党员之日算起；如需延长，延长不少于半年、最多一年"
            }
            FullApplication => "预备期满前主动提出书面转正申请",
            FullByMeeting => "支部大会讨论并表决是否按期转正",
            FullApproved => "上级党委审批，转为正式党员",
        }
    }
}

/// One recorded milestone of a person's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated {
    pub milestone: Milestone,
    pub date: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// The longest note an admin may add to a milestone.
pub const MILESTONE_NOTE_MAX_CHARS: usize = 500;

impl Dated {
    /// A milestone as a form or the command line gives it: key or Chinese name, `YYYY-MM-DD`,
    /// an optional note. Every bad field at once.
    pub fn parse(
        milestone: Option<&str>,
        date: Option<&str>,
        note: Option<&str>,
    ) -> Result<Dated, Vec<FieldError>> {
        let mut errors = Vec::new();
        let milestone = match milestone.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                errors.push(FieldError::new("milestone", "请选择节点"));
                None
            }
            Some(s) => Milestone::parse(s)
                .ok_or_else(|| errors.push(FieldError::new("milestone", format!("没有“{s}”这个节点"))))
                .ok(),
        };
        let date = parse_date("date", date).map_err(|e| errors.push(e)).ok();
        let note = note.unwrap_or("").trim().to_string();
        if note.chars().count() > MILESTONE_NOTE_MAX_CHARS {
            errors.push(FieldError::new("note", format!("备注最多 {MILESTONE_NOTE_MAX_CHARS} 个字")));
        }
        match (milestone, date) {
            (Some(milestone), Some(date)) if errors.is_empty() => Ok(Dated { milestone, date, note }),
            _ => Err(errors),
        }
    }
}

/// A calendar date `YYYY-MM-DD` between 1950 and 2100 (a required field).
pub fn parse_date(field: &str, s: Option<&str>) -> Result<NaiveDate, FieldError> {
    let s = s.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| FieldError::new(field, "请填写日期"))?;
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if (1950..=2100).contains(&d.year()) => Ok(d),
        _ => Err(FieldError::new(field, "日期应形如 2026-10-10")),
    }
}

/// A rule the record breaks, for the secretary to act on (never a silent state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// `early_candidate`, `out_of_order`, `late_first_talk`, `probation_ending`,
    /// `probation_overdue`, `missing_report`, `no_talk_this_year`.
    pub code: &'static str,
    pub message: String,
}

/// A person's record read as a whole: where they are, what is done, what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Road {
    pub stage: Option<Stage>,
    /// Every milestone in order, with its date where recorded.
    pub steps: Vec<Step>,
    /// The first milestone not yet recorded after the latest recorded one.
    pub next: Option<Milestone>,
    /// When the probation ends: a year after the branch meeting admitted them (党章第七条; the
    /// approval's date where the meeting's is not recorded), or the recorded 预备期满 date.
    pub probation_ends: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub milestone: Milestone,
    pub date: Option<NaiveDate>,
    pub note: String,
}

fn date_of(record: &[Dated], m: Milestone) -> Option<NaiveDate> {
    record.iter().find(|d| d.milestone == m).map(|d| d.date)
}

/// The day the probation starts: the branch meeting's admission (党章第七条: 预备期从支部大会通过
/// 他为预备党员之日算起), or the approval where the meeting's date is not recorded.
fn probation_start(record: &[Dated]) -> Option<NaiveDate> {
    date_of(record, Milestone::AdmittedByMeeting).or_else(|| date_of(record, Milestone::Approved))
}

/// Reads a record. `roster_stage` (the roster's `stage` column) stands where no milestone says
/// otherwise: a member imported as 正式党员 has no milestones at all.
pub fn road(record: &[Dated], roster_stage: Option<Stage>) -> Road {
    let latest = Milestone::ALL.into_iter().rev().find(|m| date_of(record, *m).is_some());
    let from_record = Milestone::ALL
        .into_iter()
        .filter(|m| date_of(record, *m).is_some())
        .filter_map(Milestone::starts)
        .max();
    let stage = match (from_record, roster_stage) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let next = match latest {
        Some(last) => Milestone::ALL
            .into_iter()
            .skip_while(|m| *m != last)
            .skip(1)
            .find(|m| date_of(record, *m).is_none()),
        // Nothing recorded: a full member has no next step; anyone else starts where their
        // stage starts.
        None => match stage {
            Some(Stage::Full) => None,
            Some(s) => Milestone::ALL.into_iter().find(|m| m.stage() == s),
            None => Some(Milestone::Applied),
        },
    };
    let probation_ends = date_of(record, Milestone::ProbationEnds)
        .or_else(|| probation_start(record).and_then(|d| d.checked_add_months(Months::new(12))));
    let steps = Milestone::ALL
        .into_iter()
        .map(|m| {
            let dated = record.iter().find(|d| d.milestone == m);
            Step {
                milestone: m,
                date: dated.map(|d| d.date),
                note: dated.map(|d| d.note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Road { stage, steps, next, probation_ends }
}

/// The rules of the record itself, as of `today`: a candidate chosen before a year of education,
/// a milestone dated before one it follows, the first talk more than a month after the
/// application, a probation ending within 30 days (or past) without a 转正申请, and a recorded
/// 预备期满 outside one to two years after the probation started.
pub fn record_warnings(record: &[Dated], today: NaiveDate) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let date = |m| date_of(record, m);
    if let (Some(activist), Some(candidate)) = (date(Milestone::Activist), date(Milestone::Candidate))
        && activist.checked_add_months(Months::new(12)).is_some_and(|year| candidate < year)
    {
        warnings.push(Warning {
            code: "early_candidate",
            message: format!(
                "确定为发展对象（{candidate}）距确定为积极分子（{activist}）不满一年，细则要求经过一年以上培养教育"
            ),
        });
    }
    let mut before: Option<Dated> = None;
    for m in Milestone::ALL {
        let Some(d) = record.iter().find(|d| d.milestone == m) else { continue };
        if let Some(prev) = &before
            && d.date < prev.date
        {
            warnings.push(Warning {
                code: "out_of_order",
                message: format!(
                    "“{}”（{}）早于它之前的“{}”（{}），请核对日期",
                    m.label(),
                    d.date,
                    prev.milestone.label(),
                    prev.date
                ),
            });
        }
        before = Some(d.clone());
    }
    if let Some(applied) = date(Milestone::Applied)
        && let Some(month) = applied.checked_add_months(Months::new(1))
    {
        match date(Milestone::FirstTalk) {
            Some(talk) if talk > month => warnings.push(Warning {
                code: "late_first_talk",
                message: format!("谈话（{talk}）晚于递交申请书（{applied}）后一个月"),
            }),
            None if today > month && date(Milestone::Activist).is_none() => warnings.push(Warning {
                code: "late_first_talk",
                message: format!("递交申请书（{applied}）已满一个月，尚未记录谈话"),
            }),
            _ => {}
        }
    }
    if date(Milestone::Approved).is_some()
        && let Some(start) = probation_start(record)
        && date(Milestone::FullApproved).is_none()
    {
        let ends = road(record, None).probation_ends;
        if let Some(recorded) = date(Milestone::ProbationEnds) {
            let (min, max) =
                (start.checked_add_months(Months::new(12)), start.checked_add_months(Months::new(24)));
            if min.is_some_and(|min| recorded < min) || max.is_some_and(|max| recorded > max) {
                warnings.push(Warning {
                    code: "out_of_order",
                    message: format!("预备期满（{recorded}）应在预备期开始（{start}）后一年至两年之间"),
                });
            }
        }
        if let Some(ends) = ends
            && date(Milestone::FullApplication).is_none()
        {
            let days = (ends - today).num_days();
            if days < 0 {
                warnings.push(Warning {
                    code: "probation_overdue",
                    message: format!("预备期已于 {ends} 期满，尚未记录转正申请"),
                });
            } else if days <= 30 {
                warnings.push(Warning {
                    code: "probation_ending",
                    message: format!("预备期将于 {ends} 期满（还有 {days} 天），尚未记录转正申请"),
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(m: Milestone, date: &str) -> Dated {
        Dated { milestone: m, date: d(date), note: String::new() }
    }

    #[test]
    fn stages_and_milestones_parse_in_chinese_and_ascii() {
        assert_eq!(Stage::parse("积极分子"), Some(Stage::Activist));
        assert_eq!(Stage::parse("入党积极分子"), Some(Stage::Activist));
        assert_eq!(Stage::parse("Probationary"), Some(Stage::Probationary));
        assert_eq!(Stage::parse("正式党员"), Some(Stage::Full));
        assert_eq!(Stage::parse("群众"), None);
        assert_eq!(Milestone::parse("确定为积极分子"), Some(Milestone::Activist));
        assert_eq!(Milestone::parse("full_approved"), Some(Milestone::FullApproved));
        assert_eq!(Milestone::parse("转正"), None);
        for m in Milestone::ALL {
            assert_eq!(Milestone::parse(m.label()), Some(m));
            assert_eq!(Milestone::parse(m.as_str()), Some(m));
        }
    }

    #[test]
    fn the_stage_follows_the_record_and_the_next_step_follows_the_latest() {
        let record = [at(Milestone::Applied, "2025-03-01"), at(Milestone::FirstTalk, "2025-03-20")];
        let r = road(&record, None);
        assert_eq!(r.stage, Some(Stage::Applicant));
        assert_eq!(r.next, Some(Milestone::Activist));
        let record = [at(Milestone::Applied, "2025-03-01"), at(Milestone::Activist, "2025-06-01")];
        let r = road(&record, Some(Stage::Applicant));
        assert_eq!(r.stage, Some(Stage::Activist));
        assert_eq!(r.next, Some(Milestone::ContactsAssigned));
        // Nothing recorded: the roster's stage, starting at its first step.
        assert_eq!(road(&[], Some(Stage::Candidate)).next, Some(Milestone::Candidate));
        assert_eq!(road(&[], Some(Stage::Full)).next, None);
        assert_eq!(road(&[], None).next, Some(Milestone::Applied));
    }

    #[test]
    fn probation_ends_a_year_after_the_branch_meeting_unless_recorded() {
        let record = [at(Milestone::Approved, "2025-12-20")];
        assert_eq!(
            road(&record, None).probation_ends,
            Some(d("2026-12-20")),
            "the approval, without the meeting"
        );
        let record = [at(Milestone::AdmittedByMeeting, "2025-11-28"), at(Milestone::Approved, "2025-12-20")];
        assert_eq!(road(&record, None).probation_ends, Some(d("2026-11-28")), "党章第七条: from the meeting");
        let extended = [at(Milestone::Approved, "2025-12-20"), at(Milestone::ProbationEnds, "2027-06-20")];
        assert_eq!(road(&extended, None).probation_ends, Some(d("2027-06-20")));
    }

    #[test]
    fn a_candidate_before_a_year_of_education_is_a_warning() {
        let record = [at(Milestone::Activist, "2025-10-10"), at(Milestone::Candidate, "2026-09-01")];
        let w = record_warnings(&record, d("2026-11-30"));
        assert_eq!(w.iter().map(|w| w.code).collect::<Vec<_>>(), ["early_candidate"]);
        let record = [at(Milestone::Activist, "2025-10-10"), at(Milestone::Candidate, "2026-10-10")];
        assert!(record_warnings(&record, d("2026-11-30")).is_empty());
    }

    #[test]
    fn a_milestone_before_the_one_it_follows_is_a_warning() {
        let record = [at(Milestone::Applied, "2025-03-01"), at(Milestone::FirstTalk, "2025-02-20")];
        let w = record_warnings(&record, d("2025-03-05"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "out_of_order");
        assert!(w[0].message.contains("谈话"), "{}", w[0].message);
    }

    #[test]
    fn a_late_or_missing_first_talk_is_a_warning() {
        let record = [at(Milestone::Applied, "2025-03-01")];
        assert!(record_warnings(&record, d("2025-03-20")).is_empty());
        assert_eq!(record_warnings(&record, d("2025-04-02"))[0].code, "late_first_talk");
        let record = [at(Milestone::Applied, "2025-03-01"), at(Milestone::FirstTalk, "2025-04-15")];
        assert_eq!(record_warnings(&record, d("2025-05-01"))[0].code, "late_first_talk");
    }

    #[test]
    fn a_probation_ending_without_an_application_is_a_warning() {
        let record = [at(Milestone::Approved, "2025-12-20")];
        assert!(record_warnings(&record, d("2026-11-19")).is_empty());
        assert_eq!(record_warnings(&record, d("2026-11-20"))[0].code, "probation_ending");
        assert_eq!(record_warnings(&record, d("2026-12-21"))[0].code, "probation_overdue");
        let applied = [at(Milestone::Approved, "2025-12-20"), at(Milestone::FullApplication, "2026-11-25")];
        assert!(record_warnings(&applied, d("2026-12-01")).is_empty());
        let extended_too_long =
            [at(Milestone::Approved, "2025-12-20"), at(Milestone::ProbationEnds, "2028-01-01")];
        assert!(
            record_warnings(&extended_too_long, d("2026-01-01")).iter().any(|w| w.code == "out_of_order")
        );
    }

    #[test]
    fn milestones_parse_every_bad_field_at_once() {
        let errors = Dated::parse(Some("转正"), Some("2026-13-01"), Some(&"长".repeat(501))).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["milestone", "date", "note"]);
        let ok = Dated::parse(Some("确定为积极分子"), Some("2026-10-10"), None).unwrap();
        assert_eq!(ok.milestone, Milestone::Activist);
    }
}
