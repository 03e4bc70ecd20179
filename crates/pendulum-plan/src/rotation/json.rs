//! Reads the raw instance data the planning anchors' `gen_rotation.py` writes
//! (`PREFIX.json`), so that benchmarks and tests run on exactly the reference's instances.
//!
//! The file is read into a private mirror of its layout first, then converted field by
//! field; every problem names the field (and the person or team) where it is, and syntax
//! errors the line and column.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{History, Person, Policy, Rotation, RotationError, Team};

/// The generator's "+2 for the home team": it is not in the file, only in the docstring.
pub const HOME_AFFINITY: i64 = 2;

/// Why a generated instance cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {field}: {message}")]
    Field {
        file: String,
        field: String,
        message: String,
    },
    #[error("{file}: {source}")]
    Model {
        file: String,
        #[source]
        source: RotationError,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct RawParams {
    min_stint: u32,
    max_stint: u32,
    cool: u32,
    span_lo: u32,
    span_hi: u32,
    lambda: i64,
    churn_max: u32,
    #[serde(default)]
    interim_penalty: i64,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct RawRotation {
    P: usize,
    T: usize,
    Q: usize,
    group: Vec<u32>,
    n: Vec<u32>,
    home: Vec<usize>,
    willing: Vec<bool>,
    incumbent: BTreeMap<String, Vec<usize>>,
    tenure: BTreeMap<String, u32>,
    stopped_ago: BTreeMap<String, u32>,
    joy_mgr: Vec<Vec<i64>>,
    joy_tl: Vec<Vec<i64>>,
    params: RawParams,
}

/// Reads `text`, the contents of `file` (used in messages only).
pub fn read_rotation(file: &str, text: &str) -> Result<Rotation, JsonError> {
    let raw: RawRotation = serde_json::from_str(text).map_err(|e| JsonError::Syntax {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let field = |field: &str, message: String| JsonError::Field {
        file: file.to_owned(),
        field: field.to_owned(),
        message,
    };
    let expect_len = |name: &str, found: usize, want: usize, of: &str| {
        if found == want {
            Ok(())
        } else {
            Err(field(name, format!("has {found} entries; {of} is {want}")))
        }
    };
    expect_len("group", raw.group.len(), raw.T, "T")?;
    expect_len("n", raw.n.len(), raw.T, "T")?;
    expect_len("home", raw.home.len(), raw.P, "P")?;
    expect_len("willing", raw.willing.len(), raw.P, "P")?;
    expect_len("joy_mgr", raw.joy_mgr.len(), raw.P, "P")?;
    expect_len("joy_tl", raw.joy_tl.len(), raw.P, "P")?;

    let person_key = |name: &str, key: &str| -> Result<usize, JsonError> {
        key.parse::<usize>()
            .ok()
            .filter(|&p| p < raw.P)
            .ok_or_else(|| {
                field(
                    &format!("{name}[\"{key}\"]"),
                    format!("is not a person index below P = {}", raw.P),
                )
            })
    };
    let mut history = vec![History::HandsOn; raw.P];
    for (key, teams) in &raw.incumbent {
        let p = person_key("incumbent", key)?;
        let tenure = *raw.tenure.get(key).ok_or_else(|| {
            field(
                &format!("tenure[\"{key}\"]"),
                "is missing for an incumbent".into(),
            )
        })?;
        history[p] = History::Managing {
            teams: teams.clone(),
            tenure,
        };
    }
    for key in raw.tenure.keys() {
        if !raw.incumbent.contains_key(key) {
            return Err(field(
                &format!("tenure[\"{key}\"]"),
                "belongs to no incumbent".into(),
            ));
        }
    }
    for (key, &ago) in &raw.stopped_ago {
        let p = person_key("stopped_ago", key)?;
        if history[p] != History::HandsOn {
            return Err(field(
                &format!("stopped_ago[\"{key}\"]"),
                "is also an incumbent".into(),
            ));
        }
        history[p] = History::Stopped { quarters_ago: ago };
    }

    let teams = raw
        .group
        .iter()
        .zip(&raw.n)
        .map(|(&group, &headcount)| Team { headcount, group })
        .collect();
    let mut people = Vec::with_capacity(raw.P);
    for (p, history) in history.into_iter().enumerate() {
        let home = raw.home[p];
        if home >= raw.T {
            return Err(field(
                &format!("home[{p}]"),
                format!("is team {home}; T is {}", raw.T),
            ));
        }
        expect_len(&format!("joy_mgr[{p}]"), raw.joy_mgr[p].len(), raw.Q, "Q")?;
        expect_len(&format!("joy_tl[{p}]"), raw.joy_tl[p].len(), raw.Q, "Q")?;
        people.push(Person {
            home,
            willing: raw.willing[p],
            manage_from: 0,
            history,
            joy_manager: raw.joy_mgr[p].clone(),
            joy_tech_lead: raw.joy_tl[p].clone(),
            affinity: vec![(home, HOME_AFFINITY)],
        });
    }
    let p = &raw.params;
    let policy = Policy {
        span_min: p.span_lo,
        span_max: p.span_hi,
        min_stint: p.min_stint,
        max_stint: p.max_stint,
        cool_down: p.cool,
        churn_max: p.churn_max,
        change_penalty: p.lambda,
        // The generator's 0 means "no interim slack" (its v1 model).
        interim_penalty: (p.interim_penalty > 0).then_some(p.interim_penalty),
    };
    Rotation::new(teams, people, raw.Q, policy).map_err(|source| JsonError::Model {
        file: file.to_owned(),
        source,
    })
}
