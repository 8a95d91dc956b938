//! A violation as a person reads it: rendered from boon's error kinds, with
//! values from the payload shown only as escaped JSON cut short.

use serde_json::Value;

use super::regex_format;

/// The URL the schema is known by inside boon; never fetched (nothing is).
pub(super) const SCHEMA_URL: &str = "urn:repository-dispatch:receive:schema";

/// The most violations printed one by one; the rest are counted.
pub(super) const MAX_ERRORS: usize = 20;
/// How much of a value from the payload an error shows, in characters of its
/// JSON text.
pub(super) const SHOWN_VALUE: usize = 60;
/// How much of a JSON pointer (whose names may come from the payload) or of a
/// schema's value an error shows.
pub(super) const SHOWN_TEXT: usize = 100;

/// The messages of a validation error's leaves, each `/pointer: rule: ...`.
#[allow(clippy::too_many_lines)] // one arm per JSON Schema keyword: a table, clearest whole
pub(super) fn describe(
    e: &boon::ValidationError<'_, '_>,
    payload: &Value,
    schema: &Value,
    out: &mut Vec<String>,
) {
    use boon::ErrorKind as K;
    let at = e.instance_location.to_string();
    let value = || {
        payload
            .pointer(&at)
            .map_or_else(|| "nothing".to_owned(), shown)
    };
    let here = if at.is_empty() {
        String::new()
    } else {
        shown_pointer(&at)
    };
    let mut say = |rule: &str, what: String| out.push(format!("{here}: {rule}: {what}"));
    match &e.kind {
        K::Group | K::Schema { .. } | K::Reference { .. } | K::AllOf | K::ContentSchema => {
            if e.causes.is_empty() {
                say("schema", "does not match".to_owned());
            }
            for c in &e.causes {
                describe(c, payload, schema, out);
            }
        }
        K::Required { want } => {
            for name in want {
                out.push(format!(
                    "{here}/{}: required: missing (the schema requires it)",
                    shown_pointer(&pointer_token(name))
                ));
            }
        }
        K::AdditionalProperties { got } => {
            for name in got {
                out.push(format!(
                    "{here}/{}: additionalProperties: not allowed (the schema does not declare this property)",
                    shown_pointer(&pointer_token(name))
                ));
            }
        }
        K::DependentRequired { prop, missing } | K::Dependency { prop, missing } => say(
            "dependentRequired",
            format!(
                "{} needs {}, which {} missing",
                json_text(prop),
                missing
                    .iter()
                    .map(|m| json_text(m))
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() == 1 { "is" } else { "are" }
            ),
        ),
        K::Type { got, want } => say(
            "type",
            format!(
                "expected {}, got {got} {}",
                want.iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
                value()
            ),
        ),
        K::Enum { want } => say(
            "enum",
            format!(
                "expected one of {}, got {}",
                cut(
                    &want
                        .iter()
                        .map(Value::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    SHOWN_TEXT
                ),
                value()
            ),
        ),
        K::Const { want } => say(
            "const",
            format!(
                "expected {}, got {}",
                cut(&want.to_string(), SHOWN_TEXT),
                value()
            ),
        ),
        K::Pattern { want, .. } => say(
            "pattern",
            format!(
                "expected a string matching {}, got {}",
                cut(
                    as_written(schema, e.schema_url, "pattern").unwrap_or(want),
                    SHOWN_TEXT
                ),
                value()
            ),
        ),
        K::Format { want, .. } => say(
            "format",
            format!(
                "expected a valid {}, got {}",
                if *want == regex_format::NAME {
                    "regex"
                } else {
                    want
                },
                value()
            ),
        ),
        K::MinLength { got, want } => say(
            "minLength",
            format!(
                "expected at least {want} characters, got {got}: {}",
                value()
            ),
        ),
        K::MaxLength { got, want } => say(
            "maxLength",
            format!("expected at most {want} characters, got {got}: {}", value()),
        ),
        K::Minimum { got, want } => say("minimum", format!("expected at least {want}, got {got}")),
        K::Maximum { got, want } => say("maximum", format!("expected at most {want}, got {got}")),
        K::ExclusiveMinimum { got, want } => {
            say(
                "exclusiveMinimum",
                format!("expected more than {want}, got {got}"),
            );
        }
        K::ExclusiveMaximum { got, want } => {
            say(
                "exclusiveMaximum",
                format!("expected less than {want}, got {got}"),
            );
        }
        K::MultipleOf { got, want } => {
            say(
                "multipleOf",
                format!("expected a multiple of {want}, got {got}"),
            );
        }
        K::MinProperties { got, want } => say(
            "minProperties",
            format!("expected at least {want} properties, got {got}"),
        ),
        K::MaxProperties { got, want } => say(
            "maxProperties",
            format!("expected at most {want} properties, got {got}"),
        ),
        K::MinItems { got, want } => {
            say(
                "minItems",
                format!("expected at least {want} items, got {got}"),
            );
        }
        K::MaxItems { got, want } => {
            say(
                "maxItems",
                format!("expected at most {want} items, got {got}"),
            );
        }
        K::UniqueItems { got: [i, j] } => say(
            "uniqueItems",
            format!("expected unique items, but items {i} and {j} are equal"),
        ),
        K::AdditionalItems { got } => say(
            "items",
            format!("expected at most {got} items (no more are allowed)"),
        ),
        K::Contains => say("contains", "no item matches the schema".to_owned()),
        K::MinContains { got, want } => say(
            "minContains",
            format!("expected at least {want} matching items, got {}", got.len()),
        ),
        K::MaxContains { got, want } => say(
            "maxContains",
            format!("expected at most {want} matching items, got {}", got.len()),
        ),
        K::FalseSchema => say(
            "false",
            format!("the schema allows nothing here, got {}", value()),
        ),
        K::PropertyName { prop } => say(
            "propertyNames",
            format!(
                "the property name {} is not allowed",
                shown(&Value::String(prop.clone()))
            ),
        ),
        K::Not => say("not", format!("must not match the schema, got {}", value())),
        K::AnyOf | K::OneOf(None) => say(
            if matches!(e.kind, K::AnyOf) {
                "anyOf"
            } else {
                "oneOf"
            },
            format!("matches none of the alternatives, got {}", value()),
        ),
        K::OneOf(Some((i, j))) => say(
            "oneOf",
            format!("matches alternatives {i} and {j}, but must match exactly one"),
        ),
        K::ContentEncoding { want, .. } => say("contentEncoding", format!("expected {want}")),
        K::ContentMediaType { want, .. } => say("contentMediaType", format!("expected {want}")),
        K::RefCycle { .. } => say("$ref", "the schema refers to itself in a loop".to_owned()),
    }
}

/// A keyword's string as the schema writes it, found from the location boon
/// gives (`SCHEMA_URL#/pointer`); boon's own copy of a `pattern` is already
/// translated for the regex crate (`\d` becomes `[0-9]`).
pub(super) fn as_written<'s>(schema: &'s Value, location: &str, keyword: &str) -> Option<&'s str> {
    let pointer = location.strip_prefix(SCHEMA_URL)?.strip_prefix('#')?;
    schema.pointer(pointer)?.get(keyword)?.as_str()
}

/// A JSON pointer (whose names may come from the payload) as a message
/// shows it: control characters, line breaks included, as escapes; cut short.
pub(super) fn shown_pointer(pointer: &str) -> String {
    cut(&crate::action::report::visible(pointer, false), SHOWN_TEXT)
}

/// A property name as a JSON pointer token (`~` → `~0`, `/` → `~1`).
pub(super) fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value from the payload as an error shows it: its JSON text (every
/// control character escaped), cut to [`SHOWN_VALUE`] characters.
pub(super) fn shown(v: &Value) -> String {
    let text = v.to_string();
    let chars = text.chars().count();
    if chars <= SHOWN_VALUE {
        text
    } else {
        format!(
            "{}… ({chars} characters)",
            text.chars().take(SHOWN_VALUE).collect::<String>()
        )
    }
}

/// A text of the schema's as JSON (quoted, escaped).
pub(super) fn json_text(s: &str) -> String {
    cut(&Value::String(s.to_owned()).to_string(), SHOWN_TEXT)
}

pub(super) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
