//! The fake GitHub App API (tests/common/app.rs) on its own, over HTTP: it
//! must refuse what GitHub refuses, with GitHub's exact answers, so that the
//! tests of App tokens built on it can fail for real.

mod common;

use std::time::UNIX_EPOCH;

use common::app::{
    self, APP_ID, AppConfig, AppFake, AppKey, BAD_CREDENTIALS, CLIENT_ID, Installation,
    JWT_BAD_EXP, JWT_BAD_IAT, JWT_EXP_TOO_FAR, JWT_UNDECODABLE, NOT_ACCESSIBLE, NOT_FOUND,
    PERMISSIONS_NOT_GRANTED, REPOSITORY_NOT_ACCESSIBLE, TOO_MANY_REPOSITORIES, app_api, app_jwt,
    sign_jwt,
};
use repository_dispatch::internals::time::utc;
use serde_json::{Value, json};

/// The fake and the key of the app it knows.
struct World {
    fake: AppFake,
    key: AppKey,
    _dir: tempfile::TempDir,
}

/// Installation 1 on `octo` (four repositories, contents and actions
/// write), installation 2 on `acme` (two, contents write, actions read).
fn installations() -> Vec<Installation> {
    vec![
        Installation::new(
            1,
            "octo",
            // `site` as on acme too: only the owner tells them apart.
            &["deploy", "docs", "api", "site"],
            &[
                ("contents", "write"),
                ("actions", "write"),
                ("metadata", "read"),
                ("pull_requests", "write"),
            ],
        ),
        Installation::new(
            2,
            "acme",
            &["site", "infra"],
            &[
                ("contents", "write"),
                ("actions", "read"),
                ("metadata", "read"),
            ],
        ),
    ]
}

async fn world(adjust: impl FnOnce(&mut AppConfig)) -> World {
    let dir = tempfile::tempdir().unwrap();
    let key = app::app_key(dir.path());
    let mut config = AppConfig::new(&key.public_der, installations());
    adjust(&mut config);
    World {
        fake: app_api(config).await,
        key,
        _dir: dir,
    }
}

impl World {
    fn jwt(&self) -> String {
        app_jwt(&self.key, &json!(CLIENT_ID))
    }

    /// Mints a token for installation `id` with `body`; panics unless 201.
    async fn mint(&self, id: u64, body: &Value) -> String {
        let a = self.mint_answer(id, body, &[]).await;
        assert_eq!(a.status, 201, "{:?}", a.body);
        a.body["token"].as_str().unwrap().to_owned()
    }

    async fn mint_answer(&self, id: u64, body: &Value, headers: &[(&str, &str)]) -> Answer {
        call(
            &self.fake,
            "POST",
            &format!("/app/installations/{id}/access_tokens"),
            Some(&format!("Bearer {}", self.jwt())),
            Some(body),
            headers,
        )
        .await
    }
}

/// An expected answer: a status, and for a refusal GitHub's message.
type Expected = (u16, Option<&'static str>);

/// What the fake answered.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }
}

