//! Finding the run each dispatch started and following it to its conclusion.
//!
//! A `repository_dispatch` answers `204` with no body, so the run is found by a
//! correlation id: the action adds it to `client_payload`, the receiving
//! workflow puts it in its `run-name`, and the run whose `display_title` holds
//! it is ours. Two dispatches at once (matrix jobs) carry different ids, so
//! each finds its own run.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::time::Instant;

use crate::action::report::Reporter;
use crate::action::spec;
use crate::advice::{self, Failure};
use crate::auth::clients::Clients;
use crate::github::repo::Repository;
use crate::github::{Answer, MAX_JSON_BODY, Problem, REQUEST_TIMEOUT, Request, Retry};
use crate::send::inputs::{Inputs, WaitConfig};
use crate::send::receiver::{self, Checker, Finding, Purpose};
use crate::util::time::{Clock, fmt_duration, now_epoch, utc};

/// Runs created this long before the dispatch still count: the runner's clock
/// and GitHub's may disagree.
const CLOCK_SKEW: u64 = 120;
/// Reads never go out closer together than this, across all watched runs.
const MIN_READ_GAP: Duration = Duration::from_millis(250);
/// Consecutive failed reads of one run before giving up on it.
const MAX_READ_FAILURES: u32 = 5;
/// Pages of runs read per look (100 runs a page), newest first.
const MAX_PAGES: u32 = 5;
/// A gap between reads this long means the rate limit holds them.
const HELD_GAP: Duration = Duration::from_secs(10);
/// The longest wait between two looks at a run being followed: its end is
/// noticed within this (unless the read rate limit asks for more).
const MAX_FOLLOW_INTERVAL: Duration = Duration::from_secs(10);
/// A watch silent this long says how it stands. Looks are at most 10 s
/// apart, so a heartbeat comes at least once a minute.
const HEARTBEAT: Duration = Duration::from_secs(50);

/// How often the live board of a terminal is redrawn while nothing happens.
const TICK: Duration = Duration::from_secs(1);

/// The most lines the live board takes; more runs are counted in its last.
const BOARD_LINES: usize = 12;

/// A run's `status`: GitHub's documented values, and any other kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunStatus {
    Requested,
    Queued,
    Waiting,
    Pending,
    InProgress,
    Completed,
    Other(String),
}

impl RunStatus {
    fn parse(text: &str) -> Self {
        match text {
            "requested" => Self::Requested,
            "queued" => Self::Queued,
            "waiting" => Self::Waiting,
            "pending" => Self::Pending,
            "in_progress" => Self::InProgress,
            "completed" => Self::Completed,
            other => Self::Other(other.to_owned()),
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Requested => "requested",
            Self::Queued => "queued",
            Self::Waiting => "waiting",
            Self::Pending => "pending",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Other(text) => text,
        }
    }
}

/// How a completed run ended (`conclusion`): GitHub's documented values, and
/// any other kept as text (`unknown` when a completed run gives none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conclusion {
    Success,
    Failure,
    Cancelled,
    Skipped,
    TimedOut,
    ActionRequired,
    Neutral,
    Stale,
    StartupFailure,
    Other(String),
}

impl Conclusion {
    #[must_use]
    pub fn parse(text: &str) -> Self {
        match text {
            "success" => Self::Success,
            "failure" => Self::Failure,
            "cancelled" => Self::Cancelled,
            "skipped" => Self::Skipped,
            "timed_out" => Self::TimedOut,
            "action_required" => Self::ActionRequired,
            "neutral" => Self::Neutral,
            "stale" => Self::Stale,
            "startup_failure" => Self::StartupFailure,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The value of the `conclusion` output, as GitHub spells it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Cancelled => "cancelled",
            Self::Skipped => "skipped",
            Self::TimedOut => "timed_out",
            Self::ActionRequired => "action_required",
            Self::Neutral => "neutral",
            Self::Stale => "stale",
            Self::StartupFailure => "startup_failure",
            Self::Other(text) => text,
        }
    }
}

/// The fields of a workflow run (GitHub's `workflow-run` schema) this program
/// follows; `display_title` is matched in the listing before a run is read.
/// `status` and `conclusion` are nullable in the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRun {
    pub id: u64,
    pub status: Option<RunStatus>,
    pub conclusion: Option<Conclusion>,
    pub html_url: String,
}

