//! Raw inputs (the runner's `INPUT_*` variables read with envy, then command-line
//! flags over them) validated into the types everything downstream trusts.

use std::time::Duration;

use crate::action::env::InputError;
use crate::action::spec::{self, Input, Kind};
use crate::action::voice::{Hint, Voice};
use crate::auth::Credentials;
pub use crate::github::event::Event;
use crate::github::payload::{ClientPayload, DISPATCH_ID_LEN, EventType};
use crate::github::repo::{
    ApiBase, MAX_REPOSITORIES, Repository, WRITES_PER_MINUTE, too_many_repositories,
};
use crate::github::workflow::{GitRef, Inputs as WorkflowInputs, Workflow};
use crate::secret::Token;
use crate::send::receiver::Mode;
use crate::util::time::{fmt_duration, parse_duration};

#[cfg(feature = "internals")]
pub use crate::action::spec::INPUT_NAMES;
pub use crate::send::raw::{Origin, RawInputs};

/// Finding and following the started run (`wait-for-run: true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitConfig {
    pub key: String,
    pub discovery_timeout: Duration,
    pub wait_timeout: Duration,
    pub fail_on_run_failure: bool,
}

/// Everything validated: nothing downstream checks again.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // each is one independent yes/no input of action.yml
pub struct Inputs {
    pub repositories: Vec<Repository>,
    pub event: Event,
    /// A token, or a GitHub App (`app-id` or `client-id`, with
    /// `private-key`) whose tokens are minted per owner, the token input
    /// then not used. `None` only in a dry run without a token.
    pub credentials: Option<Credentials>,
    pub api: ApiBase,
    /// `allow-insecure-http`: plain http beyond loopback, through a proxy too.
    pub allow_insecure_http: bool,
    pub timeout: Duration,
    pub max_retry_wait: Duration,
    pub retries: u32,
    pub retry_on_server_error: bool,
    pub dispatch_interval: Duration,
    pub fail_fast: bool,
    /// `check-receiver`: read the target's workflows before a repository
    /// dispatch. `Off` for a workflow dispatch (GitHub refuses one to a
    /// workflow that cannot run).
    pub check_receiver: Mode,
    /// `--check-receiver` was given as a flag: a dry run then reads too.
    pub check_receiver_asked: bool,
    pub wait: Option<WaitConfig>,
    pub dry_run: bool,
    /// Who reads the messages: advice is worded for a workflow or a shell.
    pub voice: Voice,
}

