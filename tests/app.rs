//! GitHub App authentication end to end, against the fake App API
//! (tests/common/app.rs), which verifies every JWT's RS256 signature with the
//! public half of a key made here, checks `iat`, `exp` and the issuer, and
//! accepts each minted token only for its repositories and permissions.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::app::{
    AppConfig, AppFake, AppKey, CLIENT_ID, Endpoint, Fault, Installation, RevokeFault, app_api,
    app_key,
};
use common::{Run, TOKEN, actions_env, run, set};

/// Owners and repositories the App is installed on, with every permission a
/// step could ask for.
fn installations() -> Vec<Installation> {
    let all = [
        ("contents", "write"),
        ("actions", "write"),
        ("metadata", "read"),
    ];
    vec![
        Installation::new(11, "org-one", &["deployments", "site", "other"], &all),
        Installation::new(22, "org-two", &["deployments"], &all),
    ]
}

/// The command line of a dispatch to org-one/deployments as the App 123456,
/// its key in the file at `key`, through the API at `api`.
fn cli_args<'a>(key: &'a std::path::Path, api: &'a str) -> [&'a str; 10] {
    [
        "--app-id",
        "123456",
        "--private-key-file",
        key.to_str().unwrap(),
        "-r",
        "org-one/deployments",
        "-e",
        "trigger-deploy",
        "--api-url",
        api,
    ]
}

/// A step in Actions authenticating as the App (client id and key), the
/// runner's default token still passed, dispatching to `repos`.
async fn app_step(fake: &AppFake, key: &str, repos: &str, extra: &[(&str, Option<&str>)]) -> Run {
    let mut env = actions_env(&fake.uri());
    set(
        &mut env,
        &[
            ("INPUT_CLIENT-ID", Some(CLIENT_ID)),
            ("INPUT_PRIVATE-KEY", Some(key)),
            ("INPUT_REPOSITORY", Some(repos)),
            ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.05")),
        ],
    );
    set(&mut env, extra);
    let r = run(&env, &[]).await;
    no_secret_in(fake, key, &r);
    r
}

/// No minted token, no JWT, no line of the key, no given token, anywhere
/// but in the `::add-mask::` commands that hide them from the log; and in
/// Actions each minted token and line of the key was masked.
fn no_secret_in(fake: &AppFake, key: &str, r: &Run) {
    let all = r.everything();
    let (masks, rest): (Vec<&str>, Vec<&str>) =
        all.lines().partition(|l| l.starts_with("::add-mask::"));
    let masked: Vec<&str> = masks.iter().map(|l| &l["::add-mask::".len()..]).collect();
    let everything = rest.join("\n");
    fake.assert_no_token_in(&everything);
    let in_actions = !masks.is_empty();
    for token in fake.issued_tokens() {
        assert!(
            !in_actions || masked.contains(&token.as_str()),
            "{token} not masked"
        );
    }
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(
            !everything.contains(line),
            "a line of the key leaked: {everything}"
        );
        assert!(!in_actions || masked.contains(&line), "{line} not masked");
    }
    assert!(!everything.contains(TOKEN), "{everything}");
    // A JWT is three base64url parts; its header is always the same.
    assert!(
        !everything.contains("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"),
        "{everything}"
    );
}

/// Permissions as the fake records a token request's.
type Permissions = Option<BTreeMap<String, String>>;

#[allow(clippy::unnecessary_wraps)] // compared with the fake's records, which are Options
fn perms(pairs: &[(&str, &str)]) -> Permissions {
    Some(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

struct Setup {
    _dir: tempfile::TempDir,
    key: AppKey,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let key = app_key(dir.path());
    Setup { _dir: dir, key }
}

/// Two owners: two tokens, each scoped to its owner's targets and to
/// Contents: write; each dispatch sent with its owner's token; both revoked.
#[tokio::test]
async fn two_owners_get_two_scoped_tokens_each_used_for_its_own_and_revoked() {
    let s = setup();
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments\norg-two/deployments\nOrg-One/site",
        &[],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let requests = fake.token_requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let scoped: Vec<(u64, Option<Vec<String>>, Permissions)> = requests
        .iter()
        .map(|t| {
            (
                t.installation_id,
                t.repositories.clone(),
                t.permissions.clone(),
            )
        })
        .collect();
    assert_eq!(
        scoped,
        vec![
            (
                11,
                Some(vec!["deployments".to_owned(), "site".to_owned()]),
                perms(&[("contents", "write")])
            ),
            (
                22,
                Some(vec!["deployments".to_owned()]),
                perms(&[("contents", "write")])
            ),
        ]
    );
    let tokens = fake.tokens();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0].token, tokens[1].token);
    let token_of = |owner: &str| {
        tokens
            .iter()
            .find(|t| t.owner.eq_ignore_ascii_case(owner))
            .unwrap()
            .token
            .clone()
    };
    let used: Vec<(String, String, u16)> = fake
        .dispatches()
        .iter()
        .map(|d| (d.repo.clone(), d.token.clone(), d.status))
        .collect();
    assert_eq!(
        used,
        vec![
            ("org-one/deployments".to_owned(), token_of("org-one"), 204),
            ("org-two/deployments".to_owned(), token_of("org-two"), 204),
            ("Org-One/site".to_owned(), token_of("org-one"), 204),
        ]
    );
    assert!(
        fake.tokens().iter().all(|t| t.revoked),
        "{:?}",
        fake.tokens()
    );
    assert_eq!(fake.revocations().len(), 2);
    assert!(fake.unexpected().is_empty(), "{:?}", fake.unexpected());
    // The JWTs were signed with the key and named the App by its client id.
    assert!(
        fake.jwts()
            .iter()
            .all(|j| j.signature_ok && j.rejected.is_none())
    );
    assert!(
        fake.jwts()
            .iter()
            .all(|j| j.iss.as_ref().and_then(|i| i.as_str()) == Some(CLIENT_ID))
    );
}

