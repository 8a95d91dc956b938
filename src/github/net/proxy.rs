//! Where the bytes go: directly to the API, or through a proxy named by
//! `https_proxy` / `http_proxy` / `all_proxy` unless `no_proxy` names the host,
//! decided once at start-up the way curl reads those variables.
//!
//! The program talks to exactly one origin (the API base; redirects are
//! same-origin only), so one decision holds for every request, and reqwest is
//! told it explicitly rather than reading the environment itself: its own
//! `NO_PROXY` matching differs from curl's documented grammar
//! (<https://curl.se/libcurl/c/CURLOPT_NOPROXY.html>), which is the rule here.
//!
//! The rules, with curl 7.88 as the oracle of `tests/proxy.rs`:
//! - For an `https` API: `https_proxy`, then `HTTPS_PROXY`; for an `http` API:
//!   `http_proxy`, then `HTTP_PROXY`; then `all_proxy`, then `ALL_PROXY`. The
//!   lower-case name wins, and an empty variable counts as unset (as curl).
//!   `http_proxy` is never used for https (curl, and the runner's ADR 0263).
//! - Unlike curl, upper-case `HTTP_PROXY` is honoured, except when
//!   `REQUEST_METHOD` is set: curl ignores it because a CGI program receives a
//!   client's `Proxy:` header as `HTTP_PROXY` ("httpoxy"); this program is
//!   never a CGI script, the runner and reqwest honour it, and Go's net/http
//!   draws the same line.
//! - A proxy without a scheme is `http://`; only `http://` and `https://`
//!   proxies are supported. Without a port: 80 for `http://`, 443 for
//!   `https://`, as the runner (curl would use 1080); every message shows the
//!   port used.
//! - `no_proxy`, then `NO_PROXY` (empty counts as unset): the whole value `*`
//!   bypasses every host; otherwise entries separated by commas, spaces or
//!   tabs. A host-name entry matches the host or any host under it, with one
//!   leading and one trailing dot ignored, in any case. An address entry
//!   (`10.1.2.3`, `::1` without brackets) matches an address host only, with an
//!   optional `/bits` CIDR suffix read as C's `atoi` does; `/0` means the
//!   address alone, as in curl.
//! - Beyond curl: `host:port` (and `[v6]:port`) entries, as GitHub's page
//!   "Using a proxy server with self-hosted runners" shows them, bypass the
//!   proxy for that port only. curl never matches them.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::action::env::{Env, InputError};
use crate::action::spec;
use crate::action::voice::Voice;
use crate::github::repo::ApiBase;

/// A proxy from the environment. `Display` and `Debug` show
/// `scheme://host:port (from VARIABLE)`, never the credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    /// With the credentials, if any: only for building the client.
    url: Url,
    /// The variable it came from, as spelled in the environment.
    pub var: &'static str,
}

impl Proxy {
    /// The URL with its credentials, for reqwest only; never print it.
    #[must_use]
    pub fn url_with_credentials(&self) -> &str {
        self.url.as_str()
    }

    /// `host:port`, for messages.
    #[must_use]
    pub fn address(&self) -> String {
        // Every parsed proxy has a host (checked in `parse_proxy`) and a
        // scheme with a known default port.
        let host = self.url.host_str().unwrap_or("");
        let port = self.url.port_or_known_default().unwrap_or(0);
        format!("{host}:{port}")
    }

    #[must_use]
    pub fn has_credentials(&self) -> bool {
        !self.url.username().is_empty() || self.url.password().is_some()
    }

    /// The proxy's own host is loopback: bytes sent to it stay on this machine.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        match self.url.host_str().map(Host::of) {
            Some(Host::Name(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(Host::Ip(ip)) => ip.is_loopback(),
            None => false,
        }
    }
}

impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{} (from {})",
            self.url.scheme(),
            self.address(),
            self.var
        )
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({self})")
    }
}