impl Inputs {
    /// Validates every input and returns all the errors found, one per input.
    #[allow(clippy::too_many_lines)] // one check per input, then the three cross-field checks
    pub fn validate(raw: &RawInputs) -> Result<Self, Vec<InputError>> {
        use spec::{
            ALLOW_INSECURE_HTTP, CHECK_RECEIVER, CLIENT_PAYLOAD, DISCOVERY_TIMEOUT,
            DISPATCH_ID_KEY, DISPATCH_INTERVAL, EVENT_TYPE, FAIL_FAST, FAIL_ON_RUN_FAILURE,
            MAX_RETRY_WAIT, REF, REPOSITORY, RETRIES, RETRY_ON_SERVER_ERROR, TIMEOUT, TOKEN,
            WAIT_FOR_RUN, WAIT_TIMEOUT, WORKFLOW, WORKFLOW_INPUTS,
        };
        let mut c = Checker::default();
        let voice = raw.voice;
        let text = |input: &Input| raw.get(input.name).map(|(v, _)| v.as_str());

        let repositories = c.take(
            REPOSITORY.name,
            match text(&REPOSITORY) {
                None => Err(voice.hint(Hint::NoRepository).to_owned()),
                Some(v) => Repository::parse_list(v, voice),
            },
        );
        let event = match text(&WORKFLOW) {
            None => {
                for input in [&REF, &WORKFLOW_INPUTS] {
                    if text(input).is_some() {
                        c.take::<()>(
                            input.name,
                            Err(format!(
                                "{} belongs to a workflow_dispatch: {} too, or remove {}",
                                input.name,
                                voice.set(&WORKFLOW, "FILE.yml"),
                                voice.name(input)
                            )),
                        );
                    }
                }
                let event_type = c.take(
                    EVENT_TYPE.name,
                    match text(&EVENT_TYPE) {
                        None => Err(format!("event-type is required but is not set (or is empty): give the type the receiving workflow lists in `on: repository_dispatch: types: [...]` (or give {} to send a workflow_dispatch)", voice.name(&WORKFLOW))),
                        Some(v) => EventType::parse(v, voice),
                    },
                );
                let payload = c.take(
                    CLIENT_PAYLOAD.name,
                    match raw.get(CLIENT_PAYLOAD.name) {
                        None => ClientPayload::parse(
                            CLIENT_PAYLOAD.value_default().unwrap_or_default(),
                            voice,
                        ),
                        Some((v, Origin::File(path))) => {
                            ClientPayload::parse(v, voice).map_err(|e| format!("{e} (in {path})"))
                        }
                        Some((v, _)) => ClientPayload::parse(v, voice),
                    },
                );
                match (event_type, payload) {
                    (Some(event_type), Some(payload)) => Some(Event::Repository {
                        event_type,
                        payload,
                    }),
                    _ => None,
                }
            }
            Some(w) => workflow_event(&mut c, raw, w),
        };
        let app = app_auth(&mut c, raw);
        // With a GitHub App, the token (the runner passes github.token by
        // default) is not used, so it is not checked either.
        let token = c.take(
            TOKEN.name,
            if matches!(app, AppChoice::App(_)) {
                Ok(None)
            } else {
                validate_token(raw.get(TOKEN.name), raw.dry_run, voice)
            }
            .map_err(|e| {
                if raw.gh_installed {
                    format!(
                        "{e}; gh is installed, so its login can be used: GH_TOKEN=$(gh auth token) repository-dispatch ..."
                    )
                } else {
                    e
                }
            }),
        );
        let allow_insecure = c.boolean(raw, &ALLOW_INSECURE_HTTP);
        let retry_on_server_error = c.boolean(raw, &RETRY_ON_SERVER_ERROR);
        let fail_fast = c.boolean(raw, &FAIL_FAST);
        let check_receiver = c
            .take(
                CHECK_RECEIVER.name,
                raw.get(CHECK_RECEIVER.name)
                    .map_or(Ok(Mode::Warn), |(v, _)| Mode::parse(v)),
            )
            .unwrap_or(Mode::Off);
        let check_receiver_asked = matches!(raw.get(CHECK_RECEIVER.name), Some((_, Origin::Flag)));
        let wait_for_run = c.boolean(raw, &WAIT_FOR_RUN);
        let fail_on_run_failure = c.boolean(raw, &FAIL_ON_RUN_FAILURE);
        let timeout = c.duration(raw, &TIMEOUT);
        let max_retry_wait = c.duration(raw, &MAX_RETRY_WAIT);
        let dispatch_interval = c.duration(raw, &DISPATCH_INTERVAL);
        let discovery_timeout = c.duration(raw, &DISCOVERY_TIMEOUT);
        let wait_timeout = c.duration(raw, &WAIT_TIMEOUT);
        let retries = c.count(raw, &RETRIES);
        let key = c.take(
            DISPATCH_ID_KEY.name,
            text(&DISPATCH_ID_KEY)
                .or(DISPATCH_ID_KEY.value_default())
                .map_or(Ok(String::new()), |k| {
                    validate_key(k).map(|()| k.to_owned())
                }),
        );
        let api = match &raw.api_url {
            None => Some(ApiBase::default()),
            Some((u, origin)) => {
                let name = if *origin == Origin::Flag {
                    "--api-url"
                } else {
                    "GITHUB_API_URL"
                };
                let parsed = if u.is_empty() {
                    Err(format!(
                        "{name} is set but empty: unset it for https://api.github.com, or give the API base"
                    ))
                } else {
                    ApiBase::parse(u, allow_insecure.unwrap_or(false), voice)
                        .map_err(|e| format!("{name} {e}"))
                };
                c.take(name, parsed)
            }
        };

        if let (Some(repos), Some(timeout), Some(interval)) =
            (&repositories, timeout, dispatch_interval)
        {
            c.take(
                REPOSITORY.name,
                check_fan_out(repos.len(), timeout, interval),
            );
        }
        // `Some(None)`: not waiting; `None`: an error was pushed.
        let wait = match (
            wait_for_run,
            key,
            discovery_timeout,
            wait_timeout,
            fail_on_run_failure,
        ) {
            (Some(false), ..) => Some(None),
            (Some(true), Some(key), Some(discovery_timeout), Some(wait_timeout), Some(fail)) => {
                Some(Some(WaitConfig {
                    key,
                    discovery_timeout,
                    wait_timeout,
                    fail_on_run_failure: fail,
                }))
            }
            _ => None,
        };
        // The id itself is added per step; a placeholder of the same length
        // checks the property limit and the size now, before anything is sent.
        if let (Some(Some(wait)), Some(Event::Repository { payload, .. })) = (&wait, &event) {
            c.take(
                CLIENT_PAYLOAD.name,
                payload.with_property(&wait.key, &"0".repeat(DISPATCH_ID_LEN)),
            );
        }

        // Each `None` below pushed an error, so the `else` branch always
        // returns at least one.
        let (
            Some(repositories),
            Some(event),
            Some(token),
            Some(api),
            Some(timeout),
            Some(max_retry_wait),
            Some(retries),
            Some(retry_on_server_error),
            Some(dispatch_interval),
            Some(fail_fast),
            Some(wait),
            Some(allow_insecure_http),
            Some(app),
        ) = (
            repositories,
            event,
            token,
            api,
            timeout,
            max_retry_wait,
            retries,
            retry_on_server_error,
            dispatch_interval,
            fail_fast,
            wait,
            allow_insecure,
            match app {
                AppChoice::Token => Some(None),
                AppChoice::App(app) => Some(Some(app)),
                AppChoice::Invalid => None,
            },
        )
        else {
            return Err(c.errors);
        };
        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        Ok(Self {
            check_receiver: match &event {
                Event::Repository { .. } => check_receiver,
                Event::Workflow { .. } => Mode::Off,
            },
            repositories,
            event,
            credentials: app.map(Credentials::App).or(token.map(Credentials::Token)),
            api,
            allow_insecure_http,
            timeout,
            max_retry_wait,
            retries,
            retry_on_server_error,
            dispatch_interval,
            fail_fast,
            check_receiver_asked,
            wait,
            dry_run: raw.dry_run,
            voice,
        })
    }
}

