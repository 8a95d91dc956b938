//! `repository-dispatch receive`: the receiving end. It validates the event
//! that started the workflow (a `repository_dispatch`'s `client_payload`, a
//! `workflow_dispatch`'s `inputs`) against a JSON Schema, checks the event type
//! and the sender, and only then hands the values out: as step outputs and,
//! with `env-prefix`, as environment variables for later steps. A workflow
//! then reads them through `env:`, never by pasting `${{ ... }}` into a script.
//!
//! Everything from the event is hostile: it is parsed with `serde_json`'s depth
//! limit, matched with the linear-time `regex` engine (boon compiles `pattern`
//! with it and refuses look-around and back-references), printed only as
//! escaped JSON cut short, and written to the runner's files only in the
//! random-delimiter form. Names of outputs and variables come from the schema,
//! never from the payload. Nothing is written unless everything is valid.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::action::Exit;
use crate::action::env::{About, Env, InputError};
use crate::action::report::{Reporter, with_reporter};
use crate::action::runner_files;
use crate::util::files;

mod check;
mod env_names;
mod options;
mod regex_format;
mod schema;
mod violations;

use check::{Accepted, Refused};
use options::{Asked, RawReceive, parse};
pub use options::{options, usage};
use schema::{Kind, prepare};
use violations::MAX_ERRORS;

/// What the fuzz target drives (`internals::receive`).
#[cfg(feature = "internals")]
pub mod fuzzed {
    pub use super::check::{Accepted, Refused};
    pub use super::options::RawReceive;
    pub use super::schema::{Receiver, prepare};
}

/// The most an event file may hold: a dispatch's payload is under 64 KiB, and
/// the rest of the event (repository, sender, installation) a few KiB.
pub const MAX_EVENT_BYTES: u64 = 8 * 1024 * 1024;

/// `repository-dispatch receive ARGS`: the receiving flow, printing through a
/// reporter of its own. Returns the exit code.
#[must_use]
pub fn main(
    args: Vec<OsString>,
    env: &Env,
    stdout: Box<dyn std::io::Write + Send>,
    stderr: Box<dyn std::io::Write + Send>,
    stderr_is_terminal: bool,
) -> u8 {
    with_reporter(env, stdout, stderr, stderr_is_terminal, |report| {
        run(args, env, report)
    })
}

/// The whole step, printing through `report`.
pub fn run(args: Vec<OsString>, env: &Env, report: &mut Reporter) -> Exit {
    let raw = match parse(args, env) {
        Ok(Asked::Help) => {
            report.info_block(usage().trim_end());
            return Exit::Success;
        }
        Ok(Asked::Run(raw)) => raw,
        Err(e) => {
            report.input_error(&e);
            return Exit::Invalid;
        }
    };
    let receiver = match prepare(&raw, env) {
        Ok(r) => r,
        Err(e) => {
            report.input_error(&e);
            return Exit::Invalid;
        }
    };
    for warning in &receiver.warnings {
        report.warning(warning);
    }
    let env_file = match runner_files(&raw, env, report.in_actions()) {
        Ok(env_file) => env_file,
        Err(e) => {
            report.input_error(&e);
            return Exit::Invalid;
        }
    };
    let Some(event_name) = raw.event_name.as_deref().filter(|n| !n.is_empty()) else {
        report.error(
            "No event",
            "GITHUB_EVENT_NAME is not set: run this step in a workflow started by repository_dispatch or workflow_dispatch, or give --event-name and --event (a saved event JSON)",
        );
        return Exit::Invalid;
    };
    // Another kind of event is refused by its name alone: its file is not read.
    let kind = Kind::of(event_name);
    let event = match raw.event.as_deref() {
        _ if kind.is_none() => Vec::new(),
        None => {
            report.error(
                "No event",
                "GITHUB_EVENT_PATH is not set: the runner sets it; outside a workflow, give --event PATH (a saved event JSON)",
            );
            return Exit::Invalid;
        }
        Some(path) => match files::read_capped(path, MAX_EVENT_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.error(
                    "Event unreadable",
                    &format!(
                        "the event file {} could not be read ({e:#}): the runner writes it; outside a workflow, give --event PATH",
                        path.display()
                    ),
                );
                return Exit::Failure;
            }
        },
    };
    if kind == Some(Kind::WorkflowDispatch) && !receiver.event_types.is_empty() {
        report.debug(|| "event-types applies to repository_dispatch only: not checked for this workflow_dispatch".to_owned());
    }
    let accepted = match receiver.check(event_name, &event) {
        Ok(a) => a,
        Err(Refused::Event(v)) => {
            report.error(v.title, &v.message);
            return Exit::Failure;
        }
        Err(Refused::Invalid(violations)) => {
            let total = violations.len();
            for v in violations.iter().take(MAX_ERRORS) {
                report.error(v.title, &v.message);
            }
            if total > MAX_ERRORS {
                report.error(
                    "More violations",
                    &format!("and {} more violations not shown", total - MAX_ERRORS),
                );
            }
            report.progress(&format!(
                "nothing was written to the step's outputs or environment: {total} violation{} of the schema or the step's rules",
                if total == 1 { "" } else { "s" }
            ));
            return Exit::Failure;
        }
    };
    hand_out(&accepted, env_file.as_deref(), report)
}

