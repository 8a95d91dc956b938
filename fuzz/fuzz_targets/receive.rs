//! The receiving step's check of an event (`receive::Receiver::check`), with a
//! fixed schema of the usual shape (a pattern, an enum, an integer range, a
//! free-form string, a `format: "regex"` string, `additionalProperties:
//! false`), `event-types`, `senders` and `env-prefix` set.
//!
//! Input: any bytes, read as the event file of a `repository_dispatch` (and,
//! the same bytes, of a `workflow_dispatch`). Properties, beyond "never
//! panics":
//!
//! * An accepted event's outputs are exactly the declared properties its
//!   payload holds (in the schema's order) and then `payload`; its variables
//!   are exactly those properties under the prefix; no variable's value holds
//!   NUL; `payload` is the payload object (numbers compared by
//!   value: a whole `3.0` is handed out as `3`), which
//!   passes an independent check of the schema's rules.
//! * Each output and variable written as a runner record (`runner_files::heredoc`)
//!   reads back, as the runner reads the file, as exactly that one record.
//! * The `regex` format agrees with boon's own check (compiled separately,
//!   `"format": "regex"`) on the payload's `pattern_text` when it is a string
//!   of at most 512 bytes (boon's check is quadratic, so longer ones are
//!   only judged, which libFuzzer's time-out per input bounds).
//! * A refused event gets at least one violation, and no message is longer
//!   than `MAX_MESSAGE` characters, however long the payload's values and
//!   names are.

#![no_main]

use libfuzzer_sys::fuzz_target;
use repository_dispatch::internals::env::Env;
use repository_dispatch::internals::receive::{Accepted, RawReceive, Receiver, Refused, prepare};
use serde_json::Value;

const SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "image_tag": {"type": "string", "pattern": "^sha-[0-9a-f]{7,40}$"},
    "environment": {"enum": ["staging", "production"]},
    "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
    "note": {"type": "string", "maxLength": 200},
    "pattern_text": {"type": "string", "format": "regex"}
  },
  "required": ["image_tag"],
  "additionalProperties": false
}"#;
const DECLARED: [&str; 5] = [
    "environment",
    "image_tag",
    "note",
    "pattern_text",
    "replicas",
];
/// The longest `pattern_text` compared with boon's own, quadratic, check.
const COMPARED_PATTERN: usize = 512;
const MAX_MESSAGE: usize = 600;

/// Compiled once: the schema is fixed, and compiling it for every input
/// would spend most of the run there.
fn receiver() -> &'static Receiver {
    static RECEIVER: std::sync::OnceLock<Receiver> = std::sync::OnceLock::new();
    RECEIVER.get_or_init(compile)
}

fn compile() -> Receiver {
    let raw = RawReceive {
        schema: Some(SCHEMA.to_owned()),
        event_types: Some("trigger-deploy".to_owned()),
        senders: Some("octocat, deploy-bot[bot]".to_owned()),
        env_prefix: Some("DEPLOY_".to_owned()),
        ..RawReceive::default()
    };
    prepare(&raw, &Env::default()).expect("the fixed schema compiles")
}

/// boon's own `format: "regex"` check, compiled once.
fn boon_regex() -> &'static (boon::Schemas, boon::SchemaIndex) {
    static BOON: std::sync::OnceLock<(boon::Schemas, boon::SchemaIndex)> =
        std::sync::OnceLock::new();
    BOON.get_or_init(|| {
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler
            .add_resource("urn:fuzz:regex", serde_json::json!({"format": "regex"}))
            .expect("a fixed schema");
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile("urn:fuzz:regex", &mut schemas)
            .expect("a fixed schema");
        (schemas, index)
    })
}

/// The payload's `pattern_text`, short enough for boon's own check: the step
/// accepts an event holding only it (and the required `image_tag`) exactly
/// when boon says it is a regex.
fn check_regex_format(data: &[u8]) {
    let Ok(event) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Some(Value::String(text)) = event.pointer("/client_payload/pattern_text") else {
        return;
    };
    if text.len() > COMPARED_PATTERN {
        return;
    }
    let (schemas, index) = boon_regex();
    let boon_says = schemas
        .validate(&Value::String(text.clone()), *index)
        .is_ok();
    let event = serde_json::json!({
        "action": "trigger-deploy",
        "client_payload": {"image_tag": "sha-0123abc", "pattern_text": text},
        "sender": {"login": "octocat"},
    });
    let ours = receiver()
        .check("repository_dispatch", event.to_string().as_bytes())
        .is_ok();
    assert_eq!(ours, boon_says, "format regex on {text:?}");
}

