//! The event type and the client payload: GitHub's limits, checked before
//! anything is sent, and a payload sent exactly as written.
//!
//! Limits from `POST /repos/{owner}/{repo}/dispatches` (`repos/create-dispatch-event`
//! in GitHub's `OpenAPI` description): `event_type` 1 to 100 characters,
//! `client_payload` an object of at most 10 top-level properties and less than
//! 64 KB (the Actions docs: "a maximum of 65,535 characters").

use std::fmt;

use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};

use crate::action::voice::{Hint, Voice};

/// The longest event type GitHub accepts, in characters.
pub const MAX_EVENT_TYPE_CHARS: usize = 100;
/// The most top-level properties GitHub accepts in `client_payload`.
pub const MAX_PROPERTIES: usize = 10;
/// The compacted payload must be shorter than this many bytes.
pub const PAYLOAD_SIZE_LIMIT: usize = 65_535;
/// The deepest nesting accepted; deeper input is refused before it is parsed,
/// so hostile input cannot exhaust the stack (`serde_json`'s own limit is 128).
pub const MAX_DEPTH: usize = 128;
/// Length of the correlation id `wait-for-run` adds (a UUID's 36 characters).
pub const DISPATCH_ID_LEN: usize = 36;

/// A validated event type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType(String);

impl EventType {
    /// Validates an (already trimmed) event type.
    ///
    /// Returns an error if and only if it is empty, longer than 100 characters,
    /// or holds a control character (a newline from a multi-line YAML value, a tab).
    pub fn parse(text: &str, voice: Voice) -> Result<Self, String> {
        if text.is_empty() {
            return Err(
                "event-type is empty: give the type the receiving workflow listens for, as in `on: repository_dispatch: types: [trigger-deploy]`"
                    .to_owned(),
            );
        }
        let chars = text.chars().count();
        if chars > MAX_EVENT_TYPE_CHARS {
            return Err(format!(
                "event-type is {chars} characters long; GitHub accepts at most {MAX_EVENT_TYPE_CHARS}: shorten it"
            ));
        }
        if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| c.is_control()) {
            return Err(format!(
                "event-type holds a control character ({}) at character {}: event types are single-line names such as trigger-deploy; {}",
                char_name(c),
                i + 1,
                voice.hint(Hint::MultiLine)
            ));
        }
        Ok(Self(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A validated client payload: a JSON object kept as the text the user wrote,
/// with insignificant whitespace removed. Numbers, escapes and Unicode are never
/// re-encoded, so `12345678901234567890` and `1.50` arrive as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPayload {
    json: String,
    keys: Vec<String>,
}

impl ClientPayload {
    /// Validates an (already trimmed) payload.
    ///
    /// Returns an error if and only if it is empty, nested deeper than
    /// [`MAX_DEPTH`], not valid JSON, not an object, has a repeated key, more than
    /// [`MAX_PROPERTIES`] properties, or compacts to [`PAYLOAD_SIZE_LIMIT`] bytes
    /// or more.
    pub fn parse(text: &str, voice: Voice) -> Result<Self, String> {
        if text.is_empty() {
            return Err(format!(
                "client-payload is empty: {}",
                voice.hint(Hint::EmptyPayload)
            ));
        }
        if text.starts_with('\u{feff}') {
            return Err(
                "client-payload starts with a byte-order mark (U+FEFF), which JSON does not allow: save the file as UTF-8 without BOM"
                    .to_owned(),
            );
        }
        let (json, depth) = compact(text);
        if depth > MAX_DEPTH {
            return Err(format!(
                "client-payload is nested more than {MAX_DEPTH} levels deep: flatten it"
            ));
        }
        let keys = if json.starts_with('{') {
            let mut de = serde_json::Deserializer::from_str(text);

            de.deserialize_map(KeysVisitor)
                .and_then(|keys| de.end().map(|()| keys))
                .map_err(|e| syntax_error(text, &e, voice))?
        } else {
            serde_json::from_str::<IgnoredAny>(text).map_err(|e| syntax_error(text, &e, voice))?;
            return Err(not_an_object(&json, voice));
        };
        let mut sorted: Vec<&String> = keys.iter().collect();
        sorted.sort();
        if let Some([dup, _]) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!(
                "client-payload has the key '{dup}' more than once: JSON readers keep only one of them, so remove the others"
            ));
        }
        if keys.len() > MAX_PROPERTIES {
            return Err(too_many_properties(&keys, None));
        }
        check_size(&json)?;
        Ok(Self { json, keys })
    }