/// How the requests reach the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// No proxy variable is set for the API's scheme.
    Direct,
    /// A proxy is set, but an entry of `no_proxy` (or `NO_PROXY`) names the host.
    Bypassed { var: &'static str, entry: String },
    /// Through this proxy.
    Proxied(Proxy),
}

impl Route {
    #[must_use]
    pub fn proxy(&self) -> Option<&Proxy> {
        match self {
            Self::Proxied(p) => Some(p),
            Self::Direct | Self::Bypassed { .. } => None,
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct => f.write_str("directly (no proxy variable is set)"),
            Self::Bypassed { var, entry } => {
                write!(f, "directly ({var} entry '{entry}' matches the API host)")
            }
            Self::Proxied(p) => write!(f, "through the proxy {p}"),
        }
    }
}

/// Chooses the route to `api` (the validated API base) from the environment.
///
/// Returns an error if and only if a variable that is read is not UTF-8, or the
/// proxy that applies is not an `http://` or `https://` URL with a host.
pub fn choose(env: &Env, api: &str) -> Result<Route, InputError> {
    let api = Url::parse(api).map_err(|e| {
        InputError::new(
            "GITHUB_API_URL",
            format!("the API URL cannot be parsed ({e})"),
        )
    })?;
    let candidates: &[&'static str] = if api.scheme() == "https" {
        &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    } else if env.get("REQUEST_METHOD").is_some() {
        &["http_proxy", "all_proxy", "ALL_PROXY"]
    } else {
        &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
    };
    let Some((var, value)) = first_set(env, candidates)? else {
        return Ok(Route::Direct);
    };
    if let Some((no_var, list)) = first_set(env, &["no_proxy", "NO_PROXY"])? {
        let port = api.port_or_known_default().unwrap_or(0);
        if let Some(host) = api.host_str().map(Host::of)
            && let Some(entry) = bypass_entry(list, host, port)
        {
            return Ok(Route::Bypassed {
                var: no_var,
                entry: entry.to_owned(),
            });
        }
    }
    parse_proxy(var, value).map(Route::Proxied)
}

/// The first of `names` that is set and not empty (curl's `curl_getenv`).
fn first_set<'e>(
    env: &'e Env,
    names: &[&'static str],
) -> Result<Option<(&'static str, &'e str)>, InputError> {
    for &name in names {
        if let Some(v) = env.var(name)?.filter(|v| !v.is_empty()) {
            return Ok(Some((name, v)));
        }
    }
    Ok(None)
}

