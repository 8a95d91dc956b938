//! Oracles shared by the fuzz targets: a JSON lexer written independently of
//! `repository_dispatch::internals::payload::compact`, and checks of the request body.
//!
//! Why a lexer and not only `serde_json::Value`: the fuzz crate must not turn on
//! `serde_json`'s `arbitrary_precision` or `preserve_order` (features unify with
//! the library under test and would change how it parses), and without them a
//! `Value` forgets how numbers were written (`1.50` vs `1.5`, big integers) and
//! the order of keys. The payload is promised to be sent "exactly as written",
//! so the targets compare token text byte for byte, and use `Value` equality as
//! a second, coarser check.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

/// One JSON token as it appears in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok<'a> {
    /// One of `{ } [ ] : ,`.
    Punct(u8),
    /// A string literal, quotes and escapes included, as written.
    Str(&'a str),
    /// A number or literal (`true`, `false`, `null`), as written.
    Bare(&'a str),
}

impl Tok<'_> {
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Tok::Punct(b) => match b {
                b'{' => "{",
                b'}' => "}",
                b'[' => "[",
                b']' => "]",
                b':' => ":",
                _ => ",",
            },
            Tok::Str(s) | Tok::Bare(s) => s,
        }
    }
}

/// The tokens of a text already known to be valid JSON, and how many bytes of
/// insignificant whitespace (RFC 8259: space, tab, LF, CR) lie between them.
#[must_use]
pub fn lex(text: &str) -> (Vec<Tok<'_>>, usize) {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut ws = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                ws += 1;
                i += 1;
            }
            b @ (b'{' | b'}' | b'[' | b']' | b':' | b',') => {
                toks.push(Tok::Punct(b));
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                toks.push(Tok::Str(&text[start..i]));
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b':'
                            | b','
                            | b'"'
                    )
                {
                    i += 1;
                }
                toks.push(Tok::Bare(&text[start..i]));
            }
        }
    }
    (toks, ws)
}

/// The deepest nesting of `{`/`[` in a token stream.
#[must_use]
pub fn depth(toks: &[Tok<'_>]) -> usize {
    let (mut d, mut deepest) = (0usize, 0usize);
    for t in toks {
        match t {
            Tok::Punct(b'{' | b'[') => {
                d += 1;
                deepest = deepest.max(d);
            }
            Tok::Punct(b'}' | b']') => d = d.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The top-level keys of an object's token stream, as written (quotes and
/// escapes included), in order.
#[must_use]
pub fn top_level_keys<'a>(toks: &[Tok<'a>]) -> Vec<&'a str> {
    let mut keys = Vec::new();
    let mut d = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct(b'{' | b'[') => d += 1,
            Tok::Punct(b'}' | b']') => d = d.saturating_sub(1),
            Tok::Str(s) if d == 1 && toks.get(i + 1) == Some(&Tok::Punct(b':')) => keys.push(*s),
            _ => {}
        }
    }
    keys
}

/// Decodes a JSON string literal.
#[must_use]
pub fn decode_str(literal: &str) -> Option<String> {
    serde_json::from_str::<String>(literal).ok()
}

/// Checks a dispatch request body against the event type and payload text it
/// was built from: exactly the two keys GitHub expects, the event type decoding
/// to what was given, and the payload embedded byte for byte.
///
/// # Panics
///
/// When the body is wrong: that is the finding.
pub fn check_body(body: &str, event_type: &str, payload_json: &str) {
    let (toks, ws) = lex(body);
    assert_eq!(ws, 0, "request body has whitespace between tokens: {body}");
    let keys = top_level_keys(&toks);
    assert_eq!(
        keys,
        [r#""event_type""#, r#""client_payload""#],
        "request body keys: {body}"
    );
    // RawValue skips values without range or surrogate checks, as GitHub's
    // parser would see the text; the payload must appear exactly as validated.
    let map: BTreeMap<String, &RawValue> = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("request body is not JSON ({e}): {body}"));
    assert_eq!(map.len(), 2, "{body}");
    assert_eq!(map["client_payload"].get(), payload_json, "{body}");
    let et: String = serde_json::from_str(map["event_type"].get())
        .unwrap_or_else(|e| panic!("event_type is not a JSON string ({e}): {body}"));
    assert_eq!(et, event_type, "{body}");
}
