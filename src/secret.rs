//! The token: a string that never prints itself.

use std::fmt;

/// An API token. `Debug` and `Display` print `***`; the only way to read it is
/// [`Token::expose`], called where the `Authorization` header is built and where
/// `::add-mask::` is printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token that has already been validated.
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret value, for the `Authorization` header and the mask command only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Text from outside (an error body that echoes the request) with the token
    /// removed: every whole occurrence, raw or JSON-escaped, becomes `***`, and
    /// with `cut` (the text was cut short) a tail that is the start of the
    /// token is dropped. Done before the text is truncated or escaped, so that
    /// no piece of the token survives that redaction would no longer match.
    #[must_use]
    pub fn scrub(&self, text: &str, cut: bool) -> String {
        let mut text = text.replace(&self.0, "***");
        let json = serde_json::to_string(&self.0).unwrap_or_default();
        if let Some(escaped) = json.strip_prefix('"').and_then(|j| j.strip_suffix('"'))
            && escaped != self.0
        {
            text = text.replace(escaped, "***");
        }
        if cut {
            text.truncate(text.len() - partial_tail(&text, &self.0));
        }
        text
    }

    /// The kind of token, told by GitHub's documented prefixes, for hints in
    /// error messages. Reveals nothing of the secret part.
    #[must_use]
    pub fn kind(&self) -> TokenKind {
        TokenKind::of(&self.0)
    }
}

/// The length in bytes of the longest non-empty end of `text` that is a start
/// of `secret` (0 if none): what a cut in the middle of the secret leaves.
#[must_use]
pub fn partial_tail(text: &str, secret: &str) -> usize {
    (1..secret.len().min(text.len() + 1))
        .rev()
        .find(|&n| {
            text.is_char_boundary(text.len() - n)
                && secret.is_char_boundary(n)
                && text.ends_with(&secret[..n])
        })
        .unwrap_or(0)
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What kind of credential a token is, by GitHub's token prefixes
/// (<https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `ghs_`: an installation token, which is what `GITHUB_TOKEN` is.
    Installation,
    /// `ghp_`: a personal access token (classic).
    ClassicPat,
    /// `github_pat_`: a fine-grained personal access token.
    FineGrainedPat,
    /// `gho_`/`ghu_` or anything else.
    Other,
}

/// Every prefix GitHub gives its tokens (installation, classic, OAuth,
/// user-to-server, refresh, fine-grained).
pub const TOKEN_PREFIXES: &[&str] = &["ghs_", "ghp_", "gho_", "ghu_", "ghr_", "github_pat_"];

/// Whether a string looks like a GitHub token, so that it is not echoed.
#[must_use]
pub fn looks_like_token(text: &str) -> bool {
    TOKEN_PREFIXES.iter().any(|p| text.starts_with(p))
}

/// Whether a string has the shape of a token: a GitHub prefix, or a classic
/// token's 40 hex digits. Such text is refused without being echoed.
#[must_use]
pub fn token_shaped(text: &str) -> bool {
    looks_like_token(text) || (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl TokenKind {
    fn of(token: &str) -> Self {
        if token.starts_with("ghs_") {
            Self::Installation
        } else if token.starts_with("ghp_") {
            Self::ClassicPat
        } else if token.starts_with("github_pat_") {
            Self::FineGrainedPat
        } else {
            Self::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_itself() {
        let t = Token::new("ghp_supersecret".to_owned());
        assert_eq!(format!("{t}"), "***");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(format!("{:?}", Some(&t)), "Some(Token(***))");
        assert_eq!(t.expose(), "ghp_supersecret");
    }

    #[test]
    fn kinds() {
        for (token, kind) in [
            ("ghs_x", TokenKind::Installation),
            ("ghp_x", TokenKind::ClassicPat),
            ("github_pat_x", TokenKind::FineGrainedPat),
            ("gho_x", TokenKind::Other),
            ("x", TokenKind::Other),
        ] {
            assert_eq!(Token::new(token.to_owned()).kind(), kind, "{token}");
        }
    }

    #[test]
    fn scrub_redacts_before_any_cut() {
        let t = Token::new("ghp_abc\"d%ef".to_owned());
        for (text, cut, want) in [
            ("x ghp_abc\"d%ef y", false, "x *** y"),
            (r#"{"t":"ghp_abc\"d%ef"}"#, false, r#"{"t":"***"}"#),
            ("echo: ghp_abc", true, "echo: "),
            ("echo: ghp_abc", false, "echo: ghp_abc"),
            ("echo: g", true, "echo: "),
            ("echo: x", true, "echo: x"),
            ("ghp_abc\"d%ef ghp_a", true, "*** "),
            ("", true, ""),
            // The whole text is the start of the token.
            ("ghp_a", true, ""),
            // A cut token after a multi-byte character.
            ("é ghp_a", true, "é "),
        ] {
            assert_eq!(t.scrub(text, cut), want, "{text}");
        }
        assert_eq!(partial_tail("aé", "éa"), 2);
        assert_eq!(partial_tail("abc", "abc"), 0);
    }
}
