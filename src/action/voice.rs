//! Who reads what the step says: a workflow author or someone at a shell
//! prompt, decided once; every remedy whose words differ by reader (an input
//! as a `with:` key or as a flag) is rendered here from it.

use crate::action::env::Env;
use crate::action::spec::{self, Arg, Input, SwitchTo, ValueTo};

/// Who reads the advice: a workflow author (the step runs in GitHub Actions)
/// or someone at a shell prompt. Decided once, by [`Voice::of`]; every
/// remedy whose words differ by reader is rendered here from it, so the two
/// wordings of a hint sit side by side and never drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Voice {
    /// In Actions (`GITHUB_ACTIONS=true`): inputs, YAML, secrets.
    #[default]
    Workflow,
    /// Anywhere else: flags, shell quoting, environment variables.
    Shell,
}

/// A remedy whose words depend on the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// A JSON string with a raw line break or tab.
    RawLineBreak,
    /// JSON with single-quoted strings.
    SingleQuotes,
    /// JSON keys without quotes.
    UnquotedKeys,
    /// JSON that ends before it is closed.
    EndsEarly,
    /// Any other JSON syntax error: how to quote JSON.
    QuoteJson,
    /// A JSON string where an object belongs.
    EncodedTwice,
    /// `null` where an object belongs.
    Null,
    /// An empty payload.
    EmptyPayload,
    /// A control character in a one-line value.
    MultiLine,
    /// An empty repository.
    EmptyRepository,
    /// No repository at all.
    NoRepository,
    /// No token at all.
    NoToken,
    /// A token the value of which is empty.
    EmptyToken,
    /// A token with extra characters.
    CopyTokenAgain,
    /// A token GitHub rejected (`401`).
    NewToken,
}

impl Voice {
    /// The reader of this run: [`Voice::Workflow`] in Actions, else [`Voice::Shell`].
    #[must_use]
    pub fn of(env: &Env) -> Self {
        if env.in_actions() {
            Self::Workflow
        } else {
            Self::Shell
        }
    }

    /// An input as the reader gives it: `client-payload` or `--client-payload`.
    #[must_use]
    pub fn name(self, input: &Input) -> String {
        match (self, flag(input)) {
            (Self::Shell, Some(opt)) => format!("--{}", opt.long),
            _ => input.name.to_owned(),
        }
    }

    /// How to give an input a value: `set allow-insecure-http: true` or
    /// `pass --allow-insecure-http`.
    #[must_use]
    pub fn set(self, input: &Input, value: &str) -> String {
        if self == Self::Shell {
            let switch = spec::OPTIONS.iter().find(|o| {
                matches!(o.arg, Arg::Switch(SwitchTo::Input(i, v)) if i.name == input.name && v == value)
            });
            if let Some(opt) = switch {
                return format!("pass --{}", opt.long);
            }
            if let Some(opt) = flag(input) {
                return format!("pass --{} {value}", opt.long);
            }
        }
        format!("set {}: {value}", input.name)
    }

