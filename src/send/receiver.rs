//! "Did anything start?": before a `repository_dispatch` is sent, the target's
//! workflows on its default branch are read to tell whether an active one
//! listens for the event type (`check-receiver`). GitHub answers `204`
//! whether or not anything listens.
//!
//! Per repository: `GET /repos/{o}/{r}` (the default branch, for the
//! message), the `.github/workflows` listing, each `*.yml`/`*.yaml` file in
//! it until an active listener is found (every file in a dry run), and the
//! workflows' states once a file listens. Never more, never a write. The
//! check is bounded ([`CHECK_WITHIN`], and a third of what remains of
//! `timeout`) and stops when the rate limit would fall under a fifth of its
//! size; not knowing is never a failure: the dispatch goes as if `off`.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::time::Instant;

use crate::action::args::edit_distance;
use crate::action::report::Reporter;
use crate::auth::clients::Clients;
use crate::github::repo::{ApiBase, Repository};
use crate::github::triggers::{self, Listens, Unreadable};
use crate::github::workflows::{self, FOLDER, NoContent, State};
use crate::github::{Answer, MAX_JSON_BODY, Problem, REQUEST_TIMEOUT, Request};
use crate::util::time::{Clock, fmt_duration, now_epoch, utc};

/// The longest one repository's check may take.
pub const CHECK_WITHIN: Duration = Duration::from_secs(10);
/// Reads are never closer together than this (as every read of the step).
const MIN_READ_GAP: Duration = Duration::from_millis(250);
/// Checking stops when fewer than this share of the rate limit would remain.
const KEEP_SHARE: u64 = 5; // a fifth: 20 %
/// The fewest requests a repository's check and dispatch take: the
/// repository, the folder, a file, and the dispatch.
const FEWEST_REQUESTS: u64 = 4;
/// Pages of workflow states read at most (100 each).
const MAX_STATE_PAGES: u32 = 10;

/// A third of what remains before `deadline`, from `now`: the most the
/// checks may take of a phase (all together, and each one).
#[must_use]
pub fn a_third_of(now: Instant, deadline: Instant) -> Instant {
    now + deadline.saturating_duration_since(now) / 3
}

/// `check-receiver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Say so, and send anyway (the default).
    Warn,
    /// Do not send where nothing listens.
    Fail,
    /// No reads: the request sequence of peter-evans/repository-dispatch.
    Off,
}

impl Mode {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "warn" => Ok(Self::Warn),
            "fail" => Ok(Self::Fail),
            "off" => Ok(Self::Off),
            "" => Err("check-receiver is empty: give warn, fail or off".to_owned()),
            other => Err(format!(
                "check-receiver is '{}': give warn (say when no workflow listens, and send), fail (do not send there) or off (no check)",
                other.escape_debug()
            )),
        }
    }
}

/// What the check found in one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// These active workflow files on the default branch start on the
    /// event type.
    Listening { branch: String, files: Vec<String> },
    /// No active workflow starts on it.
    Silent(Silence),
    /// The check could not tell: why (the dispatch goes unchecked).
    Unknown(String),
    /// Checking stopped earlier in the step to save the rate limit (said
    /// once, then).
    Skipped,
}

/// Why nothing would start, for the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Silence {
    pub branch: String,
    /// The contents API answered 404 "This repository is empty."
    pub empty: bool,
    /// No `.github/workflows` folder on the default branch.
    pub no_folder: bool,
    /// The `*.yml`/`*.yaml` files read.
    pub files: usize,
    /// Files listening for other types.
    pub listed: Vec<Listed>,
    /// Files that would start but are disabled: (file name, state).
    pub disabled: Vec<(String, String)>,
    /// Files not read or not parsed: (file name, why).
    pub unreadable: Vec<(String, String)>,
}

/// Why the check is made: it decides how much is read and what a stop says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Before each dispatch: reading stops at the first active listener.
    Dispatch,
    /// `--dry-run --check-receiver`: every file, to name every one that
    /// would start.
    DryRun,
    /// After a run was not found: every file, for the error.
    RunNotFound,
}

