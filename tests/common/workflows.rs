//! A stateful fake of the GitHub REST API reads that tell whether a
//! repository has a workflow listening for an event: the repository
//! (`GET /repos/{owner}/{repo}`), its contents on the default branch
//! (`GET /repos/{owner}/{repo}/contents/{path}`, the `.github/workflows`
//! folder and its files, as JSON or raw), its registered workflows
//! (`GET /repos/{owner}/{repo}/actions/workflows`, paginated with `Link`),
//! and the dispatch itself (`POST /repos/{owner}/{repo}/dispatches`, checked
//! against GitHub's published request schema). It checks the `User-Agent`
//! header and the bearer token, counts down GitHub's rate-limit headers,
//! misbehaves per repository as configured, and records every request for
//! the tests to read.
//!
//! Shapes and bodies follow GitHub's published description
//! (tests/contracts/github-rest-api.json: `repos/get`, `repos/get-content`,
//! `actions/list-repo-workflows`, `repos/create-dispatch-event`); every JSON
//! answer of the three reads validates against its response schema there
//! (`tests/workflows_fake.rs` checks it).

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// 403 (plain text) for a request without a `User-Agent` header: GitHub
/// refuses those before it looks at anything else.
pub const NO_USER_AGENT: &str = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n";
/// 401 for a request without `Authorization: Bearer <the configured token>`.
pub const BAD_CREDENTIALS: &str = "Bad credentials";
/// 404 for anything the fake does not serve, or the token cannot see.
pub const NOT_FOUND: &str = "Not Found";
/// 404 for any contents read of a repository without commits.
pub const EMPTY_REPOSITORY: &str = "This repository is empty.";
/// 403 for a read the token has no permission for.
pub const NOT_ACCESSIBLE: &str = "Resource not accessible by integration";
/// 403 once the rate limit is spent (GitHub names the user or installation).
pub const RATE_LIMITED: &str = "API rate limit exceeded for user ID 1234567.";

/// The media type of a file's raw bytes.
pub const RAW: &str = "application/vnd.github.raw+json";
/// GitHub's recommended media type: the JSON form.
pub const JSON: &str = "application/vnd.github+json";
/// Files larger than this (1 MB) come, in the JSON form, with `encoding:
/// "none"` and an empty `content`: only the raw form carries their bytes.
pub const LARGE_FILE: usize = 1024 * 1024;
/// The page size GitHub uses when `per_page` is not given.
pub const DEFAULT_PER_PAGE: usize = 30;
/// The largest `per_page` GitHub honours.
pub const MAX_PER_PAGE: usize = 100;
/// The folder GitHub Actions reads workflows from.
pub const WORKFLOWS_DIR: &str = ".github/workflows";

const DOCS: &str = "https://docs.github.com/rest";
const DOCS_REPO: &str = "https://docs.github.com/rest/repos/repos#get-a-repository";
const DOCS_CONTENTS: &str = "https://docs.github.com/rest/repos/contents#get-repository-content";
const DOCS_WORKFLOWS: &str =
    "https://docs.github.com/rest/actions/workflows#list-repository-workflows";
const DOCS_DISPATCH: &str =
    "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event";
const DOCS_RATE_LIMIT: &str = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

/// A workflow's state in the Actions list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowState {
    Active,
    DisabledManually,
    DisabledInactivity,
    DisabledFork,
}

impl WorkflowState {
    /// The `state` GitHub writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::DisabledManually => "disabled_manually",
            Self::DisabledInactivity => "disabled_inactivity",
            Self::DisabledFork => "disabled_fork",
        }
    }
}

/// One file in `.github/workflows`.
#[derive(Debug, Clone)]
pub struct WorkflowFile {
    /// The name inside `.github/workflows`; a `/` puts it in a sub-folder
    /// (which GitHub Actions does not read: no workflow is listed for it).
    pub name: String,
    pub text: Vec<u8>,
    pub state: WorkflowState,
}

/// What the default branch holds.
#[derive(Debug, Clone)]
pub enum Tree {
    /// A `README.md` at the root and these files in `.github/workflows`
    /// (none: the folder does not exist, as git keeps no empty folder).
    Workflows(Vec<WorkflowFile>),
    /// No commit at all: every contents read answers 404
    /// [`EMPTY_REPOSITORY`], the repository's `size` is 0.
    Empty,
}

