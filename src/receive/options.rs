//! `receive`'s options: the table, `--help`, and its `INPUT_*` variables and
//! flags read through the readers every flow uses (`action::env::read_inputs`,
//! `action::flags::Reader`).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::action::env::{Env, InputError};
use crate::action::flags::{self, Flag, Given, Reader, Refused};

/// One option of `receive`.
pub(super) struct Opt {
    long: &'static str,
    short: Option<char>,
    /// The action input it sets, if any.
    input: Option<&'static str>,
    /// What it takes, as `--help` shows it; `None` for a switch.
    value: Option<&'static str>,
    help: &'static str,
}

impl Flag for Opt {
    fn long(&self) -> &'static str {
        self.long
    }
    fn short(&self) -> Option<char> {
        self.short
    }
    fn takes_value(&self) -> bool {
        self.value.is_some()
    }
}

pub(super) const OPTIONS: &[Opt] = &[
    Opt {
        long: "schema",
        short: None,
        input: Some("schema"),
        value: Some("JSON"),
        help: "the JSON Schema (draft 2020-12) the payload must match, as JSON text",
    },
    Opt {
        long: "schema-file",
        short: None,
        input: Some("schema-file"),
        value: Some("PATH"),
        help: "the schema in a file, relative to GITHUB_WORKSPACE (else the current directory)",
    },
    Opt {
        long: "event-types",
        short: None,
        input: Some("event-types"),
        value: Some("LIST"),
        help: "accepted event types of a repository_dispatch (comma or newline separated)",
    },
    Opt {
        long: "senders",
        short: None,
        input: Some("senders"),
        value: Some("LIST"),
        help: "accepted senders (logins; an app as app-slug[bot]), compared case-insensitively",
    },
    Opt {
        long: "env-prefix",
        short: None,
        input: Some("env-prefix"),
        value: Some("PREFIX"),
        help: "also export each declared top-level property to GITHUB_ENV as PREFIX + NAME",
    },
    Opt {
        long: "event",
        short: None,
        input: None,
        value: Some("PATH"),
        help: "the event JSON (default: GITHUB_EVENT_PATH)",
    },
    Opt {
        long: "event-name",
        short: None,
        input: None,
        value: Some("NAME"),
        help: "repository_dispatch or workflow_dispatch (default: GITHUB_EVENT_NAME)",
    },
    // The one switch, last as `--help` lists it.
    Opt {
        long: "help",
        short: Some('h'),
        input: None,
        value: None,
        help: "print this help",
    },
];

/// The options that take a value: all but `--help`.
fn valued() -> impl Iterator<Item = (&'static Opt, &'static str)> {
    OPTIONS.iter().filter_map(|o| o.value.map(|v| (o, v)))
}

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
        let flag = match (o.short, o.value) {
            (_, Some(value)) => format!("--{} {value}", o.long),
            (Some(short), None) => format!("-{short}, --{}", o.long),
            (None, None) => format!("--{}", o.long),
        };
        let _ = writeln!(text, "  {flag:<26} {}", o.help);
    }
    text.push_str(
        "\n\
         Exit status: 0 valid (outputs written), 1 the event is not valid (nothing\n\
         written), 2 the schema or an option is not usable (the event is not read).\n",
    );
    text
}

/// `receive`'s options that take a value, as (long name, value placeholder,
/// help), for the completion scripts.
pub fn options() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    valued().map(|(o, value)| (o.long, value, o.help))
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
    let mut reader = Reader::new(OPTIONS, args);
    while let Some(given) = reader.next_option() {
        let Given { opt, value } = given.map_err(refusal)?;
        let Some(placeholder) = opt.value else {
            // The one switch: --help.
            return Ok(Asked::Help);
        };
        // An empty value is refused, as the sending flow refuses one.
        let value = flags::not_empty(
            &format!("--{}", opt.long),
            placeholder,
            &value.unwrap_or_default(),
        )?;
        set(&mut raw, opt.long, Some(value));
    }
    Ok(Asked::Run(raw))
}