/// The permissions follow what the step does: Actions: read added to wait,
/// Actions: write alone for a `workflow_dispatch` (waiting included); the
/// tokens are revoked after the wait too.
#[tokio::test]
async fn permissions_are_exactly_what_the_step_does() {
    let s = setup();
    for (extra, expected) in [
        (
            &[("INPUT_WAIT-FOR-RUN", Some("true"))][..],
            perms(&[("actions", "read"), ("contents", "write")]),
        ),
        (
            &[
                ("INPUT_WORKFLOW", Some("deploy.yml")),
                ("INPUT_REF", Some("main")),
                ("INPUT_EVENT-TYPE", None),
                ("INPUT_CLIENT-PAYLOAD", None),
            ][..],
            perms(&[("actions", "write")]),
        ),
        (
            &[
                ("INPUT_WORKFLOW", Some("deploy.yml")),
                ("INPUT_REF", Some("main")),
                ("INPUT_EVENT-TYPE", None),
                ("INPUT_CLIENT-PAYLOAD", None),
                ("INPUT_WAIT-FOR-RUN", Some("true")),
            ][..],
            perms(&[("actions", "write")]),
        ),
    ] {
        let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
        let r = app_step(&fake, &s.key.pkcs1_pem, "org-one/deployments", extra).await;
        assert_eq!(r.code, 0, "{extra:?}: {r:?}");
        let requests = fake.token_requests();
        assert_eq!(requests.len(), 1, "{requests:?}");
        assert_eq!(requests[0].permissions, expected, "{extra:?}");
        assert!(fake.tokens().iter().all(|t| t.revoked), "{extra:?}");
        // The default timeouts end well within a token's hour.
        assert!(!r.stdout.contains("lives one hour"), "{}", r.stdout);
        if extra.iter().any(|(k, _)| *k == "INPUT_WAIT-FOR-RUN") {
            assert!(!fake.run_reads().is_empty(), "{extra:?}");
            assert_eq!(r.output("conclusion").as_deref(), Some("success"), "{r:?}");
        }
    }
}

/// A wait that could outlast the minted tokens: said before anything is
/// sent, with the figures and the fix; the step goes on.
#[tokio::test]
async fn a_wait_longer_than_a_token_lives_is_warned_of() {
    let s = setup();
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments",
        &[
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("INPUT_WAIT-TIMEOUT", Some("2h")),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let warning = r
        .stdout
        .lines()
        .find(|l| l.starts_with("::warning::") && l.contains("lives one hour"))
        .unwrap_or_else(|| panic!("no warning: {}", r.stdout));
    assert!(
        warning.contains("wait-timeout 2h")
            && warning
                .contains("keep the three under 55m together, or give a token instead of the App"),
        "{warning}"
    );
    // Before the first request: the first JWT comes after it.
    let first_request = r.stdout.find("minted an installation token").unwrap();
    assert!(
        r.stdout.find(warning).unwrap() < first_request,
        "{}",
        r.stdout
    );
}

/// A failed dispatch and a wait that times out still revoke every token.
#[tokio::test]
async fn tokens_are_revoked_after_a_failed_dispatch_and_a_wait_timeout() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.failing_dispatch = vec!["org-two/deployments".to_owned()];
    let fake = app_api(config).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments\norg-two/deployments",
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(fake.tokens().len(), 2);
    assert!(
        fake.tokens().iter().all(|t| t.revoked),
        "{:?}",
        fake.tokens()
    );

    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.runs_never_complete = true;
    let fake = app_api(config).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments",
        &[
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("INPUT_WAIT-TIMEOUT", Some("20s")),
        ],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains("did not complete within 20s"),
        "{}",
        r.stdout
    );
    assert_eq!(fake.tokens().len(), 1);
    assert!(
        fake.tokens().iter().all(|t| t.revoked),
        "{:?}",
        fake.tokens()
    );
}

/// An owner the App is not installed on: its repositories fail with the fix,
/// and nothing is sent to them; the other owners are dispatched.
#[tokio::test]
async fn an_owner_without_the_app_fails_with_the_fix_and_the_others_go_on() {
    let s = setup();
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-three/deployments\norg-one/deployments",
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    // Its own error, and the summary's "Some dispatches failed".
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("::error title=GitHub App not installed (404)::org-three/deployments: the GitHub App is not installed on org-three")
            && errors[0].contains("install the app on org-three"),
        "{}",
        errors[0]
    );
    let dispatched: Vec<String> = fake.dispatches().iter().map(|d| d.repo.clone()).collect();
    assert_eq!(dispatched, ["org-one/deployments"]);
    assert!(fake.tokens().iter().all(|t| t.revoked));
    let results = r.results();
    assert_eq!(results[0]["status"], "not-sent", "{results:?}");
    assert_eq!(results[1]["status"], "dispatched", "{results:?}");
}

/// A repository outside the installation's access: the token is refused
/// (422) and the message names it and the fix.
#[tokio::test]
async fn a_repository_outside_the_installation_is_named_with_the_fix() {
    let s = setup();
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-two/deployments\norg-two/secret-repo",
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    // The lookup through org-two/deployments finds the installation; the
    // token for both is refused: an error each, and the summary's.
    let errors = r.errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("Repository outside the installation (422)")
            && errors[0].contains("org-two/deployments, org-two/secret-repo")
            && errors[0].contains("add each of them to the installation's repository access"),
        "{}",
        errors[0]
    );
    assert!(fake.dispatches().is_empty());
}

