//! Command-line flags: the "low" form of the inputs, as close to what was typed
//! as possible. Validation happens in `inputs`.

use std::ffi::OsString;

use crate::action::args::{nearest, shown};
use crate::action::env::InputError;
use crate::action::flags::{Given, Reader, Refused};
use crate::action::spec::{self, Arg, SwitchTo, ValueTo};

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    Run(Flags),
}

/// Flag values as typed. `inputs` holds values for action inputs by their
/// input name (`event-type`), so flags and environment merge by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub inputs: Vec<(&'static str, String)>,
    pub client_payload_file: Option<String>,
    pub token_file: Option<String>,
    /// `--private-key-file`: the GitHub App's key.
    pub private_key_file: Option<String>,
    pub api_url: Option<String>,
    pub dry_run: bool,
    /// `--json`: the results array alone on stdout.
    pub json: bool,
    /// `-F`/`--raw-field`, in order.
    pub fields: Vec<crate::send::fields::Field>,
}

/// A flag refused: `flag` (as it may be shown) and what is wrong with it,
/// as one message that starts with the flag.
fn refused(flag: impl Into<String>, says: impl std::fmt::Display) -> InputError {
    let flag = flag.into();
    InputError::flag(&flag, format!("{flag} {says}"))
}

/// Parses the arguments after the program name, through the reader every
/// flow uses ([`Reader`]) over the option table ([`spec::OPTIONS`]).
///
/// Returns an error if and only if a flag is unknown, lacks its value, is given
/// a value that is not UTF-8, or is `--token`.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, InputError> {
    let mut flags = Flags::default();
    let mut repositories: Vec<String> = Vec::new();
    let mut reader = Reader::new(spec::OPTIONS, args);
    while let Some(given) = reader.next_option() {
        let Given { opt, value } = given.map_err(refusal)?;
        match opt.arg {
            Arg::Value(_, to) => {
                // The reader gives a value to every option that takes one.
                let v = value.unwrap_or_default();
                match to {
                    ValueTo::Input(input) if input.name == spec::REPOSITORY.name => {
                        repositories.push(v);
                    }
                    ValueTo::Input(input) => flags.inputs.push((input.name, v)),
                    ValueTo::PayloadFile => flags.client_payload_file = Some(v),
                    ValueTo::TokenFile => flags.token_file = Some(v),
                    ValueTo::PrivateKeyFile => flags.private_key_file = Some(v),
                    ValueTo::ApiUrl => flags.api_url = Some(v),
                    ValueTo::Field { raw } => {
                        flags
                            .fields
                            .push(crate::send::fields::Field { text: v, raw });
                    }
                }
            }
            Arg::Switch(SwitchTo::Help) => return Ok(Command::Help),
            Arg::Switch(SwitchTo::Version) => return Ok(Command::Version),
            Arg::Switch(SwitchTo::DryRun) => flags.dry_run = true,
            Arg::Switch(SwitchTo::Json) => flags.json = true,
            Arg::Switch(SwitchTo::Input(input, to)) => {
                flags.inputs.push((input.name, to.to_owned()));
            }
        }
    }
    if !repositories.is_empty() {
        flags
            .inputs
            .push((spec::REPOSITORY.name, repositories.join("\n")));
    }
    if flags.client_payload_file.is_some()
        && flags
            .inputs
            .iter()
            .any(|(n, _)| *n == spec::CLIENT_PAYLOAD.name)
    {
        return Err(refused(
            "--client-payload-file",
            "and --client-payload both give the payload: use one of them",
        ));
    }
    check_combinations(&flags)?;
    Ok(Command::Run(flags))
}

