//! Sending the dispatches: one request per repository, paced within GitHub's
//! secondary limits, retried only when GitHub surely did not act.

use std::collections::VecDeque;
use std::time::Duration;

use reqwest::Method;
use tokio::time::Instant;

use crate::action::report::Reporter;
use crate::advice::{self, Failure};
use crate::auth::clients::Clients;
use crate::github::event::Event;
use crate::github::payload::request_body;
use crate::github::repo::Repository;
use crate::github::repo::WRITES_PER_MINUTE;
use crate::github::{MAX_ERROR_BODY, Problem, REQUEST_TIMEOUT, Request, Retry};
use crate::send::inputs::Inputs;
use crate::send::receiver::{Checker, Finding, Mode, Purpose, a_third_of};
use crate::util::time::{Clock, fmt_duration, now_epoch};

/// The shortest wait after a rate-limit answer that gives no time: GitHub's
/// guidance is "at least one minute", doubling each time after that.
const RATE_LIMIT_FLOOR: Duration = Duration::from_mins(1);

/// The dispatch request for one repository: a `repository_dispatch` or a
/// `workflow_dispatch`, as `event` says (as sent: with the correlation id).
#[must_use]
pub fn dispatch_request(inputs: &Inputs, event: &Event, repo: &Repository) -> Request {
    dispatch_request_with(inputs, event, repo, true)
}

/// [`dispatch_request`], a workflow dispatch's body with `return_run_details`
/// only if `run_details` (a server before run details refuses the key).
#[must_use]
pub fn dispatch_request_with(
    inputs: &Inputs,
    event: &Event,
    repo: &Repository,
    run_details: bool,
) -> Request {
    let (url, body) = match event {
        Event::Repository {
            event_type,
            payload,
        } => (
            inputs.api.repo_url(repo, "dispatches"),
            request_body(event_type, payload),
        ),
        Event::Workflow {
            workflow,
            git_ref,
            inputs: workflow_inputs,
        } => (
            inputs.api.repo_url(
                repo,
                &format!("actions/workflows/{}/dispatches", workflow.path_segment()),
            ),
            crate::github::workflow::request_body(git_ref, workflow_inputs.as_ref(), run_details),
        ),
    };
    Request {
        method: Method::POST,
        url,
        body: Some(body),
        if_none_match: None,
    }
}

/// How one repository's dispatch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub repo: Repository,
    /// Requests sent (0: never sent).
    pub attempts: u32,
    pub end: End,
    /// The receiver check told whether a workflow listens (it ran, and
    /// could tell).
    pub checked: bool,
}

/// Accepted, or not (refused, unknown, or never sent: the message says which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    Accepted(Accepted),
    Failed {
        http_status: Option<u16>,
        message: String,
    },
}

/// GitHub accepted the dispatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub http_status: u16,
    /// When GitHub answered (epoch seconds, and the monotonic instant): the
    /// start of the search for the run.
    pub epoch: u64,
    pub at: Instant,
    /// A note that GitHub redirected the repository's old name.
    pub moved: Option<String>,
    /// The run a `workflow_dispatch` started (id, web address), when GitHub
    /// said; `None` for a `repository_dispatch`.
    pub run: Option<(u64, String)>,
    /// The receiver check found that nothing would start (`warn`): why.
    pub unheard: Option<String>,
}

