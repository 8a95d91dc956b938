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

    /// The kind of token, told by GitHub's documented prefixes, for hints in
    /// error messages. Reveals nothing of the secret part.
    #[must_use]
    pub fn kind(&self) -> TokenKind {
        TokenKind::of(&self.0)
    }
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
}
