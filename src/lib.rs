//! repository-dispatch: one binary, three flows. `main.rs` picks one by the
//! first argument and hands it the process's arguments, environment and
//! standard streams: the sending flow (`send`), the receiving step
//! (`receive`), the post step (`revoke`), or the commands that describe the
//! binary (`completions`: completions, the man page, help). Everything else
//! is private to the crate.

mod action;
mod advice;
mod auth;
mod completions;
mod github;
mod receive;
mod revoke;
mod secret;
mod send;
mod util;

pub use action::env::Env;

/// The flows `main.rs` chooses between; each returns the exit code.
pub mod flow {
    pub use crate::completions::main as describe;
    pub use crate::receive::main as receive;
    pub use crate::revoke::revoke;
    pub use crate::send::run as send;
}

/// What the fuzz targets (`fuzz/`) and the integration tests (`tests/`) reach
/// inside the crate. Only with the `internals` feature, which the release
/// build never has.
#[cfg(feature = "internals")]
pub mod internals {
    pub use crate::action::{env, report, runner_files, spec, voice};
    pub use crate::github::{payload, repo, triggers};
    pub use crate::receive::fuzzed as receive;
    pub use crate::send::{cli, dispatch, inputs, receiver};
    pub use crate::util::time;
}
