//! GitHub App authentication inside the step: one installation token per
//! owner of the target repositories, scoped to exactly those repositories and
//! to the permissions the step needs, minted before the first dispatch and
//! revoked when the step ends.
//!
//! The JWT (`app::jwt`, RS256, 9 minutes) authenticates the installation
//! lookups (`GET /repos/{owner}/{repo}/installation`) and the token requests
//! (`POST /app/installations/{id}/access_tokens`). A token is created once:
//! the request is a write, repeated only when GitHub surely did not act
//! (`Problem::retry(Op::Write)`). Each token, and the JWT, is masked before
//! anything else is printed and lives only in a `secret::Token`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::StatusCode;

use crate::action::report::Reporter;
use crate::action::voice::Voice;
use crate::advice::Failure;
use crate::auth::app::PrivateKey;
use crate::auth::clients::Clients;
use crate::github::event::Event;
use crate::github::repo::{ApiBase, Repository};
use crate::github::{Answer, Client, MAX_ERROR_BODY, Op, Problem, REQUEST_TIMEOUT, Request, Retry};
use crate::secret::Token;
use crate::util::time::{Clock, fmt_duration, now_epoch};

/// The largest answer read from the App endpoints: a token's lists each of
/// its (up to 500) repositories in full, a few kilobytes each.
const MAX_APP_BODY: usize = crate::github::MAX_JSON_BODY;

/// A GitHub App: who it is, and its key.
#[derive(Debug, Clone)]
pub struct App {
    pub issuer: Issuer,
    pub key: Arc<PrivateKey>,
}

/// The JWT's `iss`: the App's numeric id or its client id (github.com takes
/// either; GitHub Enterprise Server 3.13 and older only the id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    AppId(String),
    ClientId(String),
}

impl Issuer {
    /// Validates an app id: digits only.
    pub fn app_id(text: &str) -> Result<Self, String> {
        if !text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::AppId(text.to_owned()));
        }
        let hint = if text.starts_with("Iv") {
            "; it looks like a client id: give it as client-id"
        } else {
            ""
        };
        Err(format!(
            "app-id is not a number: it is the App ID on the App's settings page, such as 123456{hint}"
        ))
    }

    /// Validates a client id: letters, digits and dots, as GitHub issues them
    /// (`Iv1.` and 16 hex digits, or `Iv23` and 16 more).
    pub fn client_id(text: &str) -> Result<Self, String> {
        if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() {
            return Err(
                "client-id is a number: that is the app id, so give it as app-id (the client id starts with Iv)"
                    .to_owned(),
            );
        }
        if text.is_empty()
            || text.len() > 64
            || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
        {
            return Err(
                "client-id is not a client id: it is the Client ID on the App's settings page, such as Iv23liAbCdEf01234567"
                    .to_owned(),
            );
        }
        Ok(Self::ClientId(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::AppId(s) | Self::ClientId(s) => s,
        }
    }
}

/// The parts of a private key to mask: each line of the PEM body (after
/// turning a literal `\n` into a line break), and the body whole. The header
/// lines (`-----BEGIN RSA PRIVATE KEY-----`) are no secret, and masking their
/// words would hide them wherever they appear.
#[must_use]
pub fn key_parts(text: &str) -> Vec<String> {
    let text = text.replace("\\r\\n", "\n").replace("\\n", "\n");
    let body: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("-----") && !l.contains(": "))
        .collect();
    let mut parts: Vec<String> = body
        .iter()
        .filter(|l| l.len() >= 8)
        .map(|l| (*l).to_owned())
        .collect();
    if body.len() > 1 {
        parts.push(body.concat());
    }
    parts
}

/// The permissions a token gets: exactly what the step does.
#[must_use]
pub fn permissions(event: &Event, wait: bool) -> Vec<(&'static str, &'static str)> {
    match event {
        Event::Repository { .. } if wait => vec![("actions", "read"), ("contents", "write")],
        Event::Repository { .. } => vec![("contents", "write")],
        // `write` includes reading the run it started.
        Event::Workflow { .. } => vec![("actions", "write")],
    }
}

/// The repositories grouped by owner (compared as GitHub does, ignoring
/// case), owners in the order they first appear.
#[must_use]
pub fn by_owner(repos: &[Repository]) -> Vec<(String, Vec<&Repository>)> {
    let mut groups: Vec<(String, Vec<&Repository>)> = Vec::new();
    for repo in repos {
        let owner = repo.owner.to_ascii_lowercase();
        match groups.iter_mut().find(|(o, _)| *o == owner) {
            Some((_, list)) => list.push(repo),
            None => groups.push((owner, vec![repo])),
        }
    }
    groups
}

