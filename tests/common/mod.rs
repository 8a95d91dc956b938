//! Shared test support: running the built binary the way the runner does, and
//! the parts of a fake GitHub API that wiremock cannot play (raw TCP faults),
//! a fake GitHub App API ([`app`]) and a fake GitHub that serves repositories'
//! workflow files ([`workflows`]).

#![allow(dead_code)] // each test binary uses its own subset

pub mod app;
pub mod workflows;

// The tests run minutes of GitHub's rate-limit rules in seconds through
// REPOSITORY_DISPATCH_TIME_SCALE, which only a `scaled-time` build reads.
#[cfg(not(feature = "scaled-time"))]
compile_error!(
    "the tests need the scaled-time feature: cargo test --features scaled-time (bash .ci/test.sh runs everything)"
);

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A token no output may contain.
pub const TOKEN: &str = "ghp_DistinctiveT0kenNeverPrinted9f3a7c21";

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// What the file `GITHUB_OUTPUT` named held after the run (empty when the
    /// variable was unset or named no regular file).
    pub output: String,
    /// The same for `GITHUB_STEP_SUMMARY`.
    pub summary: String,
    pub elapsed: Duration,
}

impl Run {
    /// Lines of stdout that are `::error` annotations.
    pub fn errors(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| l.starts_with("::error"))
            .collect()
    }

    /// Everything the run wrote, for leak checks.
    pub fn everything(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.stdout, self.stderr, self.output, self.summary
        )
    }

    /// The outputs written to `GITHUB_OUTPUT`, parsed from the runner's
    /// `name<<DELIMITER` format; panics on a malformed file.
    pub fn outputs(&self) -> Vec<(String, String)> {
        parse_output_file(&self.output)
    }

    pub fn output(&self, name: &str) -> Option<String> {
        self.outputs()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The `results` output: one JSON object a repository. Panics if the
    /// output is missing or not a JSON array.
    pub fn results(&self) -> Vec<serde_json::Value> {
        let text = self
            .output("results")
            .unwrap_or_else(|| panic!("no results output in {:?}", self.output));
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Array(results)) => results,
            _ => panic!("the results output is not a JSON array: {text}"),
        }
    }

    /// Asserts the token appears nowhere but in `::add-mask::` lines (which
    /// the runner consumes and never shows) on stdout.
    pub fn assert_no_token(&self) {
        let all = self.everything();
        let masks = self
            .stdout
            .lines()
            .filter(|l| l.starts_with("::add-mask::"))
            .count();
        let leaks: Vec<&str> = all
            .lines()
            .enumerate()
            .filter(|(i, l)| l.contains(TOKEN) && !(*i < masks && l.starts_with("::add-mask::")))
            .map(|(_, l)| l)
            .collect();
        assert!(leaks.is_empty(), "token leaked in: {leaks:?}");
    }
}

/// Parses a `GITHUB_OUTPUT` file as the runner does.
pub fn parse_output_file(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() && lines.peek().is_none() {
            break;
        }
        let (name, delimiter) = line
            .split_once("<<")
            .unwrap_or_else(|| panic!("not in name<<DELIMITER form: {line:?} in {text:?}"));
        let mut value = Vec::new();
        loop {
            let l = lines
                .next()
                .unwrap_or_else(|| panic!("unterminated output {name}"));
            if l == delimiter {
                break;
            }
            value.push(l);
        }
        out.push((name.to_owned(), value.join("\n")));
    }
    out
}

