//! What one account's plans may cost the server, over real HTTP on the demo org: stretch
//! requests above the limits are refused naming the limit, solves beyond the free slots
//! are answered busy, and the pages show the last rotation plan without waiting for one.

mod common;

use common::plans::{App, MEMBER, Solvers, spawn_app, spawn_app_with};
use common::{client, hidden_csrf};
use pendulum_server::PlanLimits;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A stretch request of `people` people and `items` items, all of one skill and every
/// pair in the band: `people × items` candidate pairs.
fn square(people: usize, items: usize) -> Value {
    let mut skills = String::from("person,skill,level\n");
    for p in 0..people {
        skills.push_str(&format!("p{p},rust,4\n"));
    }
    let mut backlog = String::from("item,skill,difficulty\n");
    for i in 0..items {
        backlog.push_str(&format!("i{i},rust,5\n"));
    }
    json!({"skills": skills, "backlog": backlog, "capacity": 1})
}

fn message(error: &Value) -> &str {
    error["error"]["message"].as_str().unwrap_or_default()
}

/// The stretch page's form, sent as a browser sends it (pasted text).
async fn post_assignments(app: &App, session: &str, request: &Value) -> (StatusCode, String) {
    let (_, html) = app.page(session, "/plans/assignments").await;
    let csrf = hidden_csrf(&html);
    let response = client()
        .post(app.url("/plans/assignments"))
        .header("cookie", format!("pendulum_session={session}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("skills", request["skills"].as_str().unwrap()),
            ("backlog", request["backlog"].as_str().unwrap()),
            ("capacity", "1"),
        ])
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// 8,000 × 8,000 of one skill was 64 million edges and gigabytes before it was refused;
/// now the rows are counted on the text, and the pairs before any edge exists.
#[tokio::test]
async fn stretch_requests_above_the_limits_are_refused_naming_the_limit() {
    let app = spawn_app().await;
    let limits = PlanLimits::default();
    let rows = limits.stretch_rows_per_file;
    let (status, error) = app.assignments("manager", &square(8000, 8000)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(
        message(&error),
        format!(
            "skills: more than {rows} rows, above the limit of {rows} rows per file: split the file"
        )
    );
    let (status, error) = app.assignments("manager", &square(10, rows + 1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        message(&error).starts_with(&format!("backlog: more than {rows} rows")),
        "{error}"
    );

    // Within the rows, 4,000 × 4,000 is 16 million pairs.
    let (status, error) = app.assignments("manager", &square(4000, 4000)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let pairs = limits.stretch_candidates;
    assert_eq!(
        message(&error),
        format!(
            "more than {pairs} person-item pairs fall in the stretch band, above the limit of {pairs} candidate pairs: split the backlog or the people"
        )
    );

    // The page shares the limits.
    let manager = app.sign_in("manager").await;
    let (status, html) = post_assignments(&app, &manager, &square(4000, 4000)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(&format!("above the limit of {pairs} candidate pairs")),
        "{html}"
    );

    // And a request within them is planned as before.
    let (status, plan) = app.assignments("manager", &square(50, 50)).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["total_growth"], 50_000);
}

/// An API call with the response's headers.
async fn api_response(
    app: &App,
    role: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = client()
        .request(method, app.url(&format!("/api/v1{path}")))
        .bearer_auth(&app.tokens[role]);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

async fn assert_busy(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "2");
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "busy");
    assert!(
        message(&error).starts_with("the server is busy with other plans; try the "),
        "{error}"
    );
}

#[tokio::test]
async fn a_busy_server_says_so_and_pages_never_wait_for_a_solve() {
    // Every solve slot is taken before the server starts: nothing can be solved.
    let mut app = spawn_app_with(Solvers::Occupied).await;
    let admin = app.sign_in("admin").await;
    let person = format!("/people/{MEMBER}");
    let (status, html) = app.page(&admin, &person).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("The plan is being computed; reload the page in a moment"),
        "{html}"
    );
    assert!(!html.contains("No swing planned"));
    let (status, html) = app.page(&admin, "/plans").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("The plan is being computed"), "{html}");
    assert!(!html.contains("Managers by quarter"));

    // A solve asked for now is refused, with when to try again.
    let what_if = "/plans/rotations?from=2027-Q1&quarters=4";
    assert_busy(api_response(&app, "admin", Method::GET, what_if, None).await).await;
    let stretch = square(3, 3);
    assert_busy(
        api_response(
            &app,
            "manager",
            Method::POST,
            "/plans/assignments",
            Some(&stretch),
        )
        .await,
    )
    .await;
    let (status, html) = app.page(&admin, "/plans?from=2027-Q1&quarters=4").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        html.contains("the server is busy with other plans; try the rotation plan again"),
        "{html}"
    );
    let (status, html) = post_assignments(&app, &admin, &stretch).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        html.contains("the server is busy with other plans; try the stretch plan again"),
        "{html}"
    );

    // Once a slot is free, the background planner solves the default plan; no request
    // waits for it.
    app.free_solvers();
    let html = app.page_once_planned(&admin, &person).await;
    assert!(html.contains("<h2 id=\"planned\">Planned swings</h2>"));
    let html = app.page_once_planned(&admin, "/plans").await;
    assert!(html.contains("Managers by quarter"), "{html}");
    let (status, plan) = app.rotation("").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the default plan comes from the planner: {plan}"
    );

    // After a write, the pages show the plan they have and say a new one is coming.
    app.occupy_solvers().await;
    let (status, swing) = app
        .api(
            "admin",
            Method::POST,
            "/api/v1/people/p14/swings",
            Some(r#"{"to": "engineer", "on": "2026-12-01"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{swing}");
    for path in [person.as_str(), "/plans"] {
        let (status, html) = app.page(&admin, path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("has changed since, and a new plan is being computed"),
            "{path}: {html}"
        );
    }
    app.free_solvers();
    app.page_once_planned(&admin, "/plans").await;
}