/// A token minted for one owner.
#[derive(Debug)]
pub struct Minted {
    /// The owner, lower case.
    pub owner: String,
    pub token: Token,
    pub expires_at: Option<String>,
}

/// What minting gave: a token per owner, or why that owner has none.
#[derive(Debug, Default)]
pub struct Tokens {
    pub minted: Vec<Minted>,
    /// Owner (lower case) and the failure its repositories report.
    pub refused: Vec<(String, Failure)>,
}

/// Builds a client that sends `token`.
pub type NewClient<'a> = dyn Fn(Token) -> anyhow::Result<Client> + 'a;

/// What minting takes of the validated inputs.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub api: &'a ApiBase,
    /// The target repositories: one token per owner among them.
    pub repositories: &'a [Repository],
    /// Whether the step waits for the run (its tokens may then read Actions).
    pub wait: bool,
    pub timeout: Duration,
    pub retries: u32,
    pub max_retry_wait: Duration,
    pub voice: Voice,
}

/// Mints one token per owner of `settings.repositories`, each scoped to that
/// owner's repositories and to [`permissions`]. An owner whose installation
/// cannot be found or whose token is refused gets a failure that says the fix;
/// the others go on.
pub async fn mint_all(
    app: &App,
    settings: Settings<'_>,
    event: &Event,
    new_client: &NewClient<'_>,
    clock: Clock,
    deadline: tokio::time::Instant,
    report: &mut Reporter,
) -> Tokens {
    let mut tokens = Tokens::default();
    let groups = by_owner(settings.repositories);
    let permissions = permissions(event, settings.wait);
    let mut jwt = match Jwt::sign(app, now_epoch(), new_client, report) {
        Ok(jwt) => jwt,
        Err(failure) => {
            for (owner, _) in groups {
                tokens.refused.push((owner, failure.clone()));
            }
            return tokens;
        }
    };
    let mut shared_failure: Option<Failure> = None;
    for (owner, repos) in groups {
        if let Some(f) = &shared_failure {
            tokens.refused.push((owner, f.clone()));
            continue;
        }
        let cx = Cx {
            settings,
            clock,
            deadline,
            owner: &owner,
            repos: &repos,
            voice: settings.voice,
        };
        match mint_one(&cx, app, &mut jwt, &permissions, new_client, report).await {
            // Each repository of an owner without a token reports why when
            // its turn to be dispatched comes.
            Ok(minted) => {
                tokens.minted.push(minted);
                // At once, for the post step: a job cancelled while the next
                // owner's token is minted must not leave this one live.
                let all: Vec<&Minted> = tokens.minted.iter().collect();
                save_for_post(&all, report);
            }
            Err(Minting::Owner(f)) => tokens.refused.push((owner, f)),
            Err(Minting::App(f)) => {
                // The key or the clock: no other owner would do better.
                tokens.refused.push((owner, f.clone()));
                shared_failure = Some(f);
            }
        }
    }
    tokens
}

/// Why an owner got no token: its own trouble, or the App's (every owner).
enum Minting {
    Owner(Failure),
    App(Failure),
}

/// What one owner's minting needs to know.
struct Cx<'a> {
    settings: Settings<'a>,
    clock: Clock,
    deadline: tokio::time::Instant,
    owner: &'a str,
    repos: &'a [&'a Repository],
    voice: Voice,
}

impl Cx<'_> {
    /// The nominal time left before the deadline.
    fn left(&self) -> Duration {
        self.clock.nominal(
            self.deadline
                .saturating_duration_since(tokio::time::Instant::now()),
        )
    }
}

/// The JWT and the client that sends it; signed again once when GitHub's
/// clock disagrees.
struct Jwt {
    client: Client,
    resigned: bool,
}

impl Jwt {
    fn sign(
        app: &App,
        now: u64,
        new_client: &NewClient<'_>,
        report: &mut Reporter,
    ) -> Result<Self, Failure> {
        let token = crate::auth::app::jwt(&app.key, app.issuer.as_str(), now).map_err(|e| {
            failure(
                "GitHub App key",
                format!("could not sign the GitHub App's JWT: {e:#}"),
            )
        })?;
        report.mask(token.expose());
        let client = new_client(token).map_err(|e| {
            failure(
                "HTTP client",
                format!("could not set up the HTTP client: {e:#}"),
            )
        })?;
        Ok(Self {
            client,
            resigned: false,
        })
    }
}

