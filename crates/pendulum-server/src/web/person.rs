//! A person's page (the pendulum timeline, their stints, evidence charts, nudges, check-ins,
//! their answers about managing, and for admins the history of corrections) and its forms:
//! a check-in (one's own), an answer about managing (one's own, or an admin's record of
//! it), a swing (an admin or a manager above the person). The forms that correct a career
//! (stints, check-ins, leaving and coming back) are shown here and handled in `career.rs`.

use super::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_app::acting::{Action, Who};
use pendulum_app::career as app;
use pendulum_app::reading::people::{self as reading, NoteSeen, Wording};
use pendulum_core::activity::Activity;
use pendulum_core::interruptions::Interruptions;
use pendulum_core::{Band, Note, PersonId, Role, Score, Stint, View, Willingness};
use pendulum_store::Store;
use serde::Deserialize;

use super::{Nav, NudgeView, PageError, Signed, nudge_views, plans, render};
use crate::api::write_target;
use crate::state::Snapshot;
use crate::{AppError, AppState};

pub(super) struct CheckinRow {
    /// The day as YYYY-MM-DD: also the key of the check-in's delete form.
    date: String,
    joy: u8,
    energy: u8,
    learning: u8,
    note: String,
}

/// A stint as the page lists it.
pub(super) struct StintRow {
    role: String,
    team: String,
    level: String,
    band: String,
    from: String,
    until: String,
    /// The org it was lived in, for a stint brought from another org.
    org: Option<String>,
    /// The values of its correction form, for an account that may correct it.
    edit: Option<StintEditRow>,
}

/// A stint's values as its correction form fills them in, raw as the form sends them.
pub(super) struct StintEditRow {
    start: String,
    end: String,
    role: &'static str,
    team: String,
    level: String,
    band: String,
}

impl StintRow {
    fn new(s: &Stint, as_of: NaiveDate, correctable: bool) -> Self {
        Self {
            role: s.role.to_string(),
            team: s.team.as_ref().map_or("–".into(), ToString::to_string),
            level: s.level.to_string(),
            band: s.band.map_or("–".into(), |b| b.to_string()),
            from: s.start.to_string(),
            until: s
                .end
                .filter(|&e| e <= as_of)
                .map_or("now".into(), |e| e.to_string()),
            org: s.org.clone(),
            edit: correctable.then(|| StintEditRow {
                start: s.start.to_string(),
                end: s.end.map(|e| e.to_string()).unwrap_or_default(),
                role: s.role.as_str(),
                team: s.team.as_ref().map(ToString::to_string).unwrap_or_default(),
                level: s.level.name().to_owned(),
                band: s.band.map(|b| b.to_string()).unwrap_or_default(),
            }),
        }
    }
}

/// One correction in the history: when, who, what it was and what it is.
pub(super) struct HistoryRow {
    at: String,
    actor: String,
    what: String,
    before: String,
    after: String,
}

/// An answer about managing, in plain words, with its day.
pub(super) struct AnswerRow {
    date: String,
    words: &'static str,
}

