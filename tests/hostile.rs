//! Hostile input: every case exits 2 with one clear `::error::` naming the
//! input, sends no request, does not panic and prints no token.

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;

use common::{TOKEN, actions_env, no_content_api, run_os, set};
use wiremock::MockServer;

/// A case: the variables to change (`None` removes one), the input the error
/// must name, and a fragment its message must hold.
struct Case {
    name: &'static str,
    env: Vec<(&'static str, Option<String>)>,
    raw: Vec<(&'static str, Vec<u8>)>,
    /// Sent on standard input with `--client-payload-file -`: Linux refuses a
    /// single environment variable over 128 KiB.
    stdin: Option<String>,
    input: &'static str,
    says: &'static str,
}

fn case(
    name: &'static str,
    var: &'static str,
    value: &str,
    input: &'static str,
    says: &'static str,
) -> Case {
    Case {
        name,
        env: vec![(var, Some(value.to_owned()))],
        raw: vec![],
        stdin: None,
        input,
        says,
    }
}

fn payload(name: &'static str, value: &str, says: &'static str) -> Case {
    case(name, "INPUT_CLIENT-PAYLOAD", value, "client-payload", says)
}

fn event(name: &'static str, value: &str, says: &'static str) -> Case {
    case(name, "INPUT_EVENT-TYPE", value, "event-type", says)
}

fn repo(name: &'static str, value: &str, says: &'static str) -> Case {
    case(name, "INPUT_REPOSITORY", value, "repository", says)
}

fn properties(n: usize) -> String {
    let members: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
    format!("{{{}}}", members.join(", "))
}

/// A payload of exactly `bytes` bytes once compacted: `{"a":"xxx..."}`.
fn sized(bytes: usize) -> String {
    format!("{{\"a\":\"{}\"}}", "x".repeat(bytes - 8))
}

#[allow(clippy::too_many_lines)] // a table, one line per case
fn cases() -> Vec<Case> {
    vec![
        payload("single quotes", "{'image_tag': 'v1'}", "double quotes"),
        payload(
            "single quotes around JSON",
            "'{\"a\": 1}'",
            "single quotes around",
        ),
        payload("trailing comma", "{\"a\": 1,}", "trailing comma"),
        payload(
            "trailing comma in array",
            "{\"a\": [1, 2,]}",
            "trailing comma",
        ),
        payload(
            "unquoted keys",
            "{image_tag: \"v1\"}",
            "keys must be in double quotes",
        ),
        payload("line comment", "{\"a\": 1 // note\n}", "no comments"),
        payload("block comment", "{/* c */ \"a\": 1}", "no comments"),
        payload("NaN", "{\"a\": NaN}", "no NaN"),
        payload("Infinity", "{\"a\": Infinity}", "no NaN or Infinity"),
        payload("byte-order mark", "\u{feff}{\"a\": 1}", "byte-order mark"),
        payload("lone closing brace", "}", "line 1, column 1"),
        payload("unterminated", "{\"a\": {\"b\": 1}", "ends early"),
        payload("two objects", "{\"a\": 1}{\"b\": 2}", "more text after"),
        payload(
            "raw newline in string",
            "{\"msg\": \"line one\nline two\"}",
            "toJSON",
        ),
        payload(
            "raw tab in string",
            "{\"msg\": \"a\tb\"}",
            "raw line break or tab",
        ),
        payload("empty", "", "client-payload is empty"),
        payload("whitespace only", "  \n\t  ", "client-payload is empty"),
        payload("array", "[1, 2, 3]", "an array"),
        payload("string", "\"{\\\"a\\\": 1}\"", "encoded twice"),
        payload("number", "42", "a number"),
        payload("null", "null", "null"),
        payload("boolean", "true", "a boolean"),
        payload("11 properties", &properties(11), "11 top-level properties"),
        payload("duplicate key", "{\"a\": 1, \"a\": 2}", "more than once"),
        payload("exactly 65,535 bytes", &sized(65_535), "65535 bytes"),
        Case {
            name: "100 000 levels of nesting",
            env: vec![("INPUT_CLIENT-PAYLOAD", None)],
            raw: vec![],
            stdin: Some(format!(
                "{{\"a\":{}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )),
            input: "client-payload",
            says: "nested more than 128",
        },
        Case {
            name: "invalid UTF-8 payload",
            env: vec![("INPUT_CLIENT-PAYLOAD", None)],
            raw: vec![("INPUT_CLIENT-PAYLOAD", b"{\"a\": \"\xff\xfe\"}".to_vec())],
            stdin: None,
            input: "client-payload",
            says: "not valid UTF-8",
        },
        Case {
            name: "invalid UTF-8 event type",
            env: vec![("INPUT_EVENT-TYPE", None)],
            raw: vec![("INPUT_EVENT-TYPE", b"deploy\xc3".to_vec())],
            stdin: None,
            input: "event-type",
            says: "not valid UTF-8",
        },
        event(
            "empty event type",
            "",
            "event-type is required but is not set (or is empty)",
        ),
        event("101 characters", &"e".repeat(101), "101 characters"),
        event("newline", "deploy\nnow", "line feed"),
        event("carriage return", "deploy\rnow", "carriage return"),
        event("control character", "deploy\u{7}", "U+0007"),
        event("escape sequence", "deploy\u{1b}[31m", "U+001B"),
        repo("owner only", "o", "1 part"),
        repo("no owner", "/r", "empty owner"),
        repo("no name", "o/", "empty name"),
        repo("three parts", "o/r/x", "3 parts"),
        repo("space", "o r/x", "a space"),
        repo("dot-dot owner", "../x", "owner '..'"),
        repo("dot name", "o/.", "name '.'"),
        repo("percent-encoded", "%2e%2e/x", "owner '%2e%2e'"),
        repo(
            "URL",
            "https://github.com/octo/deploy",
            "here 'octo/deploy'",
        ),
        repo("empty repository", "", "repository is empty"),
        repo("one bad among many", "octo/a\nocto/b/c\nocto/d", "3 parts"),
        case(
            "token with a space",
            "INPUT_TOKEN",
            &format!("{TOKEN} extra"),
            "token",
            "whitespace",
        ),
        case(
            "token with a newline",
            "INPUT_TOKEN",
            &format!("{TOKEN}\nsecond-line"),
            "token",
            "whitespace",
        ),
        case(
            "token with non-ASCII",
            "INPUT_TOKEN",
            &format!("{TOKEN}é"),
            "token",
            "printable ASCII",
        ),
        case(
            "empty token",
            "INPUT_TOKEN",
            "",
            "token",
            "pull request from a fork",
        ),
        case(
            "API URL not a URL",
            "GITHUB_API_URL",
            "api.github.com",
            "GITHUB_API_URL",
            "not a URL",
        ),
        case(
            "API URL scheme",
            "GITHUB_API_URL",
            "ftp://api.example.com",
            "GITHUB_API_URL",
            "scheme 'ftp'",
        ),
        case(
            "API URL plain http",
            "GITHUB_API_URL",
            "http://ghe.example.com/api/v3",
            "GITHUB_API_URL",
            "unencrypted",
        ),
        case(
            "API URL credentials",
            "GITHUB_API_URL",
            "https://user:pass@ghe.example.com",
            "GITHUB_API_URL",
            "credentials",
        ),
        case(
            "API URL empty",
            "GITHUB_API_URL",
            "",
            "GITHUB_API_URL",
            "set but empty",
        ),
        case(
            "API URL non-ASCII host",
            "GITHUB_API_URL",
            "https://Bücher.example/api/v3",
            "GITHUB_API_URL",
            "not ASCII",
        ),
        case(
            "API URL percent-escapes",
            "GITHUB_API_URL",
            "https://B%C3%BCcher.example",
            "GITHUB_API_URL",
            "percent-escape",
        ),
        case(
            "API URL odd host",
            "GITHUB_API_URL",
            "https:*/x",
            "GITHUB_API_URL",
            "not a host name",
        ),
        case(
            "unwritable GITHUB_OUTPUT",
            "GITHUB_OUTPUT",
            "/nonexistent/file_commands/set_output_x",
            "GITHUB_OUTPUT",
            "nothing was sent",
        ),
        case(
            "timeout zero",
            "INPUT_TIMEOUT",
            "0",
            "timeout",
            "at least 1s",
        ),
        case(
            "timeout words",
            "INPUT_TIMEOUT",
            "ten minutes",
            "timeout",
            "not a duration",
        ),
        case(
            "retries negative",
            "INPUT_RETRIES",
            "-1",
            "retries",
            "0 to 10",
        ),
        case(
            "boolean typo",
            "INPUT_WAIT-FOR-RUN",
            "yes",
            "wait-for-run",
            "true or false",
        ),
        case(
            "bad dispatch-id-key",
            "INPUT_DISPATCH-ID-KEY",
            "a.b",
            "dispatch-id-key",
            "property name",
        ),
        Case {
            name: "no room for the dispatch id",
            env: vec![
                ("INPUT_WAIT-FOR-RUN", Some("true".into())),
                ("INPUT_CLIENT-PAYLOAD", Some(properties(10))),
            ],
            raw: vec![],
            stdin: None,
            input: "client-payload",
            says: "wait-for-run adds 'dispatch_id'",
        },
    ]
}

#[tokio::test]
async fn hostile_inputs_are_refused_before_any_request() {
    let server = no_content_api().await;
    let cases = cases();
    assert!(cases.len() >= 40, "the table holds {} cases", cases.len());
    for c in cases {
        let mut env = actions_env(&server.uri());
        set(&mut env, &[("RUNNER_DEBUG", Some("1"))]);
        for (k, v) in &c.env {
            set(&mut env, &[(k, v.as_deref())]);
        }
        let raw: Vec<(OsString, Option<OsString>)> = c
            .raw
            .iter()
            .map(|(k, v)| (OsString::from(k), Some(OsString::from_vec(v.clone()))))
            .collect();
        let args: &[&str] = if c.stdin.is_some() {
            &["--client-payload-file", "-"]
        } else {
            &[]
        };
        let r = run_os(&env, &raw, args, c.stdin.as_ref().map(String::as_bytes)).await;
        assert_eq!(r.code, 2, "{}: {r:?}", c.name);
        let errors = r.errors();
        assert_eq!(
            errors.len(),
            1,
            "{}: one annotation, got {errors:?}",
            c.name
        );
        assert!(
            errors[0].starts_with(&format!("::error title=Invalid input%3A {}::", c.input)),
            "{}: {}",
            c.name,
            errors[0]
        );
        let says = c.says.replace('%', "%25").replace('\n', "%0A");
        assert!(
            errors[0].contains(&says),
            "{}: '{}' lacks '{}'",
            c.name,
            errors[0],
            c.says
        );
        r.assert_no_token();
        assert!(
            r.output.is_empty(),
            "{}: outputs written: {}",
            c.name,
            r.output
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "a hostile input was sent"
    );
}

#[tokio::test]
async fn one_byte_under_the_size_limit_is_sent() {
    let server = no_content_api().await;
    let mut env = actions_env(&server.uri());
    set(&mut env, &[("INPUT_CLIENT-PAYLOAD", Some(&sized(65_534)))]);
    let r = run_os(&env, &[], &[], None).await;
    assert_eq!(r.code, 0, "{r:?}");
    let body = &server.received_requests().await.unwrap()[0].body;
    let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(sent["client_payload"].to_string().len(), 65_534);
    common::assert_matches_contract(body);
}

#[tokio::test]
async fn several_invalid_inputs_get_one_annotation_each() {
    let server = MockServer::start().await;
    let mut env = actions_env(&server.uri());
    set(
        &mut env,
        &[
            ("INPUT_REPOSITORY", Some("o")),
            ("INPUT_EVENT-TYPE", Some("")),
            ("INPUT_CLIENT-PAYLOAD", Some("[]")),
        ],
    );
    let r = run_os(&env, &[], &[], None).await;
    assert_eq!(r.code, 2);
    let titles: Vec<&str> = r
        .errors()
        .iter()
        .map(|l| l.split("::").nth(1).unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "error title=Invalid input%3A repository",
            "error title=Invalid input%3A event-type",
            "error title=Invalid input%3A client-payload"
        ]
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