/// What the reader refused, in this step's words: anything that is not one
/// of its options is "no option", shown as the sending flow shows an
/// argument (never one that could be a secret).
fn refusal(refused: Refused) -> InputError {
    match refused {
        Refused::NotUtf8 { shown } => {
            InputError::flag(&shown, format!("{shown} is not valid UTF-8"))
        }
        Refused::Bare { arg }
        | Refused::Attached { arg, .. }
        | Refused::Cluster { arg, .. }
        | Refused::Unknown { arg, .. }
        | Refused::SwitchWithValue { arg, .. } => no_option(&arg),
        Refused::NoValue { long } | Refused::ValueNotUtf8 { long } => {
            let placeholder = OPTIONS
                .iter()
                .find(|o| o.long == long)
                .and_then(|o| o.value)
                .unwrap_or("VALUE");
            InputError::flag(
                &format!("--{long}"),
                format!("--{long} needs a value: --{long} {placeholder}"),
            )
        }
        Refused::ValueLikeOption { long } => InputError::flag(
            &format!("--{long}"),
            format!(
                "--{long} needs a value, but the next argument starts with '-' like an option; to give a value that starts with '-', attach it: --{long}=VALUE"
            ),
        ),
    }
}

/// `arg` is not an option of `receive`, with the nearest one if there is one.
fn no_option(arg: &str) -> InputError {
    let shown = crate::action::args::shown(arg);
    let name = match arg.split_once('=') {
        Some((n, _)) if n.starts_with("--") => n,
        _ => arg,
    };
    let hint = nearest(name).map_or_else(
        || ": see repository-dispatch receive --help".to_owned(),
        |n| format!(": did you mean --{n}?"),
    );
    InputError::flag(&shown, format!("receive has no option {shown}{hint}"))
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
    crate::action::args::nearest(&typed, valued().map(|(o, _)| o.long))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arguments' outcome: the settings read, or the error's title and
    /// message.
    fn check(args: &[&str], expected: Result<RawReceive, (&str, &str)>) {
        let got = parse(args.iter().map(OsString::from).collect(), &Env::default());
        let got = got.map_err(|e| (e.title(), e.message));
        let expected = expected
            .map(Asked::Run)
            .map_err(|(t, m)| (t.to_owned(), m.to_owned()));
        assert_eq!(got, expected, "{args:?}");
    }

    #[test]
    fn flags_read_through_the_shared_reader() {
        check(
            &["--schema", " {} ", "--event-name=push"],
            Ok(RawReceive {
                schema: Some("{}".to_owned()),
                event_name: Some("push".to_owned()),
                ..RawReceive::default()
            }),
        );
        assert_eq!(parse(vec!["-h".into()], &Env::default()), Ok(Asked::Help));
        check(
            &["--senders"],
            Err((
                "Invalid option: --senders",
                "--senders needs a value: --senders LIST",
            )),
        );
        check(
            &["--schemafile", "x"],
            Err((
                "Invalid option: --schemafile",
                "receive has no option --schemafile: did you mean --schema-file?",
            )),
        );
        check(
            &["-sx"],
            Err((
                "Invalid option: an argument of 3 characters",
                "receive has no option an argument of 3 characters: see repository-dispatch receive --help",
            )),
        );
        check(
            &["--help=x"],
            Err((
                "Invalid option: --help=...",
                "receive has no option --help=...: see repository-dispatch receive --help",
            )),
        );
        // As the sender reads a flag: a value that starts with '-' is
        // attached, else it is taken for a forgotten one.
        check(
            &["--env-prefix", "-X_"],
            Err((
                "Invalid option: --env-prefix",
                "--env-prefix needs a value, but the next argument starts with '-' like an option; to give a value that starts with '-', attach it: --env-prefix=VALUE",
            )),
        );
        check(
            &["--env-prefix", ""],
            Err((
                "Invalid option: --env-prefix",
                "--env-prefix is empty: give PREFIX, or leave the option out; an unset or empty shell variable, as in --env-prefix \"$VALUE\", also gives this",
            )),
        );
    }
}
