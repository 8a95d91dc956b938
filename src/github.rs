//! The HTTP client: headers GitHub asks for, bounded answers, GitHub's error
//! bodies and rate-limit signals, and what each failure means for a retry.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::inputs::Repository;
use crate::proxy::{Proxy, Route};
use crate::secret::{Token, TokenKind};
use crate::time::{Clock, fmt_duration, now_epoch, utc};

/// `User-Agent`: GitHub rejects requests without one.
pub const USER_AGENT: &str = concat!("repository-dispatch/", env!("CARGO_PKG_VERSION"));
/// The REST API version this client was written against.
pub const API_VERSION: &str = "2022-11-28";
/// The most of an error answer that is read; the rest is never downloaded.
pub const MAX_ERROR_BODY: usize = 64 * 1024;
/// The title of a failure where the request went out but no answer came back.
pub const NO_ANSWER: &str = "No answer";
/// The most of a successful JSON answer (a page of 100 runs) that is read.
pub const MAX_JSON_BODY: usize = 8 * 1024 * 1024;
/// The longest wait an answer's `retry-after` or `x-ratelimit-reset` is taken
/// at; a longer one (or one near 2^64) is clamped before any arithmetic. The
/// longest wait any input allows is shorter.
pub const MAX_ASKED_WAIT: Duration = Duration::from_hours(24);
/// Redirects followed for one request (a renamed repository takes one).
pub const MAX_REDIRECTS: usize = 3;
/// Connect timeout for every request.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Timeout for one request, from sending to the end of the answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One request, as sent and as shown by `--dry-run` and debug logging.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub body: Option<String>,
    pub if_none_match: Option<String>,
}

/// A header's value: text, or the `Authorization` header, which only the
/// client holds (and shows as `Bearer ***`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderField<'a> {
    Text(&'a str),
    Authorization,
}

impl Request {
    /// The headers sent, in order: the one list both sending and showing read.
    #[must_use]
    pub fn headers(&self) -> Vec<(&'static str, HeaderField<'_>)> {
        let text = HeaderField::Text;
        let mut h = vec![
            ("Accept", text("application/vnd.github+json")),
            ("Authorization", HeaderField::Authorization),
        ];
        if self.body.is_some() {
            h.push(("Content-Type", text("application/json")));
        }
        if let Some(etag) = &self.if_none_match {
            h.push(("If-None-Match", text(etag)));
        }
        h.push(("User-Agent", text(USER_AGENT)));
        h.push(("X-GitHub-Api-Version", text(API_VERSION)));
        h
    }

    /// The headers sent, in order, with the token shown as `***`.
    #[must_use]
    pub fn headers_shown(&self, has_token: bool) -> Vec<(&'static str, String)> {
        self.headers()
            .into_iter()
            .map(|(name, value)| {
                let shown = match value {
                    HeaderField::Text(v) => v,
                    HeaderField::Authorization if has_token => "Bearer ***",
                    HeaderField::Authorization => "Bearer <no token given>",
                };
                (name, shown.to_owned())
            })
            .collect()
    }

    /// The whole request as text: request line, headers, blank line, body.
    #[must_use]
    pub fn describe(&self, has_token: bool) -> String {
        let mut s = format!("{} {}\n", self.method, self.url);
        for (name, value) in self.headers_shown(has_token) {
            let _ = writeln!(s, "{name}: {value}");
        }
        if let Some(body) = &self.body {
            let _ = write!(s, "\n{body}\n");
        }
        s
    }
}

