//! The org's policy: the level ladder and every threshold the rules and metrics use.
//!
//! Thresholds are never constants in code. Each has a documented default (see
//! `docs/POLICY.md`), and a TOML file may override any subset of them; a misspelt key is an
//! error rather than a silently ignored setting.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod calendar;

pub use calendar::{CALENDAR_OWN_ZONE, Calendar, Clock, WorkZone, WorkingDays};

/// One rung of the shared ladder. Engineers and managers climb the same ladder, which is
/// what lets pendulum tell a swing (a change of role) from a promotion (a change of level).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level {
    rank: u8,
    name: Arc<str>,
}

impl Level {
    /// Position on the ladder, 0 for the first rung.
    pub fn rank(&self) -> u8 {
        self.rank
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The ordered names of the ladder's rungs, lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Ladder {
    rungs: Vec<Arc<str>>,
}

/// A level name that is not on the ladder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a level of the ladder ({ladder})")]
pub struct LevelError {
    pub name: String,
    pub ladder: String,
}

impl Ladder {
    pub fn new(rungs: Vec<String>) -> Result<Self, PolicyError> {
        if rungs.is_empty() {
            return Err(PolicyError::Invalid(
                "ladder: must name at least one level".into(),
            ));
        }
        if rungs.len() > usize::from(u8::MAX) {
            return Err(PolicyError::Invalid("ladder: at most 255 levels".into()));
        }
        for (i, r) in rungs.iter().enumerate() {
            if r.trim().is_empty() || r.trim() != r || r.contains(',') {
                return Err(PolicyError::Invalid(format!(
                    "ladder: level {r:?} must be non-empty, without surrounding spaces or commas"
                )));
            }
            if let Err(e) = crate::text::without_nul(r) {
                return Err(PolicyError::Invalid(format!("ladder: level {r:?} {e}")));
            }
            if rungs[..i].contains(r) {
                return Err(PolicyError::Invalid(format!(
                    "ladder: level {r:?} appears twice"
                )));
            }
        }
        Ok(Self {
            rungs: rungs.into_iter().map(Arc::from).collect(),
        })
    }

    /// Parses a level name (exact match, surrounding spaces ignored).
    pub fn level(&self, name: &str) -> Result<Level, LevelError> {
        let name = name.trim();
        self.rungs
            .iter()
            .position(|r| &**r == name)
            .map(|i| Level {
                rank: i as u8,
                name: self.rungs[i].clone(),
            })
            .ok_or_else(|| LevelError {
                name: name.to_owned(),
                ladder: self.rungs.join(", "),
            })
    }

    pub fn levels(&self) -> impl Iterator<Item = Level> + '_ {
        self.rungs.iter().enumerate().map(|(i, r)| Level {
            rank: i as u8,
            name: r.clone(),
        })
    }
}

impl TryFrom<Vec<String>> for Ladder {
    type Error = PolicyError;

    fn try_from(rungs: Vec<String>) -> Result<Self, Self::Error> {
        Ladder::new(rungs)
    }
}

impl From<Ladder> for Vec<String> {
    fn from(l: Ladder) -> Self {
        l.rungs.iter().map(|r| r.to_string()).collect()
    }
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder::new((1..=8).map(|i| format!("L{i}")).collect())
            .expect("the default ladder is valid")
    }
}

/// A policy file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}")]
    Syntax(String),
    #[error("{0}")]
    Invalid(String),
}

/// Every threshold of the rules and metrics, parsed: `Policy::default()` is the documented
/// default. It is read from a [`PolicyFile`] (a TOML file, or the policy of a JSON
/// document), whose values are all checked on the way: a `Policy` holds the senior level as a
/// level of its ladder, and the calendar's zone, times and days as parsed values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PolicyFile", into = "PolicyFile")]
pub struct Policy {
    /// The shared ladder, lowest level first.
    pub ladder: Ladder,
    /// The lowest level counted as senior (for `lead-without-management` and swing metrics).
    pub senior_level: Level,
    pub hands_on_distance: HandsOnDistance,
    pub hybrid_drift: HybridDrift,
    pub lead_without_management: LeadWithoutManagement,
    pub swing_as_promotion: SwingAsPromotion,
    pub new_manager_grace: NewManagerGrace,
    pub unhappy_manager: UnhappyManager,
    pub returning_engineer: ReturningEngineer,
    pub swing_again: SwingAgain,
    pub reports_unhappy: ReportsUnhappy,
    pub checkins: Checkins,
    pub itch: Itch,
    pub trial: Trial,
    pub pulse: Pulse,
    pub git: Git,
    pub calendar: Calendar,
    pub stretch: Stretch,
    pub rotation: Rotation,
}

