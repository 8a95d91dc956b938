//! The fake GitHub of repositories' workflows (tests/common/workflows.rs) on
//! its own, over HTTP: its answers must be GitHub's, shapes checked against
//! GitHub's published description, so that the tests built on it can fail
//! for real.

mod common;

use std::time::{Duration, Instant};

use base64::Engine as _;
use common::workflows::{
    BAD_CREDENTIALS, DispatchSeen, EMPTY_REPOSITORY, FakeRepo, JSON, LARGE_FILE, NO_USER_AGENT,
    NOT_ACCESSIBLE, NOT_FOUND, RATE_LIMITED, RAW, Read, Seen, WorkflowState, WorkflowsConfig,
    WorkflowsFake, github_base64, workflows_api,
};
use common::{TOKEN, response_violations};
use serde_json::{Value, json};

const DEPLOY: &str = "name: Deploy\non:\n  repository_dispatch:\n    types: [trigger-deploy]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.client_payload.image_tag }}\"\n";
/// `git hash-object` of [`DEPLOY`].
const DEPLOY_SHA: &str = "665b0b3860393c8cf243b40e4394942324261fc0";
const CI: &str =
    "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n";

const USER_AGENT: &str = "workflows-fake-test/1";

const REPO: &str = "/repos/{owner}/{repo}";
const CONTENTS: &str = "/repos/{owner}/{repo}/contents/{path}";
const WORKFLOWS: &str = "/repos/{owner}/{repo}/actions/workflows";

const CONTENTS_DOCS: &str = "https://docs.github.com/rest/repos/contents#get-repository-content";
const LIST_DOCS: &str = "https://docs.github.com/rest/actions/workflows#list-repository-workflows";
const DISPATCH_DOCS: &str =
    "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event";
const REPO_DOCS: &str = "https://docs.github.com/rest/repos/repos#get-a-repository";

/// What the fake answered.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.bytes))
        })
    }

    /// Asserts GitHub's error body: `status`, `message`, and a documentation
    /// link.
    fn assert_error(&self, status: u16, message: &str, docs: &str) {
        assert_eq!(self.status, status, "{:?}", self.json());
        assert_eq!(
            self.json(),
            json!({"message": message, "documentation_url": docs, "status": status.to_string()})
        );
        assert_eq!(
            self.header("content-type"),
            "application/json; charset=utf-8"
        );
    }
}

fn client() -> reqwest::Client {
    // reqwest is built without a TLS provider (see tests/app_fake.rs).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A request with the token and `accept`.
async fn get(fake: &WorkflowsFake, path: &str, accept: &str) -> Answer {
    send(
        fake,
        "GET",
        path,
        Some(&format!("Bearer {TOKEN}")),
        accept,
        None,
    )
    .await
}

/// A dispatch with the token.
async fn post(fake: &WorkflowsFake, path: &str, body: &Value) -> Answer {
    let auth = format!("Bearer {TOKEN}");
    send(fake, "POST", path, Some(&auth), JSON, Some(body)).await
}

async fn send(
    fake: &WorkflowsFake,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    accept: &str,
    body: Option<&Value>,
) -> Answer {
    let url = if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", fake.uri())
    };
    let mut request = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
        .header("accept", accept);
    if let Some(a) = authorization {
        request = request.header("authorization", a);
    }
    if let Some(b) = body {
        request = request
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        bytes: response.bytes().await.unwrap().to_vec(),
    }
}

fn assert_contract(operation: &str, answer: &Answer) {
    let violations = response_violations(operation, answer.status, &answer.json());
    assert!(
        violations.is_empty(),
        "the {} answer to GET {operation} breaks GitHub's schema: {violations:?}",
        answer.status
    );
}

/// octo/deploy on `trunk` with two workflows, a README and a sub-folder;
/// octo/bare without a workflows folder; octo/new empty.
async fn fake() -> WorkflowsFake {
    workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/deploy")
            .default_branch("trunk")
            .private()
            .workflow("deploy.yml", DEPLOY)
            .workflow("ci.yaml", CI)
            .workflow("notes.md", "not a workflow\n")
            .workflow("old/legacy.yml", "on: push\n"),
        FakeRepo::new("octo/bare").default_branch("develop"),
        FakeRepo::new("octo/new").empty(),
    ]))
    .await
}