/// An answer from the server, its body read up to a bound.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body was longer than the bound and was cut.
    pub truncated: bool,
    /// Where the request ended up after following redirects (a renamed or
    /// transferred repository), if it was redirected.
    pub moved_to: Option<String>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn header_u64(&self, name: &str) -> Option<u64> {
        self.header(name).and_then(|v| v.trim().parse().ok())
    }

    #[must_use]
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// Whether a `Link` header names a next page.
    #[must_use]
    pub fn has_next_page(&self) -> bool {
        self.header("link").is_some_and(|link| {
            link.split(',')
                .any(|part| part.split(';').skip(1).any(|p| p.trim() == "rel=\"next\""))
        })
    }

    /// Response headers worth showing in debug output, in a stable order.
    #[must_use]
    pub fn headers_shown(&self) -> String {
        let mut names: Vec<&str> = self
            .headers
            .keys()
            .map(reqwest::header::HeaderName::as_str)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
            .iter()
            .map(|n| format!("{n}: {}", self.header(n).unwrap_or("<binary>")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `retry-after` as a wait: seconds, or an HTTP date (RFC 9110, section
    /// 10.2.3) counted from `now`; clamped to [`MAX_ASKED_WAIT`].
    fn retry_after(&self, now: u64) -> Option<Duration> {
        let value = self.header("retry-after")?.trim();
        let secs = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            // Digits beyond u64 are still "a very long time".
            value.parse::<u64>().unwrap_or(u64::MAX)
        } else {
            let at = httpdate::parse_http_date(value).ok()?;
            at.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
                .saturating_sub(now)
        };
        Some(Duration::from_secs(secs).min(MAX_ASKED_WAIT))
    }

    /// GitHub's rate-limit signals, if this answer is a rate-limit refusal.
    /// The one place that decides it, from GitHub's documented signals: any
    /// `429`; a `403` with `x-ratelimit-remaining: 0`, a `retry-after`, or a
    /// message naming a rate limit, including the older "abuse detection
    /// mechanism" wording of secondary limits (GitHub Enterprise Server).
    #[must_use]
    pub fn rate_limit(&self) -> Option<RateLimit> {
        let now = now_epoch();
        let remaining = self.header_u64("x-ratelimit-remaining");
        let retry_after = self.retry_after(now);
        let said = GitHubError::parse(&self.body);
        let message = said.message.unwrap_or_default().to_ascii_lowercase();
        let docs = said
            .documentation_url
            .unwrap_or_default()
            .to_ascii_lowercase();
        let abuse = message.contains("abuse detection")
            || message.contains("abuse rate limit")
            || docs.ends_with("#abuse-rate-limits");
        let secondary_named = abuse
            || message.contains("secondary rate limit")
            || docs.ends_with("#secondary-rate-limits");
        let limited = match self.status.as_u16() {
            429 => true,
            403 => {
                remaining == Some(0)
                    || retry_after.is_some()
                    || secondary_named
                    || message.contains("rate limit")
            }
            _ => false,
        };
        limited.then(|| RateLimit {
            retry_after,
            remaining,
            reset: self.header_u64("x-ratelimit-reset"),
            secondary: secondary_named || remaining != Some(0),
        })
    }
}

/// What a rate-limit answer said about when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub retry_after: Option<Duration>,
    pub remaining: Option<u64>,
    /// Epoch seconds when the primary limit resets.
    pub reset: Option<u64>,
    pub secondary: bool,
}

impl RateLimit {
    /// How long GitHub asks us to wait, if it says: `retry-after`, else the
    /// reset time when nothing remains. `None`: wait at least a minute.
    #[must_use]
    pub fn asked_wait(&self, now: u64) -> Option<Duration> {
        if let Some(d) = self.retry_after {
            return Some(d);
        }
        match (self.remaining, self.reset) {
            (Some(0), Some(reset)) => Some(
                Duration::from_secs(reset.saturating_sub(now).saturating_add(1))
                    .min(MAX_ASKED_WAIT),
            ),
            _ => None,
        }
    }

    /// When it resets, for messages: "at 19:05:00Z (in 43m)".
    #[must_use]
    pub fn when(&self, now: u64) -> String {
        match (self.retry_after, self.reset) {
            (Some(d), _) => format!("GitHub asks to retry after {}", fmt_duration(d)),
            (None, Some(reset)) if self.remaining == Some(0) => format!(
                "the limit resets at {} (in {})",
                utc(reset),
                fmt_duration(Duration::from_secs(reset.saturating_sub(now)))
            ),
            _ => "GitHub gives no reset time; wait a few minutes".to_owned(),
        }
    }

    fn kind(&self) -> &'static str {
        if self.secondary {
            "secondary rate limit"
        } else {
            "API rate limit"
        }
    }
}

/// GitHub's error body (`basic-error` / `validation-error`), parsed leniently:
/// every field may be missing, and a body that is not JSON gives all `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitHubError {
    pub message: Option<String>,
    pub documentation_url: Option<String>,
    /// `errors[]`, each as one line ("field: message (code)").
    pub errors: Vec<String>,
}