/// Environment of a step as the runner sets it, pointing at `api`.
pub fn actions_env(api: &str) -> Vec<(String, String)> {
    [
        ("GITHUB_ACTIONS", "true"),
        ("CI", "true"),
        ("GITHUB_API_URL", api),
        ("GITHUB_REPOSITORY", "octo/self"),
        ("INPUT_TOKEN", TOKEN),
        ("INPUT_REPOSITORY", "octo/deploy"),
        ("INPUT_EVENT-TYPE", "trigger-deploy"),
        (
            "INPUT_CLIENT-PAYLOAD",
            r#"{"image_tag": "v1.2.3", "environment": "staging"}"#,
        ),
        // The receiver check reads the target's workflows before sending;
        // the tests of the dispatch itself turn it off, those of the check
        // (tests/receiver.rs) turn it on.
        ("INPUT_CHECK-RECEIVER", "off"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// Environment of a step as the runner builds it from `action.yml` and the
/// step's `with:` (`given`, input names): every input is passed, the ones
/// not given as their default, and the ones without a default as empty
/// variables (actions/runner, `ActionManifestManager.ConvertInputs`). The
/// runner's expressions are evaluated as a workflow in octo/self would.
pub fn runner_env(api: &str, given: &[(&str, &str)]) -> Vec<(String, String)> {
    use repository_dispatch::internals::spec::{Default, INPUTS};
    let mut env: Vec<(String, String)> = actions_env(api)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("INPUT_"))
        .collect();
    for input in INPUTS {
        let value = match (given.iter().find(|(n, _)| *n == input.name), input.default) {
            (Some((_, v)), _) => (*v).to_owned(),
            (None, Default::Value(v)) => v.to_owned(),
            (None, Default::Runner { expression, .. }) => match expression {
                "${{ github.token }}" => TOKEN.to_owned(),
                "${{ github.repository }}" => "octo/self".to_owned(),
                other => panic!("no value for the expression {other}"),
            },
            (None, Default::None) => String::new(),
        };
        env.push((format!("INPUT_{}", input.name.to_ascii_uppercase()), value));
    }
    env
}

/// The `Link` header GitHub sends with a page of a list that has more: the
/// same request with `page` set to `page + 1`.
pub fn next_page_link(url: &wiremock::http::Url, page: usize) -> String {
    let mut next = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != "page")
        .collect();
    next.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("page", &(page + 1).to_string());
    format!("<{next}>; rel=\"next\"")
}

/// Sets or removes (`None`) variables in an environment list.
pub fn set(env: &mut Vec<(String, String)>, changes: &[(&str, Option<&str>)]) {
    for (name, value) in changes {
        env.retain(|(k, _)| k != name);
        if let Some(v) = value {
            env.push(((*name).to_owned(), (*v).to_owned()));
        }
    }
}

/// Runs the binary with exactly `env` (plus `GITHUB_OUTPUT` and
/// `GITHUB_STEP_SUMMARY` files in a temporary folder, unless `env` names them)
/// and `args`.
pub async fn run(env: &[(String, String)], args: &[&str]) -> Run {
    run_os(env, &[], args, None).await
}

/// [`run`] with extra raw (possibly non-UTF-8) variables and standard input.
/// A raw `None` leaves that variable unset, which for `GITHUB_OUTPUT` and
/// `GITHUB_STEP_SUMMARY` means no file is given for it. [`Run::output`] and
/// [`Run::summary`] are read from wherever the two variables point, if that
/// is a regular file (never a FIFO or a device).
pub async fn run_os(
    env: &[(String, String)],
    raw: &[(OsString, Option<OsString>)],
    args: &[&str],
    stdin: Option<&[u8]>,
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut vars: Vec<(OsString, Option<OsString>)> = env
        .iter()
        .map(|(k, v)| (k.into(), Some(v.into())))
        .chain(raw.iter().cloned())
        .collect();
    for (name, file) in [
        ("GITHUB_OUTPUT", "set_output_1"),
        ("GITHUB_STEP_SUMMARY", "step_summary_1"),
    ] {
        if !vars.iter().any(|(k, _)| k == name) {
            vars.push((name.into(), Some(dir.path().join(file).into())));
        }
    }
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"));
    cmd.env_clear().args(args);
    for (k, v) in &vars {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .kill_on_drop(true);
    let started = Instant::now();
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // The binary stops reading at its cap: a broken pipe is for the
        // assertions on its answer to judge.
        let _ = pipe.write_all(input).await;
        drop(pipe);
    }
    let out = tokio::time::timeout(Duration::from_mins(2), child.wait_with_output())
        .await
        .expect("the binary finishes within 120 s")
        .unwrap();
    let read = |name: &str| {
        let Some((_, Some(file))) = vars.iter().rev().find(|(k, _)| k == name) else {
            return String::new();
        };
        let file = Path::new(file);
        if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
            std::fs::read_to_string(file)
                .unwrap_or_else(|e| panic!("{name} {}: {e}", file.display()))
        } else {
            String::new()
        }
    };
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        output: read("GITHUB_OUTPUT"),
        summary: read("GITHUB_STEP_SUMMARY"),
        elapsed: started.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "the binary panicked: {}",
        run.stderr
    );
    run
}

