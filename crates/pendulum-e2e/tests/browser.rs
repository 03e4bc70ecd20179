//! The dashboard as a person uses it: a real headless Chromium, driven over WebDriver by
//! Debian's chromedriver, against the real server on port 0 with a real database.
//!
//! With `CI=true` a missing browser fails the run; elsewhere the test says it is skipped.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use pendulum_app::Db;
use pendulum_core::{Account, AccountRole, Change, Email, Ledger, PersonId, Policy};
use pendulum_exchange::InputFile;
use pendulum_server::{AppState, auth};
use pendulum_store::{NewAccount, Store};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PASSWORD: &str = "correct horse battery";

/// chromedriver, stopped when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser(profile: &Path) -> Option<(Driver, Client)> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the browser tests: install Debian's chromium and chromium-driver"
        );
        eprintln!("skipping the browser test: {CHROMIUM} or {CHROMEDRIVER} is not installed");
        return None;
    }
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1200,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    // chromedriver takes a moment to listen.
    for _ in 0..50 {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return Some((driver, client)),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not answer on port {port}");
}

/// A small org: `lead` manages `dev`; `lead` has been away from hands-on work for years.
async fn spawn_app(dir: &Path) -> SocketAddr {
    let store = Db::open(&dir.join("app.db").display().to_string())
        .await
        .unwrap();
    let files = [
        ("people.csv", "id,name,email,level,team,manager\nlead,Li Lead,lead@x.io,L6,t1,\ndev,Di Dev,dev@x.io,L4,t1,lead\n"),
        ("stints.csv", "person,role,level,team,start,end\nlead,engineer,L6,t1,2012-01-01,2020-01-01\nlead,manager,L6,t1,2020-01-01,\ndev,engineer,L4,t1,2021-01-01,\n"),
    ]
    .map(|(name, text)| InputFile { name: name.into(), bytes: text.as_bytes().to_vec() });
    let import =
        pendulum_exchange::parse_import(&files, &Policy::default(), &Ledger::default()).unwrap();
    store
        .apply(&Change::inserting(&import.parts))
        .await
        .unwrap();
    let hash = auth::hash_password(PASSWORD).unwrap();
    let accounts = [
        ("dev@x.io", AccountRole::Member, Some("dev")),
        ("admin@x.io", AccountRole::Admin, None),
    ];
    for (email, role, person) in accounts {
        let account = Account {
            email: Email::parse(email).unwrap(),
            role,
            person: person.map(|p| PersonId::parse(p).unwrap()),
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
    addr
}

async fn sign_in(c: &Client, addr: SocketAddr, email: &str) {
    c.goto(&format!("http://{addr}/login")).await.unwrap();
    c.find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/login'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // A click returns before the next page has loaded: wait for the signed-in header.
    c.wait()
        .for_element(Locator::Css("form[action='/logout']"))
        .await
        .unwrap();
}

/// Submits a form and waits for the page that confirms it.
async fn submit(c: &Client, form: &str) {
    c.find(Locator::Css(&format!("form[action='{form}'] button")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("[role=status]"))
        .await
        .unwrap();
}

async fn sign_out(c: &Client) {
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("input[name=password]"))
        .await
        .unwrap();
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_and_an_admin_use_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let addr = spawn_app(dir.path()).await;

    // A member signs in and lands on their own pendulum.
    sign_in(&c, addr, "dev@x.io").await;
    let url = c.current_url().await.unwrap();
    assert!(
        url.path().ends_with("/people/dev"),
        "{url}: {}",
        text(&c).await
    );
    let svg = c
        .find(Locator::Css(".timeline svg[role=img] title"))
        .await
        .unwrap();
    assert_eq!(svg.html(true).await.unwrap(), "Pendulum of Di Dev");

    // They record a check-in with a private note.
    c.find(Locator::Css("input[name=joy]"))
        .await
        .unwrap()
        .send_keys("2")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=energy]"))
        .await
        .unwrap()
        .send_keys("3")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=learning]"))
        .await
        .unwrap()
        .send_keys("5")
        .await
        .unwrap();
    c.find(Locator::Css("textarea[name=note]"))
        .await
        .unwrap()
        .send_keys("only mine")
        .await
        .unwrap();
    submit(&c, "/people/dev/checkins").await;
    let page = text(&c).await;
    assert!(
        page.contains("Check-in recorded.") && page.contains("only mine"),
        "{page}"
    );

    // What the role forbids stays out of sight: their manager's page does not exist for them.
    c.goto(&format!("http://{addr}/people/lead")).await.unwrap();
    assert!(
        text(&c).await.contains("nothing you may see"),
        "a member cannot open their manager's page"
    );
    c.goto(&format!("http://{addr}/people/dev")).await.unwrap();
    sign_out(&c).await;

    // An admin sees the lead's nudge, records the swing back, and the nudge is gone.
    sign_in(&c, addr, "admin@x.io").await;
    c.goto(&format!("http://{addr}/people/lead")).await.unwrap();
    assert!(text(&c).await.contains("hands-on-distance"));
    c.find(Locator::Css(
        "form[action='/people/lead/swings'] select[name=to] option[value=engineer]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    submit(&c, "/people/lead/swings").await;
    let after = text(&c).await;
    assert!(after.contains("Swing recorded."), "{after}");
    assert!(
        !after.contains("hands-on-distance"),
        "the nudge went away with the swing: {after}"
    );

    // The admin sees the member's scores, never the note.
    c.goto(&format!("http://{addr}/people/dev")).await.unwrap();
    let theirs = text(&c).await;
    assert!(
        theirs.contains("Check-ins") && !theirs.contains("only mine"),
        "{theirs}"
    );

    let png = c.screenshot().await.unwrap();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-person.png");
    let _ = std::fs::write(target, png);

    // The admin opens the rotation plan: nobody on the lone team has said they would
    // manage, so the page leads with why no plan was found.
    c.goto(&format!("http://{addr}/plans?from=2027-Q1&quarters=4"))
        .await
        .unwrap();
    let plans = text(&c).await;
    assert!(
        plans.contains("No plan found that keeps every constraint"),
        "{plans}"
    );
    assert!(
        plans.contains("has not said whether they are willing to manage"),
        "{plans}"
    );

    // And plans stretch work from pasted files.
    c.goto(&format!("http://{addr}/plans/assignments"))
        .await
        .unwrap();
    for (field, csv) in [
        ("skills", "person,skill,level,capacity\ndev,rust,3,1\n"),
        (
            "backlog",
            "item,skill,difficulty\nparser,rust,4\nkernel,rust,9\n",
        ),
    ] {
        c.find(Locator::Css(&format!("textarea[name={field}]")))
            .await
            .unwrap()
            .send_keys(csv)
            .await
            .unwrap();
    }
    submit(&c, "/plans/assignments").await;
    let stretch = text(&c).await;
    assert!(
        stretch.contains("1 assignments, total growth 1000") && stretch.contains("kernel"),
        "{stretch}"
    );

    c.close().await.unwrap();
}

/// A ledger corrected by hand: a person deletes a check-in of their own, and an admin
/// corrects when a stint began and finds the correction, with their name, in the history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_deletes_a_check_in_and_an_admin_corrects_a_stint() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let addr = spawn_app(dir.path()).await;

    sign_in(&c, addr, "dev@x.io").await;
    for (field, score) in [("joy", "4"), ("energy", "4"), ("learning", "4")] {
        c.find(Locator::Css(&format!("input[name={field}]")))
            .await
            .unwrap()
            .send_keys(score)
            .await
            .unwrap();
    }
    c.find(Locator::Css("textarea[name=note]"))
        .await
        .unwrap()
        .send_keys("written in haste")
        .await
        .unwrap();
    submit(&c, "/people/dev/checkins").await;
    assert!(text(&c).await.contains("written in haste"));
    // Only their own check-ins have a delete button, and no stint of theirs a form.
    assert!(
        c.find(Locator::Css("form[action^='/people/dev/stints/']"))
            .await
            .is_err(),
        "nobody corrects their own stints"
    );
    c.find(Locator::Css(
        "form[action^='/people/dev/checkins/'][action$='/delete'] button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("[role=status]"))
        .await
        .unwrap();
    let page = text(&c).await;
    assert!(
        page.contains("Check-in deleted.") && page.contains("No check-ins yet."),
        "{page}"
    );
    assert!(!page.contains("written in haste"), "{page}");
    sign_out(&c).await;

    sign_in(&c, addr, "admin@x.io").await;
    c.goto(&format!("http://{addr}/people/dev")).await.unwrap();
    let form = "/people/dev/stints/2021-01-01";
    // The form waits folded under the stint it corrects.
    c.find(Locator::Css("td details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let start = c
        .find(Locator::Css(&format!(
            "form[action='{form}'] input[name=start]"
        )))
        .await
        .unwrap();
    start.clear().await.unwrap();
    start.send_keys("2020-09-01").await.unwrap();
    c.find(Locator::Css(&format!("form[action='{form}'] button")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("[role=status]"))
        .await
        .unwrap();
    let page = text(&c).await;
    assert!(page.contains("Stint corrected."), "{page}");
    let history = c
        .find(Locator::Css("section[aria-labelledby=history]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("admin@x.io")
            && history.contains("stint from 2021-01-01")
            && history.contains("from 2020-09-01"),
        "{history}"
    );
    assert!(
        history.contains("dev@x.io") && history.contains("check-in of"),
        "the deleted check-in is in the history too: {history}"
    );
    c.close().await.unwrap();
}
