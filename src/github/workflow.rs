//! A `workflow_dispatch`: the workflow (file name or id), the ref whose copy
//! of it runs, and its inputs, checked against GitHub's limits before
//! anything is sent.
//!
//! `POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches`
//! (`actions/create-workflow-dispatch` in GitHub's `OpenAPI` description,
//! github/rest-api-description, copied in tests/contracts): `ref` is required;
//! `inputs` is an object of at most 25 properties (`maxProperties: 25`);
//! `return_run_details: true` makes GitHub answer `200` with the run's id and
//! URLs (`workflow-dispatch-response`) in API version 2022-11-28, which this
//! client sends. A GitHub Enterprise Server that predates the parameter
//! refuses it: GHES 3.19 answers `422` `"return_run_details" is not a
//! permitted key.` (benc-uk/workflow-dispatch#86). Nothing was created by that
//! answer, so the dispatch goes once more without the key and is then read as
//! a `204`, with no run ([`refuses_run_details`]).

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The most inputs GitHub accepts (`maxProperties` of `inputs`).
pub const MAX_INPUTS: usize = 25;

/// The workflow to run: its file name under `.github/workflows`, or its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow(String);

impl Workflow {
    /// Validates a workflow (already trimmed): a positive number, or a file
    /// name ending in `.yml` or `.yaml`, without a directory.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("workflow is empty: give the workflow's file name, such as deploy.yml, or its numeric id".to_owned());
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return if text.trim_start_matches('0').is_empty() || text.len() > 20 {
                Err(format!(
                    "workflow '{text}' is not a workflow id: ids are positive numbers; or give the file name, such as deploy.yml"
                ))
            } else {
                Ok(Self(text.to_owned()))
            };
        }
        if let Some((_, name)) = text.rsplit_once('/') {
            return Err(format!(
                "workflow '{}' is a path: give the file name only ({}), as GitHub looks it up in .github/workflows",
                text.escape_debug(),
                name.escape_debug()
            ));
        }
        if text.chars().any(|c| c.is_control() || c == '\\') {
            return Err(format!(
                "workflow '{}' holds a control character or a backslash: give the file name, such as deploy.yml",
                text.escape_debug()
            ));
        }
        let yaml = std::path::Path::new(text)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
        if !yaml || text.len() > 255 {
            return Err(format!(
                "workflow '{}' is neither a workflow file name (ending in .yml or .yaml) nor a numeric id",
                text.escape_debug()
            ));
        }
        Ok(Self(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The workflow as one path segment of the URL: every byte outside
    /// RFC 3986's unreserved set percent-encoded.
    #[must_use]
    pub fn path_segment(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for b in self.0.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
        out
    }
}

/// The ref (branch or tag) whose copy of the workflow runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRef(String);

impl GitRef {
    /// Validates a ref (already trimmed): not empty, one word.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("ref is empty: give the branch or tag whose copy of the workflow runs, such as main".to_owned());
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) || text.len() > 255 {
            return Err(format!(
                "ref '{}' is not a branch or tag name: names hold no spaces or control characters",
                text.escape_debug()
            ));
        }
        Ok(Self(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The workflow's inputs: a JSON object of at most [`MAX_INPUTS`] properties,
/// each a string, a number or a boolean (the types a `workflow_dispatch`
/// input has).
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs(Map<String, Value>);

impl Inputs {
    /// Parses and checks the inputs' JSON text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            format!("inputs is not valid JSON ({e}): give an object such as {{\"environment\": \"production\"}}")
        })?;
        let Value::Object(map) = value else {
            return Err("inputs must be a JSON object of the workflow's inputs, such as {\"environment\": \"production\"}".to_owned());
        };
        if map.len() > MAX_INPUTS {
            return Err(format!(
                "inputs has {} properties; GitHub accepts at most {MAX_INPUTS}",
                map.len()
            ));
        }
        for (key, value) in &map {
            if !matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                return Err(format!(
                    "inputs.{} is {}: a workflow input is a string, a number or a boolean",
                    key.escape_debug(),
                    match value {
                        Value::Null => "null",
                        Value::Array(_) => "an array",
                        _ => "an object",
                    }
                ));
            }
        }
        Ok(Self(map))
    }

    #[must_use]
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

