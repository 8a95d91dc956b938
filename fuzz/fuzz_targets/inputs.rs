//! Input validation as the action meets it: `INPUT_*` and `GITHUB_*`
//! variables -> `Env` -> `RawInputs::from_env_and_flags` -> `Inputs::validate`,
//! then the dispatch request a valid set of inputs produces.
//!
//! Properties, beyond "never panics":
//!
//! * The token is found for masking before anything is validated:
//!   `secrets_to_mask()` starts with the token as given (trimmed), wherever it came from.
//! * Every error names a known input (an `action.yml` input or
//!   `GITHUB_API_URL`), at most one error per input, and no error message holds
//!   the token (it is `ghp_` + fuzz text, at least 8 characters after trimming;
//!   `ghp_` is removed from every other value so that only a leak can put it in
//!   a message).
//! * Valid inputs hold 1 to 500 repositories, each of which `Repository::parse`
//!   gives back unchanged from its `owner/name`; an event type of at most 100
//!   characters; a printable-ASCII token equal to the one given; an API base
//!   that is a normalised http(s) URL without credentials; durations no longer
//!   than a day; with `wait-for-run`, a payload that takes the correlation id
//!   (as the step adds it, after validation). Each
//!   repository's dispatch request is a `POST` to a URL that parses, under the
//!   base, ending in `/repos/OWNER/NAME/dispatches` (with `workflow`:
//!   `/repos/OWNER/NAME/actions/workflows/WORKFLOW/dispatches`, a body with
//!   the ref, the inputs as validated and `return_run_details`), with a
//!   well-formed body, and its `--dry-run` description does not show the token.
//! * `check-receiver` is valid only as `warn` (also when not given), `fail`
//!   or `off`, and a workflow dispatch is never checked.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use repository_dispatch::internals::cli::Flags;
use repository_dispatch::internals::dispatch::dispatch_request;
use repository_dispatch::internals::env::Env;
use repository_dispatch::internals::inputs::{Event, INPUT_NAMES, Inputs, RawInputs};
use repository_dispatch::internals::payload::MAX_EVENT_TYPE_CHARS;
use repository_dispatch::internals::receiver::Mode;
use repository_dispatch::internals::repo::{MAX_REPOSITORIES, Repository};
use repository_dispatch::internals::time::parse_duration;
use repository_dispatch_fuzz::check_body;

/// Each `Option` is a variable that is set or not. `mode` bits: 0 `--dry-run`,
/// 1 underscore spellings (`INPUT_EVENT_TYPE`), 2-3 where the token is
/// (`INPUT_TOKEN`, `GH_TOKEN`, `GITHUB_TOKEN`, nowhere).
#[derive(Debug, Arbitrary)]
struct Case {
    mode: u8,
    /// The token is `ghp_` followed by this.
    token: String,
    repository: Option<String>,
    github_repository: Option<String>,
    event_type: Option<String>,
    client_payload: Option<String>,
    api_url: Option<String>,
    timeout: Option<String>,
    max_retry_wait: Option<String>,
    retries: Option<String>,
    retry_on_server_error: Option<String>,
    allow_insecure_http: Option<String>,
    dispatch_interval: Option<String>,
    fail_fast: Option<String>,
    wait_for_run: Option<String>,
    dispatch_id_key: Option<String>,
    discovery_timeout: Option<String>,
    wait_timeout: Option<String>,
    fail_on_run_failure: Option<String>,
    workflow: Option<String>,
    git_ref: Option<String>,
    workflow_inputs: Option<String>,
    check_receiver: Option<String>,
}

