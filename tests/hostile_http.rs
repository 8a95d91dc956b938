//! A hostile or odd server: answers that ask for absurd waits, text that tries
//! to become a workflow command, error pages that echo the token, slow pages,
//! renamed repositories, the older wording of the secondary rate limit. Every
//! case runs the built binary against a scripted fake and asserts the exit
//! code, the time bound, the requests received and that no piece of the token
//! is printed anywhere.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Run, TOKEN, actions_env, run, set};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// One scripted answer.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
}

fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_owned(),
        delay: Duration::ZERO,
    }
}

fn epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The fake: dispatches answer from a script (then 204); the run list answers
/// from its script (then one run whose title holds the dispatch id); the run
/// itself is completed with the scripted fields. With `renamed`, the old name
/// `octo/old-name` is redirected to `/repositories/4242` as GitHub does.
#[derive(Clone, Default)]
struct World {
    dispatch: Vec<Reply>,
    list: Vec<Reply>,
    /// status, conclusion and `html_url` of the run, as the API gives them.
    run_fields: Option<(String, String, String)>,
    /// The run's status in the listing, when it differs (then it is followed).
    listed_status: Option<String>,
    renamed: bool,
    seen: Arc<Mutex<Vec<String>>>,
    dispatch_id: Arc<Mutex<Option<String>>>,
}

impl World {
    /// The same script with nothing seen yet.
    fn fresh(&self) -> Self {
        Self {
            seen: Arc::default(),
            dispatch_id: Arc::default(),
            ..self.clone()
        }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, prefix: &str) -> usize {
        self.seen().iter().filter(|s| s.starts_with(prefix)).count()
    }

    fn run_json(&self) -> serde_json::Value {
        let (status, conclusion, url) = self.run_fields.clone().unwrap_or((
            "completed".into(),
            "success".into(),
            "https://github.com/octo/deploy/actions/runs/77".into(),
        ));
        let id = self.dispatch_id.lock().unwrap().clone().unwrap_or_default();
        serde_json::json!({
            "id": 77, "status": status, "conclusion": conclusion, "html_url": url,
            "display_title": format!("Deploy {id}"), "event": "repository_dispatch",
        })
    }
}

/// The scripted answer; `{AUTH}` in its body becomes the request's
/// `Authorization` header, as a page that echoes the request would show it.
fn template(r: &Reply, req: &Request) -> ResponseTemplate {
    let auth = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body = r.body.replace("{AUTH}", auth);
    let mut t = ResponseTemplate::new(r.status)
        .set_body_raw(body.into_bytes(), "application/json")
        .set_delay(r.delay);
    for (k, v) in &r.headers {
        t = t.insert_header(k.as_str(), v.as_str());
    }
    t
}

impl Respond for World {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path().to_owned();
        let query = req.url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let n = {
            let mut seen = self.seen.lock().unwrap();
            seen.push(format!("{} {path}", req.method));
            seen.iter()
                .filter(|s| **s == format!("{} {path}", req.method))
                .count()
                - 1
        };
        if self.renamed
            && let Some(rest) = path.strip_prefix("/repos/octo/old-name/")
        {
            let status = if req.method.as_str() == "POST" {
                307
            } else {
                301
            };
            return ResponseTemplate::new(status).insert_header(
                "location",
                format!("/repositories/4242/{rest}{query}").as_str(),
            );
        }
        let rest = path
            .strip_prefix("/repositories/4242/")
            .or_else(|| path.strip_prefix("/repos/octo/deploy/"))
            .unwrap_or("");
        match (req.method.as_str(), rest) {
            ("POST", "dispatches") => {
                let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
                if let Some(id) = body["client_payload"]["dispatch_id"].as_str() {
                    *self.dispatch_id.lock().unwrap() = Some(id.to_owned());
                }
                self.dispatch
                    .get(n)
                    .map_or_else(|| ResponseTemplate::new(204), |r| template(r, req))
            }
            ("GET", "actions/runs") => self.list.get(n).map_or_else(
                || {
                    let mut run = self.run_json();
                    if let Some(status) = &self.listed_status {
                        run["status"] = status.as_str().into();
                        run["conclusion"] = serde_json::Value::Null;
                    }
                    ResponseTemplate::new(200).set_body_json(
                        serde_json::json!({"total_count": 1, "workflow_runs": [run]}),
                    )
                },
                |r| template(r, req),
            ),
            ("GET", "actions/runs/77") => ResponseTemplate::new(200).set_body_json(self.run_json()),
            _ => ResponseTemplate::new(404),
        }
    }
}

