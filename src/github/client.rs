//! The HTTP client: headers GitHub asks for, bounded answers, GitHub's error
//! bodies and rate-limit signals. It classifies what went wrong (`Problem`)
//! and says whether a request may go again (`Problem::retry`); `advice`
//! words it.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::github::net::proxy::{Proxy, Route};
use crate::secret::Token;
use crate::util::time::{Clock, now_epoch};

/// `User-Agent`: GitHub rejects requests without one.
pub const USER_AGENT: &str = concat!("repository-dispatch/", env!("CARGO_PKG_VERSION"));
/// The REST API version this client was written against.
pub const API_VERSION: &str = "2022-11-28";
/// The most of an error answer that is read; the rest is never downloaded.
pub const MAX_ERROR_BODY: usize = 64 * 1024;
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
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
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
    #[must_use]
    pub fn summary(&self) -> Option<String> {
        let message = self.message.as_deref()?;
        Some(match &self.documentation_url {
            Some(url) => format!("{message} - {url}"),
            None => message.to_owned(),
        })
    }
}

/// What went wrong with one request, as the client classifies it. `advice`
/// words it for people; [`Problem::retry`] alone says whether it may be sent
/// again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No usable answer: the connection, TLS, a proxy, or redirects.
    Fault(Fault),
    /// A rate-limit refusal ([`Answer::rate_limit`]).
    RateLimited(Refusal, RateLimit),
    /// Any other answer that is not a success.
    Refused(Refusal),
}

/// A request that got no usable answer. `url` is where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// rustls refused the server's certificate: nothing was sent.
    Certificate { url: String, why: String },
    /// The connection was never made: nothing was sent.
    NotConnected { url: String, why: String },
    /// The proxy could not be reached: nothing was sent.
    ProxyUnreachable {
        url: String,
        why: String,
        proxy: Proxy,
    },
    /// The proxy answered the CONNECT, not with `200`: nothing was sent.
    TunnelRefused {
        url: String,
        why: String,
        proxy: Proxy,
    },
    /// The proxy answered `407`: to the CONNECT (`tunnel`) nothing reached the
    /// API; to a plain-http request, the request reached the proxy only.
    ProxyAuth {
        url: String,
        proxy: Proxy,
        tunnel: bool,
    },
    /// More than [`MAX_REDIRECTS`] hops; `status` is the last redirect's.
    TooManyRedirects { url: String, status: u16 },
    /// The request went out and no complete answer came: within `timed_out`
    /// (nominal), or the connection failed (`why`).
    NoAnswer {
        url: String,
        timed_out: Option<Duration>,
        why: String,
    },
}

/// A non-success answer, as read (its body scrubbed of the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// The status's reason phrase, "" when it has none.
    pub reason: &'static str,
    /// GitHub's error body; all `None` when the body is not GitHub's JSON.
    pub error: GitHubError,
    pub content_type: Option<String>,
    /// The start of the body (its HTML `<title>` if it has one), control
    /// characters blanked and trimmed: what a body that is not GitHub's JSON
    /// says.
    pub excerpt: String,
    /// The body was longer than the bound, or cut short, and was cut.
    pub cut: bool,
    /// `Location`, for a redirect that was not followed.
    pub location: Option<String>,
}

/// What a request does: a write is not idempotent, a read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Write,
    Read,
}

/// Whether a failed request may be sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    /// GitHub surely did not act: the connection was never made.
    NotSent,
    /// A rate-limit refusal: GitHub did not act; wait as it says.
    RateLimited(RateLimit),
    /// A read that failed on the way or with a `5xx`: safe to repeat.
    Repeat,
    /// A `502`, `503` or `504` to a write: GitHub may have acted, so it is
    /// sent again only with `retry-on-server-error: true`.
    OnlyIfAsked,
    /// GitHub acted or refused for good, or the outcome of a write is unknown.
    Never,
}

impl Problem {
    /// Classifies an answer that is not a success (nor `304`).
    #[must_use]
    pub fn from_answer(answer: &Answer) -> Self {
        let refusal = Refusal::read(answer);
        match answer.rate_limit() {
            Some(limit) => Self::RateLimited(refusal, limit),
            None => Self::Refused(refusal),
        }
    }

    /// The one retry rule, for writes and reads alike: a request GitHub
    /// surely did not act on (not connected, rate limited) may go again; a
    /// read may also be repeated after no answer or a `5xx`; a write that may
    /// have been acted on only after a `502`/`503`/`504`, and only on opt-in.
    /// A certificate, a proxy's `407`, a redirect loop or any other refusal
    /// will not change by asking again.
    #[must_use]
    pub fn retry(&self, op: Op) -> Retry {
        match (self, op) {
            (
                Self::Fault(
                    Fault::NotConnected { .. }
                    | Fault::ProxyUnreachable { .. }
                    | Fault::TunnelRefused { .. },
                ),
                _,
            ) => Retry::NotSent,
            (Self::RateLimited(_, limit), _) => Retry::RateLimited(limit.clone()),
            (Self::Fault(Fault::NoAnswer { .. }), Op::Read) => Retry::Repeat,
            (Self::Refused(r), Op::Read) if r.status >= 500 => Retry::Repeat,
            (Self::Refused(r), Op::Write) if matches!(r.status, 502..=504) => Retry::OnlyIfAsked,
            _ => Retry::Never,
        }
    }