async fn mint_one(
    cx: &Cx<'_>,
    app: &App,
    jwt: &mut Jwt,
    permissions: &[(&str, &str)],
    new_client: &NewClient<'_>,
    report: &mut Reporter,
) -> Result<Minted, Minting> {
    let first = cx.repos[0];
    let lookup = Request {
        method: Method::GET,
        url: cx.settings.api.repo_url(first, "installation"),
        body: None,
        if_none_match: None,
    };
    let answer = send_jwt(cx, app, jwt, &lookup, Op::Read, new_client, report).await?;
    let installation = match answer.status {
        StatusCode::OK => serde_json::from_slice::<serde_json::Value>(&answer.body)
            .ok()
            .and_then(|v| v["id"].as_u64())
            .ok_or_else(|| {
                Minting::Owner(failure(
                    "GitHub App installation",
                    format!(
                        "GitHub's answer about the App's installation on {} holds no installation id",
                        cx.owner
                    ),
                ))
            })?,
        StatusCode::NOT_FOUND => {
            return Err(Minting::Owner(failure(
                "GitHub App not installed (404)",
                format!(
                    "the GitHub App is not installed on {owner}, or its installation cannot see {first}: install the app on {owner} (the App's settings page > Install App) with access to {}",
                    cx.repos
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    owner = cx.owner
                ),
            )));
        }
        _ => return Err(refused(cx, &answer, "find the App's installation")),
    };
    report.debug(|| format!("{}: the App's installation is {installation}", cx.owner));
    let body = token_request(cx.repos, permissions);
    let create = Request {
        method: Method::POST,
        url: format!(
            "{}/app/installations/{installation}/access_tokens",
            cx.settings.api.as_str()
        ),
        body: Some(body),
        if_none_match: None,
    };
    let answer = send_jwt(cx, app, jwt, &create, Op::Write, new_client, report).await?;
    if answer.status != StatusCode::CREATED && answer.status != StatusCode::OK {
        return Err(refused(cx, &answer, "create an installation token"));
    }
    let value = serde_json::from_slice::<serde_json::Value>(&answer.body).ok();
    // A token was created either way: an answer cut short still names it
    // (GitHub puts it first), so that it is used and revoked, not lost.
    let scanned = value.is_none().then(|| token_in(&answer.body)).flatten();
    let token = value
        .as_ref()
        .and_then(|v| v["token"].as_str())
        .or(scanned.as_deref())
        .filter(|t| !t.is_empty() && t.is_ascii() && !t.contains(char::is_whitespace))
        .ok_or_else(|| {
            Minting::Owner(failure(
                "Installation token",
                format!(
                    "GitHub created an installation token for {} but its answer holds none that can be used",
                    cx.owner
                ),
            ))
        })?;
    // Masked before anything else is printed.
    report.mask(token);
    let expires_at = value
        .as_ref()
        .and_then(|v| v["expires_at"].as_str())
        .map(str::to_owned);
    report.info(&format!(
        "{}: minted an installation token for {} ({}), expiring {}",
        cx.owner,
        names(cx.repos).join(", "),
        permissions
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        expires_at.as_deref().unwrap_or("in an hour")
    ));
    Ok(Minted {
        owner: cx.owner.to_owned(),
        token: Token::new(token.to_owned()),
        expires_at,
    })
}

/// The `token` of a token answer that is not whole JSON (cut short): the
/// string after the first `"token"` key.
fn token_in(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let after = &text[text.find("\"token\"")? + "\"token\"".len()..];
    let value = after
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let end = value.find('"')?;
    Some(value[..end].to_owned())
}

/// The body of a token request: exactly these repositories (names only, as
/// GitHub wants them) and these permissions.
fn token_request(repos: &[&Repository], permissions: &[(&str, &str)]) -> String {
    let permissions: serde_json::Map<String, serde_json::Value> = permissions
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    serde_json::json!({
        "repositories": names(repos),
        "permissions": permissions,
    })
    .to_string()
}

fn names(repos: &[&Repository]) -> Vec<String> {
    repos.iter().map(|r| r.name.clone()).collect()
}

