//! What a person sees: workflow commands in Actions, plain text in a terminal,
//! the step's outputs and its summary. Everything printed passes through one
//! redaction of the token.

use std::fmt::Write as _;
use std::hash::{BuildHasher as _, Hasher as _};
use std::io::Write;
use std::path::PathBuf;

use crate::files;
use crate::inputs::{Env, InputError};

/// The outcome for one repository, as the `results` output lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoResult {
    pub repository: String,
    pub status: Status,
    pub http_status: Option<u16>,
    pub message: String,
    pub attempts: u32,
    pub run_id: Option<u64>,
    pub run_url: Option<String>,
    pub conclusion: Option<String>,
    /// When GitHub answered the dispatch (epoch seconds, and the monotonic
    /// instant), the start of the search for its run. Not an output.
    pub dispatched_at: Option<(u64, std::time::Instant)>,
}

impl RepoResult {
    #[must_use]
    pub fn new(repository: String) -> Self {
        Self {
            repository,
            status: Status::NotSent,
            http_status: None,
            message: String::new(),
            attempts: 0,
            run_id: None,
            run_url: None,
            conclusion: None,
            dispatched_at: None,
        }
    }

    /// The JSON object of the `results` output.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "repository": self.repository,
            "status": self.status.as_str(),
            "http_status": self.http_status,
            "message": self.message,
            "attempts": self.attempts,
            "run_id": self.run_id,
            "run_url": self.run_url,
            "conclusion": self.conclusion,
        })
    }
}

/// Where a repository's dispatch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// GitHub answered 204: the event was created.
    Dispatched,
    /// GitHub refused it, or the outcome is unknown; the message says which.
    Failed,
    /// Never sent (fail-fast, or the deadline passed first).
    NotSent,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dispatched => "dispatched",
            Self::Failed => "failed",
            Self::NotSent => "not-sent",
        }
    }
}

/// Prints and records. In Actions (`GITHUB_ACTIONS=true`) it writes workflow
/// commands to stdout; elsewhere plain lines, errors and progress to stderr.
pub struct Reporter {
    actions: bool,
    debug: bool,
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
    secrets: Vec<String>,
    output_path: Option<PathBuf>,
    summary_path: Option<PathBuf>,
    outputs: Vec<(String, String)>,
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reporter")
            .field("actions", &self.actions)
            .field("debug", &self.debug)
            .finish_non_exhaustive()
    }
}

impl Reporter {
    #[must_use]
    pub fn new(env: &Env, out: Box<dyn Write + Send>, err: Box<dyn Write + Send>) -> Self {
        let actions = env.in_actions();
        Self {
            actions,
            debug: env.debug(),
            out,
            err,
            secrets: Vec::new(),
            // Paths, not text: a path that is not UTF-8 is still a path
            // (dropping it would dispatch and record nothing).
            output_path: env.path("GITHUB_OUTPUT"),
            summary_path: env.path("GITHUB_STEP_SUMMARY"),
            outputs: Vec::new(),
        }
    }

    #[must_use]
    pub fn in_actions(&self) -> bool {
        self.actions
    }

