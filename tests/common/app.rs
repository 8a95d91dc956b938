//! A stateful fake of the GitHub App API, for tests of App tokens minted in
//! the step: it checks the app's JWT as GitHub does, finds installations,
//! mints installation tokens scoped to repositories and permissions, accepts
//! dispatches (both events), lists and reads runs, and revokes tokens, each
//! only with a token that may, and records everything for the tests to read.
//!
//! Sources for the rules and the exact error bodies:
//! <https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app>,
//! <https://docs.github.com/en/rest/apps/apps> and
//! <https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps>
//! (digested in ../shared/facts/github-app-auth.md, A1 to A3).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use repository_dispatch::internals::time::utc;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The app id [`AppConfig::new`] gives the fake.
pub const APP_ID: u64 = 123_456;
/// The client id [`AppConfig::new`] gives the fake.
pub const CLIENT_ID: &str = "Iv23liAbCdEf012345";
/// The app's slug in installation answers.
pub const APP_SLUG: &str = "dispatch-bot";

/// 401 for a JWT that is not one, is not RS256, is signed by another key,
/// or names another app in `iss`; the fake also gives it when the
/// `Authorization` header holds no `Bearer` credential at all.
pub const JWT_UNDECODABLE: &str = "A JSON web token could not be decoded";
/// 401 for an `iat` that is not an integer or lies in the future.
pub const JWT_BAD_IAT: &str = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
/// 401 for an `exp` that is not a number or lies in the past.
pub const JWT_BAD_EXP: &str = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
/// 401 for an `exp` more than ten minutes ahead of GitHub's clock.
pub const JWT_EXP_TOO_FAR: &str = "'Expiration time' claim ('exp') is too far in the future";
/// 422 for a repository name the installation cannot reach (or an
/// `owner/name`).
pub const REPOSITORY_NOT_ACCESSIBLE: &str = "There is at least one repository that does not exist or is not accessible to the parent installation.";
/// 422 for more than [`MAX_TOKEN_REPOSITORIES`] names. The limit is GitHub's;
/// this wording is the fake's own (the facts found do not quote GitHub's).
pub const TOO_MANY_REPOSITORIES: &str =
    "Too many repositories: at most 500 may be given to scope a token";
/// 422 for a permission the installation does not hold at that level.
pub const PERMISSIONS_NOT_GRANTED: &str =
    "The permissions requested are not granted to this installation.";
/// 401 for an unknown, revoked or expired installation token.
pub const BAD_CREDENTIALS: &str = "Bad credentials";
/// 403 for a token without the permission an endpoint needs.
pub const NOT_ACCESSIBLE: &str = "Resource not accessible by integration";
/// 404 for anything out of a credential's reach.
pub const NOT_FOUND: &str = "Not Found";

/// How many repository names a token request may list.
pub const MAX_TOKEN_REPOSITORIES: usize = 500;
/// How far ahead of GitHub's clock a JWT's `exp` may lie.
pub const MAX_JWT_LIFETIME_SECS: i64 = 600;
/// How long an installation token lives.
pub const TOKEN_LIFETIME_SECS: i64 = 3600;

/// An app's RSA key pair, made by `openssl` for one test (no private key is
/// ever committed).
#[derive(Debug, Clone)]
pub struct AppKey {
    /// PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), as GitHub's download.
    pub pkcs1_pem: String,
    /// The same key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub pkcs8_pem: String,
    /// The same key as PKCS#1 `RSAPrivateKey` DER, which ring signs with.
    pub pkcs1_der: Vec<u8>,
    /// The public key as PKCS#1 `RSAPublicKey` DER, which ring verifies with.
    pub public_der: Vec<u8>,
}

/// Makes a 2048-bit key pair with `openssl` in `dir` (files `app-key.*`).
/// Panics if `openssl` is missing or fails.
pub fn app_key(dir: &Path) -> AppKey {
    let file = |name: &str| dir.join(name).to_str().expect("a UTF-8 path").to_owned();
    let (pkcs1, pkcs8, der, public) = (
        file("app-key.pem"),
        file("app-key.pkcs8.pem"),
        file("app-key.der"),
        file("app-key.pub.der"),
    );
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // OpenSSL 3 writes PKCS#8 unless told `-traditional`.
    openssl(&["genrsa", "-traditional", "-out", &pkcs1, "2048"]);
    openssl(&["pkcs8", "-topk8", "-nocrypt", "-in", &pkcs1, "-out", &pkcs8]);
    openssl(&[
        "rsa",
        "-in",
        &pkcs1,
        "-traditional",
        "-outform",
        "DER",
        "-out",
        &der,
    ]);
    openssl(&[
        "rsa",
        "-in",
        &pkcs1,
        "-RSAPublicKey_out",
        "-outform",
        "DER",
        "-out",
        &public,
    ]);
    let read = |f: &str| std::fs::read(f).unwrap_or_else(|e| panic!("{f}: {e}"));
    let text = |f: &str| String::from_utf8(read(f)).expect("PEM is ASCII");
    AppKey {
        pkcs1_pem: text(&pkcs1),
        pkcs8_pem: text(&pkcs8),
        pkcs1_der: read(&der),
        public_der: read(&public),
    }
}

/// Seconds since the epoch, by the test machine's clock.
pub fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    i64::try_from(secs).expect("seconds since 1970 fit an i64")
}