#[tokio::test]
async fn a_file_comes_raw_or_as_base64_json() {
    let fake = fake().await;
    let path = "/repos/octo/deploy/contents/.github/workflows/deploy.yml";
    let raw = get(&fake, path, RAW).await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.bytes, DEPLOY.as_bytes());

    let answer = get(&fake, path, JSON).await;
    assert_eq!(answer.status, 200);
    assert_contract(CONTENTS, &answer);
    let body = answer.json();
    let base = fake.uri();
    let api = format!("{base}/repos/octo/deploy");
    assert_eq!(
        body,
        json!({
            "type": "file",
            "encoding": "base64",
            "size": DEPLOY.len(),
            "name": "deploy.yml",
            "path": ".github/workflows/deploy.yml",
            "content": github_base64(DEPLOY.as_bytes()),
            "sha": DEPLOY_SHA,
            "url": format!("{api}/contents/.github/workflows/deploy.yml?ref=trunk"),
            "git_url": format!("{api}/git/blobs/{DEPLOY_SHA}"),
            "html_url": "https://github.com/octo/deploy/blob/trunk/.github/workflows/deploy.yml",
            "download_url": "https://raw.githubusercontent.com/octo/deploy/trunk/.github/workflows/deploy.yml?token=AABBCCDDEEFFGGHHIIJJKKLLMMNNO",
            "_links": {
                "self": format!("{api}/contents/.github/workflows/deploy.yml?ref=trunk"),
                "git": format!("{api}/git/blobs/{DEPLOY_SHA}"),
                "html": "https://github.com/octo/deploy/blob/trunk/.github/workflows/deploy.yml",
            },
        })
    );
    // GitHub's wrapping: 60 characters a line, a newline after the last.
    let content = body["content"].as_str().unwrap();
    let lines: Vec<&str> = content.split_terminator('\n').collect();
    assert!(lines.len() > 2, "{content:?}");
    assert!(lines[..lines.len() - 1].iter().all(|l| l.len() == 60));
    assert!(content.ends_with('\n'));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(content.replace('\n', ""))
        .unwrap();
    assert_eq!(decoded, DEPLOY.as_bytes());

    // application/json and a list of media types with raw in it.
    assert_eq!(get(&fake, path, "application/json").await.json(), body);
    let listed = get(
        &fake,
        path,
        "application/vnd.github.v3.raw, application/json",
    )
    .await;
    assert_eq!(listed.bytes, DEPLOY.as_bytes());
}

#[tokio::test]
async fn a_file_over_a_megabyte_has_no_content_in_json() {
    let big = "#".repeat(LARGE_FILE + 1);
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/big")
            .workflow("big.yml", &big)
            .workflow("edge.yml", &"#".repeat(LARGE_FILE)),
    ]))
    .await;
    let path = "/repos/octo/big/contents/.github/workflows/big.yml";
    let answer = get(&fake, path, JSON).await;
    assert_contract(CONTENTS, &answer);
    let body = answer.json();
    assert_eq!(
        (&body["encoding"], &body["content"], &body["size"]),
        (&json!("none"), &json!(""), &json!(LARGE_FILE + 1))
    );
    assert_eq!(get(&fake, path, RAW).await.bytes, big.as_bytes());
    // 1 MB exactly still comes whole.
    let edge = get(
        &fake,
        "/repos/octo/big/contents/.github/workflows/edge.yml",
        JSON,
    )
    .await
    .json();
    assert_eq!(edge["encoding"], "base64");
    assert_eq!(
        edge["content"].as_str().unwrap(),
        github_base64("#".repeat(LARGE_FILE).as_bytes())
    );
}