    /// The payload with one more top-level string property, first in the object
    /// (the correlation id of `wait-for-run`).
    pub fn with_property(&self, key: &str, value: &str) -> Result<Self, String> {
        if self.keys.iter().any(|k| k == key) {
            return Err(format!(
                "client-payload already has a '{key}' property, which wait-for-run sets to find the run: remove it or choose another dispatch-id-key"
            ));
        }
        let mut keys = Vec::with_capacity(self.keys.len() + 1);
        keys.push(key.to_owned());
        keys.extend(self.keys.iter().cloned());
        if keys.len() > MAX_PROPERTIES {
            return Err(too_many_properties(&self.keys, Some(key)));
        }
        let member = format!("{}:{}", json_string(key), json_string(value));
        let rest = &self.json[1..];
        let json = if rest == "}" {
            format!("{{{member}}}")
        } else {
            format!("{{{member},{rest}")
        };
        check_size(&json)?;
        Ok(Self { json, keys })
    }

    /// The compacted JSON text.
    #[must_use]
    pub fn as_json(&self) -> &str {
        &self.json
    }

    /// The top-level keys in the order written.
    #[must_use]
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

/// The request body GitHub expects: `{"event_type": ..., "client_payload": ...}`.
#[must_use]
pub fn request_body(event_type: &EventType, payload: &ClientPayload) -> String {
    format!(
        "{{\"event_type\":{},\"client_payload\":{}}}",
        json_string(event_type.as_str()),
        payload.as_json()
    )
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn check_size(json: &str) -> Result<(), String> {
    if json.len() >= PAYLOAD_SIZE_LIMIT {
        return Err(format!(
            "client-payload is {} bytes once compacted; GitHub accepts less than {PAYLOAD_SIZE_LIMIT} (64 KB): send a reference to the data (a URL, an artifact or a commit SHA) instead of the data itself",
            json.len()
        ));
    }
    Ok(())
}

fn too_many_properties(keys: &[String], added: Option<&str>) -> String {
    let listed = keys
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    match added {
        None => format!(
            "client-payload has {} top-level properties ({listed}); GitHub allows at most {MAX_PROPERTIES}: wrap some of them in one property, for example {{\"build\": {{...}}, \"deploy\": {{...}}}}",
            keys.len()
        ),
        Some(key) => format!(
            "client-payload has {} top-level properties ({listed}) and wait-for-run adds '{key}' to find the run, which makes {}; GitHub allows at most {MAX_PROPERTIES}: wrap some of them in one property",
            keys.len(),
            keys.len() + 1
        ),
    }
}

/// Removes the whitespace JSON allows between tokens (RFC 8259: space, tab, LF,
/// CR), leaving every token byte as written, and measures the deepest nesting.
/// Works on any text; invalid JSON is caught by the parser afterwards.
fn compact(text: &str) -> (String, usize) {
    let mut out = Vec::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let (mut depth, mut deepest) = (0usize, 0usize);
    for &b in text.as_bytes() {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(b);
    }
    // Only ASCII bytes were dropped, and an ASCII byte is never part of a
    // multi-byte UTF-8 sequence, so the rest is still valid UTF-8.
    let json = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (json, deepest)
}

struct KeysVisitor;

impl<'de> Visitor<'de> for KeysVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            keys.push(key);
        }
        Ok(keys)
    }
}

fn not_an_object(json: &str, voice: Voice) -> String {
    let (kind, hint) = match json.as_bytes().first() {
        Some(b'[') => ("an array", "put the list in a property: {\"items\": [...]}"),
        Some(b'"') => ("a string", voice.hint(Hint::EncodedTwice)),
        Some(b'n') => ("null", voice.hint(Hint::Null)),
        Some(b't' | b'f') => ("a boolean", "put it in a property: {\"flag\": true}"),
        _ => ("a number", "put it in a property: {\"value\": 1}"),
    };
    format!("client-payload must be a JSON object ({{...}}) but is {kind}: {hint}")
}