/// A file that listens for other event types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    /// `cd.yml`
    pub file: String,
    /// `.github/workflows/cd.yml`
    pub path: String,
    /// Its first types, each cut (see [`MAX_KEPT`]).
    pub types: Vec<String>,
    /// How many it lists.
    pub total: usize,
    /// Its state, when it is disabled.
    pub disabled: Option<String>,
}

/// A workflow's state in the list: an `active` entry for the path wins (a
/// deleted copy may be listed beside it); `None` if it is not listed.
fn state_of(states: &[(String, State)], path: &str) -> Option<State> {
    let mut found = None;
    for (p, state) in states {
        if p == path {
            if *state == State::Active {
                return Some(State::Active);
            }
            found.get_or_insert_with(|| state.clone());
        }
    }
    found
}

/// Reads targets' workflows, paced and bounded, for one step.
#[derive(Debug)]
pub struct Checker<'a> {
    clients: &'a Clients,
    api: &'a ApiBase,
    clock: Clock,
    purpose: Purpose,
    next_read: Instant,
    /// The primary limit as last seen: remaining, size, reset epoch.
    limit: Option<(u64, u64, u64)>,
    /// Checking stopped for the rest of the step (said once).
    stopped: bool,
    /// Every check of the step ends by this instant (a third of `timeout`).
    until: Instant,
    /// The current check's workflow files: read so far, and listed.
    files: (usize, usize),
}

impl<'a> Checker<'a> {
    /// A checker whose checks together end by `until`.
    #[must_use]
    pub fn new(
        clients: &'a Clients,
        api: &'a ApiBase,
        clock: Clock,
        purpose: Purpose,
        until: Instant,
    ) -> Self {
        Self {
            clients,
            api,
            clock,
            purpose,
            next_read: Instant::now(),
            limit: None,
            stopped: false,
            until,
            files: (0, 0),
        }
    }

    /// Notes the rate limit an answer of the step's other requests (the
    /// dispatches) reports, so that the reserve counts them too.
    pub fn saw(&mut self, answer: &Answer) {
        if let (Some(remaining), Some(size), Some(reset)) = (
            answer.header_u64("x-ratelimit-remaining"),
            answer.header_u64("x-ratelimit-limit"),
            answer.header_u64("x-ratelimit-reset"),
        ) {
            self.limit = Some((remaining, size, reset));
        }
    }

    /// What a stop means for the repositories not checked.
    fn unchecked(&self, repo: &Repository) -> String {
        match self.purpose {
            Purpose::Dispatch => {
                format!("the repositories from {repo} on are dispatched without the check")
            }
            Purpose::DryRun | Purpose::RunNotFound => {
                format!("the repositories from {repo} on are not checked")
            }
        }
    }

    /// Checks one repository for a listener of `event_type`, within
    /// [`CHECK_WITHIN`], the step's checks' end, and a third of what remains
    /// before `deadline`; `reserve`: the requests still to come after it (the
    /// dispatches), kept out of the rate limit's last fifth too.
    pub async fn check(
        &mut self,
        repo: &Repository,
        event_type: &str,
        deadline: Instant,
        reserve: u64,
        report: &mut Reporter,
    ) -> Finding {
        if self.stopped || self.would_run_low(FEWEST_REQUESTS + reserve, repo, report) {
            return Finding::Skipped;
        }
        let now = Instant::now();
        if now >= self.until {
            self.stopped = true;
            report.notice(&format!(
                "receiver checks stopped: together they may take a third of timeout, and that is spent; {}",
                self.unchecked(repo)
            ));
            return Finding::Skipped;
        }
        let bound = self
            .clock
            .after(CHECK_WITHIN)
            .min(a_third_of(now, deadline))
            .min(self.until);
        let nominal = self.clock.nominal(bound.saturating_duration_since(now));
        self.files = (0, 0);
        let finding = match tokio::time::timeout_at(
            bound,
            self.look(repo, event_type, bound, report),
        )
        .await
        {
            Ok(Ok(finding)) => finding,
            Ok(Err(_)) if self.stopped => Finding::Skipped,
            Ok(Err(why)) => Finding::Unknown(why),
            Err(_) => Finding::Unknown(format!(
                "the check did not finish within {} (at most {}, less when timeout leaves less){}",
                fmt_duration(nominal),
                fmt_duration(CHECK_WITHIN),
                match self.files {
                    (_, 0) => String::new(),
                    (read, listed) =>
                        format!("; {read} of {listed} workflow files read, none listens so far"),
                }
            )),
        };
        report.debug(|| format!("{repo}: receiver check: {finding:?}"));
        finding
    }