/// Dispatches to every repository in turn, before `deadline` (the end of
/// `timeout`, counted from the start of the dispatch phase), and returns one
/// outcome each, in input order. Every repository gets exactly one dispatch or an error that
/// says why not.
pub async fn dispatch_all(
    clients: &Clients,
    inputs: &Inputs,
    event: &Event,
    clock: Clock,
    deadline: Instant,
    report: &mut Reporter,
) -> Vec<Outcome> {
    let mut sender = Sender {
        clients,
        inputs,
        event,
        clock,
        pacer: Pacer::new(inputs.dispatch_interval, clock),
        deadline,
        run_details: true,
        refused_run_details: None,
    };
    let mut outcomes = Vec::with_capacity(inputs.repositories.len());
    let mut stop: Option<String> = None;
    let mut checker = receiver_checker(clients, inputs, clock, deadline);
    for (i, repo) in inputs.repositories.iter().enumerate() {
        let mut attempts = 0;
        let (heard, told) = match checker.as_mut() {
            Some(checker) if stop.is_none() && clients.get(repo).is_ok() => {
                // The dispatches still to come after this one's.
                let reserve = (inputs.repositories.len() - i - 1) as u64;
                check_first(
                    checker,
                    (inputs.check_receiver, reserve),
                    event,
                    repo,
                    deadline,
                    report,
                )
                .await
            }
            _ => (Heard::Send, false),
        };
        let end = if let Some(why) = &stop {
            End::Failed {
                http_status: None,
                message: why.clone(),
            }
        } else if let Err(failure) = clients.get(repo) {
            // No token for this owner (a GitHub App not installed there, say).
            report.error(&failure.title, &format!("{repo}: {}", failure.message));
            End::Failed {
                http_status: failure.http_status,
                message: failure.message,
            }
        } else if let Heard::Stop(nothing_listens) = &heard {
            if inputs.fail_fast && inputs.repositories.len() > 1 {
                stop = Some(format!("not sent: fail-fast stopped after {repo} failed"));
            }
            End::Failed {
                http_status: None,
                message: nothing_listens.clone(),
            }
        } else {
            match sender.send(repo, report, &mut attempts).await {
                Ok(answer) => {
                    if let Some(checker) = checker.as_mut() {
                        checker.saw(&answer);
                    }
                    let (epoch, at) = (now_epoch(), Instant::now());
                    report.info(&format!("dispatched {} to {repo}", event.describe()));
                    let moved = answer.moved_to.as_ref().map(|to| {
                        let note = advice::moved_note(repo, to);
                        report.notice(&format!("{repo}: {note}"));
                        note
                    });
                    let run = match event {
                        Event::Repository { .. } => None,
                        Event::Workflow { .. } => started_run(&answer, repo, report),
                    };
                    End::Accepted(Accepted {
                        http_status: answer.status.as_u16(),
                        epoch,
                        at,
                        moved,
                        run,
                        unheard: match heard {
                            Heard::SendUnheard(message) => Some(message),
                            Heard::Send | Heard::Stop(_) => None,
                        },
                    })
                }
                Err(failure) => {
                    report.error(&failure.title, &format!("{repo}: {}", failure.message));
                    if inputs.fail_fast && inputs.repositories.len() > 1 {
                        stop = Some(format!("not sent: fail-fast stopped after {repo} failed"));
                    }
                    End::Failed {
                        http_status: failure.http_status,
                        message: failure.message,
                    }
                }
            }
        };
        outcomes.push(Outcome {
            repo: repo.clone(),
            attempts,
            end,
            checked: told,
        });
    }
    outcomes
}

/// What the receiver check found, said.
enum Heard {
    /// Send (a listener, or the check could not tell).
    Send,
    /// Send, though nothing would start (`warn`): what was said.
    SendUnheard(String),
    /// Do not send (`fail`): the result's message.
    Stop(String),
}

/// The receiver check's checker, unless `check-receiver: off`: together its
/// checks take at most a third of `timeout`.
fn receiver_checker<'a>(
    clients: &'a Clients,
    inputs: &'a Inputs,
    clock: Clock,
    deadline: Instant,
) -> Option<Checker<'a>> {
    (inputs.check_receiver != Mode::Off).then(|| {
        let until = a_third_of(Instant::now(), deadline);
        Checker::new(clients, &inputs.api, clock, Purpose::Dispatch, until)
    })
}

/// The receiver check of one repository before its repository dispatch:
/// whether to send, and whether the check could tell.
async fn check_first(
    checker: &mut Checker<'_>,
    (mode, reserve): (Mode, u64),
    event: &Event,
    repo: &Repository,
    deadline: Instant,
    report: &mut Reporter,
) -> (Heard, bool) {
    let Event::Repository { event_type, .. } = event else {
        return (Heard::Send, false);
    };
    let finding = checker
        .check(repo, event_type.as_str(), deadline, reserve, report)
        .await;
    let told = matches!(finding, Finding::Listening { .. } | Finding::Silent(_));
    (
        said(&finding, mode, repo, event_type.as_str(), report),
        told,
    )
}

