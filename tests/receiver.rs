//! "Did anything start?": the receiver check (`check-receiver`) through the
//! built binary, against the fake GitHub of repositories' workflows
//! (tests/common/workflows.rs): what it reads, what it says, what it sends.

mod common;

use common::workflows::{
    FakeRepo, Read, WorkflowState, WorkflowsConfig, WorkflowsFake, workflows_api,
};
use common::{Run, TOKEN, actions_env, run, set};

const DEPLOY: &str = "name: Deploy\non:\n  repository_dispatch:\n    types: [trigger-deploy, rollback]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo deploy\n";
const CI: &str =
    "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n";
const NOT_YAML: &str = "on: [push\njobs: {}\n";

/// The step in Actions with `check-receiver` as given (`None`: the default)
/// and the repositories listed; time scaled so a bound of seconds takes
/// milliseconds.
fn step(fake: &WorkflowsFake, repositories: &str, mode: Option<&str>) -> Vec<(String, String)> {
    let mut env = actions_env(&fake.uri());
    set(
        &mut env,
        &[
            ("INPUT_CHECK-RECEIVER", mode),
            ("INPUT_REPOSITORY", Some(repositories)),
            ("INPUT_DISPATCH-INTERVAL", Some("0")),
            ("REPOSITORY_DISPATCH_TIME_SCALE", Some("0.05")),
        ],
    );
    env
}

/// The paths of one repository's reads, in order.
fn reads(fake: &WorkflowsFake, repo: &str) -> Vec<String> {
    fake.reads_of(repo).into_iter().map(|s| s.path).collect()
}

fn lines<'a>(r: &'a Run, prefix: &str) -> Vec<&'a str> {
    r.stdout.lines().filter(|l| l.starts_with(prefix)).collect()
}

const FOLDER: &str = "/repos/octo/deploy/contents/.github/workflows";
const STATES: &str = "/repos/octo/deploy/actions/workflows?per_page=100";

/// Every shape of `on:` that listens: no warning, the dispatch sent, and
/// exactly the repository, the folder, each file up to the listener, and the
/// states read.
#[tokio::test]
async fn every_on_shape_that_listens_is_found() {
    let shapes = [
        "on: repository_dispatch\n",
        "on: [push, repository_dispatch]\n",
        "on:\n  - push\n  - repository_dispatch\n",
        "on:\n  repository_dispatch:\n",
        "on:\n  repository_dispatch: {}\n",
        "on:\n  repository_dispatch:\n    types: trigger-deploy\n",
        "on:\n  repository_dispatch:\n    types: [rollback, trigger-deploy]\n",
        "'on':\n  repository_dispatch:\n    types:\n      - trigger-deploy\n",
        "\"on\": {repository_dispatch: {types: [trigger-deploy]}}\n",
    ];
    for shape in shapes {
        let text =
            format!("{shape}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{{run: x}}]\n");
        let fake = workflows_api(WorkflowsConfig::new(vec![
            FakeRepo::new("octo/deploy")
                .workflow("a-ci.yml", CI)
                .workflow("cd.yml", &text),
        ]))
        .await;
        // The default (no check-receiver input) is warn.
        let r = run(&step(&fake, "octo/deploy", None), &[]).await;
        assert_eq!(r.code, 0, "{shape:?}: {r:?}");
        assert!(lines(&r, "::warning").is_empty(), "{shape:?}: {r:?}");
        assert!(lines(&r, "::notice").is_empty(), "{shape:?}: {r:?}");
        assert_eq!(fake.dispatches().len(), 1, "{shape:?}");
        assert_eq!(
            reads(&fake, "octo/deploy"),
            [
                "/repos/octo/deploy".to_owned(),
                FOLDER.to_owned(),
                format!("{FOLDER}/a-ci.yml"),
                format!("{FOLDER}/cd.yml"),
                STATES.to_owned(),
            ],
            "{shape:?}"
        );
        assert!(fake.unexpected().is_empty(), "{:?}", fake.unexpected());
        r.assert_no_token();
    }
}

