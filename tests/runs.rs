//! Fan-out and waiting for the run, against a stateful fake GitHub: runs appear
//! after a delay and move through queued, `in_progress` and completed; lists are
//! paged, newest first, hold unrelated runs, and answer `304` to a matching
//! `If-None-Match`.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{Run, TOKEN, actions_env, run, set};
use repository_dispatch::internals::time::utc;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// How the receiving side behaves.
#[derive(Clone)]
struct Scenario {
    /// The receiver sets `run-name` with the dispatch id.
    run_name: bool,
    appear_after: Duration,
    queued_for: Duration,
    /// `None`: the run never completes.
    in_progress_for: Option<Duration>,
    conclusion: &'static str,
    /// Unrelated `repository_dispatch` runs created just after ours.
    newer_unrelated: usize,
    /// Repositories that answer 404.
    missing: HashSet<String>,
    /// The n-th dispatch request (0-based) is refused once with a secondary limit.
    secondary_limit_at: Option<usize>,
    /// The n-th list read (0-based) is refused once with a secondary limit
    /// that asks to retry after 5 s.
    list_limit_at: Option<usize>,
    /// Bytes of filler in each run's `repository` object: GitHub's runs carry
    /// two repository objects, so a page of 100 runs is often a megabyte or two.
    run_padding: usize,
    /// Each of our runs is listed a second time, first, without a usable id.
    broken_twin: bool,
    /// Every list read is refused with this status and GitHub's body for it.
    list_refused: Option<(u16, &'static str)>,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            run_name: true,
            appear_after: Duration::from_millis(300),
            queued_for: Duration::from_millis(300),
            in_progress_for: Some(Duration::from_millis(600)),
            conclusion: "success",
            newer_unrelated: 0,
            missing: HashSet::new(),
            secondary_limit_at: None,
            list_limit_at: None,
            run_padding: 0,
            broken_twin: false,
            list_refused: None,
        }
    }
}

struct FakeRun {
    id: u64,
    repo: String,
    title: String,
    event: &'static str,
    created: u64,
    born: Instant,
    /// Only the runs our dispatches start progress; others stay completed.
    ours: bool,
    dispatch_id: Option<String>,
}

/// One dispatch the fake accepted.
struct Dispatch {
    repo: String,
    /// The request body, parsed.
    body: serde_json::Value,
    at: Instant,
    /// The request body as sent, byte for byte.
    raw: String,
}

#[derive(Default)]
struct State {
    runs: Vec<FakeRun>,
    next_id: u64,
    dispatches: Vec<Dispatch>,
    dispatch_requests: usize,
    /// When each dispatch request arrived, refused ones included.
    arrivals: Vec<Instant>,
    not_modified: usize,
    reads: usize,
    /// When the first list of runs was asked for.
    first_list: Option<Instant>,
    /// Each list read: the page asked for, and when.
    list_reads: Vec<(usize, Instant)>,
}

#[derive(Clone)]
struct Fake {
    state: Arc<Mutex<State>>,
    scenario: Scenario,
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

impl Fake {
    fn status(&self, run: &FakeRun) -> (&'static str, Option<&'static str>) {
        if !run.ours {
            return ("completed", Some("success"));
        }
        let age = run.born.elapsed();
        let s = &self.scenario;
        let started = s.appear_after + s.queued_for;
        if age < started {
            ("queued", None)
        } else {
            match s.in_progress_for {
                Some(d) if age >= started + d => ("completed", Some(s.conclusion)),
                _ => ("in_progress", None),
            }
        }
    }

    fn visible(&self, run: &FakeRun) -> bool {
        !run.ours || run.born.elapsed() >= self.scenario.appear_after
    }

    fn json(&self, run: &FakeRun) -> serde_json::Value {
        let (status, conclusion) = self.status(run);
        serde_json::json!({
            "id": run.id,
            "name": "CD",
            "display_title": run.title,
            "event": run.event,
            "status": status,
            "conclusion": conclusion,
            "html_url": format!("https://github.com/{}/actions/runs/{}", run.repo, run.id),
            "created_at": utc(run.created),
            "run_number": run.id,
            "repository": { "full_name": run.repo, "description": "x".repeat(self.scenario.run_padding) },
        })
    }