/// Sends a request with the JWT, repeating it as the retry rule allows, and
/// signing the JWT again once when GitHub's 401 says its clock disagrees.
async fn send_jwt(
    cx: &Cx<'_>,
    app: &App,
    jwt: &mut Jwt,
    request: &Request,
    op: Op,
    new_client: &NewClient<'_>,
    report: &mut Reporter,
) -> Result<Answer, Minting> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let left = cx.left();
        // A token request needs a second at least: one cut short by the
        // deadline may have created a token that is then never seen.
        let floor = match op {
            Op::Write => Duration::from_secs(1),
            Op::Read => Duration::ZERO,
        };
        if left <= floor {
            return Err(Minting::Owner(failure(
                "Deadline reached",
                format!(
                    "no token for {}: the deadline (timeout {}) passed before GitHub answered",
                    cx.owner,
                    fmt_duration(cx.settings.timeout)
                ),
            )));
        }
        report.debug(|| format!("{} {}", request.method, request.url));
        let problem = match jwt
            .client
            .send(
                request,
                REQUEST_TIMEOUT.min(left),
                MAX_APP_BODY.max(MAX_ERROR_BODY),
            )
            .await
        {
            Ok(answer) if answer.status == StatusCode::UNAUTHORIZED => {
                resign_or_fail(cx, app, jwt, &answer, new_client, report)?;
                continue;
            }
            Ok(answer) if answer.status.is_server_error() || answer.rate_limit().is_some() => {
                if answer.status.is_success() {
                    return Ok(answer);
                }
                Problem::from_answer(&answer)
            }
            Ok(answer) => return Ok(answer),
            Err(problem) => problem,
        };
        let doing = match op {
            Op::Read => format!("find the GitHub App's installation on {}", cx.owner),
            Op::Write => format!("create an installation token for {}", cx.owner),
        };
        let mut failure = crate::advice::read(&problem, &doing);
        let wait = match problem.retry(op) {
            Retry::NotSent | Retry::Repeat => Duration::from_secs(1 << attempt.min(4)),
            Retry::RateLimited(limit) => match limit.asked_wait(now_epoch()) {
                Some(w) if w <= cx.settings.max_retry_wait => w,
                _ => return Err(Minting::Owner(failure)),
            },
            Retry::OnlyIfAsked => {
                // A gateway's error: GitHub may have created the token and
                // lost the answer. Asking again would make a second one.
                failure.message = format!(
                    "{}; the request is not sent again because GitHub may have created a token whose answer was lost (it would expire within the hour unused): run the job again",
                    failure.message
                );
                return Err(Minting::Owner(failure));
            }
            Retry::Never => return Err(Minting::Owner(failure)),
        };
        let left = cx.left();
        if attempt > cx.settings.retries || wait >= left {
            return Err(Minting::Owner(failure));
        }
        report.warning(&format!(
            "{}: {}; trying again in {}",
            cx.owner,
            failure.message,
            fmt_duration(wait)
        ));
        cx.clock.sleep_until(cx.clock.after(wait)).await;
    }
}

/// A 401 to a request with the JWT: when GitHub blames the JWT's times (this
/// machine's clock), the JWT is signed once more with GitHub's time from the
/// answer's `Date` (`Ok`: send again); otherwise, or a second time, the
/// failure says the fix.
fn resign_or_fail(
    cx: &Cx<'_>,
    app: &App,
    jwt: &mut Jwt,
    answer: &Answer,
    new_client: &NewClient<'_>,
    report: &mut Reporter,
) -> Result<(), Minting> {
    let message = crate::github::GitHubError::parse(&answer.body)
        .message
        .unwrap_or_default();
    let date = answer.header("date");
    match crate::auth::app::resign_at(&message, date) {
        Some(server_now) if !jwt.resigned => {
            report.warning(&format!(
                            "GitHub refused the App's JWT ({message}): this machine's clock is {} GitHub's; signing it again with GitHub's time",
                            skew(server_now)
                        ));
            let resigned = Jwt::sign(app, server_now, new_client, report).map_err(Minting::App)?;
            *jwt = Jwt {
                resigned: true,
                ..resigned
            };
            Ok(())
        }
        Some(_) => Err(Minting::App(failure(
            "GitHub App JWT refused (401)",
            format!(
                "GitHub refused the App's JWT again after it was signed with GitHub's own time ({message}): check this machine's clock (NTP)"
            ),
        ))),
        None => Err(Minting::App(failure(
            "GitHub App JWT refused (401)",
            format!(
                "GitHub could not accept the App's JWT ({}): the private key belongs to another app, is damaged, or {} names another app; download a new key from the App's settings page, and check the id",
                if message.is_empty() {
                    "401 Unauthorized"
                } else {
                    &message
                },
                cx.voice.name(match app.issuer {
                    Issuer::AppId(_) => &crate::action::spec::APP_ID,
                    Issuer::ClientId(_) => &crate::action::spec::CLIENT_ID,
                })
            ),
        ))),
    }
}

/// How far this machine's clock is from GitHub's, for the message:
/// `2m ahead of` or `30s behind`.
fn skew(server_now: u64) -> String {
    let now = now_epoch();
    if server_now > now {
        format!(
            "{} behind",
            fmt_duration(Duration::from_secs(server_now - now))
        )
    } else {
        format!(
            "{} ahead of",
            fmt_duration(Duration::from_secs(now - server_now))
        )
    }
}