/// The key of another app: GitHub cannot decode the JWT; every repository
/// fails with what to check, nothing is dispatched, nothing is minted.
#[tokio::test]
async fn a_key_of_another_app_says_so() {
    let s = setup();
    let other = tempfile::tempdir().unwrap();
    let other_key = app_key(other.path());
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    let r = app_step(
        &fake,
        &other_key.pkcs8_pem,
        "org-one/deployments\norg-two/deployments",
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    for e in &errors[..2] {
        assert!(
            e.contains(
                "GitHub could not accept the App's JWT (A JSON web token could not be decoded"
            ) && e.contains("the private key belongs to another app"),
            "{e}"
        );
    }
    // One lookup: the App's own trouble is not retried per owner.
    assert_eq!(fake.jwts().len(), 1, "{:?}", fake.jwts());
    assert!(fake.tokens().is_empty() && fake.dispatches().is_empty());
}

/// A clock out of step with GitHub's: one 401 about the JWT's times, one JWT
/// signed again with the time of GitHub's `Date`, and the step goes on.
#[tokio::test]
async fn a_skewed_clock_gets_one_resigned_jwt() {
    let s = setup();
    // GitHub's clock 5 minutes behind (the JWT's iat is in its future), and
    // 10 minutes ahead (its exp has passed).
    for offset in [-300, 600] {
        let mut config = AppConfig::new(&s.key.public_der, installations());
        config.clock_offset_secs = offset;
        let fake = app_api(config).await;
        let r = app_step(&fake, &s.key.pkcs1_pem, "org-one/deployments", &[]).await;
        assert_eq!(r.code, 0, "{offset}: {r:?}");
        let jwts = fake.jwts();
        assert!(jwts[0].rejected.is_some(), "{offset}: {jwts:?}");
        assert!(
            jwts[1..].iter().all(|j| j.rejected.is_none()),
            "{offset}: {jwts:?}"
        );
        assert!(
            r.stdout.contains("signing it again with GitHub's time"),
            "{offset}: {}",
            r.stdout
        );
        assert!(fake.tokens().iter().all(|t| t.revoked));
    }
}

/// A `Date` header that disagrees with the clock that checks JWTs: the JWT
/// signed again with that time is refused too, and the step says to check
/// this machine's clock; it is signed again only once.
#[tokio::test]
async fn a_clock_still_off_after_the_resign_says_to_check_it() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    // GitHub checks JWTs 10 minutes ahead of this machine, but its `Date`
    // says this machine's time: the re-signed JWT has expired as well.
    config.clock_offset_secs = 600;
    config.date_offset_secs = -600;
    let fake = app_api(config).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments\norg-two/deployments",
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    let jwts = fake.jwts();
    assert_eq!(jwts.len(), 2, "signed twice, no more: {jwts:?}");
    assert!(jwts.iter().all(|j| j.rejected.is_some()), "{jwts:?}");
    let errors = r.errors();
    // One per repository (both owners: the clock is the App's trouble, not
    // an owner's), and the summary's.
    assert_eq!(errors.len(), 3, "{errors:?}");
    for (error, repo) in errors
        .iter()
        .zip(["org-one/deployments", "org-two/deployments"])
    {
        assert!(
            error.starts_with(&format!(
                "::error title=GitHub App JWT refused (401)::{repo}: "
            )) && error.contains("again after it was signed with GitHub's own time")
                && error.contains("check this machine's clock (NTP)"),
            "{error}"
        );
    }
    assert!(fake.lookups().is_empty());
    assert!(fake.tokens().is_empty());
    assert!(fake.dispatches().is_empty());
}

/// Installation lookups (reads) are repeated after a server error and after
/// a rate limit's `Retry-After`; a token request (a write) is repeated after
/// a rate limit, which GitHub answers before doing anything, so one token is
/// created; the step goes on with warnings.
#[tokio::test]
async fn app_endpoints_wait_out_server_errors_and_rate_limits() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.faults = vec![
        Fault::new(Endpoint::Lookup, 503, "Service Unavailable", None),
        Fault::new(
            Endpoint::Lookup,
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            Some(2),
        ),
        Fault::new(Endpoint::Mint, 429, "Too Many Requests", Some(1)),
    ];
    let fake = app_api(config).await;
    let r = app_step(&fake, &s.key.pkcs1_pem, "org-one/deployments", &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        fake.fault_answers(),
        [
            (Endpoint::Lookup, 503),
            (Endpoint::Lookup, 403),
            (Endpoint::Mint, 429)
        ]
    );
    assert_eq!(fake.lookups().len(), 1, "{:?}", fake.lookups());
    assert_eq!(fake.token_requests().len(), 1);
    let tokens = fake.tokens();
    assert_eq!(tokens.len(), 1, "created once: {tokens:?}");
    assert!(tokens[0].revoked);
    assert_eq!(fake.dispatches().len(), 1);
    let warnings: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::warning") && l.contains("trying again in"))
        .collect();
    assert_eq!(warnings.len(), 3, "{}", r.stdout);
    assert!(
        warnings.iter().all(|w| w.contains("org-one: ")),
        "{warnings:?}"
    );
}

/// A token request answered 502: the gateway may have created a token whose
/// answer was lost, so it is not sent again; that owner's repositories fail
/// saying so, the other owner's are dispatched.
#[tokio::test]
async fn a_token_request_lost_at_a_gateway_is_not_repeated() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.faults = vec![Fault::new(Endpoint::Mint, 502, "Bad Gateway", None)];
    let fake = app_api(config).await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments\norg-two/deployments",
        &[],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(fake.fault_answers(), [(Endpoint::Mint, 502)]);
    // org-two's request is the only one that reached the minting.
    let requests = fake.token_requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].installation_id, 22);
    let errors = r.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "::error title=Could not create an installation token for org-one (502)::org-one/deployments: GitHub answered 502"
        ) && errors[0].contains("not sent again because GitHub may have created a token")
            && errors[0].contains("run the job again"),
        "{}",
        errors[0]
    );
    let dispatched: Vec<String> = fake.dispatches().iter().map(|d| d.repo.clone()).collect();
    assert_eq!(dispatched, ["org-two/deployments"]);
    assert!(fake.tokens().iter().all(|t| t.revoked));
}