impl WorkflowRun {
    /// Reads a run from the API's JSON. Returns `None` if and only if it is not
    /// an object with a positive integer `id`: such a run cannot be followed.
    ///
    /// Written by hand, not with serde's derive: the shipped build compiles
    /// no proc-macro crate today, and derive brings proc-macro2, quote, syn
    /// and `serde_derive`, a serial chain. Measured on this 2-core machine (two
    /// clean release builds of a four-field struct each way, other builds
    /// running): 5.5 to 11 s more CPU and 26 KB more binary, for four fields.
    #[must_use]
    pub fn from_value(v: &serde_json::Value) -> Option<Self> {
        let text = |name: &str| v.get(name).and_then(serde_json::Value::as_str);
        let id = v.get("id")?.as_u64().filter(|id| *id > 0)?;
        Some(Self {
            id,
            status: text("status").map(RunStatus::parse),
            conclusion: text("conclusion").map(Conclusion::parse),
            html_url: text("html_url").unwrap_or_default().to_owned(),
        })
    }

    fn status_text(&self) -> &str {
        self.status.as_ref().map_or("unknown", RunStatus::as_str)
    }

    fn is_completed(&self) -> bool {
        self.status == Some(RunStatus::Completed)
    }
}

/// A dispatched repository to watch.
#[derive(Debug, Clone)]
pub struct Target {
    pub repo: Repository,
    /// Epoch seconds when the dispatch was answered.
    pub dispatched_at: u64,
    pub started: Instant,
    pub run: Start,
    /// The receiver check ran before the dispatch and could tell.
    pub checked: bool,
}

/// Where watching a target starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// A repository dispatch: find the run by the correlation id in its title.
    Discover,
    /// A workflow dispatch whose answer named the run (id, web address).
    Follow(u64, String),
    /// A workflow dispatch whose answer did not name the run (`204`, or a
    /// body that could not be read): nothing to follow.
    Unknown,
}

/// How following one target's run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The run, once found.
    pub run_id: Option<u64>,
    pub run_url: Option<String>,
    /// Its conclusion, if it completed in time.
    pub conclusion: Option<Conclusion>,
    /// What happened: the conclusion, or why the run was not found or not
    /// followed to its end.
    pub message: String,
}

#[derive(Debug)]
enum Phase {
    Discover { etag: Option<String> },
    Follow(Follow),
    Done,
}

#[derive(Debug)]
struct Watch {
    target: Target,
    /// Its place in the outcomes, which are in target order.
    slot: usize,
    phase: Phase,
    next_at: Instant,
    interval: Duration,
    discovery_deadline: Instant,
    read_failures: u32,
    /// A redirect (renamed repository) was reported already.
    moved_noted: bool,
    /// When this watch last said something: a heartbeat follows a silence of
    /// [`HEARTBEAT`].
    said_at: Instant,
}

impl Watch {
    /// The deadline of the phase the watch is in: every wait and every read
    /// timeout of that phase ends by it.
    fn deadline(&self) -> Instant {
        match &self.phase {
            Phase::Follow(f) => f.deadline,
            Phase::Discover { .. } | Phase::Done => self.discovery_deadline,
        }
    }
}

/// Shared pacing of reads: spaced at least [`MIN_READ_GAP`] apart, and spread
/// over what remains of the primary rate limit until it resets.
#[derive(Debug)]
struct Reads {
    next_allowed: Instant,
    gap: Duration,
    clock: Clock,
    /// The last primary-limit signals seen: requests remaining, reset epoch.
    limit: Option<(u64, u64)>,
    /// Reads are held by the rate limit (a refusal, or so few requests left
    /// that reads are [`HELD_GAP`] or more apart), not by ordinary spacing.
    held: bool,
}

impl Reads {
    /// Spaces the next read after an answer; the gap is at most `max_gap`
    /// (`max-retry-wait`), and each watch's sleep is cut at its deadline.
    fn after(&mut self, answer: Option<&Answer>, max_gap: Duration) {
        if let Some(a) = answer
            && let (Some(remaining), Some(reset)) = (
                a.header_u64("x-ratelimit-remaining"),
                a.header_u64("x-ratelimit-reset"),
            )
        {
            self.limit = Some((remaining, reset));
            let window = Duration::from_secs(reset.saturating_sub(now_epoch()).max(1));
            let usable = u32::try_from(remaining.saturating_mul(9) / 10)
                .unwrap_or(u32::MAX)
                .max(1);
            let gap = MIN_READ_GAP.max(window / usable);
            self.held = gap >= HELD_GAP;
            self.gap = gap.min(max_gap.max(MIN_READ_GAP));
        }
        self.next_allowed = self.clock.after(self.gap);
    }
}