/// What the reader refused, in this flow's words. Only option names and
/// letters are echoed; anything else through [`shown`].
fn refusal(why: Refused) -> InputError {
    const TOKEN_ON_COMMAND_LINE: &str = "a token on the command line lands in shell history and process lists; set GITHUB_TOKEN or GH_TOKEN, or use --token-file PATH";
    match why {
        Refused::NotUtf8 { shown } => refused(shown, "is not valid UTF-8"),
        Refused::Bare { arg } => {
            let message = if crate::secret::token_shaped(&arg) {
                format!("is not an option: it looks like a token, and {TOKEN_ON_COMMAND_LINE}")
            } else {
                "is not an option: values follow their flag, as in --event-type trigger-deploy"
                    .to_owned()
            };
            refused(shown(&arg), message)
        }
        // Only the dash and the letter are echoed: two characters hold no
        // secret, and the count says what else was there.
        Refused::Attached { letter: 't', .. } => refused(
            "-t",
            format!("with an attached value is not accepted: {TOKEN_ON_COMMAND_LINE}"),
        ),
        Refused::Attached {
            letter, attached, ..
        } => refused(
            format!("-{letter}"),
            format!(
                "with an attached value ({attached} characters) is not an option of repository-dispatch: give a short option's value as the next argument (-r OWNER/NAME), and long options with two dashes; see --help"
            ),
        ),
        // A cluster is made of option letters only, and `-t` is never one:
        // it may be shown.
        Refused::Cluster { arg, letter } => {
            let near = spec::option(&format!("-{arg}"))
                .map(|o| format!("did you mean --{}? ", o.long))
                .unwrap_or_default();
            refused(
                arg,
                format!(
                    "is not an option: {near}in a cluster of short options only the last may take a value, and -{letter} takes one; give it separately (-{letter} VALUE), or last in the cluster"
                ),
            )
        }
        Refused::Unknown { name, .. } if matches!(name.as_str(), "--token" | "-t") => {
            refused(name, format!("is not accepted: {TOKEN_ON_COMMAND_LINE}"))
        }
        Refused::Unknown { name, .. } => unknown(&name),
        Refused::SwitchWithValue { name, .. } => refused(name, "takes no value"),
        Refused::NoValue { long } => refused(format!("--{long}"), "needs a value"),
        Refused::ValueNotUtf8 { long } => {
            refused(format!("--{long}"), "has a value that is not valid UTF-8")
        }
        // Fixed text: the argument may be a secret.
        Refused::ValueLikeOption { long } => refused(
            format!("--{long}"),
            format!(
                "needs a value, but the next argument starts with '-' like an option; to give a value that starts with '-', attach it: --{long}=VALUE"
            ),
        ),
    }
}

/// Flags that cannot be given together.
fn check_combinations(flags: &Flags) -> Result<(), InputError> {
    let payload_flag = if flags.client_payload_file.is_some() {
        Some("--client-payload-file")
    } else if flags
        .inputs
        .iter()
        .any(|(n, _)| *n == spec::CLIENT_PAYLOAD.name || *n == spec::WORKFLOW_INPUTS.name)
    {
        Some("--client-payload or --inputs")
    } else {
        None
    };
    if let (Some(other), false) = (payload_flag, flags.fields.is_empty()) {
        return Err(refused(
            "--field",
            format!("and {other} both give the payload: use fields or JSON, not both"),
        ));
    }
    if flags.json && flags.dry_run {
        return Err(refused(
            "--json",
            "prints the results of a run, and --dry-run sends nothing (its requests are the output): use one of them",
        ));
    }
    let stdin_readers: Vec<&str> = [
        ("--client-payload-file", &flags.client_payload_file),
        ("--token-file", &flags.token_file),
        ("--private-key-file", &flags.private_key_file),
    ]
    .into_iter()
    .filter(|(_, path)| path.as_deref() == Some("-"))
    .map(|(flag, _)| flag)
    .collect();
    if let [first, second, ..] = stdin_readers[..] {
        return Err(refused(
            second.to_owned(),
            format!("and {first} cannot both read standard input"),
        ));
    }
    Ok(())
}

/// An unknown option, with the nearest real one if there is one.
fn unknown(name: &str) -> InputError {
    let message = match suggestion(name) {
        Some(near) => {
            format!("is not an option of repository-dispatch: did you mean {near}? see --help")
        }
        None => "is not an option of repository-dispatch: see --help".to_owned(),
    };
    refused(shown(name), message)
}