#[tokio::test]
async fn the_folder_lists_files_and_folders_by_name() {
    let fake = fake().await;
    // raw is for files: a folder still comes as JSON.
    for accept in [JSON, RAW] {
        let answer = get(
            &fake,
            "/repos/octo/deploy/contents/.github/workflows",
            accept,
        )
        .await;
        assert_eq!(answer.status, 200);
        assert_contract(CONTENTS, &answer);
        let body = answer.json();
        let listed: Vec<(&str, &str, &str, u64)> = body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["type"].as_str().unwrap(),
                    e["name"].as_str().unwrap(),
                    e["path"].as_str().unwrap(),
                    e["size"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                (
                    "file",
                    "ci.yaml",
                    ".github/workflows/ci.yaml",
                    CI.len() as u64
                ),
                (
                    "file",
                    "deploy.yml",
                    ".github/workflows/deploy.yml",
                    DEPLOY.len() as u64
                ),
                ("file", "notes.md", ".github/workflows/notes.md", 15),
                ("dir", "old", ".github/workflows/old", 0),
            ]
        );
        let deploy = &body[1];
        assert_eq!(deploy["sha"], DEPLOY_SHA);
        assert!(deploy.get("content").is_none(), "{deploy}");
        assert_eq!(body[3]["download_url"], Value::Null);
        assert_eq!(
            body[3]["html_url"],
            "https://github.com/octo/deploy/tree/trunk/.github/workflows/old"
        );
    }
    // A trailing slash, the sub-folder, the folder above, the root.
    let slash = get(
        &fake,
        "/repos/octo/deploy/contents/.github/workflows/",
        JSON,
    )
    .await;
    assert_eq!(slash.json().as_array().unwrap().len(), 4);
    let old = get(
        &fake,
        "/repos/octo/deploy/contents/.github/workflows/old",
        JSON,
    )
    .await;
    assert_eq!(old.json()[0]["path"], ".github/workflows/old/legacy.yml");
    let github = get(&fake, "/repos/octo/deploy/contents/.github", JSON).await;
    assert_eq!(github.json()[0]["type"], "dir");
    assert_eq!(github.json()[0]["name"], "workflows");
    let root = get(&fake, "/repos/octo/deploy/contents/", JSON)
        .await
        .json();
    let names: Vec<&str> = root
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, [".github", "README.md"]);
    // The default branch named as the ref, or as its full ref.
    for r in ["trunk", "refs/heads/trunk"] {
        let answer = get(
            &fake,
            &format!("/repos/octo/deploy/contents/.github/workflows?ref={r}"),
            JSON,
        )
        .await;
        assert_eq!(answer.status, 200);
    }
}

#[tokio::test]
async fn missing_folder_empty_repository_and_other_refs_answer_404() {
    let fake = fake().await;
    let missing = get(&fake, "/repos/octo/bare/contents/.github/workflows", JSON).await;
    missing.assert_error(404, NOT_FOUND, CONTENTS_DOCS);
    assert_contract(CONTENTS, &missing);
    get(
        &fake,
        "/repos/octo/bare/contents/.github/workflows/x.yml",
        RAW,
    )
    .await
    .assert_error(404, NOT_FOUND, CONTENTS_DOCS);
    get(
        &fake,
        "/repos/octo/deploy/contents/.github/workflows/nope.yml",
        JSON,
    )
    .await
    .assert_error(404, NOT_FOUND, CONTENTS_DOCS);
    for path in ["", ".github/workflows", ".github/workflows/deploy.yml"] {
        let empty = get(&fake, &format!("/repos/octo/new/contents/{path}"), JSON).await;
        empty.assert_error(404, EMPTY_REPOSITORY, CONTENTS_DOCS);
    }
    get(
        &fake,
        "/repos/octo/deploy/contents/.github/workflows?ref=main",
        JSON,
    )
    .await
    .assert_error(404, "No commit found for the ref main", CONTENTS_DOCS);
    // The repositories themselves are there.
    let new = get(&fake, "/repos/octo/new", JSON).await;
    assert_contract(REPO, &new);
    assert_eq!(
        (&new.json()["size"], &new.json()["default_branch"]),
        (&json!(0), &json!("main"))
    );
    let bare = get(&fake, "/repos/octo/bare/actions/workflows", JSON).await;
    assert_eq!(bare.json(), json!({"total_count": 0, "workflows": []}));
    assert_eq!(bare.header("link"), "");
}

#[tokio::test]
async fn the_repository_answers_as_github_describes_it() {
    let fake = fake().await;
    let answer = get(&fake, "/repos/octo/deploy", JSON).await;
    assert_eq!(answer.status, 200);
    assert_contract(REPO, &answer);
    let body = answer.json();
    assert_eq!(body["full_name"], "octo/deploy");
    assert_eq!(body["default_branch"], "trunk");
    assert_eq!(body["private"], true);
    assert_eq!(body["visibility"], "private");
    assert_eq!(body["owner"]["login"], "octo");
    assert_eq!(body["size"], 1);
    assert_eq!(body["url"], format!("{}/repos/octo/deploy", fake.uri()));
    // GitHub compares names case-insensitively and answers with its own spelling.
    let other = get(&fake, "/repos/OCTO/Bare", JSON).await.json();
    assert_eq!(other["full_name"], "octo/bare");
    assert_eq!(other["default_branch"], "develop");
    assert_eq!(other["private"], false);
}

