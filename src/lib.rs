//! repository-dispatch: inputs -> validated request -> send -> report.
//!
//! `send::run` is the sending flow, `receive::run` the receiving step and
//! `revoke::revoke` the post step; `main.rs` hands one of them the process's
//! arguments, environment and standard streams and turns its result into an
//! exit code.

pub mod action;
pub mod advice;
pub mod auth;
pub mod completions;
pub mod github;
pub mod receive;
pub mod revoke;
pub mod secret;
pub mod send;
pub mod util;

pub use action::Exit;
pub use revoke::revoke;
pub use send::run;

// The paths the fuzz targets and tests/ reach the library by.
pub use action::{report, spec};
pub use github::payload;
pub use send::{cli, dispatch, inputs};
pub use util::time;