    /// The HTTP status of the answer, if there was one.
    #[must_use]
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::RateLimited(r, _) | Self::Refused(r) => Some(r.status),
            Self::Fault(Fault::TooManyRedirects { status, .. }) => Some(*status),
            Self::Fault(Fault::ProxyAuth { tunnel: false, .. }) => Some(407),
            Self::Fault(_) => None,
        }
    }
}

impl Refusal {
    fn read(answer: &Answer) -> Self {
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
        let excerpt: String = shown
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        Self {
            status: answer.status.as_u16(),
            reason: answer.status.canonical_reason().unwrap_or(""),
            error: GitHubError::parse(&answer.body),
            content_type: answer.header("content-type").map(str::to_owned),
            excerpt: excerpt.trim().to_owned(),
            cut: answer.truncated,
            location: answer.header("location").map(str::to_owned),
        }
    }
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
    ) -> Result<Answer, Problem> {
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
                .map_err(|e| Problem::Fault(transport_fault(&e, &url, timeout, &self.route)))?;
            // A plain-http request through a proxy gets the proxy's 407 as an
            // answer (for https it is the CONNECT's, a transport error).
            if let Some(proxy) = self.route.proxy()
                && response.status() == StatusCode::PROXY_AUTHENTICATION_REQUIRED
                && url.starts_with("http://")
            {
                return Err(Problem::Fault(Fault::ProxyAuth {
                    url,
                    proxy: proxy.clone(),
                    tunnel: false,
                }));
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
                    return Err(Problem::Fault(Fault::TooManyRedirects {
                        url: req.url.clone(),
                        status: response.status().as_u16(),
                    }));
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
    ) -> Result<Answer, Problem> {
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
                // An error answer cut short is still an answer, and so is a
                // write's success (the write was done: it must never look
                // like no answer, which could mean not done); a read's success
                // whose body is cut is not usable.
                Err(_)
                    if !status.is_success()
                        || status == StatusCode::NO_CONTENT
                        || *method != Method::GET =>
                {
                    truncated = true;
                    break;
                }
                Err(e) => {
                    return Err(Problem::Fault(transport_fault(
                        &e,
                        url,
                        timeout,
                        &self.route,
                    )));
                }
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

/// Classifies an error with no HTTP answer: a connection never made, or
/// anything after the request went out.
fn transport_fault(e: &reqwest::Error, url: &str, timeout: Duration, route: &Route) -> Fault {
    let url = url.to_owned();
    let why = causes(e);
    if is_certificate_error(e) {
        return Fault::Certificate { url, why };
    }
    if let (true, Some(proxy)) = (e.is_connect(), route.proxy()) {
        let proxy = proxy.clone();
        // hyper-util's `TunnelError::ProxyAuthRequired` (not exported): the
        // proxy answered the CONNECT with 407.
        if why.contains("proxy authorization required") {
            return Fault::ProxyAuth {
                url,
                proxy,
                tunnel: true,
            };
        }
        // The proxy refused the tunnel (it answered the CONNECT, not with
        // 200), or the proxy itself could not be reached.
        return if why.contains("unsuccessful tunnel") {
            Fault::TunnelRefused { url, why, proxy }
        } else {
            Fault::ProxyUnreachable { url, why, proxy }
        };
    }
    if e.is_connect() {
        return Fault::NotConnected { url, why };
    }
    Fault::NoAnswer {
        url,
        timed_out: e.is_timeout().then_some(timeout),
        why,
    }
}

/// Each signal of a rate limit alone, with nothing remaining so that only
/// the wording can make it secondary: (message, `documentation_url`, a limit,
/// secondary). Tests: the client's classification and advice's wording.
#[cfg(test)]
pub(crate) const LIMITS_ALONE: &[(&str, &str, bool, bool)] = &[
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

/// A primary limit spent, resetting at 1000 (1970-01-01T00:16:40Z). Tests.
#[cfg(test)]
pub(crate) fn primary_limit() -> Answer {
    answer(
        403,
        &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1000"),
        ],
        r#"{"message":"API rate limit exceeded for user ID 1."}"#,
    )
}

/// `429`s whose rate-limit headers are as large as a server could send
/// (tests: they must be clamped before any arithmetic).
#[cfg(test)]
pub(crate) fn huge_limits() -> Vec<Answer> {
    let huge = u64::MAX.to_string();
    [
        vec![("retry-after", huge.as_str())],
        vec![("retry-after", "999999999999999999999999")],
        vec![
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", huge.as_str()),
        ],
    ]
    .iter()
    .map(|headers| answer(429, headers, ""))
    .collect()
}

/// An answer as a test needs it: a status, headers and a body.
#[cfg(test)]
pub(crate) fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let rl = primary_limit().rate_limit().unwrap();
        assert!(!rl.secondary);
        assert_eq!(rl.asked_wait(900), Some(Duration::from_secs(101)));
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
        for a in huge_limits() {
            let rl = a.rate_limit().unwrap();
            assert_eq!(
                rl.asked_wait(now_epoch()),
                Some(MAX_ASKED_WAIT),
                "{:?}",
                a.headers
            );
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
        for &(message, docs, limited, secondary) in LIMITS_ALONE {
            let body = serde_json::json!({ "message": message, "documentation_url": docs });
            let with_none_left = answer(403, &[("x-ratelimit-remaining", "0")], &body.to_string());
            let rl = with_none_left.rate_limit();
            assert_eq!(rl.is_some(), limited, "{message} {docs}");
            let rl = rl.unwrap();
            assert_eq!(rl.secondary, secondary, "{message} {docs}");
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

    /// The one retry rule: what may go again, for a write and for a read.
    #[test]
    #[rustfmt::skip] // a table: one case a line
    fn the_retry_rule_by_problem_and_operation() {
        use Retry::{Never, NotSent, OnlyIfAsked, Repeat};
        let proxy = || match crate::github::net::proxy::choose(
            &crate::action::env::Env::from_pairs([("https_proxy", "http://proxy:3128")]),
            "https://api.github.com",
        )
        .unwrap()
        {
            Route::Proxied(p) => p,
            other => panic!("https_proxy is set: {other:?}"),
        };
        let url = || "https://api.github.com/repos/o/r/dispatches".to_owned();
        let why = || "connection refused".to_owned();
        let refused = |status| Problem::from_answer(&answer(status, &[], ""));
        let limited = answer(429, &[("retry-after", "7")], "");
        let limit = limited.rate_limit().unwrap();
        let fault = Problem::Fault;
        let no_answer = |timed_out| Fault::NoAnswer {
            url: url(),
            timed_out,
            why: why(),
        };
        let proxy_auth = |tunnel| Fault::ProxyAuth {
            url: url(),
            proxy: proxy(),
            tunnel,
        };
        let redirects = Fault::TooManyRedirects {
            url: url(),
            status: 301,
        };
        // (problem, write, read, http status)
        let cases: Vec<(Problem, Retry, Retry, Option<u16>)> = vec![
            (fault(Fault::NotConnected { url: url(), why: why() }), NotSent, NotSent, None),
            (fault(Fault::ProxyUnreachable { url: url(), why: why(), proxy: proxy() }), NotSent, NotSent, None),
            (fault(Fault::TunnelRefused { url: url(), why: why(), proxy: proxy() }), NotSent, NotSent, None),
            (fault(Fault::Certificate { url: url(), why: why() }), Never, Never, None),
            (fault(proxy_auth(true)), Never, Never, None),
            (fault(proxy_auth(false)), Never, Never, Some(407)),
            (fault(redirects), Never, Never, Some(301)),
            (fault(no_answer(Some(Duration::from_secs(30)))), Never, Repeat, None),
            (fault(no_answer(None)), Never, Repeat, None),
            (Problem::from_answer(&limited), Retry::RateLimited(limit.clone()), Retry::RateLimited(limit), Some(429)),
            (refused(400), Never, Never, Some(400)),
            (refused(404), Never, Never, Some(404)),
            (refused(499), Never, Never, Some(499)),
            (refused(500), Never, Repeat, Some(500)),
            (refused(501), Never, Repeat, Some(501)),
            (refused(502), OnlyIfAsked, Repeat, Some(502)),
            (refused(503), OnlyIfAsked, Repeat, Some(503)),
            (refused(504), OnlyIfAsked, Repeat, Some(504)),
            (refused(505), Never, Repeat, Some(505)),
        ];
        for (problem, write, read, status) in cases {
            assert_eq!(problem.retry(Op::Write), write, "{problem:?}");
            assert_eq!(problem.retry(Op::Read), read, "{problem:?}");
            assert_eq!(problem.http_status(), status, "{problem:?}");
        }
    }

    /// What an answer that is not GitHub's JSON shows: its HTML title, else
    /// its start, control characters blanked.
    #[test]
    fn refusals_keep_what_a_foreign_body_says() {
        let read = |body: &str| match Problem::from_answer(&answer(
            502,
            &[("content-type", "text/html"), ("location", "/x")],
            body,
        )) {
            Problem::Refused(r) => r,
            other => panic!("{other:?}"),
        };
        let r = read("<html><title>\n 502 Bad\tGateway </title><body>long</body></html>");
        assert_eq!(r.excerpt, "502 Bad Gateway");
        assert_eq!(r.reason, "Bad Gateway");
        assert_eq!(r.content_type.as_deref(), Some("text/html"));
        assert_eq!(r.location.as_deref(), Some("/x"));
        assert!(!r.cut);
        assert_eq!(read(&"x".repeat(200)).excerpt, "x".repeat(120));
        assert_eq!(
            read("<title></title>plain\u{7}text").excerpt,
            "<title></title>plain text"
        );
        assert_eq!(read(" \r\n").excerpt, "");
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