/// A refusal of an App request other than the ones with their own advice.
fn refused(cx: &Cx<'_>, answer: &Answer, what: &str) -> Minting {
    let error = crate::github::GitHubError::parse(&answer.body);
    let message = error.message.clone().unwrap_or_default();
    let lower = message.to_ascii_lowercase();
    let status = answer.status.as_u16();
    let (title, text) = if status == 422 && lower.contains("not accessible") {
        (
            "Repository outside the installation (422)".to_owned(),
            format!(
                "GitHub refused a token for {} ({message}): add each of them to the installation's repository access (the organisation's settings > GitHub Apps > the app > Configure > Repository access), or check their names",
                cx.repos
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    } else if status == 422 && lower.contains("permissions") {
        (
            "Permission not granted (422)".to_owned(),
            format!(
                "GitHub refused a token for {} ({message}): the app needs Contents: write for repository_dispatch (Actions: write for workflow_dispatch, Actions: read to wait); change the app's permissions, then accept them in the installation on {}",
                cx.owner, cx.owner
            ),
        )
    } else {
        (
            format!("Could not {what} ({status})"),
            format!(
                "GitHub answered {status} when asked to {what} for {} ({})",
                cx.owner,
                error.summary().unwrap_or_else(|| format!("{status}"))
            ),
        )
    };
    Minting::Owner(failure(&title, text))
}

fn failure(title: &str, message: String) -> Failure {
    Failure {
        title: title.to_owned(),
        message,
        http_status: None,
        retry: Retry::Never,
    }
}

/// The requests that mint the tokens, for a dry run: per owner, the
/// installation lookup and the token request (the installation's id is
/// known only from GitHub's answer), then, at the end, the revocation.
#[must_use]
pub fn planned_requests(settings: Settings<'_>, event: &Event) -> Vec<Request> {
    let permissions = permissions(event, settings.wait);
    let mut requests = Vec::new();
    for (_, repos) in by_owner(settings.repositories) {
        requests.push(Request {
            method: Method::GET,
            url: settings.api.repo_url(repos[0], "installation"),
            body: None,
            if_none_match: None,
        });
        requests.push(Request {
            method: Method::POST,
            url: format!(
                "{}/app/installations/{{installation_id}}/access_tokens",
                settings.api.as_str()
            ),
            body: Some(token_request(&repos, &permissions)),
            if_none_match: None,
        });
    }
    requests
}

/// The name under which the main step leaves the tokens it has not revoked
/// (yet) for the post step: `STATE_dispatch_tokens` there, one a line, each
/// after its owner and a space (`org-one ghs_...`).
pub const STATE: &str = "dispatch_tokens";

/// How long revoking may take at the end of a step, all tokens at once: a
/// revocation that hangs must not hold the job (each request alone may take
/// [`REQUEST_TIMEOUT`]).
pub const REVOKE_WITHIN: Duration = Duration::from_secs(20);

/// How long revoking goes on once the step is told to stop. A cancelled job
/// gets SIGINT, SIGTERM 7.5 s later, and its processes are killed 2.5 s after
/// that (GitHub's "Canceling a workflow": <https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-cancellation>);
/// what is not revoked by then is left for the post step.
pub const REVOKE_AFTER_STOP: Duration = Duration::from_secs(5);

/// Leaves `tokens` for the post step, which revokes whatever the main step
/// could not (a cancelled job, a crash); an empty list once all are revoked.
pub fn save_for_post(tokens: &[&Minted], report: &mut Reporter) {
    let value: Vec<String> = tokens
        .iter()
        .map(|m| format!("{} {}", m.owner, m.token.expose()))
        .collect();
    if let Err(e) = report.save_state(STATE, &value.join("\n")) {
        report.warning(&format!(
            "the tokens could not be left for the post step, which revokes them if this step is cancelled ({e:#}); they expire by themselves within the hour"
        ));
    }
}

/// The tokens the main step left (`STATE_dispatch_tokens`), with their
/// owners, for [`revoke_all`]. A line without an owner is a token of an
/// unknown one.
#[must_use]
pub fn left_for_post(state: &str) -> Tokens {
    Tokens {
        minted: state
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (owner, token) = l.rsplit_once(' ').unwrap_or(("an unknown owner", l));
                Minted {
                    owner: owner.trim().to_owned(),
                    token: Token::new(token.to_owned()),
                    expires_at: None,
                }
            })
            .collect(),
        refused: Vec::new(),
    }
}

/// A client per owner with a token, and why the others have none.
#[must_use]
pub fn clients(tokens: &Tokens, new_client: &NewClient<'_>) -> Clients {
    let mut owners = Vec::new();
    let mut refused = tokens.refused.clone();
    for m in &tokens.minted {
        match new_client(m.token.clone()) {
            Ok(c) => owners.push((m.owner.clone(), c)),
            Err(e) => refused.push((
                m.owner.clone(),
                failure(
                    "HTTP client",
                    format!("could not set up the HTTP client: {e:#}"),
                ),
            )),
        }
    }
    Clients::per_owner(owners, refused)
}

