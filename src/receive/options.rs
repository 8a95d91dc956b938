//! `receive`'s options: the table, `--help`, and the `INPUT_*` and flag reader.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::action::env::{Env, InputError};

/// One option of `receive`.
pub(super) struct Opt {
    long: &'static str,
    /// The action input it sets, if any.
    input: Option<&'static str>,
    value: &'static str,
    help: &'static str,
}

pub(super) const OPTIONS: &[Opt] = &[
    Opt {
        long: "schema",
        input: Some("schema"),
        value: "JSON",
        help: "the JSON Schema (draft 2020-12) the payload must match, as JSON text",
    },
    Opt {
        long: "schema-file",
        input: Some("schema-file"),
        value: "PATH",
        help: "the schema in a file, relative to GITHUB_WORKSPACE (else the current directory)",
    },
    Opt {
        long: "event-types",
        input: Some("event-types"),
        value: "LIST",
        help: "accepted event types of a repository_dispatch (comma or newline separated)",
    },
    Opt {
        long: "senders",
        input: Some("senders"),
        value: "LIST",
        help: "accepted senders (logins; an app as app-slug[bot]), compared case-insensitively",
    },
    Opt {
        long: "env-prefix",
        input: Some("env-prefix"),
        value: "PREFIX",
        help: "also export each declared top-level property to GITHUB_ENV as PREFIX + NAME",
    },
    Opt {
        long: "event",
        input: None,
        value: "PATH",
        help: "the event JSON (default: GITHUB_EVENT_PATH)",
    },
    Opt {
        long: "event-name",
        input: None,
        value: "NAME",
        help: "repository_dispatch or workflow_dispatch (default: GITHUB_EVENT_NAME)",
    },
];

/// `receive --help`.
#[must_use]
pub fn usage() -> String {
    let mut text = String::from(
        "Usage: repository-dispatch receive (--schema JSON | --schema-file PATH) [OPTIONS]\n\n\
         Validates the repository_dispatch or workflow_dispatch event that started this\n\
         workflow run against a JSON Schema, then writes each top-level property the\n\
         schema declares as a step output (and the whole payload as `payload`).\n\
         Read them through env:, never by pasting ${{ }} into a script.\n\n\
         Options (each also an action input, INPUT_<NAME>):\n",
    );
    for o in OPTIONS {
        let flag = format!("--{} {}", o.long, o.value);
        let _ = writeln!(text, "  {flag:<26} {}", o.help);
    }
    text.push_str(
        "  -h, --help                 print this help\n\n\
         Exit status: 0 valid (outputs written), 1 the event is not valid (nothing\n\
         written), 2 the schema or an option is not usable (the event is not read).\n",
    );
    text
}

/// `receive`'s options as (long name, value placeholder, help), for the
/// completion scripts.
pub fn options() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    OPTIONS.iter().map(|o| (o.long, o.value, o.help))
}

/// The receive step's settings as given, flags over `INPUT_*` variables.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RawReceive {
    pub schema: Option<String>,
    pub schema_file: Option<String>,
    pub event_types: Option<String>,
    pub senders: Option<String>,
    pub env_prefix: Option<String>,
    pub event: Option<PathBuf>,
    pub event_name: Option<String>,
}

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Asked {
    Help,
    Run(RawReceive),
}

/// Reads the `INPUT_*` variables through the reader every flow uses
/// ([`read_inputs`](crate::action::env::read_inputs)), then the flags over
/// them.
///
/// Returns an error if and only if a flag is unknown, lacks its value or is
/// given an empty one, or an `INPUT_*` variable is not UTF-8.
pub fn parse(args: Vec<OsString>, env: &Env) -> Result<Asked, InputError> {
    let mut raw = RawReceive::default();
    // As the sending flow reads its inputs: both spellings, and an input the
    // runner passes empty (none of receive's has a default) is not given.
    let (given, errors) = crate::action::env::read_inputs(
        env,
        OPTIONS.iter().filter_map(|o| o.input.map(|i| (i, false))),
    );
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    for (input, value) in given {
        if let Some(o) = OPTIONS.iter().find(|o| o.input == Some(input)) {
            set(&mut raw, o.long, Some(value));
        }
    }
    raw.event = env.path("GITHUB_EVENT_PATH");
    raw.event_name = env.get("GITHUB_EVENT_NAME").map(str::to_owned);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.into_string().map_err(|a| {
            let shown = crate::action::args::shown(&a.to_string_lossy());
            InputError::flag(&shown, format!("{shown} is not valid UTF-8"))
        })?;
        if arg == "-h" || arg == "--help" {
            return Ok(Asked::Help);
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let Some(opt) = name
            .strip_prefix("--")
            .and_then(|n| OPTIONS.iter().find(|o| o.long == n))
        else {
            // As the sending flow shows an argument: never one that could be
            // a secret (token-shaped, long, or a short option with a value).
            let shown = crate::action::args::shown(&arg);
            let hint = nearest(&name).map_or_else(
                || ": see repository-dispatch receive --help".to_owned(),
                |n| format!(": did you mean --{n}?"),
            );
            return Err(InputError::flag(
                &shown,
                format!("receive has no option {shown}{hint}"),
            ));
        };
        let value = match inline {
            Some(v) => v,
            None => args
                .next()
                .and_then(|v| v.into_string().ok())
                .ok_or_else(|| {
                    InputError::flag(
                        &format!("--{}", opt.long),
                        format!("--{} needs a value: --{} {}", opt.long, opt.long, opt.value),
                    )
                })?,
        };
        // An empty value is refused, as the sending flow refuses one: an
        // unset shell variable (`--schema-file "$SCHEMA"`) is a mistake.
        let value = value.trim().to_owned();
        if value.is_empty() {
            return Err(InputError::flag(
                &format!("--{}", opt.long),
                format!(
                    "--{} is empty: give {}, or leave the option out; an unset or empty shell variable, as in --{} \"$VALUE\", also gives this",
                    opt.long, opt.value, opt.long
                ),
            ));
        }
        set(&mut raw, opt.long, Some(value));
    }
    Ok(Asked::Run(raw))
}

/// Sets the option `long` to `value`; `None` (not given, or empty) leaves
/// what is there.
pub(super) fn set(raw: &mut RawReceive, long: &str, value: Option<String>) {
    let Some(value) = value else { return };
    match long {
        "schema" => raw.schema = Some(value),
        "schema-file" => raw.schema_file = Some(value),
        "event-types" => raw.event_types = Some(value),
        "senders" => raw.senders = Some(value),
        "env-prefix" => raw.env_prefix = Some(value),
        "event" => raw.event = Some(PathBuf::from(value)),
        "event-name" => raw.event_name = Some(value),
        _ => unreachable!("every option of OPTIONS is handled: {long}"),
    }
}

/// The option within two edits of an unknown one (`--schemafile`).
pub(super) fn nearest(name: &str) -> Option<&'static str> {
    let typed = name.trim_start_matches('-').replace('_', "-");
    OPTIONS
        .iter()
        .map(|o| (crate::action::args::edit_distance(&typed, o.long), o.long))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, long)| long)
}