fuzz_target!(|case: Case| {
    let token = format!("ghp_{}", case.token);
    let underscores = case.mode & 2 != 0;
    let token_var = match (case.mode >> 2) & 3 {
        0 => Some("INPUT_TOKEN"),
        1 => Some("GH_TOKEN"),
        2 => Some("GITHUB_TOKEN"),
        _ => None,
    };
    let flags = Flags {
        dry_run: case.mode & 1 != 0,
        ..Flags::default()
    };

    let inputs: [(&str, &Option<String>); 21] = [
        ("repository", &case.repository),
        ("event-type", &case.event_type),
        ("client-payload", &case.client_payload),
        ("timeout", &case.timeout),
        ("max-retry-wait", &case.max_retry_wait),
        ("retries", &case.retries),
        ("retry-on-server-error", &case.retry_on_server_error),
        ("allow-insecure-http", &case.allow_insecure_http),
        ("dispatch-interval", &case.dispatch_interval),
        ("fail-fast", &case.fail_fast),
        ("wait-for-run", &case.wait_for_run),
        ("dispatch-id-key", &case.dispatch_id_key),
        ("discovery-timeout", &case.discovery_timeout),
        ("wait-timeout", &case.wait_timeout),
        ("fail-on-run-failure", &case.fail_on_run_failure),
        ("workflow", &case.workflow),
        ("ref", &case.git_ref),
        ("inputs", &case.workflow_inputs),
        ("check-receiver", &case.check_receiver),
        ("GITHUB_REPOSITORY", &case.github_repository),
        ("GITHUB_API_URL", &case.api_url),
    ];
    // `ghp_` only ever comes from the token.
    let clean = |v: &str| v.replace("ghp_", "ghp-");
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (name, value) in inputs {
        let Some(value) = value else { continue };
        let var = if name.starts_with("GITHUB_") {
            name.to_owned()
        } else {
            let n = name.to_ascii_uppercase();
            format!(
                "INPUT_{}",
                if underscores { n.replace('-', "_") } else { n }
            )
        };
        let value = value.clone();
        pairs.push((var, clean(&value)));
    }
    if let Some(var) = token_var {
        pairs.push((var.to_owned(), token.clone()));
    }
    let env = Env::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));

    for d in [
        &case.timeout,
        &case.max_retry_wait,
        &case.dispatch_interval,
        &case.discovery_timeout,
        &case.wait_timeout,
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(parsed) = parse_duration(d.trim()) {
            assert!(parsed.as_secs_f64() <= 86_400.0, "{d:?} -> {parsed:?}");
        }
    }

    let (raw, errors) = RawInputs::from_env_and_flags(&env, flags);
    assert!(errors.is_empty(), "errors from UTF-8 pairs: {errors:?}");
    let given = token.trim();
    assert_eq!(
        raw.secrets_to_mask().first().map(String::as_str),
        token_var.map(|_| given),
        "token not found for masking"
    );

    match Inputs::validate(&raw) {
        Err(errors) => {
            assert!(!errors.is_empty());
            let mut names: Vec<&str> = errors.iter().map(|e| e.input.as_str()).collect();
            for e in &errors {
                assert!(
                    INPUT_NAMES.contains(&e.input.as_str()) || e.input == "GITHUB_API_URL",
                    "error for unknown input {:?}: {}",
                    e.input,
                    e.message
                );
                assert!(!e.message.is_empty(), "empty message for {}", e.input);
                if given.len() >= 8 {
                    assert!(
                        !e.message.contains(given)
                            && !e.message.contains(&given.escape_debug().to_string()),
                        "token leaked in the error for {}: {}",
                        e.input,
                        e.message
                    );
                }
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
        Ok(inputs) => {
            valid(&inputs, given, token_var.is_some());
            // A workflow dispatch is never checked; otherwise the mode given
            // (trimmed), warn when not given, and nothing else is valid.
            let want = match (&inputs.event, case.check_receiver.as_deref().map(str::trim)) {
                (Event::Workflow { .. }, _) => Mode::Off,
                (Event::Repository { .. }, None | Some("warn")) => Mode::Warn,
                (Event::Repository { .. }, Some("fail")) => Mode::Fail,
                (Event::Repository { .. }, Some("off")) => Mode::Off,
                (Event::Repository { .. }, Some(other)) => {
                    panic!(
                        "check-receiver {other:?} accepted as {:?}",
                        inputs.check_receiver
                    )
                }
            };
            assert_eq!(inputs.check_receiver, want, "{:?}", case.check_receiver);
        }
    }
});