/// Checks, before the event is read, that what the step writes can be
/// written: `GITHUB_OUTPUT` (required in a workflow) and, with `env-prefix`,
/// `GITHUB_ENV` (required in a workflow). Returns the environment file.
fn runner_files(
    raw: &RawReceive,
    env: &Env,
    in_actions: bool,
) -> Result<Option<PathBuf>, InputError> {
    let wanted = [
        (runner_files::OUTPUT, true),
        (runner_files::ENV, raw.env_prefix.is_some()),
    ];
    for (name, needed) in wanted {
        match env.path(name) {
            Some(path) if needed => {
                runner_files::check(&path).map_err(|e| {
                    InputError::about(
                        About::RunnerFile,
                        name,
                        format!(
                            "{name} {} cannot be written ({e:#}); the event was not read: the runner sets it to a regular file, so {}",
                            path.display(),
                            runner_files::REMEDY,
                        ),
                    )
                })?;
            }
            None if needed && in_actions => {
                return Err(InputError::about(
                    About::RunnerFile,
                    name,
                    format!(
                        "{name} is not set (runners older than 2.297.0 and some emulators do not set it), so the validated values could not reach later steps; the event was not read: update the runner"
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(env
        .path(runner_files::ENV)
        .filter(|_| raw.env_prefix.is_some()))
}

/// Writes the outputs and the variables of a valid event, and says so.
fn hand_out(accepted: &Accepted, env_file: Option<&Path>, report: &mut Reporter) -> Exit {
    let names: Vec<&str> = accepted.outputs.iter().map(|(n, _)| n.as_str()).collect();
    if !accepted.env.is_empty() {
        let written = if let Some(path) = env_file {
            runner_files::append_records(
                path,
                accepted.env.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            )
        } else {
            report.warning("env-prefix is set but GITHUB_ENV is not: no variables were exported (outside a workflow, read the payload from standard output)");
            Ok(())
        };
        if let Err(e) = written {
            report.error(
                "GITHUB_ENV",
                &format!("could not write the variables to GITHUB_ENV ({e:#}): the runner sets it to a writable file"),
            );
            return Exit::Failure;
        }
    }
    for (name, value) in &accepted.outputs {
        report.set_output(name, value);
    }
    if let Err(e) = report.flush_outputs() {
        report.error(
            "GITHUB_OUTPUT",
            &format!("could not write the outputs to GITHUB_OUTPUT ({e:#})"),
        );
        return Exit::Failure;
    }
    let vars: Vec<&str> = accepted.env.iter().map(|(n, _)| n.as_str()).collect();
    report.progress(&format!(
        "{} is valid: outputs {}{}",
        accepted.kind.member(),
        names.join(", "),
        if vars.is_empty() {
            String::new()
        } else {
            format!("; environment {}", vars.join(", "))
        }
    ));
    if !report.in_actions() {
        // For a shell: the validated payload alone on stdout, for jq, as
        // JSON whose every non-ASCII character is a \u escape: the same
        // value, and nothing a terminal could act on.
        report.json_out(&ascii_json(&accepted.payload));
    }
    Exit::Success
}

/// JSON text with every character outside printable ASCII written as a
/// `\uXXXX` escape (surrogate pairs beyond U+FFFF). Characters outside
/// printable ASCII occur in JSON text only inside strings, where the escape
/// means the same character.
#[must_use]
pub fn ascii_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::options::set;
    use super::schema::{Receiver, env_name, list};
    use super::*;

    fn receiver(schema: &str, extra: &[(&str, &str)]) -> Result<Receiver, InputError> {
        let mut raw = RawReceive {
            schema: Some(schema.to_owned()),
            ..RawReceive::default()
        };
        for (k, v) in extra {
            set(&mut raw, k, Some((*v).to_owned()));
        }
        prepare(&raw, &Env::default())
    }

    #[test]
    fn env_names_are_upper_case_with_underscores() {
        assert_eq!(env_name("DEPLOY_", "image-tag"), "DEPLOY_IMAGE_TAG");
        assert_eq!(env_name("D_", "a.b é"), "D_A_B__");
        assert_eq!(env_name("D_", "x9_y"), "D_X9_Y");
    }

    #[test]
    fn lists_split_on_commas_and_lines() {
        assert_eq!(list(Some(" a, b\n\nc ,")), ["a", "b", "c"]);
        assert!(list(None).is_empty());
    }

    #[test]
    fn dangerous_prefixes_and_names_are_refused() {
        let schema = r#"{"properties": {"preload": {}, "path": {}}}"#;
        for (prefix, says) in [
            ("LD_", "LD_*"),
            ("GITHUB_", "GITHUB_*"),
            ("deploy_", "upper-case"),
            ("1X_", "upper-case"),
            ("LUA_", "LUA_*"),
            ("NODE_", "NODE_*"),
            ("A-B", "upper-case"),
        ] {
            let e = receiver(schema, &[("env-prefix", prefix)]).unwrap_err();
            assert!(e.message.contains(says), "{prefix}: {}", e.message);
        }
        for prefix in ["DEPLOY", "P", "X"] {
            let e = receiver(schema, &[("env-prefix", prefix)]).unwrap_err();
            assert!(
                e.message.contains("ending with _"),
                "{prefix}: {}",
                e.message
            );
        }
        let e = receiver(
            r#"{"properties": {"command": {}}}"#,
            &[("env-prefix", "PROMPT_")],
        )
        .unwrap_err();
        assert!(e.message.contains("PROMPT_COMMAND"), "{}", e.message);
        let e = receiver(
            r#"{"properties": {"a-b": {}, "a_b": {}}}"#,
            &[("env-prefix", "X_")],
        )
        .unwrap_err();
        assert!(e.message.contains("X_A_B"), "{}", e.message);
    }

    #[test]
    fn output_names_come_from_the_schema_and_must_be_names() {
        for name in ["a b", "a=b", "", "1a", "a\nb"] {
            let schema = serde_json::json!({"properties": {name: {}}}).to_string();
            let e = receiver(&schema, &[]).unwrap_err();
            assert!(
                e.message.contains("step output name"),
                "{name}: {}",
                e.message
            );
        }
        let e = receiver(r#"{"properties": {"Payload": {}}}"#, &[]).unwrap_err();
        assert!(e.message.contains("clash"), "{}", e.message);
    }
}