async fn serve(world: &World) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(world.clone())
        .mount(&server)
        .await;
    server
}

/// Every 8-character piece of `token` found in everything the run wrote, the
/// `::add-mask::` lines (consumed by the runner, never shown) aside.
fn fragments(r: &Run, token: &str) -> Vec<String> {
    let shown: String = r
        .everything()
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect::<Vec<_>>()
        .join("\n");
    let chars: Vec<char> = token.chars().collect();
    chars
        .windows(8)
        .map(|w| w.iter().collect::<String>())
        .filter(|f| shown.contains(f.as_str()))
        .collect()
}

const SECONDARY: &str = r#"{"message":"You have exceeded a secondary rate limit. Request: {AUTH}","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#;
const PRIMARY: &str = r#"{"message":"API rate limit exceeded for user ID 1 ({AUTH}).","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#;
const ABUSE: &str = r#"{"message":"You have triggered an abuse detection mechanism and have been temporarily blocked from content creation. Please retry your request again later.","documentation_url":"https://developer.github.com/v3/#abuse-rate-limits"}"#;

/// A wait-phase or dispatch-phase answer that asks for an absurd wait.
#[derive(Clone)]
struct WaitCase {
    name: &'static str,
    world: World,
    env: Vec<(&'static str, &'static str)>,
    /// The `::error` line holds this.
    says: &'static str,
    dispatches: usize,
    lists: usize,
}

#[allow(clippy::too_many_lines)] // a table, one case per entry
fn wait_cases() -> Vec<WaitCase> {
    let far = (epoch() + 3600).to_string();
    let huge = u64::MAX.to_string();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let (far, huge) = (leak(far), leak(huge));
    let list = |r: Reply| World {
        list: vec![r],
        ..World::default()
    };
    let dispatch = |r: Reply| World {
        dispatch: vec![r],
        ..World::default()
    };
    vec![
        WaitCase {
            name: "runs: retry-after of 31 years",
            world: list(reply(403, &[("retry-after", "999999999")], SECONDARY)),
            env: vec![],
            says: "longer than max-retry-wait (5m)",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: primary limit resets in an hour",
            world: list(reply(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", far)],
                PRIMARY,
            )),
            env: vec![],
            says: "longer than max-retry-wait (5m)",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: the reset would pass discovery-timeout",
            world: list(reply(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", far)],
                PRIMARY,
            )),
            env: vec![("INPUT_MAX-RETRY-WAIT", "2h")],
            says: "would pass discovery-timeout (30s)",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: one request left, reset in an hour",
            world: list(reply(
                200,
                &[("x-ratelimit-remaining", "1"), ("x-ratelimit-reset", far)],
                r#"{"total_count":0,"workflow_runs":[]}"#,
            )),
            env: vec![("INPUT_MAX-RETRY-WAIT", "2h")],
            says: "1 API requests remain until the limit resets at",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: the older abuse wording, a minute past discovery-timeout",
            world: list(reply(403, &[("x-ratelimit-remaining", "4990")], ABUSE)),
            env: vec![],
            says: "GitHub refused to list workflow runs with its secondary rate limit; GitHub gives no reset time; wait a few minutes; not retried: waiting 1m would pass discovery-timeout (30s)",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: retry-after near 2^64",
            world: list(reply(403, &[("retry-after", huge)], SECONDARY)),
            env: vec![],
            says: "longer than max-retry-wait",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: reset near 2^64",
            world: list(reply(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", huge)],
                PRIMARY,
            )),
            env: vec![("INPUT_MAX-RETRY-WAIT", "24h")],
            says: "would pass discovery-timeout",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "runs: a successful read, reset near 2^64",
            world: list(reply(
                200,
                &[("x-ratelimit-remaining", "1"), ("x-ratelimit-reset", huge)],
                r#"{"total_count":0,"workflow_runs":[]}"#,
            )),
            env: vec![("INPUT_MAX-RETRY-WAIT", "24h")],
            says: "1 API requests remain",
            dispatches: 1,
            lists: 1,
        },
        WaitCase {
            name: "dispatch: retry-after near 2^64",
            world: dispatch(reply(429, &[("retry-after", huge)], SECONDARY)),
            env: vec![("INPUT_MAX-RETRY-WAIT", "24h")],
            says: "longer than max-retry-wait (24h0m0s)",
            dispatches: 1,
            lists: 0,
        },
        WaitCase {
            name: "dispatch: retry-after beyond 2^64",
            world: dispatch(reply(
                429,
                &[("retry-after", "99999999999999999999999999")],
                SECONDARY,
            )),
            env: vec![],
            says: "longer than max-retry-wait (5m)",
            dispatches: 1,
            lists: 0,
        },
        WaitCase {
            name: "dispatch: reset near 2^64",
            world: dispatch(reply(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", huge)],
                PRIMARY,
            )),
            env: vec![],
            says: "longer than max-retry-wait (5m)",
            dispatches: 1,
            lists: 0,
        },
    ]
}

