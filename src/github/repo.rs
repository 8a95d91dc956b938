//! Where a dispatch goes: a repository (`owner/name`) and the API base it is
//! reached through, each parsed and checked once.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::action::spec;
use crate::action::voice::{Hint, Voice};

/// GitHub allows at most 80 content-creating requests a minute.
pub const WRITES_PER_MINUTE: usize = 80;

/// The most repositories one step dispatches to: GitHub allows 500
/// content-creating requests an hour (secondary rate limits).
pub const MAX_REPOSITORIES: usize = 500;

/// A repository as GitHub names it: `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    pub owner: String,
    pub name: String,
}

impl fmt::Display for Repository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl Repository {
    /// Validates `owner/name` against GitHub's rules: an owner of 1 to 39
    /// letters, digits, hyphens (and the underscore of managed-user accounts),
    /// a name of 1 to 100 letters, digits, `.`, `-` and `_`, and not `.` or `..`.
    pub fn parse(text: &str) -> Result<Self, String> {
        const FORM: &str = "give it as OWNER/NAME, for example octo-org/deploy-service";
        if let Some(rest) = ["https://", "http://", "git@", "ssh://"]
            .iter()
            .find_map(|p| text.strip_prefix(p))
        {
            let path = rest
                .split_once(['/', ':'])
                .map_or("", |(_, p)| p)
                .trim_end_matches('/')
                .trim_end_matches(".git");
            let hint = if Self::parse(path).is_ok() {
                format!(": here '{path}'")
            } else {
                String::new()
            };
            // A clone URL may carry a token (https://x-access-token:TOKEN@github.com/o/r).
            return Err(format!(
                "repository '{}' is a URL; {FORM}{hint}",
                hide_userinfo(text).escape_debug()
            ));
        }
        if let Some(c) = text.chars().find(|c| c.is_whitespace()) {
            let what = if c == ' ' {
                "a space".to_owned()
            } else {
                format!("whitespace (U+{:04X})", u32::from(c))
            };
            return Err(format!(
                "repository '{}' holds {what}; {FORM}",
                text.escape_debug()
            ));
        }
        let parts: Vec<&str> = text.split('/').collect();
        let [owner, name] = parts[..] else {
            return Err(format!(
                "repository '{}' has {} part{}; {FORM}",
                text.escape_debug(),
                parts.len(),
                if parts.len() == 1 { "" } else { "s" }
            ));
        };
        if owner.is_empty() || name.is_empty() {
            return Err(format!(
                "repository '{}' has an empty {}; {FORM}",
                text.escape_debug(),
                if owner.is_empty() { "owner" } else { "name" }
            ));
        }
        if owner.len() > 39
            || owner.starts_with('-')
            || !owner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "repository owner '{}' is not a GitHub account name (1 to 39 letters, digits and hyphens, not starting with a hyphen); {FORM}",
                owner.escape_debug()
            ));
        }
        if name.len() > 100
            || name == "."
            || name == ".."
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(format!(
                "repository name '{}' is not a GitHub repository name (1 to 100 letters, digits, '.', '-' and '_', and not '.' or '..'); {FORM}",
                name.escape_debug()
            ));
        }
        Ok(Self {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// Several repositories, one per line or comma-separated, validated and
    /// with duplicates (compared case-insensitively, as GitHub does) removed.
    ///
    /// Returns an error without looking at any entry if there are more than
    /// [`MAX_REPOSITORIES`] entries, so that the work done for a list is bounded
    /// by the limit, not by its length; below it, time is linear in the length.
    pub fn parse_list(text: &str, voice: Voice) -> Result<Vec<Self>, String> {
        let entries = || {
            text.split(['\n', ','])
                .map(str::trim)
                .filter(|e| !e.is_empty())
        };
        let count = entries().count();
        if count > MAX_REPOSITORIES {
            return Err(too_many_repositories(count));
        }
        let mut repos: Vec<Self> = Vec::with_capacity(count);
        let mut seen: HashSet<String> = HashSet::with_capacity(count);
        let mut errors = Vec::new();
        for entry in entries() {
            match Self::parse(entry) {
                Ok(r) => {
                    if seen.insert(r.to_string().to_ascii_lowercase()) {
                        repos.push(r);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        if repos.is_empty() {
            return Err(format!(
                "repository is empty: give OWNER/NAME, for example octo-org/deploy-service; {}",
                voice.hint(Hint::EmptyRepository)
            ));
        }
        Ok(repos)
    }
}

/// The REST API base, validated: `https://api.github.com`, a GitHub
/// Enterprise Server `https://HOST/api/v3`, or a loopback fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(String);

impl Default for ApiBase {
    /// The API of github.com.
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

impl ApiBase {
    pub const DEFAULT: &'static str = "https://api.github.com";

    /// Validates a base URL. Returns an error if and only if it is not an
    /// absolute `http(s)` URL with a host and without credentials, query or
    /// fragment, or if it is plain `http` to a host other than loopback while
    /// `allow_insecure` is false.
    pub fn parse(text: &str, allow_insecure: bool, voice: Voice) -> Result<Self, String> {
        // Refused before parsing: url's ASCII-only IDNA back end (idna_adapter
        // 1.0, see Cargo.toml) asserts on some non-ASCII hosts, and an API base
        // has no use for escapes.
        // Every message shows the text with any user:password@ hidden: a
        // refusal must not print the credentials it refuses.
        let shown = hide_userinfo(text);
        if !text.is_ascii() || text.contains('%') {
            return Err(format!(
                "'{}' is not a URL the action accepts: it holds {}; give the REST API base in plain ASCII, with an internationalised host name in its xn-- form",
                shown.escape_debug(),
                if text.is_ascii() {
                    "a percent-escape"
                } else {
                    "a character that is not ASCII"
                }
            ));
        }
        let url = Url::parse(text).map_err(|e| {
            format!("'{shown}' is not a URL ({e}): give the REST API base, such as https://api.github.com or https://HOST/api/v3")
        })?;
        if !matches!(url.scheme(), "https" | "http") {
            // In `user:password@host` the parser's "scheme" is the user name.
            let scheme = if shown
                .to_ascii_lowercase()
                .starts_with(&format!("{}:", url.scheme()))
            {
                format!("the scheme '{}'", url.scheme())
            } else {
                "a scheme other than https".to_owned()
            };
            return Err(format!(
                "'{shown}' uses {scheme}; the API is reached over https (or http to a loopback test server)"
            ));
        }
        let Some(host) = url.host_str() else {
            return Err(format!("'{shown}' has no host name"));
        };
        let plain_name = host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !plain_name && host_ip(host).is_none() {
            return Err(format!(
                "'{shown}' has the host '{host}', which is not a host name or IP address"
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("the API URL holds credentials (user:password@); remove them, the token is sent in a header".to_string());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "'{shown}' has a query or fragment; give the API base only"
            ));
        }
        if url.scheme() == "http" && !allow_insecure && !is_loopback(host) {
            return Err(format!(
                "'{shown}' is plain http to {host}, which would send the token unencrypted; use https, or {} if the network path is trusted",
                voice.set(&spec::ALLOW_INSECURE_HTTP, "true")
            ));
        }
        let base = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self(base))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `{base}/repos/{owner}/{name}/{rest}`: the owner and name hold only
    /// characters that need no escaping in a path.
    #[must_use]
    pub fn repo_url(&self, repo: &Repository, rest: &str) -> String {
        format!("{}/repos/{}/{}/{rest}", self.0, repo.owner, repo.name)
    }
}

/// URL-like text with its userinfo (`user:password@`) replaced by `***@`,
/// found textually so that it works on text no URL parser accepts.
///
/// The authority starts after `scheme:` and any slashes (or at the start when
/// there is no scheme: `user:pass@host`), and for this purpose ends at the last
/// `@` anywhere: a password may hold a raw `/`, `?` or `#` that a parser would
/// take for the start of the path, query or fragment, and hiding a little too
/// much in an error message costs nothing.
#[must_use]
pub fn hide_userinfo(text: &str) -> Cow<'_, str> {
    let authority = authority_start(text);
    let rest = &text[authority..];
    // The last `@` anywhere: a password may hold `?`, `#` or `/` unescaped,
    // and hiding too much costs nothing in an error message.
    match rest.rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &text[..authority], &rest[at..])),
        None => Cow::Borrowed(text),
    }
}

/// Where the authority of URL-like text starts: after `scheme:` and the
/// slashes that follow it. A scheme without slashes counts only if it is one
/// that url's parser treats as special (`https:host` is `https://host`);
/// otherwise `user:pass@host` would read as the scheme `user`.
fn authority_start(text: &str) -> usize {
    let Some(colon) = text.find(':') else {
        return 0;
    };
    let scheme = &text[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return 0;
    }
    let after = &text[colon + 1..];
    let slashes = after.len() - after.trim_start_matches(['/', '\\']).len();
    let special = ["http", "https", "ws", "wss", "ftp", "file"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s));
    if slashes > 0 || special {
        colon + 1 + slashes
    } else {
        0
    }
}

/// The address of a URL host that is an IP literal (`[::1]` with brackets).
fn host_ip(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

pub(crate) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host_ip(host).is_some_and(|ip| ip.is_loopback())
}

pub(crate) fn too_many_repositories(count: usize) -> String {
    format!(
        "repository lists {count} repositories; GitHub allows {MAX_REPOSITORIES} content-creating requests an hour, so split them across steps an hour apart"
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn repositories() {
        for good in [
            "o/r",
            "octo-org/deploy.service",
            "a_b/c",
            "O/R-_.x",
            "x/.github",
            "a/..b",
        ] {
            assert!(Repository::parse(good).is_ok(), "{good}");
        }
        for (bad, part) in [
            ("o", "1 part"),
            ("/r", "empty owner"),
            ("o/", "empty name"),
            ("o/r/x", "3 parts"),
            ("o r/x", "a space"),
            ("o/r\n", "whitespace"),
            ("../x", "owner '..'"),
            ("o/.", "name '.'"),
            ("o/..", "name '..'"),
            ("%2e%2e/x", "owner '%2e%2e'"),
            ("https://github.com/o/r", "here 'o/r'"),
            ("git@github.com:o/r.git", "here 'o/r'"),
            ("-o/r", "not a GitHub account"),
            (&*"o".repeat(40).leak(), "1 part"),
        ] {
            let e = Repository::parse(bad).unwrap_err();
            assert!(e.contains(part), "{bad}: {e}");
            assert!(e.contains("OWNER/NAME"), "{bad}: {e}");
        }
        let list = Repository::parse_list("o/a, o/b\nO/A\n\no/c,", Voice::Workflow).unwrap();
        assert_eq!(
            list.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["o/a", "o/b", "o/c"]
        );
    }

    #[test]
    fn api_urls() {
        let ok = |u: &str| {
            ApiBase::parse(u, false, Voice::Workflow)
                .unwrap()
                .as_str()
                .to_owned()
        };
        assert_eq!(ok("https://api.github.com"), "https://api.github.com");
        assert_eq!(ok("https://api.github.com/"), "https://api.github.com");
        assert_eq!(
            ok("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/v3"
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(ok("http://localhost:8080/"), "http://localhost:8080");
        assert_eq!(ok("http://[::1]:8080"), "http://[::1]:8080");
        for (bad, part) in [
            ("api.github.com", "not a URL"),
            ("ftp://x.example", "scheme 'ftp'"),
            ("file:///etc/passwd", "scheme 'file'"),
            ("http://ghe.example.com", "unencrypted"),
            ("https://u:p@ghe.example.com", "credentials"),
            ("https://x.example/?a=1", "query"),
            ("https://bücher.example", "not ASCII"),
            ("https://B%C3%BCcher.example", "percent-escape"),
            ("https:*/x", "not a host name"),
            ("https://a..b", "not a host name"),
        ] {
            let e = ApiBase::parse(bad, false, Voice::Workflow).unwrap_err();
            assert!(e.contains(part), "{bad}: {e}");
        }
        assert!(ApiBase::parse("http://ghe.example.com", true, Voice::Workflow).is_ok());
        // Every refusal of a URL that holds credentials hides them.
        for (bad, part) in [
            (
                "https://alice:s3cretpass@B%C3%BC.example",
                "'https://***@B%C3%BC.example'",
            ),
            (
                "https://alice:s3cretpass@bücher.example",
                "'https://***@bücher.example'",
            ),
            (
                "ftp://alice:s3cretpass@x.example",
                "'ftp://***@x.example' uses the scheme 'ftp'",
            ),
            (
                "https://alice:s3cretpass@a..b",
                "'https://***@a..b' has the host",
            ),
            (
                "https://alice:s3cretpass@x.example:99999",
                "'https://***@x.example:99999' is not a URL",
            ),
            (
                "https://alice:s3cret/pass@x.example",
                "'https://***@x.example' is not a URL",
            ),
            (
                "https:alice:s3cretpass@x.example:no",
                "'https:***@x.example:no' is not a URL",
            ),
            (
                "alice:s3cretpass@x.example",
                "'***@x.example' uses a scheme other than https",
            ),
            ("s3cretpass@x.example", "'***@x.example' is not a URL"),
            (
                "https://alice:s3cretpass@x.example",
                "credentials (user:password@)",
            ),
            (
                "http://alice:s3cretpass@ghe.example.com/?a",
                "credentials (user:password@)",
            ),
        ] {
            let e = ApiBase::parse(bad, false, Voice::Workflow).unwrap_err();
            assert!(e.contains(part), "{bad}: {e}");
            assert!(!e.contains("s3cret") && !e.contains("alice"), "{bad}: {e}");
        }
    }

    #[test]
    fn userinfo_is_hidden_in_any_text() {
        for (text, shown) in [
            ("https://api.github.com", "https://api.github.com"),
            ("https://u:p@h/x", "https://***@h/x"),
            ("https://u:p@h/x@y", "https://***@y"),
            // An `@` after `?` or `#` hides a little too much; a password
            // holding `?` or `#` is hidden whole.
            ("https://h/x?a@b", "https://***@b"),
            ("https://h#a@b", "https://***@b"),
            (
                "https://deploy:pa?ss@ghe.example.com",
                "https://***@ghe.example.com",
            ),
            (
                "https://deploy:1234#x@ghe.example.com/api/v3",
                "https://***@ghe.example.com/api/v3",
            ),
            ("HTTPS:\\\\u@h", "HTTPS:\\\\***@h"),
            ("https:u:p@h", "https:***@h"),
            ("gopher:u:p@h", "***@h"),
            ("u:p@h:1", "***@h:1"),
            ("ghp_x@github.com/o/r", "***@github.com/o/r"),
            ("no at sign", "no at sign"),
            ("", ""),
        ] {
            assert_eq!(hide_userinfo(text), shown, "{text}");
        }
        let e = Repository::parse("https://x-access-token:ghs_s3cret@github.com/o/r").unwrap_err();
        assert!(e.contains("'https://***@github.com/o/r' is a URL"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[test]
    fn long_repository_lists_are_refused_before_any_entry_is_checked() {
        let started = std::time::Instant::now();
        let list = (0..14_000)
            .map(|i| format!("o/r{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            Repository::parse_list(&list, Voice::Workflow).unwrap_err(),
            too_many_repositories(14_000)
        );
        // Even a list of invalid entries: the count comes first.
        let bad = "not a repository,".repeat(501);
        assert!(
            Repository::parse_list(&bad, Voice::Workflow)
                .unwrap_err()
                .contains("501 repositories")
        );
        // At the limit, duplicates are removed in linear time.
        let dups = "o/a,O/A,".repeat(250);
        assert_eq!(
            Repository::parse_list(&dups, Voice::Workflow)
                .unwrap()
                .len(),
            1
        );
        let five_hundred = (0..500)
            .map(|i| format!("o/r{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            Repository::parse_list(&five_hundred, Voice::Workflow)
                .unwrap()
                .len(),
            500
        );
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }
}