/// Finds and follows the run of every target, all at once, and returns one
/// outcome each, in target order: run id, URL and conclusion. A target whose
/// run is not found or does not finish in time gets a message and no
/// conclusion.
pub async fn watch_all(
    watcher: &mut Watcher<'_>,
    targets: Vec<Target>,
    report: &mut Reporter,
) -> Vec<Outcome> {
    let mut outcomes = vec![Outcome::default(); targets.len()];
    let id = watcher
        .dispatch_id
        .map(|id| format!(" (dispatch id {id})"))
        .unwrap_or_default();
    let title = match &targets[..] {
        [] => return outcomes,
        [one] => format!("Waiting for the run in {}{id}", one.repo),
        many => format!("Waiting for {} runs{id}", many.len()),
    };
    report.group(&title);
    let clock = watcher.clock;
    let mut pending: Vec<Watch> = targets
        .into_iter()
        .enumerate()
        .map(|(slot, t)| {
            let outcome = &mut outcomes[slot];
            let phase = match &t.run {
                Start::Discover => Phase::Discover { etag: None },
                Start::Follow(run_id, url) => {
                    outcome.run_id = Some(*run_id);
                    outcome.run_url = Some(url.clone());
                    report.progress(&format!("{}: following run {run_id} {url}", t.repo));
                    Phase::Follow(Follow {
                        run_id: *run_id,
                        url: url.clone(),
                        status: None,
                        etag: None,
                        deadline: t.started + clock.real(watcher.wait.wait_timeout),
                    })
                }
                Start::Unknown => {
                    "dispatched, but GitHub did not say which run it started (a 204, from a GitHub Enterprise Server that predates return_run_details, or an answer that could not be read), so it cannot be followed; the dispatch stands and was not sent again: find the run in the repository's Actions tab".clone_into(&mut outcome.message);
                    report.error(
                        "Run unknown",
                        &format!("{}: {}", t.repo, outcome.message),
                    );
                    Phase::Done
                }
            };
            let said_at = t.started;
            Watch {
                slot,
                next_at: t.started + clock.real(Duration::from_secs(2)),
                discovery_deadline: t.started + clock.real(watcher.wait.discovery_timeout),
                interval: Duration::from_secs(2),
                phase,
                target: t,
                read_failures: 0,
                moved_noted: false,
                said_at,
            }
        })
        .collect();
    loop {
        let allowed = watcher.reads.next_allowed;
        // A watch the rate limit holds past its deadline ends now, saying when
        // the limit resets, rather than sleeping until the deadline.
        if watcher.reads.held {
            for w in pending.iter_mut().filter(|w| {
                !matches!(w.phase, Phase::Done)
                    && w.next_at < w.deadline()
                    && allowed > w.deadline()
            }) {
                watcher.paced_out(w, &mut outcomes[w.slot], report);
            }
        }
        // Every watch wakes when its next look is due or at its deadline,
        // whichever comes first; at the deadline the step reports it.
        let wake = |w: &Watch| w.next_at.max(allowed).min(w.deadline());
        let Some(next) = (0..pending.len())
            .filter(|&i| !matches!(pending[i].phase, Phase::Done))
            .min_by_key(|&i| wake(&pending[i]))
        else {
            break;
        };
        let due = wake(&pending[next]);
        // In a terminal the board ticks each second while the watch waits.
        while report.is_live() {
            report.board(&board(&pending, &outcomes, clock));
            let tick = clock.after(TICK);
            if tick >= due {
                break;
            }
            clock.sleep_until(tick).await;
        }
        clock.sleep_until(due).await;
        let w = &mut pending[next];
        watcher.step(w, &mut outcomes[w.slot], report).await;
    }
    report.clear_board();
    report.end_group();
    outcomes
}

/// The live board of a terminal: one line per watched run (at most
/// [`BOARD_LINES`], then a count of the rest), with how it stands and the
/// time since its dispatch.
fn board(pending: &[Watch], outcomes: &[Outcome], clock: Clock) -> Vec<String> {
    let now = Instant::now();
    let line = |w: &Watch| {
        let elapsed = clock.nominal(now.saturating_duration_since(w.target.started));
        // Whole seconds: the board ticks once a second.
        let elapsed = fmt_duration(Duration::from_secs(elapsed.as_secs()));
        let outcome = &outcomes[w.slot];
        match &w.phase {
            Phase::Discover { .. } => format!("{}: looking for the run ({elapsed})", w.target.repo),
            Phase::Follow(f) => format!(
                "{}: run {} {} ({elapsed})",
                w.target.repo,
                f.run_id,
                f.status.as_ref().map_or("found", RunStatus::as_str)
            ),
            Phase::Done => match (&outcome.run_id, &outcome.conclusion) {
                (Some(id), Some(c)) => {
                    format!("{}: run {id} completed: {}", w.target.repo, c.as_str())
                }
                _ => format!("{}: stopped", w.target.repo),
            },
        }
    };
    if pending.len() <= BOARD_LINES {
        return pending.iter().map(line).collect();
    }
    let mut lines: Vec<String> = pending[..BOARD_LINES - 1].iter().map(line).collect();
    let rest = &pending[BOARD_LINES - 1..];
    let done = rest
        .iter()
        .filter(|w| matches!(w.phase, Phase::Done))
        .count();
    lines.push(format!(
        "and {} more: {done} done, {} waiting",
        rest.len(),
        rest.len() - done
    ));
    lines
}