/// The cases run at once, each its own process and fake (in real time: each
/// waits two seconds before its first look), so the table takes seconds.
#[tokio::test]
async fn no_wait_passes_its_deadline_or_max_retry_wait_and_nothing_overflows() {
    let mut runs = tokio::task::JoinSet::new();
    for case in wait_cases() {
        for actions in [true, false] {
            runs.spawn(check_wait_case(case.clone(), actions));
        }
    }
    while let Some(done) = runs.join_next().await {
        if let Err(e) = done {
            std::panic::resume_unwind(e.into_panic());
        }
    }
}

async fn check_wait_case(case: WaitCase, actions: bool) {
    let world = case.world.fresh();
    let server = serve(&world).await;
    let mut env = actions_env(&server.uri());
    set(
        &mut env,
        &[
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("INPUT_DISCOVERY-TIMEOUT", Some("30s")),
            ("INPUT_TIMEOUT", Some("30s")),
        ],
    );
    for (k, v) in &case.env {
        set(&mut env, &[(k, Some(v))]);
    }
    if !actions {
        set(&mut env, &[("GITHUB_ACTIONS", None)]);
    }
    let r = run(&env, &[]).await;
    let name = format!("{} (actions {actions})", case.name);
    assert_eq!(r.code, 1, "{name}: {}", r.stdout);
    assert!(
        r.elapsed < Duration::from_secs(10),
        "{name}: took {:?}",
        r.elapsed
    );
    let errors = error_lines(&r, actions);
    // At a shell the limit of the phase is named by its flag.
    let says = if actions {
        case.says.to_owned()
    } else {
        case.says
            .replace("pass discovery-timeout", "pass --discovery-timeout")
    };
    assert!(
        errors.iter().any(|e| e.contains(&says)),
        "{name}: no error says '{says}': {errors:?}"
    );
    assert_eq!(
        world.count("POST /repos/octo/deploy/dispatches"),
        case.dispatches,
        "{name}"
    );
    assert_eq!(
        world.count("GET /repos/octo/deploy/actions/runs"),
        case.lists,
        "{name}"
    );
    // Outputs and the summary are still written.
    assert_eq!(r.results()[0]["repository"], "octo/deploy", "{name}");
    assert!(
        r.summary.contains("| octo/deploy |"),
        "{name}: {}",
        r.summary
    );
    assert_eq!(fragments(&r, TOKEN), Vec::<String>::new(), "{name}");
}