/// The reads (and the dispatch) the fake serves, to aim a delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// `GET /repos/{owner}/{repo}`.
    Repository,
    /// `GET /repos/{owner}/{repo}/contents/{path}` of anything but a file
    /// of the default branch (a folder, a path that is not there, anything
    /// in an empty repository).
    Folder,
    /// `GET /repos/{owner}/{repo}/contents/{path}` of a file of the default
    /// branch (whatever the answer: a refusal too).
    File,
    /// `GET /repos/{owner}/{repo}/actions/workflows`.
    Workflows,
    /// `POST /repos/{owner}/{repo}/dispatches`.
    Dispatch,
}

/// One repository the fake serves, built with the methods below.
#[derive(Debug, Clone)]
pub struct FakeRepo {
    pub owner: String,
    pub name: String,
    pub default_branch: String,
    pub private: bool,
    pub tree: Tree,
    pub faults: Faults,
}

/// How one repository misbehaves.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Every request about it answers 404 (the token cannot see it).
    pub hidden: bool,
    /// Contents reads answer 403 [`NOT_ACCESSIBLE`]; so does the dispatch,
    /// as on GitHub (a token without `contents: read` has no `write`).
    pub contents_forbidden: bool,
    /// The Actions workflow list answers 403 [`NOT_ACCESSIBLE`] (a token
    /// without `actions: read`).
    pub actions_forbidden: bool,
    /// Answers held this long before they are sent: `(None, ms)` for every
    /// request about the repository, `(Some(read), ms)` for one kind.
    pub delays: Vec<(Option<Read>, u64)>,
    /// The workflow list's pages hold at most this many, whatever
    /// `per_page` asks.
    pub workflows_page_size: Option<usize>,
}

impl FakeRepo {
    /// `owner/name` on branch `main`, public, without a `.github/workflows`
    /// folder, nothing failing.
    pub fn new(full_name: &str) -> Self {
        let (owner, name) = full_name
            .split_once('/')
            .unwrap_or_else(|| panic!("not owner/name: {full_name}"));
        Self {
            owner: owner.to_owned(),
            name: name.to_owned(),
            default_branch: "main".to_owned(),
            private: false,
            tree: Tree::Workflows(Vec::new()),
            faults: Faults::default(),
        }
    }

    /// `owner/name`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    pub fn default_branch(mut self, branch: &str) -> Self {
        branch.clone_into(&mut self.default_branch);
        self
    }

    pub fn private(mut self) -> Self {
        self.private = true;
        self
    }

    /// An active workflow file `.github/workflows/{name}`.
    pub fn workflow(self, name: &str, text: &str) -> Self {
        self.workflow_in_state(name, text.as_bytes(), WorkflowState::Active)
    }

    /// A workflow file in `state`, with any bytes.
    pub fn workflow_in_state(mut self, name: &str, text: &[u8], state: WorkflowState) -> Self {
        let file = WorkflowFile {
            name: name.to_owned(),
            text: text.to_vec(),
            state,
        };
        match &mut self.tree {
            Tree::Workflows(files) => files.push(file),
            Tree::Empty => self.tree = Tree::Workflows(vec![file]),
        }
        self
    }

    /// No `.github/workflows` folder (drops any files given).
    pub fn no_workflows_folder(mut self) -> Self {
        self.tree = Tree::Workflows(Vec::new());
        self
    }

    /// An empty repository (no commit).
    pub fn empty(mut self) -> Self {
        self.tree = Tree::Empty;
        self
    }

    /// Not visible to the token: every request about it answers 404.
    pub fn hidden(mut self) -> Self {
        self.faults.hidden = true;
        self
    }

    pub fn contents_forbidden(mut self) -> Self {
        self.faults.contents_forbidden = true;
        self
    }

    pub fn actions_forbidden(mut self) -> Self {
        self.faults.actions_forbidden = true;
        self
    }

    /// Holds every answer about the repository for `ms` milliseconds.
    pub fn delay(mut self, ms: u64) -> Self {
        self.faults.delays.push((None, ms));
        self
    }

    /// Holds the answers to one kind of request for `ms` milliseconds.
    pub fn delay_read(mut self, read: Read, ms: u64) -> Self {
        self.faults.delays.push((Some(read), ms));
        self
    }

    /// Serves the workflow list at most `size` a page.
    pub fn workflows_page_size(mut self, size: usize) -> Self {
        assert!(size > 0, "a page holds at least one workflow");
        self.faults.workflows_page_size = Some(size);
        self
    }

    fn files(&self) -> &[WorkflowFile] {
        match &self.tree {
            Tree::Workflows(files) => files,
            Tree::Empty => &[],
        }
    }

    fn is(&self, owner: &str, name: &str) -> bool {
        self.owner.eq_ignore_ascii_case(owner) && self.name.eq_ignore_ascii_case(name)
    }
}

