//! What a person reads about a failed request: the annotation's title, the
//! message with its remedy, and the hints per token kind, all rendered here
//! from the `github::Problem` the client classified. Whether a request is
//! sent again is decided by `Problem::retry`, never by these words.

use std::fmt::Write as _;
use std::time::Duration;

use crate::action::spec;
use crate::action::voice::{Hint, Voice};
use crate::github::event::Event;
use crate::github::repo::Repository;
use crate::github::{Fault, Op, Problem, RateLimit, Refusal, Retry};
use crate::secret::TokenKind;
use crate::util::time::{fmt_duration, now_epoch, utc};

/// A failed request as it is reported, and whether it may be sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// A short title for the `::error title=...::` annotation.
    pub title: String,
    /// One line: what went wrong and what to do.
    pub message: String,
    pub http_status: Option<u16>,
    pub retry: Retry,
}

/// The dispatch a problem happened to.
#[derive(Debug, Clone, Copy)]
pub struct Dispatch<'a> {
    pub repo: &'a Repository,
    /// What was sent.
    pub event: &'a Event,
    pub token: Option<TokenKind>,
    /// `Some(timeout)` when the request had only what was left of the
    /// `timeout` input, less than a request's own time.
    pub cut_by: Option<Duration>,
    /// Who reads the advice.
    pub voice: Voice,
}

/// A problem with a dispatch (a write), worded for the person who sent it.
#[must_use]
pub fn dispatch(problem: &Problem, cx: &Dispatch<'_>) -> Failure {
    let (title, mut message) = match problem {
        Problem::RateLimited(refusal, limit) => (
            format!("Rate limited ({})", refusal.status),
            format!(
                "GitHub refused the dispatch to {} with its {} ({}); {}",
                cx.repo,
                limit_kind(limit),
                refusal
                    .error
                    .summary()
                    .unwrap_or_else(|| format!("{} {}", refusal.status, refusal.reason)),
                limit_when(limit, now_epoch())
            ),
        ),
        Problem::Refused(refusal) => match cx.event {
            Event::Repository { .. } => dispatch_refused(refusal, cx),
            Event::Workflow {
                workflow, git_ref, ..
            } => workflow_refused(refusal, cx, workflow.as_str(), git_ref.as_str())
                .unwrap_or_else(|| dispatch_refused(refusal, cx)),
        },
        Problem::Fault(fault) => transport(fault, Op::Write),
    };
    if let (Some(timeout), Problem::Fault(Fault::NoAnswer { .. })) = (cx.cut_by, problem) {
        let _ = write!(
            message,
            " (the request had only what was left of timeout {})",
            fmt_duration(timeout)
        );
    }
    Failure {
        title,
        message,
        http_status: problem.http_status(),
        retry: problem.retry(Op::Write),
    }
}

/// A problem with a read (listing or fetching runs); `what` is the read, as
/// in "list workflow runs".
#[must_use]
pub fn read(problem: &Problem, what: &str) -> Failure {
    let (title, message) = match problem {
        Problem::RateLimited(refusal, limit) => (
            format!("Rate limited ({})", refusal.status),
            format!(
                "GitHub refused to {what} with its {}; {}",
                limit_kind(limit),
                limit_when(limit, now_epoch())
            ),
        ),
        Problem::Refused(refusal) => {
            let status = refusal.status;
            let said = refusal
                .error
                .summary()
                .unwrap_or_else(|| not_github(refusal));
            let hint = match status {
                403 | 404 => {
                    ": the token needs read access to Actions (actions: read for the workflow token or a fine-grained PAT) to find the run"
                }
                _ => "",
            };
            (
                format!("Could not {what} ({status})"),
                format!("GitHub answered {status} when asked to {what} ({said}){hint}"),
            )
        }
        Problem::Fault(fault) => transport(fault, Op::Read),
    };
    Failure {
        title,
        message,
        http_status: problem.http_status(),
        retry: problem.retry(Op::Read),
    }
}

/// A dispatch not sent because its turn came too close to the deadline.
#[must_use]
pub fn deadline_not_sent(timeout: Duration, voice: Voice) -> Failure {
    Failure {
        title: "Deadline reached".to_owned(),
        message: format!(
            "not sent: the deadline (timeout {}) passed, or was less than a second away, before its turn; raise {} or lower {}",
            fmt_duration(timeout),
            voice.name(&spec::TIMEOUT),
            voice.name(&spec::DISPATCH_INTERVAL)
        ),
        http_status: None,
        retry: Retry::Never,
    }
}