/// The key that asks GitHub to name the run a dispatch starts.
pub const RUN_DETAILS_KEY: &str = "return_run_details";

/// The request body: the ref, the inputs if any, and (with `run_details`)
/// `return_run_details`, in that order. Without it the body is the same bytes
/// less the key.
#[must_use]
pub fn request_body(git_ref: &GitRef, inputs: Option<&Inputs>, run_details: bool) -> String {
    let inputs = inputs
        .map(|i| format!(",\"inputs\":{}", Value::Object(i.as_map().clone())))
        .unwrap_or_default();
    let details = if run_details {
        format!(",\"{RUN_DETAILS_KEY}\":true")
    } else {
        String::new()
    };
    format!(
        "{{\"ref\":{}{inputs}{details}}}",
        Value::String(git_ref.as_str().to_owned())
    )
}

/// Whether a refusal is a server that does not know `return_run_details`
/// (a GitHub Enterprise Server before run details): a `422` whose message or
/// one of whose `errors` names the key as not permitted or unknown. The
/// wording is matched loosely, as servers of other versions may say it
/// otherwise (`"return_run_details" is not a permitted key.`, GitHub's
/// `Invalid request.` followed by it, or the key as an error's `field`).
#[must_use]
pub fn refuses_run_details(status: u16, error: &crate::github::GitHubError) -> bool {
    const REFUSED: [&str; 7] = [
        "not a permitted key",
        "not permitted",
        "not allowed",
        "unknown",
        "unexpected",
        "unrecognized",
        "additional propert",
    ];
    status == 422
        && error
            .message
            .iter()
            .chain(&error.errors)
            .map(|text| text.to_ascii_lowercase())
            // An undeclared workflow input of that name is another refusal.
            .filter(|text| !text.contains("inputs provided"))
            .any(|text| text.contains(RUN_DETAILS_KEY) && REFUSED.iter().any(|r| text.contains(r)))
}