/// A policy as written: the same keys as [`Policy`], the senior level by its name. Keys left
/// out keep their defaults; [`Policy::try_from`] checks the whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyFile {
    pub ladder: Ladder,
    pub senior_level: String,
    pub hands_on_distance: HandsOnDistance,
    pub hybrid_drift: HybridDrift,
    pub lead_without_management: LeadWithoutManagement,
    pub swing_as_promotion: SwingAsPromotion,
    pub new_manager_grace: NewManagerGrace,
    pub unhappy_manager: UnhappyManager,
    pub returning_engineer: ReturningEngineer,
    pub swing_again: SwingAgain,
    pub reports_unhappy: ReportsUnhappy,
    pub checkins: Checkins,
    pub itch: Itch,
    pub trial: Trial,
    pub pulse: Pulse,
    pub git: Git,
    pub calendar: Calendar,
    pub stretch: Stretch,
    pub rotation: Rotation,
}

impl Default for PolicyFile {
    fn default() -> Self {
        Policy::default().into()
    }
}

impl From<Policy> for PolicyFile {
    fn from(p: Policy) -> Self {
        Self {
            ladder: p.ladder,
            senior_level: p.senior_level.name().to_owned(),
            hands_on_distance: p.hands_on_distance,
            hybrid_drift: p.hybrid_drift,
            lead_without_management: p.lead_without_management,
            swing_as_promotion: p.swing_as_promotion,
            new_manager_grace: p.new_manager_grace,
            unhappy_manager: p.unhappy_manager,
            returning_engineer: p.returning_engineer,
            swing_again: p.swing_again,
            reports_unhappy: p.reports_unhappy,
            checkins: p.checkins,
            itch: p.itch,
            trial: p.trial,
            pulse: p.pulse,
            git: p.git,
            calendar: p.calendar,
            stretch: p.stretch,
            rotation: p.rotation,
        }
    }
}

impl TryFrom<PolicyFile> for Policy {
    type Error = PolicyError;

    fn try_from(f: PolicyFile) -> Result<Self, PolicyError> {
        let senior_level = f
            .ladder
            .level(&f.senior_level)
            .map_err(|e| PolicyError::Invalid(format!("senior_level: {e}")))?;
        let policy = Policy {
            ladder: f.ladder,
            senior_level,
            hands_on_distance: f.hands_on_distance,
            hybrid_drift: f.hybrid_drift,
            lead_without_management: f.lead_without_management,
            swing_as_promotion: f.swing_as_promotion,
            new_manager_grace: f.new_manager_grace,
            unhappy_manager: f.unhappy_manager,
            returning_engineer: f.returning_engineer,
            swing_again: f.swing_again,
            reports_unhappy: f.reports_unhappy,
            checkins: f.checkins,
            itch: f.itch,
            trial: f.trial,
            pulse: f.pulse,
            git: f.git,
            calendar: f.calendar,
            stretch: f.stretch,
            rotation: f.rotation,
        };
        policy.check()?;
        Ok(policy)
    }
}

/// `hands-on-distance`: how long a manager may be away from hands-on work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HandsOnDistance {
    pub warn_months: u32,
    pub alert_months: u32,
    /// Past this, going back gets much harder: the nudge asks for a re-entry plan.
    pub reentry_months: u32,
    /// How much of a hybrid stint counts as hands-on (0 = none, 1 = all of it).
    pub hybrid_hands_on_weight: f64,
    /// A manager is frontline when more than this share of their direct reports do hands-on
    /// work; a manager of managers gets at most an info nudge.
    pub frontline_share: f64,
}

