//! Faults injected by a fake GitHub: each test asserts the exit code, the
//! message and exactly how many requests arrived. A dispatch is not
//! idempotent, so a second request is only ever sent when GitHub surely did
//! not act on the first.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{
    Fault, RawServer, Run, TOKEN, actions_env, any_post_api, dispatch_api, json, refused_url, run,
    set,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECONDARY: &str = r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID DBE1:2B3C:1A2B3C:4D5E6F:12345678.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}"#;
const PRIMARY: &str = r#"{"message":"API rate limit exceeded for user ID 1234567. If you reach out to GitHub Support for help, please include the request ID DBE1:2B3C:1A2B3C:4D5E6F:12345678.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}"#;

async fn dispatch(api: &str, extra: &[(&str, Option<&str>)]) -> Run {
    let mut env = actions_env(api);
    set(&mut env, &[("RUNNER_DEBUG", Some("1"))]);
    set(&mut env, extra);
    let r = run(&env, &[]).await;
    r.assert_no_token();
    r
}

fn assert_error(r: &Run, code: i32, parts: &[&str]) {
    assert_eq!(r.code, code, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    for part in parts {
        assert!(errors[0].contains(part), "'{}' lacks '{part}'", errors[0]);
    }
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

const FAST: (&str, Option<&str>) = ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.01"));

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let r = dispatch(&refused_url().await, &[FAST]).await;
    assert_error(
        &r,
        1,
        &[
            "title=Could not connect::",
            "could not connect to 127.0.0.1",
            // The innermost cause, without the URL reqwest adds.
            "(client error (Connect): tcp connect error: Connection refused (os error 111)); nothing was sent",
            "gave up after 4 attempts",
        ],
    );
    let retries: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("before attempt"))
        .collect();
    assert_eq!(retries.len(), 3, "{retries:?}");
    assert!(
        retries[0].starts_with("octo/deploy: could not connect; waiting 1"),
        "{}",
        retries[0]
    );
    assert!(
        retries[2].ends_with("before attempt 4 of 4"),
        "{}",
        retries[2]
    );
    let results = r.results();
    assert_eq!(results[0]["attempts"], 4);
    assert_eq!(results[0]["http_status"], serde_json::Value::Null);
}

#[tokio::test]
async fn no_retries_means_one_attempt() {
    let r = dispatch(&refused_url().await, &[("INPUT_RETRIES", Some("0"))]).await;
    assert_error(&r, 1, &["gave up after 1 attempts"]);
    assert!(!r.stdout.contains("before attempt"));
}