#[tokio::test]
async fn forbidden_and_hidden_repositories() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/locked")
            .workflow("deploy.yml", DEPLOY)
            .contents_forbidden(),
        FakeRepo::new("octo/noactions")
            .workflow("deploy.yml", DEPLOY)
            .actions_forbidden(),
        FakeRepo::new("octo/secret")
            .workflow("deploy.yml", DEPLOY)
            .hidden(),
    ]))
    .await;
    let dispatch = json!({"event_type": "trigger-deploy"});

    // No contents permission: the repository and the list answer, the
    // contents and the dispatch do not.
    assert_eq!(get(&fake, "/repos/octo/locked", JSON).await.status, 200);
    let list = get(&fake, "/repos/octo/locked/actions/workflows", JSON).await;
    assert_eq!(list.json()["total_count"], 1);
    for path in [".github/workflows", ".github/workflows/deploy.yml"] {
        let answer = get(&fake, &format!("/repos/octo/locked/contents/{path}"), RAW).await;
        answer.assert_error(403, NOT_ACCESSIBLE, CONTENTS_DOCS);
        assert_contract(CONTENTS, &answer);
    }
    post(&fake, "/repos/octo/locked/dispatches", &dispatch)
        .await
        .assert_error(403, NOT_ACCESSIBLE, DISPATCH_DOCS);
    let reads: Vec<Option<Read>> = fake
        .reads_of("octo/locked")
        .iter()
        .map(|s| s.read)
        .collect();
    let kinds = [Read::Repository, Read::Workflows, Read::Folder, Read::File];
    assert_eq!(
        reads,
        kinds.map(Some),
        "a refused file read is still a file read"
    );

    // No Actions permission: only the list is refused.
    let list = get(&fake, "/repos/octo/noactions/actions/workflows", JSON).await;
    list.assert_error(403, NOT_ACCESSIBLE, LIST_DOCS);
    let file = get(
        &fake,
        "/repos/octo/noactions/contents/.github/workflows/deploy.yml",
        RAW,
    )
    .await;
    assert_eq!(file.bytes, DEPLOY.as_bytes());
    let sent = post(&fake, "/repos/octo/noactions/dispatches", &dispatch).await;
    assert_eq!(sent.status, 204);

    // Out of the token's sight: 404 everywhere.
    let repo = get(&fake, "/repos/octo/secret", JSON).await;
    repo.assert_error(404, NOT_FOUND, REPO_DOCS);
    assert_contract(REPO, &repo);
    get(&fake, "/repos/octo/secret/contents/.github/workflows", JSON)
        .await
        .assert_error(404, NOT_FOUND, CONTENTS_DOCS);
    get(&fake, "/repos/octo/secret/actions/workflows", JSON)
        .await
        .assert_error(404, NOT_FOUND, LIST_DOCS);
    post(&fake, "/repos/octo/secret/dispatches", &dispatch)
        .await
        .assert_error(404, NOT_FOUND, DISPATCH_DOCS);
    // And a repository the fake does not know.
    get(&fake, "/repos/octo/unknown", JSON).await.assert_error(
        404,
        NOT_FOUND,
        "https://docs.github.com/rest",
    );
}

/// octo/many on `release`: five named workflows (every state), one unnamed
/// and a README; the list served two a page.
async fn many() -> WorkflowsFake {
    let mut repo = FakeRepo::new("octo/many").default_branch("release");
    let states = [
        WorkflowState::Active,
        WorkflowState::DisabledManually,
        WorkflowState::DisabledInactivity,
        WorkflowState::DisabledFork,
        WorkflowState::Active,
    ];
    for (i, state) in states.iter().enumerate() {
        let text = format!("name: \"Flow {i}\"\non: repository_dispatch\n");
        repo = repo.workflow_in_state(&format!("flow{i}.yml"), text.as_bytes(), *state);
    }
    let repo = repo
        .workflow("unnamed.yaml", "on: push\n")
        .workflow("README.md", "docs\n")
        .workflows_page_size(2);
    workflows_api(WorkflowsConfig::new(vec![repo])).await
}