/// The event of a step with `workflow`: the workflow, its ref (required) and
/// its inputs. `event-type` and a `client-payload` other than `{}` (the
/// action's default, which the runner always passes) are refused: they belong
/// to a `repository_dispatch`.
fn workflow_event(c: &mut Checker, raw: &RawInputs, workflow: &str) -> Option<Event> {
    use spec::{CLIENT_PAYLOAD, EVENT_TYPE, REF, WORKFLOW, WORKFLOW_INPUTS};
    let text = |input: &Input| raw.get(input.name).map(|(v, _)| v.as_str());
    let voice = raw.voice;
    let workflow = c.take(WORKFLOW.name, Workflow::parse(workflow));
    if text(&EVENT_TYPE).is_some() {
        c.take::<()>(
            EVENT_TYPE.name,
            Err(format!("event-type belongs to a repository_dispatch, but workflow is set, which sends a workflow_dispatch (it has no event type): remove {}, or remove {}", voice.name(&EVENT_TYPE), voice.name(&WORKFLOW))),
        );
    }
    let payload_given = text(&CLIENT_PAYLOAD)
        .is_some_and(|v| ClientPayload::parse(v, voice).map_or(true, |p| !p.keys().is_empty()));
    if payload_given {
        c.take::<()>(
            CLIENT_PAYLOAD.name,
            Err(format!("client-payload belongs to a repository_dispatch, but workflow is set, which sends a workflow_dispatch: give the values as {} (a JSON object of the workflow's inputs), or remove {}", voice.name(&WORKFLOW_INPUTS), voice.name(&WORKFLOW))),
        );
    }
    let git_ref = c.take(
        REF.name,
        match text(&REF) {
            None => Err(format!("ref is required with workflow: give the branch or tag whose copy of the workflow runs ({}; GitHub requires one, and this action does not guess the default branch)", voice.set(&REF, "main"))),
            Some(r) => GitRef::parse(r),
        },
    );
    let inputs = match text(&WORKFLOW_INPUTS) {
        None => Some(None),
        Some(v) => c
            .take(WORKFLOW_INPUTS.name, WorkflowInputs::parse(v))
            .map(Some),
    };
    match (workflow, git_ref, inputs) {
        (Some(workflow), Some(git_ref), Some(inputs)) => Some(Event::Workflow {
            workflow,
            git_ref,
            inputs,
        }),
        _ => None,
    }
}

/// How the step authenticates, as far as a GitHub App goes.
enum AppChoice {
    /// Neither app id nor key: the token.
    Token,
    App(crate::auth::mint::App),
    /// An error was pushed: one of the two alone, both ids, or an id or key
    /// that is not one.
    Invalid,
}

/// GitHub App authentication, from `app-id` or `client-id` and `private-key`.
fn app_auth(c: &mut Checker, raw: &RawInputs) -> AppChoice {
    app_choice(c, raw).unwrap_or(AppChoice::Invalid)
}

fn app_choice(c: &mut Checker, raw: &RawInputs) -> Option<AppChoice> {
    use spec::{APP_ID, CLIENT_ID, PRIVATE_KEY};
    let voice = raw.voice;
    let text = |input: &Input| raw.get(input.name).map(|(v, _)| v.as_str());
    let (app_id, client_id, key) = (text(&APP_ID), text(&CLIENT_ID), text(&PRIVATE_KEY));
    let issuer = match (app_id, client_id) {
        (Some(_), Some(_)) => {
            return c.take(
                CLIENT_ID.name,
                Err(format!(
                    "{} and {} both name the GitHub App: give one of them (the client id is preferred; GitHub Enterprise Server 3.13 and older accept only the app id)",
                    voice.name(&APP_ID),
                    voice.name(&CLIENT_ID)
                )),
            );
        }
        (Some(id), None) => Some(c.take(APP_ID.name, crate::auth::mint::Issuer::app_id(id))?),
        (None, Some(id)) => Some(c.take(CLIENT_ID.name, crate::auth::mint::Issuer::client_id(id))?),
        (None, None) => None,
    };
    match (issuer, key) {
        (None, None) => Some(AppChoice::Token),
        (Some(_), None) => c.take(
            PRIVATE_KEY.name,
            Err(format!(
                "the GitHub App needs its private key too: {}, or remove {} to use a token",
                match voice {
                    Voice::Workflow => "private-key: ${{ secrets.APP_PRIVATE_KEY }}",
                    Voice::Shell => "--private-key-file PATH",
                },
                voice.name(if app_id.is_some() { &APP_ID } else { &CLIENT_ID })
            )),
        ),
        (None, Some(_)) => c.take(
            PRIVATE_KEY.name,
            Err(format!(
                "private-key belongs to a GitHub App: give {} (or {}) too, or remove it to use a token",
                voice.name(&APP_ID),
                voice.name(&CLIENT_ID)
            )),
        ),
        (Some(issuer), Some(key)) => {
            let key = c.take(
                PRIVATE_KEY.name,
                crate::auth::app::PrivateKey::parse(key).map_err(|e| format!("private-key: {e}")),
            )?;
            Some(AppChoice::App(crate::auth::mint::App {
                issuer,
                key: std::sync::Arc::new(key),
            }))
        }
    }
}

