//! Which `repository_dispatch` event types a workflow file listens for: its
//! `on:` block, read as GitHub reads it.
//!
//! The file is parsed with yaml-rust2's event parser (YAML 1.2: `on` is the
//! string `on`, never the boolean a YAML 1.1 reader makes of it) into an arena
//! of nodes. An alias points at the anchored node's place in the arena instead
//! of copying it, so no file can make expansion grow (a "billion laughs" is as
//! small as its text), and the nodes are capped besides. Only the few nodes
//! that `on:` names are looked at. A file over [`MAX_FILE`] is not parsed.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// Workflow files larger than this are not parsed.
pub const MAX_FILE: usize = 512 * 1024;
/// The most nodes (scalars, sequences, mappings) one file may hold.
pub const MAX_NODES: usize = 100_000;

/// What a workflow's `on:` says about `repository_dispatch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listens {
    /// It does not name `repository_dispatch`.
    No,
    /// `repository_dispatch` with no `types`: every event type starts it.
    All,
    /// Only these event types start it (possibly none: `types: []`).
    Types(Vec<String>),
}

impl Listens {
    /// Whether a dispatch of `event_type` starts the workflow.
    #[must_use]
    pub fn starts_on(&self, event_type: &str) -> bool {
        match self {
            Self::No => false,
            Self::All => true,
            Self::Types(types) => types.iter().any(|t| t == event_type),
        }
    }
}

/// Why a workflow file cannot be read as GitHub would run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Larger than [`MAX_FILE`] bytes.
    TooLarge(usize),
    /// Not UTF-8 text.
    NotText,
    /// Not YAML: the parser's message and the 1-based line.
    Yaml { line: usize, message: String },
    /// More than [`MAX_NODES`] nodes.
    TooManyNodes,
    /// YAML, but not a workflow: `what` names the part (`the file`, `on`,
    /// `on.repository_dispatch`, `on.repository_dispatch.types`) and
    /// `expected` what GitHub expects there.
    Malformed {
        what: &'static str,
        expected: &'static str,
    },
}

/// Reads the `on:` block of a workflow file.
pub fn listens(file: &[u8]) -> Result<Listens, Unreadable> {
    if file.len() > MAX_FILE {
        return Err(Unreadable::TooLarge(file.len()));
    }
    let text = std::str::from_utf8(file).map_err(|_| Unreadable::NotText)?;
    // A byte-order mark opens many files saved on Windows; GitHub reads past
    // it, and yaml-rust2's parser would make it part of the first key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = Doc::parse(text)?;
    let Some(root) = doc.root else {
        return Err(Unreadable::Malformed {
            what: "the file",
            expected: "a mapping with on: and jobs:",
        });
    };
    let Node::Map(top) = &doc.nodes[root] else {
        return Err(Unreadable::Malformed {
            what: "the file",
            expected: "a mapping with on: and jobs:",
        });
    };
    let Some(on) = doc.get(top, "on") else {
        return Ok(Listens::No);
    };
    match &doc.nodes[on] {
        Node::Scalar { text, .. } => Ok(if text == "repository_dispatch" {
            Listens::All
        } else {
            Listens::No
        }),
        Node::Null => Err(Unreadable::Malformed {
            what: "on",
            expected: "an event, a list of events, or a mapping of events",
        }),
        Node::Seq(items) => Ok(
            if items
                .iter()
                .any(|&i| doc.text(i) == Some("repository_dispatch"))
            {
                Listens::All
            } else {
                Listens::No
            },
        ),
        Node::Map(events) => match doc.get(events, "repository_dispatch") {
            None => Ok(Listens::No),
            Some(rd) => rd_types(&doc, rd),
        },
    }
}

/// The value of `on.repository_dispatch`: null, an empty mapping, or a
/// mapping whose `types` is a string or a list of strings.
fn rd_types(doc: &Doc, rd: usize) -> Result<Listens, Unreadable> {
    let malformed_types = Unreadable::Malformed {
        what: "on.repository_dispatch.types",
        expected: "an event type or a list of event types",
    };
    match &doc.nodes[rd] {
        Node::Null => Ok(Listens::All),
        Node::Map(fields) => match doc.get(fields, "types").map(|t| &doc.nodes[t]) {
            None | Some(Node::Null) => Ok(Listens::All),
            Some(Node::Scalar { text, .. }) => Ok(Listens::Types(vec![text.clone()])),
            Some(Node::Seq(items)) => items
                .iter()
                .map(|&i| doc.text(i).map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Listens::Types)
                .ok_or(malformed_types),
            Some(Node::Map(_)) => Err(malformed_types),
        },
        Node::Scalar { .. } | Node::Seq(_) => Err(Unreadable::Malformed {
            what: "on.repository_dispatch",
            expected: "nothing, or a mapping with types:",
        }),
    }
}