#[tokio::test]
async fn the_workflow_list_pages_with_link_headers() {
    let fake = many().await;
    let base = fake.uri();
    let link = |page: usize, rel: &str| {
        format!(
            "<{base}/repositories/700000001/actions/workflows?per_page=100&page={page}>; rel=\"{rel}\""
        )
    };

    let mut url = format!("{base}/repos/octo/many/actions/workflows?per_page=100");
    let mut seen = Vec::new();
    let mut links = Vec::new();
    for _ in 0..10 {
        let answer = get(&fake, &url, JSON).await;
        assert_eq!(answer.status, 200);
        assert_contract(WORKFLOWS, &answer);
        let body = answer.json();
        assert_eq!(body["total_count"], 6);
        for w in body["workflows"].as_array().unwrap() {
            seen.push((
                w["name"].as_str().unwrap().to_owned(),
                w["path"].as_str().unwrap().to_owned(),
                w["state"].as_str().unwrap().to_owned(),
            ));
        }
        let header = answer.header("link").to_owned();
        links.push(header.clone());
        let next = header
            .split(", ")
            .find_map(|l| l.strip_suffix("; rel=\"next\""))
            .map(|l| l.trim_matches(['<', '>']).to_owned());
        match next {
            Some(n) => url = n,
            None => break,
        }
    }
    let expected: Vec<(String, String, String)> = [
        ("Flow 0", "flow0.yml", "active"),
        ("Flow 1", "flow1.yml", "disabled_manually"),
        ("Flow 2", "flow2.yml", "disabled_inactivity"),
        ("Flow 3", "flow3.yml", "disabled_fork"),
        ("Flow 4", "flow4.yml", "active"),
        (".github/workflows/unnamed.yaml", "unnamed.yaml", "active"),
    ]
    .iter()
    .map(|(n, f, s)| {
        (
            (*n).to_owned(),
            format!(".github/workflows/{f}"),
            (*s).to_owned(),
        )
    })
    .collect();
    assert_eq!(seen, expected);
    assert_eq!(
        links,
        [
            format!("{}, {}", link(2, "next"), link(3, "last")),
            format!(
                "{}, {}, {}, {}",
                link(1, "prev"),
                link(3, "next"),
                link(3, "last"),
                link(1, "first")
            ),
            format!("{}, {}", link(2, "prev"), link(1, "first")),
        ]
    );
}

/// A page past the last is empty; a smaller `per_page` than the cap wins.
#[tokio::test]
async fn the_workflow_list_past_its_end_and_in_small_pages() {
    let fake = many().await;
    let base = fake.uri();
    let past = get(
        &fake,
        "/repos/octo/many/actions/workflows?per_page=100&page=9",
        JSON,
    )
    .await;
    assert_eq!(past.json(), json!({"total_count": 6, "workflows": []}));
    let one = get(&fake, "/repos/octo/many/actions/workflows?per_page=1", JSON).await;
    assert_eq!(one.json()["workflows"].as_array().unwrap().len(), 1);
    assert!(
        one.header("link").contains("page=6>; rel=\"last\""),
        "{}",
        one.header("link")
    );
    // Ids are distinct, urls point at the fake.
    let first = get(&fake, "/repos/octo/many/actions/workflows", JSON)
        .await
        .json();
    let w = &first["workflows"][0];
    assert_eq!(
        w["url"],
        format!("{base}/repos/octo/many/actions/workflows/{}", w["id"])
    );
    assert_eq!(
        w["html_url"],
        "https://github.com/octo/many/blob/release/.github/workflows/flow0.yml"
    );
}