/// The `OpenAPI` request schema of `POST {operation}` (a path as GitHub's
/// description writes it), from GitHub's published description
/// (tests/contracts, a copy of ../shared/contracts/github-rest-api.json).
pub fn request_schema(operation: &str) -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/contracts/github-rest-api.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["paths"][operation]["post"]["requestBody"]["content"]["application/json"]["schema"].clone()
}

/// GitHub's published description (tests/contracts/github-rest-api.json).
fn contract() -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/contracts/github-rest-api.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The JSON Schema of the `application/json` answer with `status` to `GET
/// {operation}` (a path as GitHub's description writes it), `None` if the
/// contract gives none. Made checkable: the contract's `components` go along
/// for its `$ref`s, and `OpenAPI` 3.0's `nullable: true` becomes a `null`
/// alternative of `type` (JSON Schema knows no `nullable`).
pub fn response_schema(operation: &str, status: u16) -> Option<serde_json::Value> {
    fn nullable(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                if map.get("nullable") == Some(&serde_json::Value::Bool(true))
                    && let Some(serde_json::Value::String(t)) = map.get("type")
                {
                    let t = t.clone();
                    map.insert("type".to_owned(), serde_json::json!([t, "null"]));
                }
                map.values_mut().for_each(nullable);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(nullable),
            _ => {}
        }
    }
    let mut doc = contract();
    nullable(&mut doc);
    let mut answer = doc["paths"][operation]["get"]["responses"][status.to_string()].clone();
    // An answer given by reference (`#/components/responses/not_found`).
    if let Some(r) = answer["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or_default();
        answer = doc["components"]["responses"][name].clone();
    }
    let mut schema = answer["content"]["application/json"]["schema"].clone();
    let map = schema.as_object_mut()?;
    map.insert("components".to_owned(), doc["components"].clone());
    Some(schema)
}