/// What every look at a run shares: the client, the settings and the pacing
/// of reads.
#[derive(Debug)]
pub struct Watcher<'a> {
    clients: &'a Clients,
    inputs: &'a Inputs,
    wait: &'a WaitConfig,
    /// The correlation id of a repository dispatch (`None`: a workflow
    /// dispatch, whose runs are named in GitHub's answers).
    dispatch_id: Option<&'a str>,
    clock: Clock,
    reads: Reads,
    /// The receiver check for runs not found, made when first needed.
    checker: Option<Checker<'a>>,
}

impl<'a> Watcher<'a> {
    #[must_use]
    pub fn new(
        clients: &'a Clients,
        inputs: &'a Inputs,
        wait: &'a WaitConfig,
        dispatch_id: Option<&'a str>,
        clock: Clock,
    ) -> Self {
        Self {
            clients,
            inputs,
            wait,
            dispatch_id,
            clock,
            reads: Reads {
                next_allowed: Instant::now(),
                gap: MIN_READ_GAP,
                clock,
                limit: None,
                held: false,
            },
            checker: None,
        }
    }

    /// After a run was not found, the receiver check if it did not run before
    /// the dispatch: what it found, to add to the error.
    async fn check_receiver(
        &mut self,
        repo: &Repository,
        event_type: &str,
        report: &mut Reporter,
    ) -> String {
        let (clients, api, clock) = (self.clients, &self.inputs.api, self.clock);
        // One checker for the watch: its rate-limit stop is said once. Each
        // check is bounded by its own 10 s; the watch has no third to keep.
        let checker = self.checker.get_or_insert_with(|| {
            let until = clock.after(receiver::CHECK_WITHIN * 1000);
            Checker::new(clients, api, clock, Purpose::RunNotFound, until)
        });
        // Three times the check's own bound, so that a third is that bound.
        let bound = clock.after(receiver::CHECK_WITHIN * 3);
        let finding = checker.check(repo, event_type, bound, 0, report).await;
        match &finding {
            Finding::Silent(_) => finding
                .silence_message(event_type)
                .map(|m| format!("; the receiver check found: {m}"))
                .unwrap_or_default(),
            Finding::Listening { branch, files } => format!(
                "; the receiver check found that {} on {branch} listens for {event_type}, so look at its run-name and its runs",
                files.join(", ")
            ),
            Finding::Unknown(why) => {
                format!("; the receiver check could not tell whether a workflow listens: {why}")
            }
            Finding::Skipped => String::new(),
        }
    }

    /// One look at one target: a page of runs while discovering, the run while
    /// following. Updates the phase and schedules the next look.
    async fn step(&mut self, w: &mut Watch, result: &mut Outcome, report: &mut Reporter) {
        let now = Instant::now();
        // Taken out and put back, so that the phase can be rebuilt freely below.
        match std::mem::replace(&mut w.phase, Phase::Done) {
            Phase::Done => {}
            Phase::Discover { .. } if now >= w.discovery_deadline => {
                let event_type = match &self.inputs.event {
                    crate::github::event::Event::Repository { event_type, .. } => {
                        event_type.as_str()
                    }
                    crate::github::event::Event::Workflow { .. } => "",
                };
                result.message = format!(
                    "dispatched, but no run with '{}' in its title appeared in {} within {}: the receiving workflow must listen for `on: repository_dispatch: types: [{}]`, be on the default branch, and set `run-name: ... ${{{{ github.event.client_payload.{} }}}}` so that its run can be found",
                    self.dispatch_id.unwrap_or_default(),
                    w.target.repo,
                    fmt_duration(self.wait.discovery_timeout),
                    event_type,
                    self.wait.key
                );
                if !w.target.checked {
                    let found = self
                        .check_receiver(&w.target.repo, event_type, report)
                        .await;
                    result.message.push_str(&found);
                }
                report.error(
                    "Run not found",
                    &format!("{}: {}", w.target.repo, result.message),
                );
            }
            Phase::Discover { etag } => self.look_for_run(w, etag, result, report).await,
            Phase::Follow(f) if now >= f.deadline => {
                result.message = format!(
                    "dispatched, and run {} started, but it did not complete within {} (still {}): {}; raise {} to wait longer",
                    f.run_id,
                    fmt_duration(self.wait.wait_timeout),
                    f.status.as_ref().map_or("unknown", RunStatus::as_str),
                    f.url,
                    self.inputs.voice.name(&spec::WAIT_TIMEOUT)
                );
                report.error(
                    "Run did not complete",
                    &format!("{}: {}", w.target.repo, result.message),
                );
            }
            Phase::Follow(f) => self.follow_run(w, f, result, report).await,
        }
        self.heartbeat(w, report);
    }

