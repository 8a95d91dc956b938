//! The one table of inputs and options. Each action input is named here once,
//! with its kind and its default as `action.yml` writes it; each command-line
//! option once, with the input it sets and its line of `--help`. Flag parsing
//! (`cli`), reading `INPUT_*` and the defaults of validation (`inputs`) and
//! the help text are driven by it; a test checks that `action.yml` and the
//! README's inputs table agree with it.

use std::fmt::Write as _;
use std::time::Duration;

/// An input of `action.yml`.
#[derive(Debug)]
pub struct Input {
    /// The hyphenated name: `with:` key, and `INPUT_` + its upper case.
    pub name: &'static str,
    pub default: Default,
    pub kind: Kind,
}

/// An input's default, as `action.yml` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Default {
    /// No default: absent unless given (`event-type` is required unless
    /// `workflow` is given, which `inputs` checks).
    None,
    /// An expression the runner evaluates (`${{ github.token }}`); outside a
    /// workflow the named environment variables stand in for it, in order.
    Runner {
        expression: &'static str,
        vars: &'static [&'static str],
    },
    /// A value, parsed as the input's kind.
    Value(&'static str),
}

/// What an input's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text with its own parser in `inputs` (repositories, JSON, a name).
    Text,
    /// `true` or `false`.
    Bool,
    /// A duration of at least `min`.
    Duration { min: Duration },
    /// A whole number from 0 to `max`.
    Count { max: u32 },
}

impl Input {
    /// The default of a `true`/`false` input.
    ///
    /// # Panics
    /// If the table gives it no `true` or `false` default (a test checks).
    #[must_use]
    pub fn bool_default(&self) -> bool {
        match self.default {
            Default::Value("true") => true,
            Default::Value("false") => false,
            _ => panic!("{} has no true/false default", self.name),
        }
    }

    /// The default of a duration input.
    ///
    /// # Panics
    /// If the table gives it no duration default (a test checks).
    #[must_use]
    pub fn duration_default(&self) -> Duration {
        match self.default {
            Default::Value(v) => crate::util::time::parse_duration(v)
                .unwrap_or_else(|e| panic!("{}'s default: {e}", self.name)),
            _ => panic!("{} has no duration default", self.name),
        }
    }

    /// The default of a text or count input, if it has a value.
    #[must_use]
    pub fn value_default(&self) -> Option<&'static str> {
        match self.default {
            Default::Value(v) => Some(v),
            Default::None | Default::Runner { .. } => None,
        }
    }
}