impl GitHubError {
    #[must_use]
    pub fn parse(body: &[u8]) -> Self {
        let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(body)
        else {
            return Self::default();
        };
        let text = |v: Option<&serde_json::Value>| {
            v.and_then(serde_json::Value::as_str).map(str::to_owned)
        };
        let errors = obj
            .get("errors")
            .and_then(serde_json::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|e| match e {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Object(o) => {
                            let field = text(o.get("field")).or_else(|| text(o.get("resource")));
                            let msg = text(o.get("message")).or_else(|| text(o.get("code")));
                            match (field, msg) {
                                (Some(f), Some(m)) => format!("{f}: {m}"),
                                (None, Some(m)) | (Some(m), None) => m,
                                (None, None) => e.to_string(),
                            }
                        }
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            message: text(obj.get("message")),
            documentation_url: text(obj.get("documentation_url")),
            errors,
        }
    }

    /// "message - `documentation_url`", the JavaScript action's format.
    fn summary(&self) -> Option<String> {
        let message = self.message.as_deref()?;
        Some(match &self.documentation_url {
            Some(url) => format!("{message} - {url}"),
            None => message.to_owned(),
        })
    }
}

/// Whether a failed request may be sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    /// GitHub surely did not act: the connection was never made.
    NotSent,
    /// A rate-limit refusal: GitHub did not act; wait as it says.
    RateLimited(RateLimit),
    /// A `502`, `503` or `504`: GitHub may have acted; retried only on opt-in.
    ServerError,
    /// GitHub acted or refused for good, or the outcome is unknown.
    Never,
}

/// A failed request: what a person reads, and whether it may be retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// A short title for the `::error title=...::` annotation.
    pub title: String,
    /// One line: what went wrong and what to do.
    pub message: String,
    pub http_status: Option<u16>,
    pub retry: Retry,
}

/// The HTTP client, built once per run.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    token: Option<Token>,
    /// `Bearer {token}`, marked sensitive so that it never shows in debug output.
    authorization: Option<HeaderValue>,
    clock: Clock,
    route: Route,
}

impl Client {
    /// Builds the client from a finished TLS configuration and the route
    /// chosen by `proxy::choose`: reqwest does not read proxy variables itself.
    pub fn new(
        tls: rustls::ClientConfig,
        token: Option<Token>,
        clock: Clock,
        route: Route,
    ) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let mut builder = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .http1_only()
            .connect_timeout(clock.real(CONNECT_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if let Some(proxy) = route.proxy() {
            // The credentials in the URL's userinfo become `Proxy-Authorization`.
            // The error is not shown with `{e}`: it could hold the URL.
            let p = reqwest::Proxy::all(proxy.url_with_credentials())
                .map_err(|_| anyhow::anyhow!("could not use the proxy {proxy}"))?;
            builder = builder.proxy(p);
        }
        let http = builder
            .build()
            .context("could not set up the HTTP client")?;
        let authorization = match &token {
            Some(t) => {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {}", t.expose())).map_err(|_| {
                        anyhow::anyhow!(
                            "the token cannot be sent in an HTTP header: copy the secret again"
                        )
                    })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Self {
            http,
            token,
            authorization,
            clock,
            route,
        })
    }