#[tokio::test]
async fn every_request_is_recorded() {
    let fake = fake().await;
    let auth = format!("Bearer {TOKEN}");
    let d = "/repos/octo/deploy";
    let rows: [(&str, String, &str, Option<Read>, u16); 6] = [
        ("GET", d.to_owned(), JSON, Some(Read::Repository), 200),
        (
            "GET",
            "/repos/octo/bare/contents/.github".to_owned(),
            JSON,
            Some(Read::Folder),
            404,
        ),
        (
            "GET",
            format!("{d}/contents/.github/workflows/deploy.yml"),
            RAW,
            Some(Read::File),
            200,
        ),
        (
            "GET",
            format!("{d}/actions/workflows?per_page=100"),
            JSON,
            Some(Read::Workflows),
            200,
        ),
        (
            "POST",
            format!("{d}/dispatches"),
            JSON,
            Some(Read::Dispatch),
            204,
        ),
        (
            "GET",
            format!("{d}/actions/runs"),
            "application/json",
            None,
            404,
        ),
    ];
    let body = json!({"event_type": "trigger-deploy", "client_payload": {"image_tag": "v1"}});
    for (method, path, accept, _, status) in &rows {
        let sent = if *method == "POST" {
            post(&fake, path, &body).await
        } else {
            get(&fake, path, accept).await
        };
        assert_eq!(sent.status, *status, "{path}");
    }
    let expected: Vec<Seen> = rows
        .iter()
        .map(|(method, path, accept, read, status)| Seen {
            method: (*method).to_owned(),
            path: path.clone(),
            accept: Some((*accept).to_owned()),
            authorization: Some(auth.clone()),
            user_agent: Some(USER_AGENT.to_owned()),
            repo: Some(
                path.split('/')
                    .skip(2)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join("/"),
            ),
            read: *read,
            status: *status,
        })
        .collect();
    assert_eq!(expected[1].repo.as_deref(), Some("octo/bare"));
    assert_eq!(fake.requests(), expected);
    let of_deploy = [0, 2, 3, 5].map(|i| expected[i].clone());
    assert_eq!(fake.reads_of("octo/deploy"), of_deploy);
    assert_eq!(fake.reads_of("OCTO/BARE"), [expected[1].clone()]);
    assert_eq!(fake.unexpected(), [expected[5].clone()]);
}

#[tokio::test]
async fn dispatches_are_recorded_and_checked_against_the_contract() {
    let fake = fake().await;
    let body = json!({"event_type": "trigger-deploy", "client_payload": {"image_tag": "v1"}});
    let sent = post(&fake, "/repos/Octo/Deploy/dispatches", &body).await;
    assert_eq!(sent.status, 204);
    assert!(sent.bytes.is_empty());
    let bad = json!({"client_payload": {}});
    let refused = post(&fake, "/repos/octo/deploy/dispatches", &bad).await;
    assert_eq!(refused.status, 422);
    let message = refused.json()["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with("Invalid request.\n\n"), "{message}");
    assert!(message.contains("event_type"), "{message}");
    let unknown = post(&fake, "/repos/octo/elsewhere/dispatches", &body).await;
    unknown.assert_error(404, NOT_FOUND, "https://docs.github.com/rest");
    let dispatch = |repo: &str, body: &Value, status| DispatchSeen {
        repo: repo.to_owned(),
        body: body.clone(),
        status,
    };
    assert_eq!(
        fake.dispatches(),
        [
            dispatch("Octo/Deploy", &body, 204),
            dispatch("octo/deploy", &bad, 422),
            dispatch("octo/elsewhere", &body, 404),
        ]
    );
}

#[tokio::test]
async fn requests_without_the_token_get_401() {
    let fake = fake().await;
    let path = "/repos/octo/deploy/contents/.github/workflows/deploy.yml";
    let wrong = format!("Bearer {TOKEN}x");
    let scheme = format!("token {TOKEN}");
    let basic = format!("Basic {TOKEN}");
    let lower = format!("bearer {TOKEN}");
    for auth in [
        None,
        Some(wrong.as_str()),
        Some(scheme.as_str()),
        Some(basic.as_str()),
        Some("Bearer "),
    ] {
        let answer = send(&fake, "GET", path, auth, RAW, None).await;
        answer.assert_error(401, BAD_CREDENTIALS, "https://docs.github.com/rest");
    }
    let dispatch = json!({"event_type": "x"});
    send(
        &fake,
        "POST",
        "/repos/octo/deploy/dispatches",
        None,
        JSON,
        Some(&dispatch),
    )
    .await
    .assert_error(401, BAD_CREDENTIALS, "https://docs.github.com/rest");
    // Refusals spend no rate limit.
    assert_eq!(fake.rate_remaining(), 5000);
    // The scheme's case does not matter (RFC 9110).
    assert_eq!(
        send(&fake, "GET", path, Some(&lower), RAW, None)
            .await
            .status,
        200
    );
    assert_eq!(fake.rate_remaining(), 4999);
    assert_eq!(fake.requests().len(), 7);
    assert_eq!(fake.requests()[0].authorization, None);
    assert_eq!(
        fake.requests()[1].authorization.as_deref(),
        Some(wrong.as_str())
    );
    assert_eq!(fake.dispatches()[0].status, 401);
}

#[tokio::test]
async fn requests_without_a_user_agent_get_403() {
    let fake = fake().await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::Client::new()
        .get(format!("{}/repos/octo/deploy", fake.uri()))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 403);
    assert_eq!(answer.text().await.unwrap(), NO_USER_AGENT);
    assert_eq!(fake.requests()[0].user_agent, None);
    assert_eq!(fake.rate_remaining(), 5000);
}

