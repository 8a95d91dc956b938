//! Proxies from the environment, the way users write them: a dead proxy, a
//! proxy that asks for credentials, plain http through a proxy elsewhere, and
//! `no_proxy` against curl itself as the oracle.

mod common;

use std::process::Stdio;

use common::{NO_CONTENT, Recorder, actions_env, refused_url, run, set};

/// The password of every proxy URL here: it must never be printed.
const PASSWORD: &str = "s3cret";
/// `Basic` + base64 of `user:s3cret`.
const BASIC: &str = "Basic dXNlcjpzM2NyZXQ=";
const FAST: (&str, Option<&str>) = ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.01"));

const AUTH_REQUIRED: &str = "HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm=\"corp\"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

fn assert_no_secret(r: &common::Run) {
    r.assert_no_token();
    assert!(
        !r.everything().contains(PASSWORD),
        "the proxy's password leaked: {r:?}"
    );
}

#[tokio::test]
async fn a_dead_proxy_is_named_with_the_variable_it_came_from() {
    let dead = refused_url().await;
    let dead_addr = dead.trim_start_matches("http://");
    let mut env = actions_env("https://api.example.com");
    set(
        &mut env,
        &[
            (
                "https_proxy",
                Some(&format!("http://user:{PASSWORD}@{dead_addr}")),
            ),
            FAST,
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{r:?}");
    assert!(
        errors[0].starts_with(&format!(
            "::error title=Could not connect::octo/deploy: could not connect to the proxy http://{dead_addr} (from https_proxy) ("
        )),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("nothing was sent to api.example.com: check that the proxy runs and that https_proxy holds its address, or add api.example.com to no_proxy to connect directly"),
        "{}",
        errors[0]
    );
    // A connection never made is safe to retry: the default 3 retries, no more.
    assert_eq!(
        r.stdout.matches("before attempt").count(),
        3,
        "{}",
        r.stdout
    );
    assert!(r.elapsed.as_secs() < 20, "took {:?}", r.elapsed);
    assert_no_secret(&r);
}

#[tokio::test]
async fn a_proxy_asking_for_credentials_fails_at_once() {
    // https: the 407 answers the CONNECT; nothing reaches the API.
    for with_credentials in [false, true] {
        let proxy = Recorder::start(&["127.0.0.1"], AUTH_REQUIRED).await;
        let mut env = actions_env("https://api.example.com");
        let url = if with_credentials {
            format!("http://user:{PASSWORD}@127.0.0.1:{}", proxy.port)
        } else {
            format!("http://127.0.0.1:{}", proxy.port)
        };
        set(&mut env, &[("HTTPS_PROXY", Some(&url)), FAST]);
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 1, "{r:?}");
        let seen = proxy.seen.lock().unwrap().clone();
        assert_eq!(
            seen,
            [(
                "CONNECT api.example.com:443 HTTP/1.1".to_owned(),
                with_credentials.then(|| BASIC.to_owned())
            )],
            "exactly one CONNECT, no retry"
        );
        let expected = if with_credentials {
            format!(
                "::error title=Proxy authentication required::octo/deploy: the proxy http://127.0.0.1:{} (from HTTPS_PROXY) refused the credentials in HTTPS_PROXY (407 Proxy Authentication Required); nothing reached api.example.com: check the user name and password there, percent-encoding special characters",
                proxy.port
            )
        } else {
            format!(
                "::error title=Proxy authentication required::octo/deploy: the proxy http://127.0.0.1:{} (from HTTPS_PROXY) asks for credentials (407 Proxy Authentication Required); nothing reached api.example.com: give them in HTTPS_PROXY as http://USER:PASSWORD@HOST:PORT",
                proxy.port
            )
        };
        assert_eq!(r.errors(), [expected.as_str()], "{r:?}");
        // The 407 answered the proxy's tunnel, not the API: no HTTP status.
        assert_eq!(r.results()[0]["http_status"], serde_json::Value::Null);
        assert!(!r.stdout.contains("before attempt"), "{}", r.stdout);
        assert_no_secret(&r);
    }

    // Plain http to a loopback API: the 407 answers the request itself, which
    // reached the proxy only.
    let proxy = Recorder::start(&["127.0.0.1"], AUTH_REQUIRED).await;
    let api = refused_url().await;
    let mut env = actions_env(&api);
    set(
        &mut env,
        &[
            (
                "http_proxy",
                Some(&format!("http://127.0.0.1:{}", proxy.port)),
            ),
            FAST,
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        proxy.lines(),
        [format!("POST {api}/repos/octo/deploy/dispatches HTTP/1.1")]
    );
    let host = api.trim_start_matches("http://");
    assert_eq!(
        r.errors(),
        [format!(
            "::error title=Proxy authentication required::octo/deploy: the proxy http://127.0.0.1:{} (from http_proxy) asks for credentials (407 Proxy Authentication Required); the request reached the proxy only, not {host}: give them in http_proxy as http://USER:PASSWORD@HOST:PORT",
            proxy.port
        )
        .as_str()],
        "{r:?}"
    );
    // Here the 407 is the answer to the request itself.
    assert_eq!(r.results()[0]["http_status"], 407);
    assert_no_secret(&r);
}

#[tokio::test]
async fn plain_http_through_a_proxy_elsewhere_is_refused_before_sending() {
    let api = Recorder::start(&["127.0.0.1"], NO_CONTENT).await;
    let api_url = format!("http://127.0.0.1:{}", api.port);
    let proxy = format!("http://user:{PASSWORD}@proxy.corp.example:3128");
    for var in ["http_proxy", "HTTP_PROXY", "all_proxy"] {
        let mut env = actions_env(&api_url);
        set(&mut env, &[(var, Some(&proxy))]);
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 2, "{var}: {r:?}");
        assert_eq!(
            r.errors(),
            [format!(
                "::error title=Invalid input%3A {var}::the API URL {api_url} is plain http and {var} names the proxy proxy.corp.example:3128, which would receive the token unencrypted; use https, add the API host to no_proxy to connect directly, or set allow-insecure-http: true if the network path is trusted"
            )
            .as_str()],
            "{r:?}"
        );
        assert_no_secret(&r);
    }
    assert_eq!(api.count(), 0, "nothing may be sent");

    // no_proxy takes the API off the proxy: sent directly.
    let mut env = actions_env(&api_url);
    set(
        &mut env,
        &[
            ("http_proxy", Some(&proxy)),
            ("no_proxy", Some("127.0.0.1")),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(api.count(), 1);

    // allow-insecure-http says the path is trusted; an https API tunnels
    // through any proxy. The dry run shows the route and sends nothing.
    let cases = [
        (api_url.as_str(), true, "http_proxy"),
        ("https://api.example.com", false, "https_proxy"),
    ];
    for (url, allow, var) in cases {
        let mut env = actions_env(url);
        set(&mut env, &[(var, Some(&proxy))]);
        if allow {
            set(&mut env, &[("INPUT_ALLOW-INSECURE-HTTP", Some("true"))]);
        }
        let r = run(&env, &["--dry-run"]).await;
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stdout.contains(&format!(
                "note: the requests would go to {url} through the proxy http://proxy.corp.example:3128 (from {var})\n"
            )),
            "{}",
            r.stdout
        );
        assert_no_secret(&r);
    }
    assert_eq!(api.count(), 1);

    // Debug output names the route too.
    let loopback_proxy = Recorder::start(&["127.0.0.1"], NO_CONTENT).await;
    let mut env = actions_env(&api_url);
    let proxy_url = format!("http://user:{PASSWORD}@127.0.0.1:{}", loopback_proxy.port);
    set(
        &mut env,
        &[
            ("http_proxy", Some(&proxy_url)),
            ("RUNNER_DEBUG", Some("1")),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(&format!(
            "::debug::route: to {api_url} through the proxy http://127.0.0.1:{} (from http_proxy)\n",
            loopback_proxy.port
        )),
        "{}",
        r.stdout
    );
    assert_eq!(loopback_proxy.count(), 1);
    assert_eq!(
        loopback_proxy.seen.lock().unwrap()[0].1.as_deref(),
        Some(BASIC)
    );
    assert_no_secret(&r);
}

/// One row of the `no_proxy` table: the target host, the environment beyond
/// the proxy variable, and our documented verdict where curl has no rule
/// (`host:port` entries, upper-case `HTTP_PROXY`).
struct Row {
    host: &'static str,
    env: Vec<(&'static str, String)>,
    /// `Some(proxied)` where we differ from curl on purpose.
    ours: Option<bool>,
}

fn row(host: &'static str, no_proxy: &str) -> Row {
    Row {
        host,
        env: vec![("no_proxy", no_proxy.to_owned())],
        ours: None,
    }
}

/// Runs curl with exactly `env` against `url`; `resolve` pins a name to
/// 127.0.0.1 (no DNS).
async fn curl(env: &[(&str, String)], url: &str, resolve: Option<String>) {
    let mut cmd = tokio::process::Command::new("/usr/bin/curl");
    cmd.env_clear()
        .args([
            "-q",
            "-s",
            "-o",
            "/dev/null",
            "--max-time",
            "5",
            "-X",
            "POST",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(r) = resolve {
        cmd.args(["--resolve", &r]);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.arg(url).status().await.expect("curl runs");
}

/// The route our dry run prints: `true` when through the proxy.
async fn ours_dry(env: &[(&str, String)], url: &str) -> bool {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    let r = run(
        &env,
        &[
            "--dry-run",
            "--allow-insecure-http",
            "-r",
            "octo/deploy",
            "-e",
            "x",
            "--api-url",
            url,
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let through = r.stderr.contains(" through the proxy http://127.0.0.1:");
    let direct = r.stderr.contains(" directly (");
    assert!(through != direct, "{}", r.stderr);
    through
}

/// Whether one request went through the proxy (`true`) or directly (`false`);
/// panics unless exactly one of the two saw it.
fn verdict(proxy: &Recorder, api: &Recorder, before: (usize, usize), who: &str) -> bool {
    let after = (proxy.count(), api.count());
    match (after.0 - before.0, after.1 - before.1) {
        (1, 0) => true,
        (0, 1) => false,
        other => panic!("{who}: proxy and API saw {other:?}"),
    }
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one table, then one loop comparing three verdicts per row
async fn no_proxy_matches_curl() {
    let proxy = Recorder::start(&["127.0.0.1"], NO_CONTENT).await;
    let api = Recorder::start(&["127.0.0.1", "[::1]"], NO_CONTENT).await;
    let port = api.port;
    let other = port.wrapping_add(1);
    let p = |s: &str| {
        s.replace("{port}", &port.to_string())
            .replace("{other}", &other.to_string())
    };
    let ours = |host, no_proxy: &str, proxied| Row {
        ours: Some(proxied),
        ..row(host, &p(no_proxy))
    };
    let mut rows = vec![];
    for entry in [
        "",
        "*",
        " * ",
        "127.0.0.1",
        " 127.0.0.1 ",
        "localhost",
        "127.0.0.0/8",
        "127.0.0.0/0",
        "127.0.0.1/0",
        "127.0.0.1/32",
        "127.0.0.0/33",
        "127.0.0.0/8x",
        "10.0.0.0/8",
        "foo,,127.0.0.1",
        "foo 127.0.0.1",
        "foo\t127.0.0.1",
        "::1",
        "[127.0.0.1]",
    ] {
        rows.push(row("127.0.0.1", entry));
    }
    for entry in [
        "localhost",
        "LOCALHOST",
        ".localhost",
        "localhost.",
        "127.0.0.1",
        "host",
        "*.localhost",
        "ocalhost",
        "a.com,localhost",
    ] {
        rows.push(row("localhost", entry));
    }
    for entry in [
        "::1",
        "[::1]",
        "::/0",
        "fe80::/10",
        "127.0.0.1",
        "localhost",
    ] {
        rows.push(row("[::1]", entry));
    }
    for entry in [
        "example.com",
        ".example.com",
        "ample.com",
        "EXAMPLE.COM",
        "*.example.com",
        "api.example.com.",
        "com",
        "api.example",
        "*",
        "other.org,example.com",
        "api.example.com.org",
    ] {
        rows.push(row("api.example.com", entry));
    }
    // Beyond curl: host:port entries apply to that port only.
    rows.push(ours("127.0.0.1", "127.0.0.1:{port}", false));
    rows.push(ours("127.0.0.1", "127.0.0.1:{other}", true));
    rows.push(ours("localhost", "localhost:{port}", false));
    rows.push(ours("localhost", "localhost:{other}", true));
    rows.push(ours("[::1]", "[::1]:{port}", false));
    rows.push(ours("api.example.com", "example.com:{port}", false));
    rows.push(ours("api.example.com", "example.com:{other}", true));
    // curl 7.88.1 compares an IPv6 host as text; its documentation (and ours)
    // reads IPv6 entries as addresses, with CIDR.
    rows.push(ours("[::1]", "::1/128", false));
    rows.push(ours("[::1]", "::/64", false));
    rows.push(ours("[::1]", "0:0:0:0:0:0:0:1", false));
    // Both cases: lower case wins, an empty variable counts as unset.
    for pairs in [
        vec![("NO_PROXY", "127.0.0.1")],
        vec![("no_proxy", ""), ("NO_PROXY", "127.0.0.1")],
        vec![("no_proxy", "localhost"), ("NO_PROXY", "127.0.0.1")],
    ] {
        rows.push(Row {
            host: "127.0.0.1",
            env: pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            ours: None,
        });
    }

    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let mut differences = Vec::new();
    let mut curl_differs = Vec::new();
    let mut checked = 0;
    for r in &rows {
        let mut proxy_vars: Vec<(&str, Option<bool>)> = vec![("http_proxy", r.ours)];
        if r.env == [("no_proxy", String::new())] {
            // Which proxy variables each reads, with nothing bypassed.
            proxy_vars.extend([
                ("all_proxy", None),
                ("ALL_PROXY", None),
                ("HTTP_PROXY", Some(true)),
            ]);
        }
        for (var, documented) in proxy_vars {
            let mut env: Vec<(&str, String)> = r.env.clone();
            env.push((var, proxy_url.clone()));
            let url = format!("http://{}:{port}/repos/octo/deploy/dispatches", r.host);
            let resolve =
                (r.host == "api.example.com").then(|| format!("api.example.com:{port}:127.0.0.1"));

            let before = (proxy.count(), api.count());
            curl(&env, &url, resolve).await;
            let by_curl = verdict(
                &proxy,
                &api,
                before,
                &format!("curl {var} {:?} {}", r.env, r.host),
            );

            let base = format!("http://{}:{port}", r.host);
            let by_dry_run = ours_dry(&env, &base).await;
            let by_us = if r.host == "api.example.com" {
                by_dry_run
            } else {
                let mut full = actions_env(&base);
                for (k, v) in &env {
                    set(&mut full, &[(k, Some(v))]);
                }
                set(&mut full, &[("INPUT_RETRIES", Some("0"))]);
                let before = (proxy.count(), api.count());
                let result = run(&full, &[]).await;
                assert_eq!(result.code, 0, "{result:?}");
                result.assert_no_token();
                let real = verdict(
                    &proxy,
                    &api,
                    before,
                    &format!("ours {var} {:?} {}", r.env, r.host),
                );
                assert_eq!(
                    real, by_dry_run,
                    "dry run and real run disagree: {var} {:?} {}",
                    r.env, r.host
                );
                real
            };
            let expected = documented.unwrap_or(by_curl);
            if by_us != expected {
                differences.push(format!(
                    "{var} {:?} host {}: curl {}, ours {}, expected {}",
                    r.env, r.host, by_curl, by_us, expected
                ));
            }
            if by_curl != by_us {
                curl_differs.push(format!(
                    "{var} {:?} host {}: curl proxied={by_curl}",
                    r.env, r.host
                ));
            }
            checked += 1;
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
    // The documented differences and no others: 4 host:port entries on their
    // port, 3 IPv6 entries, upper-case HTTP_PROXY.
    assert_eq!(curl_differs.len(), 8, "{curl_differs:#?}");
    assert!(checked > 50, "{checked}");
}