/// At the end of the main step: revokes every minted token at once (as
/// [`revoke_all`]), leaves the post step exactly those not revoked (none,
/// usually), warns of each, and returns what happened, for the step's last
/// words. At a shell there is no post step: what is not revoked expires.
pub async fn revoke_at_end<'t>(
    tokens: &'t Tokens,
    api: &ApiBase,
    new_client: &NewClient<'_>,
    clock: Clock,
    stop: Stop<'_>,
    report: &mut Reporter,
) -> Revocation<'t> {
    let revocation = revoke_all(tokens, api, new_client, clock, stop, report).await;
    let post_step = report.in_actions();
    for (minted, why) in &revocation.left {
        let then = if post_step {
            "it is left for the post step, which tries again (it expires by itself "
        } else {
            "it expires by itself ("
        };
        report.warning(&format!(
            "{}: the installation token could not be revoked ({why}); {then}{})",
            minted.owner,
            expiry(minted)
        ));
    }
    let left: Vec<&Minted> = revocation.left.iter().map(|(m, _)| *m).collect();
    save_for_post(&left, report);
    revocation
}

/// The stop signal (SIGINT, SIGTERM) revoking heeds.
pub enum Stop<'a> {
    /// Not come yet: this future names it when it comes.
    Awaited(std::pin::Pin<&'a mut (dyn std::future::Future<Output = &'static str> + 'a)>),
    /// Came before revoking began.
    Came(&'static str),
}

impl std::fmt::Debug for Stop<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Awaited(_) => f.write_str("Awaited"),
            Self::Came(signal) => write!(f, "Came({signal})"),
        }
    }
}

/// How revoking ended, token by token.
#[derive(Debug, Default)]
pub struct Revocation<'t> {
    /// Revoked now: GitHub answered `204`.
    pub revoked: Vec<&'t Minted>,
    /// No longer valid: GitHub answered `401` (revoked already, or expired).
    pub gone: Vec<&'t Minted>,
    /// Not revoked, and why.
    pub left: Vec<(&'t Minted, String)>,
    /// The signal that cut revoking short, if one came before or while it
    /// ran.
    pub stopped_by: Option<&'static str>,
}