/// Why `body` breaks the contract's schema of the answer with `status` to
/// `GET {operation}`; panics if the contract gives no such schema.
pub fn response_violations(operation: &str, status: u16, body: &serde_json::Value) -> Vec<String> {
    let schema = response_schema(operation, status)
        .unwrap_or_else(|| panic!("no schema for the {status} answer to GET {operation}"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The schema violations of a request body to `POST {operation}`.
pub fn contract_violations(operation: &str, body: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return vec!["the body is not JSON".to_owned()];
    };
    let schema = request_schema(operation);
    assert!(
        schema.is_object(),
        "no schema for {operation} in the contract"
    );
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect()
}

/// Asserts a request body satisfies GitHub's request schema of a repository
/// dispatch.
pub fn assert_matches_contract(body: &[u8]) {
    let errors = contract_violations("/repos/{owner}/{repo}/dispatches", body);
    assert!(
        errors.is_empty(),
        "body violates GitHub's schema: {errors:?}"
    );
}

/// A raw TCP server for faults HTTP mocks cannot produce. Each accepted
/// connection is handed to `behave` with the request bytes already read;
/// the number of requests received is counted.
pub struct RawServer {
    pub addr: std::net::SocketAddr,
    pub requests: Arc<AtomicUsize>,
    pub bytes_written: Arc<AtomicUsize>,
}

/// What a raw server does with a connection once it has read a request.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Writes the start of a response, then resets the connection.
    ResetMidResponse,
    /// Never answers (holds the connection open).
    Hang,
    /// Answers 502 with a body of this many bytes, streamed.
    HugeErrorBody(usize),
    /// Answers with this status and a body promised as 1000 bytes, sends 10,
    /// then resets the connection.
    CutBody(u16),
}

impl RawServer {
    pub async fn start(fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let bytes_written = Arc::new(AtomicUsize::new(0));
        let (req_count, written) = (requests.clone(), bytes_written.clone());
        serve_tcp(listener, move |mut sock| {
            let (req_count, written) = (req_count.clone(), written.clone());
            async move {
                if read_request(&mut sock).await.is_none() {
                    return;
                }
                req_count.fetch_add(1, Ordering::SeqCst);
                match fault {
                    Fault::ResetMidResponse => {
                        let _ = sock.write_all(b"HTTP/1.1 204 No Con").await;
                        // SO_LINGER 0 makes the close a reset; with a zero
                        // timeout the drop does not block.
                        #[allow(deprecated)]
                        let _ = sock.set_linger(Some(Duration::ZERO));
                        drop(sock);
                    }
                    Fault::Hang => {
                        tokio::time::sleep(Duration::from_mins(5)).await;
                    }
                    Fault::CutBody(status) => {
                        let head = format!(
                            "HTTP/1.1 {status} Cut\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\n0123456789"
                        );
                        let _ = sock.write_all(head.as_bytes()).await;
                        let _ = sock.flush().await;
                        #[allow(deprecated)]
                        let _ = sock.set_linger(Some(Duration::ZERO));
                        drop(sock);
                    }
                    Fault::HugeErrorBody(size) => {
                        let head = format!(
                            "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: {size}\r\n\r\n"
                        );
                        if sock.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = vec![b'x'; 64 * 1024];
                        let mut sent = 0;
                        while sent < size {
                            let n = chunk.len().min(size - sent);
                            if sock.write_all(&chunk[..n]).await.is_err() {
                                break;
                            }
                            sent += n;
                            written.store(sent, Ordering::SeqCst);
                        }
                    }
                }
            }
        });
        Self {
            addr,
            requests,
            bytes_written,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one HTTP/1.1 request (headers and a `content-length` body).
pub async fn read_request(sock: &mut TcpStream) -> Option<Vec<u8>> {
    use tokio::io::AsyncReadExt as _;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = sock.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf);
        }
    }
}

/// An address on which nothing listens: connections are refused.
pub async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// Accepts connections on `listener` until accepting fails, handing each to
/// `handle` on a task of its own.
pub fn serve_tcp<F, Fut>(listener: TcpListener, handle: F)
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(handle(socket));
        }
    });
}

/// An answer that closes the connection: `204 No Content`.
pub const NO_CONTENT: &str = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";

/// A request line and its `proxy-authorization` header, if any.
pub type Seen = (String, Option<String>);

/// A recording HTTP server on loopback, as a fake API or a fake proxy: it
/// records each request's first line and its `proxy-authorization` header,
/// and answers with a fixed response (or, as [`Recorder::proxy`], tunnels
/// `CONNECT`).
#[derive(Debug)]
pub struct Recorder {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Recorder {
    /// Answers every request, `CONNECT` included, with `answer`. Listens on
    /// each address in `binds` (all sharing one port when `binds` has several).
    pub async fn start(binds: &[&str], answer: &'static str) -> Self {
        Self::listen(binds, answer, false).await
    }

    /// A forward proxy on 127.0.0.1: tunnels `CONNECT` to the address asked
    /// for and answers plain-http requests itself with 204.
    pub async fn proxy() -> Self {
        Self::listen(&["127.0.0.1"], NO_CONTENT, true).await
    }

    async fn listen(binds: &[&str], answer: &'static str, tunnel: bool) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        'retry: for _ in 0..50 {
            let first = TcpListener::bind(format!("{}:0", binds[0])).await.unwrap();
            let port = first.local_addr().unwrap().port();
            let mut listeners = vec![first];
            for b in &binds[1..] {
                match TcpListener::bind(format!("{b}:{port}")).await {
                    Ok(l) => listeners.push(l),
                    Err(_) => continue 'retry,
                }
            }
            for listener in listeners {
                let log = seen.clone();
                serve_tcp(listener, move |sock| {
                    Self::answer(sock, log.clone(), answer, tunnel)
                });
            }
            return Self { port, seen };
        }
        panic!("no free port on {binds:?}");
    }

