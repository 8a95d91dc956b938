//! Where the credentials come from besides a token: a GitHub App's key, the
//! JWT it signs, and the installation tokens minted and revoked with it.

pub mod app;
pub mod clients;
pub mod mint;