    /// The words of a remedy.
    #[must_use]
    pub fn hint(self, hint: Hint) -> &'static str {
        use Hint as H;
        match (hint, self) {
            (H::RawLineBreak, Self::Workflow) => {
                "a string holds a raw line break or tab, usually from an interpolated value such as ${{ github.event.head_commit.message }}: insert it with toJSON(), as in \"message\": ${{ toJSON(github.event.head_commit.message) }}"
            }
            (H::RawLineBreak, Self::Shell) => {
                "a string holds a raw line break or tab: write it as \\n or \\t inside the JSON string, or give the value with -F KEY=@FILE, which reads a file into a string"
            }
            (H::SingleQuotes, Self::Workflow) => {
                "JSON strings and keys take double quotes; in YAML put single quotes around the whole value, as in client-payload: '{\"environment\": \"staging\"}', or build it with ${{ toJSON(...) }}"
            }
            (H::SingleQuotes, Self::Shell) => {
                "JSON strings and keys take double quotes; in the shell put single quotes around the whole JSON, as in --client-payload '{\"environment\": \"staging\"}'; for text holding a single quote use $'...' with \\' inside, or --client-payload-file - with a here-doc (<<'EOF')"
            }
            (H::UnquotedKeys, Self::Workflow) => {
                "keys must be in double quotes, as in {\"environment\": \"staging\"}"
            }
            (H::UnquotedKeys, Self::Shell) => {
                "keys must be in double quotes, and the shell removes double quotes that are not inside single quotes: put single quotes around the whole JSON, as in --client-payload '{\"environment\": \"staging\"}', or build it with -F environment=staging"
            }
            (H::EndsEarly, Self::Workflow) => {
                "the JSON ends early: a brace, bracket or quote is not closed; check that the whole value reached the step (YAML may have cut it)"
            }
            (H::EndsEarly, Self::Shell) => {
                "the JSON ends early: a brace, bracket or quote is not closed; check the shell's quoting (an unquoted space splits the JSON into two arguments): put single quotes around the whole JSON, or pass it with --client-payload-file - and a here-doc (<<'EOF')"
            }
            (H::QuoteJson, Self::Workflow) => {
                "in a workflow, put single quotes around the JSON (client-payload: '{\"environment\": \"staging\"}') or build it with ${{ toJSON(...) }}"
            }
            (H::QuoteJson, Self::Shell) => {
                "in the shell, put single quotes around the JSON (--client-payload '{\"environment\": \"staging\"}'), pass it with --client-payload-file - and a here-doc (<<'EOF'), or build it with -F KEY=VALUE"
            }
            (H::EncodedTwice, Self::Workflow) => {
                "if the string holds JSON, it was encoded twice (toJSON() of a string, or quotes around the JSON): pass the object itself"
            }
            (H::EncodedTwice, Self::Shell) => {
                "if the string holds JSON, it was encoded twice (double quotes around the JSON inside the single quotes, or a JSON string from jq): pass the object itself"
            }
            (H::Null, Self::Workflow) => {
                "an expression probably evaluated to null: give an object, or '{}'"
            }
            (H::Null, Self::Shell) => "give an object, or '{}'",
            (H::EmptyPayload, Self::Workflow) => {
                "give a JSON object such as '{}' or '{\"environment\": \"staging\"}', or leave the input out for {}; an expression that evaluated to nothing also gives this"
            }
            (H::EmptyPayload, Self::Shell) => {
                "give a JSON object such as '{}' or '{\"environment\": \"staging\"}', or leave --client-payload out for {}; an unset or empty shell variable also gives this"
            }
            (H::MultiLine, Self::Workflow) => "check for a multi-line YAML value",
            (H::MultiLine, Self::Shell) => {
                "check the quoting: $'...' turns \\n into a line break, and a value read from a file keeps its line breaks"
            }
            (H::EmptyRepository, Self::Workflow) => {
                "an expression such as ${{ vars.TARGET_REPO }} that evaluated to nothing also gives this"
            }
            (H::EmptyRepository, Self::Shell) => {
                "an unset or empty shell variable, as in --repository \"$TARGET_REPO\", also gives this"
            }
            (H::NoRepository, Self::Workflow) => {
                "repository is not set: give OWNER/NAME, or leave it out for the action's default, the workflow's own repository"
            }
            (H::NoRepository, Self::Shell) => {
                "repository is not set: pass --repository OWNER/NAME (or -r), or set GITHUB_REPOSITORY"
            }
            (H::NoToken, Self::Workflow) => {
                "no token: give token: ${{ secrets.NAME }}, or leave token out for the action's default ${{ github.token }}"
            }
            (H::NoToken, Self::Shell) => {
                "no token: set GH_TOKEN or GITHUB_TOKEN, or pass --token-file PATH"
            }
            (H::EmptyToken, Self::Workflow) => {
                "the secret it reads is probably not set (check the name in `token: ${{ secrets.NAME }}` and that the secret exists in this repository, organisation or environment), or the workflow runs for a pull request from a fork, which receives no secrets"
            }
            (H::EmptyToken, Self::Shell) => {
                "give the token itself: export GH_TOKEN=..., or write it into the file --token-file reads"
            }
            (H::CopyTokenAgain, Self::Workflow) => "copy the secret again",
            (H::CopyTokenAgain, Self::Shell) => "copy the token again",
            (H::NewToken, Self::Workflow) => "create a new one and update the secret",
            (H::NewToken, Self::Shell) => {
                "create a new one and set GH_TOKEN to it (with gh: gh auth login, then GH_TOKEN=$(gh auth token))"
            }
        }
    }
}

/// The option that sets an input to a value given on the command line.
fn flag(input: &Input) -> Option<&'static spec::Opt> {
    spec::OPTIONS
        .iter()
        .find(|o| matches!(o.arg, Arg::Value(_, ValueTo::Input(i)) if i.name == input.name))
        .or_else(|| {
            spec::OPTIONS.iter().find(
                |o| matches!(o.arg, Arg::Switch(SwitchTo::Input(i, _)) if i.name == input.name),
            )
        })
}