/// Collects one error per invalid input.
#[derive(Default)]
struct Checker {
    errors: Vec<InputError>,
}

impl Checker {
    fn take<T>(&mut self, input: &str, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|m| self.errors.push(InputError::new(input, m)))
            .ok()
    }

    /// A `true`/`false` input, its default from the table.
    fn boolean(&mut self, raw: &RawInputs, input: &Input) -> Option<bool> {
        let name = input.name;
        let value = match raw.get(name).map(|(v, _)| v.as_str()) {
            None => Ok(input.bool_default()),
            // YAML 1.2 core-schema spellings, which is what the runner passes on.
            Some("true" | "True" | "TRUE") => Ok(true),
            Some("false" | "False" | "FALSE") => Ok(false),
            Some("") => Err(format!("{name} is empty: give true or false")),
            Some(other) => Err(format!(
                "{name} is '{}': give true or false",
                other.escape_debug()
            )),
        };
        self.take(name, value)
    }

    /// A duration input, its default and minimum from the table.
    fn duration(&mut self, raw: &RawInputs, input: &Input) -> Option<Duration> {
        let name = input.name;
        let min = match input.kind {
            Kind::Duration { min } => min,
            Kind::Text | Kind::Bool | Kind::Count { .. } => Duration::ZERO,
        };
        let value = match raw.get(name).map(|(v, _)| v.as_str()) {
            None => Ok(input.duration_default()),
            Some("") => Err(format!(
                "{name} is empty: give a duration such as {}, or leave it out for the default",
                fmt_duration(input.duration_default())
            )),
            Some(v) => parse_duration(v)
                .map_err(|e| format!("{name}: {e}"))
                .and_then(|d| {
                    if d < min {
                        Err(format!(
                            "{name} is {}; it must be at least {}",
                            fmt_duration(d),
                            fmt_duration(min)
                        ))
                    } else {
                        Ok(d)
                    }
                }),
        };
        self.take(name, value)
    }

    /// A whole number input, its default and maximum from the table.
    fn count(&mut self, raw: &RawInputs, input: &Input) -> Option<u32> {
        let name = input.name;
        let max = match input.kind {
            Kind::Count { max } => max,
            Kind::Text | Kind::Bool | Kind::Duration { .. } => u32::MAX,
        };
        let value = raw
            .get(name)
            .map(|(v, _)| v.as_str())
            .or(input.value_default())
            .unwrap_or_default();
        let parsed = match value.parse::<u32>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(format!(
                "{name} is '{}': give a whole number from 0 to {max}",
                value.escape_debug()
            )),
        };
        self.take(name, parsed)
    }
}

fn validate_token(
    token: Option<&(String, Origin)>,
    dry_run: bool,
    voice: Voice,
) -> Result<Option<Token>, String> {
    let Some((value, origin)) = token else {
        return if dry_run {
            Ok(None)
        } else {
            Err(voice.hint(Hint::NoToken).to_owned())
        };
    };
    let source = match origin {
        Origin::Input | Origin::Flag => "token".to_owned(),
        Origin::Env(name) => (*name).to_owned(),
        Origin::File(path) => format!("the token in {path}"),
    };
    if value.is_empty() {
        return Err(format!(
            "{source} is empty: {}",
            voice.hint(Hint::EmptyToken)
        ));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(format!(
            "{source} contains whitespace (a space or line break): tokens are one word; {} without the extra characters",
            voice.hint(Hint::CopyTokenAgain)
        ));
    }
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(format!(
            "{source} contains a character that is not printable ASCII: tokens are ASCII; {}",
            voice.hint(Hint::CopyTokenAgain)
        ));
    }
    Ok(Some(Token::new(value.clone())))
}

fn validate_key(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let valid = key.len() <= 64
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "dispatch-id-key '{}' is not a property name a workflow can read as github.event.client_payload.KEY: use up to 64 letters, digits, '_' and '-', starting with a letter or '_'",
            key.escape_debug()
        ))
    }
}

