//! Where the credentials come from: a token, or a GitHub App's key, the
//! JWT it signs, and the installation tokens minted and revoked with it.

pub mod app;
pub mod clients;
pub mod mint;

use crate::secret::Token;

/// Who the requests are made as.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A token: every request carries it.
    Token(Token),
    /// A GitHub App: one token minted per owner, used for that owner's
    /// repositories and revoked at the end.
    App(mint::App),
}

impl Credentials {
    /// The token, unless these are a GitHub App's.
    #[must_use]
    pub fn token(&self) -> Option<&Token> {
        match self {
            Self::Token(token) => Some(token),
            Self::App(_) => None,
        }
    }

    /// The GitHub App, if these are one's.
    #[must_use]
    pub fn app(&self) -> Option<&mint::App> {
        match self {
            Self::App(app) => Some(app),
            Self::Token(_) => None,
        }
    }
}