    /// Sends one request and reads the answer (at most `max_body` bytes of it)
    /// within `timeout` (nominal, for the whole request and its redirects), or
    /// says why there is no answer.
    ///
    /// Redirects are followed here, not by reqwest, because the rule depends on
    /// the method: a read follows `301`, `302`, `303`, `307` and `308`; a write
    /// only `307` and `308`, which keep the method and body (a `301`/`302` would
    /// turn a POST into a GET). At most [`MAX_REDIRECTS`] hops, and only within
    /// the origin of the request, so the token never goes to another host or
    /// from https to http. A redirect is an answer, not an action: following it
    /// never sends a dispatch twice.
    pub async fn send(
        &self,
        req: &Request,
        timeout: Duration,
        max_body: usize,
    ) -> Result<Answer, Failure> {
        let deadline = self.clock.after(timeout);
        let origin = reqwest::Url::parse(&req.url).ok().map(|u| u.origin());
        let mut url = req.url.clone();
        let mut moved_to = None;
        let mut hops = 0;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let response = self
                .send_once(req, &url, left)
                .await
                .map_err(|e| transport_failure(&e, &req.method, &url, timeout, &self.route))?;
            // A plain-http request through a proxy gets the proxy's 407 as an
            // answer (for https it is the CONNECT's, a transport error).
            if let Some(proxy) = self.route.proxy()
                && response.status() == StatusCode::PROXY_AUTHENTICATION_REQUIRED
                && url.starts_with("http://")
            {
                return Err(proxy_auth_failure(proxy, &url, false));
            }
            let next = redirect_target(&response, &req.method, &url)
                .filter(|next| Some(next.origin()) == origin);
            match next {
                Some(next) if hops < MAX_REDIRECTS => {
                    hops += 1;
                    url = next.to_string();
                    moved_to = Some(url.clone());
                }
                Some(_) => {
                    return Err(Failure {
                        title: "Too many redirects".to_owned(),
                        message: format!(
                            "{} redirected the request more than {MAX_REDIRECTS} times and it was not followed further: check GITHUB_API_URL and the repository name",
                            host_of(&req.url)
                        ),
                        http_status: Some(response.status().as_u16()),
                        retry: Retry::Never,
                    });
                }
                None => {
                    let mut answer = self
                        .read_answer(response, &req.method, &url, timeout, max_body)
                        .await?;
                    answer.moved_to = moved_to;
                    return Ok(answer);
                }
            }
        }
    }

    /// One HTTP exchange to `url`, up to the headers; `left` is real time.
    async fn send_once(
        &self,
        req: &Request,
        url: &str,
        left: Duration,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut builder = self.http.request(req.method.clone(), url).timeout(left);
        for (name, value) in req.headers() {
            builder = match value {
                HeaderField::Text(v) => builder.header(name, v),
                HeaderField::Authorization => match &self.authorization {
                    Some(auth) => builder.header(name, auth.clone()),
                    None => builder,
                },
            };
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        builder.send().await
    }

    /// Reads the body, bounded, and scrubs the token out of an error body
    /// before anything else sees it (a page that echoes the request), so that
    /// no later cut can leave a piece of it.
    async fn read_answer(
        &self,
        mut response: reqwest::Response,
        method: &Method,
        url: &str,
        timeout: Duration,
        max_body: usize,
    ) -> Result<Answer, Failure> {
        let status = response.status();
        let headers = response.headers().clone();
        let limit = if status.is_success() {
            max_body
        } else {
            max_body.min(MAX_ERROR_BODY)
        };
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = limit - body.len();
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                // An error answer cut short is still an answer; a success whose
                // body is cut is not usable.
                Err(_) if !status.is_success() || status == StatusCode::NO_CONTENT => {
                    truncated = true;
                    break;
                }
                Err(e) => return Err(transport_failure(&e, method, url, timeout, &self.route)),
            }
        }
        if !status.is_success()
            && let Some(token) = &self.token
        {
            let text = String::from_utf8_lossy(&body);
            body = token.scrub(&text, truncated).into_bytes();
        }
        Ok(Answer {
            status,
            headers,
            body,
            truncated,
            moved_to: None,
        })
    }
}

/// Where a redirect answer points, if this method follows it: reads follow
/// `301`, `302`, `303`, `307` and `308`; writes only `307` and `308`.
fn redirect_target(
    response: &reqwest::Response,
    method: &Method,
    url: &str,
) -> Option<reqwest::Url> {
    let follows = match response.status().as_u16() {
        307 | 308 => true,
        301..=303 => *method == Method::GET,
        _ => false,
    };
    if !follows {
        return None;
    }
    let location = response.headers().get("location")?.to_str().ok()?;
    reqwest::Url::parse(url).ok()?.join(location.trim()).ok()
}

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

/// The innermost causes of a transport error, without the URL reqwest adds.
fn causes(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

fn is_certificate_error(e: &reqwest::Error) -> bool {
    std::error::Error::source(e).is_some_and(rejects_certificate)
}

/// Walks a cause chain, looking inside `io::Error`s too (their `source()`
/// skips the error they wrap), for rustls refusing the server's certificate.
fn rejects_certificate(e: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(r) = e.downcast_ref::<rustls::Error>() {
        return matches!(
            r,
            rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
        );
    }
    let inside_io = e
        .downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref)
        .is_some_and(|inner| rejects_certificate(inner));
    if inside_io {
        return true;
    }
    e.source().is_some_and(rejects_certificate)
}