#[tokio::test]
async fn rate_limit_headers_count_down_and_run_out() {
    let fake = workflows_api(
        WorkflowsConfig::new(vec![
            FakeRepo::new("octo/deploy").workflow("deploy.yml", DEPLOY),
        ])
        .rate(5000, 2),
    )
    .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let a = get(&fake, "/repos/octo/deploy", JSON).await;
        assert_eq!(a.header("x-ratelimit-limit"), "5000");
        assert_eq!(a.header("x-ratelimit-resource"), "core");
        let reset: u64 = a.header("x-ratelimit-reset").parse().unwrap();
        assert!(
            (now + 3500..=now + 3700).contains(&reset),
            "{reset} against {now}"
        );
        seen.push((
            a.status,
            a.header("x-ratelimit-remaining").to_owned(),
            a.header("x-ratelimit-used").to_owned(),
        ));
        if a.status == 403 {
            a.assert_error(
                403,
                RATE_LIMITED,
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            );
        }
    }
    let s =
        |status: u16, remaining: &str, used: &str| (status, remaining.to_owned(), used.to_owned());
    assert_eq!(
        seen,
        [
            s(200, "1", "4999"),
            s(200, "0", "5000"),
            s(403, "0", "5000")
        ]
    );
    assert_eq!(fake.rate_remaining(), 0);
    // 401 answers carry the headers too.
    let refused = send(&fake, "GET", "/repos/octo/deploy", None, JSON, None).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("x-ratelimit-remaining"), "0");
}

#[tokio::test]
async fn delays_hold_the_answers_asked_for() {
    let fake = workflows_api(WorkflowsConfig::new(vec![
        FakeRepo::new("octo/slow")
            .workflow("deploy.yml", DEPLOY)
            .delay_read(Read::File, 600),
        FakeRepo::new("octo/sluggish").delay(400),
    ]))
    .await;
    let timed = |path: &'static str| {
        let fake = &fake;
        async move {
            let started = Instant::now();
            let a = get(fake, path, RAW).await;
            (a.status, started.elapsed())
        }
    };
    let (status, fast) = timed("/repos/octo/slow/contents/.github/workflows").await;
    assert_eq!(status, 200);
    assert!(fast < Duration::from_millis(400), "{fast:?}");
    let (status, slow) = timed("/repos/octo/slow/contents/.github/workflows/deploy.yml").await;
    assert_eq!(status, 200);
    assert!(slow >= Duration::from_millis(600), "{slow:?}");
    let (status, all) = timed("/repos/octo/sluggish").await;
    assert_eq!(status, 200);
    assert!(all >= Duration::from_millis(400), "{all:?}");
    // A client with a shorter timeout gives up.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let short = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap()
        .get(format!(
            "{}/repos/octo/slow/contents/.github/workflows/deploy.yml",
            fake.uri()
        ))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await;
    assert!(short.is_err_and(|e| e.is_timeout()));
}

#[tokio::test]
async fn the_schema_check_can_fail() {
    let fake = fake().await;
    let file = get(
        &fake,
        "/repos/octo/deploy/contents/.github/workflows/deploy.yml",
        JSON,
    )
    .await
    .json();
    let mut broken = file.clone();
    broken.as_object_mut().unwrap().remove("sha");
    assert!(!response_violations(CONTENTS, 200, &broken).is_empty());
    let list = get(&fake, "/repos/octo/deploy/actions/workflows", JSON)
        .await
        .json();
    let mut broken = list.clone();
    broken["workflows"][0]["state"] = json!("paused");
    assert!(!response_violations(WORKFLOWS, 200, &broken).is_empty());
    let repo = get(&fake, "/repos/octo/deploy", JSON).await.json();
    let mut broken = repo.clone();
    broken["default_branch"] = Value::Null;
    assert!(!response_violations(REPO, 200, &broken).is_empty());
    // null where the description says `nullable`.
    assert_eq!(repo["license"], Value::Null);
    assert!(response_violations(REPO, 200, &repo).is_empty());
}
