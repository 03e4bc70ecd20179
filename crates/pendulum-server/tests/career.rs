//! A ledger for a whole career over real HTTP, on a real server with a real SQLite file:
//! corrections of stints from above (never one's own, never one brought from another org),
//! check-ins deleted by their author, the history of corrections, leaving and coming back,
//! and erasing a person.

mod common;

use std::net::SocketAddr;

use common::{SESSION_CSRF, account_with_session, account_with_token, api_call, client, serve};
use pendulum_app::Db;
use pendulum_core::{AccountRole, Change, Ladder, PersonId, Role, Stint};
use pendulum_server::AppState;
use pendulum_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `boss` manages `lead` and `other`; `lead`, a mid-level manager, manages `dev` and
/// `peer` on t1; `other` manages `odev` on t2. `lead` has managed for years without
/// hands-on work, which gives a nudge about them.
const PEOPLE: &str = "id,name,email,level,team,manager
boss,Bo Boss,boss@x.io,L7,t0,
lead,Li Lead,lead@x.io,L6,t1,boss
other,Oz Other,other@x.io,L6,t2,boss
dev,Di Dev,dev@x.io,L4,t1,lead
peer,Pi Peer,peer@x.io,L4,t1,lead
odev,Od Dev,odev@x.io,L4,t2,other
";

const STINTS: &str = "person,role,level,team,start,end
boss,manager,L7,t0,2019-01-01,
lead,engineer,L6,t1,2008-01-01,2015-01-01
lead,manager,L6,t1,2015-01-01,
other,manager,L6,t2,2020-01-01,
dev,engineer,L4,t1,2021-01-01,
peer,engineer,L4,t1,2021-01-01,
odev,engineer,L4,t2,2021-01-01,
";

const CHECKINS: &str = "person,date,joy,energy,learning,note
dev,2026-05-01,3,3,4,my own worry
peer,2026-05-01,4,4,4,
";

const AS_OF: &str = "2026-12-01";

struct App {
    addr: SocketAddr,
    store: Db,
    /// API tokens by label.
    tokens: Vec<(&'static str, String)>,
    _dir: tempfile::TempDir,
}

async fn spawn_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = common::store_with_org(
        dir.path(),
        &[
            ("people.csv", PEOPLE),
            ("stints.csv", STINTS),
            ("checkins.csv", CHECKINS),
        ],
    )
    .await;
    // Dev brought five years at Acme from their own ledger.
    let acme = Stint {
        person: PersonId::parse("dev").unwrap(),
        role: Role::Engineer,
        team: None,
        level: Ladder::default().level("L3").unwrap(),
        band: None,
        start: "2015-01-01".parse().unwrap(),
        end: Some("2020-01-01".parse().unwrap()),
        chosen: true,
        trial_end: None,
        org: Some("Acme".into()),
    };
    store
        .apply(&Change {
            stints: vec![acme],
            ..Change::default()
        })
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for (label, person, role) in [
        ("admin", None, AccountRole::Admin),
        ("lead", Some("lead"), AccountRole::Manager),
        ("other", Some("other"), AccountRole::Manager),
        ("dev", Some("dev"), AccountRole::Member),
        ("peer", Some("peer"), AccountRole::Member),
    ] {
        tokens.push((label, account_with_token(&store, label, person, role).await));
    }
    let addr = serve(AppState::new(store.clone(), None)).await;
    App {
        addr,
        store,
        tokens,
        _dir: dir,
    }
}

impl App {
    async fn call(
        &self,
        who: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let token = self
            .tokens
            .iter()
            .find(|(label, _)| *label == who)
            .map(|(_, t)| t.as_str());
        let body = body.map(|b| b.to_string());
        api_call(self.addr, token, method, path, body.as_deref()).await
    }

    async fn page(&self, session: &str, path: &str) -> (StatusCode, String) {
        common::get_page(self.addr, session, path).await
    }