    async fn look_for_run(
        &mut self,
        w: &mut Watch,
        etag: Option<String>,
        result: &mut Outcome,
        report: &mut Reporter,
    ) {
        let repo = w.target.repo.clone();
        let since = w.target.dispatched_at.saturating_sub(CLOCK_SKEW);
        let deadline = w.discovery_deadline;
        match self
            .discover(w, since, etag.clone(), deadline, report)
            .await
        {
            Err(f) => {
                w.phase = Phase::Discover { etag };
                self.note_failure(w, result, &f, report);
            }
            Ok((None, new_etag)) => {
                w.read_failures = 0;
                w.phase = Phase::Discover {
                    etag: new_etag.or(etag),
                };
                w.interval = w.interval.mul_f64(1.5).min(Duration::from_secs(10));
                w.next_at = self.clock.after(w.interval);
            }
            Ok((Some(run), _)) => {
                w.read_failures = 0;
                result.run_id = Some(run.id);
                result.run_url = Some(run.html_url.clone());
                report.progress(&format!(
                    "{repo}: found run {} ({}) {}",
                    run.id,
                    run.status_text(),
                    run.html_url
                ));
                w.said_at = Instant::now();
                if run.is_completed() {
                    conclude(&repo, result, &run, report);
                    return;
                }
                w.phase = Phase::Follow(Follow {
                    run_id: run.id,
                    url: run.html_url,
                    status: run.status,
                    etag: None,
                    deadline: self.clock.after(self.wait.wait_timeout),
                });
                w.interval = Duration::from_secs(3);
                w.next_at = self.clock.after(w.interval);
            }
        }
    }

    async fn follow_run(
        &mut self,
        w: &mut Watch,
        mut f: Follow,
        result: &mut Outcome,
        report: &mut Reporter,
    ) {
        let repo = w.target.repo.clone();
        let req = Request {
            method: Method::GET,
            url: self
                .inputs
                .api
                .repo_url(&repo, &format!("actions/runs/{}", f.run_id)),
            body: None,
            if_none_match: f.etag.clone(),
        };
        let answer = match self
            .read(w, &req, "get the workflow run", f.deadline, report)
            .await
        {
            Ok(a) => a,
            Err(failure) => {
                w.phase = Phase::Follow(f);
                self.note_failure(w, result, &failure, report);
                return;
            }
        };
        w.read_failures = 0;
        if answer.status != StatusCode::NOT_MODIFIED {
            let run = serde_json::from_slice::<serde_json::Value>(&answer.body)
                .ok()
                .and_then(|v| WorkflowRun::from_value(&v))
                .filter(|run| run.id == f.run_id);
            match run {
                Some(run) if run.is_completed() => {
                    conclude(&repo, result, &run, report);
                    return;
                }
                Some(run) => {
                    // Only an answer that could be read moves the ETag on.
                    f.etag = answer.etag().map(str::to_owned).or(f.etag);
                    if run.status != f.status {
                        report.progress(&format!("{repo}: run {} {}", f.run_id, run.status_text()));
                        w.said_at = Instant::now();
                        f.status = run.status;
                    }
                }
                None => report.debug(|| {
                    format!(
                        "{repo}: the answer for run {} is not a run of that id; looking again",
                        f.run_id
                    )
                }),
            }
        }
        w.phase = Phase::Follow(f);
        w.interval = w.interval.mul_f64(1.5).min(MAX_FOLLOW_INTERVAL);
        w.next_at = self.clock.after(w.interval);
    }