#[derive(Debug)]
enum Node {
    Null,
    /// A scalar's text (a quoted `null` or `~` is text, not null).
    Scalar {
        text: String,
    },
    Seq(Vec<usize>),
    /// Keys and values, in order; a key repeated keeps its first value.
    Map(Vec<(usize, usize)>),
}

/// One YAML document as an arena: aliases share the anchored node's index.
#[derive(Debug)]
struct Doc {
    nodes: Vec<Node>,
    root: Option<usize>,
}

impl Doc {
    /// Parses the first document of `text`.
    fn parse(text: &str) -> Result<Self, Unreadable> {
        let mut parser = Parser::new_from_str(text);
        let mut nodes: Vec<Node> = Vec::new();
        let mut anchors: HashMap<usize, usize> = HashMap::new();
        // Open collections: their index, and for a mapping the key waiting
        // for its value.
        let mut open: Vec<(usize, Option<usize>)> = Vec::new();
        let mut root = None;
        loop {
            let (event, mark) = parser.next_token().map_err(|e| Unreadable::Yaml {
                line: e.marker().line(),
                message: e.info().to_owned(),
            })?;
            let (node, anchor, opens) = match event {
                Event::StreamEnd | Event::DocumentEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentStart => continue,
                Event::SequenceEnd | Event::MappingEnd => {
                    open.pop();
                    if open.is_empty() {
                        break;
                    }
                    continue;
                }
                Event::Alias(id) => {
                    let Some(&index) = anchors.get(&id) else {
                        return Err(Unreadable::Yaml {
                            line: mark.line(),
                            message: "an alias names no anchor".to_owned(),
                        });
                    };
                    (index, 0, false)
                }
                Event::Scalar(text, style, anchor, _) => {
                    let null = style == TScalarStyle::Plain
                        && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL");
                    nodes.push(if null {
                        Node::Null
                    } else {
                        Node::Scalar { text }
                    });
                    (nodes.len() - 1, anchor, false)
                }
                Event::SequenceStart(anchor, _) => {
                    nodes.push(Node::Seq(Vec::new()));
                    (nodes.len() - 1, anchor, true)
                }
                Event::MappingStart(anchor, _) => {
                    nodes.push(Node::Map(Vec::new()));
                    (nodes.len() - 1, anchor, true)
                }
            };
            if nodes.len() > MAX_NODES {
                return Err(Unreadable::TooManyNodes);
            }
            if anchor > 0 {
                anchors.insert(anchor, node);
            }
            match open.last_mut() {
                None => root = Some(node),
                Some((parent, pending)) => match &mut nodes[*parent] {
                    Node::Seq(items) => items.push(node),
                    Node::Map(pairs) => match pending.take() {
                        None => *pending = Some(node),
                        Some(key) => pairs.push((key, node)),
                    },
                    Node::Null | Node::Scalar { .. } => unreachable!("only collections are open"),
                },
            }
            if opens {
                open.push((node, None));
            } else if open.is_empty() {
                break;
            }
        }
        Ok(Self { nodes, root })
    }

    /// A scalar's text.
    fn text(&self, node: usize) -> Option<&str> {
        match &self.nodes[node] {
            Node::Scalar { text } => Some(text),
            _ => None,
        }
    }