/// A fan-out must fit GitHub's secondary limits and the deadline.
fn check_fan_out(count: usize, timeout: Duration, interval: Duration) -> Result<(), String> {
    if count > MAX_REPOSITORIES {
        return Err(too_many_repositories(count));
    }
    let gaps = u32::try_from(count.saturating_sub(1)).unwrap_or(u32::MAX);
    let by_interval = interval * gaps;
    let by_window =
        Duration::from_mins(1) * (gaps / u32::try_from(WRITES_PER_MINUTE).unwrap_or(80));
    let needed = by_interval.max(by_window);
    if needed > timeout {
        return Err(format!(
            "dispatching to {count} repositories takes at least {} ({} apart, at most {WRITES_PER_MINUTE} a minute), more than timeout ({}): raise timeout or lower dispatch-interval",
            fmt_duration(needed),
            fmt_duration(interval),
            fmt_duration(timeout)
        ));
    }
    Ok(())
}

impl Inputs {
    /// The token, unless a GitHub App is given (or no token in a dry run).
    #[must_use]
    pub fn token(&self) -> Option<&Token> {
        self.credentials.as_ref().and_then(Credentials::token)
    }

    /// The GitHub App, if one is given.
    #[must_use]
    pub fn app(&self) -> Option<&crate::auth::mint::App> {
        self.credentials.as_ref().and_then(Credentials::app)
    }

