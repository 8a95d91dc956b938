//! The sending flow: flags and inputs, the dispatches, watching the runs.

pub mod cli;
pub mod dispatch;
pub mod fields;
pub mod inputs;
pub mod raw;
pub mod receiver;
pub mod results;
pub mod runs;

use crate::auth::mint;
use crate::github::net::{proxy, tls};
use crate::util::random;

use std::ffi::OsString;
use std::io::Write;
use std::time::Instant;

use crate::action::Exit;
use crate::action::env::{Env, InputError};
use crate::action::report::{Reporter, with_reporter};
use crate::action::signal::{race, stop_signal};
use crate::action::spec;
use crate::auth::Credentials;
use crate::auth::clients::Clients;
use crate::github::Client;
use crate::github::event::Event;
use crate::github::net::proxy::Route;
use crate::github::payload::DISPATCH_ID_LEN;
use crate::github::repo::ApiBase;
use crate::secret::Token;
use crate::send::inputs::{Inputs, RawInputs};
use crate::util::time::{Clock, fmt_duration};
use cli::Command;
use dispatch::End;
use results::{RepoResult, Status, summary_markdown};
use runs::{Conclusion, Start, Target};

/// The sending flow: parses flags and environment, validates, sends, reports.
/// `stderr_is_terminal` lets waiting redraw a live line per run there.
/// Returns the exit code.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    env: &Env,
    stdout: Box<dyn Write + Send>,
    stderr: Box<dyn Write + Send>,
    stderr_is_terminal: bool,
) -> u8 {
    let started = Instant::now();
    with_reporter(env, stdout, stderr, stderr_is_terminal, |report| {
        run_with(args, env, report, started)
    })
}

fn run_with(
    args: impl IntoIterator<Item = OsString>,
    env: &Env,
    report: &mut Reporter,
    started: Instant,
) -> Exit {
    let plan = match prepare(args, env, report) {
        Ok(Prepared::Send(plan)) => *plan,
        Ok(Prepared::Answered) => return Exit::Success,
        Err(exit) => return exit,
    };
    report.debug(|| {
        format!(
            "timing: inputs validated in {}",
            fmt_duration(started.elapsed())
        )
    });
    if plan.inputs.dry_run {
        show_dry_run(&plan, report);
        return Exit::Success;
    }
    execute(plan, report, started)
}

/// Everything checked, nothing sent yet.
struct Plan {
    inputs: Inputs,
    /// The event as sent: a repository dispatch's payload carries the
    /// correlation id when waiting for the run.
    event: Event,
    dispatch_id: Option<String>,
    tls: rustls::ClientConfig,
    clock: Clock,
    /// Directly or through which proxy: one decision for every request.
    route: Route,
}

/// What the command line asked for, once it is understood.
enum Prepared {
    /// Everything is valid: send.
    Send(Box<Plan>),
    /// `--help` or `--version`, answered.
    Answered,
}

/// Parses and validates flags, inputs and environment, masking the token
/// first. Returns an error (the exit, its reasons printed) if and only if
/// nothing can be sent: an input is invalid, or there are no random numbers
/// for the correlation id.
fn prepare(
    args: impl IntoIterator<Item = OsString>,
    env: &Env,
    report: &mut Reporter,
) -> Result<Prepared, Exit> {
    let flags = match cli::parse(args) {
        Ok(Command::Help) => {
            report.info_block(spec::usage().trim_end());
            return Ok(Prepared::Answered);
        }
        Ok(Command::Version) => {
            report.info(&format!(
                "repository-dispatch {}",
                env!("CARGO_PKG_VERSION")
            ));
            return Ok(Prepared::Answered);
        }
        Ok(Command::Run(flags)) => {
            if flags.json {
                report.print_json();
            }
            flags
        }
        Err(e) => return Err(invalid(report, &[e])),
    };
    let (raw, errors) = RawInputs::from_env_and_flags(env, flags);
    // Before anything else is printed: from here on the runner hides the token.
    for secret in raw.secrets_to_mask() {
        report.mask(&secret);
    }
    if !errors.is_empty() {
        return Err(invalid(report, &errors));
    }
    let inputs = Inputs::validate(&raw).map_err(|errors| invalid(report, &errors))?;
    let clock = env.clock().map_err(|e| invalid(report, &[e]))?;
    let tls = tls::client_config(env).map_err(|e| invalid(report, &[e]))?;
    let route = proxy::choose(env, inputs.api.as_str()).map_err(|e| invalid(report, &[e]))?;
    proxy::check_plain_http_route(
        &inputs.api,
        &route,
        inputs.allow_insecure_http,
        inputs.voice,
    )
    .map_err(|e| invalid(report, &[e]))?;
    report
        .check_output_file()
        .map_err(|e| invalid(report, &[e]))?;
    // A repository dispatch's run is found by a correlation id in its
    // payload; a workflow dispatch's run is named in GitHub's answer.
    let dispatch_id = match (&inputs.wait, &inputs.event) {
        (Some(_), Event::Repository { .. }) => Some(correlation_id().map_err(|e| {
            report.error("No random numbers", &format!("{e:#}; nothing was sent"));
            Exit::Failure
        })?),
        _ => None,
    };
    let event = match (&inputs.wait, &dispatch_id, &inputs.event) {
        (
            Some(wait),
            Some(id),
            Event::Repository {
                event_type,
                payload,
            },
        ) => Event::Repository {
            event_type: event_type.clone(),
            payload: payload
                .with_property(&wait.key, id)
                .map_err(|e| invalid(report, &[InputError::new("client-payload", e)]))?,
        },
        _ => inputs.event.clone(),
    };
    Ok(Prepared::Send(Box::new(Plan {
        inputs,
        event,
        dispatch_id,
        tls,
        clock,
        route,
    })))
}