fuzz_target!(|data: &[u8]| {
    check_regex_format(data);
    let receiver = receiver();
    for name in ["repository_dispatch", "workflow_dispatch"] {
        match receiver.check(name, data) {
            Ok(accepted) => check_accepted(name, data, &accepted),
            Err(Refused::Event(v)) => {
                assert!(v.message.chars().count() <= MAX_MESSAGE, "{}", v.message);
            }
            Err(Refused::Invalid(violations)) => {
                assert!(!violations.is_empty());
                for v in violations {
                    assert!(v.message.chars().count() <= MAX_MESSAGE, "{}", v.message);
                }
            }
        }
    }
});

fn check_accepted(name: &str, data: &[u8], accepted: &Accepted) {
    let event: Value = serde_json::from_slice(data).expect("an accepted event is JSON");
    let member = if name == "repository_dispatch" {
        "client_payload"
    } else {
        "inputs"
    };
    let payload = match event.get(member) {
        None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
        Some(v) => v.clone(),
    };
    let object = payload
        .as_object()
        .expect("an accepted payload is an object");
    // The schema's rules, checked independently.
    assert!(
        object.keys().all(|k| DECLARED.contains(&k.as_str())),
        "{object:?}"
    );
    let tag = object["image_tag"].as_str().expect("image_tag is a string");
    assert!(tag.starts_with("sha-") && (11..=44).contains(&tag.len()));
    assert!(
        tag[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    if let Some(e) = object.get("environment") {
        assert!(e == "staging" || e == "production", "{e}");
    }
    if let Some(r) = object.get("replicas") {
        assert!(
            r.as_f64()
                .is_some_and(|r| r.fract() == 0.0 && (1.0..=10.0).contains(&r)),
            "{r}"
        );
    }
    if let Some(n) = object.get("note") {
        assert!(n.as_str().is_some_and(|n| n.chars().count() <= 200));
    }
    if name == "repository_dispatch" {
        assert_eq!(event["action"], "trigger-deploy");
    }
    let sender = event["sender"]["login"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        sender == "octocat" || sender == "deploy-bot[bot]",
        "{sender}"
    );

    let expected: Vec<&str> = DECLARED
        .iter()
        .copied()
        .filter(|d| object.contains_key(*d))
        .collect();
    let names: Vec<&str> = accepted.outputs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..names.len() - 1], expected[..]);
    assert_eq!(names.last(), Some(&"payload"));
    let handed: Value = serde_json::from_str(&accepted.outputs.last().expect("payload").1)
        .expect("the payload output is JSON");
    assert!(same(&handed, &payload), "{handed} is not {payload}");
    let vars: Vec<String> = accepted.env.iter().map(|(n, _)| n.clone()).collect();
    let expected_vars: Vec<String> = expected
        .iter()
        .map(|d| format!("DEPLOY_{}", d.to_ascii_uppercase()))
        .collect();
    assert_eq!(vars, expected_vars);
    for (var, value) in &accepted.env {
        assert!(!value.contains('\0'), "{var}");
    }
    for (name, value) in accepted.outputs.iter().chain(&accepted.env) {
        let record = repository_dispatch::internals::runner_files::heredoc(name, value)
            .expect("random numbers");
        assert_eq!(read_records(&record), [(name.clone(), value.clone())]);
    }
}

/// The same JSON value, numbers compared by value (`3.0` is handed out as `3`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Reads a runner file's records as the runner does.
fn read_records(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text
        .strip_suffix('\n')
        .expect("records end with a line break")
        .split('\n');
    while let Some(line) = lines.next() {
        let (name, delimiter) = line.split_once("<<").expect("name<<DELIMITER");
        let mut value = Vec::new();
        for l in lines.by_ref() {
            if l == delimiter {
                break;
            }
            value.push(l);
        }
        out.push((name.to_owned(), value.join("\n")));
    }
    out
}