/// `hybrid-drift`: the manager who is also the tech lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HybridDrift {
    pub warn_months: u32,
    pub alert_months: u32,
    /// A hybrid only works with a small team; more direct reports than this is flagged.
    pub max_reports: u32,
}

/// `lead-without-management`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeadWithoutManagement {
    /// Years of hands-on work before a first management stint is suggested.
    pub min_engineering_years: u32,
    /// A "no" to managing older than this may be asked about again, once.
    pub ask_again_months: u32,
}

/// `swing-as-promotion`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SwingAsPromotion {
    /// Swings older than this are counted in the metrics but no longer nudged about.
    pub lookback_months: u32,
}

/// `new-manager-grace`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewManagerGrace {
    /// Before this many months into a first management span (consecutive management
    /// stints), support comes before any suggestion to stop.
    pub months: u32,
}

/// `unhappy-manager`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnhappyManager {
    /// Check-ins in the window, all from the management span under way, before managing is
    /// called unhappy.
    pub min_checkins: u32,
}

/// `returning-engineer`: the re-entry after managing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReturningEngineer {
    /// How long after a swing back to hands-on work the re-entry plan is asked for.
    pub months: u32,
}

/// `swing-again`: the bench. The hands-on time asked for is `rotation.cool_down_months`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SwingAgain {
    /// Check-ins recorded while managing, at least ...
    pub min_checkins: u32,
    /// ... whose mean joy reaches this.
    pub min_joy: f64,
}

/// `reports-unhappy`: the people around a manager. Only groups of at least
/// `pulse.min_group_size` reports who checked in within `checkins.window_months` are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsUnhappy {
    /// The reports' mean joy (each person's mean first) at or below this is low.
    pub low_score: f64,
}

/// How check-ins are read by `unhappy-manager`, `new-manager-grace` and `itch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Checkins {
    /// Only check-ins this recent count.
    pub window_months: u32,
    /// Fewer check-ins than this in the window say nothing.
    pub min_count: u32,
    /// A mean score at or below this is low.
    pub low_score: f64,
    /// A fall of the mean by at least this much between the older and newer half of the
    /// window's check-ins is a falling trend ...
    pub falling_drop: f64,
    /// ... when each half holds at least this many check-ins: one score against another is
    /// not a trend.
    pub min_per_half: u32,
}

/// `itch`: restlessness in a long, unchanged stint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Itch {
    pub stint_months: u32,
    /// A mean learning score at or below this, together with a long stint, is the itch.
    pub low_learning: f64,
}

/// Time-boxed trial stints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Trial {
    /// Days after the trial's mid-point before a missing mid-point check-in is pointed out.
    pub midpoint_grace_days: u32,
}

/// How git history is read as evidence (`pendulum ingest git`) and what the rules make of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Git {
    /// Authors whose name or email matches one of these patterns are bots, not people. A
    /// pattern is matched against the whole name or email, ignoring case; `*` stands for
    /// any run of characters.
    pub bot_patterns: Vec<String>,
    /// A month with at least this many commits (authored or co-authored) is a month of
    /// hands-on activity.
    pub hands_on_commits: u32,
    /// `manager-clinging`: this many months into a management stint ...
    pub clinging_after_months: u32,
    /// ... a manager whose mean monthly commits over the last `clinging_window_months`
    /// reach this many is still working at an engineer's level.
    pub clinging_commits: u32,
    pub clinging_window_months: u32,
}

/// The stretch band of `pendulum plan assignments`: work a little above a person's level in
/// its skill grows them; work below it bores, work far above it crushes. The gap is the
/// item's difficulty minus the person's level, on the org's skill scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stretch {
    /// The smallest gap still worth assigning (negative: a little below the level).
    pub lowest_gap: f64,
    /// The largest gap before the work crushes.
    pub highest_gap: f64,
    /// The gap that grows a person most.
    pub target_gap: f64,
    /// How fast growth falls away from the target: at `target_gap ± spread` it is zero.
    pub spread: f64,
}