/// A syntax error with its line and column, the text around it, and a hint for
/// the mistakes YAML and expression interpolation usually cause.
fn syntax_error(text: &str, e: &serde_json::Error, voice: Voice) -> String {
    let (located, mistake) = json_mistake(text, e);
    let hint = match mistake {
        Mistake::RawLineBreak => voice.hint(Hint::RawLineBreak),
        Mistake::SingleQuotes => voice.hint(Hint::SingleQuotes),
        Mistake::UnquotedKeys => voice.hint(Hint::UnquotedKeys),
        Mistake::EndsEarly => voice.hint(Hint::EndsEarly),
        Mistake::Other => voice.hint(Hint::QuoteJson),
        other => other.hint().unwrap_or_default(),
    };
    format!("client-payload is not valid JSON: {located}: {hint}")
}

/// What a JSON syntax error most likely is, for the remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    /// A raw line break or tab inside a string.
    RawLineBreak,
    /// A comma before `]` or `}`.
    TrailingComma,
    /// A single-quoted string or key.
    SingleQuotes,
    /// A `//`, `/*` or `#` comment.
    Comment,
    /// A key without quotes.
    UnquotedKeys,
    /// `NaN` or `Infinity`.
    NanOrInfinity,
    /// The text ends before the JSON is closed.
    EndsEarly,
    /// More text after the JSON value.
    TrailingText,
    /// Anything else.
    Other,
}

impl Mistake {
    /// The remedy when it is the same whatever the JSON is for; `None` when
    /// it depends on where the JSON came from (the caller says it).
    #[must_use]
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Self::TrailingComma => {
                Some("JSON allows no trailing comma: remove the comma after the last element")
            }
            Self::Comment => Some("JSON allows no comments: remove them"),
            Self::NanOrInfinity => Some("JSON has no NaN or Infinity: send null or a string"),
            Self::TrailingText => {
                Some("there is more text after the JSON object: a second value or a stray brace")
            }
            _ => None,
        }
    }
}

/// A JSON syntax error located for a reader: `what at line L, column C (near
/// `...`)`, the text around the mistake on one line, and what it most likely
/// is. Shared by every input that takes JSON (`client-payload`, the receiving
/// step's schema), so each says a mistake the same way.
#[must_use]
pub fn json_mistake(text: &str, e: &serde_json::Error) -> (String, Mistake) {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let what = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full);
    let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let at = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let near = excerpt(line_text, at);
    let rest = &line_text[at.min(line_text.len())..];
    let mistake = if what.contains("control character") {
        Mistake::RawLineBreak
    } else if what.contains("trailing comma")
        || (line_text[..at.min(line_text.len())]
            .trim_end()
            .ends_with(',')
            && (rest.starts_with(']') || rest.starts_with('}')))
    {
        Mistake::TrailingComma
    } else if rest.starts_with('\'') {
        Mistake::SingleQuotes
    } else if rest.starts_with("//") || rest.starts_with("/*") || rest.starts_with('#') {
        Mistake::Comment
    } else if what.contains("key must be a string") {
        Mistake::UnquotedKeys
    } else if rest.starts_with("NaN")
        || rest.starts_with("Infinity")
        || rest.starts_with("-Infinity")
    {
        Mistake::NanOrInfinity
    } else if what.contains("EOF") {
        Mistake::EndsEarly
    } else if what.contains("trailing characters") {
        Mistake::TrailingText
    } else {
        Mistake::Other
    };
    (
        format!("{what} at line {line}, column {column} (near `{near}`)"),
        mistake,
    )
}

