//! The anonymous yearly pulse on every backend: counts, closing, the years with answers.

use pendulum_core::Email;

use super::email;
use crate::Store;

/// The pulse keeps counts per score, takes one answer per account and year, and none once
/// an admin has closed the year.
pub async fn the_pulse_counts_answers_once_and_closes(store: &impl Store) {
    use crate::{GroupTally, PulseAnswer};
    let people = accounts(store, &["a", "b", "c", "d"]).await;
    let answer = |manager, must, fear| PulseAnswer {
        year: 2026,
        manager,
        must_manage_to_grow: must,
        fear_going_back: fear,
    };
    assert!(
        store
            .answer_pulse(&people[0], &answer(false, 4, 2))
            .await
            .unwrap()
    );
    assert!(
        store
            .answer_pulse(&people[1], &answer(false, 4, 1))
            .await
            .unwrap()
    );
    assert!(
        store
            .answer_pulse(&people[2], &answer(true, 2, 5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .answer_pulse(&people[0], &answer(false, 1, 1))
            .await
            .unwrap(),
        "one answer per account and year"
    );
    assert!(store.answered_pulse(&people[0], 2026).await.unwrap());
    assert!(!store.answered_pulse(&people[0], 2025).await.unwrap());
    let tally = store.pulse_tally(2026).await.unwrap();
    assert_eq!(tally.hands_on.must_manage_to_grow, [0, 0, 0, 2, 0]);
    assert_eq!(tally.hands_on.fear_going_back, [1, 1, 0, 0, 0]);
    assert_eq!(tally.managers.answers(), 1);
    assert_eq!(GroupTally::mean(&tally.hands_on.fear_going_back), Some(1.5));
    assert_eq!(store.pulse_tally(2025).await.unwrap(), Default::default());

    assert!(!store.pulse_closed(2026).await.unwrap());
    assert!(store.close_pulse(2026).await.unwrap());
    assert!(!store.close_pulse(2026).await.unwrap(), "closed once");
    assert!(store.pulse_closed(2026).await.unwrap());
    assert!(
        !store
            .answer_pulse(&people[3], &answer(true, 5, 5))
            .await
            .unwrap(),
        "a closed pulse takes no answer"
    );
    assert!(!store.answered_pulse(&people[3], 2026).await.unwrap());
    assert_eq!(store.pulse_tally(2026).await.unwrap(), tally);
}

/// The years with pulse answers come newest first, as many as asked for; a year closed
/// without answers is not one of them.
pub async fn pulse_years_are_those_with_answers_newest_first(store: &impl Store) {
    use crate::PulseAnswer;
    assert_eq!(store.pulse_years(10).await.unwrap(), Vec::<i32>::new());
    let people = accounts(store, &["a", "b"]).await;
    for (who, year) in [(0, 2023), (0, 2026), (1, 2026), (0, 2024)] {
        let answer = PulseAnswer {
            year,
            manager: false,
            must_manage_to_grow: 3,
            fear_going_back: 3,
        };
        assert!(store.answer_pulse(&people[who], &answer).await.unwrap());
    }
    assert!(store.close_pulse(2025).await.unwrap());
    assert_eq!(store.pulse_years(10).await.unwrap(), [2026, 2024, 2023]);
    assert_eq!(store.pulse_years(2).await.unwrap(), [2026, 2024]);
    assert_eq!(store.pulse_years(0).await.unwrap(), Vec::<i32>::new());
}

/// Accounts with no person, for what only accounts do (the pulse).
async fn accounts(store: &impl Store, names: &[&str]) -> Vec<Email> {
    let mut emails = Vec::new();
    for name in names {
        let account = pendulum_core::Account {
            email: email(&format!("{name}@x.io")),
            role: pendulum_core::AccountRole::Member,
            person: None,
        };
        store
            .create_account(&crate::NewAccount {
                account: account.clone(),
                password_hash: "not a real hash".into(),
            })
            .await
            .unwrap();
        emails.push(account.email);
    }
    emails
}