/// Parses a proxy variable. Errors never hold the value: it may hold a password.
fn parse_proxy(var: &'static str, value: &str) -> Result<Proxy, InputError> {
    let text = value.trim();
    let url = if text.contains("://") {
        Url::parse(text)
    } else {
        Url::parse(&format!("http://{text}"))
    };
    let form = "give http://HOST:PORT, or http://USER:PASSWORD@HOST:PORT when the proxy asks for credentials";
    let url =
        url.map_err(|e| InputError::new(var, format!("{var} is not a proxy URL ({e}): {form}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(InputError::new(
            var,
            format!(
                "{var} is a {}:// proxy; only http:// and https:// proxies are supported: {form}",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(InputError::new(
            var,
            format!("{var} names no proxy host: {form}"),
        ));
    }
    Ok(Proxy { url, var })
}

/// A URL's host as `no_proxy` sees it: a name, or an address (an IPv6
/// address without its brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host<'a> {
    Name(&'a str),
    Ip(IpAddr),
}

impl<'a> Host<'a> {
    /// From `Url::host_str`: `[::1]` is an IPv6 address, `127.0.0.1` an IPv4 one.
    #[must_use]
    pub fn of(host: &'a str) -> Self {
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        bare.parse().map_or(Self::Name(host), Self::Ip)
    }
}

/// The `no_proxy` entry that sends a request to `host` on `port` directly, if
/// any (the rules are in the module's documentation).
#[must_use]
pub fn bypass_entry<'l>(list: &'l str, host: Host<'_>, port: u16) -> Option<&'l str> {
    if list == "*" {
        return Some(list);
    }
    list.split([',', ' ', '\t'])
        .filter(|e| !e.is_empty())
        .find(|entry| match split_port(entry) {
            Some((name, p)) => p == port && host_matches(name, host),
            None => host_matches(entry, host),
        })
}

/// `host:port` or `[v6]:port` as (host, port); `None` for an entry without a
/// port (an IPv6 address is not `host:port`).
fn split_port(entry: &str) -> Option<(&str, u16)> {
    let (name, port) = entry.rsplit_once(':')?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let name = match name.strip_prefix('[') {
        Some(inside) => inside.strip_suffix(']')?,
        None if name.contains(':') => return None,
        None => name,
    };
    Some((name, port.parse().ok()?))
}

fn host_matches(entry: &str, host: Host<'_>) -> bool {
    match host {
        Host::Name(name) => {
            let name = name.strip_suffix('.').unwrap_or(name);
            let entry = entry.strip_suffix('.').unwrap_or(entry);
            let entry = entry.strip_prefix('.').unwrap_or(entry);
            if entry.is_empty() {
                return false;
            }
            name.eq_ignore_ascii_case(entry)
                || (name.len() > entry.len()
                    && name.as_bytes()[name.len() - entry.len() - 1] == b'.'
                    && name[name.len() - entry.len()..].eq_ignore_ascii_case(entry))
        }
        Host::Ip(ip) => cidr_matches(entry, ip),
    }
}

/// An address entry with an optional `/bits`, read as curl does: the bits as
/// C's `atoi` reads them, and `0` (or the full length) means the address alone.
fn cidr_matches(entry: &str, ip: IpAddr) -> bool {
    let (addr, bits) = match entry.split_once('/') {
        Some((a, b)) => (a, atoi(b)),
        None => (entry, Some(0)),
    };
    let Some(bits) = bits else {
        return false;
    };
    match (ip, addr.parse::<IpAddr>()) {
        (IpAddr::V4(ip), Ok(IpAddr::V4(net))) if bits <= 32 => prefix_equal(
            u128::from(ip.to_bits()),
            u128::from(net.to_bits()),
            bits,
            32,
        ),
        (IpAddr::V6(ip), Ok(IpAddr::V6(net))) if bits <= 128 => {
            prefix_equal(ip.to_bits(), net.to_bits(), bits, 128)
        }
        _ => false,
    }
}

fn prefix_equal(a: u128, b: u128, bits: u32, width: u32) -> bool {
    if bits == 0 || bits == width {
        return a == b;
    }
    let shift = width - bits;
    a >> shift == b >> shift
}

/// C's `atoi` on the bits of a CIDR entry: leading digits, `0` when there are
/// none; `None` for a negative or absurd number (curl then never matches).
fn atoi(text: &str) -> Option<u32> {
    let text = text.trim_start();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let value = if end == 0 {
        0
    } else {
        digits[..end].parse::<u32>().ok()?
    };
    (!negative || value == 0).then_some(value)
}

/// The plain-http rule applied to where the bytes go: an `http://` API
/// through a proxy sends the token in clear text to the proxy (and from the
/// proxy to the API), so every hop must stay on this machine. `ApiBase::parse`
/// has checked the API host; this checks the proxy's. A proxy for an `https`
/// API is fine whatever its scheme: the request goes through a CONNECT tunnel,
/// TLS end to end.
///
/// Returns an error if and only if the API is `http`, the route goes through a
/// proxy whose host is not loopback, and `allow_insecure` is false.
pub fn check_plain_http_route(
    api: &ApiBase,
    route: &crate::github::net::proxy::Route,
    allow_insecure: bool,
    voice: Voice,
) -> Result<(), InputError> {
    match route.proxy() {
        Some(proxy)
            if api.as_str().starts_with("http://") && !allow_insecure && !proxy.is_loopback() =>
        {
            Err(InputError::new(
                proxy.var,
                format!(
                    "the API URL {} is plain http and {} names the proxy {}, which would receive the token unencrypted; use https, add the API host to no_proxy to connect directly, or {} if the network path is trusted",
                    api.as_str(),
                    proxy.var,
                    proxy.address(),
                    voice.set(&spec::ALLOW_INSECURE_HTTP, "true")
                ),
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(pairs: &[(&str, &str)], api: &str) -> String {
        match choose(&Env::from_pairs(pairs.iter().copied()), api) {
            Ok(r) => r.to_string(),
            Err(e) => format!("error {}: {}", e.input, e.message),
        }
    }

    #[test]
    fn variables_by_scheme_case_and_emptiness() {
        let gh = "https://api.github.com";
        let local = "http://127.0.0.1:8080";
        let check = |pairs: &[(&str, &str)], api: &str, expected: &str| {
            assert_eq!(route(pairs, api), expected, "{pairs:?} {api}");
        };
        check(&[], gh, "directly (no proxy variable is set)");
        check(
            &[("https_proxy", "http://p:3128")],
            gh,
            "through the proxy http://p:3128 (from https_proxy)",
        );
        check(
            &[("HTTPS_PROXY", "http://P:3128")],
            gh,
            "through the proxy http://p:3128 (from HTTPS_PROXY)",
        );
        check(
            &[
                ("https_proxy", "http://low:1"),
                ("HTTPS_PROXY", "http://up:2"),
            ],
            gh,
            "through the proxy http://low:1 (from https_proxy)",
        );
        check(
            &[("https_proxy", ""), ("HTTPS_PROXY", "http://up:2")],
            gh,
            "through the proxy http://up:2 (from HTTPS_PROXY)",
        );
        check(
            &[("http_proxy", "http://p:3128")],
            gh,
            "directly (no proxy variable is set)",
        );
        check(
            &[("ALL_PROXY", "http://a:1"), ("all_proxy", "http://b:2")],
            gh,
            "through the proxy http://b:2 (from all_proxy)",
        );
        check(
            &[("https_proxy", "http://s:1"), ("all_proxy", "http://a:2")],
            gh,
            "through the proxy http://s:1 (from https_proxy)",
        );
        check(
            &[("http_proxy", "http://p:3128")],
            local,
            "through the proxy http://p:3128 (from http_proxy)",
        );
        check(
            &[("HTTP_PROXY", "http://p:3128")],
            local,
            "through the proxy http://p:3128 (from HTTP_PROXY)",
        );
        check(
            &[("HTTP_PROXY", "http://p:3128"), ("REQUEST_METHOD", "GET")],
            local,
            "directly (no proxy variable is set)",
        );
    }

    #[test]
    fn proxy_urls_as_people_write_them_never_print_credentials() {
        let gh = "https://api.github.com";
        let check = |value: &str, expected: &str| {
            assert_eq!(route(&[("https_proxy", value)], gh), expected, "{value}");
        };
        check(
            "proxy.corp:3128",
            "through the proxy http://proxy.corp:3128 (from https_proxy)",
        );
        check(
            " http://proxy.corp ",
            "through the proxy http://proxy.corp:80 (from https_proxy)",
        );
        check(
            "https://proxy.corp",
            "through the proxy https://proxy.corp:443 (from https_proxy)",
        );
        check(
            "http://user:s3cret@proxy.corp:3128/",
            "through the proxy http://proxy.corp:3128 (from https_proxy)",
        );
        check(
            "http://[::1]:3128",
            "through the proxy http://[::1]:3128 (from https_proxy)",
        );
        let socks = route(&[("https_proxy", "socks5://u:s3cret@p:1080")], gh);
        assert!(
            socks.starts_with("error https_proxy: https_proxy is a socks5:// proxy; only http:// and https:// proxies are supported"),
            "{socks}"
        );
        let bad = route(&[("https_proxy", "http://u:s3cret@[oops")], gh);
        assert!(
            bad.starts_with("error https_proxy: https_proxy is not a proxy URL ("),
            "{bad}"
        );
        for text in [socks, bad] {
            assert!(!text.contains("s3cret"), "{text}");
        }
        let p = choose(
            &Env::from_pairs([("https_proxy", "http://user:s3cret@proxy.corp:3128")]),
            gh,
        )
        .unwrap();
        let p = p.proxy().unwrap();
        assert!(p.has_credentials());
        assert!(!format!("{p:?} {p}").contains("s3cret"));
        assert_eq!(
            p.url_with_credentials(),
            "http://user:s3cret@proxy.corp:3128/"
        );
        // A malformed proxy that no_proxy makes irrelevant is not an error.
        assert_eq!(
            route(
                &[("https_proxy", "socks5://p"), ("no_proxy", "github.com")],
                gh
            ),
            "directly (no_proxy entry 'github.com' matches the API host)"
        );
    }

    #[test]
    fn no_proxy_grammar() {
        // (no_proxy, host, port, bypassed)
        let cases: &[(&str, &str, u16, bool)] = &[
            ("", "api.github.com", 443, false),
            ("*", "api.github.com", 443, true),
            (" * ", "api.github.com", 443, false),
            ("*.github.com", "api.github.com", 443, false),
            ("github.com", "api.github.com", 443, true),
            (".github.com", "api.github.com", 443, true),
            ("github.com.", "api.github.com", 443, true),
            ("GitHub.COM", "api.github.com", 443, true),
            ("hub.com", "api.github.com", 443, false),
            ("api.github.com.org", "api.github.com", 443, false),
            ("github.com", "github.com", 443, true),
            ("a.com, ,b.com,,github.com ", "api.github.com", 443, true),
            ("a.com github.com", "api.github.com", 443, true),
            ("a.com\tgithub.com", "api.github.com", 443, true),
            ("github.com:443", "api.github.com", 443, true),
            ("github.com:8443", "api.github.com", 443, false),
            ("localhost", "127.0.0.1", 80, false),
            ("127.0.0.1", "localhost", 80, false),
            ("127.0.0.1", "127.0.0.1", 80, true),
            ("127.0.0.1:80", "127.0.0.1", 80, true),
            ("127.0.0.1:81", "127.0.0.1", 80, false),
            ("127.0.0.0/8", "127.0.0.1", 80, true),
            ("127.0.0.0/0", "127.0.0.1", 80, false),
            ("127.0.0.1/0", "127.0.0.1", 80, true),
            ("127.0.0.1/32", "127.0.0.1", 80, true),
            ("127.0.0.0/33", "127.0.0.1", 80, false),
            ("127.0.0.0/8x", "127.0.0.1", 80, true),
            ("127.0.0.0/-8", "127.0.0.1", 80, false),
            ("10.0.0.0/8", "127.0.0.1", 80, false),
            ("::1", "[::1]", 80, true),
            ("[::1]", "[::1]", 80, false),
            ("[::1]:80", "[::1]", 80, true),
            ("[::1]:81", "[::1]", 80, false),
            ("::/64", "[::1]", 80, true),
            ("::1/128", "[::1]", 80, true),
            ("fe80::/10", "[::1]", 80, false),
            ("::1", "127.0.0.1", 80, false),
        ];
        for &(list, host, port, expected) in cases {
            let got = bypass_entry(list, Host::of(host), port).is_some();
            assert_eq!(got, expected, "no_proxy={list:?} host={host} port={port}");
        }
    }

    #[test]
    fn no_proxy_variables() {
        let gh = "https://api.github.com";
        let proxy = ("https_proxy", "http://p:1");
        assert_eq!(
            route(&[proxy, ("NO_PROXY", "github.com")], gh),
            "directly (NO_PROXY entry 'github.com' matches the API host)"
        );
        assert_eq!(
            route(
                &[proxy, ("no_proxy", "x.org"), ("NO_PROXY", "github.com")],
                gh
            ),
            "through the proxy http://p:1 (from https_proxy)"
        );
        assert_eq!(
            route(&[proxy, ("no_proxy", ""), ("NO_PROXY", "github.com")], gh),
            "directly (NO_PROXY entry 'github.com' matches the API host)"
        );
    }
}