#[derive(Template)]
#[template(path = "person.html")]
pub(super) struct PersonPage {
    nav: Option<Nav>,
    id: String,
    name: String,
    role: String,
    level: String,
    team: String,
    /// The current answer about managing in plain words, with its day when known.
    willing: String,
    /// Every answer recorded, newest first.
    answers: Vec<AnswerRow>,
    /// The person themselves or an admin: they may record an answer.
    may_answer: bool,
    stints: Vec<StintRow>,
    /// Some stint has a correction form or a foreign org: the table has a column for it.
    stints_correctable: bool,
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
    /// The person themselves or an admin: each check-in has a delete button.
    may_delete_checkins: bool,
    own: bool,
    may_swing: bool,
    swing_roles: Vec<&'static str>,
    /// Every role, for the stint and return forms.
    roles: Vec<&'static str>,
    /// The ladder's levels, for the stint and return forms.
    levels: Vec<String>,
    /// When the person left, in words, for someone who did.
    left: Option<String>,
    /// An admin: the leave form (or, for someone who left, the return form).
    may_edit_person: bool,
    /// The corrections of the person's record, oldest first; for an admin's eyes only.
    history: Option<Vec<HistoryRow>>,
    csrf: String,
    today: NaiveDate,
    flash: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PersonQuery {
    as_of: Option<String>,
    done: Option<String>,
}

pub(super) async fn person(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<PersonQuery>,
) -> Result<Response, PageError> {
    let as_of = crate::api::day(q.as_of.as_deref())?;
    let flash = match q.done.as_deref() {
        Some("checkin") => Some("Check-in recorded.".to_owned()),
        Some("swing") => Some("Swing recorded.".to_owned()),
        Some("answer") => Some("Answer recorded.".to_owned()),
        Some("stint") => Some("Stint corrected.".to_owned()),
        Some("stint-deleted") => Some("Stint deleted.".to_owned()),
        Some("checkin-deleted") => Some("Check-in deleted.".to_owned()),
        Some("leave") => Some("Departure recorded.".to_owned()),
        Some("return") => Some("Return recorded.".to_owned()),
        _ => None,
    };
    person_page(&state, &signed, &id, as_of, flash, None, StatusCode::OK).await
}

pub(super) async fn person_page(
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
    // On their own page the nudges speak to the person; to anyone else, about them.
    let who = Who::Account(signed.account.clone());
    let seen = reading::person(
        &who,
        ledger,
        &snapshot.policy,
        as_of,
        &pid,
        Wording::ForTheReader,
    )?;
    let (i, p, current) = (seen.index, seen.person, seen.current);
    let own = seen.view == View::Own;
    let checkins = seen
        .checkins
        .iter()
        .rev()
        .map(|c| CheckinRow {
            date: c.date.to_string(),
            joy: c.joy.get(),
            energy: c.energy.get(),
            learning: c.learning.get(),
            // Only the author's own page ever holds the note.
            note: match c.note {
                NoteSeen::Own(Some(note)) => note.as_str().to_owned(),
                NoteSeen::Own(None) | NoteSeen::Withheld => String::new(),
            },
        })
        .collect();
    let activity = Activity::new(ledger, i, &snapshot.policy, as_of);
    // The plan shows the whole org and values read from check-ins: admins only. Someone
    // who left is not in it, so their page has no plan to show.
    let planned = match signed.account.may_administer() && !p.has_left() {
        true => Some(plans::planned_swings(state, &signed.account, &pid).await),
        false => None,
    };
    let account = &signed.account;
    let history = match account.may_read_history_of(ledger, &pid) {
        true => Some(
            state
                .store()
                .history(&pid)
                .await?
                .into_iter()
                .map(|e| HistoryRow {
                    at: e.at,
                    actor: e.actor.to_string(),
                    what: match e.field.as_str() {
                        "*" => e.record,
                        field => format!("{}: {field}", e.record),
                    },
                    before: e.before.unwrap_or_else(|| "–".into()),
                    after: e.after.unwrap_or_else(|| "–".into()),
                })
                .collect(),
        ),
        false => None,
    };
    let stints: Vec<StintRow> = seen
        .stints_begun()
        .map(|s| StintRow::new(s, as_of, account.may_correct_stint(ledger, s).is_ok()))
        .collect();
    let page = PersonPage {
        nav: Some(signed.nav()),
        id: p.id.to_string(),
        name: p.name.clone(),
        role: current.map_or("no current role".into(), |s| s.role.to_string()),
        level: p.level.to_string(),
        team: p.team.as_ref().map_or("–".into(), ToString::to_string),
        willing: match p.willing_since {
            Some(day) => format!("{} (since {day})", p.willing_to_manage.in_words(Some(day))),
            None => p.willing_to_manage.in_words(None).to_owned(),
        },
        answers: seen
            .answers
            .iter()
            .rev()
            .map(|a| AnswerRow {
                date: a.date.to_string(),
                words: a.answer.in_words(Some(a.date)),
            })
            .collect(),
        may_answer: signed.account.may_record_answer_for(ledger, &pid) && !p.has_left(),
        stints_correctable: stints.iter().any(|s| s.edit.is_some())
            || (account.may_correct_stints_of(ledger, &pid).is_ok()
                && stints.iter().any(|s| s.org.is_some())),
        stints,
        svg: reading::timeline(&who, ledger, &snapshot.policy, as_of, &pid)?
            .with_plan(planned.as_ref().map_or_else(Vec::new, |p| p.stints.clone()))
            .to_svg(),
        planned,
        activity_partial: activity.as_ref().is_some_and(Activity::has_partial),
        activity: activity.as_ref().map(Activity::to_svg),
        interruptions: Interruptions::new(ledger, i, &snapshot.policy, as_of)
            .as_ref()
            .map(Interruptions::to_svg),
        nudges: nudge_views(&seen.nudges, ledger),
        checkins,
        may_delete_checkins: account.may_delete_checkin_of(ledger, &pid),
        own,
        may_swing: signed.account.may_record_swing_for(ledger, &pid) && !p.has_left(),
        swing_roles: Role::ALL
            .iter()
            .filter(|r| current.is_none_or(|s| s.role != **r))
            .map(|r| r.as_str())
            .collect(),
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        levels: snapshot
            .policy
            .ladder
            .levels()
            .map(|l| l.name().to_owned())
            .collect(),
        left: p.departure.as_ref().map(|d| match &d.reason {
            Some(reason) => format!("Left on {} ({reason})", d.on),
            None => format!("Left on {}", d.on),
        }),
        may_edit_person: account.may_edit_person(ledger, &pid),
        history,
        csrf: signed.csrf.clone(),
        today: chrono::Local::now().date_naive(),
        flash,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

/// The person page as of today again, with the problem of a form it could not take and a
/// 422, so that the user sees what to fix where they wrote it.
pub(super) async fn refused_form(
    state: &AppState,
    signed: &Signed,
    id: &str,
    problem: String,
) -> Result<Response, PageError> {
    refused_with(state, signed, id, problem, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The person page as of today again, with a problem and the status that goes with it.
pub(super) async fn refused_with(
    state: &AppState,
    signed: &Signed,
    id: &str,
    problem: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let today = chrono::Local::now().date_naive();
    person_page(state, signed, id, today, None, Some(problem), status).await
}

#[derive(Deserialize)]
pub(super) struct CheckinForm {
    csrf: String,
    date: String,
    joy: String,
    energy: String,
    learning: String,
    note: Option<String>,
}

/// A check-in as the form sends it: every field text; the first that cannot be taken is
/// the problem shown.
impl TryFrom<CheckinForm> for app::NewCheckIn {
    type Error = String;

    fn try_from(form: CheckinForm) -> Result<Self, String> {
        let score = |raw: &str, field: &str| Score::parse(raw).map_err(|e| format!("{field}: {e}"));
        Ok(app::NewCheckIn {
            date: NaiveDate::parse_from_str(&form.date, "%Y-%m-%d")
                .map_err(|_| format!("date: {:?} is not a date", form.date))?,
            joy: score(&form.joy, "joy")?,
            energy: score(&form.energy, "energy")?,
            learning: score(&form.learning, "learning")?,
            note: Note::parse_optional(form.note).map_err(|e| format!("note: {e}"))?,
        })
    }
}

pub(super) async fn record_checkin(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CheckinForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let pid = write_target(&state, &snapshot, &signed.account, &id, Action::CheckIn).await?;
    let entry = match app::NewCheckIn::try_from(form) {
        Ok(entry) => entry,
        Err(problem) => return refused_form(&state, &signed, &id, problem).await,
    };
    let who = Who::Account(signed.account.clone());
    state
        .write(async |store: &Db, s: &Snapshot| {
            app::check_in(store, &s.ledger, &who, &pid, entry).await
        })
        .await?;
    Ok(Redirect::to(&format!("/people/{id}?done=checkin")).into_response())
}

#[derive(Deserialize)]
pub(super) struct AnswerForm {
    csrf: String,
    answer: String,
    on: String,
}

/// Records an answer about managing: the person's own, or an admin's record of what they
/// said. A manager is refused even for someone in their line.
pub(super) async fn record_answer(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let pid = write_target(&state, &snapshot, &signed.account, &id, Action::Answer).await?;
    let parsed = (|| -> Result<(Willingness, NaiveDate), String> {
        let answer = form
            .answer
            .parse::<Willingness>()
            .map_err(|e| format!("answer: {e}"))?;
        let on = NaiveDate::parse_from_str(&form.on, "%Y-%m-%d")
            .map_err(|_| format!("answered on: {:?} is not a date", form.on))?;
        Ok((answer, on))
    })();
    let (answer, on) = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => return refused_form(&state, &signed, &id, problem).await,
    };
    let who = Who::Account(signed.account.clone());
    state
        .write(async |store: &Db, s: &Snapshot| {
            app::record_answer(store, &s.ledger, &who, &pid, answer, on).await
        })
        .await?;
    Ok(Redirect::to(&format!("/people/{id}?done=answer")).into_response())
}

#[derive(Deserialize)]
pub(super) struct SwingForm {
    csrf: String,
    to: String,
    on: String,
    band: Option<String>,
    trial_until: Option<String>,
}

/// A swing as the form sends it: the role, the day, and optionally a band and the end of a
/// trial; team and level stay. The first field that cannot be taken is the problem shown.
impl TryFrom<SwingForm> for app::Swing {
    type Error = String;

    fn try_from(form: SwingForm) -> Result<Self, String> {
        let date = |raw: &str, field: &str| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| format!("{field}: {raw:?} is not a date"))
        };
        Ok(app::Swing {
            band: form
                .band
                .as_deref()
                .filter(|b| !b.trim().is_empty())
                .map(Band::parse)
                .transpose()
                .map_err(|e| format!("band: {e}"))?,
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
    }
}

pub(super) async fn record_swing(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<SwingForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let pid = write_target(&state, &snapshot, &signed.account, &id, Action::Swing).await?;
    let swing = match app::Swing::try_from(form) {
        Ok(swing) => swing,
        Err(problem) => return refused_form(&state, &signed, &id, problem).await,
    };
    let who = Who::Account(signed.account.clone());
    let swung = state
        .write(async |store: &Db, s: &Snapshot| {
            app::swing(store, &s.ledger, &who, &pid, &swing).await
        })
        .await;
    match swung {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}?done=swing")).into_response()),
        // What the ledger refuses is shown where the user wrote it.
        Err(AppError::Unprocessable(problem)) => refused_form(&state, &signed, &id, problem).await,
        Err(e) => Err(e.into()),
    }
}