/// Says what the receiver check found, and whether to send.
fn said(
    finding: &Finding,
    mode: Mode,
    repo: &Repository,
    event_type: &str,
    report: &mut Reporter,
) -> Heard {
    match finding {
        Finding::Listening { branch, files } => {
            report.debug(|| format!("{repo}: {} on {branch} listens", files.join(", ")));
            Heard::Send
        }
        Finding::Silent(silence) => {
            let Some(message) = finding.silence_message(event_type) else {
                return Heard::Send;
            };
            // A file that could not be read might listen: not knowing is
            // never a reason not to send.
            if mode == Mode::Fail && !silence.unreadable.is_empty() {
                report.warning(&format!(
                    "{repo}: {message}; sent all the same: a file that could not be read might listen"
                ));
                return Heard::SendUnheard(message);
            }
            if mode == Mode::Fail {
                report.error(
                    "No workflow listens",
                    &format!("{repo}: {message}; not sent (check-receiver: fail)"),
                );
                Heard::Stop(format!("not sent: {message}"))
            } else {
                report.warning(&format!("{repo}: {message}"));
                Heard::SendUnheard(message)
            }
        }
        Finding::Unknown(why) => {
            report.notice(&format!(
                "{repo}: could not check whether a workflow listens for {event_type}: {why}; dispatching without the check"
            ));
            Heard::Send
        }
        Finding::Skipped => Heard::Send,
    }
}

/// The run a `workflow_dispatch` started, from GitHub's `200`; a `204` (a
/// GitHub Enterprise Server that predates `return_run_details`) or a body
/// that cannot be read leaves it unknown. Either way the dispatch was
/// accepted and is never sent again.
fn started_run(
    answer: &crate::github::Answer,
    repo: &Repository,
    report: &mut Reporter,
) -> Option<(u64, String)> {
    if answer.status.as_u16() == 204 {
        report.debug(|| {
            format!(
                "{repo}: 204, no run details (GitHub Enterprise Server before return_run_details)"
            )
        });
        return None;
    }
    let run = crate::github::workflow::started_run(&answer.body);
    match &run {
        Some((id, url)) => report.progress(&format!("{repo}: started run {id} {url}")),
        None => report.warning(&format!(
            "{repo}: GitHub accepted the workflow dispatch ({}) but its answer does not name the run it started; the dispatch stands and is not sent again",
            answer.status.as_u16()
        )),
    }
    run
}

/// Sends dispatches one at a time through the pacer, before the deadline.
struct Sender<'a> {
    clients: &'a Clients,
    inputs: &'a Inputs,
    event: &'a Event,
    clock: Clock,
    pacer: Pacer,
    deadline: Instant,
    /// Workflow dispatches carry `return_run_details`: true until the server
    /// refuses the key, then never again in this step (one server).
    run_details: bool,
    /// The last answer was that refusal (GitHub created nothing): what it
    /// said.
    refused_run_details: Option<String>,
}