fn valid(inputs: &Inputs, given: &str, has_token: bool) {
    assert!(!inputs.repositories.is_empty());
    assert!(inputs.repositories.len() <= MAX_REPOSITORIES);
    for r in &inputs.repositories {
        let text = r.to_string();
        assert_eq!(Repository::parse(&text).as_ref(), Ok(r), "{text}");
    }
    match inputs.token() {
        Some(t) => {
            assert!(has_token);
            assert_eq!(t.expose(), given);
            assert!(given.chars().all(|c| c.is_ascii_graphic()), "{given:?}");
        }
        None => assert!(inputs.dry_run && !has_token),
    }
    // The base is a normalised URL already: parsing it again changes nothing
    // (but a trailing slash), so the request URLs built on it are as shown.
    let base = inputs.api.as_str();
    let reparsed = reqwest::Url::parse(base).unwrap_or_else(|e| panic!("API base {base}: {e}"));
    assert_eq!(
        reparsed.as_str().trim_end_matches('/'),
        base,
        "API base not stable"
    );
    assert!(matches!(reparsed.scheme(), "https" | "http"), "{base}");
    assert!(
        reparsed.username().is_empty() && reparsed.password().is_none(),
        "{base}"
    );
    for d in [
        inputs.timeout,
        inputs.max_retry_wait,
        inputs.dispatch_interval,
    ] {
        assert!(d.as_secs() <= 86_400, "{d:?}");
    }
    if let Some(wait) = &inputs.wait {
        assert!(wait.discovery_timeout.as_secs() <= 86_400);
        assert!(wait.wait_timeout.as_secs() <= 86_400);
    }
    // The event as sent: a repository dispatch's payload with a correlation id
    // when waiting.
    let sent = match (&inputs.event, &inputs.wait) {
        (
            Event::Repository {
                event_type,
                payload,
            },
            wait,
        ) => {
            assert!(event_type.as_str().chars().count() <= MAX_EVENT_TYPE_CHARS);
            let payload = match wait {
                Some(wait) => payload
                    .with_property(&wait.key, "0f9e8d7c-6b5a-4321-8fed-cba987654321")
                    .unwrap_or_else(|e| {
                        panic!("validated, but the correlation id does not fit: {e}")
                    }),
                None => payload.clone(),
            };
            Event::Repository {
                event_type: event_type.clone(),
                payload,
            }
        }
        (workflow @ Event::Workflow { .. }, _) => workflow.clone(),
    };
    for r in &inputs.repositories {
        let request = dispatch_request(inputs, &sent, r);
        assert_eq!(request.method.as_str(), "POST");
        let tail = match &sent {
            Event::Repository { .. } => format!("/repos/{}/{}/dispatches", r.owner, r.name),
            Event::Workflow { workflow, .. } => format!(
                "/repos/{}/{}/actions/workflows/{}/dispatches",
                r.owner,
                r.name,
                workflow.path_segment()
            ),
        };
        assert_eq!(request.url, format!("{base}{tail}"));
        let url =
            reqwest::Url::parse(&request.url).unwrap_or_else(|e| panic!("{}: {e}", request.url));
        assert!(url.path().ends_with(&tail), "{url} lost {tail}");
        assert!(url.query().is_none() && url.fragment().is_none(), "{url}");
        let body = request.body.as_deref().expect("a dispatch has a body");
        match &sent {
            Event::Repository {
                event_type,
                payload,
            } => check_body(body, event_type.as_str(), payload.as_json()),
            Event::Workflow {
                git_ref,
                inputs: workflow_inputs,
                ..
            } => {
                let v: serde_json::Value = serde_json::from_str(body)
                    .unwrap_or_else(|e| panic!("body is not JSON ({e}): {body}"));
                assert_eq!(v["ref"].as_str(), Some(git_ref.as_str()), "{body}");
                assert_eq!(v["return_run_details"], serde_json::Value::Bool(true));
                let sent_inputs = v.get("inputs").and_then(serde_json::Value::as_object);
                assert_eq!(
                    sent_inputs,
                    workflow_inputs.as_ref().map(|i| i.as_map()),
                    "{body}"
                );
                assert!(sent_inputs.is_none_or(|m| m.len() <= 25), "{body}");
            }
        }
        if given.len() >= 8 {
            let shown = request.describe(inputs.token().is_some());
            assert!(!shown.contains(given), "token shown: {shown}");
        }
    }
}
