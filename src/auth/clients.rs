//! Which client each repository's requests go through: one for every
//! repository (a token was given), or one per owner (tokens minted for a
//! GitHub App), with why an owner got none.

use crate::advice::Failure;
use crate::github::repo::Repository;
use crate::github::{Client, Retry};

/// The client each repository's requests go through: one for every
/// repository (a token was given), or one per owner (tokens minted for a
/// GitHub App), with the failure of an owner that got none.
#[derive(Debug)]
pub struct Clients {
    all: Option<Client>,
    /// Owner (lower case) and its client.
    owners: Vec<(String, Client)>,
    /// Owner (lower case) and why it has no client.
    refused: Vec<(String, Failure)>,
}

impl Clients {
    /// One client for every repository.
    #[must_use]
    pub fn one(client: Client) -> Self {
        Self {
            all: Some(client),
            owners: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// A client per owner, and the owners that have none with why.
    #[must_use]
    pub fn per_owner(owners: Vec<(String, Client)>, refused: Vec<(String, Failure)>) -> Self {
        Self {
            all: None,
            owners,
            refused,
        }
    }

    /// The client for `repo`, or why there is none.
    pub fn get(&self, repo: &Repository) -> Result<&Client, Failure> {
        if let Some(client) = &self.all {
            return Ok(client);
        }
        let owner = repo.owner.to_ascii_lowercase();
        if let Some((_, client)) = self.owners.iter().find(|(o, _)| *o == owner) {
            return Ok(client);
        }
        Err(self.refused.iter().find(|(o, _)| *o == owner).map_or_else(
            || Failure {
                title: "No token".to_owned(),
                message: format!("no token was minted for {}", repo.owner),
                http_status: None,
                retry: Retry::Never,
            },
            |(_, f)| f.clone(),
        ))
    }
}