impl Sender<'_> {
    /// One repository: sends, and on a failure GitHub surely did not act on
    /// (no connection, a rate limit) waits and sends again, at most `retries`
    /// more times and never past the deadline. Returns the success status.
    ///
    /// A workflow dispatch refused only for `return_run_details` (a GitHub
    /// Enterprise Server before run details) is sent once more at once
    /// without the key, which no later dispatch of the step carries either.
    async fn send(
        &mut self,
        repo: &Repository,
        report: &mut Reporter,
        attempts: &mut u32,
    ) -> Result<crate::github::Answer, Failure> {
        let mut rate_limited = 0u32;
        loop {
            let request = dispatch_request_with(self.inputs, self.event, repo, self.run_details);
            // A request needs at least a second before the deadline: one sent
            // with less would most likely end with no answer, and a dispatch
            // that may or may not have been created is worse than one not sent.
            let turn = self.pacer.wait_turn(self.deadline).await;
            let floor = self.clock.after(Duration::from_secs(1));
            if !turn || floor > self.deadline {
                return Err(advice::deadline_not_sent(
                    self.inputs.timeout,
                    self.inputs.voice,
                ));
            }
            *attempts += 1;
            self.pacer.record();
            let failure = match self.attempt(&request, repo, report, *attempts).await {
                Ok(status) => return Ok(status),
                Err(failure) => failure,
            };
            if let Some(said) = self.refused_run_details.take() {
                // Once: the key is never sent again, so neither is this.
                report.notice(&advice::predates_run_details(repo, &said));
                continue;
            }
            if matches!(failure.retry, Retry::RateLimited(_)) {
                rate_limited += 1;
            }
            let (why, wait) = self.plan_retry(failure, *attempts, rate_limited)?;
            report.progress(&format!(
                "{repo}: {why}; waiting {} before attempt {} of {}",
                fmt_duration(wait),
                *attempts + 1,
                self.inputs.retries + 1
            ));
            self.pacer.hold(wait);
        }
    }

    /// One request and its answer, shown in debug output.
    async fn attempt(
        &mut self,
        request: &Request,
        repo: &Repository,
        report: &mut Reporter,
        attempt: u32,
    ) -> Result<crate::github::Answer, Failure> {
        report.debug(|| {
            format!(
                "request (attempt {attempt}):\n{}",
                request.describe(self.inputs.credentials.is_some())
            )
        });
        let started = Instant::now();
        let remaining = self.deadline.saturating_duration_since(started);
        let timeout =
            REQUEST_TIMEOUT.min(self.clock.nominal(remaining).max(Duration::from_secs(1)));
        let cx = advice::Dispatch {
            repo,
            event: self.event,
            token: self.inputs.token().map(crate::secret::Token::kind),
            cut_by: (timeout < REQUEST_TIMEOUT).then_some(self.inputs.timeout),
            voice: self.inputs.voice,
        };
        let client = self.clients.get(repo)?;
        match client.send(request, timeout, MAX_ERROR_BODY).await {
            Ok(answer) => {
                report.debug(|| {
                    format!(
                        "response {} in {}: {}",
                        answer.status,
                        fmt_duration(self.clock.nominal(started.elapsed())),
                        answer.headers_shown()
                    )
                });
                if answer.status.is_success() {
                    return Ok(answer);
                }
                let problem = Problem::from_answer(&answer);
                if let Problem::Refused(refusal) = &problem
                    && self.run_details
                    && matches!(self.event, Event::Workflow { .. })
                    && crate::github::workflow::refuses_run_details(refusal.status, &refusal.error)
                {
                    self.run_details = false;
                    self.refused_run_details = Some(
                        refusal
                            .error
                            .message
                            .clone()
                            .unwrap_or_else(|| refusal.error.errors.join("; ")),
                    );
                }
                Err(advice::dispatch(&problem, &cx))
            }
            Err(problem) => {
                let failure = advice::dispatch(&problem, &cx);
                report.debug(|| format!("no answer: {}", failure.message));
                Err(failure)
            }
        }
    }

    /// Whether and how long to wait before sending again: only for failures
    /// GitHub surely did not act on (or 5xx on opt-in), within `retries`,
    /// `max-retry-wait` and the deadline. Returns why and how long, or the
    /// failure to report.
    fn plan_retry(
        &mut self,
        failure: Failure,
        attempts: u32,
        rate_limited: u32,
    ) -> Result<(String, Duration), Failure> {
        let inputs = self.inputs;
        let (why, wait) = match &failure.retry {
            Retry::NotSent => (
                "could not connect".to_owned(),
                backoff(Duration::from_secs(1), attempts),
            ),
            Retry::RateLimited(limit) => {
                self.pacer.slow_down();
                let wait = limit.asked_wait(now_epoch()).unwrap_or_else(|| {
                    RATE_LIMIT_FLOOR * 2u32.saturating_pow(rate_limited.saturating_sub(1))
                });
                (
                    format!("rate limited by GitHub ({})", advice::limit_kind(limit)),
                    with_jitter(wait),
                )
            }
            Retry::OnlyIfAsked if inputs.retry_on_server_error => (
                format!(
                    "GitHub answered {}; retrying because retry-on-server-error is true (the dispatch may arrive twice)",
                    failure.http_status.unwrap_or(0)
                ),
                backoff(Duration::from_secs(2), attempts),
            ),
            // A write is never `Repeat`: only reads are safe to repeat.
            Retry::OnlyIfAsked | Retry::Repeat | Retry::Never => return Err(failure),
        };
        let refuse = |why: String| Failure {
            message: format!("{}{why}", failure.message),
            ..failure.clone()
        };
        if attempts > inputs.retries {
            return Err(refuse(format!(" (gave up after {attempts} attempts)")));
        }
        if wait > inputs.max_retry_wait {
            return Err(refuse(format!(
                "; not retried: the wait ({}) is longer than max-retry-wait ({})",
                fmt_duration(wait),
                fmt_duration(inputs.max_retry_wait)
            )));
        }
        if self.clock.after(wait) > self.deadline {
            return Err(refuse(format!(
                "; not retried: waiting {} would pass the deadline (timeout {})",
                fmt_duration(wait),
                fmt_duration(inputs.timeout)
            )));
        }
        Ok((why, wait))
    }
}

/// `base * 2^(attempt-1)` plus jitter, for failures without a server-given wait.
fn backoff(base: Duration, attempt: u32) -> Duration {
    with_jitter(base * 2u32.saturating_pow(attempt.saturating_sub(1)).min(64))
}

/// Adds up to 10% so that many jobs limited at once do not return at once.
pub(crate) fn with_jitter(d: Duration) -> Duration {
    d.saturating_add(d.mul_f64(crate::util::random::fraction(0.1)))
}