/// The run a `200` names (`workflow-dispatch-response`): its id and web
/// address. `None` if the body is not that.
#[must_use]
pub fn started_run(body: &[u8]) -> Option<(u64, String)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let id = v.get("workflow_run_id")?.as_u64().filter(|id| *id > 0)?;
    let url = v.get("html_url")?.as_str()?.to_owned();
    Some((id, url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflows() {
        for ok in ["deploy.yml", "Deploy.YAML", "ci build.yml", "123", "0042"] {
            assert_eq!(Workflow::parse(ok).unwrap().as_str(), ok);
        }
        for (bad, says) in [
            ("", "empty"),
            ("0", "not a workflow id"),
            ("000", "not a workflow id"),
            ("123456789012345678901", "not a workflow id"),
            (
                ".github/workflows/deploy.yml",
                "file name only (deploy.yml)",
            ),
            ("deploy", "neither a workflow file name"),
            ("deploy.json", "neither a workflow file name"),
            ("de\tploy.yml", "control character"),
            ("a\\b.yml", "backslash"),
        ] {
            let e = Workflow::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        assert_eq!(
            Workflow::parse("ci build+1.yml").unwrap().path_segment(),
            "ci%20build%2B1.yml"
        );
        assert_eq!(
            Workflow::parse("ü.yml").unwrap().path_segment(),
            "%C3%BC.yml"
        );
    }

    #[test]
    fn refs() {
        assert_eq!(
            GitRef::parse("refs/tags/v1").unwrap().as_str(),
            "refs/tags/v1"
        );
        assert!(GitRef::parse("").unwrap_err().contains("empty"));
        assert!(
            GitRef::parse("my branch")
                .unwrap_err()
                .contains("no spaces")
        );
    }

    #[test]
    fn inputs_and_body() {
        let full: String = format!(
            "{{{}}}",
            (0..MAX_INPUTS)
                .map(|i| format!("\"k{i}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(Inputs::parse(&full).unwrap().as_map().len(), MAX_INPUTS);
        let over = full.replacen('{', "{\"extra\":true,", 1);
        assert!(Inputs::parse(&over).unwrap_err().contains("26 properties"));
        for (bad, says) in [
            ("[]", "must be a JSON object"),
            ("{", "not valid JSON"),
            (r#"{"a":null}"#, "inputs.a is null"),
            (r#"{"a":[1]}"#, "an array"),
            (r#"{"a":{"b":1}}"#, "an object"),
        ] {
            let e = Inputs::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        let git_ref = GitRef::parse("main").unwrap();
        let inputs = Inputs::parse(r#"{"environment":"prod","dry":false,"n":2}"#).unwrap();
        assert_eq!(
            request_body(&git_ref, Some(&inputs), true),
            r#"{"ref":"main","inputs":{"dry":false,"environment":"prod","n":2},"return_run_details":true}"#
        );
        assert_eq!(
            request_body(&git_ref, None, true),
            r#"{"ref":"main","return_run_details":true}"#
        );
        assert_eq!(
            request_body(&git_ref, Some(&inputs), false),
            r#"{"ref":"main","inputs":{"dry":false,"environment":"prod","n":2}}"#
        );
        assert_eq!(request_body(&git_ref, None, false), r#"{"ref":"main"}"#);
    }

    /// A server before run details, in the wordings it may use; a `422` for
    /// anything else, or about the key's value, is not one.
    #[test]
    fn refusals_of_the_run_details_key() {
        let check = |status: u16, body: &str, refuses: bool| {
            let error = crate::github::GitHubError::parse(body.as_bytes());
            assert_eq!(
                refuses_run_details(status, &error),
                refuses,
                "{status} {body}"
            );
        };
        for (status, body, refuses) in [
            (
                422,
                r#"{"message":"\"return_run_details\" is not a permitted key.","status":"422"}"#,
                true,
            ),
            (
                422,
                r#"{"message":"Invalid request.\n\n\"return_run_details\" is not a permitted key."}"#,
                true,
            ),
            (
                422,
                r#"{"message":"Invalid request.\n\n\"RETURN_RUN_DETAILS\" IS NOT A PERMITTED KEY."}"#,
                true,
            ),
            (
                422,
                r#"{"message":"Validation Failed","errors":[{"field":"return_run_details","code":"unexpected"}]}"#,
                true,
            ),
            (
                422,
                r#"{"message":"Validation Failed","errors":["\"return_run_details\" is not a permitted key."]}"#,
                true,
            ),
            (
                422,
                r#"{"message":"Unknown parameter: return_run_details"}"#,
                true,
            ),
            (
                400,
                r#"{"message":"\"return_run_details\" is not a permitted key."}"#,
                false,
            ),
            (
                422,
                r#"{"message":"Unexpected inputs provided: [\"x\"]"}"#,
                false,
            ),
            (
                422,
                r#"{"message":"Unexpected inputs provided: [\"return_run_details\"]"}"#,
                false,
            ),
            (
                422,
                r#"{"message":"For 'properties/return_run_details', \"yes\" is not a boolean."}"#,
                false,
            ),
            (
                422,
                r#"{"message":"Workflow does not have 'workflow_dispatch' trigger"}"#,
                false,
            ),
            (422, "return_run_details is not a permitted key", false),
            (422, "", false),
        ] {
            check(status, body, refuses);
        }
    }

    #[test]
    fn answers() {
        assert_eq!(
            started_run(
                br#"{"workflow_run_id":7,"run_url":"https://api/x","html_url":"https://h/7"}"#
            ),
            Some((7, "https://h/7".to_owned()))
        );
        for broken in [
            &b""[..],
            b"{",
            br#"{"workflow_run_id":0,"html_url":"u"}"#,
            br#"{"workflow_run_id":"7","html_url":"u"}"#,
            br#"{"workflow_run_id":7}"#,
        ] {
            assert_eq!(
                started_run(broken),
                None,
                "{}",
                String::from_utf8_lossy(broken)
            );
        }
    }
}