/// Up to 20 characters either side of a byte offset, with control characters
/// shown as escapes so the excerpt stays on one line.
fn excerpt(line: &str, at: usize) -> String {
    let at = (0..=at.min(line.len()))
        .rev()
        .find(|&i| line.is_char_boundary(i))
        .unwrap_or(0);
    let before: String = line[..at]
        .chars()
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = line[at..].chars().take(20).collect();
    format!("{before}{after}")
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn char_name(c: char) -> String {
    match c {
        '\n' => "a line feed".to_owned(),
        '\r' => "a carriage return".to_owned(),
        '\t' => "a tab".to_owned(),
        _ => format!("U+{:04X}", u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, json: &str) {
        match ClientPayload::parse(text, Voice::Workflow) {
            Ok(p) => assert_eq!(p.as_json(), json, "{text}"),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn err(text: &str, parts: &[&str]) {
        match ClientPayload::parse(text, Voice::Workflow) {
            Ok(p) => panic!("{text}: accepted as {}", p.as_json()),
            Err(e) => {
                for part in parts {
                    assert!(e.contains(part), "{text}: '{e}' lacks '{part}'");
                }
            }
        }
    }

    #[test]
    fn payloads_accepted_byte_for_byte() {
        ok("{}", "{}");
        ok("{ }", "{}");
        ok(
            "{\n  \"image_tag\": \"v1.2.3\",\n  \"environment\": \"staging\"\n}",
            r#"{"image_tag":"v1.2.3","environment":"staging"}"#,
        );
        ok(
            r#"{"big": 12345678901234567890123}"#,
            r#"{"big":12345678901234567890123}"#,
        );
        ok(r#"{"n": 9007199254740993}"#, r#"{"n":9007199254740993}"#);
        ok(
            r#"{"f": 1.50, "e": 1E+2, "z": -0}"#,
            r#"{"f":1.50,"e":1E+2,"z":-0}"#,
        );
        ok(
            r#"{"u": "h\u00e9 \ud83d\ude00", "raw": "hé 😀"}"#,
            r#"{"u":"h\u00e9 \ud83d\ude00","raw":"hé 😀"}"#,
        );
        ok(r#"{"s": "a  b\"  c\\"}"#, r#"{"s":"a  b\"  c\\"}"#);
        ok(
            r#"{"nested": {"deep": [1, {"x": null}]}}"#,
            r#"{"nested":{"deep":[1,{"x":null}]}}"#,
        );
        let ten: Vec<String> = (0..10).map(|i| format!("\"k{i}\":{i}")).collect();
        let ten = format!("{{{}}}", ten.join(","));
        ok(&ten, &ten);
    }

    #[test]
    fn payloads_refused() {
        err("", &["empty"]);
        err("\u{feff}{}", &["byte-order mark"]);
        err(
            "{'a': 1}",
            &["line 1, column 2", "double quotes", "single quotes around"],
        );
        err(r#"{"a": 1,}"#, &["trailing comma", "remove the comma"]);
        err("{a: 1}", &["key must be a string", "double quotes"]);
        err("{\"a\": 1 // c\n}", &["comments"]);
        err(r#"{"a": NaN}"#, &["NaN"]);
        err("}", &["line 1, column 1"]);
        err(r#"{"a": 1"#, &["ends early"]);
        err(r#"{"a": 1}}"#, &["more text after"]);
        err(
            "{\"msg\": \"line one\nline two\"}",
            &["line 1, column", "raw line break", "toJSON"],
        );
        err("[1, 2]", &["must be a JSON object", "an array"]);
        err(r#""{\"a\":1}""#, &["a string", "encoded twice"]);
        err("null", &["null"]);
        err("42", &["a number"]);
        err("true", &["a boolean"]);
        err(r#"{"a": 1, "a": 2}"#, &["'a' more than once"]);
        let eleven: Vec<String> = (0..11).map(|i| format!("\"k{i}\":{i}")).collect();
        err(
            &format!("{{{}}}", eleven.join(",")),
            &["11 top-level properties", "k10", "wrap some"],
        );
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        err(&deep, &["nested more than 128"]);
        let deep_ok = format!("{{\"a\":{}1{}}}", "[".repeat(127), "]".repeat(127));
        assert!(ClientPayload::parse(&deep_ok, Voice::Workflow).is_ok());
    }

    #[test]
    fn size_limit_is_exclusive() {
        // {"a":"..."} is 8 bytes of framing around the string.
        let at = |n: usize| format!("{{\"a\":\"{}\"}}", "x".repeat(n - 8));
        assert_eq!(at(65_534).len(), 65_534);
        assert!(ClientPayload::parse(&at(65_534), Voice::Workflow).is_ok());
        err(&at(65_535), &["65535 bytes", "less than 65535"]);
        // Whitespace does not count: it is not sent.
        let spaced = format!("{{ \"a\" : \"{}\" }}{}", "x".repeat(65_526), "");
        assert!(ClientPayload::parse(&spaced, Voice::Workflow).is_ok());
    }

    #[test]
    fn correlation_property() {
        let p = ClientPayload::parse(r#"{"a": 1}"#, Voice::Workflow).unwrap();
        let q = p.with_property("dispatch_id", "abc").unwrap();
        assert_eq!(q.as_json(), r#"{"dispatch_id":"abc","a":1}"#);
        let e = ClientPayload::parse("{}", Voice::Workflow)
            .unwrap()
            .with_property("dispatch_id", "x")
            .unwrap();
        assert_eq!(e.as_json(), r#"{"dispatch_id":"x"}"#);
        let ten: Vec<String> = (0..10).map(|i| format!("\"k{i}\":{i}")).collect();
        let full =
            ClientPayload::parse(&format!("{{{}}}", ten.join(",")), Voice::Workflow).unwrap();
        let msg = full.with_property("dispatch_id", "x").unwrap_err();
        assert!(msg.contains("wait-for-run adds 'dispatch_id'"), "{msg}");
        assert!(msg.contains("makes 11"), "{msg}");
        let taken = ClientPayload::parse(r#"{"dispatch_id": 1}"#, Voice::Workflow).unwrap();
        assert!(
            taken
                .with_property("dispatch_id", "x")
                .unwrap_err()
                .contains("already has")
        );
    }

    #[test]
    fn event_types() {
        assert_eq!(
            EventType::parse("trigger-deploy", Voice::Workflow)
                .unwrap()
                .as_str(),
            "trigger-deploy"
        );
        assert!(EventType::parse(&"é".repeat(100), Voice::Workflow).is_ok());
        assert!(
            EventType::parse(&"x".repeat(101), Voice::Workflow)
                .unwrap_err()
                .contains("101 characters")
        );
        assert!(
            EventType::parse("", Voice::Workflow)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            EventType::parse("a\nb", Voice::Workflow)
                .unwrap_err()
                .contains("line feed")
        );
        assert!(
            EventType::parse("a\u{7}b", Voice::Workflow)
                .unwrap_err()
                .contains("U+0007")
        );
    }

    fn properties(n: usize) -> String {
        let members: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn correlation_key_counts_toward_the_property_limit() {
        // (properties written, whether wait-for-run can add its key)
        for (n, room) in [(0, true), (8, true), (9, true), (10, false)] {
            let p = ClientPayload::parse(&properties(n), Voice::Workflow).unwrap();
            match p.with_property("dispatch_id", "x") {
                Ok(q) => {
                    assert!(room, "{n} properties: accepted as {}", q.as_json());
                    assert_eq!(q.keys().len(), n + 1, "{n} properties");
                    assert_eq!(q.keys()[0], "dispatch_id", "{n} properties");
                }
                Err(e) => {
                    assert!(!room, "{n} properties: {e}");
                    assert!(e.contains(&format!("makes {}", n + 1)), "{e}");
                }
            }
        }
    }

    #[test]
    fn keys_in_the_order_written() {
        for (text, keys) in [
            ("{}", &[][..]),
            (r#"{"b": 1, "a": {"c": 2}}"#, &["b", "a"][..]),
            (
                r#"{"z": [{"y": 1}], "é": null, "": 0}"#,
                &["z", "é", ""][..],
            ),
        ] {
            let p = ClientPayload::parse(text, Voice::Workflow).unwrap();
            assert_eq!(p.keys(), keys, "{text}");
            let q = p.with_property("dispatch_id", "x").unwrap();
            let mut with_id = vec!["dispatch_id"];
            with_id.extend(keys);
            assert_eq!(q.keys(), with_id, "{text}");
        }
    }

    #[test]
    fn depth_counts_nesting_not_brackets() {
        let nest = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        // (payload, accepted): the object itself is one level.
        for (text, accepted) in [
            (format!("{{\"a\":{}}}", nest(127)), true),
            (format!("{{\"a\":{}}}", nest(128)), false),
            // Siblings close what they open: each is 128 deep, not their sum.
            (format!("{{\"a\":{},\"b\":{}}}", nest(127), nest(127)), true),
            ("{\"a\":[[1]],\"b\":[[2]]}".to_owned(), true),
            (
                format!("{{\"a\":[{}]}}", vec![nest(126); 3].join(",")),
                true,
            ),
            // Brackets inside strings, escaped quotes included, are not nesting.
            (format!("{{\"a\":\"{}\"}}", "[{".repeat(200)), true),
            (format!("{{\"a\":\"\\\"{}\"}}", "[".repeat(200)), true),
            (format!("{{\"a\":\"\\\\\",\"b\":{}}}", nest(127)), true),
        ] {
            let got = ClientPayload::parse(&text, Voice::Workflow);
            assert_eq!(
                got.is_ok(),
                accepted,
                "{}: {got:?}",
                &text[..text.len().min(60)]
            );
            if let Err(e) = got {
                assert!(e.contains("nested more than 128 levels"), "{e}");
            }
        }
    }

    #[test]
    fn syntax_errors_show_where_and_what_is_there() {
        // (payload, "at line L, column C (near `...`)"): up to 20 characters
        // either side of the error, control characters escaped.
        for (text, at) in [
            ("{\"a\": 1,}", "at line 1, column 9 (near `{\"a\": 1,}`)"),
            (
                "{\"abcdefghijklmnopqrstuvwxyz\": 1, \"b\": x, \"cdefghijklmnopqrstuvwxyz\": 2}",
                "at line 1, column 40 (near `rstuvwxyz\": 1, \"b\": x, \"cdefghijklmnopqr`)",
            ),
            (
                "{\n  \"a\": 1,\n  \"b\": 'x'\n}",
                "at line 3, column 8 (near `  \"b\": 'x'`)",
            ),
            (
                "{\"é\": \"ü\", \"b\": ?}",
                "at line 1, column 19 (near `{\"é\": \"ü\", \"b\": ?}`)",
            ),
            (
                "{\"msg\": \"a\tb\"}",
                "at line 1, column 10 (near `{\"msg\": \"a\\tb\"}`)",
            ),
            ("{\"a\": 1", "at line 1, column 7 (near `{\"a\": 1`)"),
        ] {
            err(text, &["client-payload is not valid JSON: ", at]);
        }
    }

    #[test]
    fn event_type_limits_and_control_characters() {
        // (event type, None if accepted or a fragment of the refusal)
        for (text, says) in [
            ("trigger-deploy".to_owned(), None),
            ("x".repeat(100), None),
            ("é".repeat(100), None),
            (
                "x".repeat(101),
                Some("101 characters long; GitHub accepts at most 100"),
            ),
            ("x".repeat(250), Some("250 characters long")),
            (
                "a\tb".to_owned(),
                Some("control character (a tab) at character 2"),
            ),
            ("a\nb".to_owned(), Some("(a line feed) at character 2")),
            (
                "ab\r".to_owned(),
                Some("(a carriage return) at character 3"),
            ),
            ("\u{7}".to_owned(), Some("(U+0007) at character 1")),
            ("é\u{85}".to_owned(), Some("(U+0085) at character 2")),
        ] {
            match (EventType::parse(&text, Voice::Workflow), says) {
                (Ok(e), None) => assert_eq!(e.to_string(), text),
                (Err(e), Some(says)) => assert!(e.contains(says), "{text:?}: '{e}' lacks '{says}'"),
                (got, _) => panic!("{text:?}: {got:?}"),
            }
        }
    }

    #[test]
    fn body() {
        let e = EventType::parse("de\"ploy", Voice::Workflow).unwrap();
        let p = ClientPayload::parse(r#"{"n": 1.0}"#, Voice::Workflow).unwrap();
        assert_eq!(
            request_body(&e, &p),
            r#"{"event_type":"de\"ploy","client_payload":{"n":1.0}}"#
        );
    }
}