/// Paces writes: one at a time, at least `interval` apart, never more than
/// [`WRITES_PER_MINUTE`] in any 60 seconds ("Best practices for using the REST
/// API": content-creating requests one at a time, at least a second apart).
#[derive(Debug)]
struct Pacer {
    interval: Duration,
    clock: Clock,
    sent: VecDeque<Instant>,
    not_before: Option<Instant>,
}

impl Pacer {
    fn new(interval: Duration, clock: Clock) -> Self {
        Self {
            interval,
            clock,
            sent: VecDeque::with_capacity(WRITES_PER_MINUTE),
            not_before: None,
        }
    }

    /// The earliest moment the next write may go.
    fn next_slot(&self) -> Option<Instant> {
        let by_interval = self
            .sent
            .back()
            .map(|last| *last + self.clock.real(self.interval));
        let by_window = (self.sent.len() >= WRITES_PER_MINUTE).then(|| {
            // A little margin: the server sees each request slightly after we send it.
            self.sent[self.sent.len() - WRITES_PER_MINUTE]
                + self.clock.real(Duration::from_millis(60_250))
        });
        [by_interval, by_window, self.not_before]
            .into_iter()
            .flatten()
            .max()
    }

    /// Sleeps until the next write may go; false if that is past the deadline.
    async fn wait_turn(&mut self, deadline: Instant) -> bool {
        match self.next_slot() {
            Some(at) if at > deadline => false,
            Some(at) => {
                self.clock.sleep_until(at).await;
                true
            }
            None => true,
        }
    }

    fn record(&mut self) {
        self.sent.push_back(Instant::now());
        if self.sent.len() > WRITES_PER_MINUTE {
            self.sent.pop_front();
        }
    }

    /// Holds every write (this repository's retry and the rest) for `wait`.
    fn hold(&mut self, wait: Duration) {
        self.not_before = Some(self.clock.after(wait));
    }