/// An RS256 JWT of `header` and `claims`, signed with `key`: what a client
/// sends (the tests use it to reach the fake's endpoints directly).
pub fn sign_jwt(key: &AppKey, header: &Value, claims: &Value) -> String {
    use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
    let pair = RsaKeyPair::from_der(&key.pkcs1_der).expect("openssl made a valid PKCS#1 key");
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .expect("signing with a valid key");
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A JWT GitHub accepts from `iss`, as the docs advise: issued 60 s ago,
/// expiring in 9 minutes by the test machine's clock.
pub fn app_jwt(key: &AppKey, iss: &Value) -> String {
    let now = now();
    sign_jwt(
        key,
        &json!({"alg": "RS256", "typ": "JWT"}),
        &json!({"iat": now - 60, "exp": now + 540, "iss": iss}),
    )
}

/// What the fake GitHub knows and how it misbehaves.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub app_id: u64,
    pub client_id: String,
    /// The app's public key, PKCS#1 `RSAPublicKey` DER ([`AppKey::public_der`]).
    pub public_der: Vec<u8>,
    pub installations: Vec<Installation>,
    /// The fake's clock is the real one plus this (a client clock skewed by
    /// the opposite amount).
    pub clock_offset_secs: i64,
    /// Mint stateless tokens (`ghs_` and a JWT, about 520 characters, two
    /// dots) instead of 40-character ones. A token request with
    /// `X-GitHub-Stateless-S2S-Token: enabled` or `disabled` overrides it, as
    /// on GitHub.
    pub stateless_tokens: bool,
    /// Repositories (`owner/name`) whose dispatches (both events) answer 500
    /// after the token checks pass.
    pub failing_dispatch: Vec<String>,
    /// Runs stay `in_progress` (a wait that times out); otherwise every run
    /// is `completed` with `success` from the start.
    pub runs_never_complete: bool,
    /// The `Date` header is this far off the fake's clock (an edge whose
    /// clock disagrees with the one that checks JWTs).
    pub date_offset_secs: i64,
    /// Answers given, in order, to the App endpoints before the real ones:
    /// server errors and rate limits.
    pub faults: Vec<Fault>,
    /// How revocations of an owner's token go wrong, before they go right.
    pub revoke_faults: Vec<RevokeFault>,
    /// Every refusal (status 400 or more) echoes the credential the request
    /// carried (the JWT or the installation token) in each encoding of
    /// [`super::echoes`], as a server or a proxy that quotes the request may.
    pub echo_credentials: bool,
}

/// How long a hanging revocation holds its answer: longer than any test.
pub const REVOKE_HANG: Duration = Duration::from_mins(10);

/// The first `times` revocations of `owner`'s token hang (answered `204`
/// only after [`REVOKE_HANG`], the token not revoked) or are answered with a
/// status and GitHub's error body (the token not revoked); later ones revoke.
#[derive(Debug, Clone)]
pub struct RevokeFault {
    pub owner: String,
    /// `None`: hang; a status: answer it.
    pub status: Option<u16>,
    pub times: usize,
}

impl RevokeFault {
    /// Every revocation of `owner`'s token hangs.
    pub fn hang(owner: &str) -> Self {
        Self {
            owner: owner.to_owned(),
            status: None,
            times: usize::MAX,
        }
    }

    /// The first `times` revocations of `owner`'s token are answered `status`.
    pub fn status(owner: &str, status: u16, times: usize) -> Self {
        Self {
            owner: owner.to_owned(),
            status: Some(status),
            times,
        }
    }
}

/// The App endpoints a [`Fault`] can hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// Any installation lookup.
    Lookup,
    /// `POST /app/installations/{id}/access_tokens`.
    Mint,
}

/// One answer the fake gives in place of the real one, before any check:
/// nothing is looked up or minted.
#[derive(Debug, Clone)]
pub struct Fault {
    pub endpoint: Endpoint,
    pub status: u16,
    pub message: &'static str,
    /// `Retry-After`, in seconds.
    pub retry_after: Option<u64>,
}

impl Fault {
    pub fn new(
        endpoint: Endpoint,
        status: u16,
        message: &'static str,
        retry_after: Option<u64>,
    ) -> Self {
        Self {
            endpoint,
            status,
            message,
            retry_after,
        }
    }
}

impl AppConfig {
    /// App [`APP_ID`] / [`CLIENT_ID`] with key `public_der`, installed as
    /// `installations`, on a true clock, with 40-character tokens, and
    /// nothing failing.
    pub fn new(public_der: &[u8], installations: Vec<Installation>) -> Self {
        Self {
            app_id: APP_ID,
            client_id: CLIENT_ID.to_owned(),
            public_der: public_der.to_vec(),
            installations,
            clock_offset_secs: 0,
            stateless_tokens: false,
            failing_dispatch: Vec::new(),
            runs_never_complete: false,
            date_offset_secs: 0,
            faults: Vec::new(),
            revoke_faults: Vec::new(),
            echo_credentials: false,
        }
    }
}

/// One installation of the app on an account, on selected repositories.
#[derive(Debug, Clone)]
pub struct Installation {
    pub id: u64,
    pub owner: String,
    /// Repository names, without the owner.
    pub repositories: Vec<String>,
    /// Permission name (`contents`, `actions`, `metadata`...) to `read` or
    /// `write`.
    pub permissions: BTreeMap<String, String>,
}