    /// Looks through the runs created since `since` (newest first, a few pages
    /// at most) for the one whose title holds the dispatch id. Returns it, if
    /// found, and the first page's `ETag`; a `304` means nothing changed.
    async fn discover(
        &mut self,
        w: &mut Watch,
        since: u64,
        etag: Option<String>,
        deadline: Instant,
        report: &mut Reporter,
    ) -> Result<(Option<WorkflowRun>, Option<String>), Failure> {
        let first = self.inputs.api.repo_url(
            &w.target.repo.clone(),
            &format!(
                "actions/runs?event=repository_dispatch&created=%3E%3D{}&per_page=100",
                utc(since)
            ),
        );
        let mut first_etag = None;
        for page in 1..=MAX_PAGES {
            // A later page waits its turn among reads; one that would come
            // after the deadline is not asked for: the run was not found in
            // time, and the step says so.
            if page > 1 {
                if self.reads.next_allowed >= deadline {
                    break;
                }
                self.clock.sleep_until(self.reads.next_allowed).await;
            }
            // Later pages are asked of the same API base rather than at the
            // `Link` URL, so that the token never goes to another host.
            let req = Request {
                method: Method::GET,
                url: if page == 1 {
                    first.clone()
                } else {
                    format!("{first}&page={page}")
                },
                body: None,
                if_none_match: if page == 1 { etag.clone() } else { None },
            };
            let answer = self
                .read(w, &req, "list workflow runs", deadline, report)
                .await?;
            if answer.status == StatusCode::NOT_MODIFIED {
                break;
            }
            if page == 1 {
                first_etag = answer.etag().map(str::to_owned);
            }
            let runs =
                serde_json::from_slice::<serde_json::Value>(&answer.body).unwrap_or_default();
            let ours = runs["workflow_runs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| {
                    r["display_title"]
                        .as_str()
                        .is_some_and(|t| self.dispatch_id.is_some_and(|id| t.contains(id)))
                });
            for candidate in ours {
                match WorkflowRun::from_value(candidate) {
                    Some(run) => return Ok((Some(run), first_etag)),
                    None => report.debug(|| {
                        format!(
                            "{}: skipped a run with the dispatch id in its title but no usable id",
                            w.target.repo
                        )
                    }),
                }
            }
            if !answer.has_next_page() {
                break;
            }
        }
        Ok((None, first_etag))
    }

    /// One read, paced, with debug output, its timeout the smaller of its own
    /// and what remains before `deadline`; a non-success answer becomes a
    /// failure. A redirect (a renamed repository) is noted once per watch.
    async fn read(
        &mut self,
        w: &mut Watch,
        req: &Request,
        what: &str,
        deadline: Instant,
        report: &mut Reporter,
    ) -> Result<Answer, Failure> {
        report.debug(|| format!("request:\n{}", req.describe(true)));
        let left = self
            .clock
            .nominal(deadline.saturating_duration_since(Instant::now()));
        let timeout = REQUEST_TIMEOUT.min(left.max(Duration::from_millis(1)));
        let client = self.clients.get(&w.target.repo)?;
        let outcome = client.send(req, timeout, MAX_JSON_BODY).await;
        self.reads
            .after(outcome.as_ref().ok(), self.inputs.max_retry_wait);
        let answer = outcome.map_err(|problem| advice::read(&problem, what))?;
        report.debug(|| format!("response {}: {}", answer.status, answer.headers_shown()));
        if let Some(to) = &answer.moved_to
            && !w.moved_noted
        {
            w.moved_noted = true;
            report.notice(&format!(
                "{}: {}",
                w.target.repo,
                crate::advice::moved_note(&w.target.repo, to)
            ));
        }
        if answer.status.is_success() || answer.status == StatusCode::NOT_MODIFIED {
            Ok(answer)
        } else {
            Err(advice::read(&Problem::from_answer(&answer), what))
        }
    }

    /// After a silence of [`HEARTBEAT`], one line on how the watch stands,
    /// so that a log (or a terminal) never waits minutes without a word.
    fn heartbeat(&self, w: &mut Watch, report: &mut Reporter) {
        // A terminal's board shows the time since the dispatch instead.
        if report.is_live() {
            return;
        }
        let now = Instant::now();
        if self.clock.nominal(now.saturating_duration_since(w.said_at)) < HEARTBEAT {
            return;
        }
        let what = match &w.phase {
            Phase::Done => return,
            Phase::Discover { .. } => "still looking for the run".to_owned(),
            Phase::Follow(f) => format!(
                "run {} still {} {}",
                f.run_id,
                f.status.as_ref().map_or("unknown", RunStatus::as_str),
                f.url
            ),
        };
        report.progress(&format!(
            "{}: {what} ({} since the dispatch)",
            w.target.repo,
            fmt_duration(
                self.clock
                    .nominal(now.saturating_duration_since(w.target.started))
            )
        ));
        w.said_at = now;
    }

    /// The input that bounds the watch's phase, and its value, for messages.
    fn phase_limit(&self, w: &Watch) -> (String, Duration) {
        let voice = self.inputs.voice;
        match &w.phase {
            Phase::Follow(_) => (voice.name(&spec::WAIT_TIMEOUT), self.wait.wait_timeout),
            Phase::Discover { .. } | Phase::Done => (
                voice.name(&spec::DISCOVERY_TIMEOUT),
                self.wait.discovery_timeout,
            ),
        }
    }

    /// The primary rate limit leaves too few reads to look again before the
    /// phase's deadline: the watch ends now, saying when the limit resets.
    fn paced_out(&mut self, w: &mut Watch, result: &mut Outcome, report: &mut Reporter) {
        let now = now_epoch();
        let (phase, limit_of_phase) = self.phase_limit(w);
        let when = match self.reads.limit {
            Some((remaining, reset)) => format!(
                "{remaining} API requests remain until the limit resets at {} (in {})",
                utc(reset),
                fmt_duration(Duration::from_secs(reset.saturating_sub(now)))
            ),
            None => "reads are held by an earlier rate limit".to_owned(),
        };
        result.message = format!(
            "dispatched, but the run could not be followed: {when}, so the next read would come after {phase} ({}) ends; raise {phase}, or use a token with more requests left",
            fmt_duration(limit_of_phase)
        );
        report.error(
            "Rate limit too low to follow the run",
            &format!("{}: {}", w.target.repo, result.message),
        );
        w.phase = Phase::Done;
    }

    /// A failed read: rate limits hold every read; other failures are retried a
    /// few times (reads are safe to repeat), except refusals that will not
    /// change. No wait goes past the phase's deadline or `max-retry-wait`: a
    /// rate limit that asks for longer fails the watch at once, saying when
    /// the limit resets.
    fn note_failure(
        &mut self,
        w: &mut Watch,
        result: &mut Outcome,
        failure: &Failure,
        report: &mut Reporter,
    ) {
        let repo = &w.target.repo;
        let mut message = failure.message.clone();
        let retry_in = match &failure.retry {
            Retry::RateLimited(limit) => {
                let now = now_epoch();
                let wait = limit.asked_wait(now).unwrap_or(Duration::from_mins(1));
                let left = self
                    .clock
                    .nominal(w.deadline().saturating_duration_since(Instant::now()));
                let (phase, limit_of_phase) = self.phase_limit(w);
                if wait > self.inputs.max_retry_wait {
                    message = format!(
                        "{message}; not retried: the wait ({}) is longer than max-retry-wait ({})",
                        fmt_duration(wait),
                        fmt_duration(self.inputs.max_retry_wait)
                    );
                    None
                } else if wait > left {
                    message = format!(
                        "{message}; not retried: waiting {} would pass {phase} ({})",
                        fmt_duration(wait),
                        fmt_duration(limit_of_phase)
                    );
                    None
                } else {
                    report.progress(&format!(
                        "{repo}: reading runs is rate limited; waiting {}",
                        fmt_duration(wait)
                    ));
                    self.reads.next_allowed = self.clock.after(wait);
                    self.reads.held = true;
                    Some(wait)
                }
            }
            Retry::NotSent | Retry::Repeat => {
                w.read_failures += 1;
                (w.read_failures < MAX_READ_FAILURES).then(|| {
                    Duration::from_secs(2u64.pow(w.read_failures)).min(self.inputs.max_retry_wait)
                })
            }
            // A read is never `OnlyIfAsked`: that is for writes.
            Retry::OnlyIfAsked | Retry::Never => None,
        };
        if let Some(wait) = retry_in {
            w.next_at = self.clock.after(wait);
        } else {
            result.message = format!("dispatched, but the run could not be followed: {message}");
            report.error(&failure.title, &format!("{repo}: {}", result.message));
            w.phase = Phase::Done;
        }
    }
}

