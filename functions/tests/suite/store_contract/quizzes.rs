//! Quizzes: members' answers (the first stands) and one reveal.

use std::sync::Arc;

use zhibu_functions::store::{Inserted, QuizAnswers, QuizReveal, QuizStore};

use crate::store_contract::{id, t};

against_every_adapter!();

/// The first answer stands; every member's for the distribution; one reveal.
async fn conforms(store: Arc<dyn QuizStore>) {
    let answers = |who: &str, a: Vec<u32>| QuizAnswers {
        quiz: "q-1".into(),
        member_id: id(who),
        answers: a,
        at: t("2026-12-05T10:00:00+08:00"),
    };
    assert_eq!(
        store.insert_quiz_answers(&answers("m001", vec![2, 1])).await.unwrap(),
        Inserted::New(answers("m001", vec![2, 1]))
    );
    assert_eq!(
        store.insert_quiz_answers(&answers("m001", vec![1, 1])).await.unwrap(),
        Inserted::Existing(answers("m001", vec![2, 1]))
    );
    store.insert_quiz_answers(&answers("m002", vec![3, 2])).await.unwrap();
    assert_eq!(store.quiz_answers_of(&id("m002"), "q-1").await.unwrap().unwrap().answers, vec![3, 2]);
    assert!(store.quiz_answers_of(&id("m002"), "q-2").await.unwrap().is_none());
    assert_eq!(store.quiz_answers("q-1").await.unwrap().len(), 2);
    assert!(store.quiz_reveal("q-1").await.unwrap().is_none());
    let reveal = QuizReveal { quiz: "q-1".into(), by: id("m002"), at: t("2026-12-06T10:00:00+08:00") };
    assert_eq!(store.reveal_quiz(&reveal).await.unwrap(), reveal);
    let again = QuizReveal { at: t("2026-12-07T10:00:00+08:00"), ..reveal.clone() };
    assert_eq!(store.reveal_quiz(&again).await.unwrap(), reveal, "the first reveal stands");

    assert_eq!(store.quiz_answers_of_member(&id("m001")).await.unwrap(), vec![answers("m001", vec![2, 1])]);
}