impl Installation {
    pub fn new(id: u64, owner: &str, repositories: &[&str], permissions: &[(&str, &str)]) -> Self {
        Self {
            id,
            owner: owner.to_owned(),
            repositories: repositories.iter().map(|&r| r.to_owned()).collect(),
            permissions: permissions
                .iter()
                .map(|&(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// The installation's own spelling of `name`, if it holds it (GitHub
    /// compares names case-insensitively).
    fn repository(&self, name: &str) -> Option<&str> {
        self.repositories
            .iter()
            .find(|r| r.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }
}

/// One JWT the fake was sent, on any endpoint that wants one.
#[derive(Debug, Clone)]
pub struct JwtSeen {
    pub path: String,
    /// The JWT as sent (empty when there was no `Bearer` credential).
    pub jwt: String,
    /// The claims as sent, when the middle part decoded to a JSON object.
    pub iss: Option<Value>,
    pub iat: Option<Value>,
    pub exp: Option<Value>,
    /// The signature verified with the app's public key.
    pub signature_ok: bool,
    /// `None` if the JWT was accepted, else the 401 message.
    pub rejected: Option<&'static str>,
}

/// One installation lookup (`/repos/{o}/{r}`, `/users/{u}` or `/orgs/{o}`
/// `/installation`) that passed the JWT check.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub path: String,
    pub owner: String,
    /// The repository, for `/repos/{owner}/{repo}/installation`.
    pub repo: Option<String>,
    pub status: u16,
}

/// One `POST /app/installations/{id}/access_tokens` that passed the JWT check.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub installation_id: u64,
    /// The body's `repositories`, if given (non-string items as JSON text).
    pub repositories: Option<Vec<String>>,
    /// The body's `permissions`, if given (non-string levels as JSON text).
    pub permissions: Option<BTreeMap<String, String>>,
    pub status: u16,
}

/// One token the fake minted.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub installation_id: u64,
    pub owner: String,
    /// Repository names, in the installation's spelling.
    pub repositories: Vec<String>,
    pub permissions: BTreeMap<String, String>,
    /// Seconds since the epoch, by the fake's clock.
    pub expires_at: i64,
    pub revoked: bool,
}

/// One request with an installation token: a dispatch of either event, a
/// read of runs, or a revocation.
#[derive(Debug, Clone)]
pub struct TokenUse {
    pub method: String,
    pub path: String,
    /// `owner/name` from the path (empty for a revocation).
    pub repo: String,
    /// The credential as sent, without its scheme (empty if none).
    pub token: String,
    /// The JSON body (`Value::Null` if none or not JSON).
    pub body: Value,
    pub status: u16,
    /// When the request arrived.
    pub at: std::time::Instant,
    /// The answer is held ([`REVOKE_HANG`]).
    pub held: bool,
    /// The owner of the token a revocation was sent with, if it is known.
    pub owner: String,
}

/// A run a dispatch started.
#[derive(Debug, Clone)]
pub struct FakeRun {
    pub id: u64,
    pub repo: String,
    pub event: &'static str,
    pub display_title: String,
    /// Seconds since the epoch, by the fake's clock.
    pub created: i64,
}

#[derive(Debug, Default)]
struct State {
    jwts: Vec<JwtSeen>,
    lookups: Vec<Lookup>,
    token_requests: Vec<TokenRequest>,
    tokens: Vec<IssuedToken>,
    dispatches: Vec<TokenUse>,
    workflow_dispatches: Vec<TokenUse>,
    run_reads: Vec<TokenUse>,
    revocations: Vec<TokenUse>,
    runs: Vec<FakeRun>,
    contract_violations: Vec<String>,
    unexpected: Vec<(String, String)>,
    /// How many of `AppConfig::faults` were given.
    faults_given: usize,
    /// Revocations answered by each of `AppConfig::revoke_faults`.
    revoke_faults_given: HashMap<usize, usize>,
    /// Each fault given: the endpoint and the status.
    fault_answers: Vec<(Endpoint, u16)>,
}

/// A running fake GitHub App API and what it has seen.
#[derive(Debug)]
pub struct AppFake {
    pub server: MockServer,
    state: Arc<Mutex<State>>,
    clock_offset_secs: i64,
}

/// Starts a fake GitHub App API that answers every request.
pub async fn app_api(config: AppConfig) -> AppFake {
    let server = MockServer::start().await;
    let state = Arc::new(Mutex::new(State::default()));
    let clock_offset_secs = config.clock_offset_secs;
    Mock::given(wiremock::matchers::any())
        .respond_with(Fake {
            config,
            base: server.uri(),
            state: Arc::clone(&state),
        })
        .mount(&server)
        .await;
    AppFake {
        server,
        state,
        clock_offset_secs,
    }
}

impl AppFake {
    /// `http://127.0.0.1:PORT`, the API base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The fake's clock, in seconds since the epoch.
    pub fn now(&self) -> i64 {
        now() + self.clock_offset_secs
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .expect("no test panicked holding the state")
    }

    /// Every JWT sent to an endpoint that wants one, in order.
    pub fn jwts(&self) -> Vec<JwtSeen> {
        self.state().jwts.clone()
    }

    /// Installation lookups with an accepted JWT, in order.
    pub fn lookups(&self) -> Vec<Lookup> {
        self.state().lookups.clone()
    }

    /// Token requests with an accepted JWT, refused ones included, in order.
    pub fn token_requests(&self) -> Vec<TokenRequest> {
        self.state().token_requests.clone()
    }

    /// Tokens minted, in order, with whether each was revoked.
    pub fn tokens(&self) -> Vec<IssuedToken> {
        self.state().tokens.clone()
    }

    /// The values of every token minted, for leak checks.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state()
            .tokens
            .iter()
            .map(|t| t.token.clone())
            .collect()
    }

    /// `POST /repos/{o}/{r}/dispatches` requests, refused ones included.
    pub fn dispatches(&self) -> Vec<TokenUse> {
        self.state().dispatches.clone()
    }

    /// Workflow dispatch requests, refused ones included.
    pub fn workflow_dispatches(&self) -> Vec<TokenUse> {
        self.state().workflow_dispatches.clone()
    }

    /// Reads of runs (lists and single runs), refused ones included.
    pub fn run_reads(&self) -> Vec<TokenUse> {
        self.state().run_reads.clone()
    }

    /// `DELETE /installation/token` requests, refused ones included.
    pub fn revocations(&self) -> Vec<TokenUse> {
        self.state().revocations.clone()
    }

    /// Runs the accepted dispatches started.
    pub fn runs(&self) -> Vec<FakeRun> {
        self.state().runs.clone()
    }

    /// Why dispatch bodies broke GitHub's published request schema (each
    /// such request was answered 422).
    pub fn contract_violations(&self) -> Vec<String> {
        self.state().contract_violations.clone()
    }

    /// Requests to endpoints the fake does not serve: (method, path).
    /// The faults given so far, in order.
    pub fn fault_answers(&self) -> Vec<(Endpoint, u16)> {
        self.state().fault_answers.clone()
    }

    pub fn unexpected(&self) -> Vec<(String, String)> {
        self.state().unexpected.clone()
    }

    /// Asserts no minted token appears in `text`.
    pub fn assert_no_token_in(&self, text: &str) {
        for token in self.issued_tokens() {
            assert!(!text.contains(&token), "a minted token leaked in: {text}");
        }
    }
}

/// An answer and its status (which a `ResponseTemplate` does not tell).
/// Boxed: refusals travel as `Err`, which clippy wants small.
struct Reply {
    status: u16,
    template: Box<ResponseTemplate>,
}

impl Reply {
    fn empty(status: u16) -> Self {
        Self {
            status,
            template: Box::new(ResponseTemplate::new(status)),
        }
    }
}

/// GitHub's JSON error body.
fn error(status: u16, message: &str, documentation_url: &str) -> Reply {
    json_answer(
        status,
        &json!({
            "message": message,
            "documentation_url": documentation_url,
            "status": status.to_string(),
        }),
    )
}

fn json_answer(status: u16, body: &Value) -> Reply {
    Reply {
        status,
        template: Box::new(ResponseTemplate::new(status).set_body_raw(
            body.to_string().into_bytes(),
            "application/json; charset=utf-8",
        )),
    }
}

const DOCS: &str = "https://docs.github.com/rest";
const DOCS_REPO_INSTALLATION: &str = "https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app";
const DOCS_USER_INSTALLATION: &str =
    "https://docs.github.com/rest/apps/apps#get-a-user-installation-for-the-authenticated-app";
const DOCS_ORG_INSTALLATION: &str = "https://docs.github.com/rest/apps/apps#get-an-organization-installation-for-the-authenticated-app";
const DOCS_ACCESS_TOKENS: &str =
    "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";
const DOCS_DISPATCH: &str =
    "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event";
const DOCS_WORKFLOW_DISPATCH: &str =
    "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event";
const DOCS_RUNS: &str =
    "https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository";
const DOCS_RUN: &str = "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run";
const DOCS_REVOKE: &str =
    "https://docs.github.com/rest/apps/installations#revoke-an-installation-access-token";

/// The `Respond` half: the configuration and the shared state.
struct Fake {
    config: AppConfig,
    base: String,
    state: Arc<Mutex<State>>,
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let now = self.now();
        let mut state = self
            .state
            .lock()
            .expect("no test panicked holding the state");
        let path = req.url.path().to_owned();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let endpoint = match (req.method.as_str(), parts.as_slice()) {
            ("GET", ["repos", _, _, "installation"] | ["users" | "orgs", _, "installation"]) => {
                Some(Endpoint::Lookup)
            }
            ("POST", ["app", "installations", _, "access_tokens"]) => Some(Endpoint::Mint),
            _ => None,
        };
        let fault = self
            .config
            .faults
            .get(state.faults_given)
            .filter(|f| Some(f.endpoint) == endpoint);
        let answer = if let Some(fault) = fault {
            state.faults_given += 1;
            state.fault_answers.push((fault.endpoint, fault.status));
            let mut reply = error(fault.status, fault.message, DOCS);
            if let Some(seconds) = fault.retry_after {
                reply.template = Box::new(
                    (*reply.template).insert_header("retry-after", seconds.to_string().as_str()),
                );
            }
            reply
        } else {
            match (req.method.as_str(), parts.as_slice()) {
                ("GET", ["repos", owner, repo, "installation"]) => {
                    self.lookup(req, &mut state, owner, Some(repo), DOCS_REPO_INSTALLATION)
                }
                ("GET", ["users", owner, "installation"]) => {
                    self.lookup(req, &mut state, owner, None, DOCS_USER_INSTALLATION)
                }
                ("GET", ["orgs", owner, "installation"]) => {
                    self.lookup(req, &mut state, owner, None, DOCS_ORG_INSTALLATION)
                }
                ("POST", ["app", "installations", id, "access_tokens"]) => {
                    self.mint(req, &mut state, id)
                }
                ("POST", ["repos", owner, repo, "dispatches"]) => {
                    self.dispatch(req, &mut state, &format!("{owner}/{repo}"))
                }
                (
                    "POST",
                    [
                        "repos",
                        owner,
                        repo,
                        "actions",
                        "workflows",
                        workflow,
                        "dispatches",
                    ],
                ) => self.workflow_dispatch(req, &mut state, &format!("{owner}/{repo}"), workflow),
                ("GET", ["repos", owner, repo, "actions", "runs"]) => {
                    self.list_runs(req, &mut state, &format!("{owner}/{repo}"))
                }
                ("GET", ["repos", owner, repo, "actions", "runs", id]) => {
                    self.get_run(req, &mut state, &format!("{owner}/{repo}"), id)
                }
                ("DELETE", ["installation", "token"]) => self.revoke(req, &mut state),
                _ => {
                    state
                        .unexpected
                        .push((req.method.to_string(), path.clone()));
                    error(404, NOT_FOUND, DOCS)
                }
            }
        };
        let answer = match credential(req) {
            Some((_, sent)) if self.config.echo_credentials && answer.status >= 400 => {
                let echoed: Vec<String> = super::echoes(&sent)
                    .into_iter()
                    .map(|(label, text)| format!("{label}: {text}"))
                    .collect();
                error(
                    answer.status,
                    &format!("Your request, echoed:\n{}", echoed.join("\n")),
                    DOCS,
                )
            }
            _ => answer,
        };
        let date = UNIX_EPOCH
            + Duration::from_secs(u64::try_from(now + self.config.date_offset_secs).unwrap_or(0));
        (*answer.template).insert_header("date", httpdate::fmt_http_date(date).as_str())
    }
}

