//! A hostile machine: local files that block or never end, paths that are not
//! UTF-8, credentials in the API URL, secrets typed on the command line, a
//! huge repository list, a runner without `GITHUB_OUTPUT`. Each case runs in
//! Actions mode and in terminal mode, against a fake API on 127.0.0.1, and
//! checks the exit code, the error (or warning) line, the number of requests,
//! a time bound and that no 8 characters of a secret are printed anywhere.

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;
use std::path::Path;
use std::time::Duration;

use common::{Run, TOKEN, no_content_api};
use wiremock::MockServer;

const CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");
/// Every case must end well within this; a blocked open used to hang forever.
const BOUND: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Actions,
    Terminal,
}

const MODES: [Mode; 2] = [Mode::Actions, Mode::Terminal];

/// One step as a runner or a shell would start it.
struct Step {
    /// The variables; `None` leaves one unset (for `GITHUB_OUTPUT`: no file).
    env: Vec<(OsString, Option<OsString>)>,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
}

impl Step {
    /// The usual step: in Actions the inputs and the token come as `INPUT_*`,
    /// in a terminal as flags and `GH_TOKEN`. `GITHUB_OUTPUT` and
    /// `GITHUB_STEP_SUMMARY` point at files in `dir` unless a case changes them.
    fn new(mode: Mode, api: &str, dir: &Path) -> Self {
        let mut env: Vec<(OsString, Option<OsString>)> = vec![
            ("GITHUB_API_URL".into(), Some(api.into())),
            // These tests are about local files, not the receiver check.
            ("INPUT_CHECK-RECEIVER".into(), Some("off".into())),
            ("GITHUB_OUTPUT".into(), Some(dir.join("output").into())),
            (
                "GITHUB_STEP_SUMMARY".into(),
                Some(dir.join("summary").into()),
            ),
        ];
        let mut args: Vec<String> = Vec::new();
        match mode {
            Mode::Actions => env.extend([
                ("GITHUB_ACTIONS".into(), Some("true".into())),
                ("INPUT_TOKEN".into(), Some(TOKEN.into())),
                ("INPUT_REPOSITORY".into(), Some("octo/deploy".into())),
                ("INPUT_EVENT-TYPE".into(), Some("trigger-deploy".into())),
            ]),
            Mode::Terminal => {
                env.push(("GH_TOKEN".into(), Some(TOKEN.into())));
                args.extend(["-r", "octo/deploy", "-e", "trigger-deploy"].map(String::from));
            }
        }
        Self {
            env,
            args,
            stdin: None,
        }
    }

    /// Sets (or with `None` unsets) a variable.
    fn var(mut self, name: &str, value: Option<OsString>) -> Self {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.into(), value));
        self
    }

    fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| (*a).to_owned()));
        self
    }

    /// Runs the binary; panics if it has not finished after 20 s (a hang).
    async fn run(&self) -> Run {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        tokio::time::timeout(
            Duration::from_secs(20),
            common::run_os(&[], &self.env, &args, self.stdin.as_deref()),
        )
        .await
        .expect("the binary hung: it had not finished after 20 s")
    }
}

/// The `::error` (Actions) or `error:` (terminal) lines.
fn errors(run: &Run, mode: Mode) -> Vec<&str> {
    match mode {
        Mode::Actions => run
            .stdout
            .lines()
            .filter(|l| l.starts_with("::error"))
            .collect(),
        Mode::Terminal => run
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect(),
    }
}

fn warnings(run: &Run, mode: Mode) -> Vec<&str> {
    match mode {
        Mode::Actions => run
            .stdout
            .lines()
            .filter(|l| l.starts_with("::warning::"))
            .collect(),
        Mode::Terminal => run
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .collect(),
    }
}

