//! Quizzes in DynamoDB: a member's answers under the quiz (one item each, kept by a conditional
//! put), by member through `gsi1`, and the quiz's one reveal item.

use anyhow::Context as _;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::keys::member_pk;
use super::{DynamoStore, Query, to_item};
use crate::domain::MemberId;
use crate::store::{Inserted, QuizAnswers, QuizReveal, QuizStore, StoreResult};

#[derive(Serialize, Deserialize)]
struct QuizAnswersItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(flatten)]
    answers: QuizAnswers,
}

impl QuizAnswersItem {
    fn new(a: &QuizAnswers) -> QuizAnswersItem {
        QuizAnswersItem {
            pk: format!("QUIZ#{}", a.quiz),
            sk: format!("ANSWER#{}", a.member_id),
            gsi1pk: member_pk(&a.member_id),
            gsi1sk: format!("QUIZ#{}", a.quiz),
            answers: a.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct QuizRevealItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    reveal: QuizReveal,
}

#[async_trait]
impl QuizStore for DynamoStore {
    async fn insert_quiz_answers(&self, answers: &QuizAnswers) -> StoreResult<Inserted<QuizAnswers>> {
        let item = QuizAnswersItem::new(answers);
        let (pk, sk) = (item.pk.clone(), item.sk.clone());
        if self.put_new(to_item(&item)?).await? {
            return Ok(Inserted::New(answers.clone()));
        }
        let existing: QuizAnswersItem =
            self.get(pk, &sk).await?.context("quiz answers vanished after a conflict")?;
        Ok(Inserted::Existing(existing.answers))
    }

    async fn quiz_answers_of(&self, id: &MemberId, quiz: &str) -> StoreResult<Option<QuizAnswers>> {
        let item: Option<QuizAnswersItem> = self.get(format!("QUIZ#{quiz}"), &format!("ANSWER#{id}")).await?;
        Ok(item.map(|i| i.answers))
    }

    async fn quiz_answers(&self, quiz: &str) -> StoreResult<Vec<QuizAnswers>> {
        let items: Vec<QuizAnswersItem> =
            self.query_all(Query::table(format!("QUIZ#{quiz}")).begins_with("ANSWER#")).await?;
        Ok(items.into_iter().map(|i| i.answers).collect())
    }

    async fn quiz_answers_of_member(&self, id: &MemberId) -> StoreResult<Vec<QuizAnswers>> {
        let items: Vec<QuizAnswersItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("QUIZ#")).await?;
        Ok(items.into_iter().map(|i| i.answers).collect())
    }

    async fn reveal_quiz(&self, reveal: &QuizReveal) -> StoreResult<QuizReveal> {
        let item = QuizRevealItem {
            pk: format!("QUIZ#{}", reveal.quiz),
            sk: "REVEALED".into(),
            reveal: reveal.clone(),
        };
        self.put_new(to_item(&item)?).await?;
        self.quiz_reveal(&reveal.quiz).await?.context("a quiz reveal vanished")
    }

    async fn quiz_reveal(&self, quiz: &str) -> StoreResult<Option<QuizReveal>> {
        let item: Option<QuizRevealItem> = self.get(format!("QUIZ#{quiz}"), "REVEALED").await?;
        Ok(item.map(|i| i.reveal))
    }
}