/// Prints the exact requests a real run would send; sends nothing.
fn show_dry_run(plan: &Plan, report: &mut Reporter) {
    let inputs = &plan.inputs;
    if inputs.app().is_some() {
        // The GitHub App's JWT stands in for `***` in these.
        for request in mint::planned_requests(inputs.mint_settings(), &plan.event) {
            report.info_block(request.describe(true).trim_end());
        }
    }
    for repo in &inputs.repositories {
        let request = dispatch::dispatch_request(inputs, &plan.event, repo);
        report.info_block(request.describe(inputs.credentials.is_some()).trim_end());
    }
    report.progress(&format!(
        "note: the requests would go to {} {}",
        inputs.api.as_str(),
        plan.route
    ));
    if let Some(app) = inputs.app() {
        report.progress(&format!(
            "note: as the GitHub App {}, one token per owner would be minted for its repositories, used for them, and revoked (DELETE {}/installation/token) at the end",
            app.issuer.as_str(),
            inputs.api.as_str()
        ));
    } else if inputs.credentials.is_none() {
        report.progress(
            "note: no token was given; a real run needs GITHUB_TOKEN, GH_TOKEN or --token-file",
        );
    }
    if let Some(id) = &plan.dispatch_id {
        report.progress(&format!(
            "note: with --wait, the run whose title holds {id} would then be followed"
        ));
    }
    if inputs.check_receiver_asked && inputs.check_receiver != receiver::Mode::Off {
        check_in_dry_run(plan, report);
    }
}

/// `--dry-run --check-receiver warn|fail`: the receiver check's reads (never
/// a write), and which workflow files would start in each repository, or
/// why none would.
fn check_in_dry_run(plan: &Plan, report: &mut Reporter) {
    let inputs = &plan.inputs;
    let Event::Repository { event_type, .. } = &plan.event else {
        return;
    };
    let token = match &inputs.credentials {
        Some(Credentials::App(_)) => {
            report.progress("note: the receiver check was not made: with a GitHub App it needs a minted token, and minting is a write, which a dry run never makes");
            return;
        }
        None => {
            report.progress("note: the receiver check was not made: it reads the workflows with the token, and none was given");
            return;
        }
        Some(Credentials::Token(token)) => token.clone(),
    };
    let client = match Client::new(
        plan.tls.clone(),
        Some(token),
        plan.clock,
        plan.route.clone(),
    ) {
        Ok(c) => c,
        Err(e) => {
            report.error("HTTP client", &format!("{e:#}"));
            return;
        }
    };
    let clients = Clients::one(client);
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        report.error("Runtime", "could not start the async runtime");
        return;
    };
    runtime.block_on(async {
        let deadline = plan.clock.after(inputs.timeout);
        let until = receiver::a_third_of(tokio::time::Instant::now(), deadline);
        let mut checker = receiver::Checker::new(
            &clients,
            &inputs.api,
            plan.clock,
            receiver::Purpose::DryRun,
            until,
        );
        for repo in &inputs.repositories {
            let finding = checker
                .check(repo, event_type.as_str(), deadline, 0, report)
                .await;
            match &finding {
                receiver::Finding::Listening { branch, files } => report.info(&format!(
                    "{repo}: would start {} (on {branch}, listening for {})",
                    files.join(", "),
                    event_type.as_str()
                )),
                receiver::Finding::Silent(_) => {
                    if let Some(m) = finding.silence_message(event_type.as_str()) {
                        report.warning(&format!("{repo}: {m}"));
                    }
                }
                receiver::Finding::Unknown(why) => report.notice(&format!(
                    "{repo}: could not check whether a workflow listens for {}: {why}",
                    event_type.as_str()
                )),
                receiver::Finding::Skipped => {}
            }
        }
    });
}