/// The rotation plan of `pendulum plan rotations`: the limits every plan keeps, and what
/// the plan values. Durations are in months and count in whole quarters, rounded up; values
/// are points per quarter. A first management stint also needs
/// `lead_without_management.min_engineering_years` of hands-on work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rotation {
    /// A management stint lasts at least this long (the stint under way counts) ...
    pub min_stint_months: u32,
    /// ... and at most this long.
    pub max_stint_months: u32,
    /// Hands-on time after a stint before the next one.
    pub cool_down_months: u32,
    /// Reports (hands-on members of the teams managed) a manager has at least ...
    pub span_min: u32,
    /// ... and at most.
    pub span_max: u32,
    /// The share of teams that may change manager in one quarter (at least one may).
    pub max_change_share: f64,
    /// What one team changing manager costs.
    pub change_penalty: u32,
    /// The value of managing, per quarter, to someone who said they are willing.
    pub interest: u32,
    /// The value of managing per point of check-in joy a person had while managing above
    /// their joy while hands-on (and its cost when below).
    pub joy_weight: u32,
    /// The value of managing one's own team ...
    pub home_team: u32,
    /// ... and a team one managed before.
    pub known_team: u32,
    /// The value of being one's team's tech lead, for people at or above the senior level.
    pub tech_lead: u32,
    /// Whether a team may be left to an interim manager from outside the plan; if not, a
    /// team nobody can manage makes the plan impossible, and the plan says why.
    pub allow_interims: bool,
    /// What one team-quarter with an interim manager costs.
    pub interim_penalty: u32,
}

/// The anonymous pendulum pulse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pulse {
    /// Results of smaller groups are never shown.
    pub min_group_size: u32,
    /// The day of the year (`MM-DD`) after which a year's pulse takes no more answers and
    /// its results are shown; an admin may close it earlier. Results of an open pulse are
    /// never shown: read before and after one answer, they would give that answer away.
    pub closes_on: MonthDay,
}

/// The smallest group a pulse result may be shown for: with fewer, people can tell whose
/// answer is whose.
pub const PULSE_MIN_GROUP_FLOOR: u32 = 3;

/// A day of the year without the year, written `MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    /// Parses `MM-DD`, a day that some year has (`02-29` is refused: it would move).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let bad = || format!("{raw:?} is not a day of the year (expected MM-DD, e.g. 12-31)");
        let (m, d) = raw.trim().split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (month, day) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        // 2023 is not a leap year, so 02-29 fails here as it would in most years.
        chrono::NaiveDate::from_ymd_opt(2023, month, day).ok_or_else(bad)?;
        Ok(Self { month, day })
    }

    /// This day in `year`.
    pub fn in_year(self, year: i32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(year, self.month, self.day)
            .unwrap_or(chrono::NaiveDate::MAX)
    }
}