    /// What minting GitHub App tokens takes of these inputs.
    #[must_use]
    pub fn mint_settings(&self) -> crate::auth::mint::Settings<'_> {
        crate::auth::mint::Settings {
            api: &self.api,
            repositories: &self.repositories,
            wait: self.wait.is_some(),
            timeout: self.timeout,
            retries: self.retries,
            max_retry_wait: self.max_retry_wait,
            voice: self.voice,
        }
    }

    /// What a step may count on of an installation token's life (GitHub: one
    /// hour), less five minutes for minting and clocks.
    const TOKEN_USABLE: Duration = Duration::from_mins(55);

    /// A warning when the step could outlive the tokens it mints: the dispatch
    /// phase, the run's discovery and the wait together longer than
    /// [`Self::TOKEN_USABLE`]. Runs still going then can no longer be read.
    #[must_use]
    pub fn outlives_tokens(&self) -> Option<String> {
        let inputs = self;
        let wait = inputs.wait.as_ref()?;
        inputs.app()?;
        let longest = inputs
            .timeout
            .saturating_add(wait.discovery_timeout)
            .saturating_add(wait.wait_timeout);
        let usable = Self::TOKEN_USABLE;
        (longest > usable).then(|| {
            let v = inputs.voice;
            format!(
                "{} {}, {} {} and {} {} add up to {}, but a GitHub App's installation token lives one hour: a run still going after about {} can no longer be read and ends as failed; keep the three under {} together, or give a token instead of the App",
                v.name(&crate::action::spec::TIMEOUT),
                fmt_duration(inputs.timeout),
                v.name(&crate::action::spec::DISCOVERY_TIMEOUT),
                fmt_duration(wait.discovery_timeout),
                v.name(&crate::action::spec::WAIT_TIMEOUT),
                fmt_duration(wait.wait_timeout),
                fmt_duration(longest),
                fmt_duration(usable),
                fmt_duration(usable)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::env::Env;
    use crate::send::cli::Flags;

    /// The event type and payload of a repository dispatch.
    fn repo_event(i: &Inputs) -> (&str, &str) {
        match &i.event {
            Event::Repository {
                event_type,
                payload,
            } => (event_type.as_str(), payload.as_json()),
            Event::Workflow { .. } => panic!("a workflow dispatch: {i:?}"),
        }
    }

    fn validate(pairs: &[(&str, &str)], flags: Flags) -> Result<Inputs, Vec<InputError>> {
        let env = Env::from_pairs(pairs.iter().copied());
        let (raw, errors) = RawInputs::from_env_and_flags(&env, flags);
        if !errors.is_empty() {
            return Err(errors);
        }
        Inputs::validate(&raw)
    }

    fn ok(pairs: &[(&str, &str)]) -> Inputs {
        validate(pairs, Flags::default()).unwrap_or_else(|e| panic!("{pairs:?}: {e:?}"))
    }

    /// Asserts that exactly one input is refused, with a message holding `part`.
    fn refused(pairs: &[(&str, &str)], input: &str, part: &str) {
        match validate(pairs, Flags::default()) {
            Ok(_) => panic!("{pairs:?} accepted"),
            Err(errors) => {
                assert_eq!(errors.len(), 1, "{pairs:?}: {errors:?}");
                assert_eq!(errors[0].input, input, "{pairs:?}: {errors:?}");
                assert!(
                    errors[0].message.contains(part),
                    "{pairs:?}: {}",
                    errors[0].message
                );
            }
        }
    }

    const BASE: &[(&str, &str)] = &[
        ("INPUT_TOKEN", "ghp_abc"),
        ("INPUT_REPOSITORY", "octo/deploy"),
        ("INPUT_EVENT-TYPE", "trigger-deploy"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut v: Vec<(&str, &str)> = BASE
            .iter()
            .copied()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .collect();
        v.extend(extra.iter().filter(|(_, v)| *v != "<unset>"));
        v
    }

    #[test]
    fn defaults() {
        let i = ok(BASE);
        assert_eq!(
            i.repositories,
            vec![Repository {
                owner: "octo".into(),
                name: "deploy".into()
            }]
        );
        assert_eq!(repo_event(&i).0, "trigger-deploy");
        assert_eq!(repo_event(&i).1, "{}");
        assert_eq!(i.token().map(Token::expose), Some("ghp_abc"));
        assert_eq!(i.api.as_str(), "https://api.github.com");
        assert_eq!(i.timeout, Duration::from_mins(10));
        assert_eq!(i.retries, 3);
        assert!(!i.retry_on_server_error && !i.fail_fast && !i.dry_run);
        assert_eq!(i.wait, None);
    }

    #[test]
    fn spellings_trimming_and_fallbacks() {
        let i = ok(&[
            ("INPUT_TOKEN", "  ghp_abc\n"),
            ("GITHUB_REPOSITORY", "octo/self"),
            ("INPUT_EVENT_TYPE", " deploy "),
            ("INPUT_CLIENT_PAYLOAD", " {\"a\": 1} "),
            ("GITHUB_API_URL", "https://ghe.example.com/api/v3/"),
        ]);
        assert_eq!(i.repositories[0].to_string(), "octo/self");
        assert_eq!(repo_event(&i).0, "deploy");
        assert_eq!(repo_event(&i).1, r#"{"a":1}"#);
        assert_eq!(i.api.as_str(), "https://ghe.example.com/api/v3");
        let hyphen_wins = ok(&with(&[
            ("INPUT_EVENT-TYPE", "a"),
            ("INPUT_EVENT_TYPE", "b"),
        ]));
        assert_eq!(repo_event(&hyphen_wins).0, "a");
        let gh = ok(&with(&[
            ("INPUT_TOKEN", "<unset>"),
            ("GH_TOKEN", "gh1"),
            ("GITHUB_TOKEN", "gt1"),
        ]));
        assert_eq!(gh.token().unwrap().expose(), "gh1");
        let gt = ok(&with(&[
            ("INPUT_TOKEN", "<unset>"),
            ("GITHUB_TOKEN", "gt1"),
        ]));
        assert_eq!(gt.token().unwrap().expose(), "gt1");
    }

    #[test]
    fn flags_win() {
        let flags = Flags {
            inputs: vec![
                ("event-type", "from-flag".into()),
                ("repository", "a/b\nc/d".into()),
            ],
            api_url: Some("http://127.0.0.1:9".into()),
            dry_run: true,
            ..Flags::default()
        };
        let i = validate(BASE, flags).unwrap();
        assert_eq!(repo_event(&i).0, "from-flag");
        assert_eq!(i.repositories.len(), 2);
        assert_eq!(i.api.as_str(), "http://127.0.0.1:9");
        assert!(i.dry_run);
        let no_token = Flags {
            dry_run: true,
            ..Flags::default()
        };
        assert!(
            validate(&with(&[("INPUT_TOKEN", "<unset>")]), no_token)
                .unwrap()
                .token()
                .is_none()
        );
    }

    #[test]
    fn present_but_empty_is_an_error() {
        refused(&with(&[("INPUT_REPOSITORY", "")]), "repository", "empty");
        refused(&with(&[("INPUT_REPOSITORY", "  ")]), "repository", "empty");
        // No default in action.yml: the runner passes it empty when the step
        // does not set it, so empty is "not given", which is refused as such.
        refused(
            &with(&[("INPUT_EVENT-TYPE", "")]),
            "event-type",
            "event-type is required but is not set (or is empty)",
        );
        refused(
            &with(&[("INPUT_CLIENT-PAYLOAD", "")]),
            "client-payload",
            "empty",
        );
        refused(
            &with(&[("INPUT_CLIENT-PAYLOAD", " \n\t ")]),
            "client-payload",
            "empty",
        );
        // The remedy is worded for the reader: a secret in a workflow, the
        // variable at a shell (`action::voice::Voice`).
        refused(
            &with(&[("INPUT_TOKEN", ""), ("GITHUB_ACTIONS", "true")]),
            "token",
            "fork",
        );
        refused(&with(&[("INPUT_TOKEN", "")]), "token", "export GH_TOKEN=");
        refused(&with(&[("INPUT_TIMEOUT", "")]), "timeout", "empty");
        refused(
            &with(&[("INPUT_WAIT-FOR-RUN", "")]),
            "wait-for-run",
            "empty",
        );
        refused(
            &with(&[("INPUT_REPOSITORY", ""), ("GITHUB_REPOSITORY", "o/r")]),
            "repository",
            "empty",
        );
        refused(
            &with(&[("INPUT_EVENT-TYPE", "<unset>")]),
            "event-type",
            "required",
        );
        refused(
            &with(&[("INPUT_REPOSITORY", "<unset>")]),
            "repository",
            "not set",
        );
        refused(&with(&[("INPUT_TOKEN", "<unset>")]), "token", "no token");
    }

    #[test]
    fn api_url_from_the_environment() {
        refused(
            &with(&[("GITHUB_API_URL", "")]),
            "GITHUB_API_URL",
            "set but empty",
        );
        refused(
            &with(&[("GITHUB_API_URL", "gopher://x")]),
            "GITHUB_API_URL",
            "scheme",
        );
    }

    #[test]
    fn options() {
        let i = ok(&with(&[
            ("INPUT_TIMEOUT", "90"),
            ("INPUT_MAX-RETRY-WAIT", "0"),
            ("INPUT_RETRIES", "0"),
            ("INPUT_RETRY-ON-SERVER-ERROR", "True"),
            ("INPUT_DISPATCH-INTERVAL", "250ms"),
            ("INPUT_FAIL-FAST", "TRUE"),
            ("INPUT_WAIT-FOR-RUN", "true"),
            ("INPUT_DISPATCH-ID-KEY", "corr_id"),
            ("INPUT_DISCOVERY-TIMEOUT", "1m"),
            ("INPUT_WAIT-TIMEOUT", "1h"),
            ("INPUT_FAIL-ON-RUN-FAILURE", "false"),
        ]));
        assert_eq!(i.timeout, Duration::from_secs(90));
        assert_eq!(i.max_retry_wait, Duration::ZERO);
        assert_eq!(i.retries, 0);
        assert!(i.retry_on_server_error && i.fail_fast);
        assert_eq!(i.dispatch_interval, Duration::from_millis(250));
        let w = i.wait.unwrap();
        assert_eq!(
            (
                w.key.as_str(),
                w.discovery_timeout,
                w.wait_timeout,
                w.fail_on_run_failure
            ),
            (
                "corr_id",
                Duration::from_mins(1),
                Duration::from_hours(1),
                false
            )
        );
        refused(&with(&[("INPUT_RETRIES", "11")]), "retries", "0 to 10");
        refused(&with(&[("INPUT_RETRIES", "-1")]), "retries", "0 to 10");
        refused(
            &with(&[("INPUT_FAIL-FAST", "yes")]),
            "fail-fast",
            "true or false",
        );
        refused(&with(&[("INPUT_TIMEOUT", "0")]), "timeout", "at least 1s");
        refused(
            &with(&[("INPUT_TIMEOUT", "ten")]),
            "timeout",
            "not a duration",
        );
        refused(
            &with(&[("INPUT_DISPATCH-ID-KEY", "a.b")]),
            "dispatch-id-key",
            "property name",
        );
        refused(
            &with(&[
                ("INPUT_WAIT-FOR-RUN", "true"),
                (
                    "INPUT_CLIENT-PAYLOAD",
                    r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10}"#,
                ),
            ]),
            "client-payload",
            "wait-for-run adds",
        );
    }

    #[test]
    fn fan_out_limits() {
        let many: String = (0..501)
            .map(|i| format!("o/r{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let many: &'static str = many.leak();
        refused(
            &with(&[("INPUT_REPOSITORY", many)]),
            "repository",
            "500 content-creating",
        );
        let hundred: String = (0..100)
            .map(|i| format!("o/r{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let hundred: &'static str = hundred.leak();
        refused(
            &with(&[("INPUT_REPOSITORY", hundred), ("INPUT_TIMEOUT", "60")]),
            "repository",
            "raise timeout",
        );
        assert_eq!(
            ok(&with(&[("INPUT_REPOSITORY", hundred)]))
                .repositories
                .len(),
            100
        );
    }

    /// A GitHub App: an id (app or client) and the key, both or neither; with
    /// them the token is not used (nor checked), and the key's body is masked.
    #[test]
    fn github_app() {
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("key.pem");
        let made = std::process::Command::new("openssl")
            .args(["genrsa", "-traditional", "-out"])
            .arg(&pem)
            .arg("2048")
            .output()
            .expect("openssl runs (.ci/test.sh installs it)");
        assert!(made.status.success(), "{made:?}");
        let key: &'static str = std::fs::read_to_string(&pem).unwrap().leak();
        let body_line = key.lines().nth(1).unwrap();

        let app = ok(&with(&[
            ("INPUT_APP-ID", "123456"),
            ("INPUT_PRIVATE-KEY", key),
            ("INPUT_TOKEN", ""),
        ]));
        assert_eq!(
            app.app().map(|a| a.issuer.clone()),
            Some(crate::auth::mint::Issuer::AppId("123456".to_owned()))
        );
        assert!(app.token().is_none());
        let escaped: &'static str = key.trim().replace('\n', "\\n").leak();
        let app = ok(&with(&[
            ("INPUT_CLIENT-ID", "Iv23liAbCdEf01234567"),
            ("INPUT_PRIVATE-KEY", escaped),
        ]));
        assert!(matches!(
            app.app().map(|a| a.issuer.clone()),
            Some(crate::auth::mint::Issuer::ClientId(_))
        ));
        assert!(ok(BASE).app().is_none());

        refused(
            &with(&[("INPUT_APP-ID", "123456"), ("GITHUB_ACTIONS", "true")]),
            "private-key",
            "the GitHub App needs its private key too: private-key: ${{ secrets.APP_PRIVATE_KEY }}, or remove app-id to use a token",
        );
        refused(
            &with(&[("INPUT_APP-ID", "123456")]),
            "private-key",
            "the GitHub App needs its private key too: --private-key-file PATH, or remove --app-id to use a token",
        );
        refused(
            &with(&[("INPUT_PRIVATE-KEY", key), ("GITHUB_ACTIONS", "true")]),
            "private-key",
            "private-key belongs to a GitHub App: give app-id (or client-id) too",
        );
        refused(
            &with(&[
                ("INPUT_APP-ID", "123456"),
                ("INPUT_CLIENT-ID", "Iv23liAbCdEf01234567"),
                ("INPUT_PRIVATE-KEY", key),
            ]),
            "client-id",
            "--app-id and --client-id both name the GitHub App: give one of them",
        );
        refused(
            &with(&[("INPUT_APP-ID", "my-app"), ("INPUT_PRIVATE-KEY", key)]),
            "app-id",
            "app-id is not a number",
        );
        refused(
            &with(&[("INPUT_APP-ID", "1"), ("INPUT_PRIVATE-KEY", "not a key")]),
            "private-key",
            "private-key: ",
        );

        let env = Env::from_pairs(with(&[("INPUT_APP-ID", "1"), ("INPUT_PRIVATE-KEY", key)]));
        let (raw, _) = RawInputs::from_env_and_flags(&env, Flags::default());
        let secrets = raw.secrets_to_mask();
        assert!(secrets.contains(&"ghp_abc".to_owned()), "{secrets:?}");
        assert!(secrets.contains(&body_line.to_owned()), "{secrets:?}");
        assert!(
            secrets.iter().all(|s| !s.contains("PRIVATE")),
            "{secrets:?}"
        );

        // A key pasted into another input is refused by name, never shown,
        // and still masked.
        for input in [
            "INPUT_REPOSITORY",
            "INPUT_EVENT-TYPE",
            "INPUT_CLIENT-PAYLOAD",
            "INPUT_REF",
        ] {
            let name = input["INPUT_".len()..].to_ascii_lowercase();
            let pairs = with(&[(input, key)]);
            let env = Env::from_pairs(pairs.iter().copied());
            let (raw, errors) = RawInputs::from_env_and_flags(&env, Flags::default());
            assert_eq!(errors.len(), 1, "{input}: {errors:?}");
            assert_eq!(errors[0].input, name);
            assert!(
                errors[0]
                    .message
                    .contains("holds a private key (a PEM block), which is not shown: pass the key only as --private-key-file PATH"),
                "{}",
                errors[0].message
            );
            assert!(!errors[0].message.contains(body_line), "{input}");
            assert!(
                raw.secrets_to_mask().contains(&body_line.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn tokens() {
        refused(&with(&[("INPUT_TOKEN", "ghp_a b")]), "token", "whitespace");
        refused(&with(&[("INPUT_TOKEN", "ghp_a\nb")]), "token", "whitespace");
        refused(
            &with(&[("INPUT_TOKEN", "ghp_é")]),
            "token",
            "printable ASCII",
        );
        refused(
            &with(&[("INPUT_TOKEN", "<unset>"), ("GITHUB_TOKEN", "a b")]),
            "token",
            "GITHUB_TOKEN contains whitespace",
        );
        for errors in [
            validate(
                &with(&[("INPUT_TOKEN", "ghp_SECRET value")]),
                Flags::default(),
            )
            .unwrap_err(),
            validate(
                &with(&[("INPUT_TOKEN", "ghp_SECRET\u{1}")]),
                Flags::default(),
            )
            .unwrap_err(),
        ] {
            assert!(!format!("{errors:?}").contains("SECRET"));
        }
    }

    // Unix only: a value of bytes that are not UTF-8.
    #[cfg(unix)]
    #[test]
    fn invalid_utf8_names_the_input() {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt as _;
        let mut vars: Vec<(OsString, OsString)> = BASE
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        vars.push((
            "INPUT_CLIENT-PAYLOAD".into(),
            OsString::from_vec(vec![b'{', 0xff, b'}']),
        ));
        vars.push(("UNRELATED".into(), OsString::from_vec(vec![0xfe])));
        let env = Env::from_os(vars);
        let (_, errors) = RawInputs::from_env_and_flags(&env, Flags::default());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].input, "client-payload");
        assert!(errors[0].message.contains("UTF-8"));
    }
}