    fn with_etag(req: &Request, body: String, state: &mut State) -> ResponseTemplate {
        let etag = format!("W/\"{:x}\"", fnv1a(&body));
        let limits = [
            ("x-ratelimit-limit", "5000".to_owned()),
            ("x-ratelimit-remaining", "4990".to_owned()),
            ("x-ratelimit-reset", (now_epoch() + 3600).to_string()),
        ];
        if req
            .headers
            .get("if-none-match")
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
        {
            state.not_modified += 1;
            let mut t = ResponseTemplate::new(304).insert_header("etag", etag.as_str());
            for (k, v) in limits {
                t = t.insert_header(k, v.as_str());
            }
            return t;
        }
        let mut t = ResponseTemplate::new(200)
            .insert_header("etag", etag.as_str())
            .set_body_raw(body.into_bytes(), "application/json; charset=utf-8");
        for (k, v) in limits {
            t = t.insert_header(k, v.as_str());
        }
        t
    }
}

/// The 64-bit FNV-1a hash of `s`: stable across runs and builds (unlike the
/// standard library's hasher), which is all an `ETag` needs here.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let parts: Vec<&str> = req.url.path().trim_start_matches('/').split('/').collect();
        match (req.method.as_str(), parts.as_slice()) {
            ("POST", ["repos", owner, name, "dispatches"]) => {
                self.dispatch(req, &format!("{owner}/{name}"), &mut state)
            }
            ("GET", ["repos", owner, name, "actions", "runs"]) => {
                self.list(req, &format!("{owner}/{name}"), &mut state)
            }
            ("GET", ["repos", owner, name, "actions", "runs", id]) => {
                state.reads += 1;
                let repo = format!("{owner}/{name}");
                let id: u64 = id.parse().unwrap_or(0);
                let Some(run) = state.runs.iter().find(|r| r.id == id && r.repo == repo) else {
                    return ResponseTemplate::new(404);
                };
                let body = self.json(run).to_string();
                Fake::with_etag(req, body, &mut state)
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

impl Fake {
    fn dispatch(&self, req: &Request, repo: &str, state: &mut State) -> ResponseTemplate {
        let repo = repo.to_owned();
        let n = state.dispatch_requests;
        state.dispatch_requests += 1;
        state.arrivals.push(Instant::now());
        if self.scenario.secondary_limit_at == Some(n) {
            return ResponseTemplate::new(403).set_body_raw(
                        br#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}"#.to_vec(),
                        "application/json",
                    );
        }
        if self.scenario.missing.contains(&repo) {
            return ResponseTemplate::new(404).set_body_raw(
                        br#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event","status":"404"}"#.to_vec(),
                        "application/json",
                    );
        }
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        common::assert_matches_contract(&req.body);
        let dispatch_id = body["client_payload"]["dispatch_id"]
            .as_str()
            .map(str::to_owned);
        let event = body["event_type"].as_str().unwrap().to_owned();
        state.dispatches.push(Dispatch {
            repo: repo.clone(),
            body,
            at: Instant::now(),
            raw: String::from_utf8_lossy(&req.body).into_owned(),
        });
        state.next_id += 1;
        let id = 1000 + state.next_id;
        let title = match (&dispatch_id, self.scenario.run_name) {
            (Some(d), true) => format!("Deploy {event} {d}"),
            _ => "Repository dispatch".to_owned(),
        };
        let created = now_epoch();
        state.runs.push(FakeRun {
            id,
            repo: repo.clone(),
            title,
            event: "repository_dispatch",
            created,
            born: Instant::now(),
            ours: true,
            dispatch_id,
        });
        for i in 0..self.scenario.newer_unrelated {
            state.next_id += 1;
            let id = 1000 + state.next_id;
            state.runs.push(FakeRun {
                id,
                repo: repo.clone(),
                title: format!("Other dispatch {i}"),
                event: "repository_dispatch",
                created: created + 1,
                born: Instant::now(),
                ours: false,
                dispatch_id: None,
            });
        }
        ResponseTemplate::new(204)
    }

    fn list(&self, req: &Request, repo: &str, state: &mut State) -> ResponseTemplate {
        let n = state.list_reads.len();
        state.reads += 1;
        state.first_list.get_or_insert_with(Instant::now);
        if let Some((status, body)) = self.scenario.list_refused {
            state.list_reads.push((0, Instant::now()));
            return ResponseTemplate::new(status)
                .set_body_raw(body.as_bytes().to_vec(), "application/json");
        }
        if self.scenario.list_limit_at == Some(n) {
            state.list_reads.push((0, Instant::now()));
            return ResponseTemplate::new(403)
                .insert_header("retry-after", "5")
                .set_body_raw(
                    br#"{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#.to_vec(),
                    "application/json",
                );
        }
        let query: std::collections::HashMap<String, String> =
            req.url.query_pairs().into_owned().collect();
        let since = query
            .get("created")
            .and_then(|c| c.strip_prefix(">="))
            .unwrap_or("")
            .to_owned();
        let per_page: usize = query
            .get("per_page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(30);
        let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        state.list_reads.push((page, Instant::now()));
        let mut runs: Vec<&FakeRun> = state
            .runs
            .iter()
            .filter(|r| r.repo == repo && self.visible(r))
            .filter(|r| query.get("event").is_none_or(|e| e == r.event))
            .filter(|r| utc(r.created) >= since)
            .collect();
        runs.sort_by_key(|r| std::cmp::Reverse((r.created, r.id)));
        let total = runs.len();
        let mut items: Vec<serde_json::Value> = runs
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|r| self.json(r))
            .collect();
        if self.scenario.broken_twin && page == 1 {
            let twins: Vec<serde_json::Value> = runs
                .iter()
                .filter(|r| r.ours)
                .map(|r| {
                    let mut twin = self.json(r);
                    twin["id"] = serde_json::Value::Null;
                    twin
                })
                .collect();
            items.splice(0..0, twins);
        }
        let body = serde_json::json!({ "total_count": total, "workflow_runs": items }).to_string();
        let mut t = Fake::with_etag(req, body, state);
        if page * per_page < total {
            t = t.insert_header("link", common::next_page_link(&req.url, page).as_str());
        }
        t
    }
}

async fn fake(scenario: Scenario) -> (MockServer, Fake) {
    let server = MockServer::start().await;
    let fake = Fake {
        state: Arc::default(),
        scenario,
    };
    Mock::given(wiremock::matchers::any())
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    (server, fake)
}

/// Runs the action with `wait-for-run` (unless told otherwise) at 1/20 of real
/// time: a nominal minute lasts 3 s. Discovery gets 10m (30 s real) unless a
/// test sets it: every real second a busy machine spends counts twenty times,
/// so the default 2m (6 s) can pass while a fan-out is still being sent.
async fn wait_run(server: &MockServer, extra: &[(&str, Option<&str>)]) -> Run {
    let mut env = actions_env(&server.uri());
    set(
        &mut env,
        &[
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("INPUT_DISCOVERY-TIMEOUT", Some("10m")),
            ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.05")),
        ],
    );
    set(&mut env, extra);
    let r = run(&env, &[]).await;
    r.assert_no_token();
    r
}

#[tokio::test]
async fn found_and_successful() {
    let (server, fake) = fake(Scenario::default()).await;
    let r = wait_run(&server, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let state = fake.state.lock().unwrap();
    assert_eq!(state.dispatches.len(), 1);
    let sent = &state.dispatches[0].body;
    let id = sent["client_payload"]["dispatch_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36);
    // The id goes first; the user's payload follows untouched.
    assert_eq!(
        state.dispatches[0].raw,
        format!(
            r#"{{"event_type":"trigger-deploy","client_payload":{{"dispatch_id":"{id}","image_tag":"v1.2.3","environment":"staging"}}}}"#
        )
    );
    let run = state
        .runs
        .iter()
        .find(|r| r.dispatch_id.as_deref() == Some(&id))
        .unwrap();
    assert_eq!(r.output("dispatch-id").as_deref(), Some(id.as_str()));
    assert_eq!(r.output("run-id"), Some(run.id.to_string()));
    assert_eq!(
        r.output("run-url"),
        Some(format!(
            "https://github.com/octo/deploy/actions/runs/{}",
            run.id
        ))
    );
    assert_eq!(r.output("conclusion").as_deref(), Some("success"));
    let res = r.results();
    assert_eq!(res[0]["run_id"], run.id);
    assert_eq!(res[0]["conclusion"], "success");
    // Progress in a group, one line per status change.
    let group_start = r
        .stdout
        .find(&format!(
            "::group::Waiting for the run in octo/deploy (dispatch id {id})"
        ))
        .unwrap();
    let group_end = r.stdout.find("::endgroup::").unwrap();
    let inside = &r.stdout[group_start..group_end];
    assert!(
        inside.contains(&format!("octo/deploy: found run {} (", run.id)),
        "{inside}"
    );
    assert!(
        inside.contains(&format!("octo/deploy: run {} completed: success", run.id)),
        "{inside}"
    );
    assert_eq!(inside.matches("in_progress").count(), 1, "{inside}");
    assert!(
        r.summary.contains(&format!(
            "[#{}](https://github.com/octo/deploy/actions/runs/{})",
            run.id, run.id
        )),
        "{}",
        r.summary
    );
    assert!(
        state.not_modified > 0,
        "no conditional request was answered 304 ({} reads)",
        state.reads
    );
    // The first look comes two seconds after the dispatch (100 ms at this
    // scale): GitHub needs a moment to create the run.
    let first_look = state.first_list.unwrap() - state.dispatches[0].at;
    assert!(first_look >= Duration::from_millis(100), "{first_look:?}");
}

#[tokio::test]
async fn found_and_failed() {
    let (server, _) = fake(Scenario {
        conclusion: "failure",
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("::error title=Run failure::octo/deploy: run "),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("concluded failure: https://github.com/octo/deploy/actions/runs/"),
        "{}",
        errors[0]
    );
    assert_eq!(r.output("conclusion").as_deref(), Some("failure"));

    let r = wait_run(&server, &[("INPUT_FAIL-ON-RUN-FAILURE", Some("false"))]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.errors().is_empty());
    assert!(
        r.stdout.contains("::warning::octo/deploy: run "),
        "{}",
        r.stdout
    );
}

#[tokio::test]
async fn never_appears_explains_the_run_name_requirement() {
    let (server, fake) = fake(Scenario {
        run_name: false,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[("INPUT_DISCOVERY-TIMEOUT", Some("20s"))]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .starts_with("::error title=Run not found::octo/deploy: dispatched, but no run with '"),
        "{}",
        errors[0]
    );
    for part in [
        "within 20s",
        "types: [trigger-deploy]",
        "default branch",
        "run-name: ... ${{ github.event.client_payload.dispatch_id }}",
    ] {
        assert!(errors[0].contains(part), "'{}' lacks '{part}'", errors[0]);
    }
    assert_eq!(r.output("run-id").as_deref(), Some(""));
    assert_eq!(fake.state.lock().unwrap().dispatch_requests, 1);
    // Every look after the first asks with the first page's ETag.
    let lists: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|q| q.url.path().ends_with("/actions/runs"))
        .collect();
    assert!(lists.len() >= 2, "{} looks", lists.len());
    let etags: Vec<bool> = lists
        .iter()
        .map(|q| q.headers.contains_key("if-none-match"))
        .collect();
    assert!(!etags[0] && etags[1..].iter().all(|e| *e), "{etags:?}");
}

#[tokio::test]
async fn appears_but_never_completes() {
    let (server, _) = fake(Scenario {
        in_progress_for: None,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[("INPUT_WAIT-TIMEOUT", Some("30s"))]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("::error title=Run did not complete::"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("did not complete within 30s (still in_progress)"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("raise wait-timeout to wait longer"),
        "{}",
        errors[0]
    );
    assert!(r.output("run-id").is_some_and(|id| !id.is_empty()));
    assert_eq!(r.output("conclusion").as_deref(), Some(""));
    // At a shell the remedy names the flag.
    let env: Vec<(String, String)> = vec![
        ("GH_TOKEN".to_owned(), TOKEN.to_owned()),
        (
            "REPOSITORY_DISPATCH_TIME_SCALE".to_owned(),
            "0.05".to_owned(),
        ),
    ];
    let api = server.uri();
    let args = [
        "-r",
        "octo/deploy",
        "-e",
        "x",
        "--wait",
        "--wait-timeout",
        "30s",
        "--api-url",
        &api,
    ];
    let r = run(&env, &args).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains("error: octo/deploy: dispatched, and run ")
            && r.stderr.contains("; raise --wait-timeout to wait longer"),
        "{}",
        r.stderr
    );
}

/// A run that stays in progress is not followed in silence: a heartbeat
/// line about once a minute, with the run and the time since the dispatch.
#[tokio::test]
async fn a_long_run_gets_a_heartbeat() {
    let (server, _) = fake(Scenario {
        in_progress_for: None,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[("INPUT_WAIT-TIMEOUT", Some("4m"))]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let beats: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains(": run ") && l.contains(" still in_progress https://"))
        .collect();
    // Four minutes of silence otherwise: a beat at least every minute.
    assert!((3..=6).contains(&beats.len()), "{beats:?}\n{}", r.stdout);
    assert!(
        beats[0].starts_with("octo/deploy: run ") && beats[0].ends_with(" since the dispatch)"),
        "{beats:?}"
    );
}

/// Runs the binary in a pseudo-terminal (util-linux `script`), outside
/// Actions, waiting for the runs of two repositories; returns its exit code
/// and everything the terminal received.
async fn in_terminal(server: &MockServer, term: &str) -> (i32, String) {
    let cmd = format!(
        "{} -r octo/deploy -r octo/other -e trigger-deploy --wait --discovery-timeout 10m --api-url {}",
        env!("CARGO_BIN_EXE_repository-dispatch"),
        server.uri()
    );
    let out = tokio::process::Command::new("script")
        .args(["--quiet", "--return", "--command", &cmd, "/dev/null"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("GH_TOKEN", TOKEN)
        .env("TERM", term)
        .env("COLUMNS", "100")
        .env("REPOSITORY_DISPATCH_TIME_SCALE", "0.05")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_mins(2), out)
        .await
        .expect("finishes within 120 s")
        .expect("script runs");
    let seen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!seen.contains(TOKEN), "{seen}");
    assert!(!seen.contains("panicked"), "{seen}");
    (out.status.code().unwrap_or(-1), seen)
}

/// In a terminal, waiting shows one line per run (how it stands, the time
/// since its dispatch), redrawn in place, under the lines printed; the board
/// is gone at the end, when each run's conclusion and address are printed.
/// Without a terminal (and with `TERM=dumb`) no escape sequence is written.
#[tokio::test]
async fn a_terminal_gets_a_live_line_per_run_redrawn_in_place() {
    let (server, fake) = fake(Scenario {
        in_progress_for: Some(Duration::from_millis(2500)),
        ..Scenario::default()
    })
    .await;
    let (code, seen) = in_terminal(&server, "xterm").await;
    assert_eq!(code, 0, "{seen}");
    assert_eq!(fake.state.lock().unwrap().dispatches.len(), 2);
    // The two-line board is erased (up two lines, clear below) to redraw it.
    let redraw = "\x1b[2A\r\x1b[J";
    assert!(seen.matches(redraw).count() >= 3, "{seen:?}");
    for board_line in [
        "octo/deploy: looking for the run (",
        "octo/other: looking for the run (",
        " in_progress (",
    ] {
        assert!(seen.contains(board_line), "{board_line}: {seen:?}");
    }
    // The elapsed time moves on: more than one distinct reading.
    let times: HashSet<&str> = seen
        .split("octo/deploy: looking for the run (")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(times.len() >= 2, "{times:?}");
    // After the last erase: no board, and both conclusions.
    let end = seen.rsplit(redraw).next().unwrap();
    assert!(!end.contains("looking for the run"), "{end:?}");
    assert!(!end.contains(" in_progress ("), "{end:?}");
    for repo in ["octo/deploy", "octo/other"] {
        assert!(
            seen.contains(&format!("{repo}: run "))
                && seen.contains(" completed: success https://"),
            "{repo}: {seen:?}"
        );
    }
    // The board replaces the heartbeat.
    assert!(!seen.contains("since the dispatch"), "{seen:?}");

    let (code, seen) = in_terminal(&server, "dumb").await;
    assert_eq!(code, 0, "{seen}");
    assert!(!seen.contains('\x1b'), "{seen:?}");
    let env: Vec<(String, String)> = vec![
        ("GH_TOKEN".to_owned(), TOKEN.to_owned()),
        (
            "REPOSITORY_DISPATCH_TIME_SCALE".to_owned(),
            "0.05".to_owned(),
        ),
    ];
    let api = server.uri();
    let r = run(
        &env,
        &["-r", "octo/deploy", "-e", "x", "--wait", "--api-url", &api],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.everything().contains('\x1b'), "{r:?}");
}

/// A refusal to list runs that will not change (403, 404) ends the watch at
/// once with the permission it needs; a server error is retried a few times.
#[tokio::test]
async fn a_refused_read_is_not_repeated_but_a_server_error_is() {
    // (status, body, list reads, what the error says)
    let cases: &[(u16, &str, usize, &str)] = &[
        (
            403,
            r#"{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository","status":"403"}"#,
            1,
            "::error title=Could not list workflow runs (403)::octo/deploy: dispatched, but the run could not be followed: GitHub answered 403 when asked to list workflow runs (Resource not accessible by integration - https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository): the token needs read access to Actions",
        ),
        (
            404,
            r#"{"message":"Not Found","status":"404"}"#,
            1,
            "::error title=Could not list workflow runs (404)::octo/deploy: dispatched, but the run could not be followed: GitHub answered 404",
        ),
        (
            502,
            r#"{"message":"Server Error"}"#,
            5,
            "::error title=Could not list workflow runs (502)::octo/deploy: dispatched, but the run could not be followed: GitHub answered 502",
        ),
    ];
    for &(status, body, reads, says) in cases {
        let (server, fake) = fake(Scenario {
            list_refused: Some((status, body)),
            ..Scenario::default()
        })
        .await;
        let r = wait_run(&server, &[]).await;
        assert_eq!(r.code, 1, "{status}: {r:?}");
        let errors = r.errors();
        assert_eq!(errors.len(), 1, "{status}: {errors:?}");
        assert!(errors[0].starts_with(says), "{status}: {}", errors[0]);
        let state = fake.state.lock().unwrap();
        assert_eq!(state.dispatches.len(), 1, "{status}: one dispatch");
        assert_eq!(state.list_reads.len(), reads, "{status}: list reads");
        assert_eq!(r.results()[0]["status"], "dispatched");
    }
}

#[tokio::test]
async fn two_concurrent_dispatches_each_find_their_own_run() {
    let (server, fake) = fake(Scenario {
        appear_after: Duration::from_millis(500),
        ..Scenario::default()
    })
    .await;
    let (a, b) = tokio::join!(wait_run(&server, &[]), wait_run(&server, &[]));
    assert_eq!((a.code, b.code), (0, 0), "{a:?}\n{b:?}");
    let state = fake.state.lock().unwrap();
    assert_eq!(state.dispatches.len(), 2);
    for r in [&a, &b] {
        let id = r.output("dispatch-id").unwrap();
        let run = state
            .runs
            .iter()
            .find(|x| x.dispatch_id.as_deref() == Some(&id))
            .unwrap();
        assert_eq!(
            r.output("run-id"),
            Some(run.id.to_string()),
            "a dispatch followed another's run"
        );
    }
    assert_ne!(a.output("run-id"), b.output("run-id"));
}

#[tokio::test]
async fn the_run_is_found_on_a_later_page() {
    let (server, fake) = fake(Scenario {
        newer_unrelated: 130,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.output("conclusion").as_deref(), Some("success"));
    let reqs = server.received_requests().await.unwrap();
    assert!(
        reqs.iter()
            .any(|q| q.url.query().is_some_and(|s| s.contains("page=2"))),
        "page 2 was never read"
    );
    // A later page waits its turn among reads: with 4990 requests left for an
    // hour, reads are 0.8 s apart (40 ms at this scale).
    let reads = fake.state.lock().unwrap().list_reads.clone();
    let second = reads.iter().position(|(page, _)| *page == 2).unwrap();
    let spacing = reads[second].1 - reads[second - 1].1;
    assert!(spacing >= Duration::from_millis(35), "{spacing:?}");
    let list = reqs
        .iter()
        .find(|q| q.url.path().ends_with("/actions/runs"))
        .unwrap();
    let query = list.url.query().unwrap();
    assert!(
        query.starts_with("event=repository_dispatch&created=%3E%3D20")
            && query.ends_with("&per_page=100"),
        "{query}"
    );
}

/// A listed run with the dispatch id but no usable id is skipped (with a
/// debug line), not followed as run 0.
#[tokio::test]
async fn a_run_without_a_usable_id_is_skipped() {
    let (server, fake) = fake(Scenario {
        broken_twin: true,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[("RUNNER_DEBUG", Some("1"))]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let id = fake.state.lock().unwrap().runs[0].id;
    assert_eq!(r.output("run-id"), Some(id.to_string()));
    assert_eq!(r.output("conclusion").as_deref(), Some("success"));
    assert!(
        r.stdout.contains(
            "::debug::octo/deploy: skipped a run with the dispatch id in its title but no usable id"
        ),
        "{}",
        r.stdout
    );
    let reqs = server.received_requests().await.unwrap();
    assert!(
        !reqs
            .iter()
            .any(|q| q.url.path().ends_with("/actions/runs/0")),
        "run 0 was polled"
    );
}

/// A read refused with a short secondary limit holds the reads for the time
/// asked (5 s, 250 ms at this scale) and the watch goes on: the hold ends long
/// before the deadline, so the run is not given up on.
#[tokio::test]
async fn a_short_read_limit_is_waited_out() {
    let (server, fake) = fake(Scenario {
        list_limit_at: Some(0),
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.output("conclusion").as_deref(), Some("success"));
    assert!(
        r.stdout
            .contains("octo/deploy: reading runs is rate limited; waiting 5s"),
        "{}",
        r.stdout
    );
    let reads = fake.state.lock().unwrap().list_reads.clone();
    assert!(reads.len() >= 2, "{reads:?}");
    let held = reads[1].1 - reads[0].1;
    assert!(held >= Duration::from_millis(250), "{held:?}");
}

/// A full page of 100 runs as large as GitHub's (1.2 MiB here) is read whole.
/// At half speed: at the usual 1/20, a request's 30 s are 1.5 s, too short
/// for a megabyte from a debug-built fake on a busy machine.
#[tokio::test]
async fn a_page_of_large_runs_is_read_whole() {
    let (server, _) = fake(Scenario {
        newer_unrelated: 99,
        run_padding: 12 * 1024,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(&server, &[("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.5"))]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.output("conclusion").as_deref(), Some("success"));
    let reqs = server.received_requests().await.unwrap();
    assert!(
        !reqs
            .iter()
            .any(|q| q.url.query().is_some_and(|s| s.contains("page=2"))),
        "the run was on the first page"
    );
}

#[tokio::test]
async fn fan_out_to_25_repositories_with_two_failing() {
    let repos: Vec<String> = (1..=25).map(|i| format!("octo/svc-{i:02}")).collect();
    let missing: HashSet<String> = ["octo/svc-07".to_owned(), "octo/svc-19".to_owned()].into();
    let (server, fake) = fake(Scenario {
        missing,
        ..Scenario::default()
    })
    .await;
    let list = format!(
        "{}\n{}, octo/SVC-01",
        repos[..12].join("\n"),
        repos[12..].join(", ")
    );
    let r = wait_run(&server, &[("INPUT_REPOSITORY", Some(&list))]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let state = fake.state.lock().unwrap();
    assert_eq!(
        state.dispatch_requests, 25,
        "exactly one dispatch per repository (the duplicate removed)"
    );
    let res = r.results();
    assert_eq!(res.len(), 25);
    for (i, item) in res.iter().enumerate() {
        assert_eq!(item["repository"], repos[i]);
        if ["octo/svc-07", "octo/svc-19"].contains(&repos[i].as_str()) {
            assert_eq!(item["status"], "failed");
            assert_eq!(item["http_status"], 404);
            assert!(
                item["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("Repository not found, OR token"),
                "{item}"
            );
            assert!(item["run_id"].is_null());
        } else {
            assert_eq!(item["status"], "dispatched", "{item}");
            assert_eq!(item["http_status"], 204);
            assert_eq!(item["conclusion"], "success", "{item}");
            let run_id = item["run_id"].as_u64().unwrap();
            assert!(
                state
                    .runs
                    .iter()
                    .any(|x| x.id == run_id && x.repo == repos[i])
            );
        }
    }
    let errors = r.errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[2].contains("2 of 25 dispatches failed or were not sent: octo/svc-07, octo/svc-19"),
        "{}",
        errors[2]
    );
    assert!(
        r.stdout.contains("::group::Waiting for 23 runs"),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.summary.matches("| octo/svc-").count(),
        25,
        "{}",
        r.summary
    );
    // Writes went one at a time, the interval (1s, scaled to 50 ms) apart.
    let span = state.arrivals[24] - state.arrivals[0];
    assert!(
        span >= Duration::from_millis(24 * 50 - 20),
        "25 dispatches took only {span:?}"
    );
}

#[tokio::test]
async fn a_secondary_limit_mid_fan_out_slows_it_and_all_succeed() {
    let repos: Vec<String> = (1..=10).map(|i| format!("octo/svc-{i:02}")).collect();
    let (server, fake) = fake(Scenario {
        secondary_limit_at: Some(3),
        ..Scenario::default()
    })
    .await;
    let r = wait_run(
        &server,
        &[
            ("INPUT_REPOSITORY", Some(&repos.join(","))),
            ("INPUT_WAIT-FOR-RUN", Some("false")),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let state = fake.state.lock().unwrap();
    assert_eq!(state.dispatch_requests, 11);
    let sent: Vec<&str> = state.dispatches.iter().map(|d| d.repo.as_str()).collect();
    assert_eq!(
        sent,
        repos.iter().map(String::as_str).collect::<Vec<_>>(),
        "each repository exactly once, in order"
    );
    assert!(
        r.stdout
            .contains("octo/svc-04: rate limited by GitHub (secondary rate limit); waiting 1m"),
        "{}",
        r.stdout
    );
    let res = r.results();
    assert!(res.iter().all(|x| x["status"] == "dispatched"));
    assert_eq!(res[3]["attempts"], 2);
    // After the limit the interval doubled: 2 s nominal, 100 ms at this scale.
    // Measured over the span, as arrival times at the fake also carry each
    // request's own latency (the pacer itself is unit-tested on a paused clock).
    let span = state.arrivals[10] - state.arrivals[4];
    assert!(
        span >= Duration::from_millis(6 * 100 - 20),
        "6 dispatches after the limit took only {span:?}"
    );
}

#[tokio::test]
async fn fail_fast_stops_the_fan_out() {
    let missing: HashSet<String> = ["octo/b".to_owned()].into();
    let (server, fake) = fake(Scenario {
        missing,
        ..Scenario::default()
    })
    .await;
    let r = wait_run(
        &server,
        &[
            ("INPUT_REPOSITORY", Some("octo/a,octo/b,octo/c")),
            ("INPUT_FAIL-FAST", Some("true")),
            ("INPUT_WAIT-FOR-RUN", Some("false")),
        ],
    )
    .await;
    assert_eq!(r.code, 1);
    assert_eq!(fake.state.lock().unwrap().dispatch_requests, 2);
    let res = r.results();
    assert_eq!(
        (
            res[0]["status"].as_str(),
            res[1]["status"].as_str(),
            res[2]["status"].as_str()
        ),
        (Some("dispatched"), Some("failed"), Some("not-sent"))
    );
    assert_eq!(
        res[2]["message"],
        "not sent: fail-fast stopped after octo/b failed"
    );
}