impl TryFrom<String> for MonthDay {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<MonthDay> for String {
    fn from(d: MonthDay) -> Self {
        d.to_string()
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Pulse {
    /// Whether the pulse of `year` has closed by `today` by date alone (an admin may also
    /// have closed it).
    pub fn closed_by_date(&self, year: i32, today: chrono::NaiveDate) -> bool {
        today > self.closes_on.in_year(year)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            senior_level: Ladder::default()
                .level("L5")
                .expect("L5 is a rung of the default ladder"),
            ladder: Ladder::default(),
            hands_on_distance: HandsOnDistance::default(),
            hybrid_drift: HybridDrift::default(),
            lead_without_management: LeadWithoutManagement::default(),
            swing_as_promotion: SwingAsPromotion::default(),
            new_manager_grace: NewManagerGrace::default(),
            unhappy_manager: UnhappyManager::default(),
            returning_engineer: ReturningEngineer::default(),
            swing_again: SwingAgain::default(),
            reports_unhappy: ReportsUnhappy::default(),
            checkins: Checkins::default(),
            itch: Itch::default(),
            trial: Trial::default(),
            pulse: Pulse::default(),
            git: Git::default(),
            calendar: Calendar::default(),
            stretch: Stretch::default(),
            rotation: Rotation::default(),
        }
    }
}

impl Default for HandsOnDistance {
    fn default() -> Self {
        Self {
            warn_months: 24,
            alert_months: 36,
            reentry_months: 60,
            hybrid_hands_on_weight: 0.5,
            frontline_share: 0.5,
        }
    }
}

impl Default for HybridDrift {
    fn default() -> Self {
        Self {
            warn_months: 6,
            alert_months: 12,
            max_reports: 4,
        }
    }
}

impl Default for LeadWithoutManagement {
    fn default() -> Self {
        Self {
            min_engineering_years: 5,
            ask_again_months: 24,
        }
    }
}

impl Default for SwingAsPromotion {
    fn default() -> Self {
        Self {
            lookback_months: 24,
        }
    }
}

impl Default for NewManagerGrace {
    fn default() -> Self {
        Self { months: 18 }
    }
}

impl Default for UnhappyManager {
    fn default() -> Self {
        Self { min_checkins: 3 }
    }
}

impl Default for ReturningEngineer {
    fn default() -> Self {
        Self { months: 6 }
    }
}

impl Default for SwingAgain {
    fn default() -> Self {
        Self {
            min_checkins: 3,
            min_joy: 3.5,
        }
    }
}

impl Default for ReportsUnhappy {
    fn default() -> Self {
        Self { low_score: 2.5 }
    }
}

impl Default for Checkins {
    fn default() -> Self {
        Self {
            window_months: 6,
            min_count: 2,
            low_score: 2.5,
            falling_drop: 1.0,
            min_per_half: 2,
        }
    }
}

impl Default for Itch {
    fn default() -> Self {
        Self {
            stint_months: 36,
            low_learning: 2.5,
        }
    }
}

impl Default for Trial {
    fn default() -> Self {
        Self {
            midpoint_grace_days: 14,
        }
    }
}

impl Default for Git {
    fn default() -> Self {
        Self {
            bot_patterns: vec!["*[bot]*".into(), "*-bot".into(), "*-bot@*".into()],
            hands_on_commits: 10,
            clinging_after_months: 6,
            clinging_commits: 20,
            clinging_window_months: 3,
        }
    }
}

impl Default for Stretch {
    fn default() -> Self {
        Self {
            lowest_gap: -1.0,
            highest_gap: 3.0,
            target_gap: 1.0,
            spread: 2.0,
        }
    }
}

impl Default for Rotation {
    fn default() -> Self {
        Self {
            min_stint_months: 18,
            max_stint_months: 36,
            cool_down_months: 12,
            span_min: 4,
            span_max: 10,
            max_change_share: 0.25,
            change_penalty: 3,
            interest: 2,
            joy_weight: 2,
            home_team: 2,
            known_team: 1,
            tech_lead: 1,
            allow_interims: false,
            interim_penalty: 50,
        }
    }
}

impl Rotation {
    /// Whole quarters covering `months`.
    pub fn quarters(months: u32) -> u32 {
        months.div_ceil(3)
    }

    fn check(&self) -> Result<(), String> {
        if self.min_stint_months == 0 {
            return Err("rotation.min_stint_months: must be at least 1".into());
        }
        if self.max_stint_months < self.min_stint_months {
            return Err("rotation: need min_stint_months <= max_stint_months".into());
        }
        if self.max_stint_months > 120 || self.cool_down_months > 120 {
            return Err(
                "rotation: max_stint_months and cool_down_months must be at most 120".into(),
            );
        }
        if self.span_min > self.span_max {
            return Err("rotation: need span_min <= span_max".into());
        }
        if self.span_max == 0 {
            return Err("rotation.span_max: must be at least 1".into());
        }
        if !(self.max_change_share > 0.0 && self.max_change_share <= 1.0) {
            return Err("rotation.max_change_share: must be above 0 and at most 1".into());
        }
        let values = [
            ("change_penalty", self.change_penalty),
            ("interest", self.interest),
            ("joy_weight", self.joy_weight),
            ("home_team", self.home_team),
            ("known_team", self.known_team),
            ("tech_lead", self.tech_lead),
            ("interim_penalty", self.interim_penalty),
        ];
        if let Some((field, _)) = values.iter().find(|(_, v)| *v > 1_000_000) {
            return Err(format!("rotation.{field}: must be at most 1000000"));
        }
        Ok(())
    }
}

impl Default for Pulse {
    fn default() -> Self {
        Self {
            min_group_size: 5,
            closes_on: MonthDay { month: 12, day: 31 },
        }
    }
}

impl Policy {
    /// Parses and checks a policy file. Keys left out keep their defaults.
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        let file: PolicyFile =
            toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        Policy::try_from(file)
    }