/// What a redirect to `to` means for `repo`: GitHub redirects a renamed or
/// transferred repository's old name to `/repositories/{id}/...`.
#[must_use]
pub fn moved_note(repo: &Repository, to: &str) -> String {
    let id = to
        .split("/repositories/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
    match id {
        Some(id) => format!(
            "GitHub redirected {repo} to repository id {id}: it was renamed or transferred; use its new name (redirects from an old name stop when a new repository takes it)"
        ),
        None => format!(
            "GitHub redirected the request for {repo} to {to}: if it was renamed or transferred, use its new name"
        ),
    }
}

/// The note, given once, that the server predates run details: it refused
/// `return_run_details` (`said`), so the dispatch went again without it.
#[must_use]
pub fn predates_run_details(repo: &Repository, said: &str) -> String {
    let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "{repo}: this server predates run details (a GitHub Enterprise Server older than the return_run_details parameter): it answered 422 ({said}) and created nothing, so the workflow dispatch was sent again without return_run_details, as is every other of this step; GitHub does not name the runs these start, so they cannot be followed: find them in the repository's Actions tab"
    )
}

/// What the messages call a rate limit.
#[must_use]
pub fn limit_kind(limit: &RateLimit) -> &'static str {
    if limit.secondary {
        "secondary rate limit"
    } else {
        "API rate limit"
    }
}

/// When a rate limit ends, for messages: "the limit resets at 19:05:00Z (in 43m)".
#[must_use]
pub fn limit_when(limit: &RateLimit, now: u64) -> String {
    match (limit.retry_after, limit.reset) {
        (Some(d), _) => format!("GitHub asks to retry after {}", fmt_duration(d)),
        (None, Some(reset)) if limit.remaining == Some(0) => format!(
            "the limit resets at {} (in {})",
            utc(reset),
            fmt_duration(Duration::from_secs(reset.saturating_sub(now)))
        ),
        _ => "GitHub gives no reset time; wait a few minutes".to_owned(),
    }
}

/// A request without an answer to read (or a redirect not followed): worded
/// alike for reads and writes, except what an ambiguous end means.
fn transport(fault: &Fault, op: Op) -> (String, String) {
    match fault {
        Fault::Certificate { url, why } => (
            "TLS certificate not trusted".to_owned(),
            format!(
                "the TLS certificate of {} is not trusted ({why}); nothing was sent: for a GitHub Enterprise Server with a private CA, set SSL_CERT_FILE to the CA's PEM file",
                host_of(url)
            ),
        ),
        Fault::NotConnected { url, why } => (
            "Could not connect".to_owned(),
            format!(
                "could not connect to {} ({why}); nothing was sent",
                host_of(url)
            ),
        ),
        // The API host was never contacted, so it is named second.
        Fault::ProxyUnreachable { url, why, proxy } => (
            "Could not connect".to_owned(),
            format!(
                "could not connect to the proxy {proxy} ({why}); nothing was sent to {}: check that the proxy runs and that {} holds its address, or add {} to no_proxy to connect directly",
                host_of(url),
                proxy.var,
                host_only(url)
            ),
        ),
        Fault::TunnelRefused { url, why, proxy } => (
            "Could not connect".to_owned(),
            format!(
                "the proxy {proxy} refused to connect to {host} ({why}); nothing was sent: check the proxy's rules for {host}, or add {} to no_proxy to connect directly",
                host_only(url),
                host = host_of(url)
            ),
        ),
        Fault::ProxyAuth { url, proxy, tunnel } => {
            let host = host_of(url);
            let reached = if *tunnel {
                format!("nothing reached {host}")
            } else {
                format!("the request reached the proxy only, not {host}")
            };
            let message = if proxy.has_credentials() {
                format!(
                    "the proxy {proxy} refused the credentials in {} (407 Proxy Authentication Required); {reached}: check the user name and password there, percent-encoding special characters",
                    proxy.var
                )
            } else {
                format!(
                    "the proxy {proxy} asks for credentials (407 Proxy Authentication Required); {reached}: give them in {} as http://USER:PASSWORD@HOST:PORT",
                    proxy.var
                )
            };
            ("Proxy authentication required".to_owned(), message)
        }
        Fault::TooManyRedirects { url, .. } => (
            "Too many redirects".to_owned(),
            format!(
                "{} redirected the request more than {} times and it was not followed further: check GITHUB_API_URL and the repository name",
                host_of(url),
                crate::github::MAX_REDIRECTS
            ),
        ),
        Fault::NoAnswer {
            url,
            timed_out,
            why,
        } => {
            let host = host_of(url);
            let what = match timed_out {
                Some(timeout) => format!(
                    "no complete answer from {host} within {}",
                    fmt_duration(*timeout)
                ),
                None => {
                    format!("the connection to {host} failed after the request was sent ({why})")
                }
            };
            let consequence = match op {
                Op::Read => "a read, safe to repeat",
                Op::Write => {
                    "the dispatch may or may not have been created; check the repository's Actions tab before running this again"
                }
            };
            ("No answer".to_owned(), format!("{what}: {consequence}"))
        }
    }
}

