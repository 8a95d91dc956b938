//! `client-payload` and `event-type` validation, and the request body built
//! from them.
//!
//! Input: any bytes; UTF-8 inputs are validated as a payload and as an event
//! type. Properties, beyond "never panics":
//!
//! * An accepted payload's `as_json()` is the input with only insignificant
//!   whitespace removed: the same tokens, byte for byte (numbers, escapes and
//!   Unicode as written), no whitespace between them; it is an object of at most
//!   `MAX_PROPERTIES` distinct keys (compared decoded, as JSON readers do), in
//!   the order written and equal to `keys()`; it is shorter than
//!   `PAYLOAD_SIZE_LIMIT` and nested at most `MAX_DEPTH` deep; parsing it again
//!   gives the same payload; its `serde_json::Value` equals the input's (or both
//!   fail to convert, for the same reason: a number out of `f64` range, a lone
//!   surrogate in a string value, or `serde_json`'s own depth limit, which the
//!   library's validation does not share — it keeps such text as written).
//! * A refused payload is refused for a reason: it is not an acceptable object
//!   by an independent oracle (`serde_json::Value` plus the lexer's key count,
//!   key uniqueness, size and depth).
//! * `request_body` is `{"event_type":...,"client_payload":...}`: exactly those
//!   keys, the event type decoding to the given one, the payload embedded as is.
//! * `with_property` errs exactly when the key is taken, the object is full, or
//!   the result would reach the size limit; otherwise the new key comes first
//!   and the result is itself a valid payload.
//! * `EventType::parse` accepts exactly the non-empty texts of at most 100
//!   characters without control characters.

#![no_main]

use libfuzzer_sys::fuzz_target;
use repository_dispatch::internals::payload::{
    ClientPayload, EventType, MAX_DEPTH, MAX_EVENT_TYPE_CHARS, MAX_PROPERTIES, PAYLOAD_SIZE_LIMIT,
    request_body,
};
use repository_dispatch::internals::voice::Voice;
use repository_dispatch_fuzz::{Tok, check_body, decode_str, depth, lex, top_level_keys};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let event_type = check_event_type(text);
    match ClientPayload::parse(text, Voice::Workflow) {
        Ok(p) => accepted(text, &p, event_type.as_ref()),
        Err(message) => refused(text, &message),
    }
});

fn check_event_type(text: &str) -> Option<EventType> {
    let expected = !text.is_empty()
        && text.chars().count() <= MAX_EVENT_TYPE_CHARS
        && !text.chars().any(char::is_control);
    match EventType::parse(text, Voice::Workflow) {
        Ok(e) => {
            assert!(expected, "event type {text:?} accepted");
            assert_eq!(e.as_str(), text);
            Some(e)
        }
        Err(m) => {
            assert!(!expected, "event type {text:?} refused: {m}");
            assert!(!m.is_empty());
            None
        }
    }
}

/// What `serde_json::Value` makes of a text: `Ok`, or the kind of error without
/// its position.
fn value(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        full.split(" at line ").next().unwrap_or(&full).to_owned()
    })
}