    async fn look(
        &mut self,
        repo: &Repository,
        event_type: &str,
        bound: Instant,
        report: &mut Reporter,
    ) -> Result<Finding, String> {
        let answer = self
            .read(
                repo,
                workflows::repository_request(self.api, repo),
                bound,
                report,
            )
            .await?;
        let answer = ok_or_say(answer, "the repository")?;
        let branch = workflows::default_branch(&answer.body)
            .ok_or("GitHub's answer for the repository names no default branch")?;
        let mut silence = Silence {
            branch,
            ..Silence::default()
        };
        let answer = self
            .read(
                repo,
                workflows::folder_request(self.api, repo),
                bound,
                report,
            )
            .await?;
        if answer.status == StatusCode::NOT_FOUND {
            let message = crate::github::GitHubError::parse(&answer.body).message;
            if message.as_deref() == Some("This repository is empty.") {
                silence.empty = true;
            } else {
                silence.no_folder = true;
            }
            return Ok(Finding::Silent(silence));
        }
        let answer = ok_or_say(answer, FOLDER)?;
        let files = workflows::folder(&answer.body)
            .ok_or_else(|| format!("GitHub's answer for {FOLDER} is not a folder listing"))?;
        let mut states: Option<Vec<(String, State)>> = None;
        let mut listening = Vec::new();
        self.files.1 = files.len();
        for file in files {
            silence.files += 1;
            let read = self.read_file(repo, &file, bound, report).await?;
            self.files.0 += 1;
            let listens = match read {
                Ok(l) => l,
                Err(why) => {
                    silence.unreadable.push((file.name, why));
                    continue;
                }
            };
            if !listens.starts_on(event_type) {
                if let Listens::Types(types) = listens {
                    let (types, total) = kept(types);
                    silence.listed.push(Listed {
                        file: file.name,
                        path: file.path,
                        types,
                        total,
                        disabled: None,
                    });
                }
                continue;
            }
            if states.is_none() {
                states = Some(self.states(repo, bound, report).await?);
            }
            match state_of(states.as_deref().unwrap_or_default(), &file.path) {
                Some(State::Disabled(how)) => silence.disabled.push((file.name, how)),
                // Active, or not in the list (a token without Actions: read
                // gets no list; a file just added may not be in it yet).
                Some(State::Active) | None => {
                    listening.push(file.name);
                    if self.purpose == Purpose::Dispatch {
                        break;
                    }
                }
            }
        }
        // Nothing listens: whether the files that list other types are
        // disabled, so that a suggestion never points at one that would not
        // start either.
        if listening.is_empty() && !silence.listed.is_empty() {
            if states.is_none() {
                states = Some(self.states(repo, bound, report).await?);
            }
            let states = states.as_deref().unwrap_or_default();
            for listed in &mut silence.listed {
                if let Some(State::Disabled(how)) = state_of(states, &listed.path) {
                    listed.disabled = Some(how);
                }
            }
        }
        Ok(if listening.is_empty() {
            Finding::Silent(silence)
        } else {
            Finding::Listening {
                branch: silence.branch,
                files: listening,
            }
        })
    }