/// From a shell: --app-id and --private-key-file, and the key's body is
/// never printed even when GitHub refuses.
#[tokio::test]
async fn the_command_line_takes_the_app_id_and_a_key_file() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.pem");
    std::fs::write(&path, &s.key.pkcs1_pem).unwrap();
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    let uri = fake.uri();
    let args = cli_args(&path, &uri);
    let r = run(&[], &args).await;
    assert_eq!(r.code, 0, "{r:?}");
    no_secret_in(&fake, &s.key.pkcs1_pem, &r);
    assert_eq!(fake.dispatches().len(), 1);
    assert!(
        fake.jwts()
            .iter()
            .all(|j| j.iss.as_ref().is_some_and(|i| i == "123456"))
    );
    assert!(fake.tokens().iter().all(|t| t.revoked));
    assert!(Path::new(&path).exists());
}

/// An installation without a permission the step needs: the token is
/// refused (422) and the message says which permission and where to grant it.
#[tokio::test]
async fn a_permission_the_installation_lacks_says_which() {
    let s = setup();
    let fake = app_api(AppConfig::new(
        &s.key.public_der,
        vec![Installation::new(
            11,
            "org-one",
            &["deployments"],
            &[("contents", "write"), ("metadata", "read")],
        )],
    ))
    .await;
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments",
        &[("INPUT_WAIT-FOR-RUN", Some("true"))],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert!(
        errors[0].starts_with("::error title=Permission not granted (422)::org-one/deployments: ")
            && errors[0]
                .contains("The permissions requested are not granted to this installation.")
            && errors[0].contains("Actions: read to wait")
            && errors[0].contains("then accept them in the installation on org-one"),
        "{errors:?}"
    );
    assert_eq!(
        fake.token_requests()[0].permissions,
        perms(&[("actions", "read"), ("contents", "write")])
    );
    assert!(fake.dispatches().is_empty() && fake.tokens().is_empty());
}