/// Sends the dispatches, follows the runs if asked, and reports.
fn execute(plan: Plan, report: &mut Reporter, started: Instant) -> Exit {
    let Plan {
        inputs,
        event,
        dispatch_id,
        tls,
        clock,
        route,
    } = plan;
    report.debug(|| format!("route: to {} {route}", inputs.api.as_str()));
    // One client per credential: the token, or (a GitHub App) the JWT and
    // each owner's minted token.
    let new_client = |token: Option<Token>| Client::new(tls.clone(), token, clock, route.clone());
    let via = match &inputs.credentials {
        Some(Credentials::App(app)) => Via::App(app),
        // No credentials only in a dry run, which sends nothing.
        Some(Credentials::Token(_)) | None => match new_client(inputs.token().cloned()) {
            Ok(c) => Via::Client(c),
            Err(e) => {
                report.error("HTTP client", &format!("{e:#}"));
                return Exit::Failure;
            }
        },
    };
    let mint_client = |token: Token| new_client(Some(token));
    if let Some(warning) = inputs.outlives_tokens() {
        report.warning(&warning);
    }
    report.debug(|| {
        format!(
            "timing: client ready at {}",
            fmt_duration(started.elapsed())
        )
    });
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report.error(
                "Runtime",
                &format!("could not start the async runtime: {e}"),
            );
            return Exit::Failure;
        }
    };
    let outcome = runtime.block_on(async {
        // `timeout` bounds the whole dispatch phase, minting App tokens included.
        let deadline = clock.after(inputs.timeout);
        let (clients, minted) = match via {
            Via::Client(client) => (Clients::one(client), None),
            Via::App(app) => {
                let tokens = mint::mint_all(
                    app,
                    inputs.mint_settings(),
                    &event,
                    &mint_client,
                    clock,
                    deadline,
                    report,
                )
                .await;
                (mint::clients(&tokens, &mint_client), Some(tokens))
            }
        };
        let sending = Sending {
            clients: &clients,
            inputs: &inputs,
            event: &event,
            dispatch_id: dispatch_id.as_deref(),
            clock,
            deadline,
            started,
        };
        match minted.as_ref().filter(|t| !t.minted.is_empty()) {
            Some(tokens) => {
                send_and_revoke(&sending, tokens, &inputs.api, &mint_client, report).await
            }
            None => Ok(send_and_watch(&sending, report).await),
        }
    });
    match outcome {
        Ok((dispatches, runs)) => finish(
            &inputs,
            dispatch_id.as_deref(),
            dispatches,
            runs,
            report,
            started,
        ),
        Err(message) => {
            report.error("Stopped", &message);
            Exit::Failure
        }
    }
}

/// How the requests are authenticated: through one client (the token), or
/// per owner through the tokens a GitHub App mints.
enum Via<'a> {
    Client(Client),
    App(&'a mint::App),
}

/// What sending and watching share.
struct Sending<'a> {
    clients: &'a Clients,
    inputs: &'a Inputs,
    event: &'a Event,
    dispatch_id: Option<&'a str>,
    clock: Clock,
    deadline: tokio::time::Instant,
    started: Instant,
}

/// Dispatches to every repository, then, with `wait-for-run`, watches the
/// runs of the accepted ones.
async fn send_and_watch(
    s: &Sending<'_>,
    report: &mut Reporter,
) -> (Vec<dispatch::Outcome>, Vec<runs::Outcome>) {
    let Sending {
        clients,
        inputs,
        event,
        dispatch_id,
        clock,
        deadline,
        started,
    } = *s;
    let dispatches = dispatch::dispatch_all(clients, inputs, event, clock, deadline, report).await;
    report.debug(|| {
        format!(
            "timing: dispatch done at {}",
            fmt_duration(started.elapsed())
        )
    });
    let runs = match &inputs.wait {
        Some(wait) => {
            let workflow = matches!(event, Event::Workflow { .. });
            let targets: Vec<Target> = dispatches
                .iter()
                .filter_map(|d| match &d.end {
                    End::Accepted(a) => Some(Target {
                        repo: d.repo.clone(),
                        dispatched_at: a.epoch,
                        started: a.at,
                        run: match (&a.run, workflow) {
                            (Some((id, url)), _) => Start::Follow(*id, url.clone()),
                            (None, true) => Start::Unknown,
                            (None, false) => Start::Discover,
                        },
                        checked: d.checked,
                    }),
                    End::Failed { .. } => None,
                })
                .collect();
            let mut watcher = runs::Watcher::new(clients, inputs, wait, dispatch_id, clock);
            runs::watch_all(&mut watcher, targets, report).await
        }
        None => Vec::new(),
    };
    (dispatches, runs)
}