    async fn post(
        &self,
        session: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let mut form = vec![("csrf", SESSION_CSRF)];
        form.extend_from_slice(fields);
        let response = client()
            .post(format!("http://{}{path}", self.addr))
            .header("cookie", format!("pendulum_session={session}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }
}

fn message(v: &Value) -> &str {
    v["error"]["message"].as_str().unwrap_or_default()
}

fn starts(stints: &Value) -> Vec<&str> {
    stints["stints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect()
}

/// A mid-level manager corrects a stint of someone in their line; someone outside it is
/// not found, their own stints and a stint brought from another org are refused, saying
/// why. The admin reads the correction in the history, with who made it.
#[tokio::test]
async fn a_manager_corrects_stints_in_their_line_but_not_their_own_nor_a_foreign_one() {
    let app = spawn_app().await;
    let patch = |who: &'static str, path: &'static str, body: Value| {
        let app = &app;
        async move { app.call(who, Method::PATCH, path, Some(body)).await }
    };
    let (status, stint) = patch(
        "lead",
        "/api/v1/people/dev/stints/2021-01-01",
        json!({"start": "2020-06-01", "band": 310}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{stint}");
    assert_eq!(stint["start"], "2020-06-01");
    assert_eq!(stint["band"], 310);

    let (status, err) = patch(
        "lead",
        "/api/v1/people/dev/stints/2015-01-01",
        json!({"level": "L4"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(message(&err).contains("Acme"), "{err}");
    let (status, err) = patch(
        "admin",
        "/api/v1/people/dev/stints/2015-01-01",
        json!({"level": "L4"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not even an admin: {err}");
    let (status, _) = app
        .call(
            "admin",
            Method::DELETE,
            "/api/v1/people/dev/stints/2015-01-01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, err) = patch(
        "lead",
        "/api/v1/people/lead/stints/2015-01-01",
        json!({"band": 999}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(message(&err).contains("own stints"), "{err}");
    let (status, _) = patch(
        "dev",
        "/api/v1/people/dev/stints/2020-06-01",
        json!({"band": 999}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member's own stint");

    // Outside the line: the other team, and the manager's own manager.
    for path in [
        "/api/v1/people/odev/stints/2021-01-01",
        "/api/v1/people/boss/stints/2019-01-01",
    ] {
        let (status, _) = patch("lead", path, json!({"band": 1})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = patch(
        "other",
        "/api/v1/people/odev/stints/2021-01-01",
        json!({"role": "tech_lead"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the other manager's own line");

    let (_, stints) = app
        .call("dev", Method::GET, "/api/v1/people/dev/stints", None)
        .await;
    assert_eq!(starts(&stints), ["2015-01-01", "2020-06-01"]);
    assert_eq!(stints["stints"][0]["org"], "Acme");

    let (status, history) = app
        .call("admin", Method::GET, "/api/v1/people/dev/history", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let entries = history["history"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{history}");
    assert_eq!(entries[0]["actor"], "lead@accounts.x.io");
    assert_eq!(entries[0]["record"], "stint from 2021-01-01");
    assert!(
        entries[0]["after"]
            .as_str()
            .unwrap()
            .contains("from 2020-06-01"),
        "{history}"
    );
    for who in ["lead", "dev"] {
        let (status, _) = app
            .call(who, Method::GET, "/api/v1/people/dev/history", None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} reads the history");
    }
    assert_eq!(
        common::audit_of(&app.store, "correct stint").await,
        [
            "lead@accounts.x.io ok",
            "lead@accounts.x.io denied",
            "admin@accounts.x.io denied",
            "lead@accounts.x.io denied",
            "dev@accounts.x.io denied",
            "lead@accounts.x.io denied",
            "lead@accounts.x.io denied",
            "other@accounts.x.io ok",
        ]
    );
}

/// Every field that cannot be taken is named, with what is wrong with it, and nothing is
/// written.
#[tokio::test]
async fn bad_input_names_every_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let (_, before) = app
        .call("admin", Method::GET, "/api/v1/people/dev/stints", None)
        .await;
    let (status, err) = app
        .call(
            "admin",
            Method::PATCH,
            "/api/v1/people/dev/stints/2021-01-01",
            Some(json!({"start": "2021-02-30", "role": "wizard", "level": "L99", "end": "soon"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let fields: Vec<&str> = err["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["start", "end", "role", "level"], "{err}");
    assert!(
        message(&err).contains("\"2021-02-30\" is not a date"),
        "{err}"
    );

    // The ledger's own refusal: a stint moved over the one brought from Acme.
    let (status, err) = app
        .call(
            "admin",
            Method::PATCH,
            "/api/v1/people/dev/stints/2021-01-01",
            Some(json!({"start": "2019-01-01"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        !err["error"]["problems"].as_array().unwrap().is_empty(),
        "{err}"
    );

    let (status, err) = app
        .call(
            "admin",
            Method::POST,
            "/api/v1/people/lead/leave",
            Some(json!({"on": "someday", "reports_to": "Not An Id!"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(
        err["error"]["problems"].as_array().unwrap().len(),
        2,
        "{err}"
    );
    let (status, err) = app
        .call(
            "admin",
            Method::PATCH,
            "/api/v1/people/dev",
            Some(json!({"email": "not-an-email", "manager": "nobody"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(message(&err).contains("email"), "{err}");
    let (status, _) = app
        .call(
            "admin",
            Method::POST,
            "/api/v1/people/lead/leave",
            Some(json!({"on": "2026-11-30", "why": "unknown field"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, after) = app
        .call("admin", Method::GET, "/api/v1/people/dev/stints", None)
        .await;
    assert_eq!(before, after);
    let (_, history) = app
        .call("admin", Method::GET, "/api/v1/people/dev/history", None)
        .await;
    assert_eq!(history["history"], json!([]));
}

/// A check-in is deleted by its author or an admin: never by their manager, and someone
/// else's is not even found by a member.
#[tokio::test]
async fn a_member_deletes_their_own_check_in_but_not_anothers() {
    let app = spawn_app().await;
    let delete = |who: &'static str, path: &'static str| {
        let app = &app;
        async move { app.call(who, Method::DELETE, path, None).await.0 }
    };
    assert_eq!(
        delete("dev", "/api/v1/people/peer/checkins/2026-05-01").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        delete("lead", "/api/v1/people/dev/checkins/2026-05-01").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete("dev", "/api/v1/people/dev/checkins/2026-05-01").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        delete("dev", "/api/v1/people/dev/checkins/2026-05-01").await,
        StatusCode::NOT_FOUND,
        "it is gone"
    );
    assert_eq!(
        delete("admin", "/api/v1/people/peer/checkins/2026-05-01").await,
        StatusCode::NO_CONTENT
    );
    let (_, checkins) = app
        .call("dev", Method::GET, "/api/v1/people/dev/checkins", None)
        .await;
    assert_eq!(checkins["checkins"], json!([]));
    // The history says a check-in was deleted, never what it said.
    let (_, history) = app
        .call("admin", Method::GET, "/api/v1/people/dev/history", None)
        .await;
    assert_eq!(history["history"][0]["record"], "check-in of 2026-05-01");
    assert_eq!(history["history"][0]["actor"], "dev@accounts.x.io");
    assert!(!history.to_string().contains("worry"));
}

/// A manager who leaves is out of the lists and the nudges; their team shows on the
/// overview as without a manager, their reports are left without one, and they come
/// back in a new stint.
#[tokio::test]
async fn a_departure_hides_the_person_and_leaves_their_team_without_a_manager() {
    let app = spawn_app().await;
    let admin = account_with_session(&app.store, "admin@x.io", AccountRole::Admin, None).await;
    let nudged = |v: &Value| -> Vec<String> {
        v["nudges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["person"].as_str().unwrap().to_owned())
            .collect()
    };
    let nudges_path = format!("/api/v1/nudges?as_of={AS_OF}");
    let (_, before) = app.call("admin", Method::GET, &nudges_path, None).await;
    assert!(nudged(&before).contains(&"lead".to_owned()), "{before}");

    let (status, left) = app
        .call(
            "admin",
            Method::POST,
            "/api/v1/people/lead/leave",
            Some(json!({"on": "2026-11-30", "reason": "a new adventure"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    assert_eq!(left["without_manager"], json!(["dev", "peer"]));
    assert_eq!(left["moved"], json!([]));
    let (status, _) = app
        .call(
            "admin",
            Method::POST,
            "/api/v1/people/lead/leave",
            Some(json!({"on": "2026-12-01"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "one cannot leave twice");

    let (_, after) = app.call("admin", Method::GET, &nudges_path, None).await;
    assert!(!nudged(&after).contains(&"lead".to_owned()), "{after}");
    let ids = |v: &Value| -> Vec<String> {
        v["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, people) = app
        .call(
            "admin",
            Method::GET,
            &format!("/api/v1/people?as_of={AS_OF}"),
            None,
        )
        .await;
    assert!(!ids(&people).contains(&"lead".to_owned()), "{people}");
    let (_, everyone) = app
        .call(
            "admin",
            Method::GET,
            &format!("/api/v1/people?as_of={AS_OF}&all=true"),
            None,
        )
        .await;
    let lead = everyone["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "lead")
        .expect("listed with all=true");
    assert_eq!(lead["left_on"], "2026-11-30");
    assert_eq!(lead["manager"], Value::Null);

    // The pages: hidden from the list unless asked for, and the team shows as unmanaged.
    let (_, list) = app.page(&admin, &format!("/people?as_of={AS_OF}")).await;
    assert!(!list.contains("Li Lead"), "{list}");
    assert!(list.contains("show people who left"));
    let (_, list) = app
        .page(&admin, &format!("/people?as_of={AS_OF}&all=1"))
        .await;
    assert!(
        list.contains("Li Lead") && list.contains("left on 2026-11-30"),
        "{list}"
    );
    let (_, overview) = app.page(&admin, &format!("/?as_of={AS_OF}")).await;
    assert!(
        overview.contains("Teams without a manager: t1 (since their manager left on 2026-11-30)"),
        "{overview}"
    );
    let (_, page) = app.page(&admin, "/people/lead").await;
    assert!(
        page.contains("Left on 2026-11-30 (a new adventure)"),
        "{page}"
    );
    assert!(page.contains("action=\"/people/lead/return\""));
    // Someone who left is in no plan, and is not asked about managing.
    assert!(!page.contains("Planned swings"), "{page}");
    assert!(!page.contains("action=\"/people/lead/willing\""), "{page}");

    // They come back, as an engineer this time.
    let (status, stint) = app
        .call(
            "admin",
            Method::POST,
            "/api/v1/people/lead/return",
            Some(json!({"on": "2027-01-04", "role": "engineer", "team": "t1", "manager": "boss"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{stint}");
    assert_eq!(stint["role"], "engineer");
    let (_, lead) = app
        .call(
            "admin",
            Method::GET,
            "/api/v1/people/lead?as_of=2027-02-01",
            None,
        )
        .await;
    assert_eq!(lead["left_on"], Value::Null);
    assert_eq!(lead["role"], "engineer");
    let (_, history) = app
        .call("admin", Method::GET, "/api/v1/people/lead/history", None)
        .await;
    let fields: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"left"), "{history}");
}

/// Erasing a person is refused while someone reports to them; once done, they are not
/// found and the audit log keeps a line that names nobody.
#[tokio::test]
async fn erasing_is_refused_while_someone_reports_and_leaves_no_trace_of_the_person() {
    let app = spawn_app().await;
    // Something of peer's in the log before the erasure.
    let (status, _) = app
        .call("lead", Method::DELETE, "/api/v1/people/peer", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a manager may not erase");
    let (status, _) = app
        .call("other", Method::DELETE, "/api/v1/people/peer", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, err) = app
        .call("admin", Method::DELETE, "/api/v1/people/lead", None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(message(&err).contains("dev, peer"), "{err}");
    let (status, _) = app
        .call("admin", Method::GET, "/api/v1/people/lead", None)
        .await;
    assert_eq!(status, StatusCode::OK, "nothing was erased");

    let (status, erased) = app
        .call("admin", Method::DELETE, "/api/v1/people/peer", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{erased}");
    assert_eq!(erased["stints"], 1);
    assert_eq!(erased["checkins"], 1);
    assert_eq!(erased["accounts"], 1);
    let (status, _) = app
        .call("admin", Method::GET, "/api/v1/people/peer", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let log = app.store.audit_log().await.unwrap();
    let erasure = log.last().unwrap();
    assert_eq!(erasure.action, "erase person");
    assert_eq!(erasure.subject, None);
    assert_eq!(erasure.outcome, "ok");
    for entry in &log {
        let line = format!("{} {:?}", entry.actor, entry.subject);
        assert!(!line.contains("peer"), "the log still names them: {line}");
    }
}

/// The person page: a manager corrects a stint of someone in their line through its form,
/// sees the problems of a bad one named, and finds no form on a stint from another org; a
/// person deletes their own check-in; an admin sees the history and the leave form.
#[tokio::test]
async fn the_person_page_corrects_stints_and_deletes_check_ins() {
    let app = spawn_app().await;
    let lead =
        account_with_session(&app.store, "lead@x.io", AccountRole::Manager, Some("lead")).await;
    let dev = account_with_session(&app.store, "dev@x.io", AccountRole::Member, Some("dev")).await;
    let admin = account_with_session(&app.store, "admin@x.io", AccountRole::Admin, None).await;

    let (_, page) = app.page(&lead, "/people/dev").await;
    assert!(
        page.contains("action=\"/people/dev/stints/2021-01-01\""),
        "{page}"
    );
    assert!(!page.contains("action=\"/people/dev/stints/2015-01-01\""));
    assert!(page.contains("Brought from Acme"), "{page}");
    assert!(
        !page.contains("/checkins/2026-05-01/delete"),
        "a manager deletes no check-in"
    );
    assert!(
        !page.contains("id=\"history\""),
        "the history is the admin's"
    );
    assert!(!page.contains("action=\"/people/dev/leave\""));

    let stint = |start: &'static str, band: &'static str| {
        [
            ("start", start),
            ("end", ""),
            ("role", "engineer"),
            ("team", "t1"),
            ("level", "L4"),
            ("band", band),
        ]
    };
    let (status, html) = app
        .post(
            &lead,
            "/people/dev/stints/2021-01-01",
            &stint("2021-13-01", "1000"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let alert = common::alert(&html);
    assert!(
        alert.contains("start:") && alert.contains("band:"),
        "{alert}"
    );
    let (status, _) = app
        .post(
            &lead,
            "/people/dev/stints/2021-01-01",
            &stint("2021-02-01", "12"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = app
        .post(
            &lead,
            "/people/dev/stints/2015-01-01",
            &stint("2015-01-01", ""),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a stint from Acme");

    let (_, page) = app.page(&dev, "/people/dev").await;
    assert!(
        !page.contains("action=\"/people/dev/stints/"),
        "not one's own stints"
    );
    let (status, _) = app
        .post(&dev, "/people/dev/checkins/2026-05-01/delete", &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.page(&dev, "/people/dev?done=checkin-deleted").await;
    assert!(
        page.contains("Check-in deleted.") && !page.contains("my own worry"),
        "{page}"
    );

    let (_, page) = app.page(&admin, "/people/dev").await;
    let history = page
        .split("id=\"history\"")
        .nth(1)
        .expect("a history section");
    assert!(
        history.contains("lead@x.io") && history.contains("stint from 2021-01-01"),
        "{history}"
    );
    assert!(
        history.contains("dev@x.io") && history.contains("check-in of 2026-05-01"),
        "{history}"
    );
    assert!(page.contains("action=\"/people/dev/leave\""));
}

/// An admin corrects a person's record (a `null` manager clears it, and their manager no
/// longer sees them), and a departure can hand the reports to someone else.
#[tokio::test]
async fn an_admin_corrects_a_record_and_a_departure_moves_the_reports() {
    let app = spawn_app().await;
    let (status, dev) = app
        .call(
            "admin",
            Method::PATCH,
            "/api/v1/people/dev",
            Some(json!({"name": "Di Renamed", "manager": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{dev}");
    assert_eq!(dev["name"], "Di Renamed");
    assert_eq!(dev["manager"], Value::Null);
    let (status, _) = app
        .call("lead", Method::GET, "/api/v1/people/dev", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "out of the lead's line now");
    let (status, err) = app
        .call(
            "admin",
            Method::PATCH,
            "/api/v1/people/dev",
            Some(json!({"name": "Di Renamed"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing to change: {err}"
    );

    let (status, left) = app
        .call(
            "admin",
            Method::POST,
            "/api/v1/people/lead/leave",
            Some(json!({"on": "2026-11-30", "reports_to": "boss"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    assert_eq!(left["moved"], json!(["peer"]));
    assert_eq!(left["without_manager"], json!([]));
    let (_, peer) = app
        .call("admin", Method::GET, "/api/v1/people/peer", None)
        .await;
    assert_eq!(peer["manager"], "boss");
    let (_, history) = app
        .call("admin", Method::GET, "/api/v1/people/peer/history", None)
        .await;
    let entry = &history["history"][0];
    assert_eq!(
        (&entry["field"], &entry["before"], &entry["after"]),
        (&json!("manager"), &json!("lead"), &json!("boss")),
        "{history}"
    );
    assert_eq!(
        common::audit_of(&app.store, "record leave").await,
        ["admin@accounts.x.io ok"]
    );
}

/// Swings of one person sent at once to one server: each request read the store's
/// revisions when it arrived, but a write checks its change against the ledger read after
/// it took its turn, so exactly one wins and the others are refused.
#[tokio::test]
async fn swings_of_one_person_sent_at_once_to_one_server_never_both_win() {
    let dir = tempfile::tempdir().unwrap();
    let mut people = String::from("id,name,email,level,team,manager\n");
    let mut stints = String::from("person,role,level,team,start\n");
    for i in 0..5 {
        people.push_str(&format!("e{i},Eng {i},e{i}@x.io,L4,t0,\n"));
        stints.push_str(&format!("e{i},engineer,L4,t0,2021-01-01\n"));
    }
    let store = common::store_with_org(
        dir.path(),
        &[("people.csv", &people), ("stints.csv", &stints)],
    )
    .await;
    let admin = account_with_token(&store, "admin", None, AccountRole::Admin).await;
    let addr = serve(AppState::new(store, None)).await;
    let token = Some(admin.as_str());
    api_call(addr, token, Method::GET, "/api/v1/people", None).await;
    for i in 0..5 {
        let path = format!("/api/v1/people/e{i}/swings");
        let [m, t, h] = ["manager", "tech_lead", "hybrid"]
            .map(|to| format!(r#"{{"to": "{to}", "on": "2026-06-01"}}"#));
        let (a, b, c) = tokio::join!(
            api_call(addr, token, Method::POST, &path, Some(&m)),
            api_call(addr, token, Method::POST, &path, Some(&t)),
            api_call(addr, token, Method::POST, &path, Some(&h)),
        );
        let created = [&a, &b, &c]
            .iter()
            .filter(|r| r.0 == StatusCode::CREATED)
            .count();
        assert_eq!(created, 1, "e{i}: {a:?} {b:?} {c:?}");
        let (_, person) = api_call(
            addr,
            token,
            Method::GET,
            &format!("/api/v1/people/e{i}/stints"),
            None,
        )
        .await;
        assert_eq!(person["stints"].as_array().unwrap().len(), 2, "{person}");
    }
}