pub const TOKEN: Input = Input {
    name: "token",
    default: Default::Runner {
        expression: "${{ github.token }}",
        vars: &["GH_TOKEN", "GITHUB_TOKEN"],
    },
    kind: Kind::Text,
};
pub const REPOSITORY: Input = Input {
    name: "repository",
    default: Default::Runner {
        expression: "${{ github.repository }}",
        vars: &["GITHUB_REPOSITORY"],
    },
    kind: Kind::Text,
};
pub const EVENT_TYPE: Input = Input {
    name: "event-type",
    default: Default::None,
    kind: Kind::Text,
};
pub const CLIENT_PAYLOAD: Input = Input {
    name: "client-payload",
    default: Default::Value("{}"),
    kind: Kind::Text,
};
pub const TIMEOUT: Input = Input {
    name: "timeout",
    default: Default::Value("10m"),
    kind: Kind::Duration {
        min: Duration::from_secs(1),
    },
};
pub const MAX_RETRY_WAIT: Input = Input {
    name: "max-retry-wait",
    default: Default::Value("5m"),
    kind: Kind::Duration {
        min: Duration::ZERO,
    },
};
pub const RETRIES: Input = Input {
    name: "retries",
    default: Default::Value("3"),
    kind: Kind::Count { max: 10 },
};
pub const RETRY_ON_SERVER_ERROR: Input = Input {
    name: "retry-on-server-error",
    default: Default::Value("false"),
    kind: Kind::Bool,
};
pub const ALLOW_INSECURE_HTTP: Input = Input {
    name: "allow-insecure-http",
    default: Default::Value("false"),
    kind: Kind::Bool,
};
pub const DISPATCH_INTERVAL: Input = Input {
    name: "dispatch-interval",
    default: Default::Value("1s"),
    kind: Kind::Duration {
        min: Duration::ZERO,
    },
};
pub const FAIL_FAST: Input = Input {
    name: "fail-fast",
    default: Default::Value("false"),
    kind: Kind::Bool,
};
pub const CHECK_RECEIVER: Input = Input {
    name: "check-receiver",
    default: Default::Value("warn"),
    kind: Kind::Text,
};
pub const WAIT_FOR_RUN: Input = Input {
    name: "wait-for-run",
    default: Default::Value("false"),
    kind: Kind::Bool,
};
pub const DISPATCH_ID_KEY: Input = Input {
    name: "dispatch-id-key",
    default: Default::Value("dispatch_id"),
    kind: Kind::Text,
};
pub const DISCOVERY_TIMEOUT: Input = Input {
    name: "discovery-timeout",
    default: Default::Value("2m"),
    kind: Kind::Duration {
        min: Duration::from_secs(1),
    },
};
pub const WAIT_TIMEOUT: Input = Input {
    name: "wait-timeout",
    default: Default::Value("30m"),
    kind: Kind::Duration {
        min: Duration::from_secs(1),
    },
};
pub const FAIL_ON_RUN_FAILURE: Input = Input {
    name: "fail-on-run-failure",
    default: Default::Value("true"),
    kind: Kind::Bool,
};
pub const WORKFLOW: Input = Input {
    name: "workflow",
    default: Default::None,
    kind: Kind::Text,
};
pub const REF: Input = Input {
    name: "ref",
    default: Default::None,
    kind: Kind::Text,
};
pub const WORKFLOW_INPUTS: Input = Input {
    name: "inputs",
    default: Default::None,
    kind: Kind::Text,
};
pub const APP_ID: Input = Input {
    name: "app-id",
    default: Default::None,
    kind: Kind::Text,
};
pub const CLIENT_ID: Input = Input {
    name: "client-id",
    default: Default::None,
    kind: Kind::Text,
};
pub const PRIVATE_KEY: Input = Input {
    name: "private-key",
    default: Default::None,
    kind: Kind::Text,
};

/// Every input, in the order of `action.yml`.
pub const INPUTS: &[&Input] = &[
    &TOKEN,
    &REPOSITORY,
    &EVENT_TYPE,
    &CLIENT_PAYLOAD,
    &TIMEOUT,
    &MAX_RETRY_WAIT,
    &RETRIES,
    &RETRY_ON_SERVER_ERROR,
    &ALLOW_INSECURE_HTTP,
    &DISPATCH_INTERVAL,
    &FAIL_FAST,
    &CHECK_RECEIVER,
    &WAIT_FOR_RUN,
    &DISPATCH_ID_KEY,
    &DISCOVERY_TIMEOUT,
    &WAIT_TIMEOUT,
    &FAIL_ON_RUN_FAILURE,
    &WORKFLOW,
    &REF,
    &WORKFLOW_INPUTS,
    &APP_ID,
    &CLIENT_ID,
    &PRIVATE_KEY,
];

/// Every input's name, in the order of `action.yml` (for the fuzz targets).
#[cfg(feature = "internals")]
pub const INPUT_NAMES: [&str; INPUTS.len()] = {
    let mut names = [""; INPUTS.len()];
    let mut i = 0;
    while i < INPUTS.len() {
        names[i] = INPUTS[i].name;
        i += 1;
    }
    names
};

/// A command-line option.
#[derive(Debug)]
pub struct Opt {
    /// The long name, without its dashes.
    pub long: &'static str,
    pub short: Option<char>,
    pub arg: Arg,
    /// Its `--help` text; a line break continues it on the next line.
    pub help: &'static str,
}

