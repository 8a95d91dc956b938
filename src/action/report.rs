//! What a person sees: workflow commands in Actions, plain text in a terminal,
//! the step's outputs and its summary. Everything printed passes through one
//! redaction of the secrets (`secret::Redactor`).

use std::io::Write;
use std::path::PathBuf;

use crate::action::env::{Env, InputError};
use crate::action::runner_files;
use crate::secret::Redactor;

/// How much an annotation matters: the workflow command it is in Actions,
/// and the label it gets at a shell prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    /// `::error`, `::warning` or `::notice`.
    fn command(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "notice",
        }
    }

    /// `error:`, `warning:` or `note:` at a shell prompt.
    fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "note",
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
    /// The values masked so far (each `::add-mask::` is printed once).
    masked: Vec<String>,
    redactor: Redactor,
    output_path: Option<PathBuf>,
    /// `GITHUB_STATE`, in Actions: what the post step is handed.
    state_path: Option<PathBuf>,
    summary_path: Option<PathBuf>,
    outputs: Vec<(String, String)>,
    /// `--json`: stdout carries the results array alone.
    json: bool,
    /// `Some(columns)` when stderr is a terminal outside Actions that can
    /// redraw lines in place (`COLUMNS`, else 80): board lines are cut to fit,
    /// since a wrapped line would break the count of lines to redraw.
    live: Option<usize>,
    /// The board's lines now on the terminal, below everything else printed.
    board: Vec<String>,
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reporter")
            .field("actions", &self.actions)
            .field("debug", &self.debug)
            .finish_non_exhaustive()
    }
}

