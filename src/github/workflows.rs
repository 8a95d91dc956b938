//! Reading a repository's workflows on its default branch: the three reads
//! of the receiver check and their answers, typed (no words here).
//!
//! - `GET /repos/{owner}/{repo}` (`repos/get`): `default_branch`;
//! - `GET /repos/{owner}/{repo}/contents/.github/workflows`, then each
//!   `*.yml`/`*.yaml` file in it (`repos/get-content`; without `ref` the
//!   default branch is read; a file comes as JSON with its `content` in
//!   base64, which GitHub leaves empty, `encoding: none`, over 1 MB);
//! - `GET /repos/{owner}/{repo}/actions/workflows` (`actions/list-repo-workflows`):
//!   each file's `state`, 100 a page.

use std::fmt::Write as _;

use base64::Engine as _;
use reqwest::Method;
use serde_json::Value;

use crate::github::Request;
use crate::github::repo::{ApiBase, Repository};

/// Where GitHub looks for workflows.
pub const FOLDER: &str = ".github/workflows";
/// Workflows per page of the states list (GitHub's most).
pub const STATES_PER_PAGE: u32 = 100;

fn get(url: String) -> Request {
    Request {
        method: Method::GET,
        url,
        body: None,
        if_none_match: None,
    }
}

/// `GET /repos/{owner}/{repo}`.
#[must_use]
pub fn repository_request(api: &ApiBase, repo: &Repository) -> Request {
    get(api.repo_url(repo, "").trim_end_matches('/').to_owned())
}

/// `GET /repos/{owner}/{repo}/contents/.github/workflows`.
#[must_use]
pub fn folder_request(api: &ApiBase, repo: &Repository) -> Request {
    get(api.repo_url(repo, &format!("contents/{FOLDER}")))
}

/// `GET /repos/{owner}/{repo}/contents/{path}`, each segment of the path
/// percent-encoded (a file name may hold a space or a `#`).
#[must_use]
pub fn file_request(api: &ApiBase, repo: &Repository, path: &str) -> Request {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    // RFC 3986's path characters stay; everything else is escaped.
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'/')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b'\\')
        .add(b']')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    let encoded: Vec<String> = path
        .split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    get(api.repo_url(repo, &format!("contents/{}", encoded.join("/"))))
}

/// `GET /repos/{owner}/{repo}/actions/workflows`, page `page` (from 1).
#[must_use]
pub fn states_request(api: &ApiBase, repo: &Repository, page: u32) -> Request {
    let mut url = api.repo_url(
        repo,
        &format!("actions/workflows?per_page={STATES_PER_PAGE}"),
    );
    if page > 1 {
        let _ = write!(url, "&page={page}");
    }
    get(url)
}

/// The repository's default branch, from `repos/get`.
#[must_use]
pub fn default_branch(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v["default_branch"]
        .as_str()
        .filter(|b| !b.is_empty())
        .map(str::to_owned)
}

/// A workflow file in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowFile {
    /// `cd.yml`
    pub name: String,
    /// `.github/workflows/cd.yml`
    pub path: String,
    /// Bytes, as the listing says (`None` if it does not).
    pub size: Option<u64>,
}

/// The `*.yml` and `*.yaml` files of the folder listing, in its order;
/// `None` if the answer is not a listing (a file where the folder should be).
#[must_use]
pub fn folder(body: &[u8]) -> Option<Vec<WorkflowFile>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let entries = v.as_array()?;
    Some(
        entries
            .iter()
            .filter(|e| e["type"] == "file")
            .filter_map(|e| {
                let name = e["name"].as_str()?;
                let path = e["path"].as_str()?;
                let yaml = std::path::Path::new(name)
                    .extension()
                    .is_some_and(|x| x == "yml" || x == "yaml");
                yaml.then(|| WorkflowFile {
                    name: name.to_owned(),
                    path: path.to_owned(),
                    size: e["size"].as_u64(),
                })
            })
            .collect(),
    )
}

/// Why a file's answer gave no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoContent {
    /// GitHub sends no content over 1 MB (`encoding: none`).
    TooLarge,
    /// Not a file's JSON, or base64 that does not decode.
    Unreadable,
}