    async fn answer(
        mut sock: TcpStream,
        log: Arc<Mutex<Vec<Seen>>>,
        answer: &'static str,
        tunnel: bool,
    ) {
        let Some(req) = read_request(&mut sock).await else {
            return;
        };
        let text = String::from_utf8_lossy(&req).into_owned();
        let line = text.lines().next().unwrap_or("").to_owned();
        let auth = text.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("proxy-authorization")
                .then(|| value.trim().to_owned())
        });
        log.lock().unwrap().push((line.clone(), auth));
        if tunnel
            && let Some(target) = line
                .strip_prefix("CONNECT ")
                .and_then(|l| l.split(' ').next())
        {
            let Ok(mut upstream) = TcpStream::connect(target).await else {
                return;
            };
            let _ = sock
                .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                .await;
            let _ = tokio::io::copy_bidirectional(&mut sock, &mut upstream).await;
        } else {
            let _ = sock.write_all(answer.as_bytes()).await;
            let _ = sock.shutdown().await;
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The request lines, in order.
    pub fn lines(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|(l, _)| l.clone())
            .collect()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

/// Answers with each template in turn, then repeats the last.
#[derive(Debug)]
pub struct Sequence {
    answers: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    pub fn new(answers: Vec<ResponseTemplate>) -> Self {
        assert!(!answers.is_empty(), "a sequence needs an answer");
        Self {
            answers,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.answers[i.min(self.answers.len() - 1)].clone()
    }
}

/// A fake GitHub whose `POST /repos/octo/deploy/dispatches` (the repository
/// [`actions_env`] names) answers with `answers` in turn, then repeats the
/// last; any other request gets wiremock's bare 404.
pub async fn dispatch_api(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo/deploy/dispatches"))
        .respond_with(Sequence::new(answers))
        .mount(&server)
        .await;
    server
}

/// [`dispatch_api`] for every `POST`, whatever its path (any repository, and
/// wherever a redirect leads).
pub async fn any_post_api(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Sequence::new(answers))
        .mount(&server)
        .await;
    server
}

/// An answer with a JSON body, as GitHub labels it.
pub fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(body.as_bytes().to_vec(), "application/json; charset=utf-8")
}

/// A fake GitHub answering every request, whatever its method and path, with
/// 204 (the answer to a dispatch).
pub async fn no_content_api() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// `secret` as a server or a proxy that echoes it may show it, one labelled
/// line each: split across two lines, base64 at each of the three byte
/// alignments (standard and URL-safe), every byte percent-encoded, HTML
/// character references (hexadecimal, decimal, named) and JSON `\u` escapes.
pub fn echoes(secret: &str) -> Vec<(&'static str, String)> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let half = secret.len() / 2;
    let shifted = |n: usize| format!("{}{secret}@host", &"u:x"[..n]).into_bytes();
    let named = |c: char| match c {
        '_' => "&lowbar;".to_owned(),
        '.' => "&period;".to_owned(),
        '-' => "&hyphen;".to_owned(),
        '+' => "&plus;".to_owned(),
        '/' => "&sol;".to_owned(),
        '=' => "&equals;".to_owned(),
        c => format!("&#x{:x};", u32::from(c)),
    };
    vec![
        ("split", format!("{}\n{}", &secret[..half], &secret[half..])),
        ("base64 0", STANDARD.encode(shifted(0))),
        ("base64 1", STANDARD.encode(shifted(1))),
        ("base64 2", STANDARD.encode(shifted(2))),
        ("base64url 1", URL_SAFE_NO_PAD.encode(shifted(1))),
        (
            "base64 wrapped",
            STANDARD
                .encode(shifted(2))
                .as_bytes()
                .chunks(20)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("\r\n"),
        ),
        (
            "percent",
            secret
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<Vec<_>>()
                .concat(),
        ),
        (
            "html hex",
            secret
                .chars()
                .map(|c| format!("&#x{:X};", u32::from(c)))
                .collect::<Vec<_>>()
                .concat(),
        ),
        (
            "html decimal",
            secret
                .chars()
                .map(|c| format!("&#{};", u32::from(c)))
                .collect::<Vec<_>>()
                .concat(),
        ),
        ("html named", secret.chars().map(named).collect()),
        (
            "json",
            secret
                .chars()
                .map(|c| format!("\\u{:04x}", u32::from(c)))
                .collect::<Vec<_>>()
                .concat(),
        ),
    ]
}

/// The readings of `text` a leak check looks through, written apart from the
/// binary's redactor: the text without whitespace, percent-decoded,
/// entity-decoded (numeric and a few named) and JSON-unescaped, and the
/// base64 runs of each decoded from each of their first four characters.
pub fn readings(text: &str) -> Vec<String> {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut all = vec![
        percent_reading(&flat),
        entity_reading(&flat),
        json_reading(&flat),
        flat,
    ];
    let decoded: Vec<String> = all.iter().flat_map(|r| base64_readings(r)).collect();
    all.extend(decoded);
    all
}

fn percent_reading(flat: &str) -> String {
    let bytes = flat.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn entity_reading(flat: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("lowbar", '_'),
        ("period", '.'),
        ("hyphen", '-'),
        ("plus", '+'),
        ("sol", '/'),
        ("equals", '='),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
    ];
    let mut out = String::new();
    let mut rest = flat;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&e| e < 12).and_then(|e| {
            let name = &rest[1..e];
            let code = if let Some(h) = name.strip_prefix("#x") {
                u32::from_str_radix(h, 16).ok()
            } else if let Some(d) = name.strip_prefix('#') {
                d.parse().ok()
            } else {
                NAMED
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, c)| u32::from(*c))
            };
            Some((char::from_u32(code?)?, e))
        });
        if let Some((c, e)) = decoded {
            out.push(c);
            rest = &rest[e + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

fn json_reading(flat: &str) -> String {
    let mut out = String::new();
    let mut chars = flat.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(d) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(d);
                }
            }
            Some('n' | 'r' | 't') | None => {}
            Some(other) => out.push(other),
        }
    }
    out
}