/// What the fake serves and to whom.
#[derive(Debug, Clone)]
pub struct WorkflowsConfig {
    /// The only credential accepted, as `Authorization: Bearer <token>`.
    pub token: String,
    pub repositories: Vec<FakeRepo>,
    /// `x-ratelimit-limit`.
    pub rate_limit: u32,
    /// `x-ratelimit-remaining` before the first request; each request with
    /// the token takes one, and once none is left requests answer 403
    /// [`RATE_LIMITED`].
    pub rate_remaining: u32,
}

impl WorkflowsConfig {
    /// `repositories`, token [`super::TOKEN`], 5000 requests an hour, none
    /// used.
    pub fn new(repositories: Vec<FakeRepo>) -> Self {
        Self {
            token: super::TOKEN.to_owned(),
            repositories,
            rate_limit: 5000,
            rate_remaining: 5000,
        }
    }

    /// Starts with `remaining` of `limit` requests left.
    pub fn rate(mut self, limit: u32, remaining: u32) -> Self {
        self.rate_limit = limit;
        self.rate_remaining = remaining;
        self
    }
}

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    /// The path and the query, as sent (`/repos/o/r/actions/workflows?per_page=100`).
    pub path: String,
    pub accept: Option<String>,
    pub authorization: Option<String>,
    pub user_agent: Option<String>,
    /// `owner/name` as the path spells it (`None` outside `/repos/` and
    /// `/repositories/`).
    pub repo: Option<String>,
    /// What it asked for, if the fake serves that.
    pub read: Option<Read>,
    pub status: u16,
}

/// One `POST /repos/{owner}/{repo}/dispatches`.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchSeen {
    /// `owner/name` as the path spells it.
    pub repo: String,
    /// The body as JSON (`Value::Null` if it was not JSON).
    pub body: Value,
    pub status: u16,
}

#[derive(Debug, Default)]
struct State {
    requests: Vec<Seen>,
    dispatches: Vec<DispatchSeen>,
    remaining: u32,
}

/// A running fake and what it has seen.
#[derive(Debug)]
pub struct WorkflowsFake {
    pub server: MockServer,
    state: Arc<Mutex<State>>,
}

/// Starts the fake; it answers every request.
pub async fn workflows_api(config: WorkflowsConfig) -> WorkflowsFake {
    let server = MockServer::start().await;
    let state = Arc::new(Mutex::new(State {
        remaining: config.rate_remaining,
        ..State::default()
    }));
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
        + 3600;
    Mock::given(wiremock::matchers::any())
        .respond_with(Fake {
            config,
            base: server.uri(),
            reset,
            state: Arc::clone(&state),
        })
        .mount(&server)
        .await;
    WorkflowsFake { server, state }
}

impl WorkflowsFake {
    /// `http://127.0.0.1:PORT`, the API base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .expect("no test panicked holding the state")
    }

    /// Every request, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.state().requests.clone()
    }

    /// The `GET`s about `owner/name` (compared case-insensitively, as GitHub
    /// does), in order.
    pub fn reads_of(&self, full_name: &str) -> Vec<Seen> {
        self.state()
            .requests
            .iter()
            .filter(|s| {
                s.method == "GET"
                    && s.repo
                        .as_deref()
                        .is_some_and(|r| r.eq_ignore_ascii_case(full_name))
            })
            .cloned()
            .collect()
    }

    /// Every dispatch, refused ones included, in order.
    pub fn dispatches(&self) -> Vec<DispatchSeen> {
        self.state().dispatches.clone()
    }

    /// Requests the fake does not serve (answered 404), in order.
    pub fn unexpected(&self) -> Vec<Seen> {
        self.state()
            .requests
            .iter()
            .filter(|s| s.read.is_none() && s.status == 404)
            .cloned()
            .collect()
    }

    /// The rate limit left.
    pub fn rate_remaining(&self) -> u32 {
        self.state().remaining
    }
}

/// A status and the answer that carries it.
struct Reply {
    status: u16,
    template: ResponseTemplate,
}

fn json_reply(status: u16, body: &Value) -> Reply {
    Reply {
        status,
        template: ResponseTemplate::new(status)
            .set_body_raw(
                body.to_string().into_bytes(),
                "application/json; charset=utf-8",
            )
            .insert_header("x-github-media-type", "github.v3; format=json"),
    }
}