    /// What one workflow file listens for, or why it cannot be told (`Ok(Err)`,
    /// noted beside the finding); `Err` ends the check.
    async fn read_file(
        &mut self,
        repo: &Repository,
        file: &workflows::WorkflowFile,
        bound: Instant,
        report: &mut Reporter,
    ) -> Result<Result<Listens, String>, String> {
        match file.size {
            Some(0) => return Ok(Err("the file is empty".to_owned())),
            Some(size) if size > triggers::MAX_FILE as u64 => {
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                return Ok(Err(unreadable(&Unreadable::TooLarge(size))));
            }
            _ => {}
        }
        let req = workflows::file_request(self.api, repo, &file.path);
        let answer = ok_or_say(self.read(repo, req, bound, report).await?, &file.path)?;
        Ok(match workflows::file_content(&answer.body) {
            Ok(bytes) => triggers::listens(&bytes).map_err(|why| unreadable(&why)),
            Err(NoContent::TooLarge) => Err(format!(
                "over 1 MB (GitHub sends no content), over the {} KB read",
                triggers::MAX_FILE / 1024
            )),
            Err(NoContent::Unreadable) => Err("GitHub's answer holds no text".to_owned()),
        })
    }

    /// The workflows' states, every page; empty if the token may not read
    /// them (every file then counts as active).
    async fn states(
        &mut self,
        repo: &Repository,
        bound: Instant,
        report: &mut Reporter,
    ) -> Result<Vec<(String, State)>, String> {
        let mut all = Vec::new();
        for page in 1..=MAX_STATE_PAGES {
            let answer = self
                .read(
                    repo,
                    workflows::states_request(self.api, repo, page),
                    bound,
                    report,
                )
                .await?;
            if matches!(answer.status.as_u16(), 403 | 404) {
                report.debug(|| {
                    format!(
                        "{repo}: the workflows' states cannot be read ({}): every workflow counts as active",
                        answer.status
                    )
                });
                return Ok(all);
            }
            let answer = ok_or_say(answer, "the workflows' states")?;
            let Some(states) = workflows::states(&answer.body) else {
                return Err("GitHub's list of workflows could not be read".to_owned());
            };
            all.extend(states);
            if !answer.has_next_page() {
                break;
            }
        }
        Ok(all)
    }

    /// Whether `requests` more would leave less than a fifth of the rate
    /// limit as last seen; if so, checking stops for the rest of the step,
    /// said once.
    fn would_run_low(&mut self, requests: u64, repo: &Repository, report: &mut Reporter) -> bool {
        let Some((remaining, size, reset)) = self.limit else {
            return false;
        };
        if remaining
            .saturating_sub(requests)
            .saturating_mul(KEEP_SHARE)
            >= size
        {
            return false;
        }
        self.stopped = true;
        report.notice(&format!(
            "receiver checks stopped: {remaining} of {size} API requests remain until {} (in {}), and dispatching comes first; {}",
            utc(reset),
            fmt_duration(Duration::from_secs(reset.saturating_sub(now_epoch()))),
            self.unchecked(repo)
        ));
        true
    }

    /// One read: paced, bounded by `bound`, kept within the rate limit.
    async fn read(
        &mut self,
        repo: &Repository,
        req: Request,
        bound: Instant,
        report: &mut Reporter,
    ) -> Result<Answer, String> {
        if self.would_run_low(1, repo, report) {
            return Err("checking stopped to save the rate limit".to_owned());
        }
        self.clock.sleep_until(self.next_read).await;
        // Spaced from when each read is sent, not from its answer.
        self.next_read = self.clock.after(MIN_READ_GAP);
        report.debug(|| format!("request:\n{}", req.describe(true)));
        let client = self.clients.get(repo).map_err(|f| f.message)?;
        let left = self
            .clock
            .nominal(bound.saturating_duration_since(Instant::now()));
        // A second past the check's bound, so that the bound, not the
        // request, ends a check that runs out of time (one message).
        let timeout = REQUEST_TIMEOUT.min(left + Duration::from_secs(1));
        let answer = client
            .send(&req, timeout, MAX_JSON_BODY)
            .await
            .map_err(|p| problem(&p))?;
        report.debug(|| format!("response {}: {}", answer.status, answer.headers_shown()));
        self.saw(&answer);
        if !answer.status.is_success()
            && let p @ Problem::RateLimited(..) = Problem::from_answer(&answer)
        {
            return Err(problem(&p));
        }
        Ok(answer)
    }
}

