//! The way out: the proxy route and the TLS configuration.

pub mod proxy;
pub mod tls;
