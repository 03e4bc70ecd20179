//! The dashboard over real HTTP: sign-in, sessions, CSRF, what each account sees, and the
//! security headers.

use std::net::SocketAddr;

mod common;

use common::{PASSWORD, client, hidden_csrf, set_cookie};

use pendulum_app::Db;
use pendulum_core::{
    Account, AccountRole, CalendarWeek, Change, Email, GitMonth, IsoWeek, Ledger, PersonId, Policy,
    YearMonth,
};
use pendulum_exchange::InputFile;
use pendulum_server::{AppState, auth};
use pendulum_store::{NewAccount, Store};
use reqwest::StatusCode;

struct App {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

async fn spawn_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    let files = [
        ("people.csv", "id,name,email,level,team,manager\nlead,Li Lead,lead@x.io,L6,t1,\ndev,Di <Dev>,dev@x.io,L4,t1,lead\npeer,Pe Peer,peer@x.io,L4,t1,lead\nother,Oz Other,other@x.io,L6,t2,\n"),
        ("stints.csv", "person,role,level,team,start,end\nlead,engineer,L6,t1,2012-01-01,2020-01-01\nlead,manager,L6,t1,2020-01-01,\ndev,engineer,L4,t1,2021-01-01,\npeer,engineer,L4,t1,2021-01-01,\nother,engineer,L6,t2,2015-01-01,2025-01-01\nother,manager,L6,t2,2025-01-01,\n"),
        ("checkins.csv", "person,date,joy,energy,learning,note\ndev,2026-05-01,3,3,4,my private worry\n"),
    ]
    .map(|(name, text)| InputFile { name: name.into(), bytes: text.as_bytes().to_vec() });
    let import =
        pendulum_exchange::parse_import(&files, &Policy::default(), &Ledger::default()).unwrap();
    store
        .apply(&Change::inserting(&import.parts))
        .await
        .unwrap();
    store
        .apply(&Change {
            git: git_evidence(),
            calendar: calendar_evidence(),
            ..Change::default()
        })
        .await
        .unwrap();
    let hash = auth::hash_password(PASSWORD).unwrap();
    for (email, role, person) in [
        ("lead@x.io", AccountRole::Manager, "lead"),
        ("dev@x.io", AccountRole::Member, "dev"),
        ("admin@x.io", AccountRole::Admin, ""),
        ("peer@x.io", AccountRole::Member, "peer"),
        ("other@x.io", AccountRole::Manager, "other"),
    ] {
        let account = Account {
            email: Email::parse(email).unwrap(),
            role,
            person: (!person.is_empty()).then(|| PersonId::parse(person).unwrap()),
        };
        store
            .create_account(&NewAccount {
                account,
                password_hash: hash.clone(),
            })
            .await
            .unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(pendulum_server::serve(
        listener,
        AppState::new(store, None),
        std::future::pending(),
    ));
    App { addr, _dir: dir }
}

/// Months of git evidence (`person month commits coauthored merges [partial]`): the lead
/// was hands-on until late 2019 and tapered off, with one partial month from a shallow
/// clone and a month of merges only; the other manager's last hands-on month is 2023-09,
/// 33 months before the tests' day; dev and peer have none.
const GIT: &[&str] = &[
    "lead 2019-09 22 1 2",
    "lead 2019-10 18 0 3",
    "lead 2019-11 14 2 1",
    "lead 2020-02 6 0 4",
    "lead 2020-05 2 1 5",
    "lead 2025-02 4 2 3 partial",
    "lead 2026-05 0 0 2",
    "other 2023-09 12 0 0",
    "other 2025-06 3 0 1",
];

/// The months of `GIT` with data: each gets one bar.
const LEAD_MONTHS_WITH_DATA: usize = 7;

fn git_evidence() -> Vec<GitMonth> {
    GIT.iter()
        .map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            GitMonth {
                person: PersonId::parse(w[0]).unwrap(),
                month: YearMonth::parse(w[1]).unwrap(),
                commits: w[2].parse().unwrap(),
                coauthored: w[3].parse().unwrap(),
                merges: w[4].parse().unwrap(),
                repositories: 1,
                lines_added: None,
                lines_removed: None,
                partial: w.get(5) == Some(&"partial"),
            }
        })
        .collect()
}

/// Weeks of calendar evidence (`person week focus fragmented meeting after-hours`): dev, an
/// engineer, loses focus time week after week but keeps one good week, so that no nudge
/// comes of it; lead, a manager, lives in meetings. The week in progress on the tests' day
/// (2026-W27) is never shown.
const CALENDAR: &[&str] = &[
    "dev 2026-W22 18 6 16 0",
    "dev 2026-W24 12 8 20 0",
    "dev 2026-W25 6 10 24 1.5",
    "dev 2026-W26 4 8 28 2",
    "dev 2026-W27 1 1 38 0",
    "lead 2026-W25 2 6 32 4",
    "lead 2026-W26 3 5 32 6",
];

