//! Plans over real HTTP on the demo org: the rotation plan and the stretch assignment,
//! through the API and the pages, with a fresh database per test.

mod common;

use std::collections::BTreeMap;

use common::plans::{MEMBER, escaped, spawn_app};
use common::{client, hidden_csrf};
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_rotation_plan_staffs_every_planned_team_in_every_quarter() {
    let app = spawn_app().await;
    let (status, plan) = app.rotation("?from=2027-Q1&quarters=8").await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    let horizon = strings(&plan["horizon"]);
    assert_eq!(horizon.len(), 8);
    assert_eq!((horizon[0], horizon[7]), ("2027-Q1", "2028-Q4"));
    let teams = plan["teams"].as_array().unwrap();
    assert!(!teams.is_empty());
    if plan["feasible"] == false {
        // An org without a plan must say why.
        assert!(plan["diagnosis"]["summary"].is_string(), "{plan}");
        return;
    }
    assert!(plan["diagnosis"].is_null());
    assert!(plan["objective"].as_i64().unwrap() <= plan["upper_bound"].as_i64().unwrap());
    let people: BTreeMap<&str, &Value> = plan["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    for team in teams {
        let id = team["id"].as_str().unwrap();
        assert!(team["department"].is_string() && team["headcount"].as_u64() > Some(0));
        assert!(
            team["manager_now"].is_string() || team["manager_now"].is_null(),
            "{team}"
        );
        let managers = team["managers"].as_array().unwrap();
        assert_eq!(managers.len(), horizon.len(), "{id}");
        for (q, manager) in managers.iter().enumerate() {
            let manager = manager
                .as_str()
                .unwrap_or_else(|| panic!("{id} has no manager in {}", horizon[q]));
            let role = &people[manager]["roles"][q];
            assert_eq!(role["role"], "manager", "{manager} in {}", horizon[q]);
            assert!(
                strings(&role["teams"]).contains(&id),
                "{manager} manages {id}"
            );
        }
    }
    let swings = plan["swings"].as_array().unwrap();
    assert!(
        !swings.is_empty(),
        "the demo org has managers at their limits"
    );
    for swing in swings {
        assert!(horizon.contains(&swing["quarter"].as_str().unwrap()));
        assert!(
            ["to-management", "to-hands-on", "moves"].contains(&swing["kind"].as_str().unwrap())
        );
        assert!(!strings(&swing["why"]).is_empty(), "{swing}");
    }
    assert!(
        !plan["left_out"].as_array().unwrap().is_empty(),
        "department heads are not planned"
    );
}

