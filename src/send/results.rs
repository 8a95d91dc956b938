//! What the sending flow reports per repository: the `results` output's
//! entries and the step summary's table.

use std::fmt::Write as _;

use crate::action::report::{Reporter, cell as md_cell};
use crate::send::runs::Conclusion;

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
    pub conclusion: Option<Conclusion>,
    /// A note that GitHub redirected the repository's old name (renamed or
    /// transferred), for the summary.
    pub moved: Option<String>,
    /// The receiver check's warning (`warn`): why nothing would start.
    pub unheard: Option<String>,
}

impl RepoResult {
    /// A repository not sent to, to fill in (tests).
    #[cfg(test)]
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
            moved: None,
            unheard: None,
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
            "conclusion": self.conclusion.as_ref().map(Conclusion::as_str),
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

/// The step summary: a heading and one table row per repository. Every cell
/// is redacted before it is escaped for Markdown.
#[must_use]
pub fn summary_markdown(
    report: &Reporter,
    event_type: &str,
    results: &[RepoResult],
    waited: bool,
) -> String {
    let cell = |text: &str| md_cell(&report.redact(text));
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
            Status::Dispatched => {
                let mut said = format!("✅ dispatched ({})", r.http_status.unwrap_or(204));
                if let Some(note) = &r.moved {
                    let _ = write!(said, "; {note}");
                }
                if let Some(why) = &r.unheard {
                    let _ = write!(said, "; ⚠️ {why}");
                }
                said
            }
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
            // A link only to a plain web address (the URL came from the API);
            // built here, after the cells are escaped, from a number and a
            // checked URL.
            let run = match (&r.run_id, &r.run_url) {
                (Some(id), Some(url)) if is_plain_web_url(url) => format!("[#{id}]({url})"),
                (Some(id), _) => format!("#{id}"),
                _ => "–".to_owned(),
            };
            let _ = write!(
                md,
                " {run} | {} |",
                cell(r.conclusion.as_ref().map_or("–", Conclusion::as_str))
            );
        }
        md.push('\n');
    }
    md.push('\n');
    md
}

/// An `https://` (or `http://`) address with nothing in it that could end a
/// Markdown link or start markup.
fn is_plain_web_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '(' | ')' | '<' | '>' | '[' | ']' | '|' | '`' | '"' | '\\'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::env::Env;

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
        let r = Reporter::new(
            &Env::default(),
            Box::new(std::io::sink()),
            Box::new(std::io::sink()),
        );
        let md = summary_markdown(&r, "deploy", &[ok, bad], false);
        assert!(md.contains("| o/a | ✅ dispatched (204) | 1 |"), "{md}");
        assert!(md.contains("| o/b | ❌ a \\| b | 1 |"), "{md}");
        let mut evil = RepoResult::new("o/c".into());
        evil.status = Status::Failed;
        evil.message = "Re-authenticate [here](https://evil.example/login) ![](https://evil.example/t.png) <img src=x> `code` \\".into();
        evil.run_id = Some(7);
        evil.run_url = Some("https://x/runs/7)[y](https://evil.example".into());
        let md = summary_markdown(&r, "deploy", &[evil], true);
        assert!(
            md.contains("| o/c | ❌ Re-authenticate \\[here\\](https://evil.example/login) !\\[\\](https://evil.example/t.png) &lt;img src=x&gt; \\`code\\` \\\\ | 0 | #7 | – |"),
            "{md}"
        );
    }
}