#[tokio::test]
async fn reset_mid_response_is_ambiguous_and_not_retried() {
    let fake = RawServer::start(Fault::ResetMidResponse).await;
    let r = dispatch(&fake.url(), &[FAST]).await;
    assert_error(
        &r,
        1,
        &[
            "title=No answer::",
            "may or may not have been created",
            "Actions tab",
        ],
    );
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_ends_within_the_deadline() {
    let fake = RawServer::start(Fault::Hang).await;
    let r = dispatch(&fake.url(), &[("INPUT_TIMEOUT", Some("2s"))]).await;
    assert_error(
        &r,
        1,
        &[
            "no complete answer from 127.0.0.1",
            "within 2s",
            "may or may not have been created",
        ],
    );
    assert_eq!(fake.count(), 1);
    assert!(r.elapsed < Duration::from_secs(10), "took {:?}", r.elapsed);
}

#[tokio::test]
async fn a_request_cut_short_by_the_deadline_says_so() {
    // (fault, timeout, what the error says, whether it says the request was
    // cut short): a request gets at most 30s, and less only when less is left.
    let note = "(the request had only what was left of timeout 20s)";
    let hang = RawServer::start(Fault::Hang).await;
    for (url, timeout, says, cut_short) in [
        (hang.url(), "20s", "title=No answer::", true),
        (
            hang.url(),
            "10m",
            "within 30s: the dispatch may or may not have been created",
            false,
        ),
        // 10m: at this scale 20s are 200 ms, which four connection attempts
        // on a busy machine can outlast.
        (
            refused_url().await,
            "10m",
            "gave up after 4 attempts",
            false,
        ),
    ] {
        let r = dispatch(&url, &[FAST, ("INPUT_TIMEOUT", Some(timeout))]).await;
        assert_error(&r, 1, &[says]);
        let error = r.errors()[0];
        assert_eq!(error.ends_with(note), cut_short, "{timeout}: {error}");
        assert_eq!(error.contains("the request had only"), cut_short, "{error}");
    }
    assert_eq!(hang.count(), 2);
}

#[tokio::test]
async fn each_rate_limit_without_a_time_doubles_the_wait() {
    let server = dispatch_api(vec![
        json(403, SECONDARY),
        json(403, SECONDARY),
        ResponseTemplate::new(204),
    ])
    .await;
    let r = dispatch(&server.uri(), &[FAST]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(count(&server).await, 3);
    let waits: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix("octo/deploy: rate limited by GitHub (secondary rate limit); waiting ")
        })
        .collect();
    assert_eq!(waits.len(), 2, "{}", r.stdout);
    // A minute, then two (each with up to a tenth of jitter).
    assert!(
        waits[0].starts_with("1m") && waits[0].ends_with(" before attempt 2 of 4"),
        "{}",
        waits[0]
    );
    assert!(
        waits[1].starts_with("2m") && waits[1].ends_with(" before attempt 3 of 4"),
        "{}",
        waits[1]
    );
}