/// [`send_and_watch`] with minted tokens: a stop (Ctrl-C; the runner's
/// SIGINT, then SIGTERM, when a job is cancelled) ends it early, and then
/// every token is revoked at once, whatever happened, within
/// `mint::REVOKE_WITHIN`, or `mint::REVOKE_AFTER_STOP` of a stop (before or
/// while revoking); what is not revoked is left for the post step. Says which
/// tokens were revoked and which left. `Err`: the stop that ended the work,
/// with what became of the tokens.
async fn send_and_revoke(
    sending: &Sending<'_>,
    tokens: &mint::Tokens,
    api: &ApiBase,
    new_client: &mint::NewClient<'_>,
    report: &mut Reporter,
) -> Result<(Vec<dispatch::Outcome>, Vec<runs::Outcome>), String> {
    let mut stop = std::pin::pin!(stop_signal());
    let outcome = race(send_and_watch(sending, report), stop.as_mut()).await;
    let stop = match &outcome {
        Ok(_) => mint::Stop::Awaited(stop),
        Err(signal) => mint::Stop::Came(signal),
    };
    let revocation =
        mint::revoke_at_end(tokens, api, new_client, sending.clock, stop, report).await;
    let said = revocation.said(if report.in_actions() {
        "left for the post step"
    } else {
        // No post step runs after a shell's command.
        "left to expire within the hour"
    });
    match (outcome, revocation.stopped_by) {
        (Err(signal), _) => Err(format!(
            "stopped by {signal}: dispatches already sent stand, and nothing more was sent; {said}"
        )),
        (Ok(done), Some(signal)) => {
            report.warning(&format!("stopped by {signal} while revoking: {said}"));
            Ok(done)
        }
        (Ok(done), None) => {
            report.info(&said);
            Ok(done)
        }
    }
}

/// The `results` entry of one repository, built once from how its dispatch
/// ended and, if its run was followed, how that ended.
fn record(dispatch: dispatch::Outcome, run: Option<runs::Outcome>) -> RepoResult {
    let (status, http_status, message, moved, started, unheard) = match dispatch.end {
        End::Accepted(a) => (
            Status::Dispatched,
            Some(a.http_status),
            // The receiver check's warning stays with the result.
            a.unheard.as_ref().map_or_else(
                || "dispatched".to_owned(),
                |u| format!("dispatched, but {u}"),
            ),
            a.moved,
            a.run,
            a.unheard,
        ),
        End::Failed {
            http_status,
            message,
        } => {
            let status = if dispatch.attempts == 0 {
                Status::NotSent
            } else {
                Status::Failed
            };
            (status, http_status, message, None, None, None)
        }
    };
    // A workflow dispatch names its run even when it is not followed.
    let run = run.unwrap_or_else(|| runs::Outcome {
        run_id: started.as_ref().map(|(id, _)| *id),
        run_url: started.map(|(_, url)| url),
        ..runs::Outcome::default()
    });
    RepoResult {
        repository: dispatch.repo.to_string(),
        status,
        http_status,
        message: match (run.message.is_empty(), &unheard) {
            (true, _) => message,
            (false, None) => run.message,
            // The warning from before the dispatch explains a run not found.
            (false, Some(why)) => format!("{}; before sending: {why}", run.message),
        },
        attempts: dispatch.attempts,
        run_id: run.run_id,
        run_url: run.run_url,
        conclusion: run.conclusion,
        moved,
        unheard,
    }
}

fn invalid(report: &mut Reporter, errors: &[InputError]) -> Exit {
    for e in errors {
        report.input_error(e);
    }
    Exit::Invalid
}

/// A fresh id in the form of a UUID, from the operating system's random
/// numbers (`random::hex128`).
fn correlation_id() -> anyhow::Result<String> {
    let hex = random::hex128()?;
    let id = format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    debug_assert_eq!(id.len(), DISPATCH_ID_LEN);
    Ok(id)
}

