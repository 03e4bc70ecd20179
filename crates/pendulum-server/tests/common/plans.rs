//! The plans tests' server: the demo org in a fresh database, an account of each role
//! with an API token, and the calls and pages the tests make as them.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_core::{AccountRole, Change, Ledger, Policy};
use pendulum_demo::DemoSpec;
use pendulum_server::{AppState, PlanLimits, SolversOccupied};
use pendulum_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::{PASSWORD, client, hidden_csrf};

/// The demo org the tests plan: 60 people in three departments, as of a fixed day, so
/// that the plans below are the same on every run.
pub fn demo_ledger() -> (Ledger, Change) {
    let spec = DemoSpec {
        people: 60,
        seed: 2,
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        git_months: 0,
    };
    let parts = pendulum_demo::generate(&spec, &Policy::default());
    let change = Change::inserting(&parts);
    (Ledger::build(parts).unwrap(), change)
}

/// A person of the demo org who plans into management (`p29`, willing, in Platform's
/// Integrations team), and the top manager, who sees everyone.
pub const MEMBER: &str = "p29";

pub struct App {
    pub addr: SocketAddr,
    pub tokens: BTreeMap<&'static str, String>,
    /// The top manager's person id.
    pub top: String,
    pub state: AppState,
    /// Every solve slot, while a test keeps the server busy.
    pub occupied: Option<SolversOccupied>,
    _dir: tempfile::TempDir,
}

/// Whether a test server starts with every solve slot taken.
#[derive(PartialEq)]
pub enum Solvers {
    Free,
    Occupied,
}

pub async fn spawn_app() -> App {
    spawn_app_with(Solvers::Free).await
}

/// One password hash for every account: Argon2 is slow on purpose.
pub async fn spawn_app_with(solvers: Solvers) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    let (ledger, change) = demo_ledger();
    store.apply(&change).await.unwrap();
    let top = ledger
        .people()
        .iter()
        .find(|p| p.manager.is_none())
        .unwrap()
        .id
        .to_string();
    let mut tokens = BTreeMap::new();
    for (label, person, role) in [
        ("member", MEMBER, AccountRole::Member),
        ("manager", top.as_str(), AccountRole::Manager),
        ("admin", "", AccountRole::Admin),
    ] {
        let person = (!person.is_empty()).then_some(person);
        tokens.insert(
            label,
            super::account_with_token(&store, label, person, role).await,
        );
    }
    let state = AppState::new(store, None).with_plan_limits(PlanLimits::default());
    // Taken before the server starts, so its background planner cannot solve either.
    let occupied = match solvers {
        Solvers::Occupied => Some(state.occupy_solvers().await),
        Solvers::Free => None,
    };
    let addr = super::serve(state.clone()).await;
    App {
        addr,
        tokens,
        top,
        state,
        occupied,
        _dir: dir,
    }
}

/// Text as the pages' templates escape it.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn api(
        &self,
        role: &str,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let token = self.tokens.get(role).map(String::as_str);
        super::api_call(self.addr, token, method, path, body).await
    }

    pub async fn rotation(&self, query: &str) -> (StatusCode, Value) {
        self.api(
            "admin",
            Method::GET,
            &format!("/api/v1/plans/rotations{query}"),
            None,
        )
        .await
    }

    pub async fn assignments(&self, role: &str, body: &Value) -> (StatusCode, Value) {
        self.api(
            role,
            Method::POST,
            "/api/v1/plans/assignments",
            Some(&body.to_string()),
        )
        .await
    }
    /// Signs in through the form; returns the session cookie value.
    pub async fn sign_in(&self, label: &str) -> String {
        let page = client().get(self.url("/login")).send().await.unwrap();
        let login = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("pendulum_login="))
            .map(|v| v.split(';').next().unwrap().to_owned())
            .unwrap();
        let csrf = hidden_csrf(&page.text().await.unwrap());
        let response = client()
            .post(self.url("/login"))
            .header("cookie", format!("pendulum_login={login}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", &format!("{label}@accounts.x.io")),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label} signs in");
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("pendulum_session="))
            .map(|v| v.split(';').next().unwrap().to_owned())
            .unwrap()
    }

    /// Takes every solve slot, once the solves under way have ended.
    pub async fn occupy_solvers(&mut self) {
        self.occupied = Some(self.state.occupy_solvers().await);
    }

    pub fn free_solvers(&mut self) {
        self.occupied = None;
    }

    /// Asks for the page `path` until it says its plan is solved for the ledger as it is
    /// (the background planner's work, which the page never waits for), and returns it.
    pub async fn page_once_planned(&self, session: &str, path: &str) -> String {
        for _ in 0..1200 {
            let (status, html) = self.page(session, path).await;
            assert_eq!(status, StatusCode::OK, "{html}");
            if html.contains("Updated at") && !html.contains("being computed") {
                return html;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{path}: the background plan never came");
    }

    pub async fn page(&self, session: &str, path: &str) -> (StatusCode, String) {
        let response = client()
            .get(self.url(path))
            .header("cookie", format!("pendulum_session={session}"))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }
}