/// Asserts that no 8 characters in a row of `secret` appear in anything the
/// run printed or wrote, `::add-mask::` lines aside (the runner consumes them).
fn assert_no_fragment(run: &Run, secret: &str, case: &str) {
    let everything = run.everything();
    let shown: Vec<&str> = everything
        .lines()
        .filter(|l| !l.starts_with("::add-mask::"))
        .collect();
    let shown = shown.join("\n");
    for i in 0..=secret.len() - 8 {
        let fragment = &secret[i..i + 8];
        assert!(
            !shown.contains(fragment),
            "{case}: '{fragment}' of a secret printed in {shown}"
        );
    }
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// A sparse file of `len` bytes.
fn big_file(path: &Path, len: u64) {
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// What a case must end with.
enum Expect {
    /// Exit 2 before any request, one error naming `input`, holding `says`.
    Refused { input: &'static str, says: String },
    /// Exit 0 after one request; a warning holding `warns`, if given.
    Sent { warns: Option<String> },
}

struct LocalCase {
    name: &'static str,
    change: Box<dyn Fn(Step) -> Step>,
    expect: Expect,
}

fn refused(input: &'static str, says: impl Into<String>) -> Expect {
    Expect::Refused {
        input,
        says: says.into(),
    }
}

fn path(p: &Path) -> OsString {
    p.as_os_str().to_owned()
}

#[allow(clippy::too_many_lines)] // a table, one entry per case
fn local_cases(files: &Path) -> Vec<LocalCase> {
    let fifo = files.join("fifo");
    let held_fifo = files.join("held-fifo");
    let big = files.join("big");
    let certs_with_fifo = files.join("certs");
    let huge_cert = files.join("huge.pem");
    let dir = files.to_owned();
    let f = |p: &Path| p.display().to_string();
    let case = |name, change: Box<dyn Fn(Step) -> Step>, expect| LocalCase {
        name,
        change,
        expect,
    };
    let (fifo_, held_, big_, certs_, huge_, dir_) = (
        fifo.clone(),
        held_fifo.clone(),
        big.clone(),
        certs_with_fifo.clone(),
        huge_cert.clone(),
        dir.clone(),
    );
    vec![
        case(
            "SSL_CERT_FILE=/dev/zero",
            Box::new(|s| s.var("SSL_CERT_FILE", Some("/dev/zero".into()))),
            refused(
                "SSL_CERT_FILE",
                "SSL_CERT_FILE /dev/zero: it is a character device, not a regular file: point it at a PEM file",
            ),
        ),
        case(
            "SSL_CERT_FILE is a FIFO",
            Box::new({
                let p = fifo_.clone();
                move |s| s.var("SSL_CERT_FILE", Some(path(&p)))
            }),
            refused(
                "SSL_CERT_FILE",
                format!("SSL_CERT_FILE {}: it is a named pipe (FIFO), not a regular file", f(&fifo)),
            ),
        ),
        case(
            "SSL_CERT_FILE is a FIFO a writer holds open",
            Box::new({
                let p = held_.clone();
                move |s| s.var("SSL_CERT_FILE", Some(path(&p)))
            }),
            refused(
                "SSL_CERT_FILE",
                format!("SSL_CERT_FILE {}: it is a named pipe (FIFO), not a regular file", f(&held_fifo)),
            ),
        ),
        case(
            "SSL_CERT_FILE over 4 MiB",
            Box::new({
                let p = huge_.clone();
                move |s| s.var("SSL_CERT_FILE", Some(path(&p)))
            }),
            refused(
                "SSL_CERT_FILE",
                format!("SSL_CERT_FILE {}: it holds more than 4 MiB", f(&huge_cert)),
            ),
        ),
        case(
            "SSL_CERT_DIR holding a FIFO and a CA",
            Box::new({
                let p = certs_.clone();
                move |s| s.var("SSL_CERT_DIR", Some(path(&p)))
            }),
            Expect::Sent { warns: None },
        ),
        case(
            "GITHUB_OUTPUT is a FIFO",
            Box::new({
                let p = fifo_.clone();
                move |s| s.var("GITHUB_OUTPUT", Some(path(&p)))
            }),
            refused(
                "GITHUB_OUTPUT",
                format!("GITHUB_OUTPUT {} cannot be written (it is a named pipe (FIFO), not a regular file); nothing was sent", f(&fifo)),
            ),
        ),
        case(
            "GITHUB_OUTPUT=/dev/zero",
            Box::new(|s| s.var("GITHUB_OUTPUT", Some("/dev/zero".into()))),
            refused(
                "GITHUB_OUTPUT",
                "GITHUB_OUTPUT /dev/zero cannot be written (it is a character device, not a regular file); nothing was sent",
            ),
        ),
        case(
            "GITHUB_OUTPUT is a directory",
            Box::new({
                let p = dir_.clone();
                move |s| s.var("GITHUB_OUTPUT", Some(path(&p)))
            }),
            refused("GITHUB_OUTPUT", format!("GITHUB_OUTPUT {} cannot be written (could not open it for appending: Is a directory", f(&dir))),
        ),
        case(
            "GITHUB_OUTPUT=/dev/null",
            Box::new(|s| s.var("GITHUB_OUTPUT", Some("/dev/null".into()))),
            Expect::Sent { warns: None },
        ),
        case(
            "GITHUB_STEP_SUMMARY is a FIFO",
            Box::new({
                let p = fifo_.clone();
                move |s| s.var("GITHUB_STEP_SUMMARY", Some(path(&p)))
            }),
            Expect::Sent {
                warns: Some(
                    "could not write the step summary to GITHUB_STEP_SUMMARY: it is a named pipe (FIFO), not a regular file".to_owned(),
                ),
            },
        ),
        case(
            "--token-file is a FIFO",
            Box::new({
                let p = f(&fifo_);
                move |s| s.args(&["--token-file", &p])
            }),
            refused(
                "token",
                format!("could not read --token-file {}: it is a named pipe (FIFO), not a regular file: give a regular file", f(&fifo)),
            ),
        ),
        case(
            "--token-file is a FIFO a writer holds open",
            Box::new({
                let p = f(&held_);
                move |s| s.args(&["--token-file", &p])
            }),
            refused(
                "token",
                format!("could not read --token-file {}: it is a named pipe (FIFO)", f(&held_fifo)),
            ),
        ),
        case(
            "--token-file /dev/zero",
            Box::new(|s| s.args(&["--token-file", "/dev/zero"])),
            refused(
                "token",
                "could not read --token-file /dev/zero: it is a character device, not a regular file",
            ),
        ),
        case(
            "--token-file over 16 KiB",
            Box::new({
                let p = f(&big_);
                move |s| s.args(&["--token-file", &p])
            }),
            refused(
                "token",
                format!("could not read --token-file {}: it holds more than 16 KiB", f(&big)),
            ),
        ),
        case(
            "--client-payload-file is a FIFO",
            Box::new({
                let p = f(&fifo_);
                move |s| s.args(&["--client-payload-file", &p])
            }),
            refused(
                "client-payload",
                format!("could not read --client-payload-file {}: it is a named pipe (FIFO), not a regular file", f(&fifo)),
            ),
        ),
        case(
            "--client-payload-file /dev/zero",
            Box::new(|s| s.args(&["--client-payload-file", "/dev/zero"])),
            refused(
                "client-payload",
                "could not read --client-payload-file /dev/zero: it is a character device",
            ),
        ),
        case(
            "--client-payload-file - over 1 MiB",
            Box::new(|mut s| {
                s.stdin = Some(vec![b' '; 1024 * 1024 + 1]);
                s.args(&["--client-payload-file", "-"])
            }),
            refused(
                "client-payload",
                "could not read --client-payload-file -: it holds more than 1 MiB",
            ),
        ),
        case(
            "--token-file - still reads standard input",
            Box::new(|mut s| {
                s.stdin = Some(format!("{TOKEN}\n").into_bytes());
                s.var("INPUT_TOKEN", None)
                    .var("GH_TOKEN", None)
                    .args(&["--token-file", "-"])
            }),
            Expect::Sent { warns: None },
        ),
    ]
}

/// Hostile local files are refused at once, naming the variable or flag,
/// before anything is sent; none of them hangs the step or fills memory.
#[tokio::test]
async fn hostile_local_files_are_refused_at_once() {
    let files = tempfile::tempdir().unwrap();
    mkfifo(&files.path().join("fifo"));
    mkfifo(&files.path().join("held-fifo"));
    // A writer that opens the FIFO and holds it: a plain open for reading
    // then succeeds and the read waits for the writer to finish (a minute).
    let mut writer = tokio::process::Command::new("sh")
        .arg("-c")
        .arg("exec sleep 60 > \"$0\"")
        .arg(files.path().join("held-fifo"))
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    big_file(&files.path().join("big"), 16 * 1024 + 1);
    big_file(&files.path().join("huge.pem"), 4 * 1024 * 1024 + 1);
    let certs = files.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    mkfifo(&certs.join("0-fifo.pem"));
    std::fs::copy(CA, certs.join("ca.pem")).unwrap();
    let cases = local_cases(files.path());
    for case in &cases {
        for mode in MODES {
            let name = format!("{} ({mode:?})", case.name);
            let server = no_content_api().await;
            let dir = tempfile::tempdir().unwrap();
            let step = (case.change)(Step::new(mode, &server.uri(), dir.path()));
            let r = step.run().await;
            assert!(r.elapsed < BOUND, "{name}: took {:?}", r.elapsed);
            assert_no_fragment(&r, TOKEN, &name);
            let errors = errors(&r, mode);
            match &case.expect {
                Expect::Refused { input, says } => {
                    assert_eq!(r.code, 2, "{name}: {r:?}");
                    assert_eq!(requests(&server).await, 0, "{name}: sent");
                    assert_eq!(errors.len(), 1, "{name}: {errors:?}");
                    let prefix = match mode {
                        Mode::Actions => format!("::error title=Invalid input%3A {input}::"),
                        Mode::Terminal => "error: ".to_owned(),
                    };
                    assert!(
                        errors[0].starts_with(&prefix) && errors[0].contains(says.as_str()),
                        "{name}: {} lacks {says}",
                        errors[0]
                    );
                    assert!(r.output.is_empty(), "{name}: {}", r.output);
                }
                Expect::Sent { warns } => {
                    assert_eq!(r.code, 0, "{name}: {r:?}");
                    assert_eq!(requests(&server).await, 1, "{name}");
                    assert!(errors.is_empty(), "{name}: {errors:?}");
                    let warnings = warnings(&r, mode);
                    match warns {
                        Some(w) => assert!(
                            warnings.len() == 1 && warnings[0].contains(w.as_str()),
                            "{name}: {warnings:?}"
                        ),
                        None => assert!(warnings.is_empty(), "{name}: {warnings:?}"),
                    }
                }
            }
        }
    }
    writer.start_kill().unwrap();
    let _ = writer.wait().await;
}

/// A path that is not UTF-8 is a path: outputs and summary are written there
/// (they used to be dropped without a word, after dispatching).
#[tokio::test]
async fn paths_that_are_not_utf8_are_written() {
    for mode in MODES {
        let server = no_content_api().await;
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join(OsString::from_vec(b"out\xff".to_vec()));
        let summary = dir.path().join(OsString::from_vec(b"sum\xfe".to_vec()));
        let step = Step::new(mode, &server.uri(), dir.path())
            .var("GITHUB_OUTPUT", Some(path(&output)))
            .var("GITHUB_STEP_SUMMARY", Some(path(&summary)));
        let r = step.run().await;
        assert_eq!(r.code, 0, "{mode:?}: {r:?}");
        assert_eq!(requests(&server).await, 1);
        assert!(
            errors(&r, mode).is_empty() && warnings(&r, mode).is_empty(),
            "{r:?}"
        );
        let written = std::fs::read_to_string(&output).expect("outputs written");
        let outputs = common::parse_output_file(&written);
        assert_eq!(outputs.len(), 1, "{written}");
        assert_eq!(outputs[0].0, "results");
        assert!(
            outputs[0].1.contains("\"status\":\"dispatched\""),
            "{written}"
        );
        let md = std::fs::read_to_string(&summary).expect("summary written");
        assert!(
            md.contains("| octo/deploy | ✅ dispatched (204) | 1 |"),
            "{md}"
        );
        assert_no_fragment(&r, TOKEN, &format!("{mode:?}"));
        assert!(!written.contains(TOKEN) && !md.contains(TOKEN));
    }
}

/// In a workflow whose runner sets no `GITHUB_OUTPUT` (older than 2.297.0, an
/// emulator), the step says that the outputs were lost; a terminal has no
/// outputs to lose. Never the removed `::set-output`.
#[tokio::test]
async fn outputs_are_never_dropped_silently() {
    for (name, value) in [("unset", None), ("empty", Some(OsString::new()))] {
        for mode in MODES {
            let server = no_content_api().await;
            let dir = tempfile::tempdir().unwrap();
            let step =
                Step::new(mode, &server.uri(), dir.path()).var("GITHUB_OUTPUT", value.clone());
            let r = step.run().await;
            let case = format!("{name} ({mode:?})");
            assert_eq!(r.code, 0, "{case}: {r:?}");
            assert_eq!(requests(&server).await, 1, "{case}");
            let warnings = warnings(&r, mode);
            if mode == Mode::Actions {
                assert_eq!(
                    warnings,
                    [
                        "::warning::outputs were not written: GITHUB_OUTPUT is not set (runners older than 2.297.0 and some emulators do not set it), so later steps cannot read results or dispatch-id; update the runner, the results above stand"
                    ],
                    "{case}"
                );
            } else {
                assert!(warnings.is_empty(), "{case}: {warnings:?}");
            }
            assert!(!r.everything().contains("::set-output"), "{case}");
            assert!(!dir.path().join("output").exists(), "{case}");
            assert_no_fragment(&r, TOKEN, &case);
        }
    }
}

/// Credentials in the API URL are never printed back, whatever the refusal.
#[tokio::test]
async fn api_url_credentials_are_never_printed() {
    const PASSWORD: &str = "Url5ecretPassw0rdNeverShown";
    let cases = [
        (
            "percent-escape",
            format!("https://deploy:{PASSWORD}@ghe%2Eexample.com/api/v3"),
            "'https://***@ghe%2Eexample.com/api/v3' is not a URL the action accepts: it holds a percent-escape",
        ),
        (
            "another scheme",
            format!("ftp://deploy:{PASSWORD}@ghe.example.com"),
            "'ftp://***@ghe.example.com' uses the scheme 'ftp'",
        ),
        (
            "a bad host name",
            format!("https://deploy:{PASSWORD}@ghe..example.com"),
            "'https://***@ghe..example.com' has the host 'ghe..example.com', which is not a host name",
        ),
        (
            "a parse error",
            format!("https://deploy:{PASSWORD}@ghe.example.com:99999"),
            "'https://***@ghe.example.com:99999' is not a URL (invalid port number)",
        ),
        (
            "a password with a slash",
            format!("https://deploy:{PASSWORD}/x@ghe.example.com"),
            "'https://***@ghe.example.com' is not a URL",
        ),
        (
            "no scheme",
            format!("deploy:{PASSWORD}@ghe.example.com"),
            "'***@ghe.example.com' uses a scheme other than https",
        ),
        (
            "a password with a question mark",
            format!("https://deploy:pa?{PASSWORD}@ghe.example.com"),
            "'https://***@ghe.example.com' is not a URL",
        ),
        (
            "a password with a hash",
            format!("https://deploy:1#{PASSWORD}@ghe.example.com/api/v3"),
            "'https://***@ghe.example.com/api/v3'",
        ),
        (
            "credentials alone",
            format!("https://deploy:{PASSWORD}@ghe.example.com"),
            "the API URL holds credentials (user:password@); remove them",
        ),
    ];
    for (name, url, says) in &cases {
        for mode in MODES {
            let case = format!("{name} ({mode:?})");
            let server = no_content_api().await;
            let dir = tempfile::tempdir().unwrap();
            let step =
                Step::new(mode, &server.uri(), dir.path()).var("GITHUB_API_URL", Some(url.into()));
            let r = step.run().await;
            assert_eq!(r.code, 2, "{case}: {r:?}");
            assert_eq!(requests(&server).await, 0, "{case}");
            let errors = errors(&r, mode);
            assert_eq!(errors.len(), 1, "{case}: {errors:?}");
            let says = match mode {
                Mode::Actions => format!(
                    "::error title=Invalid input%3A GITHUB_API_URL::GITHUB_API_URL {}",
                    says.replace('%', "%25")
                ),
                Mode::Terminal => format!("error: GITHUB_API_URL {says}"),
            };
            assert!(errors[0].starts_with(&says), "{case}: {}", errors[0]);
            assert_no_fragment(&r, PASSWORD, &case);
            assert_no_fragment(&r, TOKEN, &case);
        }
    }
}

/// Token-like arguments are named by their kind and length, never echoed.
#[tokio::test]
async fn token_like_arguments_are_never_echoed() {
    const CLASSIC: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";
    let pat = format!("ghp_{}", &CLASSIC[..36]);
    let fine = format!("github_pat_11ABCDEFG0{CLASSIC}");
    let cases: Vec<(String, Vec<String>, &str, String)> = vec![
        (
            "-tTOKEN".into(),
            vec![format!("-t{pat}")],
            "-t",
            "-t with an attached value is not accepted: a token on the command line lands in shell history".into(),
        ),
        (
            "-t=TOKEN".into(),
            vec![format!("-t={pat}")],
            "-t",
            "-t with an attached value is not accepted".into(),
        ),
        (
            "-xTOKEN".into(),
            vec![format!("-x{fine}")],
            "-x",
            format!("-x with an attached value ({} characters) is not an option of repository-dispatch", fine.len()),
        ),
        (
            "stray classic token".into(),
            vec![CLASSIC.into()],
            "an argument of 40 characters",
            "an argument of 40 characters is not an option: it looks like a token".into(),
        ),
        (
            "stray ghp_ token".into(),
            vec![pat.clone()],
            "an argument of 40 characters",
            "an argument of 40 characters is not an option: it looks like a token".into(),
        ),
        (
            "stray fine-grained token".into(),
            vec![fine.clone()],
            "an argument of 61 characters",
            "an argument of 61 characters is not an option: it looks like a token".into(),
        ),
        (
            "--TOKEN".into(),
            vec![format!("--{pat}")],
            "an argument of 42 characters",
            "an argument of 42 characters is not an option of repository-dispatch".into(),
        ),
    ];
    for (name, args, title, says) in &cases {
        for mode in MODES {
            let case = format!("{name} ({mode:?})");
            let server = no_content_api().await;
            let dir = tempfile::tempdir().unwrap();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let step = Step::new(mode, &server.uri(), dir.path()).args(&args);
            let r = step.run().await;
            assert_eq!(r.code, 2, "{case}: {r:?}");
            assert_eq!(requests(&server).await, 0, "{case}");
            let errors = errors(&r, mode);
            assert_eq!(errors.len(), 1, "{case}: {errors:?}");
            let expected = match mode {
                Mode::Actions => format!("::error title=Invalid option%3A {title}::{says}"),
                Mode::Terminal => format!("error: {says}"),
            };
            assert!(errors[0].starts_with(&expected), "{case}: {}", errors[0]);
            for secret in [CLASSIC, pat.as_str(), fine.as_str(), TOKEN] {
                assert_no_fragment(&r, secret, &case);
            }
        }
    }
}

/// A token given where a path belongs (`--token-file "$GH_TOKEN"`) is not
/// echoed in the error that the file cannot be read.
#[tokio::test]
async fn a_token_given_as_a_path_is_not_echoed() {
    const PAT: &str = "ghp_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e";
    for (flag, input) in [
        ("--token-file", "token"),
        ("--client-payload-file", "client-payload"),
    ] {
        for mode in MODES {
            let case = format!("{flag} ({mode:?})");
            let server = no_content_api().await;
            let dir = tempfile::tempdir().unwrap();
            let step = Step::new(mode, &server.uri(), dir.path()).args(&[flag, PAT]);
            let r = step.run().await;
            assert_eq!(r.code, 2, "{case}: {r:?}");
            assert_eq!(requests(&server).await, 0, "{case}");
            let errors = errors(&r, mode);
            assert_eq!(errors.len(), 1, "{case}: {errors:?}");
            let says = format!(
                "could not read {flag}: the value (40 characters) looks like a token, not a path, and is not shown"
            );
            let expected = match mode {
                Mode::Actions => format!("::error title=Invalid input%3A {input}::{says}"),
                Mode::Terminal => format!("error: {says}"),
            };
            assert!(errors[0].starts_with(&expected), "{case}: {}", errors[0]);
            assert_no_fragment(&r, PAT, &case);
        }
    }
}

/// 14,000 repositories are refused at once (the duplicate check was quadratic:
/// about 7 s), before any request.
#[tokio::test]
async fn a_huge_repository_list_is_refused_at_once() {
    let list: Vec<String> = (0..14_000).map(|i| format!("o/r{i}")).collect();
    let list = list.join(",");
    for mode in MODES {
        let server = no_content_api().await;
        let dir = tempfile::tempdir().unwrap();
        let step = Step::new(mode, &server.uri(), dir.path());
        let step = match mode {
            Mode::Actions => step.var("INPUT_REPOSITORY", Some(list.clone().into())),
            Mode::Terminal => Step {
                args: vec!["-e".into(), "x".into(), "-r".into(), list.clone()],
                ..step
            },
        };
        let r = step.run().await;
        assert!(
            r.elapsed < Duration::from_secs(2),
            "{mode:?}: took {:?}",
            r.elapsed
        );
        assert_eq!(r.code, 2, "{mode:?}: {r:?}");
        assert_eq!(requests(&server).await, 0);
        let errors = errors(&r, mode);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("repository lists 14000 repositories; GitHub allows 500 content-creating requests an hour"),
            "{}",
            errors[0]
        );
        assert_no_fragment(&r, TOKEN, &format!("{mode:?}"));
    }
}