fn calendar_evidence() -> Vec<CalendarWeek> {
    CALENDAR
        .iter()
        .map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            CalendarWeek {
                person: PersonId::parse(w[0]).unwrap(),
                week: IsoWeek::parse(w[1]).unwrap(),
                focus_hours: w[2].parse().unwrap(),
                fragmented_hours: w[3].parse().unwrap(),
                meeting_hours: w[4].parse().unwrap(),
                after_hours: w[5].parse().unwrap(),
            }
        })
        .collect()
}

impl App {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Signs in through the form; returns the session cookie value.
    async fn sign_in(&self, email: &str, password: &str) -> (StatusCode, Option<String>) {
        let response = common::sign_in_with(self.addr, email, password, &[]).await;
        (
            response.status(),
            set_cookie(&response, "pendulum_session").map(|(v, _)| v),
        )
    }

    async fn get(&self, session: &str, path: &str) -> (StatusCode, String) {
        common::get_page(self.addr, session, path).await
    }
}

#[tokio::test]
async fn signing_in_sets_a_fresh_http_only_session() {
    let app = spawn_app().await;
    let anonymous = client().get(app.url("/people")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()["location"], "/login");

    let (status, session) = app.sign_in("dev@x.io", "wrong password").await;
    assert_eq!((status, session), (StatusCode::UNAUTHORIZED, None));
    let (status, unknown) = app.sign_in("nobody@x.io", PASSWORD).await;
    assert_eq!((status, unknown), (StatusCode::UNAUTHORIZED, None));

    let page = client().get(app.url("/login")).send().await.unwrap();
    let (login_cookie, _) = set_cookie(&page, "pendulum_login").unwrap();
    let forged = client()
        .post(app.url("/login"))
        .header("cookie", format!("pendulum_login={login_cookie}"))
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("email", "dev@x.io"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "a sign-in form from elsewhere is refused"
    );

    let response = {
        let page = client().get(app.url("/login")).send().await.unwrap();
        let (cookie, _) = set_cookie(&page, "pendulum_login").unwrap();
        let csrf = hidden_csrf(&page.text().await.unwrap());
        client()
            .post(app.url("/login"))
            .header("cookie", format!("pendulum_login={cookie}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "DEV@x.io"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap()
    };
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/people/dev",
        "a member lands on their own page"
    );
    let (session, header) = set_cookie(&response, "pendulum_session").unwrap();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );
    let (again, _) = app.sign_in("dev@x.io", PASSWORD).await;
    assert_eq!(again, StatusCode::SEE_OTHER);
    let (_, second) = app.sign_in("dev@x.io", PASSWORD).await;
    assert_ne!(
        Some(session.clone()),
        second,
        "every sign-in gets a new session id"
    );

    let (status, html) = app.get(&session, "/people/dev").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Di &#60;Dev&#62;") || html.contains("Di &lt;Dev&gt;"),
        "names are escaped"
    );
}

#[tokio::test]
async fn pages_show_what_the_account_may_see_and_notes_only_to_their_author() {
    let app = spawn_app().await;
    let (_, dev) = app.sign_in("dev@x.io", PASSWORD).await;
    let (_, lead) = app.sign_in("lead@x.io", PASSWORD).await;
    let (dev, lead) = (dev.unwrap(), lead.unwrap());

    let (status, own) = app.get(&dev, "/people/dev?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        own.contains("<svg") && own.contains("Pendulum of Di"),
        "the timeline is drawn"
    );
    assert!(own.contains("my private worry"));
    assert!(own.contains("Record a check-in"));

    let (status, managed) = app.get(&lead, "/people/dev?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !managed.contains("my private worry"),
        "a manager never sees the note"
    );
    assert!(managed.contains("Record a swing"));
    assert!(!managed.contains("Record a check-in"));

    let (status, _) = app.get(&dev, "/people/lead").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a member cannot see their manager's page"
    );
    let (status, overview) = app.get(&lead, "/?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        overview.contains("managers within 36 months of hands-on work"),
        "{overview}"
    );
    assert!(
        overview.contains("hands-on-distance"),
        "the lead is 78 months from hands-on work"
    );
    let member_overview = client()
        .get(app.url("/"))
        .header("cookie", format!("pendulum_session={dev}"))
        .send()
        .await
        .unwrap();
    assert_eq!(member_overview.status(), StatusCode::SEE_OTHER);
    let (status, list) = app.get(&lead, "/people?rule=hands-on-distance").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains("Li Lead") && !list.contains("Di &"),
        "filtered by rule"
    );
}