async fn call(
    fake: &AppFake,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Answer {
    // reqwest is built without a TLS provider, and building a client panics
    // ("No provider set") even for plain http: the product hands reqwest a
    // whole configuration (src/github/net/tls.rs); this test installs ring as the
    // process default instead. A second install fails harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let mut request = client.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{path}", fake.uri()),
    );
    if let Some(a) = authorization {
        request = request.header("authorization", a);
    }
    if let Some(b) = body {
        request = request
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// Asserts `a` is GitHub's error body with `status` and `message`.
fn assert_error(a: &Answer, status: u16, message: &str) {
    assert_eq!(a.status, status, "{:?}", a.body);
    assert_eq!(a.body["message"], message, "{:?}", a.body);
    assert_eq!(a.body["status"], status.to_string());
    assert!(
        a.body["documentation_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://docs.github.com/rest")),
        "{:?}",
        a.body
    );
    assert_eq!(a.body.as_object().unwrap().len(), 3, "{:?}", a.body);
    assert_eq!(a.header("content-type"), "application/json; charset=utf-8");
}

/// Asserts `a` answered `expected`: a status alone for successes, or an
/// error status and its message.
fn check(case: &str, a: &Answer, expected: Expected) {
    match expected {
        (status, Some(message)) => assert_error(a, status, message),
        (status, None) => assert_eq!(a.status, status, "{case}: {:?}", a.body),
    }
}

#[test]
fn keys_come_in_github_s_form_and_ring_s() {
    let dir = tempfile::tempdir().unwrap();
    let key = app::app_key(dir.path());
    assert!(
        key.pkcs1_pem
            .starts_with("-----BEGIN RSA PRIVATE KEY-----\n")
    );
    assert!(key.pkcs8_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    // The two PEMs hold the same key: openssl prints the same modulus.
    let modulus = |pem: &str| {
        let file = dir.path().join("m.pem");
        std::fs::write(&file, pem).unwrap();
        let out = std::process::Command::new("openssl")
            .args(["rsa", "-noout", "-modulus", "-in"])
            .arg(&file)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(modulus(&key.pkcs1_pem).starts_with("Modulus="));
    assert_eq!(modulus(&key.pkcs1_pem), modulus(&key.pkcs8_pem));
    // Two keys differ.
    let other = app::app_key(tempfile::tempdir().unwrap().path());
    assert_ne!(other.public_der, key.public_der);
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // a table, one line per case, then the record of each
async fn the_jwt_is_checked_as_github_does() {
    let w = world(|_| {}).await;
    let other_dir = tempfile::tempdir().unwrap();
    let other_app = app::app_key(other_dir.path());
    let now = app::now();
    let rs256 = json!({"alg": "RS256", "typ": "JWT"});
    let claims =
        |iat: i64, exp: i64, iss: Value| json!({"iat": now + iat, "exp": now + exp, "iss": iss});
    let good = || claims(-60, 540, json!(CLIENT_ID));
    let signed = |claims: Value| sign_jwt(&w.key, &rs256, &claims);
    let ok = (200, None);
    let undecodable = (401, Some(JWT_UNDECODABLE));
    let bad_iat = (401, Some(JWT_BAD_IAT));
    let bad_exp = (401, Some(JWT_BAD_EXP));
    let too_far = (401, Some(JWT_EXP_TOO_FAR));
    // (case, Authorization header, expected)
    let cases: Vec<(&str, Option<String>, Expected)> = vec![
        ("client id", Some(format!("Bearer {}", signed(good()))), ok),
        (
            "app id as a number",
            Some(format!(
                "Bearer {}",
                signed(claims(-60, 540, json!(APP_ID)))
            )),
            ok,
        ),
        (
            "app id as a string",
            Some(format!(
                "Bearer {}",
                signed(claims(-60, 540, json!(APP_ID.to_string())))
            )),
            ok,
        ),
        (
            "a 10-minute lifetime",
            Some(format!(
                "Bearer {}",
                signed(claims(0, 600, json!(CLIENT_ID)))
            )),
            ok,
        ),
        (
            "another app's key",
            Some(format!("Bearer {}", sign_jwt(&other_app, &rs256, &good()))),
            undecodable,
        ),
        (
            "another app id",
            Some(format!(
                "Bearer {}",
                signed(claims(-60, 540, json!(654_321)))
            )),
            undecodable,
        ),
        (
            "another client id",
            Some(format!(
                "Bearer {}",
                signed(claims(-60, 540, json!("Iv23liOther000000")))
            )),
            undecodable,
        ),
        (
            "no issuer",
            Some(format!(
                "Bearer {}",
                signed(json!({"iat": now - 60, "exp": now + 540}))
            )),
            undecodable,
        ),
        (
            "HS256 in the header",
            Some(format!(
                "Bearer {}",
                sign_jwt(&w.key, &json!({"alg": "HS256"}), &good())
            )),
            undecodable,
        ),
        (
            "two parts",
            Some(format!(
                "Bearer {}",
                signed(good()).rsplit_once('.').unwrap().0
            )),
            undecodable,
        ),
        (
            "a tampered claim",
            Some(format!(
                "Bearer {}",
                tamper(&signed(good()), &claims(-60, 540, json!(APP_ID)))
            )),
            undecodable,
        ),
        (
            "the token scheme",
            Some(format!("token {}", signed(good()))),
            undecodable,
        ),
        ("no authorization", None, undecodable),
        (
            "exp 11 minutes ahead",
            Some(format!(
                "Bearer {}",
                signed(claims(-60, 660, json!(CLIENT_ID)))
            )),
            too_far,
        ),
        (
            "iat in the future",
            Some(format!(
                "Bearer {}",
                signed(claims(60, 540, json!(CLIENT_ID)))
            )),
            bad_iat,
        ),
        (
            "iat as a string",
            Some(format!(
                "Bearer {}",
                signed(json!({"iat": (now - 60).to_string(), "exp": now + 540, "iss": CLIENT_ID}))
            )),
            bad_iat,
        ),
        (
            "iat with a fraction",
            Some(format!(
                "Bearer {}",
                signed(
                    serde_json::from_str(&format!(
                        r#"{{"iat": {}.5, "exp": {}, "iss": "{CLIENT_ID}"}}"#,
                        now - 60,
                        now + 540
                    ))
                    .unwrap()
                )
            )),
            bad_iat,
        ),
        (
            "expired",
            Some(format!(
                "Bearer {}",
                signed(claims(-700, -100, json!(CLIENT_ID)))
            )),
            bad_exp,
        ),
        (
            "no exp",
            Some(format!(
                "Bearer {}",
                signed(json!({"iat": now - 60, "iss": CLIENT_ID}))
            )),
            bad_exp,
        ),
    ];
    for (case, authorization, expected) in &cases {
        let a = call(
            &w.fake,
            "GET",
            "/repos/octo/deploy/installation",
            authorization.as_deref(),
            None,
            &[],
        )
        .await;
        check(case, &a, *expected);
        if expected.0 == 200 {
            assert_eq!(a.body["id"], 1, "{case}");
        }
    }
    let seen = w.fake.jwts();
    assert_eq!(seen.len(), cases.len());
    for (s, (case, _, expected)) in seen.iter().zip(&cases) {
        assert_eq!(s.rejected, expected.1, "{case}");
        assert_eq!(s.path, "/repos/octo/deploy/installation");
    }
    assert_eq!(seen[0].iss, Some(json!(CLIENT_ID)));
    assert_eq!(seen[0].iat, Some(json!(now - 60)));
    assert_eq!(seen[0].exp, Some(json!(now + 540)));
    assert!(seen[0].signature_ok);
    // Another key's JWT is decoded for the record but does not verify.
    assert_eq!(seen[4].iss, Some(json!(CLIENT_ID)));
    assert!(!seen[4].signature_ok);
    // A well-signed JWT refused for its times still verified.
    assert!(seen[13].signature_ok);
    // Lookups are recorded only past the JWT check.
    assert_eq!(w.fake.lookups().len(), 4);
}

/// `jwt` with its claims part replaced by `claims`, the signature kept.
fn tamper(jwt: &str, claims: &Value) -> String {
    use base64::Engine as _;
    let parts: Vec<&str> = jwt.split('.').collect();
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{}.{claims}.{}", parts[0], parts[2])
}

#[tokio::test]
async fn the_date_header_and_the_jwt_times_follow_the_fake_s_clock() {
    // (clock offset, what a JWT made by the docs' rule, iat now-60 and exp
    // now+540 on the true clock, gets)
    for (offset, expected) in [
        (0, (200, None)),
        (-30, (200, None)),
        // GitHub's clock 2 minutes behind: iat lies in its future.
        (-120, (401, Some(JWT_BAD_IAT))),
        // 10 minutes ahead: exp has passed.
        (600, (401, Some(JWT_BAD_EXP))),
        (3600, (401, Some(JWT_BAD_EXP))),
    ] {
        let w = world(|c| c.clock_offset_secs = offset).await;
        let a = call(
            &w.fake,
            "GET",
            "/repos/octo/deploy/installation",
            Some(&format!("Bearer {}", w.jwt())),
            None,
            &[],
        )
        .await;
        check(&format!("offset {offset}"), &a, expected);
        let date = httpdate::parse_http_date(a.header("date")).unwrap();
        let date = i64::try_from(date.duration_since(UNIX_EPOCH).unwrap().as_secs()).unwrap();
        let expected_date = app::now() + offset;
        assert!(
            (expected_date - 5..=expected_date).contains(&date),
            "offset {offset}: Date {date}, expected about {expected_date}"
        );
        // IMF-fixdate, as `Sun, 06 Nov 1994 08:49:37 GMT`.
        assert_eq!(a.header("date").len(), 29, "{}", a.header("date"));
        assert!(a.header("date").ends_with(" GMT"));
        // Every answer carries it, an unexpected request's too.
        let b = call(&w.fake, "GET", "/rate_limit", None, None, &[]).await;
        assert!(httpdate::parse_http_date(b.header("date")).is_ok(), "{b:?}");
    }
    // exp within 10 minutes of the true clock but not of a clock behind it.
    let w = world(|c| c.clock_offset_secs = -30).await;
    let now = app::now();
    let jwt = sign_jwt(
        &w.key,
        &json!({"alg": "RS256"}),
        &json!({"iat": now - 60, "exp": now + 590, "iss": CLIENT_ID}),
    );
    let a = call(
        &w.fake,
        "GET",
        "/repos/octo/deploy/installation",
        Some(&format!("Bearer {jwt}")),
        None,
        &[],
    )
    .await;
    assert_error(&a, 401, JWT_EXP_TOO_FAR);
}

#[tokio::test]
async fn installations_are_found_by_repository_and_owner() {
    let w = world(|_| {}).await;
    let auth = format!("Bearer {}", w.jwt());
    let repo_docs = "https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app";
    // (path, installation id or None for GitHub's 404)
    for (path, expected) in [
        ("/repos/octo/deploy/installation", Some(1)),
        ("/repos/OCTO/Deploy/installation", Some(1)),
        ("/repos/acme/infra/installation", Some(2)),
        ("/repos/octo/infra/installation", None),
        ("/repos/nobody/deploy/installation", None),
        ("/users/acme/installation", Some(2)),
        ("/orgs/Octo/installation", Some(1)),
        ("/users/nobody/installation", None),
    ] {
        let a = call(&w.fake, "GET", path, Some(&auth), None, &[]).await;
        if let Some(id) = expected {
            assert_eq!(a.status, 200, "{path}: {:?}", a.body);
            assert_eq!(a.body["id"], id, "{path}");
            assert_eq!(a.body["app_slug"], "dispatch-bot");
            assert_eq!(a.body["repository_selection"], "selected");
            assert_eq!(a.body["account"]["type"], "Organization");
            let owner = if id == 1 { "octo" } else { "acme" };
            assert_eq!(a.body["account"]["login"], owner);
            assert_eq!(a.body["permissions"]["contents"], "write");
            assert_eq!(a.body["permissions"]["metadata"], "read");
        } else {
            assert_error(&a, 404, NOT_FOUND);
            if path.starts_with("/repos/") {
                assert_eq!(a.body["documentation_url"], repo_docs);
            }
        }
    }
    let lookups = w.fake.lookups();
    assert_eq!(lookups.len(), 8);
    assert_eq!(lookups[1].owner, "OCTO");
    assert_eq!(lookups[1].repo.as_deref(), Some("Deploy"));
    assert_eq!(lookups[3].status, 404);
    assert_eq!(lookups[5].repo, None);
}

#[tokio::test]
async fn each_owner_gets_its_own_token_scoped_to_its_repositories() {
    let w = world(|_| {}).await;
    let minimal = json!({"contents": "write", "actions": "read"});
    let octo = w
        .mint_answer(
            1,
            &json!({"repositories": ["deploy", "DOCS"], "permissions": minimal}),
            &[],
        )
        .await;
    let acme = w
        .mint_answer(
            2,
            &json!({"repositories": ["site"], "permissions": minimal}),
            &[],
        )
        .await;
    let expires = app::now() + 3600;
    for (a, full_names) in [
        (&octo, vec!["octo/deploy", "octo/docs"]),
        (&acme, vec!["acme/site"]),
    ] {
        assert_eq!(a.status, 201, "{:?}", a.body);
        let token = a.body["token"].as_str().unwrap();
        assert_eq!(token.len(), 40, "{token}");
        assert!(token.starts_with("ghs_"));
        assert!(token[4..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(
            a.body["permissions"],
            json!({"contents": "write", "actions": "read", "metadata": "read"})
        );
        assert_eq!(a.body["repository_selection"], "selected");
        let names: Vec<&str> = a.body["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, full_names);
        let expires_at = a.body["expires_at"].as_str().unwrap();
        let u = |s: i64| utc(u64::try_from(s).unwrap());
        assert!(
            [u(expires - 2), u(expires - 1), u(expires)].contains(&expires_at.to_owned()),
            "{expires_at}"
        );
    }
    assert_ne!(octo.body["token"], acme.body["token"]);
    let tokens = w.fake.tokens();
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        (tokens[0].installation_id, tokens[0].owner.as_str()),
        (1, "octo")
    );
    assert_eq!(tokens[0].repositories, ["deploy", "docs"]);
    assert_eq!(
        (tokens[1].installation_id, tokens[1].owner.as_str()),
        (2, "acme")
    );
    assert_eq!(tokens[1].repositories, ["site"]);
    assert_eq!(
        tokens[1].permissions.get("actions").map(String::as_str),
        Some("read")
    );
    assert!(tokens.iter().all(|t| !t.revoked));
    assert_eq!(
        w.fake.issued_tokens(),
        [
            octo.body["token"].as_str().unwrap(),
            acme.body["token"].as_str().unwrap()
        ]
    );
    let requests = w.fake.token_requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].installation_id, 1);
    assert_eq!(
        requests[0].repositories.as_deref(),
        Some(&["deploy".to_owned(), "DOCS".to_owned()][..])
    );
    assert_eq!(
        requests[1]
            .permissions
            .as_ref()
            .unwrap()
            .get("contents")
            .map(String::as_str),
        Some("write")
    );
    // No body: every repository and permission of the installation.
    let all = w.mint_answer(2, &json!({}), &[]).await;
    assert_eq!(all.status, 201);
    assert_eq!(all.body["repositories"].as_array().unwrap().len(), 2);
    assert_eq!(
        all.body["permissions"],
        json!({"contents": "write", "actions": "read", "metadata": "read"})
    );
    assert_eq!(w.fake.token_requests()[2].repositories, None);
    // The leak check finds a minted token.
    let leaked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        w.fake
            .assert_no_token_in(&format!("x {} y", tokens[1].token));
    }));
    assert!(leaked.is_err());
    w.fake.assert_no_token_in("nothing here");
}

#[tokio::test]
async fn token_requests_beyond_the_installation_are_refused() {
    let w = world(|_| {}).await;
    let many: Vec<String> = (0..501).map(|i| format!("r{i}")).collect();
    // (case, installation, body, expected)
    let cases: Vec<(&str, u64, Value, Expected)> = vec![
        (
            "in scope",
            1,
            json!({"repositories": ["deploy"], "permissions": {"contents": "read"}}),
            (201, None),
        ),
        (
            "another owner's repository",
            1,
            json!({"repositories": ["infra"]}),
            (422, Some(REPOSITORY_NOT_ACCESSIBLE)),
        ),
        (
            "an unknown repository",
            2,
            json!({"repositories": ["site", "nope"]}),
            (422, Some(REPOSITORY_NOT_ACCESSIBLE)),
        ),
        (
            "a full name",
            1,
            json!({"repositories": ["octo/deploy"]}),
            (422, Some(REPOSITORY_NOT_ACCESSIBLE)),
        ),
        (
            "501 names",
            1,
            json!({"repositories": many}),
            (422, Some(TOO_MANY_REPOSITORIES)),
        ),
        (
            "an ungranted permission",
            1,
            json!({"permissions": {"issues": "write"}}),
            (422, Some(PERMISSIONS_NOT_GRANTED)),
        ),
        (
            "write where read is granted",
            2,
            json!({"permissions": {"actions": "write"}}),
            (422, Some(PERMISSIONS_NOT_GRANTED)),
        ),
        (
            "a hyphenated name",
            1,
            json!({"permissions": {"pull-requests": "write"}}),
            (422, Some(PERMISSIONS_NOT_GRANTED)),
        ),
        (
            "the underscored name",
            1,
            json!({"permissions": {"pull_requests": "write"}}),
            (201, None),
        ),
        (
            "an unknown level",
            1,
            json!({"permissions": {"contents": "admin"}}),
            (422, Some(PERMISSIONS_NOT_GRANTED)),
        ),
        (
            "an unknown installation",
            99,
            json!({}),
            (404, Some(NOT_FOUND)),
        ),
    ];
    for (case, id, body, expected) in &cases {
        let a = w.mint_answer(*id, body, &[]).await;
        check(case, &a, *expected);
    }
    let minted = cases.iter().filter(|c| c.3.0 == 201).count();
    assert_eq!(w.fake.tokens().len(), minted);
    let statuses: Vec<u16> = w.fake.token_requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201, 422, 422, 422, 422, 422, 422, 422, 201, 422]);
    // Without a valid JWT nothing is minted.
    let a = call(
        &w.fake,
        "POST",
        "/app/installations/1/access_tokens",
        Some("Bearer x.y.z"),
        Some(&json!({})),
        &[],
    )
    .await;
    assert_error(&a, 401, JWT_UNDECODABLE);
    assert_eq!(w.fake.tokens().len(), minted);
}