/// Classifies an error with no HTTP answer: a connection never made is safe to
/// retry; anything after the request went out is ambiguous.
fn transport_failure(
    e: &reqwest::Error,
    method: &Method,
    url: &str,
    timeout: Duration,
    route: &Route,
) -> Failure {
    let host = host_of(url);
    let why = causes(e);
    if is_certificate_error(e) {
        return Failure {
            title: "TLS certificate not trusted".to_owned(),
            message: format!(
                "the TLS certificate of {host} is not trusted ({why}); nothing was sent: for a GitHub Enterprise Server with a private CA, set SSL_CERT_FILE to the CA's PEM file"
            ),
            http_status: None,
            retry: Retry::Never,
        };
    }
    if let (true, Some(proxy)) = (e.is_connect(), route.proxy()) {
        // hyper-util's `TunnelError::ProxyAuthRequired` (not exported): the
        // proxy answered the CONNECT with 407.
        if why.contains("proxy authorization required") {
            return proxy_auth_failure(proxy, url, true);
        }
        // The proxy refused the tunnel (it answered the CONNECT, not with
        // 200), or the proxy itself could not be reached: the API host was
        // never contacted, so it is named second.
        let message = if why.contains("unsuccessful tunnel") {
            format!(
                "the proxy {proxy} refused to connect to {host} ({why}); nothing was sent: check the proxy's rules for {host}, or add {} to no_proxy to connect directly",
                host_only(url)
            )
        } else {
            format!(
                "could not connect to the proxy {proxy} ({why}); nothing was sent to {host}: check that the proxy runs and that {} holds its address, or add {} to no_proxy to connect directly",
                proxy.var,
                host_only(url)
            )
        };
        return Failure {
            title: "Could not connect".to_owned(),
            message,
            http_status: None,
            retry: Retry::NotSent,
        };
    }
    if e.is_connect() {
        return Failure {
            title: "Could not connect".to_owned(),
            message: format!("could not connect to {host} ({why}); nothing was sent"),
            http_status: None,
            retry: Retry::NotSent,
        };
    }
    let what = if e.is_timeout() {
        format!(
            "no complete answer from {host} within {}",
            fmt_duration(timeout)
        )
    } else {
        format!("the connection to {host} failed after the request was sent ({why})")
    };
    let consequence = if *method == Method::GET {
        "a read, safe to repeat"
    } else {
        "the dispatch may or may not have been created; check the repository's Actions tab before running this again"
    };
    Failure {
        title: NO_ANSWER.to_owned(),
        message: format!("{what}: {consequence}"),
        http_status: None,
        retry: Retry::Never,
    }
}