/// The state of following one run.
#[derive(Debug)]
struct Follow {
    run_id: u64,
    url: String,
    /// The last status seen (`None`: the run gave none).
    status: Option<RunStatus>,
    etag: Option<String>,
    deadline: Instant,
}

fn conclude(repo: &Repository, result: &mut Outcome, run: &WorkflowRun, report: &mut Reporter) {
    let conclusion = run
        .conclusion
        .clone()
        .unwrap_or_else(|| Conclusion::Other("unknown".to_owned()));
    // A result: on stdout in a terminal too, with the run's address.
    report.info(&format!(
        "{repo}: run {} completed: {} {}",
        run.id,
        conclusion.as_str(),
        run.html_url
    ));
    result.message = format!("dispatched; run concluded {}", conclusion.as_str());
    result.conclusion = Some(conclusion);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_read_from_the_api_json() {
        let run = |v: serde_json::Value| WorkflowRun::from_value(&v);
        assert_eq!(
            run(serde_json::json!({
                "id": 30_433_642, "status": "in_progress", "conclusion": null,
                "html_url": "https://github.com/o/r/actions/runs/30433642",
                "display_title": "Deploy abc", "event": "repository_dispatch"
            })),
            Some(WorkflowRun {
                id: 30_433_642,
                status: Some(RunStatus::InProgress),
                conclusion: None,
                html_url: "https://github.com/o/r/actions/runs/30433642".into(),
            })
        );
        // Without a positive integer id a run cannot be followed.
        for bad in [
            serde_json::json!({"status": "queued"}),
            serde_json::json!({"id": null}),
            serde_json::json!({"id": 0}),
            serde_json::json!({"id": -4}),
            serde_json::json!({"id": "7"}),
            serde_json::json!({"id": 1.5}),
            serde_json::json!([1]),
        ] {
            assert_eq!(run(bad.clone()), None, "{bad}");
        }
        // Nullable and missing fields, and values GitHub may add later.
        let sparse = run(serde_json::json!({"id": 9, "status": null})).unwrap();
        assert_eq!(sparse.status_text(), "unknown");
        assert!(!sparse.is_completed());
        assert_eq!(sparse.html_url, "");
        let later =
            run(serde_json::json!({"id": 9, "status": "paused", "conclusion": "new"})).unwrap();
        assert_eq!(later.status, Some(RunStatus::Other("paused".into())));
        assert_eq!(later.conclusion, Some(Conclusion::Other("new".into())));
    }

    /// Every documented value reads as its variant and prints as GitHub
    /// spells it (the `conclusion` output).
    #[test]
    fn statuses_and_conclusions_keep_github_spelling() {
        for text in [
            "requested",
            "queued",
            "waiting",
            "pending",
            "in_progress",
            "completed",
        ] {
            let status = RunStatus::parse(text);
            assert!(!matches!(status, RunStatus::Other(_)), "{text}");
            assert_eq!(status.as_str(), text);
        }
        assert!(RunStatus::parse("completed") == RunStatus::Completed);
        for text in [
            "success",
            "failure",
            "cancelled",
            "skipped",
            "timed_out",
            "action_required",
            "neutral",
            "stale",
            "startup_failure",
        ] {
            let conclusion = Conclusion::parse(text);
            assert!(!matches!(conclusion, Conclusion::Other(_)), "{text}");
            assert_eq!(conclusion.as_str(), text);
        }
        assert_eq!(Conclusion::parse("success"), Conclusion::Success);
        assert_eq!(Conclusion::parse("failure"), Conclusion::Failure);
    }

    fn reads() -> Reads {
        Reads {
            next_allowed: Instant::now(),
            gap: MIN_READ_GAP,
            clock: Clock::default(),
            limit: None,
            held: false,
        }
    }

    fn answer(remaining: u64, reset: u64) -> Answer {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-ratelimit-remaining", remaining.into());
        headers.insert("x-ratelimit-reset", reset.into());
        Answer {
            status: StatusCode::OK,
            headers,
            body: Vec::new(),
            truncated: false,
            moved_to: None,
        }
    }

    /// Reads are spread over 90% of what remains of the primary limit until it
    /// resets, at least 250 ms apart and at most `max-retry-wait`; a gap of
    /// 10 s or more means the limit holds them.
    #[test]
    fn reads_are_spread_over_what_remains_of_the_limit() {
        let ms = Duration::from_millis;
        // (remaining, reset in seconds, max-retry-wait) -> (gap, held)
        let cases: &[(u64, u64, Duration, Duration, bool)] = &[
            (5000, 1, ms(300_000), MIN_READ_GAP, false),
            // 3600 s over 4491 usable reads: 801 ms.
            (4990, 3600, ms(300_000), ms(801), false),
            // 100 s over 9 reads: 11.1 s apart.
            (10, 100, ms(300_000), ms(11_111), true),
            // The same, capped by max-retry-wait, still held.
            (10, 100, ms(5_000), ms(5_000), true),
            // 9 s over 1 read: not held.
            (1, 9, ms(300_000), ms(9_000), false),
            // Nothing left: one read's gap is the whole window.
            (0, 100, ms(300_000), ms(100_000), true),
        ];
        for &(remaining, reset_in, max_gap, gap, held) in cases {
            let mut r = reads();
            let reset = now_epoch() + reset_in;
            let before = Instant::now();
            r.after(Some(&answer(remaining, reset)), max_gap);
            let case = format!("{remaining} left, reset in {reset_in}s");
            // now_epoch() may tick during the case: allow a second's drift.
            let tolerance = gap / u32::try_from(reset_in).unwrap() + ms(1);
            assert!(
                r.gap.abs_diff(gap) <= tolerance,
                "{case}: gap {:?}, want {gap:?}",
                r.gap
            );
            assert_eq!(r.held, held, "{case}");
            assert_eq!(r.limit, Some((remaining, reset)), "{case}");
            let waits = r.next_allowed.saturating_duration_since(before);
            assert!(
                waits >= r.gap && waits <= r.gap + ms(500),
                "{case}: next read in {waits:?}"
            );
        }
        // An answer without the headers keeps the spacing as it was.
        let mut r = reads();
        r.after(None, ms(300_000));
        assert_eq!((r.gap, r.held, r.limit), (MIN_READ_GAP, false, None));
    }
}
