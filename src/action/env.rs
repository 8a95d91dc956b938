//! The process environment as the runner hands it over, and the one error
//! type for an input (a variable, an `INPUT_*` input or a flag) that is not
//! usable.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::util::time::Clock;

/// The process environment, with values that are not UTF-8 set aside so that
/// they become an error only where they are read as text (a path may be any
/// bytes: [`Env::path`]).
#[derive(Debug, Default, Clone)]
pub struct Env {
    vars: HashMap<String, String>,
    not_utf8: Vec<(String, OsString)>,
}

impl Env {
    /// Takes the environment as the OS gives it (`std::env::vars_os()`).
    pub fn from_os(vars: impl IntoIterator<Item = (OsString, OsString)>) -> Self {
        let mut env = Self::default();
        for (name, value) in vars {
            let Ok(name) = name.into_string() else {
                continue;
            };
            match value.into_string() {
                Ok(v) => {
                    env.vars.insert(name, v);
                }
                Err(raw) => env.not_utf8.push((name, raw)),
            }
        }
        env
    }

    /// Builds an environment from pairs, for the unit tests and, through
    /// `internals`, the fuzz targets; not in a release build.
    #[cfg(any(test, feature = "internals"))]
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            not_utf8: Vec::new(),
        }
    }

    /// A variable's value, or an error naming it if it is not UTF-8.
    pub fn var(&self, name: &str) -> Result<Option<&str>, InputError> {
        if self.not_utf8.iter().any(|(n, _)| n == name) {
            return Err(InputError::new(
                name,
                format!("{name} is not valid UTF-8: set it to UTF-8 text"),
            ));
        }
        Ok(self.vars.get(name).map(String::as_str))
    }

    /// A variable's value if it is set, UTF-8 and not empty.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A variable that names a file, if it is set and not empty. Paths on Linux
    /// are bytes, so a value that is not UTF-8 is a path like any other.
    #[must_use]
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        if let Some(v) = self.get(name) {
            return Some(PathBuf::from(v));
        }
        self.not_utf8
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| PathBuf::from(v))
    }

    /// `GITHUB_ACTIONS=true`: running as a step of a workflow.
    #[must_use]
    pub fn in_actions(&self) -> bool {
        self.get("GITHUB_ACTIONS") == Some("true")
    }

    /// `RUNNER_DEBUG=1`: the workflow's debug logging is on.
    #[must_use]
    pub fn debug(&self) -> bool {
        self.get("RUNNER_DEBUG") == Some("1")
    }

    /// The clock: real time, unless a test build (`scaled-time`) is told to
    /// run faster by `REPOSITORY_DISPATCH_TIME_SCALE`. A build without the
    /// feature (every release) never reads the variable, so no workflow can
    /// shrink the pacing or the rate-limit waits.
    #[cfg_attr(
        not(feature = "scaled-time"),
        allow(clippy::unnecessary_wraps, clippy::unused_self) // the test build's signature
    )]
    pub fn clock(&self) -> Result<Clock, InputError> {
        #[cfg(feature = "scaled-time")]
        if let Some(scale) = self.var("REPOSITORY_DISPATCH_TIME_SCALE")? {
            return Clock::scaled(scale).map_err(|e| {
                InputError::new(
                    "REPOSITORY_DISPATCH_TIME_SCALE",
                    format!("REPOSITORY_DISPATCH_TIME_SCALE {e}: it is a testing aid; unset it"),
                )
            });
        }
        Ok(Clock::default())
    }

    /// The variables that are UTF-8, as (name, value).
    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The variables whose value is not UTF-8, as (name, value).
    pub fn not_utf8(&self) -> impl Iterator<Item = &(String, OsString)> {
        self.not_utf8.iter()
    }
}