/// A non-success answer to a dispatch that is not a rate limit.
fn dispatch_refused(refusal: &Refusal, cx: &Dispatch<'_>) -> (String, String) {
    let Refusal {
        status,
        reason,
        error,
        ..
    } = refusal;
    let repo = cx.repo;
    let said = error.summary();
    match status {
        401 => (
            "Bad credentials (401)".to_owned(),
            format!(
                "GitHub rejected the token ({}): it is wrong, expired or revoked; {}",
                said.unwrap_or_else(|| "401 Unauthorized".to_owned()),
                cx.voice.hint(Hint::NewToken)
            ),
        ),
        403 => (
            "Forbidden (403)".to_owned(),
            format!(
                "{}: {}",
                said.unwrap_or_else(|| "403 Forbidden".to_owned()),
                forbidden_hint(error.message.as_deref().unwrap_or(""), repo, cx.token)
            ),
        ),
        404 => (
            "Repository not found (404)".to_owned(),
            format!(
                "Repository not found, OR token has insufficient permissions. Check that {repo} is spelled right; GitHub answers 404 rather than 403 when the token cannot see a repository: {}",
                not_found_hint(repo, cx.token)
            ),
        ),
        422 => {
            let mut m = format!(
                "GitHub refused the dispatch to {repo} as invalid ({})",
                said.unwrap_or_else(|| "422 Unprocessable Entity".to_owned())
            );
            if !error.errors.is_empty() {
                let _ = write!(m, "; errors: {}", error.errors.join("; "));
            }
            ("Invalid dispatch (422)".to_owned(), m)
        }
        500..=599 => (
            format!("Server error ({status})"),
            format!(
                "GitHub answered {status} {reason} ({}): the dispatch may or may not have been created; check the Actions tab of {repo} before running this again, or {} to retry 502, 503 and 504 automatically (a dispatch can then arrive twice)",
                said.unwrap_or_else(|| not_github(refusal)),
                cx.voice.set(&spec::RETRY_ON_SERVER_ERROR, "true")
            ),
        ),
        300..=399 => (
            format!("Redirected ({status})"),
            format!(
                "GitHub answered {status} {reason}{}: if {repo} was renamed or moved, use its new name",
                refusal
                    .location
                    .as_ref()
                    .map(|l| format!(" to {l}"))
                    .unwrap_or_default()
            ),
        ),
        _ => (
            format!("Dispatch failed ({status})"),
            format!(
                "GitHub answered {status} {reason} ({})",
                said.unwrap_or_else(|| not_github(refusal))
            ),
        ),
    }
}