/// When nothing listens, the warning names the event type, the repository,
/// the default branch and what would help; the dispatch is sent anyway.
#[tokio::test]
async fn warn_says_why_nothing_would_start_and_sends() {
    let branch = |b: &str| FakeRepo::new("octo/deploy").default_branch(b);
    let cases: Vec<(&str, FakeRepo, &str)> = vec![
        (
            "a typo, with the nearest type first",
            branch("trunk")
                .workflow(
                    "nightly.yml",
                    "on:\n  repository_dispatch:\n    types: [rebuild]\njobs: {}\n",
                )
                .workflow("cd.yml", DEPLOY),
            "octo/deploy: no active workflow on its default branch trunk listens for the repository_dispatch event type trigger-deplyo, so nothing would start: did you mean trigger-deploy? cd.yml listens for trigger-deploy, rollback; nightly.yml listens for rebuild; a repository_dispatch starts a workflow only if it is on trunk and active, and its on: has repository_dispatch with no types or with types listing the event type",
        ),
        (
            "a disabled listener",
            branch("main").workflow_in_state(
                "cd.yml",
                "on: repository_dispatch\njobs: {}\n".as_bytes(),
                WorkflowState::DisabledManually,
            ),
            "octo/deploy: no active workflow on its default branch main listens for the repository_dispatch event type trigger-deplyo, so nothing would start: cd.yml would start but is disabled (disabled_manually): enable it in the repository's Actions tab; a repository_dispatch starts a workflow only if it is on main and active, and its on: has repository_dispatch with no types or with types listing the event type",
        ),
        (
            "no workflows folder",
            branch("develop").no_workflows_folder(),
            "octo/deploy: no active workflow on its default branch develop listens for the repository_dispatch event type trigger-deplyo, so nothing would start: there is no .github/workflows on develop; a repository_dispatch starts a workflow only if it is on develop and active, and its on: has repository_dispatch with no types or with types listing the event type",
        ),
        (
            "an empty repository",
            branch("main").empty(),
            "octo/deploy: no active workflow on its default branch main listens for the repository_dispatch event type trigger-deplyo, so nothing would start: the repository is empty; a repository_dispatch starts a workflow only if it is on main and active, and its on: has repository_dispatch with no types or with types listing the event type",
        ),
        (
            "no repository_dispatch at all, and a file that is not YAML",
            branch("main")
                .workflow("ci.yml", CI)
                .workflow("broken.yml", NOT_YAML),
            "octo/deploy: no active workflow on its default branch main listens for the repository_dispatch event type trigger-deplyo, so nothing would start: none of the 1 other workflow files there has on: repository_dispatch; broken.yml could not be read: not YAML: line 2: illegal placement of ':' indicator; a repository_dispatch starts a workflow only if it is on main and active, and its on: has repository_dispatch with no types or with types listing the event type",
        ),
    ];
    for (what, repo, warning) in cases {
        let fake = workflows_api(WorkflowsConfig::new(vec![repo])).await;
        let mut env = step(&fake, "octo/deploy", Some("warn"));
        set(&mut env, &[("INPUT_EVENT-TYPE", Some("trigger-deplyo"))]);
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 0, "{what}: {r:?}");
        assert_eq!(
            lines(&r, "::warning"),
            [format!("::warning::{warning}")],
            "{what}"
        );
        assert_eq!(fake.dispatches().len(), 1, "{what}");
        // The warning stays with the result and in the summary.
        let said = warning.strip_prefix("octo/deploy: ").unwrap();
        assert_eq!(r.results()[0]["status"], "dispatched", "{what}");
        assert_eq!(
            r.results()[0]["message"],
            format!("dispatched, but {said}"),
            "{what}"
        );
        assert!(
            r.summary.contains(&format!(
                "| ✅ dispatched (204); ⚠️ {}",
                said.replace('|', "\\|")
            )),
            "{what}: {}",
            r.summary
        );
        r.assert_no_token();
    }
}