#[tokio::test]
async fn forms_need_their_csrf_token_and_a_swing_changes_the_nudges() {
    let app = spawn_app().await;
    let (_, dev) = app.sign_in("dev@x.io", PASSWORD).await;
    let dev = dev.unwrap();
    let (_, page) = app.get(&dev, "/people/dev").await;
    let csrf = hidden_csrf(&page);
    let form = [
        ("date", "2026-06-20"),
        ("joy", "4"),
        ("energy", "4"),
        ("learning", "5"),
        ("note", "fine"),
    ];
    let without = client()
        .post(app.url("/people/dev/checkins"))
        .header("cookie", format!("pendulum_session={dev}"))
        .form(
            &[("csrf", "nope")]
                .iter()
                .chain(form.iter())
                .collect::<Vec<_>>(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let with = client()
        .post(app.url("/people/dev/checkins"))
        .header("cookie", format!("pendulum_session={dev}"))
        .form(
            &[("csrf", csrf.as_str())]
                .iter()
                .chain(form.iter())
                .collect::<Vec<_>>(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::SEE_OTHER);
    let (_, after) = app.get(&dev, "/people/dev?done=checkin").await;
    assert!(after.contains("Check-in recorded.") && after.contains("2026-06-20"));

    let (_, lead) = app.sign_in("lead@x.io", PASSWORD).await;
    let lead = lead.unwrap();
    let (_, before) = app.get(&lead, "/people/lead?as_of=2026-06-30").await;
    assert!(before.contains("hands-on-distance"));
    let csrf = hidden_csrf(&before);
    // The lead is not above themself, so only an admin could record this: refused.
    let refused = client()
        .post(app.url("/people/lead/swings"))
        .header("cookie", format!("pendulum_session={lead}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("to", "engineer"),
            ("on", "2026-06-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let swung = client()
        .post(app.url("/people/dev/swings"))
        .header("cookie", format!("pendulum_session={lead}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("to", "tech_lead"),
            ("on", "2026-06-01"),
            ("trial_until", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(swung.status(), StatusCode::SEE_OTHER);
    let (_, dev_page) = app.get(&lead, "/people/dev?as_of=2026-06-30").await;
    assert!(
        dev_page.contains("tech lead · level L4"),
        "the page shows the new role at the same level"
    );

    let logout = client()
        .post(app.url("/logout"))
        .header("cookie", format!("pendulum_session={lead}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.get(&lead, "/people").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the old session no longer works"
    );
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_connection_address_whatever_the_headers_say() {
    let app = spawn_app().await;
    let mut last = StatusCode::OK;
    for attempt in 0..12 {
        let forwarded = format!("10.0.0.{attempt}");
        let headers = [("x-forwarded-for", forwarded.as_str())];
        last = common::sign_in_with(app.addr, &format!("u{attempt}@x.io"), "guess", &headers)
            .await
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/login", "/people", "/api/v1/people", "/healthz"] {
        let response = client().get(app.url(path)).send().await.unwrap();
        let h = response.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS without TLS: {path}"
        );
    }
    let css = client()
        .get(app.url("/static/app.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_host_bound() {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("tls.db").display().to_string())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(store, None).with_secure_cookies();
    tokio::spawn(pendulum_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let page = client()
        .get(format!("http://{addr}/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let (_, header) =
        set_cookie(&page, "__Secure-pendulum_login").expect("a prefixed login cookie");
    assert!(
        header.contains("; Secure") && header.contains("HttpOnly"),
        "{header}"
    );
}

#[tokio::test]
async fn idle_and_old_sessions_end() {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let hash = auth::hash_password(PASSWORD).unwrap();
    let email = Email::parse("admin@x.io").unwrap();
    let account = Account {
        email: email.clone(),
        role: AccountRole::Admin,
        person: None,
    };
    store
        .create_account(&NewAccount {
            account,
            password_hash: hash,
        })
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    // An hour without a request (idle), and one signed in a day ago but active (absolute).
    for (id, created, seen) in [
        ("idle", now - 3600, now - 3600),
        ("old", now - 86_400, now - 10),
        ("fresh", now - 60, now - 10),
    ] {
        let session = pendulum_store::NewSession {
            id_hash: auth::token_hash(id),
            account: email.clone(),
            csrf: "c".into(),
            now: created,
        };
        store.create_session(&session).await.unwrap();
        store.touch_session(&session.id_hash, seen).await.unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(pendulum_server::serve(
        listener,
        AppState::new(store, None),
        std::future::pending(),
    ));
    for (id, expected) in [
        ("idle", StatusCode::SEE_OTHER),
        ("old", StatusCode::SEE_OTHER),
        ("fresh", StatusCode::OK),
    ] {
        let response = client()
            .get(format!("http://{addr}/people"))
            .header("cookie", format!("pendulum_session={id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "session {id}");
    }
}

/// Posts a form as a signed-in browser, with the CSRF token of `page`.
async fn post_form(
    app: &App,
    session: &str,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let (_, html) = app.get(session, page).await;
    let csrf = hidden_csrf(&html);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let response = client()
        .post(app.url(action))
        .header("cookie", format!("pendulum_session={session}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// The person page says in plain words whether the person would like to manage, since
/// when, and what they said before; the person (or an admin) records a new answer, their
/// manager cannot.
#[tokio::test]
async fn an_answer_about_managing_is_shown_in_words_and_recorded_by_its_person_or_an_admin() {
    let app = spawn_app().await;
    let dev = app.sign_in("dev@x.io", PASSWORD).await.1.unwrap();
    let (_, page) = app.get(&dev, "/people/dev").await;
    assert!(
        page.contains("Would like to manage: not asked yet"),
        "{page}"
    );
    assert!(page.contains("Would you like to manage?"));
    assert!(!page.to_lowercase().contains("willing to manage"));

    let answer = |answer: &'static str, on: &'static str| [("answer", answer), ("on", on)];
    // Posts an answer about dev from dev's page, as `session`.
    let post = |session: &str, fields: [(&'static str, &'static str); 2]| {
        let (app, session) = (&app, session.to_owned());
        async move { post_form(app, &session, "/people/dev", "/people/dev/willing", &fields).await }
    };
    let (status, _) = post(&dev, answer("no", "2026-03-01")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.get(&dev, "/people/dev?done=answer").await;
    assert!(page.contains("Answer recorded."));
    assert!(
        page.contains("Would like to manage: no (since 2026-03-01)"),
        "{page}"
    );

    let admin = app.sign_in("admin@x.io", PASSWORD).await.1.unwrap();
    let (_, page) = app.get(&admin, "/people/dev").await;
    assert!(
        page.contains("Would Di &#60;Dev&#62; like to manage?"),
        "{page}"
    );
    let (status, _) = post(&admin, answer("unknown", "2026-05-01")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The manager sees the answer and its history, but has no form and is refused.
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    let (_, page) = app.get(&lead, "/people/dev").await;
    assert!(
        page.contains("Would like to manage: not sure yet (since 2026-05-01)"),
        "{page}"
    );
    assert!(page.contains("<li>2026-05-01: not sure yet</li><li>2026-03-01: no</li>"));
    assert!(!page.contains("action=\"/people/dev/willing\""));
    let (status, _) = post(&lead, answer("yes", "2026-06-01")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let forged = client()
        .post(app.url("/people/dev/willing"))
        .header("cookie", format!("pendulum_session={dev}"))
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("answer", "yes"),
            ("on", "2026-06-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "a form from elsewhere"
    );

    for (fields, problem) in [
        (
            answer("maybe", "2026-06-01"),
            "answer: \"maybe\" is not one of yes, no, unknown",
        ),
        (
            answer("yes", "2026-02-30"),
            "answered on: \"2026-02-30\" is not a date",
        ),
    ] {
        let (status, page) = post(&dev, fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(common::alert(&page), problem.replace('"', "&#34;"));
    }

    let store = Db::open(&app._dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    assert_eq!(
        common::audit_of(&store, "record answer about managing").await,
        ["dev@x.io ok", "admin@x.io ok", "lead@x.io denied"]
    );
}

/// A swing from the page may set a pay band, which the page's list of stints shows.
#[tokio::test]
async fn a_swing_on_the_page_sets_a_band_that_the_stints_show() {
    let app = spawn_app().await;
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    for (band, expected, problem) in [
        (
            "x",
            StatusCode::UNPROCESSABLE_ENTITY,
            "band: &#34;x&#34; is not a pay band",
        ),
        ("12", StatusCode::SEE_OTHER, ""),
    ] {
        let (status, page) = post_form(
            &app,
            &lead,
            "/people/dev",
            "/people/dev/swings",
            &[("to", "tech_lead"), ("on", "2026-06-01"), ("band", band)],
        )
        .await;
        assert_eq!(status, expected, "band {band}");
        assert!(common::alert(&page).starts_with(problem), "{page}");
    }
    let (_, page) = app.get(&lead, "/people/dev?as_of=2026-06-30").await;
    assert!(
        page.contains(
            "<td>tech lead</td><td>t1</td><td>L4</td><td>12</td><td>2026-06-01</td><td>now</td>"
        ),
        "{page}"
    );
}

#[tokio::test]
async fn a_reflection_is_private_to_its_author() {
    let app = spawn_app().await;
    let dev = app.sign_in("dev@x.io", PASSWORD).await.1.unwrap();
    let answers = [
        ("same_problems", "5"),
        ("learning", "1"),
        ("joy", "3"),
        ("people_pull", "5"),
        ("build_pull", "2"),
        ("status", "1"),
    ];
    let (status, html) = post_form(&app, &dev, "/reflect", "/reflect", &answers).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Your signals point to: consider swinging"),
        "{html}"
    );
    let (_, again) = app.get(&dev, "/reflect").await;
    assert!(
        again.contains("consider swinging"),
        "the author sees their past reflections"
    );
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    let (_, theirs) = app.get(&lead, "/reflect").await;
    assert!(
        !theirs.contains("Your past reflections"),
        "nobody else sees them"
    );
    let (status, _) = post_form(&app, &dev, "/reflect", "/reflect", &answers[..3]).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "every statement needs a rating"
    );
}

#[tokio::test]
async fn the_pulse_is_anonymous_once_a_year_and_small_groups_stay_hidden() {
    let app = spawn_app().await;
    let dev = app.sign_in("dev@x.io", PASSWORD).await.1.unwrap();
    let answer = [("must_manage_to_grow", "4"), ("fear_going_back", "2")];
    let (status, html) = post_form(&app, &dev, "/pulse", "/pulse", &answer).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("counted without your name"), "{html}");
    assert!(
        html.contains("fewer than 5") && !html.contains("4.0"),
        "one answer is never shown: {html}"
    );
    let (_, again) = app.get(&dev, "/pulse").await;
    assert!(again.contains("You have answered this year"), "{again}");
    let admin = app.sign_in("admin@x.io", PASSWORD).await.1.unwrap();
    let (_, admin_view) = app.get(&admin, "/pulse").await;
    assert!(
        admin_view.contains("hidden") && admin_view.contains("Only people with a current role")
    );
}

#[tokio::test]
async fn only_an_admin_edits_the_policy_and_bad_policies_are_refused() {
    let app = spawn_app().await;
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    let (status, _) = app.get(&lead, "/policy").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.sign_in("admin@x.io", PASSWORD).await.1.unwrap();
    let (status, html) = app.get(&admin, "/policy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("warn_months = 24"));
    let (status, html) = post_form(
        &app,
        &admin,
        "/policy",
        "/policy",
        &[("policy", "[hands_on_distance]\nwarn_month = 3\n")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("warn_month"), "{html}");
    let (status, html) = post_form(
        &app,
        &admin,
        "/policy",
        "/policy",
        &[("policy", "ladder = [\"A\"]\nsenior_level = \"A\"\n")],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "stored levels L4 and L6 are not on that ladder: {html}"
    );
    let (status, html) = post_form(
        &app,
        &admin,
        "/policy",
        "/policy",
        &[(
            "policy",
            "[hands_on_distance]\nwarn_months = 12\nalert_months = 20\n",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (_, overview) = app.get(&admin, "/?as_of=2026-06-30").await;
    assert!(
        overview.contains("within 20 months of hands-on work"),
        "the new policy is in force at once"
    );
}

/// The part of a page from `start` to the end of the SVG that follows it.
fn svg_after<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    let from = html.find(start)?;
    let len = html[from..].find("</svg>")?;
    Some(&html[from..from + len])
}

#[tokio::test]
async fn the_person_page_charts_git_activity_under_the_timeline() {
    let app = spawn_app().await;
    let (_, lead) = app.sign_in("lead@x.io", PASSWORD).await;
    let lead = lead.unwrap();

    let (status, own) = app.get(&lead, "/people/lead?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    let timeline = own.find("Pendulum of Li Lead").expect("the timeline");
    let chart = svg_after(&own, r#"aria-labelledby="activity-t activity-d""#)
        .expect("an activity chart with its accessible title and description");
    assert!(
        own.find(chart).unwrap() > timeline,
        "the chart is under the timeline"
    );
    assert!(chart.contains("<title id=\"activity-t\">Monthly git activity of Li Lead</title>"));
    assert_eq!(
        chart.matches("<g><title>").count(),
        LEAD_MONTHS_WITH_DATA,
        "one bar per month with data"
    );
    assert!(chart.contains(
        "<g><title>2019-11: 14 commits, 2 co-authored, 1 merge (not hands-on); hands-on</title>"
    ));
    assert!(chart.contains("<g><title>2020-02: 6 commits, 4 merges (not hands-on)</title>"));
    assert!(
        chart.contains(">hands-on 10</text>"),
        "the policy's threshold"
    );
    assert!(
        chart.contains("<title>manager, 2020-01 to 2026-06</title>"),
        "the stints"
    );
    assert!(chart.contains(">2025</text>"), "year labels");
    assert!(
        own.contains("may be missing commits"),
        "a partial month is pointed out"
    );

    // A person without git evidence gets one line instead of an empty chart.
    let (status, peer) = app.get(&lead, "/people/peer?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    assert!(peer.contains("No git evidence for Pe Peer."));
    assert!(!peer.contains("activity-t"));

    // The chart comes only with a page the account may see.
    let (_, dev) = app.sign_in("dev@x.io", PASSWORD).await;
    let (status, hidden) = app.get(&dev.unwrap(), "/people/lead").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!hidden.contains("Monthly git activity"));
}

#[tokio::test]
async fn the_overview_shows_managers_hands_on_in_git() {
    let app = spawn_app().await;
    // The org's figures are the admin's; a manager's overview counts their line alone.
    let admin = app.sign_in("admin@x.io", PASSWORD).await.1.unwrap();
    let (status, overview) = app.get(&admin, "/?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    // Of the two managers, only the other one has a hands-on month (2023-09) in 36 months.
    let card = |label: &str| {
        let at = overview
            .find(label)
            .unwrap_or_else(|| panic!("{label}: {overview}"));
        let open = overview[..at].rfind(r#"<div class="value">"#).unwrap() + 19;
        overview[open..open + overview[open..].find('<').unwrap()].to_owned()
    };
    assert_eq!(card("managers hands-on in git in the last 24 months"), "0%");
    assert_eq!(
        card("managers hands-on in git in the last 36 months"),
        "50%"
    );
    assert!(overview.contains("at least 10 commits, authored or co-authored"));
    assert!(!overview.contains("No git evidence yet"));

    // Before the first month of git evidence, the cards give way to one line.
    let (status, before) = app.get(&admin, "/?as_of=2019-08-31").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!before.contains("managers hands-on in git"));
    assert!(before.contains("No git evidence yet"));
}

#[tokio::test]
async fn the_person_page_charts_focus_against_meetings_by_week() {
    let app = spawn_app().await;
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();

    let (status, dev) = app.get(&lead, "/people/dev?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    let activity = dev
        .find("No git evidence for Di &#60;Dev&#62;.")
        .expect("the git line");
    let chart = svg_after(&dev, r#"aria-labelledby="interruptions-t interruptions-d""#)
        .expect("a calendar chart with its accessible title and description");
    assert!(
        dev.find(chart).unwrap() > activity,
        "under the git activity"
    );
    assert!(chart.contains(
        "<title id=\"interruptions-t\">Weekly focus and meeting hours of Di &lt;Dev&gt;</title>"
    ));
    assert!(chart.contains("Calendar evidence for 4 of 5 weeks from 2026-W22 to 2026-W26"));
    assert_eq!(
        chart.matches("<g><title>").count(),
        4,
        "one bar per week with evidence"
    );
    assert!(chart.contains("<g><title>2026-W26: 4.0 h focus, 8.0 h fragmented, 28.0 h in meetings, 2.0 h of meetings after hours; under 10 h of focus</title>"));
    assert!(
        !chart.contains("2026-W27"),
        "the week in progress is left out"
    );
    assert!(chart.contains(">focus 10</text>"), "the policy's minimum");
    assert!(
        chart.contains("<title>engineer, 2026-W22 to 2026-W26</title>"),
        "the stint"
    );
    assert!(chart.contains(">hours a week</text>"), "the value axis");
    assert!(chart.contains(">2026-W22</text>"), "the week axis");

    // Without calendar evidence, one line instead.
    let (_, peer) = app.get(&lead, "/people/peer?as_of=2026-06-30").await;
    assert!(peer.contains("No calendar evidence for Pe Peer."));
    assert!(!peer.contains("interruptions-t"));

    // The chart comes only with a page the account may see.
    let (_, other) = app.sign_in("other@x.io", PASSWORD).await;
    let (status, hidden) = app
        .get(&other.unwrap(), "/people/dev?as_of=2026-06-30")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!hidden.contains("Weekly focus and meeting hours"));
}

#[tokio::test]
async fn the_overview_compares_makers_and_managers_weeks() {
    let app = spawn_app().await;
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    let (status, overview) = app.get(&lead, "/?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    let card = |label: &str| {
        let at = overview
            .find(label)
            .unwrap_or_else(|| panic!("{label}: {overview}"));
        let open = overview[..at].rfind(r#"<div class="value">"#).unwrap() + 19;
        overview[open..open + overview[open..].find('<').unwrap()].to_owned()
    };
    // The last four weeks with evidence are 2026-W22, W24, W25 and W26: dev's four weeks
    // (focus 18, 12, 6, 4; meetings 16, 20, 24, 28) and lead's two.
    assert_eq!(card("makers&#39; focus time a week"), "10.0 h");
    assert_eq!(card("makers&#39; meetings a week"), "22.0 h");
    assert_eq!(card("managers&#39; focus time a week"), "2.5 h");
    assert_eq!(card("managers&#39; meetings a week"), "32.0 h");
    assert!(overview.contains("engineers and tech leads with calendar evidence: 1"));
    assert!(overview.contains("from 2026-W22 to 2026-W26"));

    // Before any calendar week ended, the cards give way to one line.
    let (_, before) = app.get(&lead, "/?as_of=2026-05-30").await;
    assert!(!before.contains("focus time a week"));
    assert!(before.contains("No calendar evidence yet"));
}

/// The person page as a manager sees it, with the per-session token and today's date
/// replaced so that the snapshot is stable.
#[tokio::test]
async fn the_person_page_snapshot() {
    let app = spawn_app().await;
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    let (_, html) = app.get(&lead, "/people/dev?as_of=2026-06-30").await;
    let csrf = hidden_csrf(&html);
    let today = chrono::Local::now().date_naive().to_string();
    insta::assert_snapshot!(html.replace(&csrf, "[csrf]").replace(&today, "[today]"));
}

/// A row of the pages' authorization table: method, route, concrete path, form fields (a
/// CSRF token from the session is added), and the expected status for each role in order:
/// anonymous, member, same-team peer, manager of, other manager, admin.
type PageCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    [u16; 6],
);

const ACCOUNTS: [Option<&str>; 6] = [
    None,
    Some("dev@x.io"),
    Some("peer@x.io"),
    Some("lead@x.io"),
    Some("other@x.io"),
    Some("admin@x.io"),
];

/// Every page route, for every role, on a fresh app. A route missing here fails the test.
#[tokio::test]
async fn every_page_route_for_every_role() {
    const REFLECTION: &[(&str, &str)] = &[
        ("same_problems", "3"),
        ("learning", "3"),
        ("joy", "3"),
        ("people_pull", "3"),
        ("build_pull", "3"),
        ("status", "3"),
    ];
    let table: Vec<PageCase> = vec![
        ("GET", "/", "/", &[], [303, 303, 303, 200, 200, 200]),
        ("GET", "/login", "/login", &[], [200; 6]),
        (
            "POST",
            "/login",
            "/login",
            &[("email", "dev@x.io"), ("password", PASSWORD)],
            [403; 6],
        ),
        ("POST", "/logout", "/logout", &[], [303; 6]),
        (
            "GET",
            "/account",
            "/account",
            &[],
            [303, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/account/password",
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "another long password"),
                ("repeat", "another long password"),
            ],
            [303; 6],
        ),
        (
            "POST",
            "/account/sign-out-everywhere",
            "/account/sign-out-everywhere",
            &[],
            [303; 6],
        ),
        (
            "GET",
            "/people",
            "/people",
            &[],
            [303, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/people/{id}",
            "/people/dev",
            &[],
            [303, 200, 404, 200, 404, 200],
        ),
        (
            "POST",
            "/people/{id}/checkins",
            "/people/dev/checkins",
            &[
                ("date", "2026-06-01"),
                ("joy", "3"),
                ("energy", "3"),
                ("learning", "3"),
            ],
            [303, 303, 404, 403, 404, 403],
        ),
        (
            "POST",
            "/people/{id}/swings",
            "/people/dev/swings",
            &[("to", "tech_lead"), ("on", "2026-06-01"), ("band", "12")],
            [303, 403, 404, 303, 404, 303],
        ),
        (
            "POST",
            "/people/{id}/willing",
            "/people/dev/willing",
            &[("answer", "yes"), ("on", "2026-06-01")],
            [303, 303, 404, 403, 404, 303],
        ),
        (
            "POST",
            "/people/{id}/stints/{start}",
            "/people/dev/stints/2021-01-01",
            &[
                ("start", "2021-01-01"),
                ("end", ""),
                ("role", "engineer"),
                ("team", "t1"),
                ("level", "L4"),
                ("band", "12"),
            ],
            [303, 403, 404, 303, 404, 303],
        ),
        (
            "POST",
            "/people/{id}/stints/{start}/delete",
            "/people/dev/stints/2021-01-01/delete",
            &[],
            [303, 403, 404, 303, 404, 303],
        ),
        (
            "POST",
            "/people/{id}/checkins/{date}/delete",
            "/people/dev/checkins/2026-05-01/delete",
            &[],
            [303, 303, 404, 403, 404, 303],
        ),
        (
            "POST",
            "/people/{id}/leave",
            "/people/dev/leave",
            &[("on", "2026-06-01"), ("reason", ""), ("reports_to", "")],
            [303, 403, 404, 403, 404, 303],
        ),
        (
            "POST",
            "/people/{id}/return",
            "/people/dev/return",
            &[("on", "2026-06-01"), ("role", "engineer")],
            // Dev has not left: an admin is told so on the page.
            [303, 403, 404, 403, 404, 409],
        ),
        (
            "GET",
            "/reflect",
            "/reflect",
            &[],
            [303, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/reflect",
            "/reflect",
            REFLECTION,
            [303, 200, 200, 200, 200, 422],
        ),
        (
            "GET",
            "/pulse",
            "/pulse",
            &[],
            [303, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/pulse",
            "/pulse",
            &[("must_manage_to_grow", "3"), ("fear_going_back", "3")],
            [303, 200, 200, 200, 200, 403],
        ),
        (
            "POST",
            "/pulse/close",
            "/pulse/close",
            &[],
            [303, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/policy",
            "/policy",
            &[],
            [303, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/policy",
            "/policy",
            &[("policy", "[itch]\nstint_months = 30\n")],
            [303, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/plans",
            "/plans",
            &[],
            [303, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/plans/assignments",
            "/plans/assignments",
            &[],
            [303, 403, 403, 200, 200, 200],
        ),
        (
            "POST",
            "/plans/assignments",
            "/plans/assignments",
            &[
                ("skills", "person,skill,level\ndev,rust,4\n"),
                ("backlog", "item,skill,difficulty\nparser,rust,5\n"),
                ("capacity", "1"),
            ],
            [303, 403, 403, 200, 200, 200],
        ),
        ("GET", "/static/app.css", "/static/app.css", &[], [200; 6]),
        ("GET", "/healthz", "/healthz", &[], [200; 6]),
    ];
    for (method, route) in pendulum_server::page_routes() {
        assert!(
            table
                .iter()
                .any(|(m, r, ..)| *m == method.as_str() && *r == route),
            "page route {method} {route} is missing from the authorization table"
        );
    }
    for (method, _, path, fields, statuses) in &table {
        for (account, expected) in ACCOUNTS.iter().zip(statuses) {
            let app = spawn_app().await;
            let session = match account {
                Some(email) => Some(app.sign_in(email, PASSWORD).await.1.expect("signed in")),
                None => None,
            };
            let cookie = session
                .as_ref()
                .map(|s| format!("pendulum_session={s}"))
                .unwrap_or_default();
            let response = if *method == "GET" {
                client()
                    .get(app.url(path))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap()
            } else {
                let csrf = match &session {
                    Some(s) => hidden_csrf(&app.get(s, "/people").await.1),
                    None => "none".to_owned(),
                };
                let mut form = vec![("csrf", csrf.as_str())];
                form.extend_from_slice(fields);
                client()
                    .post(app.url(path))
                    .header("cookie", &cookie)
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            };
            assert_eq!(
                response.status().as_u16(),
                *expected,
                "{method} {path} as {account:?}"
            );
        }
    }
}

#[tokio::test]
async fn an_interrupted_makers_nudge_names_the_manager_who_can_act_on_it() {
    let app = spawn_app().await;
    // Peer, an engineer who reports to the lead, has had no real focus time for a month.
    let store = Db::open(&app._dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    let weeks = ["2026-W23", "2026-W24", "2026-W25", "2026-W26"]
        .map(|week| CalendarWeek {
            person: PersonId::parse("peer").unwrap(),
            week: IsoWeek::parse(week).unwrap(),
            focus_hours: 3.0,
            fragmented_hours: 12.0,
            meeting_hours: 25.0,
            after_hours: 0.0,
        })
        .to_vec();
    store
        .apply(&Change {
            calendar: weeks,
            ..Change::default()
        })
        .await
        .unwrap();
    let lead = app.sign_in("lead@x.io", PASSWORD).await.1.unwrap();
    let (status, nudges) = app.get(&lead, "/people/peer?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    let at = nudges
        .find("interrupted-maker")
        .expect("the interrupted-maker nudge");
    let article = &nudges[at..at + nudges[at..].find("</article>").unwrap()];
    assert!(
        article.contains(r#"<strong>For:</strong> <a href="/people/lead">Li Lead</a>"#),
        "{article}"
    );
}

/// The content security policy allows only the site's own stylesheet (`style-src 'self'`),
/// so a `style` attribute in a template would silently not apply.
#[test]
fn no_template_relies_on_inline_styles() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.contains(" style=\"") || line.contains("<style") {
                offenders.push(format!("{}:{}", path.display(), n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
