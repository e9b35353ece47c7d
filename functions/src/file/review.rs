//! The yearly democratic review (民主评议党员), as far as it may be online. During a round declared
//! in content (`[extra.review]`), full and probationary members write their 个人自评 (draft, then
//! submitted; editable until the round closes) and may send signed opinions about a named member
//! to the branch committee (党员互评意见), which only admins read. The 民主测评 itself is a secret
//! ballot cast at the meeting: there is no ballot here by design. After the meeting an admin
//! records each member's outcome and the committee's feedback, which the member then reads.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Change, Kept, update};
use crate::catalog::Review;
use crate::domain::talks::text_field;
use crate::domain::{FieldError, MemberId};
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, Member, MemberStore, StoreResult};

pub const SELF_MIN_CHARS: usize = 200;
pub const SELF_MAX_CHARS: usize = 5_000;

/// The grades of the 民主测评 (优秀 at most a third).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Qualified,
    BasicallyQualified,
    Unqualified,
}

impl Grade {
    pub const ALL: [Grade; 4] =
        [Grade::Excellent, Grade::Qualified, Grade::BasicallyQualified, Grade::Unqualified];

    pub fn parse(s: &str) -> Option<Grade> {
        let s = s.trim();
        Grade::ALL.into_iter().find(|g| s == g.as_str() || s == g.label())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Qualified => "qualified",
            Grade::BasicallyQualified => "basically_qualified",
            Grade::Unqualified => "unqualified",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Qualified => "合格",
            Grade::BasicallyQualified => "基本合格",
            Grade::Unqualified => "不合格",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SelfStatus {
    Draft,
    Submitted,
}

/// A member's 个人自评 for a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub review: String,
    pub member_id: MemberId,
    pub body: String,
    pub status: SelfStatus,
    pub updated_at: DateTime<FixedOffset>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

impl Kept for SelfAssessment {
    const KIND: &'static str = "self_assessment";

    fn id(&self) -> String {
        format!("{}:{}", self.review, self.member_id)
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

/// A signed opinion about a named member, for the branch committee only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerOpinion {
    pub id: String,
    pub review: String,
    /// Who wrote it (the record belongs to them: erased with them).
    pub member_id: MemberId,
    pub about: MemberId,
    pub body: String,
    pub at: DateTime<FixedOffset>,
}

impl Kept for PeerOpinion {
    const KIND: &'static str = "peer_opinion";

    fn id(&self) -> String {
        self.id.clone()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

/// A member's outcome of a round, recorded after the meeting, with the committee's feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub review: String,
    pub member_id: MemberId,
    pub grade: Grade,
    pub feedback: String,
    pub by: String,
    pub at: DateTime<FixedOffset>,
}

impl Kept for Outcome {
    const KIND: &'static str = "review_outcome";

    fn id(&self) -> String {
        format!("{}:{}", self.review, self.member_id)
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the round has not opened")]
    NotOpen,
    #[error("the round has closed")]
    Closed,
    /// Only full and probationary members take part.
    #[error("not a participant")]
    NotParticipant,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Whether a person takes part in the review: full and probationary members (a roster without
/// stages is a roster of members).
pub fn takes_part(stage: Option<crate::domain::Stage>) -> bool {
    super::dues::pays_dues(stage)
}

fn open(review: &Review, now: DateTime<FixedOffset>) -> Result<(), ReviewError> {
    if now < review.opens {
        Err(ReviewError::NotOpen)
    } else if now >= review.closes {
        Err(ReviewError::Closed)
    } else {
        Ok(())
    }
}

async fn participant(store: &(impl DocumentStore + ?Sized), member: &Member) -> Result<(), ReviewError> {
    let stage = super::joining::road_of(store, member).await?.stage;
    if takes_part(stage) { Ok(()) } else { Err(ReviewError::NotParticipant) }
}

/// Saves a member's self-assessment; with `submit`, submits it (200–5,000 characters). Either may
/// happen again until the round closes.
pub async fn save_self(
    store: &(impl DocumentStore + ?Sized),
    review: &Review,
    member: &Member,
    body: Option<&str>,
    submit: bool,
    now: DateTime<FixedOffset>,
) -> Result<SelfAssessment, ReviewError> {
    open(review, now)?;
    participant(store, member).await?;
    let min = if submit { SELF_MIN_CHARS } else { 0 };
    let body = text_field("body", body, min, SELF_MAX_CHARS).map_err(|e| ReviewError::Invalid(vec![e]))?;
    let id = format!("{}:{}", review.id, member.id);
    update(store, &id, now, |current: Option<SelfAssessment>| {
        let mut s = current.unwrap_or_else(|| SelfAssessment {
            review: review.id.clone(),
            member_id: member.id.clone(),
            body: String::new(),
            status: SelfStatus::Draft,
            updated_at: now,
            submitted_at: None,
        });
        if s.status == SelfStatus::Submitted && body.chars().count() < SELF_MIN_CHARS {
            return Err(ReviewError::Invalid(vec![FieldError::new(
                "body",
                format!("已提交的自评至少 {SELF_MIN_CHARS} 个字"),
            )]));
        }
        s.body = body.clone();
        s.updated_at = now;
        if submit {
            s.status = SelfStatus::Submitted;
            s.submitted_at = Some(now);
        }
        Ok(Change::Put(s))
    })
    .await?
    .ok_or(ReviewError::NotFound)
}

pub async fn self_of(
    store: &(impl DocumentStore + ?Sized),
    review: &str,
    member: &MemberId,
) -> StoreResult<Option<SelfAssessment>> {
    Ok(super::load::<SelfAssessment>(store, &format!("{review}:{member}")).await?.map(|v| v.value))
}

/// A signed opinion about `about` (a participant other than the writer), during the round.
pub async fn send_opinion(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    review: &Review,
    writer: &Member,
    about: &MemberId,
    body: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<PeerOpinion, ReviewError> {
    open(review, now)?;
    participant(store, writer).await?;
    let mut errors = Vec::new();
    let subject = store.member(about).await?.map(|r| r.member);
    match &subject {
        None => errors.push(FieldError::new("about", "名单中没有这位党员")),
        Some(s) if s.id == writer.id => errors.push(FieldError::new("about", "对自己的意见请写在个人自评中")),
        Some(s) => {
            if !takes_part(super::joining::road_of(store, s).await?.stage) {
                errors.push(FieldError::new("about", "这位同志不参加本次民主评议"));
            }
        }
    }
    let body = text_field("body", body, 10, 2000).map_err(|e| errors.push(e)).ok();
    let (Some(body), true) = (body, errors.is_empty()) else {
        return Err(ReviewError::Invalid(errors));
    };
    let opinion = PeerOpinion {
        id: uuid::Uuid::new_v4().simple().to_string(),
        review: review.id.clone(),
        member_id: writer.id.clone(),
        about: about.clone(),
        body,
        at: now,
    };
    update(store, &opinion.id, now, |_: Option<PeerOpinion>| {
        Ok::<_, ReviewError>(Change::Put(opinion.clone()))
    })
    .await?;
    Ok(opinion)
}

/// The opinions a member wrote in a round (their own, to see what they sent).
pub async fn opinions_by(
    store: &(impl DocumentStore + ?Sized),
    review: &str,
    writer: &MemberId,
) -> StoreResult<Vec<PeerOpinion>> {
    let list = super::of_member::<PeerOpinion>(store, writer).await?;
    Ok(list.into_iter().filter(|o| o.review == review).collect())
}

/// Records (or corrects) a member's outcome and the committee's feedback; audited.
pub async fn record_outcome(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    review: &Review,
    member: &MemberId,
    grade: Option<&str>,
    feedback: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<Outcome, ReviewError> {
    let mut errors = Vec::new();
    let grade = match grade.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("grade", "请选择评议结果"));
            None
        }
        Some(g) => Grade::parse(g)
            .ok_or_else(|| errors.push(FieldError::new("grade", "评议结果应为优秀、合格、基本合格或不合格")))
            .ok(),
    };
    let feedback = text_field("feedback", feedback, 0, 2000).map_err(|e| errors.push(e)).ok();
    let (Some(grade), Some(feedback)) = (grade, feedback) else {
        return Err(ReviewError::Invalid(errors));
    };
    if now < review.opens {
        return Err(ReviewError::NotOpen);
    }
    let outcome = Outcome {
        review: review.id.clone(),
        member_id: member.clone(),
        grade,
        feedback,
        by: actor.0.clone(),
        at: now,
    };
    update(store, &outcome.id(), now, |_: Option<Outcome>| {
        Ok::<_, ReviewError>(Change::Put(outcome.clone()))
    })
    .await?;
    audit(store, actor, now, "review.outcome", &outcome.id(), grade.label().to_string()).await?;
    Ok(outcome)
}

pub async fn outcome_of(
    store: &(impl DocumentStore + ?Sized),
    review: &str,
    member: &MemberId,
) -> StoreResult<Option<Outcome>> {
    Ok(super::load::<Outcome>(store, &format!("{review}:{member}")).await?.map(|v| v.value))
}

/// One participant of a round as admins see it.
#[derive(Debug, Clone)]
pub struct Participant {
    pub member: Member,
    pub self_assessment: Option<SelfAssessment>,
    /// Opinions about them, with who wrote each.
    pub opinions: Vec<PeerOpinion>,
    pub outcome: Option<Outcome>,
}

/// Every participant in roster order, with their self-assessment, the opinions about them and
/// their outcome.
pub async fn round(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    review: &str,
) -> anyhow::Result<Vec<Participant>> {
    let selves: Vec<SelfAssessment> =
        super::all::<SelfAssessment>(store).await?.into_iter().filter(|s| s.review == review).collect();
    let opinions: Vec<PeerOpinion> =
        super::all::<PeerOpinion>(store).await?.into_iter().filter(|o| o.review == review).collect();
    let outcomes: Vec<Outcome> =
        super::all::<Outcome>(store).await?.into_iter().filter(|o| o.review == review).collect();
    let mut list = Vec::new();
    for (member, stage) in super::joining::roster_with_stages(store).await? {
        if !takes_part(stage) {
            continue;
        }
        list.push(Participant {
            self_assessment: selves.iter().find(|s| s.member_id == member.id).cloned(),
            opinions: opinions.iter().filter(|o| o.about == member.id).cloned().collect(),
            outcome: outcomes.iter().find(|o| o.member_id == member.id).cloned(),
            member,
        });
    }
    Ok(list)
}

/// The most members who may be rated 优秀: a third of the participants.
pub fn excellent_limit(participants: usize) -> usize {
    participants / 3
}