/// GitHub's JSON error body.
fn error(status: u16, message: &str, documentation_url: &str) -> Reply {
    json_reply(
        status,
        &json!({
            "message": message,
            "documentation_url": documentation_url,
            "status": status.to_string(),
        }),
    )
}

/// The git blob id of `bytes` (what GitHub gives as a file's `sha`).
fn blob_sha(kind: &str, bytes: &[u8]) -> String {
    let mut data = format!("{kind} {}\0", bytes.len()).into_bytes();
    data.extend_from_slice(bytes);
    ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &data)
        .as_ref()
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// Base64 as GitHub sends file contents: a newline after every 60
/// characters, and after the last.
pub fn github_base64(bytes: &[u8]) -> String {
    let flat = STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 60 + 1);
    for line in flat.as_bytes().chunks(60) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out
}

/// A workflow's `name:` (a top-level key, quotes removed), or its path, as
/// GitHub names it in the list.
fn workflow_name(text: &[u8], path: &str) -> String {
    String::from_utf8_lossy(text)
        .lines()
        .find_map(|l| l.strip_prefix("name:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| path.to_owned())
}

fn is_raw(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| {
        a.split(',').any(|part| {
            let media = part.split(';').next().unwrap_or("").trim();
            [
                "application/vnd.github.raw",
                "application/vnd.github.raw+json",
                "application/vnd.github.v3.raw",
                "application/vnd.github.v3.raw+json",
            ]
            .iter()
            .any(|m| media.eq_ignore_ascii_case(m))
        })
    })
}

/// An entry of a repository's tree on the default branch.
enum Entry<'a> {
    File { path: String, text: &'a [u8] },
    Dir { path: String },
}

/// The `Respond` half: the configuration and the shared state.
struct Fake {
    config: WorkflowsConfig,
    base: String,
    reset: u64,
    state: Arc<Mutex<State>>,
}

const README: &[u8] = b"# A repository\n";

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self
            .state
            .lock()
            .expect("no test panicked holding the state");
        let header = |name: &str| {
            req.headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let accept = header("accept");
        let authorization = header("authorization");
        let user_agent = header("user-agent");
        let raw_path = req.url.path().to_owned();
        let path_and_query = match req.url.query() {
            Some(q) => format!("{raw_path}?{q}"),
            None => raw_path.clone(),
        };
        let parts: Vec<String> = raw_path
            .trim_start_matches('/')
            .split('/')
            .map(|p| {
                percent_encoding::percent_decode_str(p)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        // The repository the path names, by `owner/name` or by id.
        let (repo_named, index) = match parts.as_slice() {
            ["repos", owner, name, ..] => (
                Some(format!("{owner}/{name}")),
                self.config
                    .repositories
                    .iter()
                    .position(|r| r.is(owner, name)),
            ),
            ["repositories", id, ..] => {
                let index = id.parse::<usize>().ok().and_then(|id| {
                    let i = id.checked_sub(REPO_ID_BASE)?;
                    (i < self.config.repositories.len()).then_some(i)
                });
                let named = index.map(|i| self.config.repositories[i].full_name());
                (named, index)
            }
            _ => (None, None),
        };
        let rest: &[&str] = match parts.as_slice() {
            ["repos", _, _, rest @ ..] | ["repositories", _, rest @ ..] => rest,
            _ => &[],
        };
        let read = match (req.method.as_str(), repo_named.is_some(), rest) {
            ("GET", true, []) if parts[0] == "repos" => Some(Read::Repository),
            ("GET", true, ["contents", ..]) => Some(Read::Folder),
            ("GET", true, ["actions", "workflows"]) => Some(Read::Workflows),
            ("POST", true, ["dispatches"]) if parts[0] == "repos" => Some(Read::Dispatch),
            _ => None,
        };
        let repo = index.map(|i| &self.config.repositories[i]);
        let (reply, read) = self.answer(req, &mut state, repo, read, rest, accept.as_deref());
        let mut template = reply.template;
        template = self.rate_headers(template, state.remaining);
        if let Some(repo) = repo {
            let ms: u64 = repo
                .faults
                .delays
                .iter()
                .filter(|(on, _)| on.is_none() || *on == read)
                .map(|(_, ms)| *ms)
                .max()
                .unwrap_or(0);
            if ms > 0 {
                template = template.set_delay(Duration::from_millis(ms));
            }
        }
        if read == Some(Read::Dispatch) {
            state.dispatches.push(DispatchSeen {
                repo: repo_named.clone().unwrap_or_default(),
                body: serde_json::from_slice(&req.body).unwrap_or(Value::Null),
                status: reply.status,
            });
        }
        state.requests.push(Seen {
            method: req.method.to_string(),
            path: path_and_query,
            accept,
            authorization,
            user_agent,
            repo: repo_named,
            read,
            status: reply.status,
        });
        template
    }
}

/// Repository ids: this plus the repository's place in the configuration.
const REPO_ID_BASE: usize = 700_000_001;

impl Fake {
    /// GitHub's rate-limit headers, `remaining` left.
    fn rate_headers(&self, template: ResponseTemplate, remaining: u32) -> ResponseTemplate {
        let limit = self.config.rate_limit;
        template
            .insert_header("x-ratelimit-limit", limit.to_string().as_str())
            .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
            .insert_header("x-ratelimit-reset", self.reset.to_string().as_str())
            .insert_header(
                "x-ratelimit-used",
                limit.saturating_sub(remaining).to_string().as_str(),
            )
            .insert_header("x-ratelimit-resource", "core")
    }

    /// The answer, and what the request turned out to read (`Folder` becomes
    /// `File` for a file of the default branch).
    fn answer(
        &self,
        req: &Request,
        state: &mut State,
        repo: Option<&FakeRepo>,
        read: Option<Read>,
        rest: &[&str],
        accept: Option<&str>,
    ) -> (Reply, Option<Read>) {
        let authorization = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let token_ok = authorization
            .split_once(' ')
            .is_some_and(|(scheme, credential)| {
                scheme.eq_ignore_ascii_case("bearer") && credential == self.config.token
            });
        if req
            .headers
            .get("user-agent")
            .is_none_or(|v| v.as_bytes().is_empty())
        {
            let reply = Reply {
                status: 403,
                template: ResponseTemplate::new(403).set_body_raw(
                    NO_USER_AGENT.as_bytes().to_vec(),
                    "text/plain; charset=utf-8",
                ),
            };
            return (reply, read);
        }
        if !token_ok {
            return (error(401, BAD_CREDENTIALS, DOCS), read);
        }
        if state.remaining == 0 {
            return (error(403, RATE_LIMITED, DOCS_RATE_LIMIT), read);
        }
        state.remaining -= 1;
        let (Some(read), Some(repo)) = (read, repo) else {
            return (error(404, NOT_FOUND, DOCS), read);
        };
        if repo.faults.hidden {
            let docs = match read {
                Read::Repository => DOCS_REPO,
                Read::Folder | Read::File => DOCS_CONTENTS,
                Read::Workflows => DOCS_WORKFLOWS,
                Read::Dispatch => DOCS_DISPATCH,
            };
            return (error(404, NOT_FOUND, docs), Some(read));
        }
        match read {
            Read::Repository => (json_reply(200, &self.repository(repo)), Some(read)),
            Read::Folder | Read::File => self.contents(req, repo, &rest[1..], accept),
            Read::Workflows => (self.workflows(req, repo), Some(read)),
            Read::Dispatch => (Self::dispatch(req, repo), Some(read)),
        }
    }

    fn repo_id(&self, repo: &FakeRepo) -> usize {
        REPO_ID_BASE
            + self
                .config
                .repositories
                .iter()
                .position(|r| std::ptr::eq(r, repo))
                .expect("a configured repository")
    }

    /// The repository's owner as a `simple-user`.
    fn owner(&self, repo: &FakeRepo, id: usize) -> Value {
        let owner = &repo.owner;
        let users = format!("{}/users/{owner}", self.base);
        json!({
            "login": owner,
            "id": id + 1_000_000,
            "node_id": STANDARD.encode(format!("04:User{}", id + 1_000_000)),
            "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", id + 1_000_000),
            "gravatar_id": "",
            "url": users,
            "html_url": format!("https://github.com/{owner}"),
            "followers_url": format!("{users}/followers"),
            "following_url": format!("{users}/following{{/other_user}}"),
            "gists_url": format!("{users}/gists{{/gist_id}}"),
            "starred_url": format!("{users}/starred{{/owner}}{{/repo}}"),
            "subscriptions_url": format!("{users}/subscriptions"),
            "organizations_url": format!("{users}/orgs"),
            "repos_url": format!("{users}/repos"),
            "events_url": format!("{users}/events{{/privacy}}"),
            "received_events_url": format!("{users}/received_events"),
            "type": "User",
            "user_view_type": "public",
            "site_admin": false
        })
    }

    /// The counts, flags and dates of a repository object.
    fn settings(repo: &FakeRepo) -> Value {
        json!({
            "open_issues_count": 0,
            "open_issues": 0,
            "is_template": false,
            "topics": [],
            "has_issues": true,
            "has_projects": true,
            "has_wiki": true,
            "has_pages": false,
            "has_downloads": true,
            "has_discussions": false,
            "archived": false,
            "disabled": false,
            "visibility": if repo.private { "private" } else { "public" },
            "pushed_at": "2026-11-30T08:15:02Z",
            "created_at": "2025-03-14T10:01:44Z",
            "updated_at": "2026-11-30T08:15:06Z",
            "permissions": {"admin": false, "maintain": false, "push": true, "triage": true, "pull": true},
            "license": null,
            "allow_forking": true,
            "web_commit_signoff_required": false,
            "network_count": 0,
            "subscribers_count": 1
        })
    }

    /// A repository object with every field `full-repository` requires.
    fn repository(&self, repo: &FakeRepo) -> Value {
        let id = self.repo_id(repo);
        let full = repo.full_name();
        let api = format!("{}/repos/{full}", self.base);
        let html = format!("https://github.com/{full}");
        let size = match &repo.tree {
            Tree::Empty => 0,
            Tree::Workflows(files) => files.iter().map(|f| f.text.len()).sum::<usize>() / 1024 + 1,
        };
        let node_id = STANDARD.encode(format!("010:Repository{id}"));
        let owner_json = self.owner(repo, id);
        let mut repository = json!({
            "id": id,
            "node_id": node_id,
            "name": repo.name,
            "full_name": full,
            "owner": owner_json,
            "private": repo.private,
            "html_url": html,
            "description": null,
            "fork": false,
            "url": api,
            "archive_url": format!("{api}/{{archive_format}}{{/ref}}"),
            "assignees_url": format!("{api}/assignees{{/user}}"),
            "blobs_url": format!("{api}/git/blobs{{/sha}}"),
            "branches_url": format!("{api}/branches{{/branch}}"),
            "collaborators_url": format!("{api}/collaborators{{/collaborator}}"),
            "comments_url": format!("{api}/comments{{/number}}"),
            "commits_url": format!("{api}/commits{{/sha}}"),
            "compare_url": format!("{api}/compare/{{base}}...{{head}}"),
            "contents_url": format!("{api}/contents/{{+path}}"),
            "contributors_url": format!("{api}/contributors"),
            "deployments_url": format!("{api}/deployments"),
            "downloads_url": format!("{api}/downloads"),
            "events_url": format!("{api}/events"),
            "forks_url": format!("{api}/forks"),
            "git_commits_url": format!("{api}/git/commits{{/sha}}"),
            "git_refs_url": format!("{api}/git/refs{{/sha}}"),
            "git_tags_url": format!("{api}/git/tags{{/sha}}"),
            "git_url": format!("git://github.com/{full}.git"),
            "issue_comment_url": format!("{api}/issues/comments{{/number}}"),
            "issue_events_url": format!("{api}/issues/events{{/number}}"),
            "issues_url": format!("{api}/issues{{/number}}"),
            "keys_url": format!("{api}/keys{{/key_id}}"),
            "labels_url": format!("{api}/labels{{/name}}"),
            "languages_url": format!("{api}/languages"),
            "merges_url": format!("{api}/merges"),
            "milestones_url": format!("{api}/milestones{{/number}}"),
            "notifications_url": format!("{api}/notifications{{?since,all,participating}}"),
            "pulls_url": format!("{api}/pulls{{/number}}"),
            "releases_url": format!("{api}/releases{{/id}}"),
        });
        let more = json!({
            "ssh_url": format!("git@github.com:{full}.git"),
            "stargazers_url": format!("{api}/stargazers"),
            "statuses_url": format!("{api}/statuses/{{sha}}"),
            "subscribers_url": format!("{api}/subscribers"),
            "subscription_url": format!("{api}/subscription"),
            "tags_url": format!("{api}/tags"),
            "teams_url": format!("{api}/teams"),
            "trees_url": format!("{api}/git/trees{{/sha}}"),
            "clone_url": format!("{html}.git"),
            "mirror_url": null,
            "hooks_url": format!("{api}/hooks"),
            "svn_url": html,
            "homepage": null,
            "language": null,
            "forks_count": 0,
            "forks": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": size,
            "default_branch": repo.default_branch,
        });
        let rest = Self::settings(repo);
        for part in [more, rest] {
            if let (Value::Object(all), Value::Object(part)) = (&mut repository, part) {
                all.extend(part);
            }
        }
        repository
    }

    /// The tree of the default branch: every file, and the folders above
    /// them.
    fn entries(repo: &FakeRepo) -> Vec<Entry<'_>> {
        let Tree::Workflows(files) = &repo.tree else {
            return Vec::new();
        };
        let mut entries = vec![Entry::File {
            path: "README.md".to_owned(),
            text: README,
        }];
        let mut dirs: Vec<String> = Vec::new();
        for f in files {
            let path = format!("{WORKFLOWS_DIR}/{}", f.name);
            let mut at = 0;
            while let Some(slash) = path[at..].find('/') {
                let dir = path[..at + slash].to_owned();
                if !dirs.contains(&dir) {
                    dirs.push(dir);
                }
                at += slash + 1;
            }
            entries.push(Entry::File {
                path,
                text: &f.text,
            });
        }
        entries.extend(dirs.into_iter().map(|path| Entry::Dir { path }));
        entries
    }

    /// An entry's fields as the contents API gives them.
    fn entry_json(&self, repo: &FakeRepo, entry: &Entry<'_>, entries: &[Entry<'_>]) -> Value {
        let full = repo.full_name();
        let branch = &repo.default_branch;
        let (kind, path, size, sha) = match entry {
            Entry::File { path, text } => ("file", path, text.len(), blob_sha("blob", text)),
            Entry::Dir { path } => {
                // A tree id made of the paths under it.
                let under: Vec<u8> = entries
                    .iter()
                    .map(|e| match e {
                        Entry::File { path: p, .. } | Entry::Dir { path: p } => p,
                    })
                    .filter(|p| p.starts_with(&format!("{path}/")))
                    .flat_map(|p| p.bytes().chain([0]))
                    .collect();
                ("dir", path, 0, blob_sha("tree", &under))
            }
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let url = format!("{}/repos/{full}/contents/{path}?ref={branch}", self.base);
        let git_url = format!(
            "{}/repos/{full}/git/{}/{sha}",
            self.base,
            if kind == "file" { "blobs" } else { "trees" }
        );
        let html_url = format!(
            "https://github.com/{full}/{}/{branch}/{path}",
            if kind == "file" { "blob" } else { "tree" }
        );
        let download_url = (kind == "file").then(|| {
            let token = if repo.private {
                "?token=AABBCCDDEEFFGGHHIIJJKKLLMMNNO"
            } else {
                ""
            };
            format!("https://raw.githubusercontent.com/{full}/{branch}/{path}{token}")
        });
        json!({
            "name": name,
            "path": path,
            "sha": sha,
            "size": size,
            "url": url,
            "html_url": html_url,
            "git_url": git_url,
            "download_url": download_url,
            "type": kind,
            "_links": {"self": url, "git": git_url, "html": html_url}
        })
    }

    /// `GET /repos/{o}/{r}/contents/{path}`.
    fn contents(
        &self,
        req: &Request,
        repo: &FakeRepo,
        path: &[&str],
        accept: Option<&str>,
    ) -> (Reply, Option<Read>) {
        let path = path.join("/");
        let path = path.trim_matches('/');
        let entries = Self::entries(repo);
        let path_of = |e: &Entry<'_>| match e {
            Entry::File { path, .. } | Entry::Dir { path } => path.clone(),
        };
        let file = entries
            .iter()
            .find(|e| matches!(e, Entry::File { .. }) && path_of(e) == path);
        // What the request is recorded as, whatever the answer.
        let folder = Some(if file.is_some() {
            Read::File
        } else {
            Read::Folder
        });
        if repo.faults.contents_forbidden {
            return (error(403, NOT_ACCESSIBLE, DOCS_CONTENTS), folder);
        }
        if matches!(repo.tree, Tree::Empty) {
            return (error(404, EMPTY_REPOSITORY, DOCS_CONTENTS), folder);
        }
        if let Some((_, r)) = req.url.query_pairs().find(|(k, _)| k == "ref") {
            let branch = &repo.default_branch;
            if r != branch.as_str() && r != format!("refs/heads/{branch}").as_str() {
                return (
                    error(
                        404,
                        &format!("No commit found for the ref {r}"),
                        DOCS_CONTENTS,
                    ),
                    folder,
                );
            }
        }
        let prefix = if path.is_empty() {
            String::new()
        } else {
            format!("{path}/")
        };
        if let Some(entry @ Entry::File { text, .. }) = file {
            if is_raw(accept) {
                let reply = Reply {
                    status: 200,
                    template: ResponseTemplate::new(200)
                        .set_body_raw(text.to_vec(), "text/plain; charset=utf-8")
                        .insert_header("x-github-media-type", "github.v3; param=raw; format=json"),
                };
                return (reply, Some(Read::File));
            }
            let mut body = self.entry_json(repo, entry, &entries);
            let (encoding, content) = if text.len() > LARGE_FILE {
                ("none", String::new())
            } else {
                ("base64", github_base64(text))
            };
            body["encoding"] = json!(encoding);
            body["content"] = json!(content);
            return (json_reply(200, &body), Some(Read::File));
        }
        let children: Vec<Value> = entries
            .iter()
            .filter(|e| {
                path_of(e)
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
            })
            .map(|e| self.entry_json(repo, e, &entries))
            .collect();
        if children.is_empty() {
            return (error(404, NOT_FOUND, DOCS_CONTENTS), folder);
        }
        // GitHub lists a folder by name.
        let mut children = children;
        children.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        (json_reply(200, &Value::Array(children)), folder)
    }

    /// `GET /repos/{o}/{r}/actions/workflows`: the files directly in
    /// `.github/workflows` named `*.yml` or `*.yaml`.
    fn workflows(&self, req: &Request, repo: &FakeRepo) -> Reply {
        if repo.faults.actions_forbidden {
            return error(403, NOT_ACCESSIBLE, DOCS_WORKFLOWS);
        }
        let query = |name: &str| {
            req.url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let per_page = query("per_page")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_PER_PAGE)
            .min(MAX_PER_PAGE);
        let size = repo
            .faults
            .workflows_page_size
            .map_or(per_page, |s| s.min(per_page));
        let page = query("page")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(1);
        let id = self.repo_id(repo);
        let full = repo.full_name();
        let all: Vec<Value> = repo
            .files()
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                !f.name.contains('/')
                    && std::path::Path::new(&f.name)
                        .extension()
                        .is_some_and(|e| e == "yml" || e == "yaml")
            })
            .map(|(i, f)| {
                let wid = (id - REPO_ID_BASE + 1) * 1_000_000 + i + 1;
                let path = format!("{WORKFLOWS_DIR}/{}", f.name);
                let name = workflow_name(&f.text, &path);
                json!({
                    "id": wid,
                    "node_id": format!("W_kwDO{}", STANDARD.encode(wid.to_string()).trim_end_matches('=')),
                    "name": name,
                    "path": path,
                    "state": f.state.as_str(),
                    "created_at": "2026-02-03T09:41:17.000Z",
                    "updated_at": "2026-11-30T08:15:06.000Z",
                    "url": format!("{}/repos/{full}/actions/workflows/{wid}", self.base),
                    "html_url": format!("https://github.com/{full}/blob/{}/{path}", repo.default_branch),
                    "badge_url": format!("https://github.com/{full}/workflows/{}/badge.svg", name.replace(' ', "%20")),
                })
            })
            .collect();
        let total = all.len();
        let last = total.div_ceil(size).max(1);
        let on_page: Vec<Value> = all.into_iter().skip((page - 1) * size).take(size).collect();
        let mut reply = json_reply(200, &json!({"total_count": total, "workflows": on_page}));
        if last > 1 {
            // GitHub's order, with the repository named by id.
            let link = |p: usize, rel: &str| {
                format!(
                    "<{}/repositories/{id}/actions/workflows?per_page={per_page}&page={p}>; rel=\"{rel}\"",
                    self.base
                )
            };
            let mut links = Vec::new();
            if page > 1 {
                links.push(link(page - 1, "prev"));
            }
            if page < last {
                links.push(link(page + 1, "next"));
                links.push(link(last, "last"));
            }
            if page > 1 {
                links.push(link(1, "first"));
            }
            reply.template = reply
                .template
                .insert_header("link", links.join(", ").as_str());
        }
        reply
    }

    /// `POST /repos/{o}/{r}/dispatches`.
    fn dispatch(req: &Request, repo: &FakeRepo) -> Reply {
        if repo.faults.contents_forbidden {
            return error(403, NOT_ACCESSIBLE, DOCS_DISPATCH);
        }
        let violations = super::contract_violations("/repos/{owner}/{repo}/dispatches", &req.body);
        if !violations.is_empty() {
            let message = format!("Invalid request.\n\n{}", violations.join("\n"));
            return error(422, &message, DOCS_DISPATCH);
        }
        Reply {
            status: 204,
            template: ResponseTemplate::new(204),
        }
    }
}