/// The option an unknown one was most likely meant to be: the same name with
/// `-` for `_`, a name other tools use for it (`gh`'s `-R`/`--repo`, and
/// `--payload`, `--event`), or the one name within two edits.
fn suggestion(name: &str) -> Option<String> {
    const ALIASES: &[(&str, &str)] = &[
        ("-R", "--repository"),
        ("--repo", "--repository"),
        ("--repos", "--repository"),
        ("--event", "--event-type"),
        ("--type", "--event-type"),
        ("--payload", "--client-payload"),
        ("--data", "--client-payload"),
        ("--payload-file", "--client-payload-file"),
        ("--input", "--inputs"),
        ("--branch", "--ref"),
        ("--dryrun", "--dry-run"),
        ("--wait-for-run", "--wait"),
    ];
    let alias = |n: &str| {
        ALIASES
            .iter()
            .find(|(from, _)| *from == n)
            .map(|(_, to)| (*to).to_owned())
    };
    if let Some(to) = alias(name) {
        return Some(to);
    }
    let long = name.strip_prefix("--")?.replace('_', "-");
    let long = format!("--{}", long.to_ascii_lowercase());
    if spec::option(&long).is_some() {
        return Some(long);
    }
    if let Some(to) = alias(&long) {
        return Some(to);
    }
    nearest(&long[2..], spec::OPTIONS.iter().map(|o| o.long)).map(|near| format!("--{near}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::args::edit_distance;

    fn run(args: &[&str]) -> Result<Command, InputError> {
        parse(args.iter().map(OsString::from))
    }

    fn flags(args: &[&str]) -> Flags {
        match run(args) {
            Ok(Command::Run(f)) => f,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn error(args: &[&str], flag: &str, part: &str) {
        match run(args) {
            Err(e) => {
                assert_eq!(e.input, flag, "{args:?}");
                assert!(e.message.contains(part), "{args:?}: {}", e.message);
            }
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn flags_parse() {
        let f = flags(&[
            "--repository",
            "o/a",
            "-r",
            "o/b",
            "--event-type=deploy",
            "-p",
            "{}",
            "--dry-run",
            "--wait",
            "--no-fail-on-run-failure",
            "--timeout",
            "30s",
            "--api-url",
            "http://127.0.0.1:1",
        ]);
        assert!(f.dry_run);
        assert_eq!(f.api_url.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(
            f.inputs,
            vec![
                ("event-type", "deploy".to_owned()),
                ("client-payload", "{}".to_owned()),
                ("wait-for-run", "true".to_owned()),
                ("fail-on-run-failure", "false".to_owned()),
                ("timeout", "30s".to_owned()),
                ("repository", "o/a\no/b".to_owned()),
            ]
        );
        assert_eq!(run(&["-h"]), Ok(Command::Help));
        assert_eq!(run(&["--version"]), Ok(Command::Version));
        assert_eq!(
            flags(&["-f", "-"]).client_payload_file.as_deref(),
            Some("-")
        );
    }

    /// Nothing that could be a secret is echoed: the error names what kind
    /// of argument was refused (option letter, length) instead.
    #[test]
    fn token_like_arguments_are_never_echoed() {
        const SECRET: &str = "0123456789abcdefABCDEF0123456789abcdef01";
        let prefixed =
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"].map(|p| format!("{p}{SECRET}"));
        let mut cases: Vec<(String, &str, &str)> = vec![
            (format!("-t{SECRET}"), "-t", "shell history"),
            (format!("-t={SECRET}"), "-t", "shell history"),
            (
                format!("-x{SECRET}"),
                "-x",
                "attached value (40 characters)",
            ),
            (
                format!("-p={SECRET}"),
                "-p",
                "attached value (41 characters)",
            ),
            (
                SECRET.to_owned(),
                "an argument of 40 characters",
                "looks like a token",
            ),
            (
                format!("--{SECRET}"),
                "an argument of 42 characters",
                "not an option",
            ),
            (
                format!("--{SECRET}={SECRET}"),
                "an argument of 42 characters",
                "not an option",
            ),
            (
                "x".repeat(45),
                "an argument of 45 characters",
                "values follow their flag",
            ),
        ];
        for p in &prefixed {
            cases.push((p.clone(), "", "looks like a token"));
            cases.push((format!("-t{p}"), "-t", "shell history"));
            cases.push((format!("Bearer:{p}"), "", "is not an option"));
        }
        for (arg, flag, part) in &cases {
            let e = run(&[arg]).unwrap_err();
            if !flag.is_empty() {
                assert_eq!(e.input, *flag, "{arg}");
            }
            assert!(e.message.contains(part), "{arg}: {}", e.message);
            let said = format!("{} {}", e.input, e.message);
            assert!(!said.contains(&SECRET[..8]), "{arg} echoed: {said}");
            assert!(!said.contains("ghp_"), "{arg} echoed: {said}");
            // Unix only: an argument of bytes that are not UTF-8.
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStringExt as _;
                let from_bytes =
                    parse([OsString::from_vec([arg.as_bytes(), b"\xff"].concat())]).unwrap_err();
                assert!(
                    !from_bytes.input.contains(&SECRET[..8]),
                    "{arg} not UTF-8 echoed: {from_bytes:?}"
                );
            }
        }
    }

    /// A mistyped option gets the nearest real one.
    #[test]
    fn unknown_options_suggest_the_nearest() {
        for (typed, meant) in [
            ("--event_type", "--event-type"),
            ("--Event-Type", "--event-type"),
            ("--client_payload", "--client-payload"),
            ("--payload", "--client-payload"),
            ("--repo", "--repository"),
            ("-R", "--repository"),
            ("--event", "--event-type"),
            ("--evnt-type", "--event-type"),
            ("--dispatch-intervall", "--dispatch-interval"),
            ("--dry_run", "--dry-run"),
            ("--wait-for-run", "--wait"),
            ("--branch", "--ref"),
        ] {
            error(
                &[typed],
                typed,
                &format!(
                    "is not an option of repository-dispatch: did you mean {meant}? see --help"
                ),
            );
        }
        for far in ["--bogus", "--xyz", "-x"] {
            let e = run(&[far]).unwrap_err();
            assert!(!e.message.contains("did you mean"), "{far}: {}", e.message);
        }
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ref"), 3);
        assert_eq!(edit_distance("ref", "ref"), 0);
    }

    /// A flag's value that looks like an option is refused, with how to give
    /// such a value; standard input (`-`) and attached values stay accepted.
    #[test]
    fn a_value_that_looks_like_an_option_is_refused() {
        error(
            &["-e", "-n"],
            "--event-type",
            "needs a value, but the next argument starts with '-' like an option; to give a value that starts with '-', attach it: --event-type=VALUE",
        );
        error(
            &["--retries", "-1"],
            "--retries",
            "attach it: --retries=VALUE",
        );
        // A secret-looking value is not echoed.
        let e = run(&["-p", "-ghp_0123456789abcdef0123456789abcdef01234567"]).unwrap_err();
        assert!(!e.message.contains("ghp_"), "{}", e.message);
        assert_eq!(
            flags(&["--event-type=-n"]).inputs,
            vec![("event-type", "-n".to_owned())]
        );
        assert_eq!(
            flags(&["-f", "-"]).client_payload_file.as_deref(),
            Some("-")
        );
    }

    /// Short options cluster as getopt reads them: switches, then at most one
    /// option with a value, last; its value is the next argument.
    #[test]
    fn short_options_cluster() {
        let f = flags(&["-nr", "o/r", "-ne", "deploy", "-nF", "a=1"]);
        assert!(f.dry_run);
        assert_eq!(
            f.inputs,
            vec![
                ("event-type", "deploy".to_owned()),
                ("repository", "o/r".to_owned())
            ]
        );
        assert_eq!(f.fields.len(), 1);
        assert!(flags(&["-nn"]).dry_run);
        assert_eq!(run(&["-nh"]), Ok(Command::Help));
        assert_eq!(run(&["-nV"]), Ok(Command::Version));
        error(&["-nr"], "--repository", "needs a value");
        error(
            &["-ref", "main"],
            "-ref",
            "is not an option: did you mean --ref? in a cluster of short options only the last may take a value, and -r takes one; give it separately (-r VALUE), or last in the cluster",
        );
        error(&["-rn", "o/r"], "-rn", "and -r takes one");
        // Not all option letters: an attached value, named by its first letter.
        error(&["-nx"], "-n", "attached value (1 characters)");
        error(&["-nt"], "-n", "attached value (1 characters)");
        // Forty letters could be a token: not a cluster, not echoed.
        let long = format!("-{}", "ef".repeat(20));
        let e = run(&[&long]).unwrap_err();
        assert_eq!(e.input, "-e", "{e:?}");
    }

    #[test]
    fn flags_refused() {
        error(&["--token", "x"], "--token", "shell history");
        error(&["--token=x"], "--token", "shell history");
        error(&["--event-type"], "--event-type", "needs a value");
        error(&["--bogus"], "--bogus", "not an option");
        error(&["o/r"], "o/r", "not an option");
        error(
            &["ghp_secretvalue"],
            "an argument of 15 characters",
            "not an option",
        );
        error(&["--wait=yes"], "--wait", "takes no value");
        error(&["-x"], "-x", "not an option of repository-dispatch");
        error(&["-ro/r"], "-r", "as the next argument (-r OWNER/NAME)");
        error(&["-bogus"], "-b", "attached value (4 characters)");
        error(&["-é€x"], "-é", "attached value (2 characters)");
        error(&["--bogus=ghp_x"], "--bogus", "not an option");
        error(
            &["--ghp_secretvalue"],
            "an argument of 17 characters",
            "not an option",
        );
        error(
            &["-p", "{}", "-f", "x.json"],
            "--client-payload-file",
            "use one of them",
        );
        error(
            &["-f", "-", "--token-file", "-"],
            "--token-file",
            "standard input",
        );
    }
}