/// A proxy answered `407 Proxy Authentication Required`: a configuration
/// error, never retried. To a CONNECT (`tunnel`), nothing reached the API; to a
/// plain-http request, the request reached the proxy only.
fn proxy_auth_failure(proxy: &Proxy, url: &str, tunnel: bool) -> Failure {
    let host = host_of(url);
    let reached = if tunnel {
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
    Failure {
        title: "Proxy authentication required".to_owned(),
        message,
        http_status: (!tunnel).then_some(407),
        retry: Retry::Never,
    }
}

/// The host of a URL without its port, for `no_proxy` advice.
fn host_only(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// Turns a non-success answer to a dispatch into a failure a person can act on.
#[must_use]
pub fn dispatch_failure(answer: &Answer, repo: &Repository, token: Option<TokenKind>) -> Failure {
    let status = answer.status.as_u16();
    let reason = answer.status.canonical_reason().unwrap_or("");
    let error = GitHubError::parse(&answer.body);
    let said = error.summary();
    let http_status = Some(status);
    if let Some(limit) = answer.rate_limit() {
        let now = now_epoch();
        return Failure {
            title: format!("Rate limited ({status})"),
            message: format!(
                "GitHub refused the dispatch to {repo} with its {} ({}); {}",
                limit.kind(),
                said.unwrap_or_else(|| format!("{status} {reason}")),
                limit.when(now)
            ),
            http_status,
            retry: Retry::RateLimited(limit),
        };
    }
    let not_github = || not_github_body(answer);
    let (title, message, retry) = match status {
        401 => (
            "Bad credentials (401)".to_owned(),
            format!(
                "GitHub rejected the token ({}): it is wrong, expired or revoked; create a new one and update the secret",
                said.unwrap_or_else(|| "401 Unauthorized".to_owned())
            ),
            Retry::Never,
        ),
        403 => (
            "Forbidden (403)".to_owned(),
            format!(
                "{}: {}",
                said.unwrap_or_else(|| "403 Forbidden".to_owned()),
                forbidden_hint(error.message.as_deref().unwrap_or(""), repo, token)
            ),
            Retry::Never,
        ),
        404 => (
            "Repository not found (404)".to_owned(),
            format!(
                "Repository not found, OR token has insufficient permissions. Check that {repo} is spelled right; GitHub answers 404 rather than 403 when the token cannot see a repository: {}",
                not_found_hint(repo, token)
            ),
            Retry::Never,
        ),
        422 => {
            let mut m = format!(
                "GitHub refused the dispatch to {repo} as invalid ({})",
                said.unwrap_or_else(|| "422 Unprocessable Entity".to_owned())
            );
            if !error.errors.is_empty() {
                let _ = write!(m, "; errors: {}", error.errors.join("; "));
            }
            ("Invalid dispatch (422)".to_owned(), m, Retry::Never)
        }
        500..=599 => (
            format!("Server error ({status})"),
            format!(
                "GitHub answered {status} {reason} ({}): the dispatch may or may not have been created; check the Actions tab of {repo} before running this again, or set retry-on-server-error: true to retry 502, 503 and 504 automatically (a dispatch can then arrive twice)",
                said.unwrap_or_else(not_github)
            ),
            if matches!(status, 502..=504) {
                Retry::ServerError
            } else {
                Retry::Never
            },
        ),
        300..=399 => (
            format!("Redirected ({status})"),
            format!(
                "GitHub answered {status} {reason}{}: if {repo} was renamed or moved, use its new name",
                answer
                    .header("location")
                    .map(|l| format!(" to {l}"))
                    .unwrap_or_default()
            ),
            Retry::Never,
        ),
        _ => (
            format!("Dispatch failed ({status})"),
            format!(
                "GitHub answered {status} {reason} ({})",
                said.unwrap_or_else(not_github)
            ),
            Retry::Never,
        ),
    };
    Failure {
        title,
        message,
        http_status,
        retry,
    }
}

/// A failure for a read (listing or fetching runs); reads are safe to retry.
#[must_use]
pub fn read_failure(answer: &Answer, what: &str) -> Failure {
    let status = answer.status.as_u16();
    let error = GitHubError::parse(&answer.body);
    if let Some(limit) = answer.rate_limit() {
        return Failure {
            title: format!("Rate limited ({status})"),
            message: format!(
                "GitHub refused to {what} with its {}; {}",
                limit.kind(),
                limit.when(now_epoch())
            ),
            http_status: Some(status),
            retry: Retry::RateLimited(limit),
        };
    }
    let said = error.summary().unwrap_or_else(|| not_github_body(answer));
    let hint = match status {
        403 | 404 => {
            ": the token needs read access to Actions (actions: read for the workflow token or a fine-grained PAT) to find the run"
        }
        _ => "",
    };
    Failure {
        title: format!("Could not {what} ({status})"),
        message: format!("GitHub answered {status} when asked to {what} ({said}){hint}"),
        http_status: Some(status),
        retry: if status >= 500 {
            Retry::ServerError
        } else {
            Retry::Never
        },
    }
}

/// Describes a body that is not GitHub's JSON (an HTML page from a proxy).
fn not_github_body(answer: &Answer) -> String {
    let content_type = answer.header("content-type").unwrap_or("no content type");
    let text = String::from_utf8_lossy(&answer.body);
    let title = text
        .find("<title>")
        .and_then(|start| {
            let rest = &text[start + 7..];
            rest.find("</title>")
                .map(|end| rest[..end].trim().to_owned())
        })
        .filter(|t| !t.is_empty());
    let shown = title.unwrap_or_else(|| text.chars().take(120).collect::<String>());
    let shown: String = shown
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cut = if answer.truncated { ", body cut" } else { "" };
    if shown.trim().is_empty() {
        format!("empty {content_type} body{cut}")
    } else {
        format!(
            "a {content_type} body, not GitHub's JSON: \"{}\"{cut}; a proxy or load balancer may be in the way",
            shown.trim()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: body.as_bytes().to_vec(),
            truncated: false,
            moved_to: None,
        }
    }

    fn repo() -> Repository {
        Repository::parse("octo/deploy").unwrap()
    }

    #[test]
    fn error_bodies_parse_leniently() {
        let e = GitHubError::parse(br#"{"message":"Validation Failed","errors":[{"resource":"Repo","field":"client_payload","code":"invalid"},"plain",{"code":"custom","message":"No more than 10 properties are allowed; 13 were supplied."}],"documentation_url":"https://docs.github.com/rest"}"#);
        assert_eq!(e.message.as_deref(), Some("Validation Failed"));
        assert_eq!(
            e.errors,
            vec![
                "client_payload: invalid",
                "plain",
                "No more than 10 properties are allowed; 13 were supplied."
            ]
        );
        assert_eq!(GitHubError::parse(b"<html>"), GitHubError::default());
        assert_eq!(GitHubError::parse(b"[1]"), GitHubError::default());
        assert_eq!(GitHubError::parse(br#"{"message": 5}"#).message, None);
    }

    #[test]
    fn rate_limit_signals() {
        let secondary = answer(
            403,
            &[("retry-after", "30")],
            r#"{"message":"You have exceeded a secondary rate limit."}"#,
        );
        let rl = secondary.rate_limit().unwrap();
        assert!(rl.secondary);
        assert_eq!(rl.asked_wait(0), Some(Duration::from_secs(30)));
        let primary = answer(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1000"),
            ],
            r#"{"message":"API rate limit exceeded for user ID 1."}"#,
        );
        let rl = primary.rate_limit().unwrap();
        assert!(!rl.secondary);
        assert_eq!(rl.asked_wait(900), Some(Duration::from_secs(101)));
        assert!(rl.when(900).contains("1970-01-01T00:16:40Z"));
        let bare_429 = answer(429, &[], "");
        assert_eq!(bare_429.rate_limit().unwrap().asked_wait(0), None);
        assert_eq!(
            answer(
                403,
                &[],
                r#"{"message":"Resource not accessible by integration"}"#
            )
            .rate_limit(),
            None
        );
        assert_eq!(
            answer(404, &[("x-ratelimit-remaining", "0")], "").rate_limit(),
            None
        );
        // The older wording of the secondary limit, with requests remaining.
        let abuse = answer(
            403,
            &[("x-ratelimit-remaining", "4990")],
            r#"{"message":"You have triggered an abuse detection mechanism and have been temporarily blocked.","documentation_url":"https://developer.github.com/v3/#abuse-rate-limits"}"#,
        )
        .rate_limit()
        .unwrap();
        assert!(abuse.secondary);
        assert_eq!(abuse.asked_wait(0), None, "no time given: a minute or more");
        let by_docs = answer(
            403,
            &[],
            r#"{"message":"Forbidden","documentation_url":"https://docs.github.com/rest#abuse-rate-limits"}"#,
        );
        assert!(by_docs.rate_limit().unwrap().secondary);
        // Values from the network are clamped before any arithmetic.
        let huge = u64::MAX.to_string();
        for headers in [
            vec![("retry-after", huge.as_str())],
            vec![("retry-after", "999999999999999999999999")],
            vec![
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", huge.as_str()),
            ],
        ] {
            let rl = answer(429, &headers, "").rate_limit().unwrap();
            assert_eq!(
                rl.asked_wait(now_epoch()),
                Some(MAX_ASKED_WAIT),
                "{headers:?}"
            );
            let _ = rl.when(now_epoch());
        }
        // Retry-After as an HTTP date, in each of RFC 9110's three forms
        // (784111777 is 1994-11-06T08:49:37Z); a date passed is no wait.
        for date in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            let a = answer(429, &[("retry-after", date)], "");
            assert_eq!(
                a.retry_after(784_111_747),
                Some(Duration::from_secs(30)),
                "{date}"
            );
            assert_eq!(a.retry_after(784_111_800), Some(Duration::ZERO), "{date}");
        }
        assert_eq!(
            answer(429, &[("retry-after", "soon")], "").retry_after(0),
            None
        );
    }

    /// Each signal of a rate limit alone, with nothing remaining so that only
    /// the wording can make the limit secondary.
    #[test]
    fn rate_limit_signals_alone() {
        // (message, documentation_url, limited, secondary)
        let alone: &[(&str, &str, bool, bool)] = &[
            (
                "You have triggered an abuse detection mechanism",
                "",
                true,
                true,
            ),
            ("Abuse rate limit hit", "", true, true),
            (
                "Forbidden",
                "https://docs.github.com/rest#abuse-rate-limits",
                true,
                true,
            ),
            ("You have exceeded a secondary rate limit", "", true, true),
            (
                "Forbidden",
                "https://docs.github.com/rest#secondary-rate-limits",
                true,
                true,
            ),
            ("API rate limit exceeded", "", true, false),
            ("Forbidden", "https://docs.github.com/rest", true, false),
        ];
        for &(message, docs, limited, secondary) in alone {
            let body = serde_json::json!({ "message": message, "documentation_url": docs });
            let with_none_left = answer(403, &[("x-ratelimit-remaining", "0")], &body.to_string());
            let rl = with_none_left.rate_limit();
            assert_eq!(rl.is_some(), limited, "{message} {docs}");
            let rl = rl.unwrap();
            assert_eq!(rl.secondary, secondary, "{message} {docs}");
            // What the messages call it.
            let kind = if secondary {
                "secondary rate limit"
            } else {
                "API rate limit"
            };
            assert_eq!(rl.kind(), kind, "{message} {docs}");
            // Without the header, only the wording says it is a limit.
            let named = secondary || message.contains("rate limit");
            let wording_only = answer(403, &[], &body.to_string());
            assert_eq!(
                wording_only.rate_limit().is_some(),
                named,
                "{message} {docs}"
            );
        }
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
            let f = dispatch_failure(&answer(*status, &[], body), &repo(), *kind);
            assert!(f.message.contains(says), "{status} {kind:?}: {}", f.message);
            assert_eq!(f.retry, Retry::Never);
        }
        // A rate limit never gets a permission hint, whatever the token.
        let f = dispatch_failure(
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
            (500, false, Retry::ServerError),
            (503, false, Retry::ServerError),
        ] {
            let f = read_failure(
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
            limit(Some(0), Some(1000), None).when(900),
            "the limit resets at 1970-01-01T00:16:40Z (in 1m40s)"
        );
        assert_eq!(
            limit(Some(5), Some(1000), None).when(900),
            "GitHub gives no reset time; wait a few minutes"
        );
        assert_eq!(limit(Some(5), Some(1000), None).asked_wait(900), None);
        assert_eq!(
            limit(Some(0), Some(1000), Some(7)).when(900),
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
                Retry::ServerError,
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
            let f = dispatch_failure(
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
        let f = dispatch_failure(&answer(404, &[], ""), &repo(), None);
        assert!(
            f.message
                .starts_with("Repository not found, OR token has insufficient permissions.")
        );
    }

    #[test]
    fn links_and_requests() {
        let a = answer(
            200,
            &[(
                "link",
                r#"<https://x/runs?page=2>; rel="next", <https://x/runs?page=5>; rel="last""#,
            )],
            "",
        );
        assert!(a.has_next_page());
        assert!(!answer(200, &[], "").has_next_page());
        assert!(
            !answer(
                200,
                &[("link", r#"<https://x/runs?page=1>; rel="prev""#)],
                ""
            )
            .has_next_page()
        );
        let r = Request {
            method: Method::POST,
            url: "https://api.github.com/repos/o/r/dispatches".into(),
            body: Some("{}".into()),
            if_none_match: None,
        };
        assert_eq!(
            r.describe(true),
            "POST https://api.github.com/repos/o/r/dispatches\nAccept: application/vnd.github+json\nAuthorization: Bearer ***\nContent-Type: application/json\nUser-Agent: repository-dispatch/0.1.0\nX-GitHub-Api-Version: 2022-11-28\n\n{}\n"
        );
    }
}
