//! GitHub's REST API: the HTTP client and its typed problems, the network
//! (proxy, TLS), and the request bodies we send (payloads, workflow inputs).

pub mod client;
pub mod event;
pub mod net;
pub mod payload;
pub mod repo;
pub mod triggers;
pub mod workflow;
pub mod workflows;

pub use client::*;