/// The results, outputs, summary and the exit code. `runs` holds the outcome
/// of every accepted dispatch's run, in the same order, when runs were
/// followed.
fn finish(
    inputs: &Inputs,
    dispatch_id: Option<&str>,
    dispatches: Vec<dispatch::Outcome>,
    runs: Vec<runs::Outcome>,
    report: &mut Reporter,
    started: Instant,
) -> Exit {
    let mut runs = runs.into_iter();
    let results: Vec<RepoResult> = dispatches
        .into_iter()
        .map(|d| {
            let run = match d.end {
                End::Accepted(_) => runs.next(),
                End::Failed { .. } => None,
            };
            record(d, run)
        })
        .collect();
    let results = &results[..];
    let failed: Vec<&RepoResult> = results
        .iter()
        .filter(|r| r.status != Status::Dispatched)
        .collect();
    let dispatches = if failed.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    };
    if results.len() > 1 && !failed.is_empty() {
        let names: Vec<&str> = failed.iter().map(|r| r.repository.as_str()).collect();
        report.error(
            "Some dispatches failed",
            &format!(
                "{} of {} dispatches failed or were not sent: {}",
                failed.len(),
                results.len(),
                names.join(", ")
            ),
        );
    }
    let runs = match &inputs.wait {
        Some(wait) => results
            .iter()
            .filter(|r| r.status == Status::Dispatched)
            .map(|r| run_exit(r, wait.fail_on_run_failure, report))
            .fold(Exit::Success, Exit::merge),
        None => Exit::Success,
    };

    let json: Vec<serde_json::Value> = results.iter().map(RepoResult::to_json).collect();
    // Redacted before it is serialised: a secret holding `"` or `\` would not
    // be found in its JSON-escaped form.
    let json = report.redact_json(serde_json::Value::Array(json));
    report.set_output("results", &json.to_string());
    report.json_results(&json);
    if let Some(id) = dispatch_id {
        report.set_output("dispatch-id", id);
    }
    // A workflow dispatch names its run, waited for or not.
    let names_run = matches!(inputs.event, Event::Workflow { .. });
    if inputs.wait.is_some() || names_run {
        if let [one] = results {
            report.set_output(
                "run-id",
                &one.run_id.map(|i| i.to_string()).unwrap_or_default(),
            );
            report.set_output("run-url", one.run_url.as_deref().unwrap_or(""));
            if inputs.wait.is_some() {
                report.set_output(
                    "conclusion",
                    one.conclusion.as_ref().map_or("", Conclusion::as_str),
                );
            }
        } else if inputs.wait.is_some() {
            let all_success = results
                .iter()
                .all(|r| r.conclusion == Some(Conclusion::Success));
            report.set_output(
                "conclusion",
                if all_success { "success" } else { "failure" },
            );
        }
    }
    let outputs = match report.flush_outputs() {
        Ok(()) => Exit::Success,
        Err(e) => {
            report.error(
                "Outputs not recorded",
                &format!("could not write the step's outputs to GITHUB_OUTPUT ({e:#}); the results above stand, but later steps cannot read them"),
            );
            Exit::Failure
        }
    };
    if report.in_actions() && !report.records_outputs() {
        // No fallback to `::set-output`: GitHub deprecated it in October 2022
        // in favour of GITHUB_OUTPUT; say plainly what was lost.
        report.warning("outputs were not written: GITHUB_OUTPUT is not set (runners older than 2.297.0 and some emulators do not set it), so later steps cannot read results or dispatch-id; update the runner, the results above stand");
    }
    let md = summary_markdown(
        report,
        &inputs.event.label(),
        results,
        inputs.wait.is_some(),
    );
    if let Err(e) = report.summary(&md) {
        report.warning(&format!(
            "could not write the step summary to GITHUB_STEP_SUMMARY: {e:#}"
        ));
    }
    report.debug(|| format!("timing: finished in {}", fmt_duration(started.elapsed())));
    dispatches.merge(runs).merge(outputs)
}

/// The exit a followed run calls for: a run not found or not finished fails
/// the step (its error is already printed); one that concluded other than
/// `success` fails it only with `fail-on-run-failure`, else it warns.
fn run_exit(r: &RepoResult, fail_on_run_failure: bool, report: &mut Reporter) -> Exit {
    match (&r.conclusion, &r.run_id) {
        (None, _) => Exit::Failure,
        (Some(c), Some(id)) if *c != Conclusion::Success => {
            let c = c.as_str();
            let url = r.run_url.as_deref().unwrap_or("");
            let message = format!("{}: run {id} concluded {c}: {url}", r.repository);
            if fail_on_run_failure {
                report.error(&format!("Run {c}"), &message);
                Exit::Failure
            } else {
                report.warning(&format!("{message} (fail-on-run-failure is false)"));
                Exit::Success
            }
        }
        (Some(_), _) => Exit::Success,
    }
}