fn accepted(text: &str, p: &ClientPayload, event_type: Option<&EventType>) {
    let json = p.as_json();
    let (in_toks, in_ws) = lex(text);
    let (toks, ws) = lex(json);

    // Only insignificant whitespace removed, every token as written.
    assert_eq!(ws, 0, "whitespace left between tokens: {json}");
    assert_eq!(toks, in_toks, "tokens changed: {text:?} -> {json}");
    assert_eq!(json.len() + in_ws, text.len(), "{text:?} -> {json}");
    let rebuilt: String = toks.iter().map(Tok::text).collect();
    assert_eq!(rebuilt, json);

    // An object of distinct keys, in order, within GitHub's limits.
    assert!(json.starts_with('{') && json.ends_with('}'), "{json}");
    assert!(
        json.len() < PAYLOAD_SIZE_LIMIT,
        "{} bytes accepted",
        json.len()
    );
    assert!(depth(&toks) <= MAX_DEPTH, "nested {} deep", depth(&toks));
    let keys: Vec<String> = top_level_keys(&toks)
        .into_iter()
        .map(|k| decode_str(k).unwrap_or_else(|| panic!("key {k} does not decode: {json}")))
        .collect();
    assert_eq!(keys, p.keys(), "{json}");
    assert!(keys.len() <= MAX_PROPERTIES, "{} keys: {json}", keys.len());
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "repeated key accepted: {json}");

    // Idempotent.
    let again = ClientPayload::parse(json, Voice::Workflow)
        .unwrap_or_else(|e| panic!("{json} re-parsed: {e}"));
    assert_eq!(&again, p);

    // The same value as the input.
    match (value(text), value(json)) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{text:?} -> {json}");
            assert!(b.is_object(), "{json}");
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "{text:?} -> {json}");
            assert!(
                a == "number out of range"
                    // A lone surrogate escape: serde_json reports a leading
                    // surrogate without its pair as the end of the escape.
                    || a == "lone leading surrogate in hex escape"
                    || a == "unexpected end of hex escape"
                    || a == "recursion limit exceeded",
                "accepted, but serde_json says: {a}: {text:?}"
            );
        }
        (a, b) => panic!("{text:?}: input {a:?}, as_json {b:?}"),
    }

    // The request body.
    let fixed = EventType::parse("de\"ploy\u{e9}\\", Voice::Workflow).unwrap();
    for et in [Some(&fixed), event_type].into_iter().flatten() {
        check_body(&request_body(et, p), et.as_str(), json);
    }

    // The correlation property.
    for (key, val) in [
        ("dispatch_id", "0f9e8d7c-6b5a-4321-8fed-cba987654321"),
        ("k\"\\\n\u{1}é", "v\"\u{7f}\u{2028}"),
    ] {
        check_with_property(p, key, val);
    }
}

fn check_with_property(p: &ClientPayload, key: &str, val: &str) {
    let member = format!(
        "{}:{}",
        serde_json::to_string(key).unwrap(),
        serde_json::to_string(val).unwrap()
    );
    let comma = usize::from(!p.keys().is_empty());
    let size = p.as_json().len() + member.len() + comma;
    let taken = p.keys().iter().any(|k| k == key);
    let full = p.keys().len() >= MAX_PROPERTIES;
    let too_big = size >= PAYLOAD_SIZE_LIMIT;
    match p.with_property(key, val) {
        Ok(q) => {
            assert!(
                !taken && !full && !too_big,
                "with_property({key:?}) accepted: taken {taken}, full {full}, {size} bytes: {}",
                p.as_json()
            );
            assert_eq!(q.as_json().len(), size);
            assert!(
                q.as_json().starts_with(&format!("{{{member}")),
                "{}",
                q.as_json()
            );
            assert_eq!(q.keys()[0], key);
            assert_eq!(&q.keys()[1..], p.keys());
            let again = ClientPayload::parse(q.as_json(), Voice::Workflow)
                .unwrap_or_else(|e| panic!("with_property gave {}: {e}", q.as_json()));
            assert_eq!(again, q);
        }
        Err(m) => {
            assert!(
                taken || full || too_big,
                "with_property({key:?}) refused ({m}): {}",
                p.as_json()
            );
            assert!(!m.is_empty());
        }
    }
}

fn refused(text: &str, message: &str) {
    assert!(!message.is_empty(), "empty message for {text:?}");
    // An independent verdict: would a careful reader accept this?
    let Ok(serde_json::Value::Object(_)) = value(text) else {
        return;
    };
    if text.starts_with('\u{feff}') {
        return;
    }
    let (toks, ws) = lex(text);
    let keys: Vec<Option<String>> = top_level_keys(&toks).into_iter().map(decode_str).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    let acceptable = sorted.len() == keys.len()
        && keys.len() <= MAX_PROPERTIES
        && text.len() - ws < PAYLOAD_SIZE_LIMIT
        && depth(&toks) <= MAX_DEPTH;
    assert!(!acceptable, "refused a valid payload ({message}): {text:?}");
}