/// Runs a flow with a reporter of its own over `out` and `err`, flushed at
/// the end however the flow ends; `stderr_is_terminal` as for
/// [`Reporter::terminal`]. Returns the flow's exit code.
pub fn with_reporter(
    env: &Env,
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
    stderr_is_terminal: bool,
    flow: impl FnOnce(&mut Reporter) -> super::Exit,
) -> u8 {
    let mut report = Reporter::new(env, out, err);
    report.terminal(env, stderr_is_terminal);
    let exit = flow(&mut report);
    report.flush();
    exit.code()
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
            masked: Vec::new(),
            redactor: Redactor::default(),
            // Paths, not text: a path that is not UTF-8 is still a path
            // (dropping it would dispatch and record nothing).
            output_path: env.path(runner_files::OUTPUT),
            state_path: env.path(runner_files::STATE).filter(|_| actions),
            summary_path: env.path(runner_files::SUMMARY),
            outputs: Vec::new(),
            json: false,
            live: None,
            board: Vec::new(),
        }
    }

    /// Stderr is a terminal: outside Actions, and unless `TERM=dumb`, a live
    /// board of lines is redrawn in place there ([`Reporter::board`]).
    pub fn terminal(&mut self, env: &Env, stderr_is_terminal: bool) {
        let live = stderr_is_terminal && !self.actions && env.get("TERM") != Some("dumb");
        self.live = live.then(|| {
            env.get("COLUMNS")
                .and_then(|c| c.trim().parse().ok())
                .filter(|&w: &usize| w >= 20)
                .unwrap_or(80)
        });
    }

    /// Whether [`Reporter::board`] draws anything.
    #[must_use]
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Shows `lines` in place of the board drawn before, below everything
    /// else printed; other lines are printed above it. Each line is redacted,
    /// made visible and cut to the terminal's width. Nothing happens unless
    /// [`Reporter::is_live`].
    pub fn board(&mut self, lines: &[String]) {
        let Some(width) = self.live else {
            return;
        };
        let lines: Vec<String> = lines
            .iter()
            .map(|l| fit(&self.plain(l), width - 1))
            .collect();
        if lines == self.board {
            return;
        }
        self.erase_board();
        self.board = lines;
        self.draw_board();
    }

    /// Removes the board from the terminal.
    pub fn clear_board(&mut self) {
        self.erase_board();
        self.board.clear();
        let _ = self.err.flush();
    }

    /// Moves up over the board and clears to the end of the screen.
    fn erase_board(&mut self) {
        if !self.board.is_empty() {
            let _ = write!(self.err, "\x1b[{}A\r\x1b[J", self.board.len());
        }
    }

    fn draw_board(&mut self) {
        for line in &self.board {
            let _ = writeln!(self.err, "{line}");
        }
        let _ = self.err.flush();
    }

    /// `--json`: from now on result lines go to stderr, and stdout carries
    /// only what [`Reporter::json_results`] prints.
    pub fn print_json(&mut self) {
        self.json = true;
    }

    /// The results array on stdout, with `--json` (redacted, as the
    /// `results` output); nothing otherwise.
    pub fn json_results(&mut self, results: &serde_json::Value) {
        if self.json {
            self.write_out(&results.to_string());
        }
    }

    /// JSON text alone on stdout (redacted), with nothing made visible:
    /// the caller gives text a terminal cannot act on (`receive::ascii_json`).
    pub fn json_out(&mut self, json: &str) {
        self.write_out(json);
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
            if part.is_empty() || self.masked.contains(&part) {
                continue;
            }
            if self.actions {
                let line = format!("::add-mask::{}\n", escape_data(&part));
                let _ = self.out.write_all(line.as_bytes());
            }
            // Text is redacted before it is escaped, but the final strings are
            // checked too: so the escaped forms of the secret (workflow-command
            // data and property, Markdown cell, visible control characters)
            // are redacted as well; the redactor itself finds the encoded ones
            // (JSON, percent, entities, base64) and long pieces.
            let forms = [
                escape_data(&part),
                escape_property(&part),
                cell(&part),
                visible(&part, false),
            ];
            self.redactor.add(&part, forms);
            self.masked.push(part);
        }
    }

    /// The text with every secret (in any form or piece the redactor knows)
    /// replaced by `***`. Raw text from outside goes through this before it
    /// is escaped, truncated or put into JSON or Markdown.
    #[must_use]
    pub fn redact(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    /// A JSON value with every string in it redacted (before serialising, so
    /// that a secret holding `"` or `\\` is still found).
    #[must_use]
    pub fn redact_json(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.redact(&s)),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.redact_json(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (self.redact(&k), self.redact_json(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// Writes one finished line; the final string is checked for secrets once
    /// more.
    fn write_out(&mut self, line: &str) {
        let line = self.redact(line);
        // Stdout may be the same terminal: the line goes above the board.
        self.erase_board();
        let _ = self.err.flush();
        let _ = writeln!(self.out, "{line}");
        if !self.board.is_empty() {
            let _ = self.out.flush();
            self.draw_board();
        }
    }

    fn write_err(&mut self, line: &str) {
        let line = self.redact(line);
        self.erase_board();
        let _ = writeln!(self.err, "{line}");
        if !self.board.is_empty() {
            self.draw_board();
        }
    }

    /// Redacted, then made one visible line: the single path every plain line
    /// (one that is not a workflow command) takes.
    fn plain(&self, text: &str) -> String {
        let line = visible(&self.redact(text), false);
        // The runner reads a line that starts with `::` (after spaces) as a
        // workflow command; a plain line never does.
        let start = line.len() - line.trim_start().len();
        if line[start..].starts_with("::") {
            format!("{}: :{}", &line[..start], &line[start + 2..])
        } else {
            line
        }
    }

    /// Redacted, then escaped as workflow-command data: line breaks become
    /// `%0A` (shown as line breaks in the annotation, never read as a command).
    fn data(&self, text: &str) -> String {
        escape_data(&visible(&self.redact(text), true))
    }

    /// A result line on stdout: `dispatched 'trigger-deploy' to octo/deploy`.
    pub fn info(&mut self, line: &str) {
        let line = self.plain(line);
        if self.json && !self.actions {
            self.write_err(&line);
        } else {
            self.write_out(&line);
        }
    }

    /// Several lines of the program's own text (help, a dry run's requests) on
    /// stdout; each line is still redacted and made visible.
    pub fn info_block(&mut self, text: &str) {
        for line in text.split('\n') {
            self.info(line);
        }
    }

    /// A progress line: stdout in Actions, stderr in a terminal so that stdout
    /// carries only results.
    pub fn progress(&mut self, line: &str) {
        let line = self.plain(line);
        if self.actions {
            self.write_out(&line);
        } else {
            self.write_err(&line);
        }
    }

    /// One `::error title=T::message` annotation, or `error: message`.
    pub fn error(&mut self, title: &str, message: &str) {
        self.annotation(Level::Error, Some(title), message);
    }

    /// An invalid input, annotated with its name.
    pub fn input_error(&mut self, e: &InputError) {
        self.error(&e.title(), &e.message);
    }

    pub fn warning(&mut self, message: &str) {
        self.annotation(Level::Warning, None, message);
    }

    /// A `::notice::`, or `note: message` in a terminal.
    pub fn notice(&mut self, message: &str) {
        self.annotation(Level::Notice, None, message);
    }

    fn annotation(&mut self, level: Level, title: Option<&str>, message: &str) {
        if self.actions {
            let title = title
                .map(|t| {
                    format!(
                        " title={}",
                        escape_property(&visible(&self.redact(t), false))
                    )
                })
                .unwrap_or_default();
            let line = format!("::{}{title}::{}", level.command(), self.data(message));
            self.write_out(&line);
        } else {
            let line = format!("{}: {}", level.label(), self.plain(message));
            self.write_err(&line);
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
                let l = format!("::debug::{}", self.data(line));
                self.write_out(&l);
            } else {
                let l = format!("debug: {}", self.plain(line));
                self.write_err(&l);
            }
        }
    }

    pub fn group(&mut self, title: &str) {
        if self.actions {
            let line = format!("::group::{}", self.data(title));
            self.write_out(&line);
        } else {
            let line = self.plain(title);
            self.write_err(&line);
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
    /// (`send::finish`), not a reason to refuse a deployment.
    pub fn check_output_file(&self) -> Result<(), InputError> {
        let Some(path) = &self.output_path else {
            return Ok(());
        };
        runner_files::check(path).map_err(|e| {
            InputError::new(
                "GITHUB_OUTPUT",
                format!("GITHUB_OUTPUT {} cannot be written ({e:#}); nothing was sent: the runner sets this to a regular file, so {}", path.display(), runner_files::REMEDY),
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
    pub fn flush_outputs(&mut self) -> anyhow::Result<()> {
        let Some(path) = &self.output_path else {
            return Ok(());
        };
        if self.outputs.is_empty() {
            return Ok(());
        }
        runner_files::append_records(
            path,
            self.outputs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        )
    }

    /// Saves `value` under `name` for the action's post step (`GITHUB_STATE`,
    /// which the runner hands to it as `STATE_{name}`); a later save of the
    /// same name wins. Nothing happens outside Actions or without the file.
    pub fn save_state(&mut self, name: &str, value: &str) -> anyhow::Result<()> {
        let Some(path) = &self.state_path else {
            return Ok(());
        };
        runner_files::save_state(path, name, value)
    }

    /// Appends Markdown to the step summary, if the runner gave one.
    pub fn summary(&mut self, markdown: &str) -> anyhow::Result<()> {
        let Some(path) = &self.summary_path else {
            return Ok(());
        };
        runner_files::append_text(path, &self.redact(markdown))
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
        let _ = self.err.flush();
    }
}

/// A Markdown table cell of text that may come from outside: control
/// characters and line breaks flattened, pipes and backslashes escaped, and
/// what could make a link, an image or code (`[`, `]`, `` ` ``, `<`, `>`)
/// shown as itself, so a server's message cannot put a live link or a
/// tracking image on the run's page.
#[must_use]
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in visible(text, false).chars() {
        match c {
            '\\' | '|' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text that may have come from outside, made safe to print: control
/// characters (C0, DEL, C1), Unicode line and paragraph separators and
/// bidirectional overrides are shown as escapes (`\n`, `\u{1b}`), and the
/// runner's older command syntax `##[` is broken up (`## [`), so no outside
/// text can start a new line (a workflow command) or drive a terminal.
/// With `keep_line_breaks`, `\n` and `\r` stay (for workflow-command data,
/// where [`escape_data`] turns them into `%0A` and `%0D`).
#[must_use]
pub fn visible(text: &str, keep_line_breaks: bool) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    // `##[name]` is the runner's older command syntax, read anywhere in a line.
    let text = text.replace("##[", "## [");
    if !text.chars().any(hidden) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep_line_breaks && matches!(c, '\n' | '\r') {
            out.push(c);
        } else if c == '\t' {
            out.push(' ');
        } else if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A line cut to `width` characters, the last of them `…` when it was cut.
fn fit(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
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

    /// The board is drawn under the lines printed, erased (up N lines, clear
    /// below) to redraw it or to print above it, redacted, made visible and
    /// cut to the width; never outside a terminal, in Actions or for `TERM=dumb`.
    #[test]
    fn the_board_is_redrawn_in_place_in_a_terminal_only() {
        let lines = |v: &[&str]| v.iter().map(|&l| l.to_owned()).collect::<Vec<_>>();
        let (mut r, out, err) = reporter(&[("COLUMNS", "24")]);
        r.terminal(&Env::from_pairs([("COLUMNS", "24")]), true);
        r.mask("ghp_secret");
        r.board(&lines(&["a: run 1 queued (1s)", "b: ghp_secret\x1b[31m"]));
        r.board(&lines(&["a: run 1 queued (1s)", "b: ghp_secret\x1b[31m"]));
        r.progress("a: found run 1");
        r.info("result");
        r.board(&lines(&["a: run 1 in_progress for a long while (2s)"]));
        r.clear_board();
        let board = "a: run 1 queued (1s)\nb: ***\\u{1b}[31m\n";
        assert_eq!(
            err.text(),
            format!(
                "{board}\x1b[2A\r\x1b[Ja: found run 1\n{board}\x1b[2A\r\x1b[J{board}\x1b[2A\r\x1b[Ja: run 1 in_progress f…\n\x1b[1A\r\x1b[J"
            )
        );
        assert_eq!(out.text(), "result\n");
        for (pairs, terminal) in [
            (&[][..], false),
            (&[("GITHUB_ACTIONS", "true")][..], true),
            (&[("TERM", "dumb")][..], true),
        ] {
            let (mut r, _, err) = reporter(pairs);
            r.terminal(&Env::from_pairs(pairs.iter().copied()), terminal);
            assert!(!r.is_live());
            r.board(&lines(&["a: run 1 queued (1s)"]));
            r.progress("a: found run 1");
            r.clear_board();
            assert!(!err.text().contains('\x1b'), "{pairs:?}: {}", err.text());
            assert!(!err.text().contains("queued"), "{pairs:?}: {}", err.text());
        }
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

    // Unix only: a FIFO, /dev/null and a path of bytes that are not UTF-8.
    #[cfg(unix)]
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

    /// Outside text built from the pieces a runner or a terminal reacts to,
    /// printed through every method: each call yields exactly its own lines,
    /// each starting with the prefix the method means, in both modes; no
    /// control character reaches a terminal; no escaped form of the secret
    /// survives.
    #[test]
    #[allow(clippy::too_many_lines)] // the table of pieces and prefixes is the test
    fn no_outside_text_becomes_a_command_or_leaks_the_secret() {
        const PIECES: &[&str] = &[
            "::",
            "warning",
            "::add-mask::",
            "::stop-commands::",
            "::endgroup::",
            "\n",
            "\r",
            "\r\n",
            "%",
            "%0A",
            "%25",
            ":",
            ",",
            "|",
            "\u{85}",
            "\u{2028}",
            "\u{2029}",
            "\u{1b}[2J",
            "\u{202e}",
            "\t",
            "\\",
            "\"",
            "x",
            " ",
            "é",
            "\u{0}",
            "SeCr%t|\"x",
            "##[",
            "#",
            "[",
        ];
        const SECRET: &str = "SeCr%t|\"x";
        // A small xorshift generator with a fixed seed: the same cases every run.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for actions in [true, false] {
            let env: &[(&str, &str)] = if actions {
                &[("GITHUB_ACTIONS", "true"), ("RUNNER_DEBUG", "1")]
            } else {
                &[("RUNNER_DEBUG", "1")]
            };
            let (mut r, out, err) = reporter(env);
            r.mask(SECRET);
            let masks = out.text();
            for case in 0..3000 {
                let n = usize::try_from(next() % 12).unwrap();
                let text: String = (0..n)
                    .map(|_| PIECES[usize::try_from(next() % PIECES.len() as u64).unwrap()])
                    .collect();
                let before = (out.text().len(), err.text().len());
                let method = case % 7;
                match method {
                    0 => r.info(&text),
                    1 => r.progress(&text),
                    2 => r.error(&text, &text),
                    3 => r.warning(&text),
                    4 => r.notice(&text),
                    5 => r.group(&text),
                    _ => r.debug(|| text.clone()),
                }
                let (o, e) = (out.text(), err.text());
                let written = format!("{}{}", &o[before.0..], &e[before.1..]);
                let lines: Vec<&str> = written.split_terminator('\n').collect();
                let want = if method == 6 { text.lines().count() } else { 1 };
                assert_eq!(lines.len(), want, "{text:?} gave {written:?}");
                for line in lines {
                    let prefix = match (actions, method) {
                        (_, 0 | 1) | (false, 5) => "",
                        (true, 2) => "::error title=",
                        (true, 3) => "::warning::",
                        (true, 4) => "::notice::",
                        (true, 5) => "::group::",
                        (true, _) => "::debug::",
                        (false, 2) => "error: ",
                        (false, 3) => "warning: ",
                        (false, 4) => "note: ",
                        (false, _) => "debug: ",
                    };
                    assert!(line.starts_with(prefix), "{text:?} gave {line:?}");
                    if prefix.is_empty() {
                        assert!(
                            !line.trim_start().starts_with("::"),
                            "{text:?} gave {line:?}"
                        );
                    }
                    assert!(!line.contains("##["), "{text:?} gave {line:?}");
                    assert!(
                        !line.contains(|c: char| c.is_control()
                            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}')),
                        "{text:?} gave {line:?}"
                    );
                    assert!(!line.contains("SeCr"), "{text:?} gave {line:?}");
                }
            }
            assert!(out.text().starts_with(&masks));
        }
    }
}