/// Stateless installation tokens (about 520 characters, JWT-shaped, as GitHub
/// is rolling out): nothing assumes a length or shape; with debug logging on,
/// no token, JWT or key line reaches the log, the outputs or the summary.
#[tokio::test]
async fn long_stateless_tokens_work_and_debug_logs_leak_nothing() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.stateless_tokens = true;
    let fake = app_api(config).await;
    let r = app_step(
        &fake,
        &s.key.pkcs8_pem.replace('\n', "\\n"),
        "org-one/deployments\norg-two/deployments",
        &[
            ("RUNNER_DEBUG", Some("1")),
            ("INPUT_WAIT-FOR-RUN", Some("true")),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    no_secret_in(&fake, &s.key.pkcs8_pem, &r);
    let tokens = fake.tokens();
    assert_eq!(tokens.len(), 2);
    assert!(
        tokens.iter().all(|t| t.token.len() >= 500 && t.revoked),
        "{tokens:?}"
    );
    assert!(r.stdout.contains("::debug::"), "debug logging was not on");
    assert_eq!(fake.dispatches().len(), 2);
    assert_eq!(r.output("conclusion").as_deref(), Some("success"), "{r:?}");
}

/// The post step as the runner starts it: the image's /revoke (here a link
/// to the binary named `revoke`), in Actions, with the saved state as `STATE_*`.
async fn post_step(revoke: &Path, api: &str, state: &[(String, String)]) -> std::process::Output {
    tokio::process::Command::new(revoke)
        .env_clear()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_API_URL", api)
        .env("REPOSITORY_DISPATCH_TIME_SCALE", "0.05")
        .envs(state.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .await
        .unwrap()
}

/// The post step started as `program ARGS` (`repository-dispatch revoke`),
/// otherwise as [`post_step`] starts it.
async fn post_command(
    program: &Path,
    args: &[&str],
    api: &str,
    state: &[(String, String)],
) -> std::process::Output {
    tokio::process::Command::new(program)
        .args(args)
        .env_clear()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_API_URL", api)
        .env("REPOSITORY_DISPATCH_TIME_SCALE", "0.05")
        .envs(state.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .await
        .unwrap()
}

/// A step with a GitHub App for two owners, killed once both runs are being
/// waited for: its tokens are still live. Returns the fake and the state the
/// step saved, as the runner hands it to the post step (`STATE_NAME`, value).
async fn cancelled_step(s: &Setup, dir: &Path) -> (AppFake, (String, String)) {
    use std::process::Stdio;
    use std::time::Duration;

    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.runs_never_complete = true;
    let fake = app_api(config).await;
    let state = dir.join("save_state");
    let output = dir.join("set_output");
    std::fs::write(&state, "").unwrap();
    let mut env = actions_env(&fake.uri());
    let state_var = state.to_str().unwrap().to_owned();
    let output_var = output.to_str().unwrap().to_owned();
    set(
        &mut env,
        &[
            ("INPUT_CLIENT-ID", Some(CLIENT_ID)),
            ("INPUT_PRIVATE-KEY", Some(&s.key.pkcs1_pem)),
            (
                "INPUT_REPOSITORY",
                Some("org-one/deployments\norg-two/deployments"),
            ),
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("GITHUB_STATE", Some(&state_var)),
            ("GITHUB_OUTPUT", Some(&output_var)),
        ],
    );
    let mut main = tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let waited = tokio::time::timeout(Duration::from_mins(1), async {
        while fake.dispatches().len() < 2 || fake.run_reads().is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the step did not get to the wait");
    main.kill().await.unwrap();
    let _ = main.wait().await;
    assert_eq!(fake.tokens().len(), 2);
    assert!(fake.tokens().iter().all(|t| !t.revoked));
    let saved = common::parse_output_file(&std::fs::read_to_string(&state).unwrap());
    let (name, value) = saved.last().cloned().unwrap();
    assert_eq!(name, "dispatch_tokens");
    (fake, (format!("STATE_{name}"), value))
}

/// `repository-dispatch revoke` is the post step the image's /revoke link
/// runs: after the same cancelled step, it revokes the same tokens with the
/// same requests, makes no other, and says the same.
#[tokio::test]
async fn the_revoke_command_revokes_as_the_revoke_name_does() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_repository-dispatch"));
    let link = dir.path().join("revoke");
    std::os::unix::fs::symlink(binary, &link).unwrap();
    let mut said_by = Vec::new();
    for (i, (program, args)) in [(link.as_path(), &[][..]), (binary, &["revoke"][..])]
        .into_iter()
        .enumerate()
    {
        let step_dir = dir.path().join(format!("step{i}"));
        std::fs::create_dir(&step_dir).unwrap();
        let (fake, state) = cancelled_step(&s, &step_dir).await;
        let post = post_command(program, args, &fake.uri(), &[state]).await;
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&post.stdout),
            String::from_utf8_lossy(&post.stderr)
        );
        assert_eq!(post.status.code(), Some(0), "{args:?}: {said}");
        assert!(fake.tokens().iter().all(|t| t.revoked), "{args:?}: {said}");
        assert_eq!(fake.revocations().len(), 2, "{args:?}: {said}");
        assert_eq!(fake.dispatches().len(), 2, "{args:?}");
        assert!(fake.unexpected().is_empty(), "{args:?}");
        let (masks, rest): (Vec<&str>, Vec<&str>) =
            said.lines().partition(|l| l.starts_with("::add-mask::"));
        assert_eq!(masks.len(), 2, "{args:?}: {said}");
        fake.assert_no_token_in(&rest.join("\n"));
        said_by.push(rest.join("\n"));
    }
    assert_eq!(said_by[0], said_by[1]);
    assert!(
        said_by[1].contains(
            "the main step left 2 installation tokens: revoked the installation tokens of org-one and org-two"
        ),
        "{}",
        said_by[1]
    );
}

/// A cancelled step: killed while it waits, its tokens are still live, and
/// the state it saved names them; the post step (the binary run as `revoke`,
/// as the image's /revoke link runs it, with the state as `STATE_*`) revokes
/// each. After a step that ended normally, the state it leaves is empty.
#[tokio::test]
async fn the_post_step_revokes_what_a_cancelled_step_left() {
    use std::process::Stdio;
    use std::time::Duration;

    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.runs_never_complete = true;
    let fake = app_api(config).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("save_state");
    let output = dir.path().join("set_output");
    std::fs::write(&state, "").unwrap();
    let mut env = actions_env(&fake.uri());
    let state_var = state.to_str().unwrap().to_owned();
    let output_var = output.to_str().unwrap().to_owned();
    set(
        &mut env,
        &[
            ("INPUT_CLIENT-ID", Some(CLIENT_ID)),
            ("INPUT_PRIVATE-KEY", Some(&s.key.pkcs1_pem)),
            (
                "INPUT_REPOSITORY",
                Some("org-one/deployments\norg-two/deployments"),
            ),
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("GITHUB_STATE", Some(&state_var)),
            ("GITHUB_OUTPUT", Some(&output_var)),
        ],
    );
    let mut main = tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // Cancelled once both owners' runs are being waited for.
    let waited = tokio::time::timeout(Duration::from_mins(1), async {
        while fake.dispatches().len() < 2 || fake.run_reads().is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the step did not get to the wait");
    main.kill().await.unwrap();
    let _ = main.wait().await;
    assert_eq!(fake.tokens().len(), 2);
    assert!(fake.tokens().iter().all(|t| !t.revoked));

    // The runner hands the saved state to the post step as STATE_NAME.
    let saved = common::parse_output_file(&std::fs::read_to_string(&state).unwrap());
    let (name, value) = saved.last().cloned().unwrap();
    assert_eq!(name, "dispatch_tokens");
    let revoke = dir.path().join("revoke");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_repository-dispatch"), &revoke).unwrap();
    let post = post_step(&revoke, &fake.uri(), &[(format!("STATE_{name}"), value)]).await;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&post.stdout),
        String::from_utf8_lossy(&post.stderr)
    );
    assert_eq!(post.status.code(), Some(0), "{said}");
    assert!(fake.tokens().iter().all(|t| t.revoked), "{said}");
    assert_eq!(fake.revocations().len(), 2, "{said}");
    assert!(
        said.contains(
            "the main step left 2 installation tokens: revoked the installation tokens of org-one and org-two\n"
        ),
        "{said}"
    );
    assert!(!said.contains("::warning"), "{said}");
    let (masks, rest): (Vec<&str>, Vec<&str>) =
        said.lines().partition(|l| l.starts_with("::add-mask::"));
    assert_eq!(masks.len(), 2, "{said}");
    fake.assert_no_token_in(&rest.join("\n"));
    // Nothing was dispatched again, and no other request was made.
    assert_eq!(fake.dispatches().len(), 2);
    assert!(fake.unexpected().is_empty());

    // A step that ends by itself leaves an empty list: its post step does
    // nothing.
    let fake = app_api(AppConfig::new(&s.key.public_der, installations())).await;
    std::fs::write(&state, "").unwrap();
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments",
        &[("GITHUB_STATE", Some(&state_var))],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let saved = common::parse_output_file(&std::fs::read_to_string(&state).unwrap());
    assert_eq!(saved.len(), 2, "minted, then all revoked: {saved:?}");
    assert_eq!(saved[1], ("dispatch_tokens".to_owned(), String::new()));
    let post = post_step(
        &revoke,
        &fake.uri(),
        &[("STATE_dispatch_tokens".to_owned(), String::new())],
    )
    .await;
    assert_eq!(post.status.code(), Some(0));
    assert!(post.stdout.is_empty() && post.stderr.is_empty(), "{post:?}");
    assert_eq!(fake.revocations().len(), 1);
}

/// Stopped while it waits (Ctrl-C at a shell, the runner's SIGTERM when a job
/// is cancelled): the step revokes its tokens before it exits, and says so.
#[tokio::test]
async fn a_stopped_step_revokes_its_tokens_before_it_exits() {
    use std::process::Stdio;
    use std::time::Duration;

    let s = setup();
    for signal in ["INT", "TERM"] {
        let mut config = AppConfig::new(&s.key.public_der, installations());
        config.runs_never_complete = true;
        let fake = app_api(config).await;
        let mut env = actions_env(&fake.uri());
        set(
            &mut env,
            &[
                ("INPUT_CLIENT-ID", Some(CLIENT_ID)),
                ("INPUT_PRIVATE-KEY", Some(&s.key.pkcs1_pem)),
                ("INPUT_REPOSITORY", Some("org-one/deployments")),
                ("INPUT_WAIT-FOR-RUN", Some("true")),
            ],
        );
        let step = tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"))
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let waited = tokio::time::timeout(Duration::from_mins(1), async {
            while fake.run_reads().is_empty() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        assert!(waited.is_ok(), "the step did not get to the wait");
        let pid = step.id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let out = tokio::time::timeout(Duration::from_secs(20), step.wait_with_output())
            .await
            .expect("the step exits soon after the signal")
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{signal}: {said}");
        assert!(
            said.contains(&format!(
                "::error title=Stopped::stopped by SIG{signal}: dispatches already sent stand, and nothing more was sent; revoked the installation token of org-one\n"
            )),
            "{said}"
        );
        assert_eq!(fake.tokens().len(), 1);
        assert!(fake.tokens().iter().all(|t| t.revoked), "{signal}: {said}");
        assert_eq!(fake.dispatches().len(), 1);
    }
}

/// The App installed on three owners.
fn three_owners() -> Vec<Installation> {
    let all = [("contents", "write"), ("actions", "write")];
    let mut list = installations();
    list.push(Installation::new(33, "org-three", &["deployments"], &all));
    list
}

/// A step in Actions as the App, dispatching to `repos`, its state in
/// `state`, its clock scaled by `scale`.
fn stoppable_env(
    fake: &AppFake,
    key: &str,
    repos: &str,
    state: &Path,
    scale: &str,
    extra: &[(&str, Option<&str>)],
) -> Vec<(String, String)> {
    let mut env = actions_env(&fake.uri());
    set(
        &mut env,
        &[
            ("INPUT_CLIENT-ID", Some(CLIENT_ID)),
            ("INPUT_PRIVATE-KEY", Some(key)),
            ("INPUT_REPOSITORY", Some(repos)),
            ("GITHUB_STATE", state.to_str()),
            ("REPOSITORY_DISPATCH_TIME_SCALE", Some(scale)),
        ],
    );
    set(&mut env, extra);
    env
}

/// Starts the step, to be stopped.
fn spawn_step(env: &[(String, String)]) -> tokio::process::Child {
    use std::process::Stdio;
    tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

/// Waits (at most a minute) until `ready` holds.
async fn until(what: &str, ready: impl Fn() -> bool) {
    let waited = tokio::time::timeout(std::time::Duration::from_mins(1), async {
        while !ready() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "{what} did not happen");
}

/// Sends `SIG{signal}` to `step`.
fn send_signal(step: &tokio::process::Child, signal: &str) {
    let pid = step.id().unwrap().to_string();
    let sent = std::process::Command::new("kill")
        .args([format!("-{signal}"), pid])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Every value the step saved as `dispatch_tokens`, in order.
fn saved_tokens(state: &Path) -> Vec<String> {
    common::parse_output_file(&std::fs::read_to_string(state).unwrap())
        .into_iter()
        .filter(|(name, _)| name == "dispatch_tokens")
        .map(|(_, value)| value)
        .collect()
}

/// The token the fake minted for `owner`.
fn token_of(fake: &AppFake, owner: &str) -> String {
    fake.tokens()
        .iter()
        .find(|t| t.owner == owner)
        .unwrap_or_else(|| panic!("no token for {owner}"))
        .token
        .clone()
}

/// The post step (the binary as `revoke`) with `state` as it was saved.
async fn post_step_with(fake: &AppFake, state: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let revoke = dir.path().join("revoke");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_repository-dispatch"), &revoke).unwrap();
    let post = post_step(
        &revoke,
        &fake.uri(),
        &[("STATE_dispatch_tokens".to_owned(), state.to_owned())],
    )
    .await;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&post.stdout),
        String::from_utf8_lossy(&post.stderr)
    );
    let rest: Vec<&str> = said
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect();
    fake.assert_no_token_in(&rest.join("\n"));
    (post.status.code().unwrap_or(-1), said)
}

const REVOKE_DOCS: &str =
    "https://docs.github.com/rest/apps/installations#revoke-an-installation-access-token";

/// Stopped while it waits, with one owner's revocation refused (`500`) or
/// hanging: the step says which tokens it revoked and which it left for the
/// post step, by owner, and leaves exactly those in the state; the post
/// step revokes them and says so; a token revoked already is no longer
/// valid there, which is harmless and said quietly.
#[tokio::test]
async fn a_stopped_step_says_which_tokens_it_revoked_and_which_it_left() {
    let s = setup();
    let why_500 = format!("GitHub answered 500: Server Error - {REVOKE_DOCS}");
    // (signal, org-two's revocations, why it was not revoked)
    for (signal, fault, why) in [
        (
            "TERM",
            RevokeFault::status("org-two", 500, 1),
            why_500.as_str(),
        ),
        (
            "INT",
            RevokeFault::hang("org-two"),
            "no answer within 5s of SIGINT",
        ),
    ] {
        let case = format!("SIG{signal}, {why}");
        let mut config = AppConfig::new(&s.key.public_der, installations());
        config.runs_never_complete = true;
        config.revoke_faults = vec![fault.clone()];
        let fake = app_api(config).await;
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("save_state");
        std::fs::write(&state, "").unwrap();
        let env = stoppable_env(
            &fake,
            &s.key.pkcs1_pem,
            "org-one/deployments\norg-two/deployments",
            &state,
            "0.1",
            &[("INPUT_WAIT-FOR-RUN", Some("true"))],
        );
        let step = spawn_step(&env);
        until("the wait", || {
            fake.dispatches().len() == 2 && !fake.run_reads().is_empty()
        })
        .await;
        send_signal(&step, signal);
        let stopped = std::time::Instant::now();
        let out = step.wait_with_output().await.unwrap();
        // The clock is scaled by 0.1: five seconds after the stop are half a
        // second here, and the twenty of a revocation not stopped two.
        assert!(
            stopped.elapsed() < std::time::Duration::from_secs(2),
            "{case}: {:?}",
            stopped.elapsed()
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{case}: {said}");
        assert!(
            said.contains(&format!(
                "::error title=Stopped::stopped by SIG{signal}: dispatches already sent stand, and nothing more was sent; revoked the installation token of org-one; the installation token of org-two could not be revoked (org-two: {why}) and is left for the post step\n"
            )),
            "{case}: {said}"
        );
        assert!(
            said.contains(&format!(
                "::warning::org-two: the installation token could not be revoked ({why}); it is left for the post step, which tries again (it expires by itself at "
            )),
            "{case}: {said}"
        );
        let revoked: Vec<(String, bool)> = fake
            .tokens()
            .iter()
            .map(|t| (t.owner.clone(), t.revoked))
            .collect();
        assert_eq!(
            revoked,
            [("org-one".to_owned(), true), ("org-two".to_owned(), false)],
            "{case}"
        );
        assert_eq!(fake.revocations().len(), 2, "{case}");
        // The state: both as minted, then only the one left.
        let (one, two) = (token_of(&fake, "org-one"), token_of(&fake, "org-two"));
        let saved = saved_tokens(&state);
        let both = format!("org-one {one}\norg-two {two}");
        assert_eq!(
            saved,
            [
                format!("org-one {one}"),
                both.clone(),
                format!("org-two {two}")
            ],
            "{case}"
        );

        post_step_after_a_stop(
            &fake,
            saved.last().unwrap(),
            &both,
            fault.status.is_none(),
            &case,
        )
        .await;
    }
}

/// The post step after [`a_stopped_step_says_which_tokens_it_revoked_and_which_it_left`]:
/// it revokes what was `left` (org-two's token), or, when that hangs, says
/// why it could not; given `both` tokens, as a step killed before it saved
/// what it revoked leaves them, it finds them no longer valid, quietly.
async fn post_step_after_a_stop(fake: &AppFake, left: &str, both: &str, hangs: bool, case: &str) {
    let (code, post) = post_step_with(fake, left).await;
    assert_eq!(code, 0, "{case}: {post}");
    if hangs {
        assert!(
            post.contains(
                "::warning::the main step left 1 installation token: the installation token of org-two could not be revoked (org-two: no answer within 20s) and is left to expire within the hour\n"
            ),
            "{case}: {post}"
        );
    } else {
        assert!(
            post.contains(
                "\nthe main step left 1 installation token: revoked the installation token of org-two\n"
            ),
            "{case}: {post}"
        );
        assert!(!post.contains("::warning"), "{case}: {post}");
        assert!(fake.tokens().iter().all(|t| t.revoked), "{case}");
        // A step killed before it saved what it revoked leaves both:
        // revoked already, they are no longer valid, which is no warning.
        let (code, post) = post_step_with(fake, both).await;
        assert_eq!(code, 0, "{case}: {post}");
        assert!(
            post.contains(
                "\nthe main step left 2 installation tokens: the installation tokens of org-one and org-two were no longer valid (revoked or expired already)\n"
            ),
            "{case}: {post}"
        );
        assert!(!post.contains("::warning"), "{case}: {post}");
        assert_eq!(fake.revocations().len(), 5, "{case}");
    }
}

/// A step that ends by itself says which tokens it revoked; one whose
/// revocation is refused is named, warned of and left for the post step.
#[tokio::test]
async fn a_step_that_ends_says_which_tokens_it_revoked() {
    let s = setup();
    let why = format!("GitHub answered 500: Server Error - {REVOKE_DOCS}");
    for (faults, says, left) in [
        (
            vec![],
            "revoked the installation tokens of org-one and org-two".to_owned(),
            vec![],
        ),
        (
            vec![RevokeFault::status("org-two", 500, 1)],
            format!(
                "revoked the installation token of org-one; the installation token of org-two could not be revoked (org-two: {why}) and is left for the post step"
            ),
            vec!["org-two"],
        ),
    ] {
        let mut config = AppConfig::new(&s.key.public_der, installations());
        config.revoke_faults = faults;
        let fake = app_api(config).await;
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("save_state");
        std::fs::write(&state, "").unwrap();
        let r = app_step(
            &fake,
            &s.key.pkcs1_pem,
            "org-one/deployments\norg-two/deployments",
            &[("GITHUB_STATE", state.to_str())],
        )
        .await;
        assert_eq!(r.code, 0, "{says}: {r:?}");
        assert!(r.stdout.lines().any(|l| l == says), "{says}: {}", r.stdout);
        assert_eq!(
            r.stdout
                .contains("::warning::org-two: the installation token could not be revoked"),
            !left.is_empty(),
            "{}",
            r.stdout
        );
        let expected: Vec<String> = left
            .iter()
            .map(|o| format!("{o} {}", token_of(&fake, o)))
            .collect();
        assert_eq!(
            saved_tokens(&state).last(),
            Some(&expected.join("\n")),
            "{says}"
        );
    }
}

/// At a shell no post step follows: a token that could not be revoked is
/// said to expire by itself, never to be left for a post step.
#[tokio::test]
async fn at_a_shell_a_token_not_revoked_expires() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.pem");
    std::fs::write(&path, &s.key.pkcs1_pem).unwrap();
    let mut config = AppConfig::new(&s.key.public_der, installations());
    config.revoke_faults = vec![RevokeFault::status("org-one", 500, 1)];
    let fake = app_api(config).await;
    let uri = fake.uri();
    let args = cli_args(&path, &uri);
    let r = run(&[], &args).await;
    assert_eq!(r.code, 0, "{r:?}");
    no_secret_in(&fake, &s.key.pkcs1_pem, &r);
    let all = r.everything();
    assert!(!all.contains("post step"), "{all}");
    assert!(
        all.contains(&format!(
            "the installation token of org-one could not be revoked (org-one: GitHub answered 500: Server Error - {REVOKE_DOCS}) and is left to expire within the hour"
        )),
        "{all}"
    );
    assert!(
        all.contains("warning: org-one: the installation token could not be revoked (GitHub answered 500: Server Error - https://docs.github.com/rest/apps/installations#revoke-an-installation-access-token); it expires by itself (at "),
        "{all}"
    );
}

/// Three owners whose revocations hang: all three are sent at once (each
/// arrives before the first could have been given up on), the step gives up
/// on them together after 20 s (scaled) and leaves the three for the post
/// step, which does the same.
#[tokio::test]
async fn hanging_revocations_go_at_once_within_one_bound() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, three_owners());
    config.revoke_faults = ["org-one", "org-two", "org-three"]
        .iter()
        .map(|o| RevokeFault::hang(o))
        .collect();
    let fake = app_api(config).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("save_state");
    std::fs::write(&state, "").unwrap();
    let r = app_step(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments\norg-two/deployments\norg-three/deployments",
        &[("GITHUB_STATE", state.to_str())],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    // At a scale of 0.05, 20 s are one second: one at a time, each of the
    // three would have had 30 s (1.5 s here) before the next was sent.
    let bound = std::time::Duration::from_secs(1);
    let at_once = |revocations: &[common::app::TokenUse]| {
        let owners: Vec<&str> = revocations.iter().map(|r| r.owner.as_str()).collect();
        let mut sorted = owners.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["org-one", "org-three", "org-two"], "{owners:?}");
        assert!(revocations.iter().all(|r| r.held));
        let first = revocations.iter().map(|r| r.at).min().unwrap();
        let last = revocations.iter().map(|r| r.at).max().unwrap();
        assert!(
            last - first < bound,
            "the revocations were sent one after another: {:?}",
            last - first
        );
    };
    at_once(&fake.revocations());
    let why = "org-one: no answer within 20s, org-two: no answer within 20s, org-three: no answer within 20s";
    let says = format!(
        "the installation tokens of org-one, org-two and org-three could not be revoked ({why}) and are left for the post step"
    );
    assert!(r.stdout.lines().any(|l| l == says), "{}", r.stdout);
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("::warning::org-"))
            .count(),
        3,
        "{}",
        r.stdout
    );
    let left = ["org-one", "org-two", "org-three"]
        .iter()
        .map(|o| format!("{o} {}", token_of(&fake, o)))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(saved_tokens(&state).last(), Some(&left));
    assert!(fake.tokens().iter().all(|t| !t.revoked));

    // The post step: at once too, and within the same bound.
    let (code, post) = post_step_with(&fake, &left).await;
    assert_eq!(code, 0, "{post}");
    let revocations = fake.revocations();
    assert_eq!(revocations.len(), 6);
    at_once(&revocations[3..]);
    assert!(
        post.contains(&format!(
            "::warning::the main step left 3 installation tokens: the installation tokens of org-one, org-two and org-three could not be revoked ({why}) and are left to expire within the hour\n"
        )),
        "{post}"
    );
}

/// Stopped while it revokes (the runner's SIGINT when a job is cancelled):
/// revoking ends 5 s (scaled) after the signal, not after 20, and what is not
/// revoked is left for the post step; the dispatches' results stand.
#[tokio::test]
async fn a_stop_while_revoking_cuts_it_short() {
    let s = setup();
    let mut config = AppConfig::new(&s.key.public_der, three_owners());
    config.revoke_faults = vec![RevokeFault::hang("org-two"), RevokeFault::hang("org-three")];
    let fake = app_api(config).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("save_state");
    std::fs::write(&state, "").unwrap();
    let output = dir.path().join("set_output");
    // At 0.2, 20 s are four seconds, and 5 s one.
    let env = stoppable_env(
        &fake,
        &s.key.pkcs1_pem,
        "org-one/deployments\norg-two/deployments\norg-three/deployments",
        &state,
        "0.2",
        &[("GITHUB_OUTPUT", output.to_str())],
    );
    let step = spawn_step(&env);
    until("the revocations", || fake.revocations().len() == 3).await;
    send_signal(&step, "INT");
    let stopped = std::time::Instant::now();
    let out = step.wait_with_output().await.unwrap();
    assert!(
        stopped.elapsed() < std::time::Duration::from_secs(4),
        "{:?}",
        stopped.elapsed()
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(
            "::warning::stopped by SIGINT while revoking: revoked the installation token of org-one; the installation tokens of org-two and org-three could not be revoked (org-two: no answer within 5s of SIGINT, org-three: no answer within 5s of SIGINT) and are left for the post step\n"
        ),
        "{said}"
    );
    let left = format!(
        "org-two {}\norg-three {}",
        token_of(&fake, "org-two"),
        token_of(&fake, "org-three")
    );
    assert_eq!(saved_tokens(&state).last(), Some(&left));
    let outputs = common::parse_output_file(&std::fs::read_to_string(&output).unwrap());
    assert!(
        outputs.iter().any(|(name, _)| name == "results"),
        "{outputs:?}"
    );
}