/// A non-success answer as the reason the check cannot tell.
fn ok_or_say(answer: Answer, what: &str) -> Result<Answer, String> {
    if answer.status.is_success() {
        return Ok(answer);
    }
    let github = crate::github::GitHubError::parse(&answer.body)
        .summary()
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    Err(format!(
        "{what} could not be read ({}{github}){}",
        answer.status.as_u16(),
        if answer.status == StatusCode::FORBIDDEN || answer.status == StatusCode::NOT_FOUND {
            "; the token cannot read it, and the dispatch may be refused too"
        } else {
            ""
        }
    ))
}

fn problem(p: &Problem) -> String {
    crate::advice::read(p, "read the workflows").message
}

fn unreadable(why: &Unreadable) -> String {
    match why {
        Unreadable::TooLarge(size) => format!(
            "{} KB, over the {} KB read",
            size / 1024,
            triggers::MAX_FILE / 1024
        ),
        Unreadable::NotText => "not UTF-8 text".to_owned(),
        Unreadable::Yaml { line, message } => format!("not YAML: line {line}: {message}"),
        Unreadable::TooManyNodes => format!("more than {} YAML nodes", triggers::MAX_NODES),
        Unreadable::Malformed { what, expected } => {
            format!("{what} is not {expected}")
        }
    }
}

impl Finding {
    /// What to say of a repository where nothing would start (without the
    /// repository's name), or `None`.
    #[must_use]
    pub fn silence_message(&self, event_type: &str) -> Option<String> {
        let Self::Silent(s) = self else { return None };
        let head = format!(
            "no active workflow on its default branch {} listens for the repository_dispatch event type {event_type}, so nothing would start",
            s.branch
        );
        let mut help: Vec<String> = Vec::new();
        if s.empty {
            help.push("the repository is empty".to_owned());
        } else if s.no_folder {
            help.push(format!("there is no {FOLDER} on {}", s.branch));
        } else if s.files == 0 {
            help.push(format!(
                "{FOLDER} on {} holds no .yml or .yaml file",
                s.branch
            ));
        }
        if !s.listed.is_empty() {
            // Each file's types nearest first, then the files by their nearest.
            // A disabled file is named with its state and never suggested.
            let mut ranked: Vec<(Option<(usize, &String)>, String)> = s
                .listed
                .iter()
                .map(|l| {
                    let mut by_distance: Vec<(usize, &String)> = l
                        .types
                        .iter()
                        .map(|t| (distance(t, event_type), t))
                        .collect();
                    by_distance.sort();
                    let file = match &l.disabled {
                        Some(how) => format!("{} (disabled: {how})", l.file),
                        None => l.file.clone(),
                    };
                    let total = l.total;
                    let said = if by_distance.is_empty() {
                        format!("{file} lists no type")
                    } else {
                        let mut names: Vec<String> =
                            by_distance.iter().map(|(_, t)| (*t).clone()).collect();
                        names.truncate(MAX_SHOWN);
                        let more = total.saturating_sub(names.len());
                        if more > 0 {
                            names.push(format!("{more} more"));
                        }
                        format!("{file} listens for {}", names.join(", "))
                    };
                    let nearest = by_distance.first().copied();
                    (nearest.filter(|_| l.disabled.is_none()), said)
                })
                .collect();
            ranked.sort_by_key(|(nearest, _)| nearest.map_or(usize::MAX, |(d, _)| d));
            let guess = ranked
                .iter()
                .filter_map(|(nearest, _)| *nearest)
                .min()
                .filter(|(d, t)| *d <= (t.chars().count() / 3).max(2));
            let mut said: Vec<String> = ranked
                .into_iter()
                .map(|(_, said)| said)
                .take(MAX_SHOWN)
                .collect();
            if s.listed.len() > MAX_SHOWN {
                said.push(format!("{} more files", s.listed.len() - MAX_SHOWN));
            }
            let said = said.join("; ");
            match guess {
                Some((_, t)) => help.push(format!("did you mean {t}? {said}")),
                None => help.push(said),
            }
        }
        for (file, how) in s.disabled.iter().take(MAX_SHOWN) {
            help.push(format!(
                "{file} would start but is disabled ({how}): enable it in the repository's Actions tab"
            ));
        }
        let readable = s.files.saturating_sub(s.unreadable.len());
        if s.listed.is_empty() && s.disabled.is_empty() && readable > 0 {
            help.push(format!(
                "none of the {readable} {}workflow files there has on: repository_dispatch",
                if s.unreadable.is_empty() {
                    ""
                } else {
                    "other "
                }
            ));
        }
        for (file, why) in s.unreadable.iter().take(MAX_SHOWN) {
            help.push(format!("{file} could not be read: {why}"));
        }
        let more = s.disabled.len().saturating_sub(MAX_SHOWN)
            + s.unreadable.len().saturating_sub(MAX_SHOWN);
        if more > 0 {
            help.push(format!("{more} more files disabled or unreadable"));
        }
        help.push(format!(
            "a repository_dispatch starts a workflow only if it is on {} and active, and its on: has repository_dispatch with no types or with types listing the event type",
            s.branch
        ));
        Some(format!("{head}: {}", help.join("; ")))
    }
}