fn dispatch_body(id: &str) -> Value {
    json!({"event_type": "deploy", "client_payload": {"dispatch_id": id}})
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // a table, one line per case, then what was recorded and revocation
async fn a_dispatch_needs_a_live_token_of_that_repository_with_contents_write() {
    let w = world(|c| c.failing_dispatch = vec!["octo/api".to_owned()]).await;
    let octo = w
        .mint(1, &json!({"permissions": {"contents": "write"}}))
        .await;
    let octo_deploy = w.mint(1, &json!({"repositories": ["deploy"]})).await;
    let octo_read = w
        .mint(
            1,
            &json!({"permissions": {"contents": "read", "actions": "write"}}),
        )
        .await;
    let acme = w.mint(2, &json!({})).await;
    let jwt = w.jwt();
    // (case, repository, Authorization, expected)
    let cases: Vec<(&str, &str, String, Expected)> = vec![
        (
            "the owner's token",
            "octo/deploy",
            format!("Bearer {octo}"),
            (204, None),
        ),
        (
            "the token scheme",
            "octo/docs",
            format!("token {octo}"),
            (204, None),
        ),
        (
            "another case",
            "Octo/DEPLOY",
            format!("Bearer {octo}"),
            (204, None),
        ),
        (
            "another owner's token",
            "octo/deploy",
            format!("Bearer {acme}"),
            (404, Some(NOT_FOUND)),
        ),
        (
            "a token of another owner's repository",
            "acme/site",
            format!("Bearer {octo}"),
            (404, Some(NOT_FOUND)),
        ),
        (
            "a repository outside the token",
            "octo/docs",
            format!("Bearer {octo_deploy}"),
            (404, Some(NOT_FOUND)),
        ),
        (
            "contents read only",
            "octo/deploy",
            format!("Bearer {octo_read}"),
            (403, Some(NOT_ACCESSIBLE)),
        ),
        (
            "an unknown token",
            "octo/deploy",
            "Bearer ghs_0123456789abcdefghijklmnopqrstuvwxyz".to_owned(),
            (401, Some(BAD_CREDENTIALS)),
        ),
        (
            "the app's JWT",
            "octo/deploy",
            format!("Bearer {jwt}"),
            (401, Some(BAD_CREDENTIALS)),
        ),
        (
            "a failing repository",
            "octo/api",
            format!("Bearer {octo}"),
            (500, None),
        ),
        (
            "acme's own",
            "acme/infra",
            format!("token {acme}"),
            (204, None),
        ),
    ];
    for (i, (case, repo, auth, expected)) in cases.iter().enumerate() {
        let body = dispatch_body(&format!("id-{i}"));
        let a = call(
            &w.fake,
            "POST",
            &format!("/repos/{repo}/dispatches"),
            Some(auth),
            Some(&body),
            &[],
        )
        .await;
        check(case, &a, *expected);
    }
    let unauthenticated = call(
        &w.fake,
        "POST",
        "/repos/octo/deploy/dispatches",
        None,
        Some(&dispatch_body("x")),
        &[],
    )
    .await;
    assert_error(&unauthenticated, 401, BAD_CREDENTIALS);
    let dispatches = w.fake.dispatches();
    assert_eq!(dispatches.len(), cases.len() + 1);
    for (i, (d, (case, repo, auth, expected))) in dispatches.iter().zip(&cases).enumerate() {
        assert_eq!(d.repo, *repo, "{case}");
        assert_eq!(d.token, auth.split_once(' ').unwrap().1, "{case}");
        assert_eq!(d.body, dispatch_body(&format!("id-{i}")), "{case}");
        assert_eq!(d.status, expected.0, "{case}");
    }
    // Only accepted dispatches start runs.
    let runs: Vec<String> = w.fake.runs().iter().map(|r| r.repo.clone()).collect();
    assert_eq!(
        runs,
        ["octo/deploy", "octo/docs", "Octo/DEPLOY", "acme/infra"]
    );
    // A body outside GitHub's schema is refused and recorded.
    let a = call(
        &w.fake,
        "POST",
        "/repos/octo/deploy/dispatches",
        Some(&format!("Bearer {octo}")),
        Some(&json!({"client_payload": {}})),
        &[],
    )
    .await;
    assert_eq!(a.status, 422, "{:?}", a.body);
    assert!(!w.fake.contract_violations().is_empty());
    assert_eq!(w.fake.runs().len(), 4);
    // A revoked token is refused.
    let r = call(
        &w.fake,
        "DELETE",
        "/installation/token",
        Some(&format!("token {octo}")),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let a = call(
        &w.fake,
        "POST",
        "/repos/octo/deploy/dispatches",
        Some(&format!("Bearer {octo}")),
        Some(&dispatch_body("late")),
        &[],
    )
    .await;
    assert_error(&a, 401, BAD_CREDENTIALS);
}

#[tokio::test]
async fn a_token_is_revoked_once_with_itself() {
    let w = world(|_| {}).await;
    let first = w.mint(1, &json!({})).await;
    let second = w.mint(2, &json!({})).await;
    // (case, Authorization, expected)
    for (case, auth, expected) in [
        ("first", format!("token {first}"), (204, None)),
        (
            "again",
            format!("token {first}"),
            (401, Some(BAD_CREDENTIALS)),
        ),
        (
            "unknown",
            "token ghs_unknown".to_owned(),
            (401, Some(BAD_CREDENTIALS)),
        ),
        (
            "the JWT",
            format!("Bearer {}", w.jwt()),
            (401, Some(BAD_CREDENTIALS)),
        ),
        ("Bearer", format!("Bearer {second}"), (204, None)),
    ] {
        let a = call(
            &w.fake,
            "DELETE",
            "/installation/token",
            Some(&auth),
            None,
            &[],
        )
        .await;
        check(case, &a, expected);
        assert!(!a.header("date").is_empty(), "{case}");
    }
    let revocations: Vec<(String, u16)> = w
        .fake
        .revocations()
        .iter()
        .map(|r| (r.token.clone(), r.status))
        .collect();
    assert_eq!(revocations[0], (first.clone(), 204));
    assert_eq!(revocations[1], (first, 401));
    assert_eq!(revocations[4], (second, 204));
    assert_eq!(revocations.len(), 5);
    assert!(w.fake.tokens().iter().all(|t| t.revoked));
}

#[tokio::test]
async fn a_token_only_revokes_itself() {
    let w = world(|_| {}).await;
    let kept = w.mint(1, &json!({})).await;
    let gone = w.mint(1, &json!({})).await;
    let a = call(
        &w.fake,
        "DELETE",
        "/installation/token",
        Some(&format!("token {gone}")),
        None,
        &[],
    )
    .await;
    assert_eq!(a.status, 204);
    let revoked: Vec<bool> = w.fake.tokens().iter().map(|t| t.revoked).collect();
    assert_eq!(revoked, [false, true]);
    let a = call(
        &w.fake,
        "POST",
        "/repos/octo/deploy/dispatches",
        Some(&format!("token {kept}")),
        Some(&dispatch_body("x")),
        &[],
    )
    .await;
    assert_eq!(a.status, 204, "{:?}", a.body);
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one story per run state: dispatch, page through, read, refuse
async fn runs_of_dispatches_are_listed_and_read_with_actions_read() {
    for never_complete in [false, true] {
        let w = world(|c| c.runs_never_complete = never_complete).await;
        let token = w
            .mint(
                1,
                &json!({"permissions": {"contents": "write", "actions": "read"}}),
            )
            .await;
        let blind = w
            .mint(1, &json!({"permissions": {"contents": "write"}}))
            .await;
        let auth = format!("Bearer {token}");
        for id in ["a-1", "b-2", "c-3"] {
            let a = call(
                &w.fake,
                "POST",
                "/repos/octo/deploy/dispatches",
                Some(&auth),
                Some(&dispatch_body(id)),
                &[],
            )
            .await;
            assert_eq!(a.status, 204, "{:?}", a.body);
        }
        let since = utc(u64::try_from(app::now() - 60).unwrap());
        let list = |page: u32| {
            format!(
                "/repos/octo/deploy/actions/runs?event=repository_dispatch&created=%3E%3D{since}&per_page=2&page={page}"
            )
        };
        let first = call(&w.fake, "GET", &list(1), Some(&auth), None, &[]).await;
        assert_eq!(first.status, 200, "{:?}", first.body);
        assert_eq!(first.body["total_count"], 3);
        let runs = first.body["workflow_runs"].as_array().unwrap();
        assert_eq!(runs.len(), 2);
        // Newest first: the same second orders by id.
        assert_eq!(runs[0]["display_title"], "Deploy deploy c-3");
        assert_eq!(runs[0]["event"], "repository_dispatch");
        let (status, conclusion) = if never_complete {
            ("in_progress", Value::Null)
        } else {
            ("completed", json!("success"))
        };
        assert_eq!(runs[0]["status"], status);
        assert_eq!(runs[0]["conclusion"], conclusion);
        let id = runs[0]["id"].as_u64().unwrap();
        assert_eq!(
            runs[0]["html_url"],
            format!("https://github.com/octo/deploy/actions/runs/{id}")
        );
        assert!(runs[0]["created_at"].as_str().unwrap() >= since.as_str());
        assert!(
            first.header("link").contains("page=2"),
            "{:?}",
            first.headers
        );
        let second = call(&w.fake, "GET", &list(2), Some(&auth), None, &[]).await;
        assert_eq!(
            second.body["workflow_runs"][0]["display_title"],
            "Deploy deploy a-1"
        );
        assert_eq!(second.header("link"), "");
        let one = call(
            &w.fake,
            "GET",
            &format!("/repos/octo/deploy/actions/runs/{id}"),
            Some(&auth),
            None,
            &[],
        )
        .await;
        assert_eq!(one.status, 200);
        assert_eq!(one.body["display_title"], "Deploy deploy c-3");
        assert_eq!(one.body["status"], status);
        // (case, path, Authorization, expected)
        for (case, path, auth, expected) in [
            (
                "another event",
                "/repos/octo/deploy/actions/runs?event=workflow_dispatch".to_owned(),
                auth.clone(),
                (200, None),
            ),
            (
                "later than the runs",
                format!(
                    "/repos/octo/deploy/actions/runs?created=%3E%3D{}",
                    utc(u64::try_from(app::now() + 60).unwrap())
                ),
                auth.clone(),
                (200, None),
            ),
            (
                "no actions permission",
                "/repos/octo/deploy/actions/runs".to_owned(),
                format!("Bearer {blind}"),
                (403, Some(NOT_ACCESSIBLE)),
            ),
            (
                "no actions permission, one run",
                format!("/repos/octo/deploy/actions/runs/{id}"),
                format!("Bearer {blind}"),
                (403, Some(NOT_ACCESSIBLE)),
            ),
            (
                "another repository's run",
                format!("/repos/octo/docs/actions/runs/{id}"),
                auth.clone(),
                (404, Some(NOT_FOUND)),
            ),
            (
                "no token",
                "/repos/octo/deploy/actions/runs".to_owned(),
                String::new(),
                (401, Some(BAD_CREDENTIALS)),
            ),
        ] {
            let a = call(&w.fake, "GET", &path, Some(&auth), None, &[]).await;
            check(case, &a, expected);
            if a.status == 200 {
                assert_eq!(a.body["total_count"], 0, "{case}");
            }
        }
        let reads = w.fake.run_reads();
        assert_eq!(reads.len(), 9);
        assert_eq!(reads[0].repo, "octo/deploy");
        assert_eq!(reads[0].token, token);
        assert_eq!(reads[5].status, 403);
    }
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // the run it names, then a table, one line per refusal
async fn a_workflow_dispatch_needs_actions_write_and_names_its_run() {
    let w = world(|c| c.failing_dispatch = vec!["octo/api".to_owned()]).await;
    let octo = w
        .mint(1, &json!({"permissions": {"actions": "write"}}))
        .await;
    let contents_only = w
        .mint(1, &json!({"permissions": {"contents": "write"}}))
        .await;
    let acme = w.mint(2, &json!({})).await;
    let details = json!({"ref": "main", "inputs": {"a": "b"}, "return_run_details": true});
    let path = |repo: &str| format!("/repos/{repo}/actions/workflows/deploy.yml/dispatches");
    let a = call(
        &w.fake,
        "POST",
        &path("octo/deploy"),
        Some(&format!("Bearer {octo}")),
        Some(&details),
        &[],
    )
    .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    let id = a.body["workflow_run_id"].as_u64().unwrap();
    assert_eq!(
        a.body["run_url"],
        format!("{}/repos/octo/deploy/actions/runs/{id}", w.fake.uri())
    );
    assert_eq!(
        a.body["html_url"],
        format!("https://github.com/octo/deploy/actions/runs/{id}")
    );
    let run = call(
        &w.fake,
        "GET",
        &format!("/repos/octo/deploy/actions/runs/{id}"),
        Some(&format!("Bearer {octo}")),
        None,
        &[],
    )
    .await;
    assert_eq!(run.status, 200, "{:?}", run.body);
    assert_eq!(
        (run.body["status"].as_str(), run.body["conclusion"].as_str()),
        (Some("completed"), Some("success"))
    );
    assert_eq!(run.body["event"], "workflow_dispatch");
    // (case, repository, token, body, expected)
    for (case, repo, token, body, expected) in [
        (
            "no run details",
            "octo/docs",
            &octo,
            json!({"ref": "main"}),
            (204, None),
        ),
        (
            "contents write only",
            "octo/deploy",
            &contents_only,
            details.clone(),
            (403, Some(NOT_ACCESSIBLE)),
        ),
        (
            "actions read only",
            "acme/site",
            &acme,
            details.clone(),
            (403, Some(NOT_ACCESSIBLE)),
        ),
        (
            "another owner",
            "acme/site",
            &octo,
            details.clone(),
            (404, Some(NOT_FOUND)),
        ),
        (
            "a failing repository",
            "octo/api",
            &octo,
            details.clone(),
            (500, None),
        ),
        (
            "no ref",
            "octo/deploy",
            &octo,
            json!({"inputs": {}}),
            (422, None),
        ),
    ] {
        let a = call(
            &w.fake,
            "POST",
            &path(repo),
            Some(&format!("token {token}")),
            Some(&body),
            &[],
        )
        .await;
        check(case, &a, expected);
    }
    let recorded: Vec<(String, u16)> = w
        .fake
        .workflow_dispatches()
        .iter()
        .map(|d| (d.repo.clone(), d.status))
        .collect();
    assert_eq!(recorded.len(), 7);
    assert_eq!(recorded[0], ("octo/deploy".to_owned(), 200));
    assert_eq!(recorded[1], ("octo/docs".to_owned(), 204));
    assert_eq!(w.fake.workflow_dispatches()[0].body, details);
    assert_eq!(w.fake.runs().len(), 2);
}

#[tokio::test]
async fn stateless_tokens_are_long_jwt_shaped_and_work_the_same() {
    // (tokens configured stateless, request header, stateless expected)
    for (configured, header, stateless) in [
        (true, None, true),
        (false, None, false),
        (false, Some("enabled"), true),
        (true, Some("disabled"), false),
    ] {
        let w = world(|c| c.stateless_tokens = configured).await;
        let headers: Vec<(&str, &str)> = header
            .map(|h| ("x-github-stateless-s2s-token", h))
            .into_iter()
            .collect();
        let a = w.mint_answer(1, &json!({}), &headers).await;
        assert_eq!(a.status, 201, "{:?}", a.body);
        let token = a.body["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("ghs_"), "{token}");
        let case = format!("{configured} {header:?}: {token}");
        if stateless {
            assert!(
                (500..=540).contains(&token.len()),
                "{case}: {} characters",
                token.len()
            );
            assert_eq!(token.matches('.').count(), 2, "{case}");
        } else {
            assert_eq!(token.len(), 40, "{case}");
        }
        let d = call(
            &w.fake,
            "POST",
            "/repos/octo/deploy/dispatches",
            Some(&format!("Bearer {token}")),
            Some(&dispatch_body("s")),
            &[],
        )
        .await;
        assert_eq!(d.status, 204, "{case}");
        let r = call(
            &w.fake,
            "DELETE",
            "/installation/token",
            Some(&format!("token {token}")),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status, 204, "{case}");
        let again = call(
            &w.fake,
            "DELETE",
            "/installation/token",
            Some(&format!("token {token}")),
            None,
            &[],
        )
        .await;
        assert_error(&again, 401, BAD_CREDENTIALS);
    }
}

#[tokio::test]
async fn other_requests_get_github_s_404_and_are_recorded() {
    let w = world(|_| {}).await;
    for (method, path) in [
        ("GET", "/app/installations"),
        ("POST", "/repos/octo/deploy/installation"),
        ("GET", "/installation/token"),
    ] {
        let a = call(
            &w.fake,
            method,
            path,
            Some(&format!("Bearer {}", w.jwt())),
            None,
            &[],
        )
        .await;
        assert_error(&a, 404, NOT_FOUND);
    }
    assert_eq!(
        w.fake.unexpected(),
        [
            ("GET".to_owned(), "/app/installations".to_owned()),
            (
                "POST".to_owned(),
                "/repos/octo/deploy/installation".to_owned()
            ),
            ("GET".to_owned(), "/installation/token".to_owned()),
        ]
    );
    assert!(w.fake.jwts().is_empty());
}