fn base64_readings(reading: &str) -> Vec<String> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let alphabet = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_');
    let mut decoded = Vec::new();
    for run in reading
        .split(|c: char| !alphabet(c))
        .filter(|r| r.len() >= 16)
    {
        let run = run.replace('-', "+").replace('_', "/");
        for shift in 0..4 {
            let mut part = run[shift..].to_owned();
            // A last lone character holds no whole byte.
            if part.len() % 4 == 1 {
                part.pop();
            }
            if let Ok(bytes) = lenient.decode(&part) {
                decoded.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    decoded
}

/// Every `window`-character piece of `secret` (past its first `public`
/// characters, which are no secret) that shows in `text`, in any of its
/// [`readings`].
pub fn pieces_shown(text: &str, secret: &str, window: usize, public: usize) -> Vec<String> {
    let readings = readings(text);
    let mut found: Vec<String> = Vec::new();
    for start in 0..=secret.len().saturating_sub(window) {
        let piece = &secret[start..start + window];
        if start + window <= public {
            continue;
        }
        if readings.iter().any(|r| r.contains(piece)) && !found.iter().any(|f| f == piece) {
            found.push(piece.to_owned());
        }
    }
    found
}

/// Everything a run wrote that a person or a later step can see: stdout
/// without the `::add-mask::` commands (which the runner consumes), stderr,
/// `GITHUB_OUTPUT` and the step summary.
pub fn shown(r: &Run) -> String {
    let stdout: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect();
    format!(
        "{}\n{}\n{}\n{}",
        stdout.join("\n"),
        r.stderr,
        r.output,
        r.summary
    )
}
