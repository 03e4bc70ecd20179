//! The dashboard: server-rendered pages with sessions, CSRF protection on every form, and a
//! sign-in rate limit. What a page shows is decided by `pendulum_core::access`, exactly as
//! for the API.

mod plans;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use chrono::NaiveDate;
use pendulum_core::activity::Activity;
use pendulum_core::interruptions::Interruptions;
use pendulum_core::ledger::CheckIn;
use pendulum_core::timeline::Timeline;
use pendulum_core::{
    Account, Change, Nudge, PersonId, Report, Role, RuleId, Score, Severity, SwingRequest, View,
    YearMonth,
};
use pendulum_store::{NewSession, Store};
use serde::Deserialize;

use crate::auth::{self, token_hash};
use crate::{AppError, AppState};

/// A session ends after this long without a request...
const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// ...and after this long in any case.
const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// Activity is written at most this often, to keep reads from becoming writes.
const TOUCH_EVERY_SECS: i64 = 60;
/// Sign-in attempts allowed per client address in one window.
const LOGIN_ATTEMPTS: u32 = 10;
const LOGIN_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Every page route: one table, so that the authorization tests can check they cover all
/// of them.
fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/", get(overview)),
        (Method::GET, "/login", get(login_page)),
        (Method::POST, "/login", post(login)),
        (Method::POST, "/logout", post(logout)),
        (Method::GET, "/people", get(people)),
        (Method::GET, "/people/{id}", get(person)),
        (Method::POST, "/people/{id}/checkins", post(record_checkin)),
        (Method::POST, "/people/{id}/swings", post(record_swing)),
        (Method::GET, "/reflect", get(reflect_page)),
        (Method::POST, "/reflect", post(reflect)),
        (Method::GET, "/pulse", get(pulse_page)),
        (Method::POST, "/pulse", post(answer_pulse)),
        (Method::GET, "/plans", get(plans::rotation_page)),
        (
            Method::GET,
            "/plans/assignments",
            get(plans::assignments_page),
        ),
        (
            Method::POST,
            "/plans/assignments",
            post(plans::plan_assignments),
        ),
        (Method::GET, "/policy", get(policy_page)),
        (Method::POST, "/policy", post(save_policy)),
        (Method::GET, "/static/app.css", get(stylesheet)),
        (Method::GET, "/healthz", get(|| async { "ok" })),
    ]
}

/// The dashboard's routes, as method and path.
pub fn page_routes() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub(crate) fn router() -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |r, (_, path, handler)| {
            r.route(path, handler)
        })
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
}

/// Headers on every response: a strict content policy, no sniffing, no framing, and no
/// caching of anything but static files (pages and API answers carry people's data).
pub(crate) async fn security_headers(request: Request<axum::body::Body>, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A signed-in browser: the account and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    account: Account,
    csrf: String,
}

impl Signed {
    fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if constant_time_eq(self.csrf.as_bytes(), sent.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Forbidden("the form is out of date or was not sent by this site; reload the page and try again".into()))
        }
    }

    fn nav(&self) -> Nav {
        Nav {
            email: self.account.email.to_string(),
            csrf: self.csrf.clone(),
            me: self.account.person.as_ref().map(|p| p.to_string()),
            sees_org: self.account.may_see_org_metrics(),
            admin: self.account.may_administer(),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Pages send a browser without a session to the sign-in page.
pub(crate) struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to("/login").into_response()
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(id) = cookie(&parts.headers, state.session_cookie()) else {
            return Err(ToLogin.into_response());
        };
        let hash = token_hash(id);
        let session = state
            .store()
            .session(&hash)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        let Some(session) = session else {
            return Err(ToLogin.into_response());
        };
        let now = now();
        if now - session.last_seen > IDLE_TIMEOUT_SECS
            || now - session.created_at > ABSOLUTE_TIMEOUT_SECS
        {
            let _ = state.store().delete_session(&hash).await;
            return Err(ToLogin.into_response());
        }
        if now - session.last_seen > TOUCH_EVERY_SECS {
            state
                .store()
                .touch_session(&hash, now)
                .await
                .map_err(|e| AppError::from(e).into_response())?;
        }
        Ok(Signed {
            account: session.account,
            csrf: session.csrf,
        })
    }
}

/// The part of every page that knows who is signed in.
#[derive(Debug, Clone)]
pub(crate) struct Nav {
    email: String,
    csrf: String,
    me: Option<String>,
    sees_org: bool,
    admin: bool,
}