/// What an option takes and sets.
#[derive(Debug, Clone, Copy)]
pub enum Arg {
    /// A value, shown in `--help` as the placeholder.
    Value(&'static str, ValueTo),
    /// Nothing: a switch.
    Switch(SwitchTo),
}

/// Where an option's value goes.
#[derive(Debug, Clone, Copy)]
pub enum ValueTo {
    Input(&'static Input),
    /// Read the payload from this file.
    PayloadFile,
    /// Read the token from this file.
    TokenFile,
    /// `--private-key-file`: the GitHub App's private key from a file.
    PrivateKeyFile,
    /// The API base, in place of `GITHUB_API_URL`.
    ApiUrl,
    /// One `KEY=VALUE` of the payload (or, with `workflow`, the inputs),
    /// typed (`false`) or a string (`true`).
    Field {
        raw: bool,
    },
}

/// What a switch does.
#[derive(Debug, Clone, Copy)]
pub enum SwitchTo {
    /// Sets the input to this value.
    Input(&'static Input, &'static str),
    DryRun,
    /// Print the results array alone on stdout.
    Json,
    Help,
    Version,
}

/// Every option, in the order of `--help`.
pub const OPTIONS: &[Opt] = &[
    Opt {
        long: "repository",
        short: Some('r'),
        arg: Arg::Value("OWNER/NAME", ValueTo::Input(&REPOSITORY)),
        help: "target repository; repeat it, or separate several with commas,\nto dispatch to each (default: $GITHUB_REPOSITORY)",
    },
    Opt {
        long: "event-type",
        short: Some('e'),
        arg: Arg::Value("TYPE", ValueTo::Input(&EVENT_TYPE)),
        help: "the event type the receiving workflow listens for (1-100 characters)",
    },
    Opt {
        long: "client-payload",
        short: Some('p'),
        arg: Arg::Value("JSON", ValueTo::Input(&CLIENT_PAYLOAD)),
        help: "a JSON object of at most 10 top-level properties (default: {})",
    },
    Opt {
        long: "workflow",
        short: Some('w'),
        arg: Arg::Value("FILE|ID", ValueTo::Input(&WORKFLOW)),
        help: "send a workflow_dispatch to this workflow (file name such as deploy.yml,\nor id) instead of a repository_dispatch; needs --ref",
    },
    Opt {
        long: "ref",
        short: None,
        arg: Arg::Value("REF", ValueTo::Input(&REF)),
        help: "with --workflow: the branch or tag whose copy of the workflow runs",
    },
    Opt {
        long: "inputs",
        short: None,
        arg: Arg::Value("JSON", ValueTo::Input(&WORKFLOW_INPUTS)),
        help: "with --workflow: a JSON object of the workflow's inputs (at most 25)",
    },
    Opt {
        long: "field",
        short: Some('F'),
        arg: Arg::Value("KEY=VALUE", ValueTo::Field { raw: false }),
        help: "one property of the payload (of the inputs with --workflow), repeatable:\nnumbers, true, false and null typed, else a string; @PATH reads a file;\nnested keys as outer[inner]=VALUE; instead of --client-payload",
    },
    Opt {
        long: "raw-field",
        short: None,
        arg: Arg::Value("KEY=VALUE", ValueTo::Field { raw: true }),
        help: "as --field, but the value is always a string",
    },
    Opt {
        long: "client-payload-file",
        short: Some('f'),
        arg: Arg::Value("PATH", ValueTo::PayloadFile),
        help: "read the payload from a file, or from standard input with -",
    },
    Opt {
        long: "token-file",
        short: None,
        arg: Arg::Value("PATH", ValueTo::TokenFile),
        help: "read the token from a file, or from standard input with -\n(default: $GH_TOKEN, then $GITHUB_TOKEN; there is no --token flag,\nso that no token lands in shell history)",
    },
    Opt {
        long: "app-id",
        short: None,
        arg: Arg::Value("ID", ValueTo::Input(&APP_ID)),
        help: "authenticate as this GitHub App (its numeric id), with --private-key-file;\nthe step mints one least-privilege token per owner and revokes it",
    },
    Opt {
        long: "client-id",
        short: None,
        arg: Arg::Value("ID", ValueTo::Input(&CLIENT_ID)),
        help: "the GitHub App's client id (Iv...), instead of --app-id",
    },
    Opt {
        long: "private-key-file",
        short: None,
        arg: Arg::Value("PATH", ValueTo::PrivateKeyFile),
        help: "the GitHub App's private key (.pem), or standard input with -",
    },
    Opt {
        long: "api-url",
        short: None,
        arg: Arg::Value("URL", ValueTo::ApiUrl),
        help: "REST API base (default: $GITHUB_API_URL, else https://api.github.com)",
    },
    Opt {
        long: "dry-run",
        short: Some('n'),
        arg: Arg::Switch(SwitchTo::DryRun),
        help: "validate and print the exact request, then exit; sends nothing",
    },
    Opt {
        long: "json",
        short: None,
        arg: Arg::Switch(SwitchTo::Json),
        help: "print only the results (a JSON array, as the results output) on stdout,\nfor scripts: | jq; everything else goes to stderr",
    },
    Opt {
        long: "timeout",
        short: None,
        arg: Arg::Value("DURATION", ValueTo::Input(&TIMEOUT)),
        help: "deadline for dispatching, retries and rate-limit waits included (10m)",
    },
    Opt {
        long: "max-retry-wait",
        short: None,
        arg: Arg::Value("DURATION", ValueTo::Input(&MAX_RETRY_WAIT)),
        help: "the longest single wait for a rate limit before giving up (5m)",
    },
    Opt {
        long: "retries",
        short: None,
        arg: Arg::Value("N", ValueTo::Input(&RETRIES)),
        help: "retries after a failure that GitHub surely did not act on (3)",
    },
    Opt {
        long: "retry-on-server-error",
        short: None,
        arg: Arg::Switch(SwitchTo::Input(&RETRY_ON_SERVER_ERROR, "true")),
        help: "also retry 502, 503 and 504 (the dispatch may then arrive twice)",
    },
    Opt {
        long: "dispatch-interval",
        short: None,
        arg: Arg::Value("DURATION", ValueTo::Input(&DISPATCH_INTERVAL)),
        help: "pause between dispatches to several repositories (1s)",
    },
    Opt {
        long: "fail-fast",
        short: None,
        arg: Arg::Switch(SwitchTo::Input(&FAIL_FAST, "true")),
        help: "stop at the first repository that fails",
    },
    Opt {
        long: "check-receiver",
        short: None,
        arg: Arg::Value("MODE", ValueTo::Input(&CHECK_RECEIVER)),
        help: "before sending, read the target's workflows: warn (say when none\nlistens), fail (do not send there) or off (no reads); default warn",
    },
    Opt {
        long: "allow-insecure-http",
        short: None,
        arg: Arg::Switch(SwitchTo::Input(&ALLOW_INSECURE_HTTP, "true")),
        help: "allow a plain http:// API URL on a host other than loopback",
    },
    Opt {
        long: "wait",
        short: None,
        arg: Arg::Switch(SwitchTo::Input(&WAIT_FOR_RUN, "true")),
        help: "find the run each dispatch started and wait for it to finish",
    },
    Opt {
        long: "dispatch-id-key",
        short: None,
        arg: Arg::Value("KEY", ValueTo::Input(&DISPATCH_ID_KEY)),
        help: "client_payload property that carries the correlation id (dispatch_id)",
    },
    Opt {
        long: "discovery-timeout",
        short: None,
        arg: Arg::Value("DURATION", ValueTo::Input(&DISCOVERY_TIMEOUT)),
        help: "how long to look for the started run (2m)",
    },
    Opt {
        long: "wait-timeout",
        short: None,
        arg: Arg::Value("DURATION", ValueTo::Input(&WAIT_TIMEOUT)),
        help: "how long to wait for the run to complete (30m)",
    },
    Opt {
        long: "no-fail-on-run-failure",
        short: None,
        arg: Arg::Switch(SwitchTo::Input(&FAIL_ON_RUN_FAILURE, "false")),
        help: "succeed even when the run's conclusion is not success",
    },
    Opt {
        long: "help",
        short: Some('h'),
        arg: Arg::Switch(SwitchTo::Help),
        help: "print this help",
    },
    Opt {
        long: "version",
        short: Some('V'),
        arg: Arg::Switch(SwitchTo::Version),
        help: "print the version",
    },
];

/// The option spelled `arg` (`--long` or `-s`), if any.
#[must_use]
pub fn option(arg: &str) -> Option<&'static Opt> {
    if let Some(long) = arg.strip_prefix("--") {
        return OPTIONS.iter().find(|o| o.long == long);
    }
    let mut chars = arg.strip_prefix('-')?.chars();
    let (Some(letter), None) = (chars.next(), chars.next()) else {
        return None;
    };
    OPTIONS.iter().find(|o| o.short == Some(letter))
}

impl crate::action::flags::Flag for Opt {
    fn long(&self) -> &'static str {
        self.long
    }
    fn short(&self) -> Option<char> {
        self.short
    }
    fn takes_value(&self) -> bool {
        matches!(self.arg, Arg::Value(..))
    }
}