/// The error lines of a run: `::error` annotations in Actions, `error:` lines
/// on standard error in a terminal.
fn error_lines(r: &Run, actions: bool) -> Vec<&str> {
    if actions {
        r.errors()
    } else {
        r.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }
}

/// Lines a runner would read as workflow commands, other than the ones the
/// program means to write.
fn foreign_commands(stdout: &str) -> Vec<&str> {
    let ours = [
        "::add-mask::",
        "::group::",
        "::endgroup::",
        "::error title=",
        "::warning::",
        "::notice::",
        "::debug::",
    ];
    stdout
        .split(['\n', '\r'])
        .filter(|l| l.trim_start().starts_with("::"))
        .filter(|l| !ours.iter().any(|o| l.starts_with(o)))
        .collect()
}

#[tokio::test]
async fn text_from_the_runs_api_cannot_become_a_workflow_command() {
    let world = World {
        list: vec![reply(
            200,
            &[],
            &serde_json::json!({"total_count": 1, "workflow_runs": [{
                "id": 77, "status": "in_progress\r::add-mask::hidden",
                "conclusion": null,
                "html_url": "https://x/runs/77\n::warning::injected\n::stop-commands::tok\u{1b}[2J",
                "display_title": "Deploy DISPATCH_ID",
            }]})
            .to_string(),
        )],
        run_fields: Some((
            "completed".into(),
            "failure\n::stop-commands::tok\r\n::error::injected".into(),
            "https://x/runs/77\u{2028}::warning::injected".into(),
        )),
        ..World::default()
    };
    // The listing's title must hold the id the binary picks: answer the list
    // with the scripted body once the id is known.
    let server = MockServer::start().await;
    let w = world.clone();
    Mock::given(wiremock::matchers::any())
        .respond_with(move |req: &Request| {
            let mut r = w.respond(req);
            if req.url.path().ends_with("/actions/runs") {
                let id = w.dispatch_id.lock().unwrap().clone().unwrap_or_default();
                let body = w.list[0].body.replace("DISPATCH_ID", &id);
                r = ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "application/json");
            }
            r
        })
        .mount(&server)
        .await;
    for actions in [true, false] {
        let mut env = actions_env(&server.uri());
        set(
            &mut env,
            &[
                ("INPUT_WAIT-FOR-RUN", Some("true")),
                ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.05")),
                ("RUNNER_DEBUG", Some("1")),
            ],
        );
        if !actions {
            set(&mut env, &[("GITHUB_ACTIONS", None)]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "the run concluded failure: {}", r.stdout);
        assert!(
            r.everything().contains("found run 77"),
            "{}{}",
            r.stdout,
            r.stderr
        );
        let foreign = foreign_commands(&r.stdout);
        assert!(foreign.is_empty(), "commands injected: {foreign:?}");
        for text in [&r.stdout, &r.stderr] {
            for line in text.lines() {
                assert!(
                    !line.contains(['\r', '\u{1b}', '\u{2028}']),
                    "a control character reached the log: {line:?}"
                );
            }
        }
        if actions {
            // Each piece of outside text stays inside the one line it was
            // printed in: no line begins with what the server sent.
            assert!(
                !r.stdout
                    .lines()
                    .any(|l| l.starts_with("::warning::injected")
                        || l.starts_with("::stop-commands::")
                        || l.starts_with("::error::injected")
                        || l == "::add-mask::hidden"),
                "{}",
                r.stdout
            );
        } else {
            assert!(
                !r.stderr.lines().any(|l| l.starts_with("::")),
                "{}",
                r.stderr
            );
        }
        assert_eq!(fragments(&r, TOKEN), Vec::<String>::new());
    }
}

