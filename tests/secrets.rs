//! The token never reaches any output: every path (success, each error
//! answer, transport faults, invalid inputs, waiting for a run) runs with a
//! distinctive token and `RUNNER_DEBUG=1`, in Actions and in a terminal, and
//! everything written (stdout, stderr, `GITHUB_OUTPUT`, the step summary) is
//! scanned.

mod common;

use common::{Fault, RawServer, TOKEN, actions_env, any_post_api, refused_url, run, set};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A fake GitHub answering every `POST`, whatever its path, with `status`,
/// `body` and `headers`: a redirect's target answers the same (a loop).
async fn answering(status: u16, body: &str, headers: &[(&str, &str)]) -> MockServer {
    let mut t =
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json");
    for (k, v) in headers {
        t = t.insert_header(*k, *v);
    }
    any_post_api(vec![t]).await
}

/// A repository whose only run is not ours: the discovery path runs, polls
/// and ends in its "not found" error, all with the token in play.
async fn with_run() -> MockServer {
    let server = any_post_api(vec![ResponseTemplate::new(204)]).await;
    Mock::given(method("GET"))
        .and(path_regex(r"/actions/runs$"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            br#"{"total_count":1,"workflow_runs":[{"id":7,"display_title":"other","status":"completed","conclusion":"success","html_url":"https://github.com/octo/deploy/actions/runs/7"}]}"#.to_vec(),
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

/// Variables to set (`None` removes one) for one path.
type Changes = Vec<(&'static str, Option<String>)>;

/// Every path to run, with the servers that must outlive the runs.
struct Paths {
    list: Vec<(String, Changes)>,
    _mocks: Vec<MockServer>,
    _raw: Vec<RawServer>,
}

fn changes(pairs: &[(&'static str, &str)]) -> Changes {
    pairs
        .iter()
        .map(|(k, v)| (*k, Some((*v).to_owned())))
        .collect()
}

async fn paths() -> Paths {
    let mut list = Vec::new();
    let mut mocks = Vec::new();
    for (status, body, headers) in [
        (204, "", vec![]),
        (
            401,
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
            vec![],
        ),
        (
            403,
            r#"{"message":"Resource not accessible by integration"}"#,
            vec![],
        ),
        (404, r#"{"message":"Not Found"}"#, vec![]),
        (
            422,
            r#"{"message":"Validation Failed","errors":[{"field":"client_payload","code":"invalid"}]}"#,
            vec![],
        ),
        (429, "{}", vec![("retry-after", "1")]),
        (
            403,
            r#"{"message":"API rate limit exceeded"}"#,
            vec![
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "4102444800"),
            ],
        ),
        (502, "<html><title>Bad Gateway</title></html>", vec![]),
        (307, "", vec![("location", "/elsewhere")]),
    ] {
        let server = answering(status, body, &headers).await;
        list.push((
            server.uri(),
            changes(&[
                ("INPUT_RETRIES", "1"),
                ("REPOSITORY_DISPATCH_TIME_SCALE", "0.01"),
            ]),
        ));
        mocks.push(server);
    }
    let waiting = with_run().await;
    list.push((
        waiting.uri(),
        changes(&[
            ("INPUT_WAIT-FOR-RUN", "true"),
            ("INPUT_DISCOVERY-TIMEOUT", "2s"),
            ("REPOSITORY_DISPATCH_TIME_SCALE", "0.1"),
        ]),
    ));
    mocks.push(waiting);
    let reset = RawServer::start(Fault::ResetMidResponse).await;
    list.push((reset.url(), vec![]));
    let hang = RawServer::start(Fault::Hang).await;
    list.push((hang.url(), changes(&[("INPUT_TIMEOUT", "1s")])));
    list.push((
        refused_url().await,
        changes(&[("REPOSITORY_DISPATCH_TIME_SCALE", "0.01")]),
    ));
    // Invalid inputs, the token among them.
    let spaced = format!("{TOKEN} trailing");
    let broken = format!("{TOKEN}\nS3condPartOfT0ken");
    for extra in [
        changes(&[("INPUT_TOKEN", &spaced)]),
        changes(&[("INPUT_TOKEN", &broken)]),
        changes(&[("INPUT_REPOSITORY", "o")]),
        changes(&[("INPUT_CLIENT-PAYLOAD", "{'a': 1}")]),
        changes(&[("GITHUB_OUTPUT", "/nonexistent/out")]),
    ] {
        list.push((mocks[0].uri(), extra));
    }
    Paths {
        list,
        _mocks: mocks,
        _raw: vec![reset, hang],
    }
}

#[tokio::test]
async fn the_token_appears_in_no_output_on_any_path() {
    let paths = paths().await;
    assert_eq!(paths.list.len(), 18, "every path above is run");
    for (api, extra) in &paths.list {
        for in_actions in [true, false] {
            let mut env = actions_env(api);
            set(&mut env, &[("RUNNER_DEBUG", Some("1"))]);
            let extra: Vec<(&str, Option<&str>)> =
                extra.iter().map(|(k, v)| (*k, v.as_deref())).collect();
            set(&mut env, &extra);
            if !in_actions {
                set(&mut env, &[("GITHUB_ACTIONS", None)]);
            }
            let r = run(&env, &[]).await;
            if in_actions {
                r.assert_no_token();
                assert!(
                    r.stdout.starts_with("::add-mask::"),
                    "the mask comes first: {}",
                    r.stdout
                );
            } else {
                assert!(
                    !r.everything().contains(TOKEN),
                    "{api} {extra:?}: the token was printed: {r:?}"
                );
                assert!(
                    !r.everything().contains("S3condPartOfT0ken"),
                    "a piece of a broken token was printed"
                );
            }
        }
    }
}

/// How many consecutive characters of a secret may never show.
const WINDOW: usize = 12;

/// One leak check: `secrets` must show no piece of [`WINDOW`]
/// characters anywhere a person or a later step sees, in any reading; the
/// echo must have reached each place (`label` shows), so that the check is
/// not passed by saying nothing.
fn no_piece_shown(r: &common::Run, secrets: &[String], in_actions: bool, what: &str) {
    let shown = common::shown(r);
    let places = [
        ("the log", if in_actions { &r.stdout } else { &r.stderr }),
        ("GITHUB_OUTPUT", &r.output),
        ("the step summary", &r.summary),
    ];
    for (place, text) in places {
        assert!(
            text.contains("base64 1: "),
            "{what}: the echo never reached {place}: {r:?}"
        );
    }
    assert!(!secrets.is_empty(), "{what}: no secret to look for");
    for secret in secrets {
        assert!(secret.len() >= 20, "{what}: {secret} is no long secret");
        // The check itself sees every encoding the fake echoes.
        for (label, echo) in common::echoes(secret) {
            assert!(
                !common::pieces_shown(&echo, secret, WINDOW, 0).is_empty(),
                "{what}: the check cannot read the {label} echo"
            );
        }
        let pieces = common::pieces_shown(&shown, secret, WINDOW, 0);
        assert!(
            pieces.is_empty(),
            "{what}: pieces of a secret shown: {pieces:?} in {shown}"
        );
    }
}

/// A server (or a proxy) that echoes the credential it was sent, split
/// across lines, in base64 at every alignment, percent-encoded, as HTML
/// character references or JSON escapes: no 12 characters of the given
/// token, of an installation token or of the App's JWT (which cannot be
/// revoked) show in the log, the `results` output or the step summary.
#[tokio::test]
async fn encoded_echoes_of_a_credential_show_no_piece_of_it() {
    use common::app::{AppConfig, Endpoint, Installation, app_api, app_key};
    let dir = tempfile::tempdir().unwrap();
    let key = app_key(dir.path());
    let all = [
        ("contents", "write"),
        ("actions", "write"),
        ("metadata", "read"),
    ];
    let echoed: Vec<String> = common::echoes(TOKEN)
        .into_iter()
        .map(|(label, text)| format!("{label}: {text}"))
        .collect();
    let body = serde_json::json!({
        "message": format!("Your request, echoed:\n{}", echoed.join("\n")),
        "documentation_url": "https://docs.github.com/rest",
    })
    .to_string();
    let token_api = answering(422, &body, &[]).await;
    for in_actions in [true, false] {
        // The given token, echoed by the dispatch endpoint.
        let mut env = actions_env(&token_api.uri());
        if !in_actions {
            set(&mut env, &[("GITHUB_ACTIONS", None)]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "{r:?}");
        no_piece_shown(&r, &[TOKEN.to_owned()], in_actions, "the given token");

        // The App's JWT, echoed by a refused token request (org-two), and
        // an installation token, echoed by a refused dispatch (org-one).
        let mut config = AppConfig::new(
            &key.public_der,
            vec![
                Installation::new(11, "org-one", &["deployments"], &all),
                Installation::new(22, "org-two", &["deployments"], &all),
            ],
        );
        config.echo_credentials = true;
        config.faults = vec![common::app::Fault::new(
            Endpoint::Mint,
            422,
            "Validation Failed",
            None,
        )];
        config.failing_dispatch = vec!["org-one/deployments".to_owned()];
        let fake = app_api(config).await;
        let mut env = actions_env(&fake.uri());
        set(
            &mut env,
            &[
                ("INPUT_CLIENT-ID", Some(common::app::CLIENT_ID)),
                ("INPUT_PRIVATE-KEY", Some(&key.pkcs1_pem)),
                (
                    "INPUT_REPOSITORY",
                    Some("org-two/deployments\norg-one/deployments"),
                ),
            ],
        );
        if !in_actions {
            set(&mut env, &[("GITHUB_ACTIONS", None)]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "{r:?}");
        let mut secrets: Vec<String> = fake.jwts().into_iter().map(|j| j.jwt).collect();
        secrets.extend(fake.issued_tokens());
        assert_eq!(fake.issued_tokens().len(), 1, "{r:?}");
        no_piece_shown(&r, &secrets, in_actions, "the App's credentials");
    }
}

/// The characters every RSA key of a size begins with (`MIIEpAIBAAKCAQEA`,
/// `MIIEvQIBADANBgkq`): no secret.
const KEY_PUBLIC_PREFIX: usize = 16;

/// A private key pasted into the wrong input (whole, with its armour, into
/// the repository, the event type, the payload, the workflow or the ref; one
/// of its lines into the repository while the key is given too; one line as
/// `--private-key-file`) shows no 16 characters of its body anywhere.
#[tokio::test]
async fn a_private_key_in_the_wrong_place_shows_no_piece_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = common::app::app_key(dir.path());
    let api = any_post_api(vec![ResponseTemplate::new(204)]).await;
    let client_id = common::app::CLIENT_ID;
    for pem in [&key.pkcs1_pem, &key.pkcs8_pem] {
        let lines: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let body = lines.concat();
        assert!(
            !common::pieces_shown(pem, &body, 16, KEY_PUBLIC_PREFIX).is_empty(),
            "the check sees the key itself"
        );
        let escaped = pem.trim_end().replace('\n', "\\n");
        let payload = serde_json::json!({ "key": pem }).to_string();
        // (what, variables, arguments, in Actions)
        let mut cases: Vec<(String, Changes, Vec<&str>, bool)> = vec![
            (
                "repository".into(),
                changes(&[("INPUT_REPOSITORY", pem)]),
                vec![],
                true,
            ),
            ("-r".into(), vec![], vec!["-r", pem], false),
            (
                "escaped".into(),
                changes(&[("INPUT_REPOSITORY", &escaped)]),
                vec![],
                true,
            ),
            (
                "event-type".into(),
                changes(&[("INPUT_EVENT-TYPE", pem)]),
                vec![],
                true,
            ),
            (
                "payload".into(),
                changes(&[("INPUT_CLIENT-PAYLOAD", pem)]),
                vec![],
                true,
            ),
            (
                "in a payload".into(),
                changes(&[("INPUT_CLIENT-PAYLOAD", &payload)]),
                vec![],
                true,
            ),
            (
                "workflow".into(),
                changes(&[("INPUT_WORKFLOW", pem), ("INPUT_REF", "main")]),
                vec![],
                true,
            ),
            (
                "ref".into(),
                changes(&[("INPUT_WORKFLOW", "deploy.yml"), ("INPUT_REF", pem)]),
                vec![],
                true,
            ),
        ];
        for (i, line) in lines.iter().enumerate() {
            if line.len() < 16 {
                continue;
            }
            cases.push((
                format!("line {i} as the repository, the key given"),
                changes(&[
                    ("INPUT_REPOSITORY", line),
                    ("INPUT_CLIENT-ID", client_id),
                    ("INPUT_PRIVATE-KEY", pem),
                ]),
                vec![],
                true,
            ));
            cases.push((
                format!("line {i} as --private-key-file"),
                vec![],
                vec!["--client-id", client_id, "--private-key-file", line],
                false,
            ));
        }
        for (what, extra, args, in_actions) in &cases {
            let mut env = actions_env(&api.uri());
            let extra: Vec<(&str, Option<&str>)> =
                extra.iter().map(|(k, v)| (*k, v.as_deref())).collect();
            set(&mut env, &extra);
            if !in_actions {
                set(&mut env, &[("GITHUB_ACTIONS", None)]);
            }
            let r = run(&env, args).await;
            // Refused (2), or, for a line that happens to read as OWNER/NAME,
            // failed (1).
            assert_ne!(r.code, 0, "{what}: {r:?}");
            let shown = common::shown(&r);
            let pieces = common::pieces_shown(&shown, &body, 16, KEY_PUBLIC_PREFIX);
            assert!(
                pieces.is_empty(),
                "{what}: pieces of the key shown: {pieces:?} in {shown}"
            );
        }
    }
}