/// A file that does not parse beside one that listens: the listener counts,
/// nothing is said.
#[tokio::test]
async fn an_unparsable_file_beside_a_listener_is_no_reason_to_warn() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .workflow("a-broken.yml", NOT_YAML)
            .workflow("cd.yml", DEPLOY),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("fail")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        lines(&r, "::warning").is_empty() && r.errors().is_empty(),
        "{r:?}"
    );
    assert_eq!(fake.dispatches().len(), 1);
}

/// `fail`: the repository where nothing listens is not sent to, its result
/// says why, the others go on, and the step fails.
#[tokio::test]
async fn fail_does_not_send_where_nothing_listens_and_the_others_go_on() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/a").workflow("cd.yml", DEPLOY),
        FakeRepo::new("octo/b").workflow("ci.yml", CI),
        FakeRepo::new("octo/c").workflow("cd.yml", DEPLOY),
    ]))
    .await;
    let r = run(&step(&fake, "octo/a,octo/b,octo/c", Some("fail")), &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let sent: Vec<String> = fake.dispatches().into_iter().map(|d| d.repo).collect();
    assert_eq!(sent, ["octo/a", "octo/c"]);
    let why = "octo/b: no active workflow on its default branch main listens for the repository_dispatch event type trigger-deploy, so nothing would start: none of the 1 workflow files there has on: repository_dispatch; a repository_dispatch starts a workflow only if it is on main and active, and its on: has repository_dispatch with no types or with types listing the event type";
    assert_eq!(
        r.errors(),
        [
            format!("::error title=No workflow listens::{why}; not sent (check-receiver: fail)"),
            "::error title=Some dispatches failed::1 of 3 dispatches failed or were not sent: octo/b".to_owned(),
        ]
    );
    let results = r.results();
    assert_eq!(results[1]["status"], "not-sent");
    assert_eq!(
        results[1]["message"],
        format!("not sent: {}", why.strip_prefix("octo/b: ").unwrap())
    );
    assert_eq!(results[1]["attempts"], 0);
    assert_eq!(results[0]["status"], "dispatched");
    assert_eq!(results[2]["status"], "dispatched");
    r.assert_no_token();
}

/// Not knowing is never a failure, not even with `fail`: a check that cannot
/// finish in time, or a repository the token cannot see, gets one notice and
/// the dispatch goes as if `off`.
#[tokio::test]
async fn a_check_that_cannot_tell_says_so_and_dispatches() {
    // The folder answers after 1 s; at a time scale of 0.05 the check's
    // 10 s bound is 0.5 s.
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .workflow("cd.yml", "on: push\njobs: {}\n")
            .delay_read(Read::Folder, 1000),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("fail")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        lines(&r, "::notice"),
        [
            "::notice::octo/deploy: could not check whether a workflow listens for trigger-deploy: the check did not finish within 10s (at most 10s, less when timeout leaves less); dispatching without the check"
        ]
    );
    assert_eq!(fake.dispatches().len(), 1);

    // Cut short while reading the files: the notice says how far it got (the
    // file in flight is not counted as read).
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .workflow("a.yml", CI)
            .workflow("b.yml", CI)
            .delay_read(Read::File, 1000),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("warn")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let notices = lines(&r, "::notice");
    assert_eq!(notices.len(), 1, "{r:?}");
    assert!(
        notices[0].ends_with("(at most 10s, less when timeout leaves less); 0 of 2 workflow files read, none listens so far; dispatching without the check"),
        "{notices:?}"
    );
    assert_eq!(fake.dispatches().len(), 1);

    // The token may not read the workflows' states: every file counts as
    // active, and nothing is said.
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .workflow("cd.yml", DEPLOY)
            .actions_forbidden(),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("fail")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        lines(&r, "::notice").is_empty() && lines(&r, "::warning").is_empty(),
        "{r:?}"
    );
    assert_eq!(fake.dispatches().len(), 1);
    assert!(reads(&fake, "octo/deploy").contains(&STATES.to_owned()));

    // In a terminal the notice is a `note:` line.
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy").delay_read(Read::Repository, 1000),
    ]))
    .await;
    let env = vec![
        ("GH_TOKEN".to_owned(), TOKEN.to_owned()),
        (
            "REPOSITORY_DISPATCH_TIME_SCALE".to_owned(),
            "0.05".to_owned(),
        ),
    ];
    let r = run(
        &env,
        &[
            "-r",
            "octo/deploy",
            "-e",
            "trigger-deploy",
            "--api-url",
            &fake.uri(),
            "--check-receiver",
            "fail",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("note: octo/deploy: could not check whether a workflow listens for trigger-deploy: the check did not finish"),
        "{r:?}"
    );
    assert_eq!(fake.dispatches().len(), 1);
    r.assert_no_token();
}