    /// Masks a secret: `::add-mask::` in Actions (the runner then hides it in
    /// every log line), and redaction of everything this process prints.
    pub fn mask(&mut self, secret: &str) {
        let mut parts = vec![secret.to_owned()];
        // A value with whitespace is masked per word too: the runner masks line
        // by line, so a multi-line value would otherwise show its pieces.
        parts.extend(
            secret
                .split_whitespace()
                .filter(|p| p.len() >= 4 && *p != secret)
                .map(str::to_owned),
        );
        for part in parts {
            if part.is_empty() || self.secrets.contains(&part) {
                continue;
            }
            if self.actions {
                let line = format!("::add-mask::{}\n", escape_data(&part));
                let _ = self.out.write_all(line.as_bytes());
            }
            self.secrets.push(part);
        }
        // Longest first, so that a part never leaves a piece of the whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for s in &self.secrets {
            if text.contains(s.as_str()) {
                text = text.replace(s.as_str(), "***");
            }
        }
        text
    }

    fn write_out(&mut self, line: &str) {
        let line = self.redact(line);
        let _ = writeln!(self.out, "{line}");
    }

    fn write_err(&mut self, line: &str) {
        let line = self.redact(line);
        let _ = writeln!(self.err, "{line}");
    }

    /// A result line on stdout: `dispatched 'trigger-deploy' to octo/deploy`.
    pub fn info(&mut self, line: &str) {
        self.write_out(line);
    }

    /// A progress line: stdout in Actions, stderr in a terminal so that stdout
    /// carries only results.
    pub fn progress(&mut self, line: &str) {
        if self.actions {
            self.write_out(line);
        } else {
            self.write_err(line);
        }
    }

    /// One `::error title=T::message` annotation, or `error: message`.
    pub fn error(&mut self, title: &str, message: &str) {
        if self.actions {
            let line = format!(
                "::error title={}::{}",
                escape_property(title),
                escape_data(message)
            );
            self.write_out(&line);
        } else {
            self.write_err(&format!("error: {message}"));
        }
    }

    /// An invalid input, annotated with its name.
    pub fn input_error(&mut self, e: &InputError) {
        self.error(&format!("Invalid input: {}", e.input), &e.message);
    }

    pub fn warning(&mut self, message: &str) {
        if self.actions {
            let line = format!("::warning::{}", escape_data(message));
            self.write_out(&line);
        } else {
            self.write_err(&format!("warning: {message}"));
        }
    }

    /// A `::debug::` line, shown when the workflow's debug logging is on
    /// (`RUNNER_DEBUG=1`); outside Actions the same variable prints `debug:`.
    /// The message is built only when debug logging is on.
    pub fn debug(&mut self, message: impl FnOnce() -> String) {
        if !self.debug {
            return;
        }
        for line in message().lines() {
            if self.actions {
                let l = format!("::debug::{}", escape_data(line));
                self.write_out(&l);
            } else {
                self.write_err(&format!("debug: {line}"));
            }
        }
    }

    pub fn group(&mut self, title: &str) {
        if self.actions {
            self.write_out(&format!("::group::{}", escape_data(title)));
        } else {
            self.write_err(title);
        }
    }

    pub fn end_group(&mut self) {
        if self.actions {
            self.write_out("::endgroup::");
        }
    }

    /// Checks, before anything is sent, that the outputs can be recorded: a
    /// step must not dispatch and then be unable to say so. The file must be a
    /// regular file (or `/dev/null`); a FIFO or device is refused at once
    /// rather than blocking the step or writing into a device.
    ///
    /// The step summary is not checked here: it is for people, the log says
    /// the same, and failing to write it is a warning at the end
    /// (`lib::finish`), not a reason to refuse a deployment.
    pub fn check_output_file(&self) -> Result<(), InputError> {
        let Some(path) = &self.output_path else {
            return Ok(());
        };
        files::open_append(path).map(|_| ()).map_err(|e| {
            InputError::new(
                "GITHUB_OUTPUT",
                format!("GITHUB_OUTPUT {} cannot be written ({e}); nothing was sent: the runner sets this to a regular file, so check that the step runs as root and /github/file_commands is mounted", path.display()),
            )
        })
    }

    /// Whether outputs have a file to go to (`GITHUB_OUTPUT` is set).
    #[must_use]
    pub fn records_outputs(&self) -> bool {
        self.output_path.is_some()
    }

    /// Queues an output; [`Reporter::flush_outputs`] writes them all.
    pub fn set_output(&mut self, name: &str, value: &str) {
        self.outputs.push((name.to_owned(), self.redact(value)));
    }

    /// Writes the queued outputs in the runner's multi-line format
    /// (`name<<DELIMITER`, value, `DELIMITER`) with a random delimiter.
    pub fn flush_outputs(&mut self) -> Result<(), String> {
        let Some(path) = &self.output_path else {
            return Ok(());
        };
        if self.outputs.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for (name, value) in &self.outputs {
            let delimiter = format!("ghadelimiter_{}", random_hex());
            let _ = write!(text, "{name}<<{delimiter}\n{value}\n{delimiter}\n");
        }
        let mut file = files::open_append(path)?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| e.to_string())
    }

    /// Appends Markdown to the step summary, if the runner gave one.
    pub fn summary(&mut self, markdown: &str) -> Result<(), String> {
        let Some(path) = &self.summary_path else {
            return Ok(());
        };
        let text = self.redact(markdown);
        let mut file = files::open_append(path)?;
        file.write_all(text.as_bytes()).map_err(|e| e.to_string())
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
        let _ = self.err.flush();
    }
}

/// The step summary: a heading and one table row per repository.
#[must_use]
pub fn summary_markdown(event_type: &str, results: &[RepoResult], waited: bool) -> String {
    let mut md = format!("### repository-dispatch: `{}`\n\n", cell(event_type));
    if waited {
        md.push_str(
            "| Repository | Result | Attempts | Run | Conclusion |\n|---|---|---|---|---|\n",
        );
    } else {
        md.push_str("| Repository | Result | Attempts |\n|---|---|---|\n");
    }
    for r in results {
        let result = match r.status {
            Status::Dispatched => format!("✅ dispatched ({})", r.http_status.unwrap_or(204)),
            Status::Failed => format!("❌ {}", r.message),
            Status::NotSent => format!("⏭️ {}", r.message),
        };
        let _ = write!(
            md,
            "| {} | {} | {} |",
            cell(&r.repository),
            cell(&result),
            r.attempts
        );
        if waited {
            let run = match (&r.run_id, &r.run_url) {
                (Some(id), Some(url)) => format!("[#{id}]({url})"),
                (Some(id), None) => format!("#{id}"),
                _ => "–".to_owned(),
            };
            let _ = write!(
                md,
                " {} | {} |",
                cell(&run),
                cell(r.conclusion.as_deref().unwrap_or("–"))
            );
        }
        md.push('\n');
    }
    md.push('\n');
    md
}