#[tokio::test]
async fn server_errors_without_the_opt_in_are_reported_once() {
    for status in [500, 502, 503] {
        let server = dispatch_api(vec![
            json(status, r#"{"message":"Server Error"}"#),
            ResponseTemplate::new(204),
        ])
        .await;
        let r = dispatch(&server.uri(), &[FAST]).await;
        assert_error(
            &r,
            1,
            &[
                &format!("title=Server error ({status})::"),
                "may or may not have been created",
                "retry-on-server-error: true",
            ],
        );
        assert_eq!(count(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn server_errors_with_the_opt_in_are_retried_and_say_so() {
    for status in [502, 503, 504] {
        let server = dispatch_api(vec![
            json(status, r#"{"message":"Server Error"}"#),
            ResponseTemplate::new(204),
        ])
        .await;
        let r = dispatch(
            &server.uri(),
            &[FAST, ("INPUT_RETRY-ON-SERVER-ERROR", Some("true"))],
        )
        .await;
        assert_eq!(r.code, 0, "{status}: {r:?}");
        assert_eq!(count(&server).await, 2, "{status}");
        assert!(
            r.stdout.contains(&format!("octo/deploy: GitHub answered {status}; retrying because retry-on-server-error is true (the dispatch may arrive twice); waiting 2")),
            "{}",
            r.stdout
        );
    }
    // 500 is not in the opt-in: it is reported at once.
    let server = dispatch_api(vec![json(500, "{}"), ResponseTemplate::new(204)]).await;
    let r = dispatch(
        &server.uri(),
        &[FAST, ("INPUT_RETRY-ON-SERVER-ERROR", Some("true"))],
    )
    .await;
    assert_error(&r, 1, &["Server error (500)"]);
    assert_eq!(count(&server).await, 1);
    // A 503 that persists is given up after retries + 1 attempts.
    let server = dispatch_api(vec![json(503, "{}")]).await;
    let r = dispatch(
        &server.uri(),
        &[
            FAST,
            ("INPUT_RETRY-ON-SERVER-ERROR", Some("true")),
            ("INPUT_RETRIES", Some("2")),
        ],
    )
    .await;
    assert_error(&r, 1, &["gave up after 3 attempts"]);
    assert_eq!(count(&server).await, 3);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_waits_and_succeeds() {
    let server = dispatch_api(vec![
        json(429, r#"{"message":"Too Many Requests"}"#).insert_header("retry-after", "1"),
        ResponseTemplate::new(204),
    ])
    .await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(count(&server).await, 2);
    assert!(
        r.elapsed >= Duration::from_secs(1),
        "waited only {:?}",
        r.elapsed
    );
    assert!(
        r.stdout
            .contains("octo/deploy: rate limited by GitHub (secondary rate limit); waiting 1"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("before attempt 2 of 4"), "{}", r.stdout);
    assert!(
        r.summary
            .contains("| octo/deploy | ✅ dispatched (204) | 2 |"),
        "{}",
        r.summary
    );
}

#[tokio::test]
async fn secondary_limit_without_retry_after_waits_a_minute() {
    let server = dispatch_api(vec![json(403, SECONDARY), ResponseTemplate::new(204)]).await;
    let r = dispatch(&server.uri(), &[FAST]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(count(&server).await, 2);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("rate limited"))
        .unwrap();
    assert!(
        line.starts_with("octo/deploy: rate limited by GitHub (secondary rate limit); waiting 1m"),
        "{line}"
    );
}

#[tokio::test]
async fn primary_limit_resetting_too_late_fails_at_once_with_the_reset_time() {
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3630; // "in 1h0m..." even if the clock ticks on before the binary reads it
    let server = dispatch_api(vec![
        json(403, PRIMARY)
            .insert_header("x-ratelimit-limit", "5000")
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-used", "5000")
            .insert_header("x-ratelimit-reset", reset.to_string().as_str())
            .insert_header("x-ratelimit-resource", "core"),
    ])
    .await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_error(
        &r,
        1,
        &[
            "title=Rate limited (403)::",
            "API rate limit exceeded",
            "the limit resets at 20",
            "(in 1h0m",
            "longer than max-retry-wait (5m)",
        ],
    );
    assert_eq!(count(&server).await, 1);
    assert!(r.elapsed < Duration::from_secs(5), "took {:?}", r.elapsed);
}

#[tokio::test]
async fn a_wait_past_the_deadline_fails_at_once() {
    let server = dispatch_api(vec![json(429, "{}").insert_header("retry-after", "120")]).await;
    let r = dispatch(&server.uri(), &[("INPUT_TIMEOUT", Some("1m"))]).await;
    assert_error(
        &r,
        1,
        &[
            "GitHub asks to retry after 2m",
            "would pass the deadline (timeout 1m)",
        ],
    );
    assert_eq!(count(&server).await, 1);
    assert!(r.elapsed < Duration::from_secs(5));
}

#[tokio::test]
async fn refusals_are_never_retried() {
    for (status, body) in [
        (
            401,
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#,
        ),
        (
            404,
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#,
        ),
        (
            422,
            r#"{"message":"Invalid request.","documentation_url":"https://docs.github.com/rest","status":"422"}"#,
        ),
    ] {
        let server = dispatch_api(vec![json(status, body), ResponseTemplate::new(204)]).await;
        let r = dispatch(&server.uri(), &[FAST]).await;
        assert_eq!(r.code, 1, "{status}");
        assert_eq!(r.errors().len(), 1);
        assert_eq!(count(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn a_temporary_redirect_is_followed_once_with_the_body() {
    let server = dispatch_api(vec![
        ResponseTemplate::new(307).insert_header("location", "/repositories/42/dispatches"),
    ])
    .await;
    Mock::given(method("POST"))
        .and(path("/repositories/42/dispatches"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.path(), "/repositories/42/dispatches");
    assert_eq!(requests[1].body, requests[0].body);
    assert_eq!(
        requests[1]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        format!("Bearer {TOKEN}")
    );
}

#[tokio::test]
async fn a_redirect_loop_or_a_method_changing_redirect_is_not_followed() {
    let server = any_post_api(vec![
        ResponseTemplate::new(307).insert_header("location", "/again"),
    ])
    .await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_error(
        &r,
        1,
        &[
            "title=Too many redirects::",
            "redirected the request more than 3 times",
        ],
    );
    // The request and three hops; each was answered with a redirect, so none
    // was acted on.
    assert_eq!(count(&server).await, 4);

    let server = any_post_api(vec![
        ResponseTemplate::new(301).insert_header("location", "/moved"),
    ])
    .await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_error(
        &r,
        1,
        &[
            "title=Redirected (301)::",
            "301 Moved Permanently to /moved",
        ],
    );
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn an_html_error_page_from_a_proxy_is_described() {
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let server = dispatch_api(vec![
        ResponseTemplate::new(502).set_body_raw(page.as_bytes().to_vec(), "text/html"),
    ])
    .await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_error(
        &r,
        1,
        &[
            "a text/html body, not GitHub's JSON",
            "\"502 Bad Gateway\"",
            "a proxy or load balancer may be in the way",
        ],
    );
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_huge_error_body_is_read_only_in_part() {
    const SIZE: usize = 50 * 1024 * 1024;
    let fake = RawServer::start(Fault::HugeErrorBody(SIZE)).await;
    let r = dispatch(&fake.url(), &[]).await;
    assert_error(
        &r,
        1,
        &[
            "title=Server error (502)::",
            "a text/plain body",
            "body cut",
        ],
    );
    assert_eq!(fake.count(), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = fake.bytes_written.load(Ordering::SeqCst);
    assert!(
        written < 16 * 1024 * 1024,
        "the client took {written} bytes of the 50 MB body"
    );
}

/// An error body is read up to 64 KiB: one of exactly that size is read whole
/// (GitHub's JSON, however long its `errors`, still parses), one byte more is
/// cut.
#[tokio::test]
async fn an_error_body_is_read_whole_up_to_64_kib() {
    const LIMIT: usize = 64 * 1024;
    let head = r#"{"message":"Validation Failed","errors":[""#;
    let tail = r#""]}"#;
    let filler = "e".repeat(LIMIT - head.len() - tail.len() - "LAST".len());
    let body = format!("{head}{filler}LAST{tail}");
    assert_eq!(body.len(), LIMIT);
    let server = dispatch_api(vec![json(422, &body)]).await;
    let r = dispatch(&server.uri(), &[]).await;
    assert_error(&r, 1, &["Validation Failed", "LAST"]);

    for (size, cut) in [(LIMIT, false), (LIMIT + 1, true)] {
        let page = "x".repeat(size);
        let server = dispatch_api(vec![
            ResponseTemplate::new(500).set_body_raw(page.into_bytes(), "text/plain"),
        ])
        .await;
        let r = dispatch(&server.uri(), &[]).await;
        assert_eq!(r.code, 1, "{r:?}");
        assert_eq!(
            r.errors()[0].contains("body cut"),
            cut,
            "{size}: {:?}",
            r.errors()
        );
    }
}

/// An answer whose body breaks off: an error answer is still that answer (its
/// status is what GitHub said), but a success whose body is cut is no answer
/// at all, and for a dispatch that means it may or may not have been created.
#[tokio::test]
async fn a_body_cut_short_keeps_the_answer() {
    // An error answer cut short is still that answer; a write's success cut
    // short is still a success: the status says GitHub acted, so the step
    // must neither report "may or may not" nor send again.
    let cases: &[(u16, i32, &[&str])] = &[
        (
            502,
            1,
            &[
                "title=Server error (502)::",
                "a text/plain body",
                "body cut",
            ],
        ),
        (200, 0, &[]),
    ];
    for &(status, code, says) in cases {
        let fake = RawServer::start(Fault::CutBody(status)).await;
        let r = dispatch(&fake.url(), &[]).await;
        if says.is_empty() {
            assert_eq!(r.code, code, "{r:?}");
            assert!(r.errors().is_empty(), "{r:?}");
            assert!(
                r.stdout
                    .contains("dispatched 'trigger-deploy' to octo/deploy"),
                "{}",
                r.stdout
            );
        } else {
            assert_error(&r, code, says);
        }
        assert_eq!(fake.count(), 1, "{status}: never sent again");
    }
}
