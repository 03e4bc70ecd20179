//! The pendulum pulse cannot be de-anonymised: an open pulse shows nothing of itself, so
//! reading the results before and after one answer tells nothing, and a closed one shows
//! only groups of at least `pulse.min_group_size`.

mod common;

use std::net::SocketAddr;

use chrono::Datelike;
use common::{SESSION_CSRF, account_with_session, client, serve, store_with_org};
use pendulum_core::{AccountRole, Policy};
use pendulum_server::AppState;
use pendulum_store::{SqliteStore, Store};
use reqwest::StatusCode;

const PEOPLE: &str = "id,name,email,level,team,manager
e1,Eve One,e1@x.io,L4,t1,
e2,Eli Two,e2@x.io,L4,t1,
e3,Eda Three,e3@x.io,L4,t1,
e4,Ezra Four,e4@x.io,L4,t1,
";

const STINTS: &str = "person,role,level,team,start,end
e1,engineer,L4,t1,2020-01-01,
e2,engineer,L4,t1,2020-01-01,
e3,engineer,L4,t1,2020-01-01,
e4,engineer,L4,t1,2020-01-01,
";

struct App {
    addr: SocketAddr,
    sessions: Vec<(String, String)>,
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl App {
    fn session(&self, who: &str) -> &str {
        &self.sessions.iter().find(|(w, _)| w == who).unwrap().1
    }

    async fn get(&self, who: &str, path: &str) -> (StatusCode, String) {
        let response = client()
            .get(format!("http://{}{path}", self.addr))
            .header("cookie", format!("pendulum_session={}", self.session(who)))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn post(&self, who: &str, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let mut form = vec![("csrf", SESSION_CSRF)];
        form.extend_from_slice(fields);
        let response = client()
            .post(format!("http://{}{path}", self.addr))
            .header("cookie", format!("pendulum_session={}", self.session(who)))
            .form(&form)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn answer(&self, who: &str, must: &str, fear: &str) -> (StatusCode, String) {
        self.post(
            who,
            "/pulse",
            &[("must_manage_to_grow", must), ("fear_going_back", fear)],
        )
        .await
    }
}

/// Four engineers with accounts and an admin, under a policy whose smallest shown group is
/// three.
async fn spawn_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_org(
        dir.path(),
        &[("people.csv", PEOPLE), ("stints.csv", STINTS)],
    )
    .await;
    let policy = Policy::from_toml("[pulse]\nmin_group_size = 3\n").unwrap();
    store.set_policy(&policy).await.unwrap();
    let mut sessions = Vec::new();
    for who in ["e1", "e2", "e3", "e4"] {
        let email = format!("{who}@x.io");
        let session = account_with_session(&store, &email, AccountRole::Member, Some(who)).await;
        sessions.push((who.to_owned(), session));
    }
    let admin = account_with_session(&store, "admin@x.io", AccountRole::Admin, None).await;
    sessions.push(("admin".into(), admin));
    let addr = serve(AppState::new(store.clone(), None)).await;
    App {
        addr,
        sessions,
        store,
        _dir: dir,
    }
}

#[tokio::test]
async fn an_open_pulse_shows_nothing_of_itself_and_a_closed_one_shows_groups() {
    let app = spawn_app().await;
    let year = chrono::Local::now().year();
    // The default policy's pulse closes at the end of 12-31: this year's is open.
    let (_, before) = app.get("e4", "/pulse").await;
    for (who, must, fear) in [("e1", "4", "2"), ("e2", "4", "2"), ("e3", "5", "1")] {
        let (status, html) = app.answer(who, must, fear).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("counted without your name"), "{html}");
    }
    // Three answers reach the group size, yet an open pulse shows none of them: what a
    // reader sees is the same before and after each answer.
    let (_, after) = app.get("e4", "/pulse").await;
    let results = |html: &str| html[html.find("<h2>Results").unwrap()..].to_owned();
    assert_eq!(results(&before), results(&after));
    assert!(
        after.contains(&format!("Results of {}", year - 1)),
        "{after}"
    );
    assert!(!after.contains("4.3"), "{after}");

    // Only an admin closes it, and a refusal is audited.
    let (status, _) = app.post("e1", "/pulse/close", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let log = app.store.audit_log().await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "close pulse" && e.outcome == "denied")
    );
    let (status, closed) = app.post("admin", "/pulse/close", &[]).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert!(closed.contains(&format!("The {year} pulse is closed")));
    assert!(closed.contains(&format!("Results of {year}")));
    // (4 + 4 + 5) / 3 and (2 + 2 + 1) / 3; managers are fewer than three.
    assert!(
        closed.contains("<td>3</td><td>4.3</td><td>1.7</td>"),
        "{closed}"
    );
    assert!(closed.contains("fewer than 3"), "{closed}");

    // A closed pulse takes no more answers: the counts stay as they were.
    let (_, page) = app.get("e4", "/pulse").await;
    assert!(page.contains("This year's pulse is closed"), "{page}");
    assert!(!page.contains("Answer anonymously"));
    let (status, _) = app.answer("e4", "1", "5").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        app.store
            .pulse_tally(year)
            .await
            .unwrap()
            .hands_on
            .answers(),
        3
    );
}

#[tokio::test]
async fn a_policy_cannot_show_groups_smaller_than_three() {
    let error = Policy::from_toml("[pulse]\nmin_group_size = 2\n").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("pulse.min_group_size: must be at least 3"),
        "{error}"
    );
    let error = Policy::from_toml("[pulse]\ncloses_on = \"02-30\"\n").unwrap_err();
    assert!(error.to_string().contains("02-30"), "{error}");
}