/// A Markdown table cell: pipes escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Escapes workflow-command data (actions/toolkit `escapeData`).
#[must_use]
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value (actions/toolkit `escapeProperty`).
#[must_use]
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// 64 random bits from the standard library's OS-seeded hasher keys (no extra
/// crate for a few random bytes; each `RandomState` gets fresh keys).
#[must_use]
pub fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}

/// 128 random bits as 32 hex digits.
#[must_use]
pub fn random_hex() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn reporter(pairs: &[(&str, &str)]) -> (Reporter, Buf, Buf) {
        let (out, err) = (Buf::default(), Buf::default());
        let r = Reporter::new(
            &Env::from_pairs(pairs.iter().copied()),
            Box::new(out.clone()),
            Box::new(err.clone()),
        );
        (r, out, err)
    }

    #[test]
    fn workflow_commands_escape_and_redact() {
        let (mut r, out, err) = reporter(&[("GITHUB_ACTIONS", "true"), ("RUNNER_DEBUG", "1")]);
        r.mask("ghp_secret");
        r.error("Bad: title, here", "100% wrong\nwith ghp_secret inside");
        r.debug(|| "Authorization: Bearer ghp_secret".to_owned());
        r.info("dispatched 'x' to o/r");
        assert_eq!(
            out.text(),
            "::add-mask::ghp_secret\n::error title=Bad%3A title%2C here::100%25 wrong%0Awith *** inside\n::debug::Authorization: Bearer ***\ndispatched 'x' to o/r\n"
        );
        assert_eq!(err.text(), "");
    }

    #[test]
    fn plain_mode_outside_actions() {
        let (mut r, out, err) = reporter(&[]);
        r.mask("ghp_secret");
        r.error("T", "it failed: ghp_secret");
        r.debug(|| unreachable!("not built without RUNNER_DEBUG"));
        r.progress("waiting");
        r.info("dispatched");
        assert_eq!(out.text(), "dispatched\n");
        assert_eq!(err.text(), "error: it failed: ***\nwaiting\n");
    }

    #[test]
    fn outputs_in_runner_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let (mut r, _, _) = reporter(&[("GITHUB_OUTPUT", path.to_str().unwrap())]);
        r.check_output_file().unwrap();
        r.set_output("results", "[{\"a\":1}]\nline2");
        r.flush_outputs().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        let first = lines.next().unwrap();
        let delim = first.strip_prefix("results<<").unwrap();
        assert!(delim.starts_with("ghadelimiter_") && delim.len() == 13 + 32);
        assert_eq!(
            lines.collect::<Vec<_>>(),
            vec!["[{\"a\":1}]", "line2", delim]
        );
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn unwritable_output_is_an_input_error() {
        let (r, _, _) = reporter(&[("GITHUB_OUTPUT", "/nonexistent/dir/out")]);
        assert_eq!(r.check_output_file().unwrap_err().input, "GITHUB_OUTPUT");
    }

    #[test]
    fn output_file_must_be_regular_or_dev_null() {
        use std::os::unix::ffi::OsStringExt as _;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        for (path, says) in [
            (fifo.to_str().unwrap(), "named pipe (FIFO)"),
            ("/dev/zero", "character device"),
        ] {
            let (r, _, _) = reporter(&[("GITHUB_OUTPUT", path)]);
            let e = r.check_output_file().unwrap_err();
            assert_eq!(e.input, "GITHUB_OUTPUT");
            assert!(e.message.contains(says), "{path}: {}", e.message);
        }
        let (mut r, _, _) = reporter(&[("GITHUB_OUTPUT", "/dev/null")]);
        r.check_output_file().unwrap();
        r.set_output("results", "[]");
        r.flush_outputs().unwrap();
        // A path that is not UTF-8 is written, not dropped.
        let raw = dir
            .path()
            .join(std::ffi::OsString::from_vec(b"out\xff".to_vec()));
        let env = Env::from_os([("GITHUB_OUTPUT".into(), raw.clone().into_os_string())]);
        let mut r = Reporter::new(&env, Box::new(Buf::default()), Box::new(Buf::default()));
        assert!(r.records_outputs());
        r.set_output("results", "[]");
        r.flush_outputs().unwrap();
        assert!(std::fs::read_to_string(&raw).unwrap().contains("results<<"));
    }

    #[test]
    fn summary_rows() {
        let mut ok = RepoResult::new("o/a".into());
        ok.status = Status::Dispatched;
        ok.http_status = Some(204);
        ok.attempts = 1;
        let mut bad = RepoResult::new("o/b".into());
        bad.status = Status::Failed;
        bad.message = "a | b".into();
        bad.attempts = 1;
        let md = summary_markdown("deploy", &[ok, bad], false);
        assert!(md.contains("| o/a | ✅ dispatched (204) | 1 |"), "{md}");
        assert!(md.contains("| o/b | ❌ a \\| b | 1 |"), "{md}");
    }

    #[test]
    fn random_hex_differs() {
        assert_ne!(random_hex(), random_hex());
        assert_eq!(random_hex().len(), 32);
    }
}