    /// After a rate-limit answer, the rest of a fan-out goes slower: the
    /// interval doubles, to at least one second and at most a minute.
    fn slow_down(&mut self) {
        self.interval = (self.interval * 2).clamp(Duration::from_secs(1), Duration::from_mins(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_adds_at_most_a_tenth() {
        for secs in [1, 60, 3600] {
            let d = Duration::from_secs(secs);
            let j = with_jitter(d);
            assert!(j >= d && j <= d + d / 10, "{j:?}");
        }
        assert_eq!(with_jitter(Duration::ZERO), Duration::ZERO);
        assert_eq!(with_jitter(Duration::MAX), Duration::MAX);
    }

    #[test]
    fn jitter_spreads_over_the_tenth() {
        // Jobs limited at once must not come back at once: over 200 draws, some
        // add under a quarter of the tenth and some over three quarters (each
        // fails by chance with probability 0.75^200).
        let d = Duration::from_secs(10);
        let extras: Vec<Duration> = (0..200)
            .map(|_| {
                with_jitter(d)
                    .checked_sub(d)
                    .expect("jitter never shortens")
            })
            .collect();
        assert!(extras.iter().all(|e| *e < d / 10), "{extras:?}");
        assert!(
            extras.iter().any(|e| *e < Duration::from_millis(250)),
            "{extras:?}"
        );
        assert!(
            extras.iter().any(|e| *e > Duration::from_millis(750)),
            "{extras:?}"
        );
    }

    #[test]
    fn backoff_doubles() {
        let b = |n| backoff(Duration::from_secs(1), n).as_secs_f64();
        assert!((1.0..=1.1).contains(&b(1)));
        assert!((2.0..=2.2).contains(&b(2)));
        assert!((4.0..=4.4).contains(&b(3)));
    }

    /// What `plan_retry` may use: retries, max-retry-wait, the time left
    /// before the deadline and retry-on-server-error.
    #[derive(Clone, Copy)]
    struct Limits {
        retries: u32,
        max_wait: Duration,
        left: Duration,
        on_5xx: bool,
    }

    const ROOMY: Limits = Limits {
        retries: 100,
        max_wait: Duration::from_hours(1),
        left: Duration::from_hours(2),
        on_5xx: true,
    };

    /// What `plan_retry` decides.
    #[derive(Debug)]
    enum Plan {
        /// Retry, saying why, after the wait before jitter (at most a tenth more).
        Wait(&'static str, Duration),
        /// Report the failure, its message extended by this (`{wait}` stands
        /// for the jittered wait as shown).
        Refused(&'static str),
    }

    fn rate_limit(retry_after: Option<u64>, secondary: bool) -> Retry {
        Retry::RateLimited(crate::github::RateLimit {
            retry_after: retry_after.map(Duration::from_secs),
            remaining: None,
            reset: None,
            secondary,
        })
    }

    fn inputs(limits: Limits) -> Inputs {
        let env = crate::action::env::Env::from_pairs([
            ("INPUT_TOKEN", "ghp_abc"),
            ("INPUT_REPOSITORY", "octo/deploy"),
            ("INPUT_EVENT-TYPE", "trigger-deploy"),
        ]);
        let (raw, errors) = crate::send::inputs::RawInputs::from_env_and_flags(
            &env,
            crate::send::cli::Flags::default(),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let mut inputs = Inputs::validate(&raw).unwrap();
        inputs.retries = limits.retries;
        inputs.max_retry_wait = limits.max_wait;
        inputs.retry_on_server_error = limits.on_5xx;
        inputs
    }

    /// Asserts what `plan_retry` decides after `attempts` attempts, the last
    /// failing with `retry` and `rate_limited` of them answered with a rate
    /// limit. The clock is paused, so the deadline is exactly `left` away.
    fn check(retry: Retry, attempts: u32, rate_limited: u32, limits: Limits, expected: Plan) {
        let case = format!("{retry:?} after {attempts} ({rate_limited} limited)");
        let clock = Clock::default();
        let tls =
            crate::github::net::tls::client_config(&crate::action::env::Env::default()).unwrap();
        let client = Clients::one(
            crate::github::Client::new(tls, None, clock, crate::github::net::proxy::Route::Direct)
                .unwrap(),
        );
        let inputs = inputs(limits);
        let mut sender = Sender {
            clients: &client,
            inputs: &inputs,
            event: &inputs.event,
            clock,
            pacer: Pacer::new(inputs.dispatch_interval, clock),
            deadline: Instant::now() + limits.left,
            run_details: true,
            refused_run_details: None,
        };
        let failure = Failure {
            title: "Title".to_owned(),
            message: "it failed".to_owned(),
            http_status: Some(503),
            retry,
        };
        match (
            sender.plan_retry(failure.clone(), attempts, rate_limited),
            expected,
        ) {
            (Ok((why, wait)), Plan::Wait(expected_why, base)) => {
                assert_eq!(why, expected_why, "{case}");
                assert!(wait >= base && wait <= base + base / 10, "{case}: {wait:?}");
            }
            (Err(refused), Plan::Refused(added)) => {
                let (before, after) = added.split_once("{wait}").unwrap_or((added, ""));
                let rest = refused.message.strip_prefix("it failed").unwrap();
                assert!(
                    rest.starts_with(before) && rest[before.len()..].ends_with(after),
                    "{case}: {rest}"
                );
                if after.is_empty() {
                    assert_eq!(rest, before, "{case}");
                }
                assert_eq!(
                    Failure {
                        message: failure.message.clone(),
                        ..refused
                    },
                    failure,
                    "{case}"
                );
            }
            (got, expected) => panic!("{case}: {got:?}, expected {expected:?}"),
        }
    }

    const NO_CONNECTION: &str = "could not connect";
    const SERVER: &str = "GitHub answered 503; retrying because retry-on-server-error is true (the dispatch may arrive twice)";
    const SECONDARY: &str = "rate limited by GitHub (secondary rate limit)";
    const PRIMARY: &str = "rate limited by GitHub (API rate limit)";

    /// Limits of `retries`, a max-retry-wait of `max_wait` s and `left` ms
    /// before the deadline.
    fn limits(retries: u32, max_wait: u64, left: u64) -> Limits {
        Limits {
            retries,
            max_wait: Duration::from_secs(max_wait),
            left: Duration::from_millis(left),
            on_5xx: true,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_plans() {
        use Plan::{Refused, Wait};
        let s = Duration::from_secs;
        let no_5xx = Limits {
            on_5xx: false,
            ..ROOMY
        };
        for (retry, attempts, expected) in [
            // No connection: 1s, doubling with each attempt, the factor at most 64.
            (Retry::NotSent, 1, Wait(NO_CONNECTION, s(1))),
            (Retry::NotSent, 2, Wait(NO_CONNECTION, s(2))),
            (Retry::NotSent, 3, Wait(NO_CONNECTION, s(4))),
            (Retry::NotSent, 7, Wait(NO_CONNECTION, s(64))),
            (Retry::NotSent, 8, Wait(NO_CONNECTION, s(64))),
            (Retry::NotSent, 40, Wait(NO_CONNECTION, s(64))),
            // A 5xx: 2s, doubling, only with retry-on-server-error.
            (Retry::OnlyIfAsked, 1, Wait(SERVER, s(2))),
            (Retry::OnlyIfAsked, 3, Wait(SERVER, s(8))),
            (Retry::OnlyIfAsked, 9, Wait(SERVER, s(128))),
            // Anything else: the failure as it was.
            (Retry::Never, 1, Refused("")),
        ] {
            check(retry, attempts, 0, ROOMY, expected);
        }
        check(Retry::OnlyIfAsked, 1, 0, no_5xx, Refused(""));
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limit_plans() {
        use Plan::Wait;
        let s = Duration::from_secs;
        let unasked = |secondary| rate_limit(None, secondary);
        for (retry, attempts, rate_limited, expected) in [
            // No time given: a minute, doubling with each rate-limit answer
            // (not with each attempt).
            (unasked(true), 1, 1, Wait(SECONDARY, s(60))),
            (unasked(false), 2, 2, Wait(PRIMARY, s(120))),
            (unasked(true), 3, 3, Wait(SECONDARY, s(240))),
            (unasked(true), 5, 1, Wait(SECONDARY, s(60))),
            (unasked(true), 5, 2, Wait(SECONDARY, s(120))),
            // A time given: that, however many came before.
            (rate_limit(Some(30), true), 3, 3, Wait(SECONDARY, s(30))),
            (rate_limit(Some(30), false), 1, 1, Wait(PRIMARY, s(30))),
        ] {
            check(retry, attempts, rate_limited, ROOMY, expected);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retry_limits() {
        use Plan::{Refused, Wait};
        let s = Duration::from_secs;
        let zero = Duration::ZERO;
        let asked = |secs| rate_limit(Some(secs), true);
        let gave_up = " (gave up after 4 attempts)";
        let past = "; not retried: waiting {wait} would pass the deadline (timeout 10m)";
        for (retry, attempts, limits, expected) in [
            // At most `retries` retries: after attempt `retries` + 1, give up.
            (
                Retry::NotSent,
                3,
                limits(3, 300, 600_000),
                Wait(NO_CONNECTION, s(4)),
            ),
            (Retry::NotSent, 4, limits(3, 300, 600_000), Refused(gave_up)),
            (
                Retry::OnlyIfAsked,
                4,
                limits(3, 300, 600_000),
                Refused(gave_up),
            ),
            (
                rate_limit(None, true),
                4,
                limits(3, 3600, 7_200_000),
                Refused(gave_up),
            ),
            (
                Retry::NotSent,
                1,
                limits(0, 300, 600_000),
                Refused(" (gave up after 1 attempts)"),
            ),
            // A wait up to max-retry-wait is waited; a longer one is refused.
            (asked(0), 1, limits(3, 0, 600_000), Wait(SECONDARY, zero)),
            (
                asked(1),
                1,
                limits(3, 0, 600_000),
                Refused("; not retried: the wait ({wait}) is longer than max-retry-wait (0ms)"),
            ),
            (asked(60), 1, limits(3, 66, 600_000), Wait(SECONDARY, s(60))),
            (
                asked(60),
                1,
                limits(3, 59, 600_000),
                Refused("; not retried: the wait ({wait}) is longer than max-retry-wait (59s)"),
            ),
            (
                Retry::NotSent,
                3,
                limits(3, 3, 600_000),
                Refused("; not retried: the wait ({wait}) is longer than max-retry-wait (3s)"),
            ),
            // A wait that ends at the deadline is waited; one past it is refused.
            (asked(0), 1, limits(3, 300, 0), Wait(SECONDARY, zero)),
            (asked(60), 1, limits(3, 300, 66_000), Wait(SECONDARY, s(60))),
            (asked(1), 1, limits(3, 300, 999), Refused(past)),
            (Retry::NotSent, 2, limits(3, 300, 1999), Refused(past)),
        ] {
            check(retry, attempts, attempts, limits, expected);
        }
        // Two rate limits without a time: two minutes, within max-retry-wait or not.
        check(
            rate_limit(None, true),
            2,
            2,
            limits(3, 132, 600_000),
            Wait(SECONDARY, s(120)),
        );
        check(
            rate_limit(None, true),
            2,
            2,
            limits(3, 119, 600_000),
            Refused("; not retried: the wait ({wait}) is longer than max-retry-wait (1m59s)"),
        );
    }

    #[test]
    fn moved_notes() {
        let repo = Repository::parse("octo/old-name").unwrap();
        let by_id = |id: &str| {
            format!(
                "GitHub redirected octo/old-name to repository id {id}: it was renamed or transferred; use its new name (redirects from an old name stop when a new repository takes it)"
            )
        };
        let as_is = |to: &str| {
            format!(
                "GitHub redirected the request for octo/old-name to {to}: if it was renamed or transferred, use its new name"
            )
        };
        for (to, expected) in [
            (
                "https://api.github.com/repositories/4242/dispatches",
                by_id("4242"),
            ),
            ("https://api.github.com/repositories/7", by_id("7")),
            (
                "https://api.github.com/repositories//dispatches",
                as_is("https://api.github.com/repositories//dispatches"),
            ),
            (
                "https://api.github.com/repositories/42x/dispatches",
                as_is("https://api.github.com/repositories/42x/dispatches"),
            ),
            (
                "https://api.github.com/repos/octo/new-name/dispatches",
                as_is("https://api.github.com/repos/octo/new-name/dispatches"),
            ),
        ] {
            assert_eq!(crate::advice::moved_note(&repo, to), expected, "{to}");
        }
    }

    /// Asserts when a pacer with `interval` lets the next write go after
    /// writes at `sent` (milliseconds from the start) and a hold of `held` ms
    /// placed at the last one: `expected` ms from the start, `None` for at once.
    async fn check_slot(interval: u64, sent: &[u64], held: Option<u64>, expected: Option<u64>) {
        let case = format!("interval {interval}ms, sent at {sent:?}, held {held:?}");
        let ms = Duration::from_millis;
        let mut p = Pacer::new(ms(interval), Clock::default());
        let start = Instant::now();
        for at in sent {
            tokio::time::sleep_until(start + ms(*at)).await;
            p.record();
        }
        if let Some(held) = held {
            p.hold(ms(held));
        }
        assert_eq!(
            p.next_slot().map(|at| at - start),
            expected.map(ms),
            "{case}"
        );
        if let Some(slot) = expected {
            // A deadline just before the slot is missed; one at the slot is met.
            assert!(!p.wait_turn(start + ms(slot) - ms(1)).await, "{case}");
            assert!(p.wait_turn(start + ms(slot)).await, "{case}");
            assert_eq!(
                Instant::now() - start,
                ms(slot.max(*sent.last().unwrap_or(&0))),
                "{case}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn pacer_slots() {
        let burst = |n: usize, at: u64| vec![at; n];
        let then = |mut a: Vec<u64>, b: Vec<u64>| {
            a.extend(b);
            a
        };
        // Nothing sent yet: at once.
        check_slot(1000, &[], None, None).await;
        // One interval after the last write.
        check_slot(1000, &[0], None, Some(1000)).await;
        check_slot(1000, &[0, 1000, 2500], None, Some(3500)).await;
        // A hold pushes the next write past the interval.
        check_slot(1000, &[0], Some(5000), Some(5000)).await;
        check_slot(5000, &[0], Some(1000), Some(5000)).await;
        // At most 80 writes in any 60 s (with a margin of 250 ms), counted
        // from the oldest of the last 80.
        check_slot(0, &burst(79, 0), None, Some(0)).await;
        check_slot(0, &burst(80, 0), None, Some(60_250)).await;
        check_slot(0, &then(vec![0], burst(79, 10_000)), None, Some(60_250)).await;
        check_slot(0, &then(vec![0], burst(80, 10_000)), None, Some(70_250)).await;
        check_slot(0, &then(burst(2, 0), burst(79, 10_000)), None, Some(60_250)).await;
    }

    #[tokio::test(start_paused = true)]
    async fn pacer_keeps_interval_and_window() {
        let clock = Clock::default();
        let mut p = Pacer::new(Duration::ZERO, clock);
        let start = Instant::now();
        let far = start + Duration::from_hours(1);
        for _ in 0..WRITES_PER_MINUTE {
            assert!(p.wait_turn(far).await);
            p.record();
        }
        assert!(start.elapsed() < Duration::from_millis(1));
        assert!(p.wait_turn(far).await);
        assert!(
            start.elapsed() >= Duration::from_mins(1),
            "{:?}",
            start.elapsed()
        );
        let mut q = Pacer::new(Duration::from_secs(1), clock);
        q.record();
        let t = Instant::now();
        assert!(q.wait_turn(far).await);
        assert!(t.elapsed() >= Duration::from_secs(1));
        q.slow_down();
        assert_eq!(q.interval, Duration::from_secs(2));
        q.record();
        assert!(
            !q.wait_turn(Instant::now() + Duration::from_millis(500))
                .await
        );
    }
}