/// `off` sends exactly what the JavaScript action sends: one request.
#[tokio::test]
async fn off_makes_exactly_one_request() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy").workflow("ci.yml", CI),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("off")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let seen: Vec<(String, String)> = fake
        .requests()
        .into_iter()
        .map(|s| (s.method, s.path))
        .collect();
    assert_eq!(
        seen,
        [(
            "POST".to_owned(),
            "/repos/octo/deploy/dispatches".to_owned()
        )]
    );
    assert!(lines(&r, "::warning").is_empty());
}

/// Any other value is an input error that names the three, before any
/// request.
#[tokio::test]
async fn another_mode_is_an_input_error() {
    let fake = workflows_api(WorkflowsConfig::new(vec![FakeRepo::new("octo/deploy")])).await;
    let r = run(&step(&fake, "octo/deploy", Some("strict")), &[]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            "::error title=Invalid input%3A check-receiver::check-receiver is 'strict': give warn (say when no workflow listens, and send), fail (do not send there) or off (no check)"
        ]
    );
    assert!(fake.requests().is_empty());
}

/// `--dry-run --check-receiver warn` reads, never writes, and names the
/// files that would start, or says why none would.
#[tokio::test]
async fn a_dry_run_asked_to_check_names_the_files_that_would_start() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .workflow("cd.yml", DEPLOY)
            .workflow("all.yml", "on: repository_dispatch\njobs: {}\n")
            .workflow("ci.yml", CI),
        FakeRepo::new("octo/other").workflow("ci.yml", CI),
    ]))
    .await;
    let env = vec![("GH_TOKEN".to_owned(), TOKEN.to_owned())];
    let args = [
        "-r",
        "octo/deploy,octo/other",
        "-e",
        "trigger-deploy",
        "--api-url",
        &fake.uri(),
        "--dry-run",
        "--check-receiver",
        "warn",
    ];
    let r = run(&env, &args).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(
            "octo/deploy: would start all.yml, cd.yml (on main, listening for trigger-deploy)\n"
        ),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("warning: octo/other: no active workflow on its default branch main listens for the repository_dispatch event type trigger-deploy"),
        "{r:?}"
    );
    assert!(fake.dispatches().is_empty());
    assert!(fake.requests().iter().all(|s| s.method == "GET"));
    // Every file is read in a dry run; the states once.
    assert_eq!(reads(&fake, "octo/deploy").len(), 6);
    r.assert_no_token();

    // Without the flag a dry run stays offline.
    let fake = workflows_api(WorkflowsConfig::new(vec![FakeRepo::new("octo/deploy")])).await;
    let args = [
        "-r",
        "octo/deploy",
        "-e",
        "x",
        "--api-url",
        &fake.uri(),
        "--dry-run",
    ];
    let r = run(&env, &args).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(fake.requests().is_empty());
}

/// The states list is followed through its `Link` pages; a listener listed
/// as disabled on a later page counts as disabled.
#[tokio::test]
async fn states_are_read_page_by_page() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .workflow("a.yml", CI)
            .workflow("b.yml", CI)
            .workflow_in_state(
                "c.yml",
                DEPLOY.as_bytes(),
                WorkflowState::DisabledInactivity,
            )
            .workflows_page_size(1),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("warn")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let warnings = lines(&r, "::warning");
    assert_eq!(warnings.len(), 1, "{r:?}");
    assert!(
        warnings[0].contains("c.yml would start but is disabled (disabled_inactivity)"),
        "{r:?}"
    );
    let pages: Vec<String> = reads(&fake, "octo/deploy")
        .into_iter()
        .filter(|p| p.contains("actions/workflows"))
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
}

