//! Shared test support: running the built binary the way the runner does, and
//! the parts of a fake GitHub API that wiremock cannot play (raw TCP faults).

#![allow(dead_code)] // each test binary uses its own subset

// The tests run minutes of GitHub's rate-limit rules in seconds through
// REPOSITORY_DISPATCH_TIME_SCALE, which only a `scaled-time` build reads.
#[cfg(not(feature = "scaled-time"))]
compile_error!(
    "the tests need the scaled-time feature: cargo test --features scaled-time (bash .ci/test.sh runs everything)"
);

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt as _;

/// A token no output may contain.
pub const TOKEN: &str = "ghp_DistinctiveT0kenNeverPrinted9f3a7c21";

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub output: String,
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
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
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
/// `GITHUB_STEP_SUMMARY` files in a temporary folder) and `args`.
pub async fn run(env: &[(String, String)], args: &[&str]) -> Run {
    run_os(env, &[], args, None).await
}

/// [`run`] with extra raw (possibly non-UTF-8) variables and standard input.
pub async fn run_os(
    env: &[(String, String)],
    raw: &[(OsString, OsString)],
    args: &[&str],
    stdin: Option<&[u8]>,
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("set_output_1");
    let summary = dir.path().join("step_summary_1");
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_repository-dispatch"));
    cmd.env_clear().args(args);
    let has = |name: &str| env.iter().any(|(k, _)| k == name);
    if !has("GITHUB_OUTPUT") {
        cmd.env("GITHUB_OUTPUT", &output);
    }
    if !has("GITHUB_STEP_SUMMARY") {
        cmd.env("GITHUB_STEP_SUMMARY", &summary);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    for (k, v) in raw {
        cmd.env(k, v);
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
        pipe.write_all(input).await.unwrap();
        drop(pipe);
    }
    let out = tokio::time::timeout(Duration::from_mins(2), child.wait_with_output())
        .await
        .expect("the binary finishes within 120 s")
        .unwrap();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        output: read(&output),
        summary: read(&summary),
        elapsed: started.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "the binary panicked: {}",
        run.stderr
    );
    run
}

/// The `OpenAPI` request schema of `POST /repos/{owner}/{repo}/dispatches`, from
/// GitHub's published description (tests/contracts, a copy of
/// ../shared/contracts/github-rest-api.json).
pub fn dispatch_schema() -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/contracts/github-rest-api.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["paths"]["/repos/{owner}/{repo}/dispatches"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        .clone()
}

/// Asserts a request body satisfies GitHub's request schema.
pub fn assert_matches_contract(body: &[u8]) {
    let value: serde_json::Value = serde_json::from_slice(body).expect("the body is JSON");
    let schema = dispatch_schema();
    assert!(schema.is_object(), "schema missing from the contract");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
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
    pub requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    pub bytes_written: std::sync::Arc<std::sync::atomic::AtomicUsize>,
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
}

impl RawServer {
    pub async fn start(fault: Fault) -> Self {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let bytes_written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (req_count, written) = (requests.clone(), bytes_written.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let (req_count, written) = (req_count.clone(), written.clone());
                tokio::spawn(async move {
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
                });
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
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Reads one HTTP/1.1 request (headers and a `content-length` body).
pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