/// The credential of an `Authorization` header: (scheme, value).
fn credential(req: &Request) -> Option<(String, String)> {
    let header = req.headers.get("authorization")?.to_str().ok()?;
    let (scheme, value) = header.split_once(' ')?;
    Some((scheme.to_ascii_lowercase(), value.trim().to_owned()))
}

fn decode_json(part: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

fn body_json(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

/// Strings of a JSON array; other items as their JSON text.
fn strings(value: &Value) -> Option<Vec<String>> {
    Some(
        value
            .as_array()?
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
    )
}

fn string_map(value: &Value) -> Option<BTreeMap<String, String>> {
    Some(
        value
            .as_object()?
            .iter()
            .map(|(k, v)| {
                let level = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                (k.clone(), level)
            })
            .collect(),
    )
}

fn level_rank(level: &str) -> Option<u8> {
    match level {
        "read" => Some(1),
        "write" => Some(2),
        _ => None,
    }
}

/// The token allows `permission` at `level` or above.
fn allows(token: &IssuedToken, permission: &str, level: &str) -> bool {
    token
        .permissions
        .get(permission)
        .and_then(|l| level_rank(l))
        .is_some_and(|have| Some(have) >= level_rank(level))
}

fn random_alphanumerics(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes).expect("the system has randomness");
    // 256 is not a multiple of 62; the slight bias is irrelevant to a fake.
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

impl Fake {
    fn now(&self) -> i64 {
        now() + self.config.clock_offset_secs
    }

    /// Checks the JWT as GitHub does and records it; `Err` is the 401.
    fn check_jwt(&self, req: &Request, state: &mut State) -> Result<(), Reply> {
        let mut seen = JwtSeen {
            path: req.url.path().to_owned(),
            jwt: credential(req)
                .filter(|(scheme, _)| scheme == "bearer")
                .map(|(_, v)| v)
                .unwrap_or_default(),
            iss: None,
            iat: None,
            exp: None,
            signature_ok: false,
            rejected: None,
        };
        let verdict = self.judge_jwt(req, &mut seen);
        seen.rejected = verdict.err();
        state.jwts.push(seen);
        verdict.map_err(|message| error(401, message, DOCS))
    }

    fn judge_jwt(&self, req: &Request, seen: &mut JwtSeen) -> Result<(), &'static str> {
        let credential = credential(req);
        let Some(("bearer", jwt)) = credential.as_ref().map(|(s, v)| (s.as_str(), v.as_str()))
        else {
            return Err(JWT_UNDECODABLE);
        };
        let parts: Vec<&str> = jwt.split('.').collect();
        let [header, claims, signature] = parts.as_slice() else {
            return Err(JWT_UNDECODABLE);
        };
        let claims = decode_json(claims).filter(Value::is_object);
        if let Some(c) = &claims {
            seen.iss = c.get("iss").cloned();
            seen.iat = c.get("iat").cloned();
            seen.exp = c.get("exp").cloned();
        }
        let header = decode_json(header).ok_or(JWT_UNDECODABLE)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| JWT_UNDECODABLE)?;
        let signed = jwt.rsplit_once('.').map_or("", |(s, _)| s);
        seen.signature_ok = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            &self.config.public_der,
        )
        .verify(signed.as_bytes(), &signature)
        .is_ok();
        if header["alg"] != "RS256" || !seen.signature_ok {
            return Err(JWT_UNDECODABLE);
        }
        let claims = claims.ok_or(JWT_UNDECODABLE)?;
        let issuer_ok = match &claims["iss"] {
            Value::String(s) => *s == self.config.app_id.to_string() || *s == self.config.client_id,
            Value::Number(n) => n.as_u64() == Some(self.config.app_id),
            _ => false,
        };
        if !issuer_ok {
            return Err(JWT_UNDECODABLE);
        }
        let now = self.now();
        match claims["iat"].as_i64() {
            Some(iat) if iat <= now => {}
            _ => return Err(JWT_BAD_IAT),
        }
        // `exp` is a NumericDate, which may carry a fraction.
        #[allow(clippy::cast_precision_loss)] // seconds since 1970 fit an f64's 52 bits exactly
        let (now, limit) = (now as f64, (now + MAX_JWT_LIFETIME_SECS) as f64);
        match claims["exp"].as_f64() {
            Some(exp) if exp > limit => Err(JWT_EXP_TOO_FAR),
            Some(exp) if exp > now => Ok(()),
            _ => Err(JWT_BAD_EXP),
        }
    }

    fn lookup(
        &self,
        req: &Request,
        state: &mut State,
        owner: &str,
        repo: Option<&str>,
        docs: &str,
    ) -> Reply {
        if let Err(answer) = self.check_jwt(req, state) {
            return answer;
        }
        let found = self.config.installations.iter().find(|i| {
            i.owner.eq_ignore_ascii_case(owner) && repo.is_none_or(|r| i.repository(r).is_some())
        });
        let answer = match found {
            Some(i) => json_answer(
                200,
                &json!({
                    "id": i.id,
                    "account": {"login": i.owner, "id": i.id + 1_000_000, "type": "Organization"},
                    "app_id": self.config.app_id,
                    "client_id": self.config.client_id,
                    "app_slug": APP_SLUG,
                    "target_type": "Organization",
                    "repository_selection": "selected",
                    "permissions": i.permissions,
                    "access_tokens_url": format!("{}/app/installations/{}/access_tokens", self.base, i.id),
                }),
            ),
            None => error(404, NOT_FOUND, docs),
        };
        state.lookups.push(Lookup {
            path: req.url.path().to_owned(),
            owner: owner.to_owned(),
            repo: repo.map(str::to_owned),
            status: answer.status,
        });
        answer
    }

    fn mint(&self, req: &Request, state: &mut State, id: &str) -> Reply {
        if let Err(answer) = self.check_jwt(req, state) {
            return answer;
        }
        let Some(installation) = self
            .config
            .installations
            .iter()
            .find(|i| i.id.to_string() == *id)
        else {
            return error(404, NOT_FOUND, DOCS_ACCESS_TOKENS);
        };
        let body = if req.body.is_empty() {
            json!({})
        } else {
            body_json(req)
        };
        if !body.is_object() {
            return error(400, "Problems parsing JSON", DOCS_ACCESS_TOKENS);
        }
        let repositories = strings(&body["repositories"]);
        let permissions = string_map(&body["permissions"]);
        let verdict = Self::scope(installation, &body);
        state.token_requests.push(TokenRequest {
            installation_id: installation.id,
            repositories,
            permissions,
            status: if verdict.is_ok() { 201 } else { 422 },
        });
        let (repositories, permissions) = match verdict {
            Ok(scope) => scope,
            Err(message) => return error(422, message, DOCS_ACCESS_TOKENS),
        };
        let stateless = match req
            .headers
            .get("x-github-stateless-s2s-token")
            .and_then(|v| v.to_str().ok())
        {
            Some("enabled") => true,
            Some("disabled") => false,
            _ => self.config.stateless_tokens,
        };
        let expires_at = self.now() + TOKEN_LIFETIME_SECS;
        let token = if stateless {
            Self::stateless_token()
        } else {
            format!("ghs_{}", random_alphanumerics(36))
        };
        let answer = json!({
            "token": token,
            "expires_at": utc(u64::try_from(expires_at).unwrap_or(0)),
            "permissions": permissions,
            "repository_selection": "selected",
            "repositories": repositories.iter().map(|name| json!({
                "name": name,
                "full_name": format!("{}/{name}", installation.owner),
            })).collect::<Vec<_>>(),
        });
        state.tokens.push(IssuedToken {
            token,
            installation_id: installation.id,
            owner: installation.owner.clone(),
            repositories,
            permissions,
            expires_at,
            revoked: false,
        });
        json_answer(201, &answer)
    }

    /// The repositories and permissions a token request asks for, as
    /// GitHub grants them, or the 422 message.
    fn scope(
        installation: &Installation,
        body: &Value,
    ) -> Result<(Vec<String>, BTreeMap<String, String>), &'static str> {
        let repositories = match &body["repositories"] {
            Value::Null => installation.repositories.clone(),
            Value::Array(names) if names.len() > MAX_TOKEN_REPOSITORIES => {
                return Err(TOO_MANY_REPOSITORIES);
            }
            Value::Array(names) => {
                let mut granted = Vec::new();
                for name in names {
                    let found = name.as_str().and_then(|n| installation.repository(n));
                    let Some(found) = found else {
                        return Err(REPOSITORY_NOT_ACCESSIBLE);
                    };
                    if !granted.iter().any(|g| g == found) {
                        granted.push(found.to_owned());
                    }
                }
                granted
            }
            _ => return Err(REPOSITORY_NOT_ACCESSIBLE),
        };
        let permissions = match &body["permissions"] {
            Value::Null => installation.permissions.clone(),
            Value::Object(asked) => {
                let mut granted = BTreeMap::new();
                for (name, level) in asked {
                    let level = level.as_str().unwrap_or("");
                    let held = installation.permissions.get(name).map(String::as_str);
                    let ok = level_rank(level)
                        .is_some_and(|want| held.and_then(level_rank).is_some_and(|h| h >= want));
                    if !ok {
                        return Err(PERMISSIONS_NOT_GRANTED);
                    }
                    granted.insert(name.clone(), level.to_owned());
                }
                // Metadata read comes with any repository permission.
                if installation.permissions.contains_key("metadata") {
                    granted
                        .entry("metadata".to_owned())
                        .or_insert_with(|| "read".to_owned());
                }
                granted
            }
            _ => return Err(PERMISSIONS_NOT_GRANTED),
        };
        Ok((repositories, permissions))
    }

    /// A stateless token: `ghs_` and three dot-separated parts, 520
    /// characters in all, within the alphabet GitHub's changelog gives for
    /// matching them (`ghs_[A-Za-z0-9._]{36,}`). The parts are random past a
    /// JWT header: only the fake reads them, and it looks tokens up whole.
    fn stateless_token() -> String {
        // `{"alg":"RS256","typ":"JWT"}` in base64url, free of `-` and `_`.
        const HEADER: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";
        format!(
            "ghs_{HEADER}.{}.{}",
            random_alphanumerics(136),
            random_alphanumerics(342)
        )
    }

    /// The live token a request carries (`Bearer` or `token`), or the 401.
    fn token_of(&self, req: &Request, state: &State) -> Result<IssuedToken, Reply> {
        let now = self.now();
        credential(req)
            .filter(|(scheme, _)| scheme == "bearer" || scheme == "token")
            .and_then(|(_, value)| state.tokens.iter().find(|t| t.token == value).cloned())
            .filter(|t| !t.revoked && t.expires_at > now)
            .ok_or_else(|| error(401, BAD_CREDENTIALS, DOCS))
    }

    /// Checks a token for `repo` and `permission` at `level`: the token, or
    /// GitHub's answer.
    fn authorize(
        &self,
        req: &Request,
        state: &State,
        repo: &str,
        permission: &str,
        level: &str,
        docs: &str,
    ) -> Result<IssuedToken, Reply> {
        let token = self.token_of(req, state)?;
        let (owner, name) = repo.split_once('/').unwrap_or((repo, ""));
        let in_scope = token.owner.eq_ignore_ascii_case(owner)
            && token
                .repositories
                .iter()
                .any(|r| r.eq_ignore_ascii_case(name));
        if !in_scope {
            return Err(error(404, NOT_FOUND, docs));
        }
        if !allows(&token, permission, level) {
            return Err(error(403, NOT_ACCESSIBLE, docs));
        }
        Ok(token)
    }

    fn record(req: &Request, repo: &str, status: u16) -> TokenUse {
        TokenUse {
            method: req.method.to_string(),
            path: req.url.path().to_owned(),
            repo: repo.to_owned(),
            token: credential(req).map(|(_, v)| v).unwrap_or_default(),
            body: body_json(req),
            status,
            at: std::time::Instant::now(),
            held: false,
            owner: String::new(),
        }
    }

    fn failing(&self, repo: &str) -> bool {
        self.config
            .failing_dispatch
            .iter()
            .any(|r| r.eq_ignore_ascii_case(repo))
    }

    /// Schema violations of a dispatch body, recorded; `Err` is the 422.
    fn check_contract(
        state: &mut State,
        operation: &str,
        req: &Request,
        docs: &str,
    ) -> Result<(), Reply> {
        let violations = super::contract_violations(operation, &req.body);
        if violations.is_empty() {
            return Ok(());
        }
        let message = format!("Invalid request.\n\n{}", violations.join("\n"));
        state.contract_violations.extend(violations);
        Err(error(422, &message, docs))
    }

    fn start_run(&self, state: &mut State, repo: &str, event: &'static str, title: String) -> u64 {
        let id = 1001 + u64::try_from(state.runs.len()).unwrap_or(0);
        state.runs.push(FakeRun {
            id,
            repo: repo.to_owned(),
            event,
            display_title: title,
            created: self.now(),
        });
        id
    }

    fn dispatch(&self, req: &Request, state: &mut State, repo: &str) -> Reply {
        let answer = self
            .authorize(req, state, repo, "contents", "write", DOCS_DISPATCH)
            .and_then(|_| {
                if self.failing(repo) {
                    return Err(error(500, "Server Error", DOCS_DISPATCH));
                }
                Self::check_contract(
                    state,
                    "/repos/{owner}/{repo}/dispatches",
                    req,
                    DOCS_DISPATCH,
                )?;
                let body = body_json(req);
                let title = match body["client_payload"]["dispatch_id"].as_str() {
                    Some(id) => {
                        format!("Deploy {} {id}", body["event_type"].as_str().unwrap_or(""))
                    }
                    None => "Repository dispatch".to_owned(),
                };
                self.start_run(state, repo, "repository_dispatch", title);
                Ok(Reply::empty(204))
            });
        let answer = answer.unwrap_or_else(|refusal| refusal);
        let status = answer.status;
        state.dispatches.push(Self::record(req, repo, status));
        answer
    }

    fn workflow_dispatch(
        &self,
        req: &Request,
        state: &mut State,
        repo: &str,
        workflow: &str,
    ) -> Reply {
        let answer = self
            .authorize(req, state, repo, "actions", "write", DOCS_WORKFLOW_DISPATCH)
            .and_then(|_| {
                if self.failing(repo) {
                    return Err(error(500, "Server Error", DOCS_WORKFLOW_DISPATCH));
                }
                Self::check_contract(
                    state,
                    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
                    req,
                    DOCS_WORKFLOW_DISPATCH,
                )?;
                let id = self.start_run(
                    state,
                    repo,
                    "workflow_dispatch",
                    format!("Deploy {workflow}"),
                );
                if body_json(req)["return_run_details"] == true {
                    Ok(json_answer(
                        200,
                        &json!({
                            "workflow_run_id": id,
                            "run_url": format!("{}/repos/{repo}/actions/runs/{id}", self.base),
                            "html_url": format!("https://github.com/{repo}/actions/runs/{id}"),
                        }),
                    ))
                } else {
                    Ok(Reply::empty(204))
                }
            });
        let answer = answer.unwrap_or_else(|refusal| refusal);
        let status = answer.status;
        state
            .workflow_dispatches
            .push(Self::record(req, repo, status));
        answer
    }

    fn run_json(&self, run: &FakeRun) -> Value {
        let (status, conclusion) = if self.config.runs_never_complete {
            ("in_progress", None)
        } else {
            ("completed", Some("success"))
        };
        json!({
            "id": run.id,
            "name": "CD",
            "display_title": run.display_title,
            "event": run.event,
            "status": status,
            "conclusion": conclusion,
            "html_url": format!("https://github.com/{}/actions/runs/{}", run.repo, run.id),
            "created_at": utc(u64::try_from(run.created).unwrap_or(0)),
            "run_number": run.id,
            "repository": {"full_name": run.repo},
        })
    }

    /// `GET /repos/{o}/{r}/actions/runs`: newest first, filtered by `event`
    /// and `created=>=TIME`, paged by `per_page` and `page` with a `link`
    /// header to the next page.
    fn list_runs(&self, req: &Request, state: &mut State, repo: &str) -> Reply {
        let answer = self
            .authorize(req, state, repo, "actions", "read", DOCS_RUNS)
            .map(|_| {
                let query: HashMap<String, String> = req.url.query_pairs().into_owned().collect();
                let since = query
                    .get("created")
                    .and_then(|c| c.strip_prefix(">="))
                    .unwrap_or("");
                let per_page: usize = query
                    .get("per_page")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(30)
                    .clamp(1, 100);
                let page: usize = query
                    .get("page")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(1)
                    .max(1);
                let mut runs: Vec<&FakeRun> = state
                    .runs
                    .iter()
                    .filter(|r| r.repo.eq_ignore_ascii_case(repo))
                    .filter(|r| query.get("event").is_none_or(|e| e == r.event))
                    .filter(|r| utc(u64::try_from(r.created).unwrap_or(0)).as_str() >= since)
                    .collect();
                runs.sort_by_key(|r| std::cmp::Reverse((r.created, r.id)));
                let items: Vec<Value> = runs
                    .iter()
                    .skip((page - 1) * per_page)
                    .take(per_page)
                    .map(|r| self.run_json(r))
                    .collect();
                let mut answer = json_answer(
                    200,
                    &json!({"total_count": runs.len(), "workflow_runs": items}),
                );
                if page * per_page < runs.len() {
                    let link = super::next_page_link(&req.url, page);
                    answer.template =
                        Box::new((*answer.template).insert_header("link", link.as_str()));
                }
                answer
            });
        let answer = answer.unwrap_or_else(|refusal| refusal);
        let status = answer.status;
        state.run_reads.push(Self::record(req, repo, status));
        answer
    }

    fn get_run(&self, req: &Request, state: &mut State, repo: &str, id: &str) -> Reply {
        let answer = self
            .authorize(req, state, repo, "actions", "read", DOCS_RUN)
            .map(|_| {
                let run = state
                    .runs
                    .iter()
                    .find(|r| r.id.to_string() == id && r.repo.eq_ignore_ascii_case(repo));
                match run {
                    Some(run) => json_answer(200, &self.run_json(run)),
                    None => error(404, NOT_FOUND, DOCS_RUN),
                }
            });
        let answer = answer.unwrap_or_else(|refusal| refusal);
        let status = answer.status;
        state.run_reads.push(Self::record(req, repo, status));
        answer
    }

    fn revoke(&self, req: &Request, state: &mut State) -> Reply {
        let mut held = false;
        let mut owner = String::new();
        let answer = match self.token_of(req, state) {
            Ok(token) => {
                owner.clone_from(&token.owner);
                let fault = self.config.revoke_faults.iter().enumerate().find(|(i, f)| {
                    f.owner.eq_ignore_ascii_case(&token.owner)
                        && state.revoke_faults_given.get(i).copied().unwrap_or(0) < f.times
                });
                if let Some((i, f)) = fault {
                    *state.revoke_faults_given.entry(i).or_insert(0) += 1;
                    if let Some(status) = f.status {
                        error(status, "Server Error", DOCS_REVOKE)
                    } else {
                        held = true;
                        Reply {
                            status: 204,
                            template: Box::new(ResponseTemplate::new(204).set_delay(REVOKE_HANG)),
                        }
                    }
                } else {
                    for t in state.tokens.iter_mut().filter(|t| t.token == token.token) {
                        t.revoked = true;
                    }
                    Reply::empty(204)
                }
            }
            Err(_) => error(401, BAD_CREDENTIALS, DOCS_REVOKE),
        };
        let status = answer.status;
        let mut record = Self::record(req, "", status);
        record.held = held;
        record.owner = owner;
        state.revocations.push(record);
        answer
    }
}