/// Reads the `INPUT_*` variables of an action's `inputs` as the runner
/// passes them, for every flow: the name as `action.yml` spells it
/// (`INPUT_EVENT-TYPE`, envy lower-cases it), else with `_` for `-`; the
/// value trimmed. Each input comes with whether `action.yml` gives it a
/// default: the runner passes every input without one as an empty variable
/// (actions/runner, `ActionManifestManager.ConvertInputs`), so for those
/// empty means not given; an input with a default arrives empty only when the
/// step set it so, and is returned empty for the flow to refuse.
///
/// Returns the inputs given, in the order asked, and an error for every
/// `INPUT_*` variable that is not UTF-8.
#[must_use]
pub fn read_inputs<'a>(
    env: &Env,
    inputs: impl IntoIterator<Item = (&'a str, bool)>,
) -> (Vec<(&'a str, String)>, Vec<InputError>) {
    let mut errors = Vec::new();
    for (name, _) in env.not_utf8() {
        if let Some(rest) = name.strip_prefix("INPUT_") {
            let input = rest.to_ascii_lowercase().replace('_', "-");
            errors.push(InputError::new(
                &input,
                format!("{input} is not valid UTF-8 ({name}): pass UTF-8 text"),
            ));
        }
    }
    // envy strips the prefix and lower-cases the rest: INPUT_EVENT-TYPE -> event-type.
    let vars: HashMap<String, String> = envy::prefixed("INPUT_")
        .from_iter(env.vars().map(|(k, v)| (k.to_owned(), v.to_owned())))
        .unwrap_or_default();
    let mut given = Vec::new();
    for (name, has_default) in inputs {
        let value = vars.get(name).or_else(|| vars.get(&name.replace('-', "_")));
        match value {
            Some(v) if v.trim().is_empty() && !has_default => {}
            Some(v) => given.push((name, v.trim().to_owned())),
            None => {}
        }
    }
    (given, errors)
}

/// An input, flag or variable that is not usable, for every flow: what it
/// names, a message that says what is wrong and what to do, and what kind of
/// thing it names, which makes the annotation's title. The message never
/// holds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The input, flag (as it may be shown: `args::shown`) or variable.
    pub input: String,
    pub message: String,
    pub about: About,
}

/// What an [`InputError`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// An `INPUT_*` input, or a variable read as one: "Invalid input: NAME".
    Input,
    /// A command-line argument: "Invalid option: ARG".
    Flag,
    /// What an input holds, past its syntax (the receiving step's schema):
    /// "Invalid NAME".
    Content,
    /// A runner file the step cannot use: the variable's name alone
    /// (`GITHUB_OUTPUT`).
    RunnerFile,
}

impl InputError {
    /// An input (or a variable) that is not usable.
    pub fn new(input: &str, message: impl Into<String>) -> Self {
        Self::about(About::Input, input, message)
    }

    /// A command-line argument that is not usable; `flag` is shown as given,
    /// so it must already be what may be shown (`args::shown`).
    pub fn flag(flag: &str, message: impl Into<String>) -> Self {
        Self::about(About::Flag, flag, message)
    }

    /// An error about `input` of the kind `about`.
    pub fn about(about: About, input: &str, message: impl Into<String>) -> Self {
        Self {
            input: input.to_owned(),
            message: message.into(),
            about,
        }
    }

    /// The annotation's title.
    #[must_use]
    pub fn title(&self) -> String {
        match self.about {
            About::Input => format!("Invalid input: {}", self.input),
            About::Flag => format!("Invalid option: {}", self.input),
            About::Content => format!("Invalid {}", self.input),
            About::RunnerFile => self.input.clone(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

// Unix only: a path of bytes that are not UTF-8.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn paths_need_not_be_utf8() {
        use std::os::unix::ffi::OsStringExt as _;
        let raw = OsString::from_vec(b"/tmp/out\xff".to_vec());
        let env = Env::from_os([
            ("GITHUB_OUTPUT".into(), raw.clone()),
            ("GITHUB_STEP_SUMMARY".into(), "/tmp/summary".into()),
            ("SSL_CERT_FILE".into(), OsString::new()),
        ]);
        assert_eq!(env.path("GITHUB_OUTPUT"), Some(PathBuf::from(raw)));
        assert_eq!(
            env.path("GITHUB_STEP_SUMMARY"),
            Some(PathBuf::from("/tmp/summary"))
        );
        assert_eq!(env.path("SSL_CERT_FILE"), None);
        assert_eq!(env.path("UNSET"), None);
    }
}