/// In a fan-out the check stops, said once, when the rate limit would fall
/// under a fifth of its size; every repository is still dispatched.
#[tokio::test]
async fn checking_stops_before_the_rate_limit_runs_low() {
    let repos: Vec<FakeRepo> = ["octo/a", "octo/b", "octo/c"]
        .into_iter()
        .map(|n| FakeRepo::new(n).workflow("cd.yml", DEPLOY))
        .collect();
    // 100 requests an hour, 25 left: the first repository's four reads leave
    // 21, its dispatch 20 (seen in the dispatch's answer); the next check and
    // the two dispatches still to come take at least five more, which would
    // leave fewer than 20.
    let fake = workflows_api(WorkflowsConfig::new(repos).rate(100, 25)).await;
    let r = run(&step(&fake, "octo/a,octo/b,octo/c", Some("warn")), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let notices = lines(&r, "::notice");
    assert_eq!(notices.len(), 1, "{r:?}");
    assert!(
        notices[0]
            .starts_with("::notice::receiver checks stopped: 20 of 100 API requests remain until "),
        "{notices:?}"
    );
    assert!(notices[0].ends_with("and dispatching comes first; the repositories from octo/b on are dispatched without the check"), "{notices:?}");
    assert_eq!(fake.dispatches().len(), 3);
    assert_eq!(reads(&fake, "octo/a").len(), 4);
    assert!(reads(&fake, "octo/b").is_empty());
    assert!(reads(&fake, "octo/c").is_empty());
}

/// A workflow dispatch is never checked: GitHub refuses one to a workflow
/// that cannot run.
#[tokio::test]
async fn a_workflow_dispatch_is_not_checked() {
    let fake = workflows_api(WorkflowsConfig::new(vec![FakeRepo::new("octo/deploy")])).await;
    let mut env = step(&fake, "octo/deploy", Some("fail"));
    set(
        &mut env,
        &[
            ("INPUT_EVENT-TYPE", None),
            ("INPUT_CLIENT-PAYLOAD", None),
            ("INPUT_WORKFLOW", Some("deploy.yml")),
            ("INPUT_REF", Some("main")),
        ],
    );
    let r = run(&env, &[]).await;
    // The workflows fake does not serve workflow dispatches (a 404): what
    // matters is that the one request is that dispatch, no read before it.
    let seen: Vec<String> = fake
        .requests()
        .into_iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        seen,
        ["POST /repos/octo/deploy/actions/workflows/deploy.yml/dispatches"],
        "{r:?}"
    );
}

