//! The runner's files, in one place: `GITHUB_OUTPUT`, `GITHUB_ENV`,
//! `GITHUB_STATE` and `GITHUB_STEP_SUMMARY`. Each is checked before a flow
//! relies on it (a regular file or `/dev/null`, opened without blocking) and
//! written in the runner's record form with a random delimiter; the post
//! step reads the state back as the runner hands it over (`STATE_{name}`).

use std::path::Path;

use crate::action::env::Env;
use crate::util::files;

/// Step outputs.
pub const OUTPUT: &str = "GITHUB_OUTPUT";
/// Environment variables for the job's later steps.
pub const ENV: &str = "GITHUB_ENV";
/// Values for the action's post step.
pub const STATE: &str = "GITHUB_STATE";
/// The step summary (Markdown).
pub const SUMMARY: &str = "GITHUB_STEP_SUMMARY";

/// One record of a runner file (`GITHUB_OUTPUT`, `GITHUB_ENV`,
/// `GITHUB_STATE`) in the multi-line form: `name<<DELIMITER`, the value,
/// `DELIMITER`, each on its own line. The delimiter holds 128 random bits and
/// is drawn again in the (astronomically unlikely) case that the value holds
/// it, which would end the value early; so no value can add a record.
///
/// Returns an error if and only if the operating system gives no random
/// numbers.
pub fn heredoc(name: &str, value: &str) -> anyhow::Result<String> {
    let delimiter = loop {
        let d = format!("ghadelimiter_{}", crate::util::random::hex128()?);
        if !value.contains(&d) {
            break d;
        }
    };
    Ok(format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
}

/// What to check when a runner file cannot be written, after "the runner
/// sets it to a regular file, so". In the container the files are mounted
/// from the host under `/github/file_commands`; a step run natively (Windows,
/// macOS) finds them in the runner's temporary folder, where only an `env:`
/// that overrides the variable can point it elsewhere.
pub const REMEDY: &str = if cfg!(target_os = "linux") {
    "check that the step runs as root and /github/file_commands is mounted"
} else {
    "check that no env: of the workflow, job or step sets it"
};

/// Checks that the file at `path` can be appended to: it opens (or is
/// created) as a regular file or `/dev/null`, without blocking on a FIFO.
pub fn check(path: &Path) -> anyhow::Result<()> {
    files::open_append(path).map(|_| ())
}

/// Appends one [`heredoc`] record per `(name, value)`, all in one write.
pub fn append_records<'a>(
    path: &Path,
    records: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> anyhow::Result<()> {
    let mut text = String::new();
    for (name, value) in records {
        text.push_str(&heredoc(name, value)?);
    }
    files::append(path, &text)
}

/// Appends text as it is (the step summary's Markdown).
pub fn append_text(path: &Path, text: &str) -> anyhow::Result<()> {
    files::append(path, text)
}

/// Saves `value` under `name` in the state file at `path`, for the post step;
/// a later save of the same name wins.
pub fn save_state(path: &Path, name: &str, value: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let record = heredoc(name, value)?;
    let mut file = files::open_append(path)?;
    file.write_all(record.as_bytes())
        .and_then(|()| file.flush())
        .context("could not write to GITHUB_STATE")
}

/// What the main step saved under `name`, as the runner hands it to the post
/// step (`STATE_{name}`), if anything.
#[must_use]
pub fn saved_state<'e>(env: &'e Env, name: &str) -> Option<&'e str> {
    env.get(&format!("STATE_{name}"))
}