/// A token that holds every character the escapers change.
const ODD_TOKEN: &str = "ghp_Odd%Tok\"en\\wi|th,colon:12345";

#[tokio::test]
async fn error_bodies_that_echo_the_token_show_no_piece_of_it() {
    let echo_json = serde_json::json!({
        "message": format!("Bad credentials for {ODD_TOKEN}"),
        "errors": [format!("token {ODD_TOKEN} | rejected")],
    })
    .to_string();
    // A non-JSON page that echoes the request: the token starts at character
    // 100 of the body, so a cut at 120 characters would split it.
    let echo_page = |token: &str| {
        format!(
            "{:<88}Bearer {token} and more text after it",
            "request was:"
        )
    };
    for (token, status, body) in [
        (ODD_TOKEN, 422, echo_json.clone()),
        (ODD_TOKEN, 401, echo_json.clone()),
        (ODD_TOKEN, 400, echo_page(ODD_TOKEN)),
        (TOKEN, 400, echo_page(TOKEN)),
        (TOKEN, 502, echo_page(TOKEN)),
    ] {
        for actions in [true, false] {
            let world = World {
                dispatch: vec![Reply {
                    headers: vec![("content-type".into(), "text/plain".into())],
                    ..reply(status, &[], &body)
                }],
                ..World::default()
            };
            let server = serve(&world).await;
            let mut env = actions_env(&server.uri());
            set(&mut env, &[("INPUT_TOKEN", Some(token))]);
            if !actions {
                set(&mut env, &[("GITHUB_ACTIONS", None)]);
            }
            let r = run(&env, &[]).await;
            assert_eq!(r.code, 1, "{status}: {}", r.stdout);
            assert_eq!(world.count("POST"), 1);
            let found = fragments(&r, token);
            assert!(
                found.is_empty(),
                "{status} (actions {actions}): pieces of the token shown: {found:?}\n{}",
                r.everything()
            );
            if actions {
                assert!(r.errors()[0].contains("***"), "{}", r.stdout);
                assert!(r.results()[0]["message"].as_str().unwrap().contains("***"));
            }
        }
    }
}

#[tokio::test]
async fn slow_pages_do_not_stretch_discovery() {
    // The first page comes at once and names a next page; every later page
    // takes 30 s. Each read may take only what remains of discovery-timeout.
    let link = r#"<http://127.0.0.1/next>; rel="next""#;
    let empty = r#"{"total_count":0,"workflow_runs":[]}"#;
    let slow = Reply {
        delay: Duration::from_secs(30),
        ..reply(200, &[("link", link)], empty)
    };
    let world = World {
        list: vec![reply(200, &[("link", link)], empty), slow.clone(), slow],
        ..World::default()
    };
    for actions in [true, false] {
        let world = world.fresh();
        let server = serve(&world).await;
        let mut env = actions_env(&server.uri());
        set(
            &mut env,
            &[
                ("INPUT_WAIT-FOR-RUN", Some("true")),
                ("INPUT_DISCOVERY-TIMEOUT", Some("4s")),
            ],
        );
        if !actions {
            set(&mut env, &[("GITHUB_ACTIONS", None)]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(
            r.elapsed < Duration::from_secs(8),
            "discovery-timeout 4s took {:?}",
            r.elapsed
        );
        let errors = error_lines(&r, actions);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("appeared in octo/deploy within 4s")),
            "{errors:?}"
        );
        assert_eq!(world.count("GET /repos/octo/deploy/actions/runs"), 2);
        assert_eq!(r.results()[0]["status"], "dispatched");
        assert_eq!(fragments(&r, TOKEN), Vec::<String>::new());
    }
}