/// A file's bytes, from its `repos/get-content` JSON.
pub fn file_content(body: &[u8]) -> Result<Vec<u8>, NoContent> {
    let v: Value = serde_json::from_slice(body).map_err(|_| NoContent::Unreadable)?;
    match v["encoding"].as_str() {
        Some("base64") => {
            let text: String = v["content"]
                .as_str()
                .ok_or(NoContent::Unreadable)?
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|_| NoContent::Unreadable)
        }
        Some("none") => Err(NoContent::TooLarge),
        _ => Err(NoContent::Unreadable),
    }
}

/// A workflow's `state` in the states list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Active,
    /// `disabled_manually`, `disabled_inactivity`, `disabled_fork`, or any
    /// other state GitHub gives: a run does not start.
    Disabled(String),
}

/// One page of the states list: each workflow's path and state.
#[must_use]
pub fn states(body: &[u8]) -> Option<Vec<(String, State)>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    Some(
        v["workflows"]
            .as_array()?
            .iter()
            .filter_map(|w| {
                let path = w["path"].as_str()?.to_owned();
                let state = match w["state"].as_str()? {
                    "active" => State::Active,
                    other => State::Disabled(other.to_owned()),
                };
                Some((path, state))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn octo() -> (ApiBase, Repository) {
        (
            ApiBase::parse(
                "https://api.github.com",
                false,
                crate::action::voice::Voice::Shell,
            )
            .unwrap(),
            Repository::parse("octo/deploy").unwrap(),
        )
    }

    #[test]
    fn the_reads_go_where_github_serves_them() {
        let (api, repo) = octo();
        let cases = [
            (
                repository_request(&api, &repo),
                "https://api.github.com/repos/octo/deploy",
            ),
            (
                folder_request(&api, &repo),
                "https://api.github.com/repos/octo/deploy/contents/.github/workflows",
            ),
            (
                file_request(&api, &repo, ".github/workflows/c d#1?.yml"),
                "https://api.github.com/repos/octo/deploy/contents/.github/workflows/c%20d%231%3F.yml",
            ),
            (
                states_request(&api, &repo, 1),
                "https://api.github.com/repos/octo/deploy/actions/workflows?per_page=100",
            ),
            (
                states_request(&api, &repo, 3),
                "https://api.github.com/repos/octo/deploy/actions/workflows?per_page=100&page=3",
            ),
        ];
        for (req, url) in cases {
            assert_eq!(req.method, Method::GET);
            assert_eq!(req.url, url);
            assert!(req.body.is_none());
        }
    }

    #[test]
    fn answers_are_read_as_typed_values() {
        assert_eq!(
            default_branch(br#"{"default_branch":"trunk"}"#),
            Some("trunk".to_owned())
        );
        assert_eq!(default_branch(br#"{"default_branch":""}"#), None);
        assert_eq!(default_branch(b"<html>"), None);
        let listing = br#"[
            {"type":"file","name":"cd.yml","path":".github/workflows/cd.yml","size":120},
            {"type":"file","name":"README.md","path":".github/workflows/README.md","size":9},
            {"type":"dir","name":"sub.yml","path":".github/workflows/sub.yml","size":0},
            {"type":"file","name":"ci.yaml","path":".github/workflows/ci.yaml","size":7}
        ]"#;
        let files = folder(listing).unwrap();
        let names: Vec<(&str, Option<u64>)> =
            files.iter().map(|f| (f.name.as_str(), f.size)).collect();
        assert_eq!(names, [("cd.yml", Some(120)), ("ci.yaml", Some(7))]);
        assert_eq!(folder(br#"{"type":"file"}"#), None);
        assert_eq!(
            file_content(
                br#"{"encoding":"base64","content":"b246IHJl\ncG9zaXRv\ncnlfZGlzcGF0Y2g=\n"}"#
            ),
            Ok(b"on: repository_dispatch".to_vec())
        );
        assert_eq!(
            file_content(br#"{"encoding":"none","content":""}"#),
            Err(NoContent::TooLarge)
        );
        assert_eq!(
            file_content(br#"{"encoding":"base64","content":"!!"}"#),
            Err(NoContent::Unreadable)
        );
        assert_eq!(
            states(br#"{"total_count":2,"workflows":[{"path":".github/workflows/cd.yml","state":"active"},{"path":".github/workflows/old.yml","state":"disabled_manually"}]}"#),
            Some(vec![
                (".github/workflows/cd.yml".to_owned(), State::Active),
                (
                    ".github/workflows/old.yml".to_owned(),
                    State::Disabled("disabled_manually".to_owned())
                ),
            ])
        );
        assert_eq!(states(b"[]"), None);
    }
}