#[tokio::test]
async fn a_pin_is_honoured() {
    let app = spawn_app().await;
    let experiments = |plan: &Value| -> Vec<String> {
        plan["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "platform-integrations")
            .unwrap()["managers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap_or("interim").to_owned())
            .collect()
    };
    let (_, free) = app.rotation("?from=2027-Q1&quarters=4").await;
    assert_ne!(
        experiments(&free)[2],
        MEMBER,
        "without the pin, someone else takes the team in 2027-Q3"
    );
    let (status, pinned) = app
        .rotation(&format!(
            "?from=2027-Q1&quarters=4&pin={MEMBER}:platform-integrations:2027-Q3"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{pinned}");
    assert_eq!(pinned["feasible"], true);
    assert_eq!(experiments(&pinned)[2], MEMBER);
    assert!(
        pinned["swings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["person"] == MEMBER && s["kind"] == "to-management"),
        "{pinned}"
    );
}

/// A plan is kept for the ledger it was made from: a write makes the next request plan
/// the new ledger.
#[tokio::test]
async fn a_write_to_the_ledger_gives_a_new_plan() {
    let app = spawn_app().await;
    let first_manager = |plan: &Value| -> String {
        plan["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "platform-integrations")
            .unwrap()["managers"][0]
            .as_str()
            .unwrap_or("interim")
            .to_owned()
    };
    let (_, before) = app.rotation("?from=2027-Q1&quarters=4").await;
    assert_eq!(first_manager(&before), "p14");
    let (_, again) = app.rotation("?from=2027-Q1&quarters=4").await;
    assert_eq!(again, before);
    // The team's manager goes back to engineering before the plan begins.
    let (status, swing) = app
        .api(
            "admin",
            Method::POST,
            "/api/v1/people/p14/swings",
            Some(r#"{"to": "engineer", "on": "2026-12-01"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{swing}");
    let (_, after) = app.rotation("?from=2027-Q1&quarters=4").await;
    assert_eq!(after["feasible"], true, "{after}");
    assert_ne!(first_manager(&after), "p14");
}

#[tokio::test]
async fn bad_parameters_are_refused_naming_them() {
    let app = spawn_app().await;
    for (query, names) in [
        (
            "?pin=nobody:platform-integrations:2027-Q3",
            "pin nobody:platform-integrations:2027-Q3",
        ),
        (
            "?pin=p29:no-such-team:2027-Q3",
            "pin p29:no-such-team:2027-Q3",
        ),
        (
            "?from=2027-Q1&quarters=2&pin=p29:platform-integrations:2028-Q1",
            "pin p29:platform-integrations:2028-Q1",
        ),
        (
            "?pin=p29-platform-integrations",
            "pin: \"p29-platform-integrations\"",
        ),
        ("?exclude=nobody", "exclude nobody"),
        ("?from=next", "from: "),
        ("?quarters=99", "quarters: "),
        ("?pins=p29:platform-integrations:2027-Q3", "pins: "),
    ] {
        let (status, error) = app.rotation(query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(names), "{query}: {message}");
    }
}

#[tokio::test]
async fn an_org_without_a_plan_says_why() {
    let app = spawn_app().await;
    // p56 is willing but new; pinned into management, no plan is found that keeps every constraint.
    let (status, plan) = app
        .rotation("?from=2027-Q1&quarters=4&pin=p56:platform-integrations:2027-Q3")
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["feasible"], false);
    assert!(plan["diagnosis"]["facts"].is_array(), "{plan}");
    assert!(plan["objective"].is_null());
    let summary = plan["diagnosis"]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("No plan was found that keeps every constraint"),
        "{summary}"
    );
}

#[tokio::test]
async fn stretch_assignments_are_optimal() {
    let app = spawn_app().await;
    // Growth peaks at a gap of +1 (1000) and falls to 750 at 0 and +2. Handing the best
    // pair (a on the parser, 1000) first leaves nobody for the query; the optimum gives
    // each person one item at 750.
    let request = serde_json::json!({
        "skills": "person,skill,level\na,rust,4\na,sql,4\nb,rust,5\n",
        "backlog": "item,skill,difficulty\nparser,rust,5\nquery,sql,6\n",
        "capacity": 1,
    });
    let (status, plan) = app.assignments("manager", &request).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["total_growth"], 1500);
    let assigned: Vec<(&str, &str, i64)> = plan["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["person"].as_str().unwrap(),
                a["item"].as_str().unwrap(),
                a["growth"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(assigned, [("b", "parser", 750), ("a", "query", 750)]);
    assert_eq!(plan["assignments"][1]["gap"], 2.0);
    assert_eq!(plan["unassigned"], serde_json::json!([]));
    assert_eq!(plan["band"]["target_gap"], 1.0);

    // Capacities from the file; without them, the request must give one.
    let (status, plan) = app
        .assignments(
            "admin",
            &serde_json::json!({
                "skills": "person,skill,level,capacity\na,rust,4,0\nb,rust,5,1\n",
                "backlog": "item,skill,difficulty\nparser,rust,5\n",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["assignments"][0]["person"], "b");
    let (status, error) = app
        .assignments(
            "admin",
            &serde_json::json!({"skills": "person,skill,level\na,rust,4\n", "backlog": "item,skill,difficulty\n"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("skills: no capacity for a"),
        "{error}"
    );
}

#[tokio::test]
async fn a_bad_csv_is_refused_naming_its_line_and_field() {
    let app = spawn_app().await;
    let (status, error) = app
        .assignments(
            "manager",
            &serde_json::json!({
                "skills": "person,skill,level\na,rust,4\nb,rust,lots\n",
                "backlog": "item,skill,difficulty\nparser,rust,5\n",
                "capacity": 1,
            }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("skills:3: level: "), "{message}");
    let (status, error) = app
        .assignments(
            "manager",
            &serde_json::json!({
                "skills": "person,skill,level\na,rust,4\n",
                "backlog": "item,skill,difficulty\nparser,rust,hard\n",
                "capacity": 1,
            }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("backlog:2: difficulty: "),
        "{error}"
    );
    let (status, _) = app
        .api(
            "manager",
            Method::POST,
            "/api/v1/plans/assignments",
            Some(r#"{"skills": "person,skill,level\n", "backlog": "", "capacity": 1, "extra": 1}"#),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_plans_page_shows_the_table_the_swings_and_who_is_left_out() {
    let app = spawn_app().await;
    let (_, plan) = app.rotation("?from=2027-Q1&quarters=4").await;
    let admin = app.sign_in("admin").await;
    let (status, html) = app.page(&admin, "/plans?from=2027-Q1&quarters=4").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains(r#"<a href="/plans">Plans</a>"#),
        "in the navigation"
    );
    for q in strings(&plan["horizon"]) {
        assert!(html.contains(&format!("<th scope=\"col\">{q}</th>")), "{q}");
    }
    let team = &plan["teams"][0];
    assert!(html.contains(&escaped(team["name"].as_str().unwrap())));
    assert!(html.contains(&format!(
        "<td>{}</td>",
        escaped(team["department"].as_str().unwrap())
    )));
    assert!(html.contains(r#"<th scope="col">Now</th>"#));
    if let Some(now) = team["manager_now"].as_str() {
        assert!(html.contains(&format!(
            "<td>{}</td><td><a href=\"/people/{now}\">",
            escaped(team["department"].as_str().unwrap())
        )));
    }
    let manager = team["managers"][0].as_str().unwrap();
    assert!(html.contains(&format!("<a href=\"/people/{manager}\">")));
    let swing = &plan["swings"][0];
    assert!(html.contains(&format!("<h3>{}</h3>", swing["quarter"].as_str().unwrap())));
    assert!(
        html.contains(&escaped(swing["why"][0].as_str().unwrap())),
        "the swing's reasons"
    );
    let left = &plan["left_out"][0];
    assert!(
        html.contains(&escaped(left["reason"].as_str().unwrap())),
        "who is left out, and why"
    );
    assert!(!html.contains("No plan found that keeps every constraint"));

    // A what-if from the form's three pin fields, and the link that drops it.
    let (status, html) = app
        .page(
            &admin,
            &format!("/plans?from=2027-Q1&quarters=4&pin_person={MEMBER}&pin_team=platform-integrations&pin_quarter=2027-Q3"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("pinned {MEMBER}:platform-integrations:2027-Q3 <a href=\"/plans?from=2027-Q1&#38;quarters=4\">remove</a>")), "{html}");
    assert!(html.contains(&format!(
        "<input type=\"hidden\" name=\"pin\" value=\"{MEMBER}:platform-integrations:2027-Q3\">"
    )));

    // An org without a plan shows why, first.
    let (status, html) = app
        .page(
            &admin,
            "/plans?from=2027-Q1&quarters=4&pin=p56:platform-integrations:2027-Q3",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let diagnosis = html
        .find("<h2 id=\"diagnosis\">No plan found that keeps every constraint</h2>")
        .expect("the diagnosis");
    assert!(
        diagnosis < html.find("<form method=\"get\"").unwrap(),
        "above the form"
    );
    assert!(
        html.contains("There is no closest plan to show") && !html.contains("Managers by quarter"),
        "no table of interims when not even interims make a plan"
    );

    // A bad parameter is named on the page.
    let (status, html) = app
        .page(&admin, "/plans?pin=nobody:platform-integrations:2027-Q3")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("pin nobody:platform-integrations:2027-Q3: no person has the id nobody"),
        "{html}"
    );

    for label in ["member", "manager"] {
        let session = app.sign_in(label).await;
        let (status, html) = app.page(&session, "/plans").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{label}");
        assert!(!html.contains("Managers by quarter"));
        assert!(!html.contains(r#"<a href="/plans">Plans</a>"#));
    }
}

#[tokio::test]
async fn a_person_page_shows_an_admin_their_planned_swings() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    app.page_once_planned(&admin, &format!("/people/{MEMBER}"))
        .await;
    // The page shows the default plan, from the quarter after today.
    let (status, plan) = app.rotation("").await;
    assert_eq!(status, StatusCode::OK);
    // A change of side (a manager moving teams stays on their side).
    let swing = plan["swings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] != "moves")
        .unwrap();
    let person = swing["person"].as_str().unwrap();
    let (status, html) = app.page(&admin, &format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK);
    let section = html
        .find("<h2 id=\"planned\">Planned swings</h2>")
        .expect("the section");
    assert!(
        section > html.find("<h2 id=\"pendulum\">").unwrap(),
        "under the timeline"
    );
    let planned = &html[section..html[section..].find("</section>").unwrap() + section];
    assert!(planned.contains(&format!(
        "<strong>{}</strong>",
        swing["quarter"].as_str().unwrap()
    )));
    for why in strings(&swing["why"]) {
        assert!(planned.contains(&escaped(why)), "{why}: {planned}");
    }
    // The timeline draws the planned roles faded and the swing as an open circle.
    let timeline = &html[..section];
    assert!(timeline.contains("<rect class=\"planned\""), "{timeline}");
    let first_day = format!(
        "planned swing on {}",
        pendulum_core::Quarter::parse(swing["quarter"].as_str().unwrap())
            .unwrap()
            .first_day()
    );
    assert!(timeline.contains(&first_day), "{first_day}: {timeline}");
    let quiet = plan["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .find(|id| {
            !plan["swings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["person"] == *id)
        })
        .unwrap();
    let (_, html) = app.page(&admin, &format!("/people/{quiet}")).await;
    assert!(html.contains("No swing planned for"), "{quiet}");

    // Their manager sees the page, but not the plan.
    let manager = app.sign_in("manager").await;
    let (status, html) = app.page(&manager, &format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Planned swings"));
    assert!(
        !html.contains("class=\"planned\""),
        "no plan on the timeline either"
    );
    assert!(html.contains(&format!("<a href=\"/people/{}\">My pendulum</a>", app.top)));
}

/// A `multipart/form-data` body, as a browser sends the form with its uploads.
fn multipart(boundary: &str, fields: &[(&str, Option<&str>, &str)]) -> String {
    let mut body = String::new();
    for (name, file, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        ));
        if let Some(file) = file {
            body.push_str(&format!("; filename=\"{file}\"\r\nContent-Type: text/csv"));
        }
        body.push_str(&format!("\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    body
}

#[tokio::test]
async fn the_assignments_page_plans_pasted_or_uploaded_files() {
    let app = spawn_app().await;
    let manager = app.sign_in("manager").await;
    let (status, html) = app.page(&manager, "/plans/assignments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"enctype="multipart/form-data""#));
    assert!(html.contains(r#"<a href="/plans/assignments">Stretch work</a>"#));
    let csrf = hidden_csrf(&html);
    let skills = "person,skill,level\np25,rust,4\np25,sql,4\np45,rust,5\n";
    let backlog = "item,skill,difficulty\nparser,rust,5\nquery,sql,6\n";

    // Pasted into the text areas, sent URL-encoded.
    let pasted = client()
        .post(app.url("/plans/assignments"))
        .header("cookie", format!("pendulum_session={manager}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("skills", skills),
            ("backlog", backlog),
            ("capacity", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(pasted.status(), StatusCode::OK);
    let html = pasted.text().await.unwrap();
    assert!(html.contains("2 assignments, total growth 1500"), "{html}");
    assert!(
        html.contains(
            "<td>query</td><td>sql</td><td>4.0</td><td>6.0</td><td>+2.0</td><td>750</td>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "Difficulty 6.0 is 2.0 above their level 4.0 in sql: growth 750 of 1000, the most at +1."
    ));

    // Uploaded as files, with empty text areas, as a browser sends them.
    let boundary = "XyZ0123";
    let body = multipart(
        boundary,
        &[
            ("csrf", None, &csrf),
            ("skills", None, ""),
            ("skills_file", Some("skills.csv"), skills),
            ("backlog", None, ""),
            ("backlog_file", Some("backlog.csv"), backlog),
            ("capacity", None, "1"),
        ],
    );
    let uploaded = client()
        .post(app.url("/plans/assignments"))
        .header("cookie", format!("pendulum_session={manager}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), StatusCode::OK);
    let html = uploaded.text().await.unwrap();
    assert!(html.contains("2 assignments, total growth 1500"), "{html}");

    // A bad file is named with its line, and the text stays in the form to fix.
    let bad = client()
        .post(app.url("/plans/assignments"))
        .header("cookie", format!("pendulum_session={manager}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("skills", "person,skill,level\np25,rust,high\n"),
            ("backlog", backlog),
            ("capacity", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("skills:2: level: "), "{html}");
    assert!(html.contains("p25,rust,high"));

    // Without the form's token, nothing is planned.
    let forged = client()
        .post(app.url("/plans/assignments"))
        .header("cookie", format!("pendulum_session={manager}"))
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("skills", skills),
            ("backlog", backlog),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let member = app.sign_in("member").await;
    let (status, html) = app.page(&member, "/plans/assignments").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Stretch work"));
}