    /// The value of the first `key` in a mapping's pairs.
    fn get(&self, pairs: &[(usize, usize)], key: &str) -> Option<usize> {
        pairs
            .iter()
            .find(|&&(k, _)| self.text(k) == Some(key))
            .map(|&(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn types(list: &[&str]) -> Listens {
        Listens::Types(list.iter().map(|&t| t.to_owned()).collect())
    }

    #[test]
    fn every_shape_of_on_is_read_as_github_reads_it() {
        let cases: &[(&str, Listens)] = &[
            ("on: repository_dispatch\njobs: {}\n", Listens::All),
            ("'on': repository_dispatch\n", Listens::All),
            ("\"on\": [push, repository_dispatch]\n", Listens::All),
            ("on:\n  - push\n  - repository_dispatch\n", Listens::All),
            ("on: push\n", Listens::No),
            ("on: [push, workflow_dispatch]\n", Listens::No),
            ("on:\n  repository_dispatch:\n", Listens::All),
            ("on:\n  repository_dispatch: {}\n", Listens::All),
            ("on:\n  repository_dispatch: ~\n", Listens::All),
            (
                "on:\n  repository_dispatch:\n    types: trigger-deploy\n",
                types(&["trigger-deploy"]),
            ),
            (
                "on:\n  repository_dispatch:\n    types: [trigger-deploy, rollback]\n",
                types(&["trigger-deploy", "rollback"]),
            ),
            (
                "on:\n  repository_dispatch:\n    types:\n      - a\n      - 'b c'\n",
                types(&["a", "b c"]),
            ),
            ("on:\n  repository_dispatch:\n    types: []\n", types(&[])),
            ("on:\n  push:\n    branches: [main]\n", Listens::No),
            ("name: no trigger\njobs: {}\n", Listens::No),
            // YAML 1.1's booleans are text in YAML 1.2, as GitHub reads them.
            (
                "on: {repository_dispatch: {types: [yes, on]}}\n",
                types(&["yes", "on"]),
            ),
            // A quoted null is text.
            (
                "on: {repository_dispatch: {types: 'null'}}\n",
                types(&["null"]),
            ),
            // Anchors and aliases.
            (
                "x: &t [deploy]\non:\n  repository_dispatch:\n    types: *t\n",
                types(&["deploy"]),
            ),
            // A repeated key keeps its first value.
            ("on: push\non: repository_dispatch\n", Listens::No),
            // A byte-order mark before the first key.
            ("\u{feff}on: repository_dispatch\n", Listens::All),
        ];
        for (text, want) in cases {
            assert_eq!(listens(text.as_bytes()).as_ref(), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_workflow_is_unreadable_never_a_panic() {
        let cases: &[(&[u8], &str)] = &[
            (b"on: [unclosed\n", "yaml"),
            (b"\xff\xfe", "text"),
            (b"- a list\n", "malformed"),
            (b"", "malformed"),
            (b"on:\n", "malformed"),
            (b"on:\n  repository_dispatch: yes\n", "malformed"),
            (
                b"on:\n  repository_dispatch:\n    types: {a: b}\n",
                "malformed",
            ),
            (
                b"on:\n  repository_dispatch:\n    types: [[a]]\n",
                "malformed",
            ),
            (b"on: *nowhere\n", "yaml"),
        ];
        for (file, want) in cases {
            let got = match listens(file) {
                Err(Unreadable::Yaml { .. }) => "yaml",
                Err(Unreadable::NotText) => "text",
                Err(Unreadable::Malformed { .. }) => "malformed",
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(file)),
            };
            assert_eq!(got, *want, "{:?}", String::from_utf8_lossy(file));
        }
    }

    #[test]
    fn an_alias_bomb_stays_as_small_as_its_text() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..40 {
            let p = i - 1;
            let _ = writeln!(
                text,
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]"
            );
        }
        text.push_str("on:\n  repository_dispatch:\n    types: [go]\n");
        assert_eq!(listens(text.as_bytes()), Ok(types(&["go"])));
    }

    #[test]
    fn size_and_node_caps_hold() {
        let big = vec![b'#'; MAX_FILE + 1];
        assert_eq!(listens(&big), Err(Unreadable::TooLarge(MAX_FILE + 1)));
        let many = format!("on: [{}]\n", "a,".repeat(MAX_NODES));
        assert_eq!(listens(many.as_bytes()), Err(Unreadable::TooManyNodes));
        let just = format!("on: [{}]\n", "a,".repeat(MAX_NODES - 3));
        assert_eq!(listens(just.as_bytes()), Ok(Listens::No));
        let deep = format!("on: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        // The parser's own depth limit: an error, not a stack overflow.
        assert!(
            matches!(listens(deep.as_bytes()), Err(Unreadable::Yaml { ref message, .. }) if message.contains("recursion"))
        );
    }

    #[test]
    fn types_are_matched_exactly() {
        let l = types(&["trigger-deploy"]);
        assert!(l.starts_on("trigger-deploy"));
        assert!(!l.starts_on("Trigger-Deploy"));
        assert!(!l.starts_on("trigger-deplo"));
        assert!(Listens::All.starts_on("anything"));
        assert!(!Listens::No.starts_on("anything"));
    }
}