/// A refusal of a `workflow_dispatch` that has its own advice (`403`, `404`,
/// `422` with GitHub's messages); `None` for the rest, worded as for any
/// dispatch.
fn workflow_refused(
    refusal: &Refusal,
    cx: &Dispatch<'_>,
    workflow: &str,
    git_ref: &str,
) -> Option<(String, String)> {
    let repo = cx.repo;
    let said = refusal.error.summary();
    let message = refusal
        .error
        .message
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let permission = match cx.token {
        Some(TokenKind::Installation) => {
            "the workflow's GITHUB_TOKEN needs `permissions: actions: write` and reaches only its own repository; for another repository use a fine-grained PAT or GitHub App token with Actions: read and write on it"
        }
        Some(TokenKind::FineGrainedPat) => {
            "a fine-grained token needs Actions: read and write on the repository, which must be in its repository access"
        }
        Some(TokenKind::ClassicPat) => "a classic token needs the repo scope",
        _ => {
            "the token needs Actions: read and write (fine-grained PAT or GitHub App), the repo scope (classic PAT), or `permissions: actions: write` (the workflow's GITHUB_TOKEN, own repository only)"
        }
    };
    match refusal.status {
        403 => Some((
            "Forbidden (403)".to_owned(),
            format!(
                "{}: the token may not start workflows in {repo}: {permission}",
                said.unwrap_or_else(|| "403 Forbidden".to_owned())
            ),
        )),
        404 => Some((
            "Workflow not found (404)".to_owned(),
            format!(
                "GitHub found no workflow {workflow} at {git_ref} in {repo}, or the token cannot see it ({}): check the file name under .github/workflows, that the file is on {git_ref}, and that the repository is spelled right; {permission}",
                said.unwrap_or_else(|| "404 Not Found".to_owned())
            ),
        )),
        422 => {
            let hint = if message.contains("workflow_dispatch") {
                format!(
                    "add `on: workflow_dispatch` to {workflow} on {git_ref} (the copy on that ref is the one GitHub reads)"
                )
            } else if message.contains("unexpected inputs") {
                format!(
                    "declare each input under `on: workflow_dispatch: inputs:` in {workflow} on {git_ref}, or remove it from inputs"
                )
            } else if message.contains("no ref found") {
                format!("push {git_ref} to {repo}, or give an existing branch or tag as ref")
            } else if message.contains("required input") {
                format!("give every required input of {workflow} in inputs")
            } else {
                "check workflow, ref and inputs against the workflow file".to_owned()
            };
            let mut m = format!(
                "GitHub refused to run {workflow} at {git_ref} in {repo} ({})",
                said.unwrap_or_else(|| "422 Unprocessable Entity".to_owned())
            );
            if !refusal.error.errors.is_empty() {
                let _ = write!(m, "; errors: {}", refusal.error.errors.join("; "));
            }
            let _ = write!(m, ": {hint}");
            Some(("Workflow dispatch refused (422)".to_owned(), m))
        }
        _ => None,
    }
}

/// Describes a body that is not GitHub's JSON (an HTML page from a proxy).
fn not_github(refusal: &Refusal) -> String {
    let content_type = refusal.content_type.as_deref().unwrap_or("no content type");
    let cut = if refusal.cut { ", body cut" } else { "" };
    if refusal.excerpt.is_empty() {
        format!("empty {content_type} body{cut}")
    } else {
        format!(
            "a {content_type} body, not GitHub's JSON: \"{}\"{cut}; a proxy or load balancer may be in the way",
            refusal.excerpt
        )
    }
}

fn forbidden_hint(message: &str, repo: &Repository, token: Option<TokenKind>) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("saml") || lower.contains("sso") {
        return format!(
            "the organisation of {repo} enforces SAML single sign-on: authorise the token for it (Settings > Developer settings > Tokens > Configure SSO)"
        );
    }
    match token {
        Some(TokenKind::Installation) => format!(
            "the workflow's GITHUB_TOKEN (or a GitHub App token) may not dispatch to {repo}: for the workflow's own repository add `permissions: contents: write` to the job; for another repository use a fine-grained PAT with Contents: read and write on it, or a GitHub App installation token, in a secret"
        ),
        Some(TokenKind::FineGrainedPat) => format!(
            "the fine-grained token needs Contents: read and write on {repo}, and {repo} must be in its repository access"
        ),
        Some(TokenKind::ClassicPat) => {
            "the classic token needs the repo scope (public_repo is enough for a public repository)"
                .to_owned()
        }
        _ => format!(
            "the token may not dispatch to {repo}: the workflow token needs `permissions: contents: write` and reaches only its own repository; a PAT needs the repo scope (classic) or Contents: read and write (fine-grained)"
        ),
    }
}