/// A repository the token cannot see: one notice, the dispatch goes (and
/// fails on its own); `fail` with fail-fast stops the rest after a
/// repository it did not send to; a file that could not be parsed is no
/// reason for `fail` not to send; debug output shows every read, never the
/// token.
#[tokio::test]
async fn refusals_fail_fast_unparsable_files_and_debug_output() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy").hidden(),
    ]))
    .await;
    let r = run(&step(&fake, "octo/deploy", Some("fail")), &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        lines(&r, "::notice"),
        [
            "::notice::octo/deploy: could not check whether a workflow listens for trigger-deploy: the repository could not be read (404: Not Found - https://docs.github.com/rest/repos/repos#get-a-repository); the token cannot read it, and the dispatch may be refused too; dispatching without the check"
        ]
    );
    assert_eq!(fake.dispatches().len(), 1);

    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/a").workflow("cd.yml", DEPLOY),
        FakeRepo::new("octo/b").workflow("ci.yml", CI),
        FakeRepo::new("octo/c").workflow("cd.yml", DEPLOY),
    ]))
    .await;
    let mut env = step(&fake, "octo/a,octo/b,octo/c", Some("fail"));
    set(&mut env, &[("INPUT_FAIL-FAST", Some("true"))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let sent: Vec<String> = fake.dispatches().into_iter().map(|d| d.repo).collect();
    assert_eq!(sent, ["octo/a"]);
    assert!(reads(&fake, "octo/c").is_empty());
    let results = r.results();
    assert_eq!(results[1]["status"], "not-sent");
    assert_eq!(results[2]["status"], "not-sent");
    assert_eq!(
        results[2]["message"],
        "not sent: fail-fast stopped after octo/b failed"
    );

    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy").workflow("cd.yml", NOT_YAML),
    ]))
    .await;
    let mut env = step(&fake, "octo/deploy", Some("fail"));
    set(&mut env, &[("RUNNER_DEBUG", Some("1"))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let warnings = lines(&r, "::warning");
    assert_eq!(warnings.len(), 1, "{r:?}");
    assert!(
        warnings[0].ends_with("; sent all the same: a file that could not be read might listen"),
        "{warnings:?}"
    );
    assert_eq!(fake.dispatches().len(), 1);
    assert_eq!(r.results()[0]["status"], "dispatched");
    // Debug output names every read with the token as ***.
    for read in reads(&fake, "octo/deploy") {
        assert!(
            r.stdout.contains(&format!("GET {}{read}", fake.uri())),
            "{read}: {r:?}"
        );
    }
    assert!(r.stdout.contains("Authorization: Bearer ***"), "{r:?}");
    r.assert_no_token();
}

/// The fake's runs list of octo/deploy stays empty: no run ever appears.
async fn no_run_appears(fake: &WorkflowsFake) {
    use wiremock::matchers::{method, path_regex};
    use wiremock::{Mock, ResponseTemplate};
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/octo/deploy/actions/runs$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"total_count": 0, "workflow_runs": []})),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
}

/// With `wait-for-run`, a run not found in time when no check ran before
/// the dispatch (`off`): the check runs then, and its finding joins the
/// error.
#[tokio::test]
async fn a_run_not_found_gets_the_check_it_did_not_have() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .default_branch("trunk")
            .workflow("cd.yml", DEPLOY),
    ]))
    .await;
    no_run_appears(&fake).await;
    let mut env = step(&fake, "octo/deploy", Some("off"));
    set(
        &mut env,
        &[
            ("INPUT_EVENT-TYPE", Some("trigger-deplyo")),
            ("INPUT_WAIT-FOR-RUN", Some("true")),
            ("INPUT_DISCOVERY-TIMEOUT", Some("2s")),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{r:?}");
    assert!(
        errors[0].ends_with("so that its run can be found; the receiver check found: no active workflow on its default branch trunk listens for the repository_dispatch event type trigger-deplyo, so nothing would start: did you mean trigger-deploy? cd.yml listens for trigger-deploy, rollback; a repository_dispatch starts a workflow only if it is on trunk and active, and its on: has repository_dispatch with no types or with types listing the event type"),
        "{errors:?}"
    );
    // The check's reads came after the dispatch.
    let seen: Vec<String> = fake
        .requests()
        .into_iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    let post = seen.iter().position(|s| s.starts_with("POST")).unwrap();
    assert!(seen[..post].is_empty(), "{seen:?}");
    assert!(
        seen.contains(&"GET /repos/octo/deploy/contents/.github/workflows/cd.yml".to_owned()),
        "{seen:?}"
    );
    r.assert_no_token();

    // With the check before the dispatch (warn), it is not made again.
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy").workflow("cd.yml", DEPLOY),
    ]))
    .await;
    no_run_appears(&fake).await;
    set(
        &mut env,
        &[
            ("INPUT_CHECK-RECEIVER", Some("warn")),
            ("GITHUB_API_URL", Some(&fake.uri())),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let folder_reads = fake
        .requests()
        .iter()
        .filter(|s| s.path == "/repos/octo/deploy/contents/.github/workflows")
        .count();
    assert_eq!(folder_reads, 1);
    assert!(!r.errors()[0].contains("receiver check"), "{r:?}");
}
