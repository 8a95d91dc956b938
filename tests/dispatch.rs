//! The binary end to end against a wiremock GitHub: the exact request GitHub
//! receives, every answer it can give, and the way each is reported.

mod common;

use common::{
    TOKEN, actions_env, any_post_api, assert_matches_contract, dispatch_api, json, run, run_os,
    runner_env, set,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn sends_exactly_the_request_github_expects() {
    let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
    let r = run(&actions_env(&server.uri()), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/repos/octo/deploy/dispatches");
    assert_eq!(req.url.query(), None);
    let header = |n: &str| req.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        header("accept").as_deref(),
        Some("application/vnd.github+json")
    );
    assert_eq!(
        header("x-github-api-version").as_deref(),
        Some("2022-11-28")
    );
    assert_eq!(
        header("user-agent").as_deref(),
        Some(concat!("repository-dispatch/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header("authorization"), Some(format!("Bearer {TOKEN}")));
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        r#"{"event_type":"trigger-deploy","client_payload":{"image_tag":"v1.2.3","environment":"staging"}}"#
    );
    assert_matches_contract(&req.body);

    assert_eq!(
        r.stdout,
        format!("::add-mask::{TOKEN}\ndispatched 'trigger-deploy' to octo/deploy\n")
    );
    assert_eq!(r.stderr, "");
    assert!(
        r.summary
            .contains("| octo/deploy | ✅ dispatched (204) | 1 |"),
        "{}",
        r.summary
    );
    assert_eq!(
        r.results(),
        [serde_json::json!({
            "repository": "octo/deploy", "status": "dispatched", "http_status": 204,
            "message": "dispatched", "attempts": 1, "run_id": null, "run_url": null, "conclusion": null
        })]
    );
    r.assert_no_token();
}

/// As the runner runs the action: every input of action.yml is passed, the
/// ones the step does not set as their default or, without one, empty. A
/// step that sets only what the JavaScript action needs (and turns the
/// receiver check off, tested in tests/receiver.rs) dispatches.
#[tokio::test]
async fn inputs_the_runner_passes_empty_are_not_given() {
    let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
    let env = runner_env(
        &server.uri(),
        &[
            ("repository", "octo/deploy"),
            ("event-type", "trigger-deploy"),
            ("check-receiver", "off"),
        ],
    );
    assert!(
        env.iter()
            .any(|(k, v)| k == "INPUT_WORKFLOW" && v.is_empty()),
        "{env:?}"
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        r#"{"event_type":"trigger-deploy","client_payload":{}}"#
    );
    // An input that has a default arrives empty only when the step set it
    // so: still refused, with the input named.
    let mut env = runner_env(&server.uri(), &[("event-type", "trigger-deploy")]);
    set(&mut env, &[("INPUT_REPOSITORY", Some(""))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.errors()[0].starts_with("::error title=Invalid input%3A repository::"),
        "{r:?}"
    );
    // event-type has no default: empty is "not given", refused as such.
    let r = run(
        &runner_env(&server.uri(), &[("repository", "octo/deploy")]),
        &[],
    )
    .await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.errors()[0].contains("event-type is required but is not set (or is empty)"),
        "{r:?}"
    );
}

#[tokio::test]
async fn payload_arrives_byte_for_byte() {
    let server = any_post_api(vec![ResponseTemplate::new(204)]).await;
    let payload = "{\n  \"big\": 12345678901234567890123,\n  \"n\": 9007199254740993,\n  \"price\": 1.50,\n  \"e\": 1E+2,\n  \"u\": \"h\\u00e9 \\ud83d\\ude00\",\n  \"raw\": \"hé 😀 日本\",\n  \"nested\": {\"deep\": [1, {\"x\": null}]}\n}";
    let mut env = actions_env(&server.uri());
    set(&mut env, &[("INPUT_CLIENT-PAYLOAD", Some(payload))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let body = server.received_requests().await.unwrap()[0].body.clone();
    assert_eq!(
        String::from_utf8(body.clone()).unwrap(),
        "{\"event_type\":\"trigger-deploy\",\"client_payload\":{\"big\":12345678901234567890123,\"n\":9007199254740993,\"price\":1.50,\"e\":1E+2,\"u\":\"h\\u00e9 \\ud83d\\ude00\",\"raw\":\"hé 😀 日本\",\"nested\":{\"deep\":[1,{\"x\":null}]}}}"
    );
    assert_matches_contract(&body);
}

#[tokio::test]
async fn api_base_keeps_its_path_and_defaults_apply() {
    for suffix in ["/api/v3", "/api/v3/"] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v3/repos/octo/self/dispatches"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let mut env = actions_env(&format!("{}{suffix}", server.uri()));
        // Absent inputs take their defaults: the workflow's repository and {}.
        set(
            &mut env,
            &[("INPUT_REPOSITORY", None), ("INPUT_CLIENT-PAYLOAD", None)],
        );
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 0, "{suffix}: {r:?}");
        let body = &server.received_requests().await.unwrap()[0].body;
        assert_eq!(
            body.as_slice(),
            br#"{"event_type":"trigger-deploy","client_payload":{}}"#
        );
        server.verify().await;
    }
}

#[tokio::test]
async fn underscore_spellings_are_read() {
    let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
    let mut env = actions_env(&server.uri());
    set(
        &mut env,
        &[
            ("INPUT_EVENT-TYPE", None),
            ("INPUT_CLIENT-PAYLOAD", None),
            ("INPUT_EVENT_TYPE", Some("from-underscore")),
            ("INPUT_CLIENT_PAYLOAD", Some(r#"{"a":1}"#)),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let body = &server.received_requests().await.unwrap()[0].body;
    assert_eq!(
        body.as_slice(),
        br#"{"event_type":"from-underscore","client_payload":{"a":1}}"#
    );
}

/// One case per answer: status, GitHub's real body, the title, parts of the
/// message, and what must not be said.
struct Answer {
    status: u16,
    body: &'static str,
    token: &'static str,
    title: &'static str,
    parts: &'static [&'static str],
}

const ANSWERS: &[Answer] = &[
    Answer {
        status: 401,
        body: r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#,
        token: TOKEN,
        title: "Bad credentials (401)",
        parts: &[
            "Bad credentials - https://docs.github.com/rest",
            "expired",
            "update the secret",
        ],
    },
    Answer {
        status: 403,
        body: r#"{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event","status":"403"}"#,
        token: "ghs_installationTokenLike000000000000000",
        title: "Forbidden (403)",
        parts: &[
            "Resource not accessible by integration - https://docs.github.com",
            "permissions: contents: write",
            "fine-grained PAT",
            "GitHub App installation token",
        ],
    },
    Answer {
        status: 403,
        body: r#"{"message":"Must have admin rights to Repository.","documentation_url":"https://docs.github.com/rest","status":"403"}"#,
        token: "github_pat_fineGrainedLike00000000000000",
        title: "Forbidden (403)",
        parts: &[
            "Must have admin rights to Repository.",
            "Contents: read and write on octo/deploy",
        ],
    },
    Answer {
        status: 404,
        body: r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event","status":"404"}"#,
        token: TOKEN,
        title: "Repository not found (404)",
        parts: &[
            "octo/deploy: Repository not found, OR token has insufficient permissions.",
            "spelled right",
            "404 rather than 403",
        ],
    },
    Answer {
        status: 404,
        body: r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#,
        token: "ghs_installationTokenLike000000000000000",
        title: "Repository not found (404)",
        parts: &[
            "Repository not found, OR token has insufficient permissions.",
            "GITHUB_TOKEN reaches only the workflow's own repository",
        ],
    },
    Answer {
        status: 422,
        body: "{\"message\":\"Invalid request.\\n\\nNo more than 10 properties are allowed; 13 were supplied.\",\"documentation_url\":\"https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event\",\"status\":\"422\"}",
        token: TOKEN,
        title: "Invalid dispatch (422)",
        parts: &[
            "refused the dispatch to octo/deploy as invalid",
            "No more than 10 properties are allowed; 13 were supplied.",
        ],
    },
    Answer {
        status: 422,
        body: r#"{"message":"Validation Failed","errors":[{"resource":"Repository","field":"event_type","code":"missing_field"}],"documentation_url":"https://docs.github.com/rest","status":"422"}"#,
        token: TOKEN,
        title: "Invalid dispatch (422)",
        parts: &[
            "Validation Failed - https://docs.github.com/rest",
            "errors: event_type: missing_field",
        ],
    },
    Answer {
        status: 500,
        body: r#"{"message":"Server Error"}"#,
        token: TOKEN,
        title: "Server error (500)",
        parts: &[
            "500 Internal Server Error",
            "may or may not have been created",
            "retry-on-server-error",
        ],
    },
    Answer {
        status: 409,
        body: r#"{"message":"Repository is archived","documentation_url":"https://docs.github.com/rest"}"#,
        token: TOKEN,
        title: "Dispatch failed (409)",
        parts: &[
            "409 Conflict",
            "Repository is archived - https://docs.github.com/rest",
        ],
    },
];

#[tokio::test]
async fn fail_fast_stops_only_a_fan_out_after_a_failure() {
    // (repositories, fail-fast, the requests that arrive, each result's status):
    // octo/gone answers 404, octo/deploy 204.
    let stopped = "not sent: fail-fast stopped after octo/gone failed";
    for (repositories, fail_fast, sent, statuses) in [
        (
            "octo/gone,octo/deploy",
            "true",
            &["gone"][..],
            &["failed", "not-sent"][..],
        ),
        (
            "octo/gone,octo/deploy",
            "false",
            &["gone", "deploy"],
            &["failed", "dispatched"],
        ),
        (
            "octo/deploy,octo/gone",
            "true",
            &["deploy", "gone"],
            &["dispatched", "failed"],
        ),
        ("octo/gone", "true", &["gone"], &["failed"]),
        ("octo/gone", "false", &["gone"], &["failed"]),
    ] {
        let case = format!("{repositories} with fail-fast {fail_fast}");
        let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
        let mut env = actions_env(&server.uri());
        set(
            &mut env,
            &[
                ("INPUT_REPOSITORY", Some(repositories)),
                ("INPUT_FAIL-FAST", Some(fail_fast)),
                ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.01")),
            ],
        );
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "{case}: {r:?}");
        let paths: Vec<String> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|req| req.url.path().to_owned())
            .collect();
        let expected: Vec<String> = sent
            .iter()
            .map(|name| format!("/repos/octo/{name}/dispatches"))
            .collect();
        assert_eq!(paths, expected, "{case}");
        let results = r.results();
        let got: Vec<&str> = results
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        assert_eq!(got, statuses, "{case}");
        for result in &results {
            assert_eq!(
                result["status"] == "not-sent",
                result["message"] == stopped,
                "{case}: {result}"
            );
        }
        assert!(
            r.errors()[0].contains("::octo/gone: Repository not found"),
            "{case}: {:?}",
            r.errors()
        );
    }
}

#[tokio::test]
async fn every_error_answer_is_one_actionable_annotation() {
    for a in ANSWERS {
        let server = dispatch_api(vec![json(a.status, a.body)]).await;
        let mut env = actions_env(&server.uri());
        set(
            &mut env,
            &[("INPUT_TOKEN", Some(a.token)), ("RUNNER_DEBUG", Some("1"))],
        );
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "{}: {r:?}", a.status);
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{}: one request only",
            a.status
        );
        let errors = r.errors();
        assert_eq!(errors.len(), 1, "{}: {errors:?}", a.status);
        let title = a.title.replace(':', "%3A").replace(',', "%2C");
        assert!(
            errors[0].starts_with(&format!("::error title={title}::")),
            "{}: {}",
            a.status,
            errors[0]
        );
        for part in a.parts {
            let escaped = part.replace('%', "%25").replace('\n', "%0A");
            assert!(
                errors[0].contains(&escaped),
                "{}: '{}' lacks '{part}'",
                a.status,
                errors[0]
            );
        }
        assert!(
            !r.stdout.contains(a.token) || r.stdout.matches(a.token).count() == 1,
            "token shown"
        );
        let results = r.results();
        assert_eq!(results[0]["status"], "failed");
        assert_eq!(results[0]["http_status"], a.status);
        assert!(r.summary.contains("| octo/deploy | ❌ "), "{}", r.summary);
    }
}

#[tokio::test]
async fn not_found_message_starts_like_the_javascript_action() {
    let server = dispatch_api(vec![json(404, r#"{"message":"Not Found"}"#)]).await;
    let mut env = actions_env(&server.uri());
    set(&mut env, &[("GITHUB_ACTIONS", None)]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1);
    // Outside Actions: plain text on stderr, no workflow commands anywhere.
    assert!(
        !r.stdout.contains("::") && !r.stderr.contains("::"),
        "{r:?}"
    );
    assert!(
        r.stderr.starts_with(
            "error: octo/deploy: Repository not found, OR token has insufficient permissions."
        ),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[tokio::test]
async fn debug_shows_request_and_response_without_the_token() {
    let server = any_post_api(vec![
        ResponseTemplate::new(204).insert_header("x-github-request-id", "ABCD:1234"),
    ])
    .await;
    let mut env = actions_env(&server.uri());
    set(&mut env, &[("RUNNER_DEBUG", Some("1"))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let debug: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::debug::"))
        .collect();
    let all = debug.join("\n");
    assert!(
        all.contains(&format!(
            "::debug::POST {}/repos/octo/deploy/dispatches",
            server.uri()
        )),
        "{all}"
    );
    assert!(all.contains("::debug::Authorization: Bearer ***"), "{all}");
    assert!(
        all.contains("::debug::response 204 No Content in "),
        "{all}"
    );
    assert!(all.contains("x-github-request-id: ABCD:1234"), "{all}");
    assert!(
        all.contains("::debug::timing: inputs validated in "),
        "{all}"
    );
    r.assert_no_token();
}

#[tokio::test]
async fn command_line_flags_win_and_read_files_and_stdin() {
    let server = any_post_api(vec![ResponseTemplate::new(204)]).await;
    let dir = tempfile::tempdir().unwrap();
    let payload_file = dir.path().join("payload.json");
    std::fs::write(&payload_file, "{\n  \"from\": \"file\"\n}\n").unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let env: Vec<(String, String)> = vec![
        ("INPUT_EVENT-TYPE".into(), "from-env".into()),
        ("INPUT_REPOSITORY".into(), "env/repo".into()),
    ];
    let r = run(
        &env,
        &[
            "--repository",
            "octo/a",
            "-r",
            "octo/b,octo/c",
            "--event-type=from-flag",
            "--client-payload-file",
            payload_file.to_str().unwrap(),
            "--token-file",
            token_file.to_str().unwrap(),
            "--api-url",
            &server.uri(),
            "--dispatch-interval",
            "0",
            "--check-receiver",
            "off",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "dispatched 'from-flag' to octo/a\ndispatched 'from-flag' to octo/b\ndispatched 'from-flag' to octo/c\n"
    );
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/repos/octo/a/dispatches",
            "/repos/octo/b/dispatches",
            "/repos/octo/c/dispatches"
        ]
    );
    for req in &requests {
        assert_eq!(
            req.body.as_slice(),
            br#"{"event_type":"from-flag","client_payload":{"from":"file"}}"#
        );
        assert_eq!(
            req.headers.get("authorization").unwrap().to_str().unwrap(),
            format!("Bearer {TOKEN}")
        );
    }

    // Payload from standard input, token from GH_TOKEN.
    let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
    let env: Vec<(String, String)> = vec![
        ("GH_TOKEN".into(), TOKEN.into()),
        ("GITHUB_TOKEN".into(), "other".into()),
    ];
    let r = run_os(
        &env,
        &[],
        &[
            "-r",
            "octo/deploy",
            "-e",
            "x",
            "-f",
            "-",
            "--api-url",
            &server.uri(),
            "--check-receiver",
            "off",
        ],
        Some(b"{\"stdin\": true}"),
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        req.body.as_slice(),
        br#"{"event_type":"x","client_payload":{"stdin":true}}"#
    );
    assert_eq!(
        req.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {TOKEN}")
    );
}

#[tokio::test]
async fn dry_run_prints_the_request_and_sends_nothing() {
    let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
    let r = run(
        &[],
        &[
            "--dry-run",
            "-r",
            "octo/deploy",
            "-e",
            "trigger-deploy",
            "-p",
            r#"{"image_tag": "v1.2.3", "environment": "staging"}"#,
            "--api-url",
            &server.uri(),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        format!(
            "POST {}/repos/octo/deploy/dispatches\nAccept: application/vnd.github+json\nAuthorization: Bearer <no token given>\nContent-Type: application/json\nUser-Agent: repository-dispatch/{}\nX-GitHub-Api-Version: 2022-11-28\n\n{{\"event_type\":\"trigger-deploy\",\"client_payload\":{{\"image_tag\":\"v1.2.3\",\"environment\":\"staging\"}}}}\n",
            server.uri(),
            env!("CARGO_PKG_VERSION")
        )
    );
    assert!(r.stderr.contains("no token was given"), "{}", r.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());

    // With a token it is redacted; with an invalid input it is still refused.
    let env: Vec<(String, String)> = vec![("GITHUB_TOKEN".into(), TOKEN.into())];
    let r = run(&env, &["-n", "-r", "octo/deploy", "-e", "x"]).await;
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("Authorization: Bearer ***\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .starts_with("POST https://api.github.com/repos/octo/deploy/dispatches\n")
    );
    r.assert_no_token();
    let r = run(&env, &["-n", "-r", "octo", "-e", "x"]).await;
    assert_eq!(r.code, 2);
}

#[tokio::test]
async fn json_prints_the_results_alone_on_stdout() {
    let server = dispatch_api(vec![ResponseTemplate::new(204)]).await;
    let env: Vec<(String, String)> = vec![("GITHUB_TOKEN".into(), TOKEN.into())];
    let uri = server.uri();
    let args = [
        "--json",
        "-r",
        "octo/deploy",
        "-e",
        "trigger-deploy",
        "--api-url",
        &uri,
    ];
    let r = run(&env, &args).await;
    assert_eq!(r.code, 0, "{r:?}");
    let (line, rest) = r.stdout.split_once('\n').expect("one line");
    assert_eq!(rest, "", "nothing else on stdout: {}", r.stdout);
    let results: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        results,
        serde_json::json!([{
            "repository": "octo/deploy", "status": "dispatched", "http_status": 204,
            "message": "dispatched", "attempts": 1, "run_id": null, "run_url": null,
            "conclusion": null
        }])
    );
    assert!(
        r.stderr
            .contains("dispatched 'trigger-deploy' to octo/deploy"),
        "{}",
        r.stderr
    );
    r.assert_no_token();
    // Without --json the result line is on stdout, and no JSON.
    let r = run(&env, &args[1..]).await;
    assert_eq!(r.stdout, "dispatched 'trigger-deploy' to octo/deploy\n");
    let r = run(&env, &["--json", "-n", "-r", "octo/deploy", "-e", "x"]).await;
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--json prints the results of a run"),
        "{}",
        r.stderr
    );
}

/// With no token in a terminal, an installed `gh` is suggested, never run;
/// in Actions it is not mentioned (the token comes from the step).
#[tokio::test]
async fn no_token_suggests_gh_without_running_it() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("gh-was-run");
    let gh = dir.path().join("gh");
    std::fs::write(
        &gh,
        format!("#!/bin/sh\ntouch '{}'\necho gho_x\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().to_str().unwrap().to_owned();
    let args = ["-r", "octo/deploy", "-e", "x"];
    let hint = "gh is installed, so its login can be used: GH_TOKEN=$(gh auth token) repository-dispatch ...";
    let r = run(&[("PATH".to_owned(), path.clone())], &args).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("no token: set GH_TOKEN or GITHUB_TOKEN"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(hint), "{}", r.stderr);
    // Not on PATH, or not executable: no hint.
    let r = run(&[("PATH".to_owned(), "/nonexistent".to_owned())], &args).await;
    assert!(!r.stderr.contains("gh is installed"), "{}", r.stderr);
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = run(&[("PATH".to_owned(), path.clone())], &args).await;
    assert!(!r.stderr.contains("gh is installed"), "{}", r.stderr);
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    // In Actions (an empty token input): no gh advice.
    let mut env = actions_env("https://api.github.com");
    set(&mut env, &[("INPUT_TOKEN", None), ("PATH", Some(&path))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!r.everything().contains("gh is installed"), "{}", r.stdout);
    assert!(!marker.exists(), "gh was run");
}

/// `-F`/`--raw-field` build the payload (with `--workflow`, the inputs)
/// without JSON quoting; GitHub's limits apply as to JSON.
#[tokio::test]
async fn fields_build_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "line one\nline \"two\"\n").unwrap();
    let notes_arg = format!("notes=@{}", notes.display());
    let body = |r: &common::Run| r.stdout.lines().last().unwrap_or_default().to_owned();
    let r = run(
        &[],
        &[
            "-n",
            "-r",
            "octo/deploy",
            "-e",
            "deploy",
            "-F",
            "image_tag=v1.2.3",
            "-F",
            "replicas=3",
            "--field",
            "build[sha]=abc",
            "--raw-field",
            "count=3",
            "-F",
            &notes_arg,
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        body(&r),
        r#"{"event_type":"deploy","client_payload":{"image_tag":"v1.2.3","replicas":3,"build":{"sha":"abc"},"count":"3","notes":"line one\nline \"two\"\n"}}"#
    );
    let r = run(
        &[],
        &[
            "-n",
            "-r",
            "octo/deploy",
            "-w",
            "deploy.yml",
            "--ref",
            "main",
            "-F",
            "dry=true",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        body(&r),
        r#"{"ref":"main","inputs":{"dry":true},"return_run_details":true}"#
    );
    // The property limit, JSON given too, a field without '='.
    let eleven: Vec<String> = (0..11).map(|i| format!("k{i}=v")).collect();
    let mut args = vec!["-n", "-r", "octo/deploy", "-e", "deploy"];
    for f in &eleven {
        args.extend(["-F", f.as_str()]);
    }
    for (args, says) in [
        (args.clone(), "client-payload has 11 top-level properties"),
        (
            vec!["-n", "-r", "o/r", "-e", "x", "-p", "{}", "-F", "a=1"],
            "--field and --client-payload or --inputs both give the payload",
        ),
        (
            vec!["-n", "-r", "o/r", "-e", "x", "-F", "a"],
            "-F needs KEY=VALUE",
        ),
    ] {
        let r = run(&[], &args).await;
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
}

/// The bash completion script from the binary parses, and completes an
/// option as bash would; the man page is roff with every option.
#[tokio::test]
async fn completions_and_the_man_page() {
    let r = run(&[], &["completions", "bash"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("repository-dispatch.bash");
    std::fs::write(&script, &r.stdout).unwrap();
    let complete = |words: &str| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}' && COMP_WORDS=(repository-dispatch {words}) && COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)) && _repository_dispatch && echo \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    assert_eq!(complete("--eve"), "--event-type");
    assert_eq!(complete("--wa"), "--wait --wait-timeout");
    assert_eq!(complete("-r octo/deploy --event-type"), "--event-type");
    // The commands, and the receiving step's own options after `receive`.
    assert_eq!(complete("rec"), "receive");
    assert_eq!(complete("receive --sch"), "--schema --schema-file");
    assert_eq!(complete("receive --env-prefix ''"), "");
    assert_eq!(complete("completions ''"), "bash zsh fish");
    assert_eq!(complete("help ''"), "receive");
    assert_eq!(complete("rev"), "revoke");
    assert!(complete("''").starts_with("receive revoke completions man help --repository"));
    for shell in ["zsh", "fish"] {
        let r = run(&[], &["completions", shell]).await;
        assert_eq!(r.code, 0, "{shell}: {r:?}");
        assert!(
            r.stdout.contains("dispatch-interval"),
            "{shell}: {}",
            r.stdout
        );
    }
    let r = run(&[], &["man"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with(".TH REPOSITORY\\-DISPATCH 1 "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\\fB\\-\\-client\\-payload\\-file\\fR \\fIPATH\\fR"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            ".B repository\\-dispatch\nreceive (\\-\\-schema JSON | \\-\\-schema\\-file PATH) [OPTIONS]\n"
        ),
        "{}",
        r.stdout
    );
    for bad in [
        &["completions"][..],
        &["completions", "tcsh"],
        &["man", "x"],
        &["help", "x"],
    ] {
        let r = run(&[], bad).await;
        assert_eq!(r.code, 2, "{bad:?}: {r:?}");
    }
}

/// The completion scripts load in zsh and fish (fish completes an option as
/// it would for a user; zsh parses the script and registers it), and groff
/// reads the man page without a warning.
#[tokio::test]
async fn completions_load_in_zsh_and_fish_and_groff_reads_the_man_page() {
    let dir = tempfile::tempdir().unwrap();
    // zsh: the script parses, and compinit registers it for the command from
    // its `#compdef` line when it is on fpath as _repository-dispatch.
    let r = run(&[], &["completions", "zsh"]).await;
    let zsh_dir = dir.path().join("zsh");
    std::fs::create_dir(&zsh_dir).unwrap();
    std::fs::write(zsh_dir.join("_repository-dispatch"), &r.stdout).unwrap();
    let shell = |program: &str, script: &str| {
        let out = std::process::Command::new(program)
            .args(["-c", script])
            .env("HOME", dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{program} runs (.ci/test.sh installs it): {e}"));
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    shell(
        "zsh",
        &format!(
            "zsh -n '{}'",
            zsh_dir.join("_repository-dispatch").display()
        ),
    );
    assert_eq!(
        shell(
            "zsh",
            &format!(
                "fpath=('{}' $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[repository-dispatch]",
                zsh_dir.display()
            )
        ),
        "_repository-dispatch\n"
    );
    // fish: completes an option as fish would, with its help line.
    let r = run(&[], &["completions", "fish"]).await;
    let fish_script = dir.path().join("repository-dispatch.fish");
    std::fs::write(&fish_script, &r.stdout).unwrap();
    let completed = shell(
        "fish",
        &format!(
            "source '{}'; complete -C'repository-dispatch --eve'; complete -C'repository-dispatch --wa'; complete -C'repository-dispatch rec'; complete -C'repository-dispatch receive --sc'",
            fish_script.display()
        ),
    );
    assert_eq!(
        completed,
        "--event-type\tthe event type the receiving workflow listens for (1-100 characters)\n--wait\tfind the run each dispatch started and wait for it to finish\n--wait-timeout\thow long to wait for the run to complete (30m)\nreceive\tcheck the event that started this workflow run against a JSON Schema\n--schema\tthe JSON Schema (draft 2020-12) the payload must match, as JSON text\n--schema-file\tthe schema in a file, relative to GITHUB_WORKSPACE (else the current directory)\n"
    );
    let r = run(&[], &["man"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    // groff reads it without a warning (-ww: all of them).
    let page = dir.path().join("repository-dispatch.1");
    std::fs::write(&page, &r.stdout).unwrap();
    shell("sh", &format!("groff -man -ww -z '{}'", page.display()));
}

#[tokio::test]
async fn typos_get_the_nearest_option() {
    for (args, says) in [
        (
            &["--event_type", "x"][..],
            "--event_type is not an option of repository-dispatch: did you mean --event-type? see --help",
        ),
        (
            &["-R", "octo/deploy"][..],
            "-R is not an option of repository-dispatch: did you mean --repository? see --help",
        ),
        (
            &["-r", "octo/deploy", "-e", "-n"][..],
            "--event-type needs a value, but the next argument starts with '-' like an option; to give a value that starts with '-', attach it: --event-type=VALUE",
        ),
        (
            &["--payload", "{}"][..],
            "--payload is not an option of repository-dispatch: did you mean --client-payload? see --help",
        ),
        (
            &["--client_payload", "{}"][..],
            "--client_payload is not an option of repository-dispatch: did you mean --client-payload? see --help",
        ),
        (
            &["--repo", "octo/deploy"][..],
            "--repo is not an option of repository-dispatch: did you mean --repository? see --help",
        ),
        (
            &["--event", "x"][..],
            "--event is not an option of repository-dispatch: did you mean --event-type? see --help",
        ),
        (
            &["-w", "deploy.yml", "-ref", "main"][..],
            "-ref is not an option: did you mean --ref? in a cluster of short options only the last may take a value",
        ),
    ] {
        let r = run(&[], args).await;
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    // A cluster of a switch and an option with a value: a dry run.
    let r = run(&[], &["-nr", "octo/deploy", "-ne", "trigger-deploy"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("POST https://api.github.com/repos/octo/deploy/dispatches"),
        "{}",
        r.stdout
    );
}

#[tokio::test]
async fn help_version_and_bad_flags() {
    // Every command the help lists reaches its flow (main.rs routes by the
    // first argument): none is read as a sender's stray value.
    for c in repository_dispatch::internals::spec::SUBCOMMANDS {
        let args: &[&str] = match c.name {
            "completions" => &["completions", "bash"],
            "receive" => &["receive", "--help"],
            name => &[name][..],
        };
        let r = run(&[], args).await;
        assert_eq!(r.code, 0, "{}: {r:?}", c.name);
        assert!(!r.stderr.contains("is not an option"), "{}: {r:?}", c.name);
    }
    let r = run(&[], &["--help"]).await;
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("--client-payload-file PATH"),
        "{}",
        r.stdout
    );
    // The help names what the binary can do besides a run, and `help` is
    // `--help` (`help receive` the receiving step's).
    assert!(
        r.stdout.starts_with(
            "repository-dispatch: send repository_dispatch and workflow_dispatch events"
        ),
        "{}",
        r.stdout
    );
    for command in [
        "\n  receive (--schema JSON | --schema-file PATH) [OPTIONS]\n",
        "\n  revoke                          revoke the GitHub App tokens a cancelled step left in GITHUB_STATE:\n",
        "\n  completions bash|zsh|fish       print a shell completion script\n",
        "\n  man                             print the man page (roff)\n",
        "\n  help [receive]  ",
    ] {
        assert!(r.stdout.contains(command), "{command:?}: {}", r.stdout);
    }
    let help = run(&[], &["help"]).await;
    assert_eq!((help.code, &help.stdout), (0, &r.stdout), "{help:?}");
    let receive_help = run(&[], &["receive", "--help"]).await;
    assert!(
        receive_help
            .stdout
            .starts_with("Usage: repository-dispatch receive"),
        "{receive_help:?}"
    );
    let help = run(&[], &["help", "receive"]).await;
    assert_eq!(
        (help.code, &help.stdout),
        (0, &receive_help.stdout),
        "{help:?}"
    );
    let r = run(&[], &["-V"]).await;
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            concat!("repository-dispatch ", env!("CARGO_PKG_VERSION"), "\n")
        )
    );
    let r = run(&[], &["--token", TOKEN]).await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--token is not accepted"), "{}", r.stderr);
    assert!(!r.everything().contains(TOKEN));
    // A token pasted as a bare argument, or in a flag value that is not UTF-8,
    // is not echoed.
    let r = run(&[], &[TOKEN]).await;
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("an argument of 40 characters is not an option"),
        "{}",
        r.stderr
    );
    assert!(!r.everything().contains(TOKEN));
    let mut bad = format!("--token={TOKEN}").into_bytes();
    bad.push(0xff);
    let said = run_raw_arg(bad).await;
    assert!(said.contains("--token=... is not valid UTF-8"), "{said}");
    assert!(!said.contains(TOKEN));
    let r = run(&[], &["--nope"]).await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--nope is not an option"), "{}", r.stderr);
}

/// Runs the binary with one argument that is not UTF-8; returns what it printed.
async fn run_raw_arg(arg: Vec<u8>) -> String {
    use std::os::unix::ffi::OsStringExt as _;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"))
        .env_clear()
        .arg(std::ffi::OsString::from_vec(arg))
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}