/// An error on a page: the same status as the API would give, shown as a page.
pub(crate) struct PageError(AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<pendulum_store::StoreError> for PageError {
    fn from(e: pendulum_store::StoreError) -> Self {
        Self(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Option<Nav>,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let api = self.0.into_response();
        let status = api.status();
        // The message the API would send; server faults were logged and stay generic.
        let title = status.canonical_reason().unwrap_or("Error");
        let message = match status {
            StatusCode::NOT_FOUND => "There is nothing here, or nothing you may see.".to_owned(),
            StatusCode::FORBIDDEN => "You may not do this.".to_owned(),
            s if s.is_server_error() => {
                "Something went wrong on our side; it has been logged.".to_owned()
            }
            _ => "The request could not be handled.".to_owned(),
        };
        match (ErrorPage {
            nav: None,
            title,
            message,
        })
        .render()
        {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        }
    }
}

fn render(template: &impl Template) -> Result<Html<String>, AppError> {
    template
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn random_hex() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Option<Nav>,
    csrf: String,
    error: Option<String>,
}

/// The sign-in form carries a CSRF token that must match a cookie set with it, so another
/// site cannot sign a browser in to an account of its choosing.
async fn login_page(State(state): State<AppState>) -> Result<Response, PageError> {
    login_form(&state, None, StatusCode::OK)
}

fn login_form(
    state: &AppState,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let csrf = random_hex()?;
    let page = render(&LoginPage {
        nav: None,
        csrf: csrf.clone(),
        error,
    })?;
    let cookie = format!(
        "{}={csrf}; Path=/login; HttpOnly; SameSite=Strict{}",
        state.login_cookie(),
        state.secure_attr()
    );
    Ok((status, [(header::SET_COOKIE, cookie)], page).into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    // The limit keys on the connection's own address: a forwarded-for header is the
    // client's word, and would let it pick a fresh key for every attempt.
    if !state.login_limiter().allow(peer.ip()) {
        state
            .audit(None, "sign-in", Some(form.email.trim()), "rate-limited")
            .await;
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "300")],
            "too many sign-in attempts; wait a few minutes",
        )
            .into_response());
    }
    let expected = cookie(&headers, state.login_cookie()).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return login_form(
            &state,
            Some("The form expired; please sign in again.".into()),
            StatusCode::FORBIDDEN,
        );
    }
    let email = pendulum_core::Email::parse(&form.email).ok();
    let stored = match &email {
        Some(e) => state.store().account(e).await?,
        None => None,
    };
    let password = form.password;
    // Verify even when the account is unknown, so timing does not tell which emails exist.
    let hash = stored
        .as_ref()
        .map(|s| s.password_hash.clone())
        .unwrap_or_else(|| state.decoy_hash().to_owned());
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(stored) = stored.filter(|s| matches && !s.disabled) else {
        state.audit(email.as_ref(), "sign-in", None, "denied").await;
        return login_form(
            &state,
            Some("Wrong email or password.".into()),
            StatusCode::UNAUTHORIZED,
        );
    };
    // A fresh session id at every sign-in: an id planted before cannot be carried over.
    let id = random_hex()?;
    state
        .store()
        .create_session(&NewSession {
            id_hash: token_hash(&id),
            account: stored.account.email.clone(),
            csrf: random_hex()?,
            now: now(),
        })
        .await?;
    state
        .audit(Some(&stored.account.email), "sign-in", None, "ok")
        .await;
    let target = match (&stored.account.person, stored.account.may_see_org_metrics()) {
        (_, true) | (None, _) => "/".to_owned(),
        (Some(p), false) => format!("/people/{p}"),
    };
    let session = format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax{}",
        state.session_cookie(),
        state.secure_attr()
    );
    let clear = format!("{}=; Path=/login; Max-Age=0", state.login_cookie());
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&session).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&clear).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    Ok(response)
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    if let Some(id) = cookie(&headers, state.session_cookie()) {
        state.store().delete_session(&token_hash(id)).await?;
    }
    let clear = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        state.session_cookie(),
        state.secure_attr()
    );
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