impl Revocation<'_> {
    /// What happened, for people: which owners' tokens were revoked, which
    /// were no longer valid, and which could not be and why, and are `left`
    /// (`left for the post step`).
    #[must_use]
    pub fn said(&self, left: &str) -> String {
        let owners = |list: &[&Minted]| {
            let names: Vec<&str> = list.iter().map(|m| m.owner.as_str()).collect();
            let tokens = if names.len() == 1 { "token" } else { "tokens" };
            format!("the installation {tokens} of {}", and_list(&names))
        };
        let mut parts = Vec::new();
        if !self.revoked.is_empty() {
            parts.push(format!("revoked {}", owners(&self.revoked)));
        }
        if !self.gone.is_empty() {
            parts.push(format!(
                "{} {} no longer valid (revoked or expired already)",
                owners(&self.gone),
                if self.gone.len() == 1 { "was" } else { "were" }
            ));
        }
        if !self.left.is_empty() {
            let list: Vec<&Minted> = self.left.iter().map(|(m, _)| *m).collect();
            let why: Vec<String> = self
                .left
                .iter()
                .map(|(m, why)| format!("{}: {why}", m.owner))
                .collect();
            parts.push(format!(
                "{} could not be revoked ({}) and {} {left}",
                owners(&list),
                why.join(", "),
                if list.len() == 1 { "is" } else { "are" },
            ));
        }
        if parts.is_empty() {
            "no installation token to revoke".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// When a token expires by itself: `at 2026-...` or `within the hour`.
fn expiry(minted: &Minted) -> String {
    minted
        .expires_at
        .as_deref()
        .map_or_else(|| "within the hour".to_owned(), |t| format!("at {t}"))
}

/// How one revocation ended.
enum Revoked {
    /// `204`: revoked now.
    Now,
    /// `401`: the token was no longer valid.
    Gone,
}

/// Revokes every minted token (`DELETE /installation/token`, sent with the
/// token itself), all at once, and waits at most [`REVOKE_WITHIN`] for the
/// answers, or [`REVOKE_AFTER_STOP`] after the stop signal, whichever comes
/// first. A token
/// whose revocation failed or did not end in time is in `left`: the caller
/// leaves it for the post step, or (there) to expire within the hour. A
/// second revocation of a revoked token is harmless: GitHub answers `401`.
pub async fn revoke_all<'t>(
    tokens: &'t Tokens,
    api: &ApiBase,
    new_client: &NewClient<'_>,
    clock: Clock,
    stop: Stop<'_>,
    report: &mut Reporter,
) -> Revocation<'t> {
    use std::future::Future;
    use std::task::Poll;

    let request = Request {
        method: Method::DELETE,
        url: format!("{}/installation/token", api.as_str()),
        body: None,
        if_none_match: None,
    };
    // Longer than `within`, so that the one bound, not each request's
    // timeout, says when it is over.
    let (mut stop, mut stopped_by, within) = match stop {
        Stop::Awaited(signal) => (Some(signal), None, REVOKE_WITHIN),
        Stop::Came(signal) => (None, Some(signal), REVOKE_AFTER_STOP),
    };
    let timeout = REQUEST_TIMEOUT.max(within + Duration::from_secs(1));
    let mut pending: Vec<Revoking<'_>> = tokens
        .minted
        .iter()
        .map(|m| {
            let future: Revoking<'_> = Box::pin(revoke_one(m, &request, new_client, timeout));
            future
        })
        .collect();
    let mut ended: Vec<Option<Result<Revoked, String>>> = std::iter::repeat_with(|| None)
        .take(pending.len())
        .collect();
    let mut end = std::pin::pin!(tokio::time::sleep_until(clock.after(within)));
    std::future::poll_fn(|cx| {
        if let Some(signal) = stop.as_mut()
            && let Poll::Ready(name) = signal.as_mut().poll(cx)
        {
            stopped_by = Some(name);
            stop = None;
            let cut = clock.after(REVOKE_AFTER_STOP);
            if cut < end.deadline() {
                end.as_mut().reset(cut);
            }
        }
        for (future, slot) in pending.iter_mut().zip(ended.iter_mut()) {
            if slot.is_none()
                && let Poll::Ready(result) = future.as_mut().poll(cx)
            {
                *slot = Some(result);
            }
        }
        if ended.iter().all(Option::is_some) || end.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    drop(pending);
    let mut revocation = Revocation {
        stopped_by,
        ..Revocation::default()
    };
    let unanswered = match stopped_by {
        Some(signal) => format!(
            "no answer within {} of {signal}",
            fmt_duration(REVOKE_AFTER_STOP)
        ),
        None => format!("no answer within {}", fmt_duration(within)),
    };
    for (minted, result) in tokens.minted.iter().zip(ended) {
        match result {
            Some(Ok(Revoked::Now)) => {
                report.debug(|| format!("{}: installation token revoked", minted.owner));
                revocation.revoked.push(minted);
            }
            Some(Ok(Revoked::Gone)) => {
                report.debug(|| {
                    format!(
                        "{}: the installation token was no longer valid (401)",
                        minted.owner
                    )
                });
                revocation.gone.push(minted);
            }
            Some(Err(why)) => revocation.left.push((minted, why)),
            None => revocation.left.push((minted, unanswered.clone())),
        }
    }
    revocation
}

/// One token's revocation under way.
type Revoking<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Revoked, String>> + 'a>>;

/// One token's revocation: `Ok` if GitHub revoked it or it was no longer
/// valid, else why not.
async fn revoke_one(
    minted: &Minted,
    request: &Request,
    new_client: &NewClient<'_>,
    timeout: Duration,
) -> Result<Revoked, String> {
    let client = new_client(minted.token.clone()).map_err(|e| format!("{e:#}"))?;
    let answer = client
        .send(request, timeout, MAX_ERROR_BODY)
        .await
        .map_err(|p| crate::advice::read(&p, "revoke the token").message)?;
    if answer.status.is_success() {
        Ok(Revoked::Now)
    } else if answer.status == StatusCode::UNAUTHORIZED {
        Ok(Revoked::Gone)
    } else {
        let said = crate::github::GitHubError::parse(&answer.body).summary();
        Err(format!(
            "GitHub answered {}{}",
            answer.status.as_u16(),
            said.map(|s| format!(": {s}")).unwrap_or_default()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::voice::Voice;
    use crate::github::payload::{ClientPayload, EventType};

    #[test]
    fn issuers() {
        assert_eq!(
            Issuer::app_id("123456"),
            Ok(Issuer::AppId("123456".to_owned()))
        );
        assert_eq!(
            Issuer::client_id("Iv23liAbCdEf01234567"),
            Ok(Issuer::ClientId("Iv23liAbCdEf01234567".to_owned()))
        );
        assert_eq!(
            Issuer::client_id("Iv1.0123456789abcdef").map(|i| i.as_str().to_owned()),
            Ok("Iv1.0123456789abcdef".to_owned())
        );
        for (bad, says) in [
            ("12a", "app-id is not a number"),
            ("", "app-id is not a number"),
            ("Iv23li", "give it as client-id"),
            ("1".repeat(21).leak(), "app-id is not a number"),
        ] {
            assert!(Issuer::app_id(bad).unwrap_err().contains(says), "{bad}");
        }
        for (bad, says) in [
            ("123456", "give it as app-id"),
            ("Iv23 li", "is not a client id"),
            ("Iv23/li", "is not a client id"),
            ("", "is not a client id"),
        ] {
            assert!(Issuer::client_id(bad).unwrap_err().contains(says), "{bad}");
        }
    }

    /// The body lines of a key are masked, one by one and whole; its header
    /// lines are not (their words are no secret), also with literal `\n`.
    #[test]
    fn key_parts_are_the_body() {
        let body = ["MIIEpAIBAAKCAQEAx", "yz0123456789abcd", "QIDAQAB"];
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            body.join("\n")
        );
        let expected = vec![body[0].to_owned(), body[1].to_owned(), body.concat()];
        assert_eq!(key_parts(&pem), expected);
        assert_eq!(key_parts(&pem.replace('\n', "\\n")), expected);
        assert_eq!(key_parts(&pem.replace('\n', "\r\n")), expected);
        assert!(key_parts(&pem).iter().all(|p| !p.contains("PRIVATE")));
    }

    /// The state's `owner token` lines read back as written; a line without
    /// an owner is a token of an unknown one.
    #[test]
    fn state_lines() {
        let tokens = left_for_post("org-one ghs_a\n\n  org-two ghs_b \nghs_c\n");
        let read: Vec<(&str, &str)> = tokens
            .minted
            .iter()
            .map(|m| (m.owner.as_str(), m.token.expose()))
            .collect();
        assert_eq!(
            read,
            [
                ("org-one", "ghs_a"),
                ("org-two", "ghs_b"),
                ("an unknown owner", "ghs_c")
            ]
        );
    }

    /// What a revocation says, by owner, in each mix of outcomes.
    #[test]
    fn revocations_say_what_happened() {
        let tokens = left_for_post("a t1\nb t2\nc t3");
        let [a, b, c] = [&tokens.minted[0], &tokens.minted[1], &tokens.minted[2]];
        let why = |m, w: &str| (m, w.to_owned());
        for (revoked, gone, left, says) in [
            (vec![], vec![], vec![], "no installation token to revoke"),
            (
                vec![a],
                vec![],
                vec![],
                "revoked the installation token of a",
            ),
            (
                vec![a, b, c],
                vec![],
                vec![],
                "revoked the installation tokens of a, b and c",
            ),
            (
                vec![a],
                vec![b],
                vec![why(c, "GitHub answered 500")],
                "revoked the installation token of a; the installation token of b was no longer valid (revoked or expired already); the installation token of c could not be revoked (c: GitHub answered 500) and is left for the post step",
            ),
            (
                vec![],
                vec![a, b],
                vec![why(b, "x"), why(c, "y")],
                "the installation tokens of a and b were no longer valid (revoked or expired already); the installation tokens of b and c could not be revoked (b: x, c: y) and are left for the post step",
            ),
        ] {
            let r = Revocation {
                revoked,
                gone,
                left,
                stopped_by: None,
            };
            assert_eq!(r.said("left for the post step"), says);
        }
    }

    fn repo(text: &str) -> Repository {
        Repository::parse(text).unwrap()
    }

    #[test]
    fn owners_permissions_and_the_token_request() {
        let repos = [repo("a/x"), repo("b/y"), repo("A/z")];
        let groups = by_owner(&repos);
        let shown: Vec<(String, Vec<String>)> = groups
            .iter()
            .map(|(o, r)| (o.clone(), r.iter().map(ToString::to_string).collect()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("a".to_owned(), vec!["a/x".to_owned(), "A/z".to_owned()]),
                ("b".to_owned(), vec!["b/y".to_owned()]),
            ]
        );
        let repository = Event::Repository {
            event_type: EventType::parse("deploy", Voice::Workflow).unwrap(),
            payload: ClientPayload::parse("{}", Voice::Workflow).unwrap(),
        };
        let workflow = Event::Workflow {
            workflow: crate::github::workflow::Workflow::parse("deploy.yml").unwrap(),
            git_ref: crate::github::workflow::GitRef::parse("main").unwrap(),
            inputs: None,
        };
        assert_eq!(permissions(&repository, false), [("contents", "write")]);
        assert_eq!(
            permissions(&repository, true),
            [("actions", "read"), ("contents", "write")]
        );
        assert_eq!(permissions(&workflow, false), [("actions", "write")]);
        assert_eq!(permissions(&workflow, true), [("actions", "write")]);
        assert_eq!(
            token_request(&groups[0].1, &permissions(&repository, true)),
            r#"{"permissions":{"actions":"read","contents":"write"},"repositories":["x","z"]}"#
        );
    }
}
