//! The pendulum pulse cannot be de-anonymised: an open pulse shows nothing of itself, so
//! reading the results before and after one answer tells nothing, and a closed one shows
//! only groups of at least `pulse.min_group_size`, in its own year and over the years.

mod common;

use std::net::SocketAddr;

use chrono::Datelike;
use common::{SESSION_CSRF, account_with_session, client, create_account, serve, store_with_org};
use pendulum_app::Db;
use pendulum_core::{AccountRole, Email, Policy};
use pendulum_server::AppState;
use pendulum_store::{PulseAnswer, Store};
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
    store: Db,
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

/// Which group an answer counts in.
#[derive(Clone, Copy)]
enum Group {
    HandsOn,
    Managers,
}

impl App {
    /// Answers the pulse of `year` in `group` once per `(must_manage_to_grow,
    /// fear_going_back)`, each from an account of its own, through the store as the page
    /// would; past years take answers here, since the store leaves dates to the server.
    async fn answers_in(&self, year: i32, group: Group, scores: &[(u8, u8)]) {
        let label = match group {
            Group::HandsOn => "hands-on",
            Group::Managers => "manager",
        };
        for (i, &(must, fear)) in scores.iter().enumerate() {
            let email = Email::parse(&format!("{label}-{year}-{i}@voters.x.io")).unwrap();
            create_account(&self.store, &email, AccountRole::Member, None).await;
            let answer = PulseAnswer {
                year,
                manager: matches!(group, Group::Managers),
                must_manage_to_grow: must,
                fear_going_back: fear,
            };
            assert!(self.store.answer_pulse(&email, &answer).await.unwrap());
        }
    }
}

/// The comparison table of a pulse page.
fn years_table(html: &str) -> &str {
    let start = html
        .find("<table id=\"pulse-years\">")
        .unwrap_or_else(|| panic!("no comparison over the years: {html}"));
    let end = start + html[start..].find("</table>").unwrap();
    &html[start..end]
}

/// One row of the comparison: `cells` are the group's cells after its year and name.
fn year_row(year: i32, group: &str, cells: &str) -> String {
    format!("<tr><th scope=\"row\">{year}</th><th scope=\"row\">{group}</th>{cells}</tr>")
}

const HANDS_ON: &str = "engineers and tech leads";
const MANAGERS: &str = "managers";

#[tokio::test]
async fn closed_years_are_compared_with_the_change_since_the_year_before() {
    let app = spawn_app().await;
    let year = chrono::Local::now().year();
    // Two years ago and last year, closed by date since; this year, answered on the page
    // and closed by an admin.
    app.answers_in(year - 2, Group::HandsOn, &[(2, 4), (2, 4), (2, 4)])
        .await;
    app.answers_in(year - 2, Group::Managers, &[(4, 3), (4, 3), (4, 3)])
        .await;
    app.answers_in(year - 1, Group::HandsOn, &[(3, 4), (3, 3), (3, 3), (3, 2)])
        .await;
    app.answers_in(year - 1, Group::Managers, &[(3, 2), (4, 2), (5, 2)])
        .await;
    for (who, must, fear) in [("e1", "4", "2"), ("e2", "4", "2"), ("e3", "5", "1")] {
        let (status, html) = app.answer(who, must, fear).await;
        assert_eq!(status, StatusCode::OK, "{html}");
    }
    app.answers_in(year, Group::Managers, &[(5, 1), (4, 1), (4, 1)])
        .await;
    let (status, html) = app.post("admin", "/pulse/close", &[]).await;
    assert_eq!(status, StatusCode::OK, "{html}");

    let (_, page) = app.get("e4", "/pulse").await;
    let table = years_table(&page);
    // Answers, mean and change of "I would have to manage", mean and change of "going back
    // costs status"; a change is between the means as shown, to the tenth.
    let expected = [
        // (4 + 4 + 5) / 3 = 4.3 against 3.0; (2 + 2 + 1) / 3 = 1.7 against 3.0.
        year_row(
            year,
            HANDS_ON,
            "<td>3</td><td>4.3</td><td>+1.3</td><td>1.7</td><td>\u{2212}1.3</td>",
        ),
        year_row(
            year,
            MANAGERS,
            "<td>3</td><td>4.3</td><td>+0.3</td><td>1.0</td><td>\u{2212}1.0</td>",
        ),
        year_row(
            year - 1,
            HANDS_ON,
            "<td>4</td><td>3.0</td><td>+1.0</td><td>3.0</td><td>\u{2212}1.0</td>",
        ),
        year_row(
            year - 1,
            MANAGERS,
            "<td>3</td><td>4.0</td><td>0.0</td><td>2.0</td><td>\u{2212}1.0</td>",
        ),
        // The oldest year has nothing to compare with.
        year_row(
            year - 2,
            HANDS_ON,
            "<td>3</td><td>2.0</td><td>–</td><td>4.0</td><td>–</td>",
        ),
        year_row(
            year - 2,
            MANAGERS,
            "<td>3</td><td>4.0</td><td>–</td><td>3.0</td><td>–</td>",
        ),
    ];
    let mut from = 0;
    for row in &expected {
        let at = table[from..]
            .find(row.as_str())
            .unwrap_or_else(|| panic!("{row} missing or out of order in {table}"));
        from += at + row.len();
    }
    assert_eq!(
        table.matches("<tr><th scope=\"row\">").count(),
        expected.len(),
        "{table}"
    );
}