/// The most files (and types of one file) a message names; the rest are
/// counted.
const MAX_SHOWN: usize = 8;
/// The types of one file kept for the message (the nearest are found among
/// them), each cut to [`MAX_TEXT`] characters: a hostile file listing
/// thousands costs neither time nor length.
const MAX_KEPT: usize = 50;
const MAX_TEXT: usize = 100;

/// How far apart two event types are: case-insensitively equal is closest;
/// lengths far apart are as far as their difference (no need to count).
fn distance(a: &str, b: &str) -> usize {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if a.eq_ignore_ascii_case(b) {
        0
    } else if la.abs_diff(lb) > 8 {
        la.abs_diff(lb)
    } else {
        edit_distance(a, b)
    }
}

/// A file's types as kept for the message: the first [`MAX_KEPT`], each cut
/// to [`MAX_TEXT`] characters; and how many it lists.
fn kept(types: Vec<String>) -> (Vec<String>, usize) {
    let total = types.len();
    let kept = types
        .into_iter()
        .take(MAX_KEPT)
        .map(|t| match t.char_indices().nth(MAX_TEXT) {
            Some((cut, _)) => format!("{}…", &t[..cut]),
            None => t,
        })
        .collect();
    (kept, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(file: &str, types: &[&str], disabled: Option<&str>) -> Listed {
        Listed {
            file: file.to_owned(),
            path: format!(".github/workflows/{file}"),
            types: types.iter().map(|&t| t.to_owned()).collect(),
            total: types.len(),
            disabled: disabled.map(str::to_owned),
        }
    }

    #[test]
    fn modes_are_named_and_anything_else_is_refused_naming_the_three() {
        assert_eq!(Mode::parse("warn"), Ok(Mode::Warn));
        assert_eq!(Mode::parse("fail"), Ok(Mode::Fail));
        assert_eq!(Mode::parse("off"), Ok(Mode::Off));
        for bad in ["Warn", "true", "", "no"] {
            let e = Mode::parse(bad).unwrap_err();
            assert!(
                e.contains("warn") && e.contains("fail") && e.contains("off"),
                "{e}"
            );
        }
    }

    #[test]
    fn the_message_says_what_would_help_nearest_first() {
        let silence = Silence {
            branch: "trunk".to_owned(),
            files: 3,
            listed: vec![
                listed("nightly.yml", &["rebuild"], None),
                listed("cd.yml", &["rollback", "trigger-deploy"], None),
                listed(
                    "old-cd.yml",
                    &["trigger-deploy"],
                    Some("disabled_inactivity"),
                ),
            ],
            disabled: vec![("old.yml".to_owned(), "disabled_manually".to_owned())],
            unreadable: vec![("bad.yml".to_owned(), "not YAML: line 2: x".to_owned())],
            ..Silence::default()
        };
        let m = Finding::Silent(silence)
            .silence_message("trigger-deplyo")
            .unwrap();
        assert_eq!(
            m,
            "no active workflow on its default branch trunk listens for the repository_dispatch event type trigger-deplyo, so nothing would start: did you mean trigger-deploy? cd.yml listens for trigger-deploy, rollback; nightly.yml listens for rebuild; old-cd.yml (disabled: disabled_inactivity) listens for trigger-deploy; old.yml would start but is disabled (disabled_manually): enable it in the repository's Actions tab; bad.yml could not be read: not YAML: line 2: x; a repository_dispatch starts a workflow only if it is on trunk and active, and its on: has repository_dispatch with no types or with types listing the event type"
        );
        let listening = Finding::Listening {
            branch: "main".to_owned(),
            files: vec!["cd.yml".to_owned()],
        };
        assert_eq!(listening.silence_message("x"), None);
    }

    #[test]
    fn a_hostile_repository_cannot_make_the_message_long() {
        let types: Vec<String> = (0..1000)
            .map(|i| format!("type-{i}-{}", "x".repeat(500)))
            .collect();
        let silence = Silence {
            branch: "main".to_owned(),
            files: 300,
            listed: (0..100)
                .map(|i| {
                    let (types, total) = kept(types.clone());
                    Listed {
                        file: format!("f{i}.yml"),
                        types,
                        total,
                        ..Listed::default()
                    }
                })
                .collect(),
            disabled: (0..100)
                .map(|i| (format!("d{i}.yml"), "disabled_manually".to_owned()))
                .collect(),
            unreadable: (0..100)
                .map(|i| (format!("u{i}.yml"), "not UTF-8 text".to_owned()))
                .collect(),
            ..Silence::default()
        };
        let m = Finding::Silent(silence).silence_message("deploy").unwrap();
        assert!(m.len() < 12_000, "{}", m.len());
        assert!(m.contains("; 92 more files; "), "{m}");
        assert!(m.contains(", 992 more"), "{m}");
        assert!(
            m.contains("; 184 more files disabled or unreadable; "),
            "{m}"
        );
        assert!(m.contains(&format!("type-0-{}…", "x".repeat(93))), "{m}");
    }

    #[test]
    fn an_active_entry_for_a_path_wins_and_a_missing_one_is_none() {
        let states = vec![
            (
                ".github/workflows/a.yml".to_owned(),
                State::Disabled("deleted".to_owned()),
            ),
            (".github/workflows/a.yml".to_owned(), State::Active),
            (
                ".github/workflows/b.yml".to_owned(),
                State::Disabled("disabled_manually".to_owned()),
            ),
        ];
        assert_eq!(
            state_of(&states, ".github/workflows/a.yml"),
            Some(State::Active)
        );
        assert_eq!(
            state_of(&states, ".github/workflows/b.yml"),
            Some(State::Disabled("disabled_manually".to_owned()))
        );
        assert_eq!(state_of(&states, ".github/workflows/c.yml"), None);
    }

    #[test]
    fn a_disabled_file_is_never_suggested() {
        let silence = Silence {
            branch: "main".to_owned(),
            files: 1,
            listed: vec![listed(
                "cd.yml",
                &["trigger-deploy"],
                Some("disabled_manually"),
            )],
            ..Silence::default()
        };
        let m = Finding::Silent(silence)
            .silence_message("trigger-deplyo")
            .unwrap();
        assert!(
            m.contains("nothing would start: cd.yml (disabled: disabled_manually) listens for trigger-deploy;"),
            "{m}"
        );
        assert!(!m.contains("did you mean"), "{m}");
    }

    #[test]
    fn no_guess_when_nothing_is_near() {
        let silence = Silence {
            branch: "main".to_owned(),
            files: 1,
            listed: vec![listed("cd.yml", &["rollback"], None)],
            ..Silence::default()
        };
        let m = Finding::Silent(silence)
            .silence_message("trigger-deploy")
            .unwrap();
        assert!(
            m.contains("so nothing would start: cd.yml listens for rollback;"),
            "{m}"
        );
        let empty = Finding::Silent(Silence {
            branch: "main".to_owned(),
            empty: true,
            ..Silence::default()
        });
        assert!(
            empty
                .silence_message("t")
                .unwrap()
                .contains("nothing would start: the repository is empty;")
        );
    }
}