    /// The effective policy as a complete TOML document.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a policy always serializes")
    }

    /// The lowest level counted as senior.
    pub fn senior_level(&self) -> Level {
        self.senior_level.clone()
    }

    /// Checks what the types cannot: cross-field order and ranges, and that the senior level
    /// is a rung of this ladder (a policy built in code may pair them otherwise).
    pub fn check(&self) -> Result<(), PolicyError> {
        let bad = |m: String| Err(PolicyError::Invalid(m));
        if self.ladder.level(self.senior_level.name()).as_ref() != Ok(&self.senior_level) {
            return bad(format!(
                "senior_level: {:?} is not a level of the ladder",
                self.senior_level.name()
            ));
        }
        let h = &self.hands_on_distance;
        if !(h.warn_months <= h.alert_months && h.alert_months <= h.reentry_months) {
            return bad(
                "hands_on_distance: need warn_months <= alert_months <= reentry_months".into(),
            );
        }
        if !(0.0..=1.0).contains(&h.hybrid_hands_on_weight) {
            return bad("hands_on_distance.hybrid_hands_on_weight: must be from 0 to 1".into());
        }
        if !(0.0..1.0).contains(&h.frontline_share) {
            return bad("hands_on_distance.frontline_share: must be from 0 to below 1".into());
        }
        if self.hybrid_drift.warn_months > self.hybrid_drift.alert_months {
            return bad("hybrid_drift: need warn_months <= alert_months".into());
        }
        let c = &self.checkins;
        if !(1.0..=5.0).contains(&c.low_score) || !(1.0..=5.0).contains(&self.itch.low_learning) {
            return bad("checkins.low_score and itch.low_learning: must be from 1 to 5".into());
        }
        if !(c.falling_drop > 0.0 && c.falling_drop <= 4.0) {
            return bad("checkins.falling_drop: must be above 0 and at most 4".into());
        }
        if c.window_months == 0 || c.min_count == 0 || c.min_per_half == 0 {
            return bad(
                "checkins: window_months, min_count and min_per_half must be at least 1".into(),
            );
        }
        if self.unhappy_manager.min_checkins == 0 || self.swing_again.min_checkins == 0 {
            return bad(
                "unhappy_manager.min_checkins and swing_again.min_checkins: must be at least 1"
                    .into(),
            );
        }
        if !(1.0..=5.0).contains(&self.swing_again.min_joy)
            || !(1.0..=5.0).contains(&self.reports_unhappy.low_score)
        {
            return bad(
                "swing_again.min_joy and reports_unhappy.low_score: must be from 1 to 5".into(),
            );
        }
        if self.returning_engineer.months == 0 {
            return bad("returning_engineer.months: must be at least 1".into());
        }
        let g = &self.git;
        if g.hands_on_commits == 0 || g.clinging_commits == 0 || g.clinging_window_months == 0 {
            return bad(
                "git: hands_on_commits, clinging_commits and clinging_window_months must be at least 1"
                    .into(),
            );
        }
        if g.bot_patterns.iter().any(|p| p.trim().is_empty()) {
            return bad("git.bot_patterns: a pattern must not be empty".into());
        }
        self.calendar.check().map_err(PolicyError::Invalid)?;
        let st = &self.stretch;
        if ![st.lowest_gap, st.highest_gap, st.target_gap, st.spread]
            .iter()
            .all(|v| v.is_finite())
        {
            return bad("stretch: every gap and the spread must be finite numbers".into());
        }
        if !(st.lowest_gap <= st.target_gap && st.target_gap <= st.highest_gap) {
            return bad("stretch: need lowest_gap <= target_gap <= highest_gap".into());
        }
        if st.spread <= 0.0 {
            return bad("stretch.spread: must be above 0".into());
        }
        self.rotation.check().map_err(PolicyError::Invalid)?;
        if self.pulse.min_group_size < PULSE_MIN_GROUP_FLOOR {
            return bad(format!(
                "pulse.min_group_size: must be at least {PULSE_MIN_GROUP_FLOOR} to keep answers anonymous"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