#[tokio::test]
async fn a_small_group_is_hidden_in_its_year_and_shown_in_the_others() {
    let app = spawn_app().await;
    let year = chrono::Local::now().year();
    app.answers_in(year - 3, Group::HandsOn, &[(2, 2), (2, 2), (2, 2)])
        .await;
    app.answers_in(year - 3, Group::Managers, &[(3, 3), (3, 3), (3, 3)])
        .await;
    app.answers_in(year - 2, Group::HandsOn, &[(3, 3), (3, 3), (3, 3)])
        .await;
    // Two managers, below the group size of three: their 1.5 and 4.5 must never show.
    app.answers_in(year - 2, Group::Managers, &[(1, 4), (2, 5)])
        .await;
    app.answers_in(year - 1, Group::HandsOn, &[(4, 4), (4, 4), (4, 4)])
        .await;
    app.answers_in(year - 1, Group::Managers, &[(5, 1), (5, 1), (5, 1)])
        .await;

    let (_, page) = app.get("e1", "/pulse").await;
    let table = years_table(&page);
    for row in [
        year_row(year - 2, MANAGERS, "<td colspan=\"5\">too few answers</td>"),
        // No change to or from the hidden year, nor across it to the year before.
        year_row(
            year - 1,
            MANAGERS,
            "<td>3</td><td>5.0</td><td>–</td><td>1.0</td><td>–</td>",
        ),
        year_row(
            year - 3,
            MANAGERS,
            "<td>3</td><td>3.0</td><td>–</td><td>3.0</td><td>–</td>",
        ),
        // The other group of the same year is shown and compared as usual.
        year_row(
            year - 2,
            HANDS_ON,
            "<td>3</td><td>3.0</td><td>+1.0</td><td>3.0</td><td>+1.0</td>",
        ),
        year_row(
            year - 1,
            HANDS_ON,
            "<td>3</td><td>4.0</td><td>+1.0</td><td>4.0</td><td>+1.0</td>",
        ),
    ] {
        assert!(table.contains(&row), "{row} missing in {table}");
    }
    for hidden in ["1.5", "4.5", "<td>2</td>"] {
        assert!(!page.contains(hidden), "{hidden} shows in {page}");
    }
}

#[tokio::test]
async fn the_open_year_shows_no_figures_over_the_years() {
    let app = spawn_app().await;
    let year = chrono::Local::now().year();
    app.answers_in(year - 1, Group::HandsOn, &[(2, 4), (2, 4), (2, 4)])
        .await;
    app.answers_in(year - 1, Group::Managers, &[(3, 3), (3, 3), (3, 3)])
        .await;
    let (_, before) = app.get("e4", "/pulse").await;
    // This year's pulse, open under the default policy, gets groups large enough to show.
    for (who, must, fear) in [("e1", "5", "1"), ("e2", "5", "2"), ("e3", "4", "1")] {
        let (status, html) = app.answer(who, must, fear).await;
        assert_eq!(status, StatusCode::OK, "{html}");
    }
    app.answers_in(year, Group::Managers, &[(1, 4), (1, 5), (2, 5)])
        .await;

    let (_, after) = app.get("e4", "/pulse").await;
    let over_the_years = |html: &str| html[html.find("<h2>Over the years").unwrap()..].to_owned();
    assert_eq!(over_the_years(&before), over_the_years(&after));
    let table = years_table(&after);
    assert!(
        !table.contains(&format!("<th scope=\"row\">{year}</th>")),
        "{table}"
    );
    assert!(
        table.contains(&year_row(
            year - 1,
            HANDS_ON,
            "<td>3</td><td>2.0</td><td>–</td><td>4.0</td><td>–</td>"
        )),
        "{table}"
    );
    // This year's means (4.7 and 1.3 for both groups) are nowhere on the page.
    for figure in ["4.7", "1.3"] {
        assert!(!after.contains(figure), "{figure} shows in {after}");
    }

    // Once closed, the same answers show, compared with last year.
    let (status, closed) = app.post("admin", "/pulse/close", &[]).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert!(
        years_table(&closed).contains(&year_row(
            year,
            HANDS_ON,
            "<td>3</td><td>4.7</td><td>+2.7</td><td>1.3</td><td>\u{2212}2.7</td>"
        )),
        "{closed}"
    );
}