/// Sign-in attempts per client address in a fixed window.
#[derive(Debug, Default)]
pub(crate) struct LoginLimiter {
    attempts: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl LoginLimiter {
    fn allow(&self, ip: IpAddr) -> bool {
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        attempts.retain(|_, (_, start)| now.duration_since(*start) < LOGIN_WINDOW);
        let entry = attempts.entry(ip).or_insert((0, now));
        entry.0 += 1;
        entry.0 <= LOGIN_ATTEMPTS
    }
}

#[derive(Deserialize)]
struct AsOfQuery {
    as_of: Option<String>,
}

/// A nudge as pages show it.
pub(crate) struct NudgeView {
    severity: &'static str,
    person: String,
    person_name: String,
    rule: &'static str,
    facts: Vec<FactView>,
    principle: &'static str,
    suggestion: String,
    /// Who should act on it, when not the person: (id, name).
    act_by: Option<(String, String)>,
}

struct FactView {
    text: String,
    source: &'static str,
}

fn nudge_views(nudges: &[Nudge], ledger: &pendulum_core::Ledger) -> Vec<NudgeView> {
    nudges
        .iter()
        .map(|n| NudgeView {
            severity: n.severity.as_str(),
            person: n.person.to_string(),
            person_name: ledger
                .person(&n.person)
                .map_or_else(|| n.person.to_string(), |p| p.name.clone()),
            rule: n.rule.as_str(),
            facts: n
                .facts
                .iter()
                .map(|f| FactView {
                    text: f.text.clone(),
                    source: f.source.as_str(),
                })
                .collect(),
            principle: n.principle,
            suggestion: n.suggestion.clone(),
            act_by: n.act_by.as_ref().map(|id| {
                let name = ledger
                    .person(id)
                    .map_or_else(|| id.to_string(), |p| p.name.clone());
                (id.to_string(), name)
            }),
        })
        .collect()
}

struct Card {
    value: String,
    label: String,
    /// How the value is counted, when the label alone does not say.
    note: Option<String>,
}

struct Bucket {
    label: &'static str,
    count: usize,
    width: usize,
}

struct Distribution {
    title: &'static str,
    buckets: Vec<Bucket>,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    nav: Option<Nav>,
    as_of: NaiveDate,
    cards: Vec<Card>,
    /// The ledger has no git evidence, so the git shares are left out.
    no_git: bool,
    /// How the calendar cards are counted; `None` without calendar evidence, when they are
    /// left out.
    calendar_note: Option<String>,
    distributions: Vec<Distribution>,
    alerts: usize,
    warns: usize,
    infos: usize,
    nudges: Vec<NudgeView>,
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".into(), |s| format!("{:.0}%", s * 100.0))
}

/// Counts values into labelled ranges of months (or counts), for a small bar chart.
fn distribution(
    title: &'static str,
    values: &[f64],
    edges: &[(f64, &'static str)],
) -> Distribution {
    let mut counts = vec![0usize; edges.len()];
    for &v in values {
        let i = edges
            .iter()
            .position(|&(upper, _)| v < upper)
            .unwrap_or(edges.len() - 1);
        counts[i] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    Distribution {
        title,
        buckets: edges
            .iter()
            .zip(counts)
            .map(|(&(_, label), count)| Bucket {
                label,
                count,
                width: count * 120 / most,
            })
            .collect(),
    }
}

async fn overview(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, PageError> {
    if !signed.account.may_see_org_metrics() {
        return Ok(match &signed.account.person {
            Some(p) => Redirect::to(&format!("/people/{p}")).into_response(),
            None => Redirect::to("/people").into_response(),
        });
    }
    let as_of = crate::api::day(q.as_of.as_deref())?;
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let report = Report::new(ledger, &snapshot.policy, as_of);
    let m = &report.metrics;
    let limit = snapshot.policy.hands_on_distance.alert_months;
    let mut cards = vec![
        Card {
            value: m.people.to_string(),
            label: format!(
                "people ({} managers, {} tech leads, {} hybrids)",
                m.managers, m.tech_leads, m.open_hybrid_stints
            ),
            note: None,
        },
        Card {
            value: percent(m.managers_near_hands_on_share),
            label: format!("managers within {limit} months of hands-on work"),
            note: None,
        },
        Card {
            value: percent(m.tech_leads_with_management_share),
            label: "tech leads who have managed".into(),
            note: None,
        },
        Card {
            value: m
                .swings_per_senior_person
                .map_or("–".into(), |v| format!("{v:.2}")),
            label: "swings per senior person".into(),
            note: None,
        },
        Card {
            value: percent(m.managers_from_within_share),
            label: "managers from within".into(),
            note: None,
        },
        Card {
            value: m.bench_depth.map_or("–".into(), |v| format!("{v:.2}")),
            label: "bench depth per manager seat".into(),
            note: None,
        },
        Card {
            value: m.ladder_parity_violations.to_string(),
            label: "swings booked with a level change".into(),
            note: None,
        },
    ];
    let h = &snapshot.policy.hands_on_distance;
    let git = [
        (m.managers_git_hands_on_within_warn_share, h.warn_months),
        (m.managers_git_hands_on_within_alert_share, h.alert_months),
    ];
    // Next to the ledger's own hands-on share, when git has been read.
    for (k, (share, months)) in git.into_iter().enumerate() {
        if let Some(share) = share {
            cards.insert(2 + k, Card {
                value: percent(Some(share)),
                label: format!("managers hands-on in git in the last {months} months"),
                note: Some(format!(
                    "Managers and hybrids with a month of at least {} commits, authored or co-authored (merges do not count).",
                    snapshot.policy.git.hands_on_commits
                )),
            });
        }
    }
    let no_git = !ledger.git().iter().any(|g| g.month <= YearMonth::of(as_of));
    let calendar_note = m.calendar.as_ref().map(|c| {
        let groups = [
            ("makers", "engineers and tech leads", c.makers),
            ("managers", "managers and hybrids", c.managers),
        ];
        for (group, who, load) in groups {
            let people = load.map_or(0, |l| l.people);
            let note = Some(format!("{who} with calendar evidence: {people}"));
            let hours = |h: fn(&pendulum_core::metrics::CalendarLoad) -> f64| {
                load.as_ref().map_or("–".into(), |l| format!("{:.1} h", h(l)))
            };
            cards.push(Card {
                value: hours(|l| l.focus_hours),
                label: format!("{group}' focus time a week"),
                note: note.clone(),
            });
            cards.push(Card {
                value: hours(|l| l.meeting_hours),
                label: format!("{group}' meetings a week"),
                note,
            });
        }
        format!(
            "Calendar: mean hours per person and week from {} to {}, the most recent weeks with calendar evidence (at most {}). Focus time is free working time in blocks of at least {} h; makers need it, managers' work lives in meetings.",
            c.first_week,
            c.last_week,
            snapshot.policy.calendar.focus_weeks,
            snapshot.policy.calendar.focus_block_hours,
        )
    });
    let weight = snapshot.policy.hands_on_distance.hybrid_hands_on_weight;
    let (mut tenure, mut distance, mut spans) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..ledger.people().len() {
        let stints = ledger.stints_of(i);
        let cut = &stints[..stints.partition_point(|s| s.start <= as_of)];
        let Some(current) = cut.last().filter(|s| s.covers(as_of) && s.role.manages()) else {
            continue;
        };
        tenure.push(pendulum_core::period::months_between(current.start, as_of));
        distance.push(pendulum_core::metrics::hands_on_distance(cut, as_of, weight).months);
        spans.push(f64::from(ledger.direct_reports(i)));
    }
    let months = [
        (12.0, "< 1 year"),
        (24.0, "1-2 years"),
        (36.0, "2-3 years"),
        (60.0, "3-5 years"),
        (f64::INFINITY, "5+ years"),
    ];
    let distributions = vec![
        distribution("Manager tenure in the current stint", &tenure, &months),
        distribution("Managers' time since hands-on work", &distance, &months),
        distribution(
            "Span of control (direct reports)",
            &spans,
            &[
                (1.0, "0"),
                (4.0, "1-3"),
                (8.0, "4-7"),
                (11.0, "8-10"),
                (f64::INFINITY, "11+"),
            ],
        ),
    ];
    let count = |s: Severity| report.nudges.iter().filter(|n| n.severity == s).count();
    let page = OverviewPage {
        nav: Some(signed.nav()),
        as_of,
        cards,
        no_git,
        calendar_note,
        distributions,
        alerts: count(Severity::Alert),
        warns: count(Severity::Warn),
        infos: count(Severity::Info),
        nudges: nudge_views(&report.nudges, ledger),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
struct PeopleQuery {
    role: Option<String>,
    team: Option<String>,
    rule: Option<String>,
    severity: Option<String>,
    sort: Option<String>,
    as_of: Option<String>,
}

struct PersonRow {
    id: String,
    name: String,
    role: String,
    level: String,
    team: String,
    since: String,
    nudges: usize,
    worst: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    nav: Option<Nav>,
    roles: Vec<(String, bool)>,
    teams: Vec<(String, bool)>,
    rules: Vec<(String, bool)>,
    severities: Vec<(String, bool)>,
    sorts: Vec<(String, bool)>,
    rows: Vec<PersonRow>,
}

fn options(all: impl IntoIterator<Item = String>, chosen: Option<&str>) -> Vec<(String, bool)> {
    all.into_iter()
        .map(|o| {
            let selected = chosen == Some(o.as_str());
            (o, selected)
        })
        .collect()
}

async fn people(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, PageError> {
    let as_of = crate::api::day(q.as_of.as_deref())?;
    let nonempty = |o: &Option<String>| o.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let (role, team, rule, severity) = (
        nonempty(&q.role),
        nonempty(&q.team),
        nonempty(&q.rule),
        nonempty(&q.severity),
    );
    let role_filter = role
        .as_deref()
        .map(str::parse::<Role>)
        .transpose()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let rule_filter = rule
        .as_deref()
        .map(|r| {
            RuleId::parse(r).ok_or_else(|| AppError::BadRequest(format!("{r:?} is not a rule")))
        })
        .transpose()?;
    let severity_filter = severity
        .as_deref()
        .map(|s| {
            Severity::ALL
                .into_iter()
                .find(|x| x.as_str() == s)
                .ok_or_else(|| AppError::BadRequest(format!("{s:?} is not a severity")))
        })
        .transpose()?;
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let nudges = pendulum_core::rules::evaluate(ledger, &snapshot.policy, as_of);
    let mut by_person: HashMap<&PersonId, Vec<&Nudge>> = HashMap::new();
    for n in &nudges {
        by_person.entry(&n.person).or_default().push(n);
    }
    let mut rows = Vec::new();
    for i in 0..ledger.people().len() {
        let p = ledger.person_at(i);
        if signed.account.view_of(ledger, &p.id) == View::Hidden {
            continue;
        }
        let Some(current) = ledger.stints_of(i).iter().rev().find(|s| s.covers(as_of)) else {
            continue;
        };
        let theirs = by_person.get(&p.id).map_or(&[][..], Vec::as_slice);
        let keep = role_filter.is_none_or(|r| current.role == r)
            && team
                .as_deref()
                .is_none_or(|t| current.team.as_ref().is_some_and(|x| x.as_str() == t))
            && rule_filter.is_none_or(|r| theirs.iter().any(|n| n.rule == r))
            && severity_filter.is_none_or(|s| theirs.iter().any(|n| n.severity >= s));
        if !keep {
            continue;
        }
        rows.push(PersonRow {
            id: p.id.to_string(),
            name: p.name.clone(),
            role: current.role.to_string(),
            level: current.level.to_string(),
            team: current
                .team
                .as_ref()
                .map_or("–".into(), ToString::to_string),
            since: current.start.to_string(),
            nudges: theirs.len(),
            worst: theirs
                .iter()
                .map(|n| n.severity)
                .max()
                .map(Severity::as_str),
        });
    }
    let sort = q.sort.as_deref().unwrap_or("name");
    match sort {
        "nudges" => rows.sort_by(|a, b| b.nudges.cmp(&a.nudges).then(a.name.cmp(&b.name))),
        "since" => rows.sort_by(|a, b| a.since.cmp(&b.since)),
        "role" => rows.sort_by(|a, b| a.role.cmp(&b.role).then(a.name.cmp(&b.name))),
        _ => rows.sort_by(|a, b| a.name.cmp(&b.name)),
    }
    let page = PeoplePage {
        nav: Some(signed.nav()),
        roles: options(
            Role::ALL.iter().map(|r| r.as_str().to_owned()),
            role.as_deref(),
        ),
        teams: options(
            ledger.teams().iter().map(|t| t.id.to_string()),
            team.as_deref(),
        ),
        rules: options(
            RuleId::ALL.iter().map(|r| r.as_str().to_owned()),
            rule.as_deref(),
        ),
        severities: options(
            Severity::ALL.iter().map(|s| s.as_str().to_owned()),
            severity.as_deref(),
        ),
        sorts: options(
            ["name", "role", "since", "nudges"].map(String::from),
            Some(sort),
        ),
        rows,
    };
    Ok(render(&page)?.into_response())
}

struct CheckinRow {
    date: String,
    joy: u8,
    energy: u8,
    learning: u8,
    note: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    nav: Option<Nav>,
    id: String,
    name: String,
    role: String,
    level: String,
    team: String,
    willing: &'static str,
    svg: String,
    /// The person's swings in the org's rotation plan, for an admin's eyes only.
    planned: Option<plans::PlannedSwings>,
    /// The monthly git activity chart; `None` when git has no evidence for the person.
    activity: Option<String>,
    /// Some month of the chart was read from a shallow clone.
    activity_partial: bool,
    /// The weekly focus and meeting hours chart; `None` without calendar evidence.
    interruptions: Option<String>,
    nudges: Vec<NudgeView>,
    checkins: Vec<CheckinRow>,
    own: bool,
    may_swing: bool,
    swing_roles: Vec<&'static str>,
    csrf: String,
    today: NaiveDate,
    flash: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct PersonQuery {
    as_of: Option<String>,
    done: Option<String>,
}

async fn person(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<PersonQuery>,
) -> Result<Response, PageError> {
    let as_of = crate::api::day(q.as_of.as_deref())?;
    let flash = match q.done.as_deref() {
        Some("checkin") => Some("Check-in recorded.".to_owned()),
        Some("swing") => Some("Swing recorded.".to_owned()),
        _ => None,
    };
    person_page(&state, &signed, &id, as_of, flash, None, StatusCode::OK).await
}

async fn person_page(
    state: &AppState,
    signed: &Signed,
    id: &str,
    as_of: NaiveDate,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let not_found = || AppError::NotFound(format!("no person with id {id:?}"));
    let pid = PersonId::parse(id).map_err(|_| not_found())?;
    let view = signed.account.view_of(ledger, &pid);
    if view == View::Hidden {
        return Err(not_found().into());
    }
    let i = ledger.person_index(&pid).ok_or_else(not_found)?;
    let p = ledger.person_at(i);
    let current = ledger.stints_of(i).iter().rev().find(|s| s.covers(as_of));
    let nudges = pendulum_core::rules::evaluate_person(ledger, &snapshot.policy, as_of, i);
    let own = view == View::Own;
    let checkins = ledger
        .checkins_of(i)
        .iter()
        .rev()
        .map(|c| CheckinRow {
            date: c.date.to_string(),
            joy: c.joy.get(),
            energy: c.energy.get(),
            learning: c.learning.get(),
            // Only the author's own page ever holds the note.
            note: if own {
                c.note.clone().unwrap_or_default()
            } else {
                String::new()
            },
        })
        .collect();
    let activity = Activity::new(ledger, i, &snapshot.policy, as_of);
    // The plan shows the whole org and values read from check-ins: admins only.
    let planned = match signed.account.may_administer() {
        true => Some(plans::planned_swings(state, &pid).await),
        false => None,
    };
    let page = PersonPage {
        nav: Some(signed.nav()),
        id: p.id.to_string(),
        name: p.name.clone(),
        role: current.map_or("no current role".into(), |s| s.role.to_string()),
        level: p.level.to_string(),
        team: p.team.as_ref().map_or("–".into(), ToString::to_string),
        willing: p.willing_to_manage.as_str(),
        svg: Timeline::new(ledger, i, &snapshot.policy, as_of)
            .with_plan(planned.as_ref().map_or_else(Vec::new, |p| p.stints.clone()))
            .to_svg(),
        planned,
        activity_partial: activity.as_ref().is_some_and(Activity::has_partial),
        activity: activity.as_ref().map(Activity::to_svg),
        interruptions: Interruptions::new(ledger, i, &snapshot.policy, as_of)
            .as_ref()
            .map(Interruptions::to_svg),
        nudges: nudge_views(&nudges, ledger),
        checkins,
        own,
        may_swing: signed.account.may_record_swing_for(ledger, &pid),
        swing_roles: Role::ALL
            .iter()
            .filter(|r| current.is_none_or(|s| s.role != **r))
            .map(|r| r.as_str())
            .collect(),
        csrf: signed.csrf.clone(),
        today: chrono::Local::now().date_naive(),
        flash,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize)]
struct CheckinForm {
    csrf: String,
    date: String,
    joy: String,
    energy: String,
    learning: String,
    note: Option<String>,
}

async fn record_checkin(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CheckinForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let pid = crate::api::person_id(&id)?;
    let snapshot = state.snapshot().await?;
    crate::api::visible(&snapshot, &signed.account, &pid)?;
    if !signed.account.may_check_in_for(&pid) {
        return Err(state
            .deny(
                &signed.account,
                "record check-in",
                Some(&id),
                "a check-in can only be recorded by the person it is about",
            )
            .await
            .into());
    }
    let today = chrono::Local::now().date_naive();
    let parsed = (|| -> Result<CheckIn, String> {
        let score = |raw: &str, field: &str| Score::parse(raw).map_err(|e| format!("{field}: {e}"));
        Ok(CheckIn {
            person: pid.clone(),
            date: NaiveDate::parse_from_str(&form.date, "%Y-%m-%d")
                .map_err(|_| format!("date: {:?} is not a date", form.date))?,
            joy: score(&form.joy, "joy")?,
            energy: score(&form.energy, "energy")?,
            learning: score(&form.learning, "learning")?,
            note: form.note.clone().filter(|n| !n.trim().is_empty()),
        })
    })();
    let checkin = match parsed {
        Ok(c) => c,
        Err(e) => {
            return person_page(
                &state,
                &signed,
                &id,
                today,
                None,
                Some(e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    state
        .write(
            &Change {
                checkins: vec![checkin],
                ..Change::default()
            },
            "check-in",
        )
        .await?;
    state
        .audit(
            Some(&signed.account.email),
            "record check-in",
            Some(&id),
            "ok",
        )
        .await;
    Ok(Redirect::to(&format!("/people/{id}?done=checkin")).into_response())
}

#[derive(Deserialize)]
struct SwingForm {
    csrf: String,
    to: String,
    on: String,
    trial_until: Option<String>,
}

async fn record_swing(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<SwingForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let pid = crate::api::person_id(&id)?;
    let snapshot = state.snapshot().await?;
    crate::api::visible(&snapshot, &signed.account, &pid)?;
    if !signed.account.may_record_swing_for(&snapshot.ledger, &pid) {
        return Err(state
            .deny(
                &signed.account,
                "record swing",
                Some(&id),
                "only an admin or a manager above this person can record their swing",
            )
            .await
            .into());
    }
    let today = chrono::Local::now().date_naive();
    let date = |raw: &str, field: &str| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| format!("{field}: {raw:?} is not a date"))
    };
    let request = (|| -> Result<SwingRequest, String> {
        Ok(SwingRequest {
            person: pid.clone(),
            to: form.to.parse::<Role>().map_err(|e| format!("to: {e}"))?,
            on: date(&form.on, "on")?,
            team: None,
            level: None,
            chosen: true,
            trial_until: form
                .trial_until
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| date(t, "trial until"))
                .transpose()?,
        })
    })();
    let change = request.and_then(|r| snapshot.ledger.swing(&r).map_err(|e| e.to_string()));
    let change = match change {
        Ok(c) => c,
        Err(e) => {
            return person_page(
                &state,
                &signed,
                &id,
                today,
                None,
                Some(e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    state.write(&change, "swing").await?;
    state
        .audit(Some(&signed.account.email), "record swing", Some(&id), "ok")
        .await;
    Ok(Redirect::to(&format!("/people/{id}?done=swing")).into_response())
}

#[derive(Template)]
#[template(path = "reflect.html")]
struct ReflectPage {
    nav: Option<Nav>,
    csrf: String,
    statements: Vec<(&'static str, &'static str)>,
    outcome: Option<OutcomeView>,
    error: Option<String>,
    past: Vec<(String, String)>,
}

struct OutcomeView {
    direction: &'static str,
    reasons: Vec<String>,
}

async fn reflect_view(
    state: &AppState,
    signed: &Signed,
    outcome: Option<OutcomeView>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let past = state
        .store()
        .reflections(&signed.account.email)
        .await?
        .into_iter()
        .map(|(day, answers)| {
            let direction = serde_json::from_str::<serde_json::Value>(&answers)
                .ok()
                .and_then(|v| v["direction"].as_str().map(str::to_owned))
                .unwrap_or_default();
            (day, direction)
        })
        .collect();
    let page = ReflectPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        statements: pendulum_core::reflect::STATEMENTS.to_vec(),
        outcome,
        error,
        past,
    };
    Ok((status, render(&page)?).into_response())
}

async fn reflect_page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    reflect_view(&state, &signed, None, None, StatusCode::OK).await
}

async fn reflect(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    signed.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let Some(me) = signed.account.person.clone() else {
        return reflect_view(
            &state,
            &signed,
            None,
            Some("This account is not tied to a person of the ledger.".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let score = |key: &str| {
        form.get(key)
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|v| (1..=5).contains(v))
    };
    let keys: Vec<&str> = pendulum_core::reflect::STATEMENTS
        .iter()
        .map(|s| s.0)
        .collect();
    let scores: Option<Vec<u8>> = keys.iter().map(|k| score(k)).collect();
    let Some(scores) = scores else {
        return reflect_view(
            &state,
            &signed,
            None,
            Some("Rate every statement from 1 to 5.".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let answers = pendulum_core::reflect::Answers {
        same_problems: scores[0],
        learning: scores[1],
        joy: scores[2],
        people_pull: scores[3],
        build_pull: scores[4],
        status: scores[5],
    };
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let today = chrono::Local::now().date_naive();
    let i = ledger
        .person_index(&me)
        .ok_or_else(|| AppError::NotFound("your person is not in the ledger".into()))?;
    let stints = ledger.stints_of(i);
    let current = stints.iter().rev().find(|s| s.covers(today));
    let side = current.map_or(pendulum_core::Side::HandsOn, |s| s.role.side());
    let months = current.map_or(0.0, |s| {
        pendulum_core::period::months_between(s.start, today)
    });
    let first_management = current.is_some_and(|c| {
        c.role.manages() && !stints.iter().any(|s| s.role.manages() && s.start < c.start)
    });
    let in_grace = first_management && months < f64::from(snapshot.policy.new_manager_grace.months);
    let outcome = pendulum_core::reflect::assess(&answers, side, months, in_grace);
    let mut record = serde_json::Map::new();
    for (k, v) in keys.iter().zip(&scores) {
        record.insert((*k).to_owned(), serde_json::json!(v));
    }
    record.insert(
        "direction".into(),
        serde_json::json!(outcome.direction.as_str()),
    );
    state
        .store()
        .save_reflection(
            &signed.account.email,
            &today.to_string(),
            &serde_json::Value::Object(record).to_string(),
        )
        .await?;
    let view = OutcomeView {
        direction: outcome.direction.as_str(),
        reasons: outcome.reasons,
    };
    reflect_view(&state, &signed, Some(view), None, StatusCode::OK).await
}

struct PulseRow {
    group: &'static str,
    count: String,
    manage: String,
    status: String,
}

#[derive(Template)]
#[template(path = "pulse.html")]
struct PulsePage {
    nav: Option<Nav>,
    csrf: String,
    year: i32,
    min_group: u32,
    can_answer: bool,
    why_not: String,
    flash: Option<String>,
    results: Vec<PulseRow>,
}

/// The group an account answers in: by the role its person holds today.
fn pulse_group(snapshot: &crate::state::Snapshot, account: &Account) -> Option<bool> {
    let today = chrono::Local::now().date_naive();
    let i = snapshot.ledger.person_index(account.person.as_ref()?)?;
    let current = snapshot
        .ledger
        .stints_of(i)
        .iter()
        .rev()
        .find(|s| s.covers(today))?;
    Some(current.role.manages())
}

async fn pulse_view(
    state: &AppState,
    signed: &Signed,
    flash: Option<String>,
) -> Result<Response, PageError> {
    use chrono::Datelike;
    let year = chrono::Local::now().date_naive().year();
    let snapshot = state.snapshot().await?;
    let min_group = snapshot.policy.pulse.min_group_size;
    let answered = state
        .store()
        .answered_pulse(&signed.account.email, year)
        .await?;
    let group = pulse_group(&snapshot, &signed.account);
    let (can_answer, why_not) = match (answered, group) {
        (true, _) => (
            false,
            "You have answered this year's pulse. Thank you.".to_owned(),
        ),
        (false, None) => (
            false,
            "Only people with a current role in the ledger answer the pulse.".to_owned(),
        ),
        (false, Some(_)) => (true, String::new()),
    };
    let answers = state.store().pulse_answers(year).await?;
    let results = [("engineers and tech leads", false), ("managers", true)]
        .into_iter()
        .map(|(label, manager)| {
            let group: Vec<_> = answers.iter().filter(|a| a.manager == manager).collect();
            // Small groups are never shown: with three answers, anyone could guess whose is whose.
            if group.len() < min_group as usize {
                return PulseRow {
                    group: label,
                    count: format!("fewer than {min_group}"),
                    manage: "hidden".into(),
                    status: "hidden".into(),
                };
            }
            let mean = |f: fn(&pendulum_store::PulseAnswer) -> u8| {
                group.iter().map(|a| f64::from(f(a))).sum::<f64>() / group.len() as f64
            };
            PulseRow {
                group: label,
                count: group.len().to_string(),
                manage: format!("{:.1}", mean(|a| a.must_manage_to_grow)),
                status: format!("{:.1}", mean(|a| a.fear_going_back)),
            }
        })
        .collect();
    let page = PulsePage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        year,
        min_group,
        can_answer,
        why_not,
        flash,
        results,
    };
    Ok(render(&page)?.into_response())
}

async fn pulse_page(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    pulse_view(&state, &signed, None).await
}

#[derive(Deserialize)]
struct PulseForm {
    csrf: String,
    must_manage_to_grow: u8,
    fear_going_back: u8,
}

async fn answer_pulse(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PulseForm>,
) -> Result<Response, PageError> {
    use chrono::Datelike;
    signed.check_csrf(&form.csrf)?;
    let in_range = |v: u8| (1..=5).contains(&v);
    if !in_range(form.must_manage_to_grow) || !in_range(form.fear_going_back) {
        return Err(AppError::Unprocessable("answers are from 1 to 5".into()).into());
    }
    let snapshot = state.snapshot().await?;
    let Some(manager) = pulse_group(&snapshot, &signed.account) else {
        return Err(
            AppError::Forbidden("only people with a current role answer the pulse".into()).into(),
        );
    };
    let answer = pendulum_store::PulseAnswer {
        year: chrono::Local::now().date_naive().year(),
        manager,
        must_manage_to_grow: form.must_manage_to_grow,
        fear_going_back: form.fear_going_back,
    };
    let fresh = state
        .store()
        .answer_pulse(&signed.account.email, &answer)
        .await?;
    let flash = if fresh {
        "Thank you: your answer is stored without your name."
    } else {
        "You had already answered this year."
    };
    pulse_view(&state, &signed, Some(flash.to_owned())).await
}

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyPage {
    nav: Option<Nav>,
    csrf: String,
    text: String,
    flash: Option<String>,
    error: Option<String>,
}

async fn policy_page(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    if !signed.account.may_administer() {
        return Err(AppError::Forbidden("the policy is the admin's".into()).into());
    }
    let snapshot = state.snapshot().await?;
    let page = PolicyPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        text: snapshot.policy.to_toml(),
        flash: None,
        error: None,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
struct PolicyForm {
    csrf: String,
    policy: String,
}

async fn save_policy(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PolicyForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    if !signed.account.may_administer() {
        state
            .audit(Some(&signed.account.email), "set policy", None, "denied")
            .await;
        return Err(AppError::Forbidden("the policy is the admin's".into()).into());
    }
    let checked = match pendulum_core::Policy::from_toml(&form.policy) {
        // Every stored level must still be a rung of the new ladder.
        Ok(policy) => match state.store().ledger(&policy.ladder).await {
            Ok(_) => Ok(policy),
            Err(e) => Err(format!("the ledger does not fit this ladder: {e}")),
        },
        Err(e) => Err(e.to_string()),
    };
    let (flash, error, status) = match checked {
        Ok(policy) => {
            state.store().set_policy(&policy).await?;
            state
                .audit(Some(&signed.account.email), "set policy", None, "ok")
                .await;
            (Some("Policy saved.".to_owned()), None, StatusCode::OK)
        }
        Err(e) => (None, Some(e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let page = PolicyPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        text: form.policy,
        flash,
        error,
    };
    Ok((status, render(&page)?).into_response())
}
