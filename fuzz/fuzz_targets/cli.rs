//! Command-line parsing, and flags merged over the environment.
//!
//! Input: a list of arguments as raw bytes (so also arguments that are not
//! UTF-8). Properties, beyond "never panics":
//!
//! * A parsed command sets only inputs of `action.yml`, never `token` (there is
//!   no token flag), and names at most one payload source.
//! * `--token`/`-t` is refused without echoing its value; no error echoes the
//!   value of `--token=VALUE`.
//! * Flags (with the file-reading ones removed, so that nothing touches the
//!   disk or standard input) merged over an environment that holds a token
//!   validate to errors that each name a known input or `--api-url`, at most one
//!   per input, with the token in none of them.

#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;

use libfuzzer_sys::fuzz_target;
use repository_dispatch::internals::cli::{self, Command};
use repository_dispatch::internals::env::Env;
use repository_dispatch::internals::inputs::{INPUT_NAMES, Inputs, RawInputs};

const TOKEN: &str = "ghp_FuzzCanary0123456789";

fuzz_target!(|args: Vec<&[u8]>| {
    let os: Vec<OsString> = args
        .iter()
        .map(|a| OsString::from_vec(a.to_vec()))
        .collect();
    let texts: Vec<String> = args
        .iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    match cli::parse(os) {
        Ok(Command::Help | Command::Version) => {}
        Ok(Command::Run(mut flags)) => {
            for (name, _) in &flags.inputs {
                assert!(INPUT_NAMES.contains(name), "flag set unknown input {name}");
                assert_ne!(*name, "token");
            }
            let payloads = flags
                .inputs
                .iter()
                .filter(|(n, _)| *n == "client-payload")
                .count();
            assert!(
                flags.client_payload_file.is_none() || payloads == 0,
                "two payload sources: {flags:?}"
            );
            // No disk and no standard input from here on.
            flags.client_payload_file = None;
            flags.token_file = None;
            flags.private_key_file = None;
            // Fields may read files (`@PATH`); their own tests are in src/send/fields.rs.
            flags.fields.clear();
            merged(flags, &texts);
        }
        Err(e) => {
            assert!(!e.message.is_empty(), "empty message for {:?}", e.input);
            // The messages are the flag (`input`) then fixed text; only the
            // flag can echo an argument.
            // `an argument of N characters` stands in for a long or token-like
            // argument: fixed words and a count, which echo nothing even when a
            // `--token=` value happens to be one of those words ("argument").
            let stand_in = e
                .input
                .strip_prefix("an argument of ")
                .and_then(|rest| rest.strip_suffix(" characters"))
                .is_some_and(|count| count.parse::<usize>().is_ok());
            for t in texts.iter().filter(|_| !stand_in) {
                if let Some(value) = t.strip_prefix("--token=")
                    && value.len() >= 8
                    && !texts.iter().any(|o| o != t && o.contains(value))
                {
                    assert!(!e.input.contains(value), "--token value echoed: {e:?}");
                }
            }
        }
    }
});

fn merged(flags: cli::Flags, texts: &[String]) {
    let env = Env::from_pairs([
        ("INPUT_TOKEN", TOKEN),
        ("INPUT_EVENT-TYPE", "fuzz"),
        ("GITHUB_REPOSITORY", "octo/fuzz"),
    ]);
    let (raw, errors) = RawInputs::from_env_and_flags(&env, flags);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(raw.secrets_to_mask(), vec![TOKEN.to_owned()]);
    let Err(errors) = Inputs::validate(&raw) else {
        return;
    };
    let echoed = texts.iter().any(|t| t.contains("ghp_"));
    let mut names: Vec<&str> = errors.iter().map(|e| e.input.as_str()).collect();
    for e in &errors {
        assert!(
            INPUT_NAMES.contains(&e.input.as_str()) || e.input == "--api-url",
            "error for unknown input {:?}: {}",
            e.input,
            e.message
        );
        assert!(echoed || !e.message.contains(TOKEN), "token leaked: {e:?}");
    }
    names.sort_unstable();
    let n = names.len();
    names.dedup();
    assert_eq!(
        names.len(),
        n,
        "more than one error for an input: {errors:?}"
    );
}
