//! `workflow_dispatch` with `return_run_details`: the exact request, checked
//! against GitHub's published request schema; the run GitHub names followed
//! by id, with no listing; fan-out; answers without a run; the inputs that
//! belong to the other event refused before anything is sent.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::{Run, TOKEN, actions_env, contract_violations, json, run, runner_env, set};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Variables to set or remove, as `common::set` takes them.
type Changes<'a> = &'a [(&'a str, Option<&'a str>)];

/// The operation as GitHub's description names its path.
const OPERATION: &str = "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const NOT_FOUND: &str = r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event","status":"404"}"#;
const NO_TRIGGER: &str = r#"{"message":"Workflow does not have 'workflow_dispatch' trigger","documentation_url":"https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event","status":"422"}"#;
const INPUTS: &str = r#"{"environment": "staging", "image_tag": "v1.2.3"}"#;

/// How the fake answers one repository's workflow dispatch.
#[derive(Clone, Debug)]
enum Answer {
    /// `200` naming this run.
    Run(u64),
    /// `204`, as a GitHub Enterprise Server before `return_run_details`.
    Legacy,
    /// `200` with a body that is not a `workflow-dispatch-response`.
    Broken,
    /// This status and body.
    Refuse(u16, &'static str),
    /// As a GitHub Enterprise Server before run details (3.19): `422` with
    /// this body to a dispatch with `return_run_details`, creating nothing;
    /// `204` to one without it that meets the rest of the contract.
    BeforeRunDetails(&'static str),
}

/// A fake of the workflow-dispatch endpoint that enforces the contract
/// fragment (request schema, API version, `return_run_details`), and of the
/// run endpoint: run 13 concludes `failure`, every other `success`.
struct Fake {
    answers: HashMap<String, Answer>,
    base: String,
    violations: Arc<Mutex<Vec<String>>>,
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let parts: Vec<&str> = req.url.path().split('/').collect();
        // ["", "repos", owner, repo, "actions", "workflows", id, "dispatches"]
        let repo = format!("{}/{}", parts[2], parts[3]);
        let answer = self.answers.get(&repo).cloned().unwrap_or(Answer::Run(77));
        if let Answer::BeforeRunDetails(refusal) = answer {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            if body.get("return_run_details").is_some() {
                return json(422, refusal);
            }
            let violations = contract_violations(OPERATION, &req.body);
            if !violations.is_empty() {
                self.violations.lock().unwrap().extend(violations.clone());
                return json(422, &format!(r#"{{"message":"{violations:?}"}}"#));
            }
            return ResponseTemplate::new(204);
        }
        let mut violations = contract_violations(OPERATION, &req.body);
        let version = req
            .headers
            .get("x-github-api-version")
            .and_then(|v| v.to_str().ok());
        if version != Some("2022-11-28") {
            violations.push(format!(
                "API version {version:?}: return_run_details is described for 2022-11-28"
            ));
        }
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        if body["return_run_details"] != serde_json::Value::Bool(true) {
            violations.push(format!("return_run_details not true in {body}"));
        }
        if !violations.is_empty() {
            self.violations.lock().unwrap().extend(violations.clone());
            return json(
                422,
                &format!(r#"{{"message":"Invalid request: {violations:?}"}}"#),
            );
        }
        match answer {
            Answer::Run(id) => json(
                200,
                &serde_json::json!({
                    "workflow_run_id": id,
                    "run_url": format!("{}/repos/{repo}/actions/runs/{id}", self.base),
                    "html_url": format!("https://github.com/{repo}/actions/runs/{id}"),
                })
                .to_string(),
            ),
            Answer::Legacy => ResponseTemplate::new(204),
            Answer::Broken => json(200, r#"{"workflow_run_id":"#),
            Answer::Refuse(status, body) => json(status, body),
            Answer::BeforeRunDetails(_) => unreachable!("answered above"),
        }
    }
}

struct RunsById;

impl Respond for RunsById {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let parts: Vec<&str> = req.url.path().split('/').collect();
        let id: u64 = parts[6].parse().unwrap();
        json(
            200,
            &serde_json::json!({
                "id": id,
                "status": "completed",
                "conclusion": if id == 13 { "failure" } else { "success" },
                "html_url": format!("https://github.com/{}/{}/actions/runs/{id}", parts[2], parts[3]),
            })
            .to_string(),
        )
    }
}

async fn fake(answers: &[(&str, Answer)]) -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let violations = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path_regex(
            r"^/repos/[^/]+/[^/]+/actions/workflows/[^/]+/dispatches$",
        ))
        .respond_with(Fake {
            answers: answers
                .iter()
                .map(|(r, a)| ((*r).to_owned(), a.clone()))
                .collect(),
            base: server.uri(),
            violations: Arc::clone(&violations),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/[^/]+/[^/]+/actions/runs/[0-9]+$"))
        .respond_with(RunsById)
        .mount(&server)
        .await;
    (server, violations)
}

/// A step with `workflow: deploy.yml`, `ref: main` and two inputs; the
/// runner passes client-payload's default `{}` and no event-type.
fn workflow_env(api: &str, extra: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    let mut env = actions_env(api);
    set(
        &mut env,
        &[
            ("INPUT_EVENT-TYPE", None),
            ("INPUT_CLIENT-PAYLOAD", Some("{}")),
            ("INPUT_WORKFLOW", Some("deploy.yml")),
            ("INPUT_REF", Some("main")),
            ("INPUT_INPUTS", Some(INPUTS)),
            ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.01")),
        ],
    );
    set(&mut env, extra);
    env
}

/// As the runner runs the action: the step sets `workflow` and `ref`; the
/// runner passes client-payload's default `{}` and every input without a
/// default (event-type, inputs, the App's) empty. One workflow dispatch.
#[tokio::test]
async fn a_step_as_the_runner_passes_it_sends_a_workflow_dispatch() {
    let (server, violations) = fake(&[]).await;
    let env = runner_env(
        &server.uri(),
        &[
            ("repository", "octo/deploy"),
            ("workflow", "deploy.yml"),
            ("ref", "main"),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        sent[0].url.path(),
        "/repos/octo/deploy/actions/workflows/deploy.yml/dispatches"
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&sent[0].body).unwrap(),
        serde_json::json!({"ref": "main", "return_run_details": true})
    );
    assert!(violations.lock().unwrap().is_empty());
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(req: &'a Request, name: &str) -> &'a str {
    req.headers.get(name).map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn the_request_is_the_contracts_and_names_the_run() {
    // (workflow input, path segment)
    for (workflow, segment) in [
        ("deploy.yml", "deploy.yml"),
        ("12345", "12345"),
        ("ci build.yml", "ci%20build.yml"),
    ] {
        let (server, violations) = fake(&[]).await;
        let r = run(
            &workflow_env(&server.uri(), &[("INPUT_WORKFLOW", Some(workflow))]),
            &[],
        )
        .await;
        assert_eq!(r.code, 0, "{r:?}");
        r.assert_no_token();
        let reqs = requests(&server).await;
        assert_eq!(
            reqs.len(),
            1,
            "{workflow}: one request, no run read without waiting"
        );
        let req = &reqs[0];
        assert_eq!(req.method.as_str(), "POST");
        assert_eq!(
            req.url.path(),
            format!("/repos/octo/deploy/actions/workflows/{segment}/dispatches")
        );
        assert_eq!(
            String::from_utf8_lossy(&req.body),
            r#"{"ref":"main","inputs":{"environment":"staging","image_tag":"v1.2.3"},"return_run_details":true}"#
        );
        assert_eq!(header(req, "authorization"), format!("Bearer {TOKEN}"));
        assert_eq!(header(req, "accept"), "application/vnd.github+json");
        assert_eq!(header(req, "content-type"), "application/json");
        assert_eq!(header(req, "x-github-api-version"), "2022-11-28");
        assert!(violations.lock().unwrap().is_empty(), "{violations:?}");
        assert!(
            r.stdout
                .contains("dispatched workflow deploy.yml at main to octo/deploy")
                || workflow != "deploy.yml",
            "{}",
            r.stdout
        );
        assert_eq!(r.output("run-id").as_deref(), Some("77"));
        assert_eq!(
            r.output("run-url").as_deref(),
            Some("https://github.com/octo/deploy/actions/runs/77")
        );
        assert_eq!(r.output("dispatch-id"), None, "no correlation id is needed");
        let results = r.results();
        assert_eq!(results[0]["status"], "dispatched");
        assert_eq!(results[0]["http_status"], 200);
        assert_eq!(results[0]["run_id"], 77);
        assert_eq!(results[0]["conclusion"], serde_json::Value::Null);
    }
    // Without inputs the body has none; the fake's contract check stands.
    let (server, violations) = fake(&[]).await;
    let r = run(&workflow_env(&server.uri(), &[("INPUT_INPUTS", None)]), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        String::from_utf8_lossy(&requests(&server).await[0].body),
        r#"{"ref":"main","return_run_details":true}"#
    );
    assert!(violations.lock().unwrap().is_empty());
}

/// The fake itself refuses what the contract forbids, so that the tests
/// above can fail: more than 25 inputs, no ref, the wrong API version.
#[test]
fn the_contract_fragment_is_enforced() {
    let many: serde_json::Map<String, serde_json::Value> =
        (0..26).map(|i| (format!("k{i}"), "v".into())).collect();
    for (body, says) in [
        (serde_json::json!({"inputs": {}}), "ref"),
        (
            serde_json::json!({"ref": "main", "inputs": many}),
            "more than 25 properties",
        ),
        (serde_json::json!({"ref": 1}), "string"),
        (
            serde_json::json!({"ref": "main", "return_run_details": "yes"}),
            "boolean",
        ),
    ] {
        let v = contract_violations(OPERATION, body.to_string().as_bytes());
        assert!(v.iter().any(|e| e.contains(says)), "{body}: {v:?}");
    }
    assert!(
        contract_violations(OPERATION, br#"{"ref":"main","return_run_details":true}"#).is_empty()
    );
}

#[tokio::test]
async fn waiting_follows_the_named_run_and_never_lists_runs() {
    for (id, code, conclusion) in [(77, 0, "success"), (13, 1, "failure")] {
        let (server, _) = fake(&[("octo/deploy", Answer::Run(id))]).await;
        let r = run(
            &workflow_env(&server.uri(), &[("INPUT_WAIT-FOR-RUN", Some("true"))]),
            &[],
        )
        .await;
        assert_eq!(r.code, code, "{r:?}");
        assert_eq!(r.output("conclusion").as_deref(), Some(conclusion));
        assert_eq!(r.output("run-id"), Some(id.to_string()));
        let reqs = requests(&server).await;
        let paths: Vec<&str> = reqs.iter().map(|r| r.url.path()).collect();
        assert_eq!(paths.len(), 2, "{paths:?}");
        assert_eq!(paths[1], format!("/repos/octo/deploy/actions/runs/{id}"));
        assert!(!r.everything().contains("dispatch id"), "{}", r.stdout);
        assert_eq!(r.output("dispatch-id"), None);
        // Nothing was added to the inputs.
        assert!(!String::from_utf8_lossy(&reqs[0].body).contains("dispatch_id"));
    }
}

#[tokio::test]
async fn fan_out_to_ten_with_two_refused() {
    let repos: Vec<String> = (0..10).map(|i| format!("octo/r{i}")).collect();
    let (server, violations) = fake(&[
        ("octo/r3", Answer::Refuse(404, NOT_FOUND)),
        ("octo/r7", Answer::Refuse(422, NO_TRIGGER)),
    ])
    .await;
    let list = repos.join("\n");
    let r = run(
        &workflow_env(&server.uri(), &[("INPUT_REPOSITORY", Some(&list))]),
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(violations.lock().unwrap().is_empty());
    let posts: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<String> = repos
        .iter()
        .map(|r| format!("/repos/{r}/actions/workflows/deploy.yml/dispatches"))
        .collect();
    assert_eq!(posts, expected, "one request each, in order");
    let results = r.results();
    for (i, result) in results.iter().enumerate() {
        let refused = i == 3 || i == 7;
        assert_eq!(
            result["status"],
            if refused { "failed" } else { "dispatched" },
            "{i}"
        );
        assert_eq!(result["run_id"].is_null(), refused, "{i}: {result}");
    }
    let errors = r.errors();
    assert!(errors.iter().any(|e| e.starts_with("::error title=Workflow not found (404)::octo/r3: GitHub found no workflow deploy.yml at main in octo/r3") && e.contains("under .github/workflows")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("::error title=Workflow dispatch refused (422)::octo/r7: GitHub refused to run deploy.yml at main in octo/r7 (Workflow does not have 'workflow_dispatch' trigger") && e.ends_with("add `on: workflow_dispatch` to deploy.yml on main (the copy on that ref is the one GitHub reads)")), "{errors:?}");
    // A fan-out names no single run.
    assert_eq!(r.output("run-id"), None);
}

#[tokio::test]
async fn an_answer_without_the_run_is_a_dispatch_with_an_unknown_run() {
    for answer in [Answer::Legacy, Answer::Broken] {
        let (server, _) = fake(&[("octo/deploy", answer.clone())]).await;
        // Not waiting: dispatched; the run id is empty.
        let r = run(&workflow_env(&server.uri(), &[]), &[]).await;
        assert_eq!(r.code, 0, "{answer:?}: {r:?}");
        assert_eq!(r.output("run-id").as_deref(), Some(""));
        assert_eq!(r.results()[0]["status"], "dispatched");
        assert_eq!(
            r.stdout.contains("::warning::octo/deploy: GitHub accepted the workflow dispatch (200) but its answer does not name the run it started; the dispatch stands and is not sent again"),
            matches!(answer, Answer::Broken),
            "{}",
            r.stdout
        );
        // Waiting: said plainly, and never sent again.
        let (server, _) = fake(&[("octo/deploy", answer.clone())]).await;
        let r = run(
            &workflow_env(&server.uri(), &[("INPUT_WAIT-FOR-RUN", Some("true"))]),
            &[],
        )
        .await;
        assert_eq!(r.code, 1, "{answer:?}: {r:?}");
        let errors = r.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("::error title=Run unknown::octo/deploy: dispatched, but GitHub did not say which run it started"), "{errors:?}");
        assert_eq!(
            requests(&server).await.len(),
            1,
            "{answer:?}: one request, no reads"
        );
    }
}

/// What GitHub Enterprise Server 3.19 answers a dispatch with
/// `return_run_details` (benc-uk/workflow-dispatch#86), and the forms a
/// server of another version may give the same refusal in.
const BEFORE_RUN_DETAILS: &[&str] = &[
    r#"{"message":"\"return_run_details\" is not a permitted key.","documentation_url":"https://docs.github.com/enterprise-server@3.19/rest/actions/workflows#create-a-workflow-dispatch-event","status":"422"}"#,
    r#"{"message":"Invalid request.\n\n\"return_run_details\" is not a permitted key.","documentation_url":"https://docs.github.com/enterprise-server@3.19/rest/actions/workflows#create-a-workflow-dispatch-event"}"#,
    r#"{"message":"Validation Failed","errors":[{"resource":"WorkflowDispatch","field":"return_run_details","code":"unexpected"}]}"#,
];

/// The workflow dispatch with the inputs of [`workflow_env`], with and
/// without `return_run_details`.
const WITH_KEY: &str = r#"{"ref":"main","inputs":{"environment":"staging","image_tag":"v1.2.3"},"return_run_details":true}"#;
const WITHOUT_KEY: &str =
    r#"{"ref":"main","inputs":{"environment":"staging","image_tag":"v1.2.3"}}"#;

/// A GitHub Enterprise Server before run details refuses `return_run_details`
/// with a `422` that creates nothing: the same dispatch goes once more,
/// byte for byte the same less the key, and is then read as a `204` (the run
/// is unknown, and `wait-for-run` says so). Said once; a fan-out to the same
/// server never sends the key again.
#[tokio::test]
async fn a_server_before_run_details_gets_the_dispatch_again_without_the_key() {
    let notices = |r: &Run| -> Vec<String> {
        r.stdout
            .lines()
            .filter(|l| l.starts_with("::notice::"))
            .map(str::to_owned)
            .collect()
    };
    for &refusal in BEFORE_RUN_DETAILS {
        // One repository, not waiting: dispatched, its run unknown.
        let (server, violations) =
            fake(&[("octo/deploy", Answer::BeforeRunDetails(refusal))]).await;
        let r = run(&workflow_env(&server.uri(), &[]), &[]).await;
        assert_eq!(r.code, 0, "{refusal}: {r:?}");
        r.assert_no_token();
        let reqs = requests(&server).await;
        let bodies: Vec<String> = reqs
            .iter()
            .map(|q| String::from_utf8_lossy(&q.body).into_owned())
            .collect();
        assert_eq!(bodies, [WITH_KEY, WITHOUT_KEY], "{refusal}");
        assert_eq!(
            bodies[0].replace(r#","return_run_details":true"#, ""),
            bodies[1]
        );
        for q in &reqs {
            assert_eq!(q.method.as_str(), "POST");
            assert_eq!(
                q.url.path(),
                "/repos/octo/deploy/actions/workflows/deploy.yml/dispatches"
            );
            assert_eq!(header(q, "authorization"), format!("Bearer {TOKEN}"));
        }
        assert!(violations.lock().unwrap().is_empty(), "{violations:?}");
        assert!(r.errors().is_empty(), "{:?}", r.errors());
        let said = notices(&r);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].starts_with("::notice::octo/deploy: this server predates run details (a GitHub Enterprise Server older than the return_run_details parameter): it answered 422 (")
                && said[0].ends_with("and created nothing, so the workflow dispatch was sent again without return_run_details, as is every other of this step; GitHub does not name the runs these start, so they cannot be followed: find them in the repository's Actions tab"),
            "{said:?}"
        );
        let results = r.results();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0]["status"], "dispatched", "{results:?}");
        assert_eq!(results[0]["http_status"], 204, "{results:?}");
        assert_eq!(results[0]["attempts"], 2, "{results:?}");
        assert!(results[0]["run_id"].is_null(), "{results:?}");
        assert_eq!(r.output("run-id").as_deref(), Some(""));
        assert_eq!(r.output("run-url").as_deref(), Some(""));

        // Waiting: the run is unknown, said as for any 204; nothing is read.
        let (server, _) = fake(&[("octo/deploy", Answer::BeforeRunDetails(refusal))]).await;
        let r = run(
            &workflow_env(&server.uri(), &[("INPUT_WAIT-FOR-RUN", Some("true"))]),
            &[],
        )
        .await;
        assert_eq!(r.code, 1, "{refusal}: {r:?}");
        let errors = r.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("::error title=Run unknown::octo/deploy: dispatched, but GitHub did not say which run it started (a 204, from a GitHub Enterprise Server that predates return_run_details"), "{errors:?}");
        assert_eq!(notices(&r).len(), 1);
        let bodies: Vec<String> = requests(&server)
            .await
            .iter()
            .map(|q| String::from_utf8_lossy(&q.body).into_owned())
            .collect();
        assert_eq!(bodies, [WITH_KEY, WITHOUT_KEY], "no run read: {refusal}");
        assert_eq!(r.output("conclusion").as_deref(), Some(""));
    }
}

/// A fan-out to three repositories on a server before run details: the key
/// goes once, with the first dispatch, and is said once.
#[tokio::test]
async fn a_fan_out_to_a_server_before_run_details_sends_the_key_once() {
    let repos = ["octo/r0", "octo/r1", "octo/r2"];
    let answers: Vec<(&str, Answer)> = repos
        .iter()
        .map(|&r| (r, Answer::BeforeRunDetails(BEFORE_RUN_DETAILS[0])))
        .collect();
    let (server, _) = fake(&answers).await;
    let r = run(
        &workflow_env(
            &server.uri(),
            &[("INPUT_REPOSITORY", Some(&repos.join("\n")))],
        ),
        &[],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let sent: Vec<(String, String)> = requests(&server)
        .await
        .iter()
        .map(|q| {
            (
                q.url.path().to_owned(),
                String::from_utf8_lossy(&q.body).into_owned(),
            )
        })
        .collect();
    let to = |repo: &str| format!("/repos/{repo}/actions/workflows/deploy.yml/dispatches");
    assert_eq!(
        sent,
        [
            (to("octo/r0"), WITH_KEY.to_owned()),
            (to("octo/r0"), WITHOUT_KEY.to_owned()),
            (to("octo/r1"), WITHOUT_KEY.to_owned()),
            (to("octo/r2"), WITHOUT_KEY.to_owned()),
        ]
    );
    let notices = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::notice::"))
        .count();
    assert_eq!(notices, 1, "{}", r.stdout);
    let attempts: Vec<u64> = r
        .results()
        .iter()
        .map(|x| x["attempts"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [2, 1, 1]);
}

/// A `422` that is not about the key, or one about the key's value, is a
/// refusal like any other: one request, no second without the key.
#[tokio::test]
async fn other_refusals_naming_the_key_are_not_sent_again() {
    for body in [
        NO_TRIGGER,
        r#"{"message":"For 'properties/return_run_details', \"yes\" is not a boolean."}"#,
        r#"{"message":"Unexpected inputs provided: [\"return_run_details\"]"}"#,
    ] {
        let (server, _) = fake(&[("octo/deploy", Answer::Refuse(422, body))]).await;
        let r = run(&workflow_env(&server.uri(), &[]), &[]).await;
        assert_eq!(r.code, 1, "{body}: {r:?}");
        assert_eq!(requests(&server).await.len(), 1, "{body}");
        assert!(!r.stdout.contains("predates run details"), "{}", r.stdout);
    }
}

#[tokio::test]
async fn inputs_of_the_other_event_are_refused_before_sending() {
    let many = format!(
        "{{{}}}",
        (0..26)
            .map(|i| format!("\"k{i}\":\"v\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let cases: &[(Changes, &str)] = &[
        (
            &[("INPUT_EVENT-TYPE", Some("trigger-deploy"))],
            "::error title=Invalid input%3A event-type::event-type belongs to a repository_dispatch, but workflow is set",
        ),
        (
            &[("INPUT_CLIENT-PAYLOAD", Some(r#"{"a":1}"#))],
            "::error title=Invalid input%3A client-payload::client-payload belongs to a repository_dispatch, but workflow is set",
        ),
        (
            &[("INPUT_REF", None)],
            "::error title=Invalid input%3A ref::ref is required with workflow",
        ),
        (
            &[("INPUT_INPUTS", Some(&many))],
            "::error title=Invalid input%3A inputs::inputs has 26 properties; GitHub accepts at most 25",
        ),
        (
            &[("INPUT_INPUTS", Some(r#"{"list":[1]}"#))],
            "::error title=Invalid input%3A inputs::inputs.list is an array",
        ),
        (
            &[("INPUT_WORKFLOW", Some(".github/workflows/deploy.yml"))],
            "::error title=Invalid input%3A workflow::workflow '.github/workflows/deploy.yml' is a path: give the file name only (deploy.yml)",
        ),
        (
            &[("INPUT_WORKFLOW", None), ("INPUT_EVENT-TYPE", Some("x"))],
            "::error title=Invalid input%3A ref::ref belongs to a workflow_dispatch",
        ),
        (
            &[
                ("INPUT_WORKFLOW", None),
                ("INPUT_EVENT-TYPE", Some("x")),
                ("INPUT_REF", None),
            ],
            "::error title=Invalid input%3A inputs::inputs belongs to a workflow_dispatch",
        ),
        (
            &[
                ("INPUT_WORKFLOW", None),
                ("INPUT_REF", None),
                ("INPUT_INPUTS", None),
            ],
            "::error title=Invalid input%3A event-type::event-type is required",
        ),
    ];
    let (server, _) = fake(&[]).await;
    for (changes, says) in cases {
        let r: Run = run(&workflow_env(&server.uri(), changes), &[]).await;
        assert_eq!(r.code, 2, "{changes:?}: {r:?}");
        assert!(
            r.errors().iter().any(|e| e.starts_with(says)),
            "{changes:?}: {:?}",
            r.errors()
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_command_line_sends_a_workflow_dispatch() {
    let env: Vec<(String, String)> = vec![("GITHUB_TOKEN".into(), TOKEN.into())];
    let r = run(
        &env,
        &[
            "-n",
            "-r",
            "octo/deploy",
            "-w",
            "deploy.yml",
            "--ref",
            "v1.2.3",
            "--inputs",
            r#"{"a": "b"}"#,
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("POST https://api.github.com/repos/octo/deploy/actions/workflows/deploy.yml/dispatches\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with(
            "\n\n{\"ref\":\"v1.2.3\",\"inputs\":{\"a\":\"b\"},\"return_run_details\":true}\n"
        ),
        "{}",
        r.stdout
    );
    // Both events at once: refused, naming which belongs to which.
    let both: Vec<&str> = "-n -r octo/deploy -w deploy.yml -e x --ref main"
        .split(' ')
        .collect();
    let r = run(&env, &both).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("event-type belongs to a repository_dispatch"),
        "{}",
        r.stderr
    );
}