/// Where descriptions start in `--help`.
const HELP_COLUMN: usize = 34;

/// A command other than a run, given as the first argument.
#[derive(Debug)]
pub struct Subcommand {
    pub name: &'static str,
    /// What follows the name, as the synopsis writes it.
    pub args: &'static str,
    pub help: &'static str,
}

/// The commands other than a run: `--help`, the man page's SYNOPSIS and the
/// completion scripts list them from here, and `cli` parses these names.
pub const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "receive",
        args: "(--schema JSON | --schema-file PATH) [OPTIONS]",
        help: "check the event that started this workflow run against a JSON Schema\nand hand out its values: the receiving step (see receive --help)",
    },
    Subcommand {
        name: "revoke",
        args: "",
        help: "revoke the GitHub App tokens a cancelled step left in GITHUB_STATE:\nthe action's post step (the image's /revoke runs it too)",
    },
    Subcommand {
        name: "completions",
        args: "bash|zsh|fish",
        help: "print a shell completion script",
    },
    Subcommand {
        name: "man",
        args: "",
        help: "print the man page (roff)",
    },
    Subcommand {
        name: "help",
        args: "[receive]",
        help: "print --help, or with receive, receive --help",
    },
];

/// The `--help` text.
#[must_use]
pub fn usage() -> String {
    let mut text = String::from(
        "repository-dispatch: send repository_dispatch and workflow_dispatch events to GitHub repositories,
and validate a dispatch where it arrives

Usage:
  repository-dispatch --repository OWNER/NAME --event-type TYPE [OPTIONS]
  repository-dispatch --repository OWNER/NAME --workflow FILE --ref REF [OPTIONS]
  repository-dispatch COMMAND [ARGS]

As a GitHub Action, inputs arrive as INPUT_* environment variables; flags win over them.

Commands:
",
    );
    for c in SUBCOMMANDS {
        let left = format!("  {} {}", c.name, c.args);
        let left = left.trim_end();
        let mut lines = c.help.lines();
        // A synopsis too long for the column gets a line of its own.
        if left.len() < HELP_COLUMN {
            let _ = write!(text, "{left}{}", " ".repeat(HELP_COLUMN - left.len()));
        } else {
            let _ = write!(text, "{left}\n{}", " ".repeat(HELP_COLUMN));
        }
        let _ = writeln!(text, "{}", lines.next().unwrap_or(""));
        for line in lines {
            let _ = writeln!(text, "{}{line}", " ".repeat(HELP_COLUMN));
        }
    }
    text.push_str("\nOptions:\n");
    for o in OPTIONS {
        let short = o.short.map_or("    ".to_owned(), |s| format!("-{s}, "));
        let value = match o.arg {
            Arg::Value(placeholder, _) => format!(" {placeholder}"),
            Arg::Switch(_) => String::new(),
        };
        let left = format!("  {short}--{}{value}", o.long);
        let pad = if left.len() < HELP_COLUMN {
            HELP_COLUMN - left.len()
        } else {
            2
        };
        let mut lines = o.help.lines();
        let _ = writeln!(
            text,
            "{left}{}{}",
            " ".repeat(pad),
            lines.next().unwrap_or("")
        );
        for line in lines {
            let _ = writeln!(text, "{}{line}", " ".repeat(HELP_COLUMN));
        }
    }
    text.push_str(
        "
Durations are seconds (90) or a number with a unit (250ms, 30s, 10m, 1h).
Exit status: 0 dispatched (and, with --wait, the run succeeded), 1 failed, 2 invalid input.
",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every default is one its kind reads, and every input but the token
    /// (read from a file or the environment) is set by an option.
    #[test]
    fn the_table_is_consistent() {
        for input in INPUTS {
            match input.kind {
                Kind::Bool => {
                    let _ = input.bool_default();
                }
                Kind::Duration { min } => {
                    assert!(input.duration_default() >= min, "{}", input.name);
                }
                Kind::Count { max } => {
                    let n: u32 = input.value_default().unwrap().parse().unwrap();
                    assert!(n <= max, "{}", input.name);
                }
                Kind::Text => {}
            }
            let setters = OPTIONS
                .iter()
                .filter(|o| match o.arg {
                    Arg::Value(_, ValueTo::Input(i)) | Arg::Switch(SwitchTo::Input(i, _)) => {
                        i.name == input.name
                    }
                    _ => false,
                })
                .count();
            // The secrets have no flag that takes them: a file flag reads them.
            assert_eq!(
                setters,
                usize::from(!["token", "private-key"].contains(&input.name)),
                "{}",
                input.name
            );
        }
        for (i, o) in OPTIONS.iter().enumerate() {
            let same = |p: &Opt| p.long == o.long || (o.short.is_some() && p.short == o.short);
            assert!(!OPTIONS[i + 1..].iter().any(same), "--{} twice", o.long);
            if let Arg::Switch(SwitchTo::Input(input, value)) = o.arg {
                assert_eq!(input.kind, Kind::Bool, "--{}", o.long);
                assert!(["true", "false"].contains(&value), "--{}", o.long);
            }
        }
        assert_eq!(option("--wait").unwrap().long, "wait");
        assert_eq!(option("-r").unwrap().long, "repository");
        assert!(option("-re").is_none() && option("--").is_none() && option("-").is_none());
    }

    /// `action.yml`'s inputs, their order and defaults are the table's.
    #[test]
    fn action_yml_agrees() {
        let yml = include_str!("../../action.yml");
        let section = yml
            .split("\ninputs:\n")
            .nth(1)
            .and_then(|rest| rest.split("\noutputs:\n").next())
            .unwrap();
        let mut found: Vec<(String, Option<String>, bool)> = Vec::new();
        for line in section.lines() {
            if let Some(name) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
                && !name.starts_with(' ')
            {
                found.push((name.to_owned(), None, false));
            } else if let Some(v) = line.strip_prefix("    default: ") {
                found.last_mut().unwrap().1 = Some(v.trim_matches('\'').to_owned());
            } else if line == "    required: true" {
                found.last_mut().unwrap().2 = true;
            }
        }
        let expected: Vec<(String, Option<String>, bool)> = INPUTS
            .iter()
            .map(|i| match i.default {
                Default::None => (i.name.to_owned(), None, false),
                Default::Runner { expression: v, .. } | Default::Value(v) => {
                    (i.name.to_owned(), Some(v.to_owned()), false)
                }
            })
            .collect();
        assert_eq!(found, expected);
    }

    /// The README's inputs table lists the same inputs, in the same order,
    /// with the same defaults.
    #[test]
    fn the_readme_agrees() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("| input | default | meaning |\n|---|---|---|\n")
            .nth(1)
            .unwrap();
        let rows: Vec<(String, String)> = table
            .lines()
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.split(" | ").collect();
                (
                    cells[0]
                        .trim_start_matches("| ")
                        .trim_matches('`')
                        .to_owned(),
                    cells[1].trim_matches('`').to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = INPUTS
            .iter()
            .map(|i| {
                let default = match i.default {
                    Default::None => "(none)",
                    Default::Runner { expression: v, .. } | Default::Value(v) => v,
                };
                (i.name.to_owned(), default.to_owned())
            })
            .collect();
        assert_eq!(rows, expected);
    }

    /// Each option has one line in `--help` (more for a long text), its
    /// description in the column.
    #[test]
    fn help_lists_every_option() {
        let text = usage();
        for o in OPTIONS {
            let first = o.help.lines().next().unwrap();
            assert!(
                text.lines()
                    .any(|l| l.contains(&format!("--{}", o.long)) && l.ends_with(first)),
                "--{} not in --help:\n{text}",
                o.long
            );
        }
        assert!(text.contains("  -f, --client-payload-file PATH  read the payload from a file"));
        assert!(text.contains("\n  -r, --repository OWNER/NAME     target repository; repeat it"));
    }
}