#[tokio::test]
async fn a_renamed_repository_is_dispatched_once_found_and_followed() {
    for actions in [true, false] {
        // Listed in progress, so the run itself is read (through a 301) too.
        let world = World {
            renamed: true,
            listed_status: Some("in_progress".into()),
            ..World::default()
        };
        let server = serve(&world).await;
        let mut env = actions_env(&server.uri());
        set(
            &mut env,
            &[
                ("INPUT_REPOSITORY", Some("octo/old-name")),
                ("INPUT_WAIT-FOR-RUN", Some("true")),
                ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.05")),
            ],
        );
        if !actions {
            set(&mut env, &[("GITHUB_ACTIONS", None)]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let seen = world.seen();
        assert_eq!(
            seen.iter()
                .filter(|s| s.starts_with("POST"))
                .collect::<Vec<_>>(),
            vec![
                "POST /repos/octo/old-name/dispatches",
                "POST /repositories/4242/dispatches"
            ],
            "one dispatch, through the 307"
        );
        for read in [
            "GET /repos/octo/old-name/actions/runs",
            "GET /repositories/4242/actions/runs",
            "GET /repos/octo/old-name/actions/runs/77",
            "GET /repositories/4242/actions/runs/77",
        ] {
            assert!(seen.contains(&read.to_owned()), "{read}: {seen:?}");
        }
        assert_eq!(r.results()[0]["conclusion"], "success");
        assert_eq!(r.output("run-id").as_deref(), Some("77"));
        let note = "octo/old-name: GitHub redirected octo/old-name to repository id 4242: it was renamed or transferred; use its new name";
        let noted = if actions {
            r.stdout
                .lines()
                .filter(|l| l.starts_with(&format!("::notice::{note}")))
                .count()
        } else {
            r.stderr
                .lines()
                .filter(|l| l.starts_with(&format!("note: {note}")))
                .count()
        };
        // Once for the dispatch, once when the runs are read.
        assert_eq!(noted, 2, "{}{}", r.stdout, r.stderr);
        assert!(
            r.summary
                .contains("| octo/old-name | ✅ dispatched (204); GitHub redirected octo/old-name to repository id 4242: it was renamed or transferred; use its new name"),
            "{}",
            r.summary
        );
        assert_eq!(fragments(&r, TOKEN), Vec::<String>::new());
    }
}

/// Two runs watched at once: octo/a's run is found and followed; then octo/b's
/// listing says one request is left for an hour, which holds every read past
/// octo/b's discovery-timeout but within octo/a's wait-timeout. octo/b must end
/// at once, not after octo/a's next read.
#[tokio::test]
async fn a_held_read_does_not_hold_another_watch_past_its_deadline() {
    let ids: Arc<Mutex<std::collections::HashMap<String, String>>> = Arc::default();
    let seen = ids.clone();
    let server = MockServer::start().await;
    let limited = |t: ResponseTemplate| {
        t.insert_header("x-ratelimit-remaining", "1")
            .insert_header("x-ratelimit-reset", (epoch() + 3600).to_string().as_str())
    };
    Mock::given(wiremock::matchers::any())
        .respond_with(move |req: &Request| {
            let parts: Vec<&str> = req.url.path().split('/').collect();
            let repo = parts.get(3).copied().unwrap_or("").to_owned();
            match (req.method.as_str(), &parts[4..]) {
                ("POST", ["dispatches"]) => {
                    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
                    let id = body["client_payload"]["dispatch_id"].as_str().unwrap();
                    seen.lock().unwrap().insert(repo, id.to_owned());
                    ResponseTemplate::new(204)
                }
                ("GET", ["actions", "runs"]) if repo == "a" => {
                    let id = seen.lock().unwrap()["a"].clone();
                    ResponseTemplate::new(200).set_body_json(serde_json::json!({
                        "total_count": 1,
                        "workflow_runs": [{"id": 77, "status": "in_progress", "conclusion": null,
                            "html_url": "https://github.com/octo/a/actions/runs/77",
                            "display_title": format!("Deploy {id}")}],
                    }))
                }
                ("GET", ["actions", "runs"]) => limited(
                    ResponseTemplate::new(200)
                        .set_body_json(serde_json::json!({"total_count": 0, "workflow_runs": []})),
                ),
                ("GET", ["actions", "runs", "77"]) => ResponseTemplate::new(200).set_body_json(
                    serde_json::json!({"id": 77, "status": "completed", "conclusion": "success",
                        "html_url": "https://github.com/octo/a/actions/runs/77"}),
                ),
                _ => ResponseTemplate::new(404),
            }
        })
        .mount(&server)
        .await;
    let mut env = actions_env(&server.uri());
    set(
        &mut env,
        &[
            ("INPUT_REPOSITORY", Some("octo/a\nocto/b")),
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("INPUT_DISCOVERY-TIMEOUT", Some("8s")),
            ("INPUT_WAIT-TIMEOUT", Some("60s")),
            ("INPUT_MAX-RETRY-WAIT", Some("20s")),
            ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.25")),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1, "{}", r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let held = lines
        .iter()
        .position(|l| {
            l.starts_with("::error title=Rate limit too low to follow the run::octo/b: dispatched, but the run could not be followed: 1 API requests remain until the limit resets at")
        })
        .unwrap_or_else(|| panic!("octo/b is not ended by the limit: {}", r.stdout));
    let completed = lines
        .iter()
        .position(|l| l.starts_with("octo/a: run 77 completed: success "))
        .unwrap_or_else(|| panic!("octo/a did not complete: {}", r.stdout));
    assert!(
        held < completed,
        "octo/b waited for octo/a's held read: {}",
        r.stdout
    );
    r.assert_no_token();
}

#[tokio::test]
async fn redirects_a_write_must_not_follow_are_answers() {
    let other = common::no_content_api().await;
    let elsewhere = format!("{}/repos/octo/deploy/dispatches", other.uri());
    for (name, status, location, says, posts) in [
        // A 301 would turn the POST into a GET: not followed.
        (
            "301 on a write",
            301,
            "/repositories/4242/dispatches",
            "Redirected (301)",
            1,
        ),
        (
            "302 on a write",
            302,
            "/repositories/4242/dispatches",
            "Redirected (302)",
            1,
        ),
        // Another host never gets the token.
        (
            "307 to another host",
            307,
            elsewhere.as_str(),
            "Redirected (307)",
            1,
        ),
        // A loop ends after a few hops, and nothing was acted on.
        (
            "307 loop",
            307,
            "/repos/octo/deploy/dispatches",
            "Too many redirects",
            4,
        ),
    ] {
        for actions in [true, false] {
            let world = World {
                dispatch: vec![reply(status, &[("location", location)], ""); 10],
                ..World::default()
            };
            let server = serve(&world).await;
            let mut env = actions_env(&server.uri());
            if !actions {
                set(&mut env, &[("GITHUB_ACTIONS", None)]);
            }
            let r = run(&env, &[]).await;
            assert_eq!(r.code, 1, "{name}: {}", r.stdout);
            let errors = error_lines(&r, actions);
            assert_eq!(errors.len(), 1, "{name}: {errors:?}");
            let line = if actions {
                format!("::error title={says}::octo/deploy: ")
            } else {
                "error: octo/deploy: ".to_owned()
            };
            assert!(errors[0].starts_with(&line), "{name}: {errors:?}");
            assert_eq!(world.count("POST"), posts, "{name}: {:?}", world.seen());
            assert!(world.count("POST /repositories/") == 0, "{name}");
            assert_eq!(fragments(&r, TOKEN), Vec::<String>::new(), "{name}");
        }
    }
    assert!(
        other.received_requests().await.unwrap().is_empty(),
        "the token went to another host"
    );
}

#[tokio::test]
async fn the_older_abuse_wording_is_a_secondary_rate_limit() {
    // (retry-after, max-retry-wait, exit code, dispatch requests)
    let cases: &[(Option<&str>, &str, i32, usize)] = &[
        // No time given: at least a minute (scaled), then retried once.
        (None, "5m", 0, 2),
        // With a retry-after, that is the wait.
        (Some("7"), "5m", 0, 2),
        // Not waited out: a rate-limit error, never a permission hint.
        (None, "30s", 1, 1),
    ];
    for (retry_after, max_wait, code, posts) in cases {
        for actions in [true, false] {
            let name = format!("{retry_after:?} {max_wait} (actions {actions})");
            let mut headers = vec![("x-ratelimit-remaining", "4990")];
            headers.extend(retry_after.map(|r| ("retry-after", r)));
            let world = World {
                dispatch: vec![reply(403, &headers, ABUSE)],
                ..World::default()
            };
            let server = serve(&world).await;
            let mut env = actions_env(&server.uri());
            set(
                &mut env,
                &[
                    ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.01")),
                    ("INPUT_MAX-RETRY-WAIT", Some(max_wait)),
                ],
            );
            if !actions {
                set(&mut env, &[("GITHUB_ACTIONS", None)]);
            }
            let r = run(&env, &[]).await;
            assert_eq!(r.code, *code, "{name}: {}{}", r.stdout, r.stderr);
            assert_eq!(world.count("POST"), *posts, "{name}");
            let progress = if actions { &r.stdout } else { &r.stderr };
            let errors = error_lines(&r, actions);
            if *code == 0 {
                let wait = retry_after.map_or("1m", |_| "7");
                let line = format!(
                    "octo/deploy: rate limited by GitHub (secondary rate limit); waiting {wait}"
                );
                assert!(
                    progress.lines().any(|l| l.starts_with(&line)),
                    "{name}: {progress}"
                );
                assert_eq!(errors, Vec::<&str>::new(), "{name}");
            } else {
                let start = format!(
                    "{}octo/deploy: GitHub refused the dispatch to octo/deploy with its secondary rate limit (You have triggered an abuse detection mechanism and have been temporarily blocked from content creation. Please retry your request again later. - https://developer.github.com/v3/#abuse-rate-limits); GitHub gives no reset time; wait a few minutes; not retried: the wait (1m",
                    if actions {
                        "::error title=Rate limited (403)::"
                    } else {
                        "error: "
                    }
                );
                assert_eq!(errors.len(), 1, "{name}: {errors:?}");
                assert!(errors[0].starts_with(&start), "{name}: {}", errors[0]);
                assert!(
                    errors[0].ends_with(") is longer than max-retry-wait (30s)"),
                    "{name}: {}",
                    errors[0]
                );
            }
            assert!(
                !r.everything().contains("scope") && !r.everything().contains("permission"),
                "{name}: {}",
                r.everything()
            );
        }
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    for actions in [true, false] {
        let at = SystemTime::now() + Duration::from_secs(40);
        let date = httpdate::fmt_http_date(at);
        let world = World {
            dispatch: vec![reply(429, &[("retry-after", &date)], SECONDARY)],
            ..World::default()
        };
        let server = serve(&world).await;
        let mut env = actions_env(&server.uri());
        set(
            &mut env,
            &[("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.01"))],
        );
        if !actions {
            set(&mut env, &[("GITHUB_ACTIONS", None)]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert_eq!(world.count("POST"), 2);
        assert_eq!(error_lines(&r, actions), Vec::<&str>::new());
        // 38 to 40 s asked (the date has whole seconds), plus up to 10% jitter.
        let progress = if actions { &r.stdout } else { &r.stderr };
        let line = progress
            .lines()
            .find(|l| {
                l.starts_with(
                    "octo/deploy: rate limited by GitHub (secondary rate limit); waiting ",
                )
            })
            .unwrap_or_else(|| panic!("no waiting line: {progress}"));
        let waited: f64 = line
            .split("waiting ")
            .nth(1)
            .and_then(|w| w.split('s').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        assert!((38.0..=44.1).contains(&waited), "{line}");
        assert!(line.ends_with("s before attempt 2 of 4"), "{line}");
        assert_eq!(fragments(&r, TOKEN), Vec::<String>::new());
    }
}