fn not_found_hint(repo: &Repository, token: Option<TokenKind>) -> String {
    match token {
        Some(TokenKind::Installation) => format!(
            "the workflow's GITHUB_TOKEN reaches only the workflow's own repository, so for {repo} use a PAT or GitHub App token that can access it, in a secret"
        ),
        Some(TokenKind::FineGrainedPat) => format!(
            "a fine-grained token must list {repo} in its repository access, with Contents: read and write"
        ),
        _ => format!(
            "use a token that can access {repo}: a classic PAT with the repo scope, or a fine-grained PAT listing it with Contents: read and write"
        ),
    }
}

/// `host:port` of a URL (the port only when the URL gives one), for messages.
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| url.to_owned())
}

/// The host of a URL without its port, for `no_proxy` advice.
fn host_only(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::{Answer, answer};

    fn repo() -> Repository {
        Repository::parse("octo/deploy").unwrap()
    }

    /// When a limit ends, from the answer's own signals (moved here from the
    /// client's rate-limit tests, which keep the classification).
    #[test]
    fn limits_are_worded_from_the_answer() {
        let rl = crate::github::client::primary_limit().rate_limit().unwrap();
        assert!(limit_when(&rl, 900).contains("1970-01-01T00:16:40Z"));
        // Values from the network are clamped before any arithmetic: no
        // overflow in the wording either.
        for a in crate::github::client::huge_limits() {
            let _ = limit_when(&a.rate_limit().unwrap(), now_epoch());
        }
        // What the messages call each signal of a limit alone.
        for &(message, docs, _, secondary) in crate::github::client::LIMITS_ALONE {
            let body = serde_json::json!({ "message": message, "documentation_url": docs });
            let rl = answer(403, &[("x-ratelimit-remaining", "0")], &body.to_string())
                .rate_limit()
                .unwrap();
            let kind = if secondary {
                "secondary rate limit"
            } else {
                "API rate limit"
            };
            assert_eq!(limit_kind(&rl), kind, "{message} {docs}");
        }
    }

    /// A repository dispatch of `trigger-deploy` with an empty payload.
    fn event() -> Event {
        Event::Repository {
            event_type: crate::github::payload::EventType::parse("trigger-deploy", Voice::Workflow)
                .unwrap(),
            payload: crate::github::payload::ClientPayload::parse("{}", Voice::Workflow).unwrap(),
        }
    }

    fn dispatch_answer(answer: &Answer, repo: &Repository, token: Option<TokenKind>) -> Failure {
        let event = event();
        let cx = Dispatch {
            repo,
            event: &event,
            token,
            cut_by: None,
            voice: Voice::Workflow,
        };
        dispatch(&Problem::from_answer(answer), &cx)
    }

    fn read_answer(answer: &Answer, what: &str) -> Failure {
        read(&Problem::from_answer(answer), what)
    }

    /// The advice for a refusal, per token kind: what the README promises.
    #[test]
    fn refusals_advise_per_token_kind() {
        use TokenKind::{ClassicPat, FineGrainedPat, Installation, Other};
        let forbidden = r#"{"message":"Resource not accessible"}"#;
        let cases: &[(u16, &str, Option<TokenKind>, &str)] = &[
            (
                403,
                forbidden,
                Some(Installation),
                "add `permissions: contents: write` to the job; for another repository use a fine-grained PAT",
            ),
            (
                403,
                forbidden,
                Some(FineGrainedPat),
                "the fine-grained token needs Contents: read and write on octo/deploy, and octo/deploy must be in its repository access",
            ),
            (
                403,
                forbidden,
                Some(ClassicPat),
                "the classic token needs the repo scope (public_repo is enough for a public repository)",
            ),
            (
                403,
                forbidden,
                Some(Other),
                "the token may not dispatch to octo/deploy: the workflow token needs",
            ),
            (
                403,
                forbidden,
                None,
                "the token may not dispatch to octo/deploy: the workflow token needs",
            ),
            (
                403,
                r#"{"message":"Resource protected by organization SAML enforcement."}"#,
                Some(ClassicPat),
                "enforces SAML single sign-on: authorise the token for it",
            ),
            (
                404,
                "",
                Some(Installation),
                "the workflow's GITHUB_TOKEN reaches only the workflow's own repository, so for octo/deploy use a PAT",
            ),
            (
                404,
                "",
                Some(FineGrainedPat),
                "a fine-grained token must list octo/deploy in its repository access, with Contents: read and write",
            ),
            (
                404,
                "",
                Some(ClassicPat),
                "use a token that can access octo/deploy: a classic PAT with the repo scope",
            ),
            (
                404,
                "",
                None,
                "use a token that can access octo/deploy: a classic PAT with the repo scope",
            ),
        ];
        for (status, body, kind, says) in cases {
            let f = dispatch_answer(&answer(*status, &[], body), &repo(), *kind);
            assert!(f.message.contains(says), "{status} {kind:?}: {}", f.message);
            assert_eq!(f.retry, Retry::Never);
        }
        // A rate limit never gets a permission hint, whatever the token.
        let f = dispatch_answer(
            &answer(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1")],
                forbidden,
            ),
            &repo(),
            Some(ClassicPat),
        );
        assert!(f.title.starts_with("Rate limited"), "{}", f.title);
        assert!(!f.message.contains("scope"), "{}", f.message);
    }

    #[test]
    fn read_failures_say_what_to_do() {
        for (status, hint, retry) in [
            (403, true, Retry::Never),
            (404, true, Retry::Never),
            (400, false, Retry::Never),
            (500, false, Retry::Repeat),
            (503, false, Retry::Repeat),
        ] {
            let f = read_answer(
                &answer(status, &[], r#"{"message":"m"}"#),
                "list workflow runs",
            );
            assert_eq!(f.title, format!("Could not list workflow runs ({status})"));
            assert!(
                f.message.starts_with(&format!(
                    "GitHub answered {status} when asked to list workflow runs (m)"
                )),
                "{}",
                f.message
            );
            assert_eq!(
                f.message.contains("actions: read"),
                hint,
                "{status}: {}",
                f.message
            );
            assert_eq!(f.retry, retry, "{status}");
            assert_eq!(f.http_status, Some(status));
        }
    }

    #[test]
    fn reset_times_are_told_only_when_nothing_remains() {
        let limit = |remaining, reset, retry_after: Option<u64>| RateLimit {
            retry_after: retry_after.map(Duration::from_secs),
            remaining,
            reset,
            secondary: false,
        };
        assert_eq!(
            limit_when(&limit(Some(0), Some(1000), None), 900),
            "the limit resets at 1970-01-01T00:16:40Z (in 1m40s)"
        );
        assert_eq!(
            limit_when(&limit(Some(5), Some(1000), None), 900),
            "GitHub gives no reset time; wait a few minutes"
        );
        assert_eq!(limit(Some(5), Some(1000), None).asked_wait(900), None);
        assert_eq!(
            limit_when(&limit(Some(0), Some(1000), Some(7)), 900),
            "GitHub asks to retry after 7s"
        );
        assert_eq!(
            limit(Some(0), Some(1000), None).asked_wait(900),
            Some(Duration::from_secs(101))
        );
    }

    #[test]
    fn failures_say_what_to_do() {
        type Case<'a> = (u16, &'a str, Option<TokenKind>, &'a [&'a str], Retry);
        let cases: &[Case] = &[
            (
                401,
                r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
                None,
                &["Bad credentials - https://docs.github.com/rest", "expired"],
                Retry::Never,
            ),
            (
                403,
                r#"{"message":"Resource not accessible by integration"}"#,
                Some(TokenKind::Installation),
                &[
                    "Resource not accessible by integration",
                    "permissions: contents: write",
                ],
                Retry::Never,
            ),
            (
                404,
                r#"{"message":"Not Found"}"#,
                None,
                &[
                    "Repository not found, OR token has insufficient permissions.",
                    "octo/deploy",
                ],
                Retry::Never,
            ),
            (
                422,
                r#"{"message":"Invalid request.","errors":["No more than 10 properties are allowed; 13 were supplied."]}"#,
                None,
                &["Invalid request.", "No more than 10 properties"],
                Retry::Never,
            ),
            (
                502,
                "<html><title>502 Bad Gateway</title></html>",
                None,
                &["may or may not", "502 Bad Gateway", "proxy"],
                Retry::OnlyIfAsked,
            ),
            (500, "", None, &["may or may not"], Retry::Never),
            (
                418,
                r#"{"message":"teapot"}"#,
                None,
                &["418", "teapot"],
                Retry::Never,
            ),
        ];
        for (status, body, token, parts, retry) in cases {
            let f = dispatch_answer(
                &answer(*status, &[("content-type", "text/html")], body),
                &repo(),
                *token,
            );
            for part in *parts {
                assert!(
                    f.message.contains(part),
                    "{status}: {} lacks {part}",
                    f.message
                );
            }
            assert_eq!(&f.retry, retry, "{status}");
            assert_eq!(f.http_status, Some(*status));
        }
        let f = dispatch_answer(&answer(404, &[], ""), &repo(), None);
        assert!(
            f.message
                .starts_with("Repository not found, OR token has insufficient permissions.")
        );
    }

    /// Only a request that went out and got no answer was cut short by what
    /// remained of `timeout`; a refusal or a connection never made was not.
    #[test]
    fn the_deadline_note_is_for_no_answer_only() {
        let url = || "https://api.github.com/repos/octo/deploy/dispatches".to_owned();
        let note = " (the request had only what was left of timeout 20s)";
        for (problem, noted) in [
            (
                Problem::Fault(Fault::NoAnswer {
                    url: url(),
                    timed_out: Some(Duration::from_secs(3)),
                    why: String::new(),
                }),
                true,
            ),
            (
                Problem::Fault(Fault::NotConnected {
                    url: url(),
                    why: "refused".to_owned(),
                }),
                false,
            ),
            (Problem::from_answer(&answer(500, &[], "")), false),
        ] {
            for cut_by in [None, Some(Duration::from_secs(20))] {
                let (repo, event) = (repo(), event());
                let cx = Dispatch {
                    repo: &repo,
                    event: &event,
                    token: None,
                    cut_by,
                    voice: Voice::Workflow,
                };
                let f = dispatch(&problem, &cx);
                assert_eq!(
                    f.message.ends_with(note),
                    noted && cut_by.is_some(),
                    "{problem:?} {cut_by:?}: {}",
                    f.message
                );
            }
        }
    }

    /// A workflow dispatch's refusals, with GitHub's messages, get the fix.
    #[test]
    fn workflow_refusals_say_what_to_fix() {
        let event = Event::Workflow {
            workflow: crate::github::workflow::Workflow::parse("deploy.yml").unwrap(),
            git_ref: crate::github::workflow::GitRef::parse("main").unwrap(),
            inputs: None,
        };
        let repo = repo();
        let cases: &[(u16, &str, Option<TokenKind>, &str, &str)] = &[
            (
                422,
                "Workflow does not have 'workflow_dispatch' trigger",
                None,
                "Workflow dispatch refused (422)",
                "add `on: workflow_dispatch` to deploy.yml on main",
            ),
            (
                422,
                "Unexpected inputs provided: [\"colour\"]",
                None,
                "Workflow dispatch refused (422)",
                "declare each input under `on: workflow_dispatch: inputs:` in deploy.yml on main, or remove it from inputs",
            ),
            (
                422,
                "No ref found for: nope",
                None,
                "Workflow dispatch refused (422)",
                "push main to octo/deploy, or give an existing branch or tag as ref",
            ),
            (
                422,
                "Required input 'tag' not provided",
                None,
                "Workflow dispatch refused (422)",
                "give every required input of deploy.yml in inputs",
            ),
            (
                404,
                "Not Found",
                Some(TokenKind::FineGrainedPat),
                "Workflow not found (404)",
                "a fine-grained token needs Actions: read and write on the repository",
            ),
            (
                403,
                "Resource not accessible by integration",
                Some(TokenKind::Installation),
                "Forbidden (403)",
                "needs `permissions: actions: write`",
            ),
            // Anything else is worded as for any dispatch.
            (
                500,
                "boom",
                None,
                "Server error (500)",
                "may or may not have been created",
            ),
        ];
        for &(status, message, token, title, says) in cases {
            let body = serde_json::json!({ "message": message }).to_string();
            let cx = Dispatch {
                repo: &repo,
                event: &event,
                token,
                cut_by: None,
                voice: Voice::Workflow,
            };
            let f = dispatch(&Problem::from_answer(&answer(status, &[], &body)), &cx);
            assert_eq!(f.title, title, "{message}");
            assert!(f.message.contains(says), "{message}: {}", f.message);
            assert!(f.message.contains(message), "{message}: {}", f.message);
        }
    }
}
