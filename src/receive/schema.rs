//! The schema: read, checked for what boon would ignore or could not judge in
//! linear time, compiled, and the names it declares for outputs and variables.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::options::RawReceive;
use super::violations::{SCHEMA_URL, SHOWN_TEXT, cut, json_text, pointer_token, shown_pointer};
use super::{env_names, regex_format};
use crate::action::env::{About, Env, InputError};
use crate::util::files;

/// The most a schema file may hold.
pub const MAX_SCHEMA_BYTES: u64 = 1024 * 1024;

/// The event kinds this step validates, and what it validates in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `client_payload`.
    RepositoryDispatch,
    /// `inputs`.
    WorkflowDispatch,
}

impl Kind {
    /// The kind of the event named `event_name` (`GITHUB_EVENT_NAME`), if it
    /// is one this step validates.
    pub(super) fn of(event_name: &str) -> Option<Self> {
        match event_name {
            "repository_dispatch" => Some(Self::RepositoryDispatch),
            "workflow_dispatch" => Some(Self::WorkflowDispatch),
            _ => None,
        }
    }

    pub(super) fn member(self) -> &'static str {
        match self {
            Self::RepositoryDispatch => "client_payload",
            Self::WorkflowDispatch => "inputs",
        }
    }
}

/// A compiled schema and the names it hands out.
pub struct Receiver {
    /// The schema as written, for messages.
    pub(super) schema: Value,
    /// What the schema says that checks nothing (unknown formats).
    pub warnings: Vec<String>,
    pub(super) schemas: boon::Schemas,
    pub(super) index: boon::SchemaIndex,
    /// The top-level properties the schema declares (its `properties`), each
    /// with the environment variable it becomes under `env-prefix`.
    pub(super) declared: Vec<(String, Option<String>)>,
    pub(super) event_types: Vec<String>,
    pub(super) senders: Vec<String>,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("declared", &self.declared)
            .field("event_types", &self.event_types)
            .field("senders", &self.senders)
            .finish_non_exhaustive()
    }
}

/// A loader that loads nothing: a `$ref` may point only inside the schema
/// (and to the drafts' metaschemas, which boon holds).
pub(super) struct NoLoader;

impl boon::UrlLoader for NoLoader {
    fn load(&self, url: &str) -> Result<Value, Box<dyn std::error::Error>> {
        Err(format!("{url} is outside the schema, and this step loads nothing: put the definition under $defs and use \"$ref\": \"#/$defs/...\"").into())
    }
}

/// The schema's text and how to name it in messages (`schema`, or
/// `schema-file PATH`).
pub(super) fn schema_text(raw: &RawReceive, env: &Env) -> Result<(Vec<u8>, String), InputError> {
    Ok(match (&raw.schema, &raw.schema_file) {
        (Some(text), None) => (text.clone().into_bytes(), "schema".to_owned()),
        (None, Some(path)) => {
            let full = match env.path("GITHUB_WORKSPACE") {
                Some(workspace) if Path::new(path).is_relative() => workspace.join(path),
                _ => PathBuf::from(path),
            };
            let bytes = files::read_capped(&full, MAX_SCHEMA_BYTES).map_err(|e| {
                InputError::new(
                    "schema-file",
                    format!(
                        "schema-file {} could not be read ({e:#}): give the path of the schema relative to the repository's root, and check out the repository first (actions/checkout)",
                        full.display()
                    ),
                )
            })?;
            (bytes, format!("schema-file {path}"))
        }
        (Some(_), Some(_)) => {
            return Err(InputError::new(
                "schema",
                "both schema and schema-file are set: give one of them",
            ));
        }
        (None, None) => {
            return Err(InputError::new(
                "schema",
                "no schema: set schema (the JSON Schema as JSON text) or schema-file (its path in the repository)",
            ));
        }
    })
}

/// Checks the settings and compiles the schema.
///
/// Returns an error if and only if the schema is missing, given twice, cannot
/// be read, is not JSON, is not a valid JSON Schema (its `$schema`'s draft, or
/// 2020-12), uses a regex the linear-time engine cannot run, a `format` this
/// build cannot check, a `$ref` loop, keywords its draft ignores beside a
/// `$ref` (anywhere), or a `format: "regex"` inside a value a `$ref` may
/// point into, or declares a property that cannot be an output or variable
/// name; or `env-prefix` is not a safe variable prefix, or would make a
/// variable of [`env_names::DENIED`]; or `senders` or `event-types` is given
/// but names nothing.
pub fn prepare(raw: &RawReceive, env: &Env) -> Result<Receiver, InputError> {
    let (text, source) = schema_text(raw, env)?;
    let schema: Value = serde_json::from_slice(&text).map_err(|e| {
        InputError::about(
            About::Content,
            "schema",
            schema_syntax_error(&source, &text, &e),
        )
    })?;
    if !(schema.is_object() || schema.is_boolean()) {
        return Err(InputError::about(
            About::Content,
            "schema",
            format!(
                "{source} is JSON but not a schema: a JSON Schema is an object (or true/false)"
            ),
        ));
    }
    let meta = schema
        .get("$schema")
        .and_then(Value::as_str)
        .map(str::to_owned);
    check_ref_siblings(&schema, meta.as_deref())
        .map_err(|m| InputError::about(About::Content, "schema", format!("{source}: {m}")))?;
    let for_boon = with_linear_regex_format(&schema, meta.as_deref())
        .map_err(|m| InputError::about(About::Content, "schema", format!("{source}: {m}")))?;
    if let Some((at, format)) = unsupported_format(&schema, &mut String::new()) {
        return Err(InputError::about(
            About::Content,
            "schema",
            format!(
                "{source}: \"format\": \"{format}\" at #{at} cannot be checked by this build (it has no Unicode IDNA tables, so it would refuse every non-ASCII value): use hostname, email or uri for ASCII values, or a pattern"
            ),
        ));
    }
    let declared_names: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.enable_format_assertions();
    compiler.use_loader(Box::new(NoLoader));
    compiler.register_format(regex_format::FORMAT);
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .add_resource(SCHEMA_URL, for_boon)
        .map_err(Box::new)
        .and_then(|()| compiler.compile(SCHEMA_URL, &mut schemas).map_err(Box::new))
        .map_err(|e| {
            InputError::about(
                About::Content,
                "schema",
                format!("{source}: {}", compile_error(&e, meta.as_deref())),
            )
        })?;
    // A `$ref` loop shows only when validating: probe one value of each type,
    // so that a broken schema stops here (exit 2), not on the event.
    for probe in [
        json!(null),
        json!({}),
        json!([]),
        json!(""),
        json!(0),
        json!(true),
    ] {
        if let Err(e) = schemas.validate(&probe, index)
            && has_ref_cycle(&e)
        {
            return Err(InputError::about(
                About::Content,
                "schema",
                format!("{source}: a $ref refers to itself in a loop: point it at a schema"),
            ));
        }
    }
    let prefix = raw
        .env_prefix
        .as_deref()
        .map(|p| check_prefix(p).map(|()| p))
        .transpose()?;
    let declared = names(declared_names, prefix)?;
    Ok(Receiver {
        warnings: unknown_formats(&schema),
        schema,
        schemas,
        index,
        declared,
        event_types: accept_list("event-types", "event type", raw.event_types.as_deref())?,
        senders: accept_list("senders", "sender", raw.senders.as_deref())?
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect(),
    })
}

/// The outputs the declared properties become, each with its variable under
/// `prefix`; refused if two would clash or a name is unsafe.
pub(super) fn names(
    declared_names: Vec<String>,
    prefix: Option<&str>,
) -> Result<Vec<(String, Option<String>)>, InputError> {
    let mut declared: Vec<(String, Option<String>)> = Vec::new();
    for name in declared_names {
        check_output_name(&name)?;
        if let Some((other, _)) = declared.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            return Err(InputError::about(
                About::Content,
                "schema",
                format!(
                    "the properties {} and {} differ only in case, and the runner reads output names without regard to case: rename one of them",
                    json_text(other),
                    json_text(&name)
                ),
            ));
        }
        let var = prefix.map(|p| env_name(p, &name));
        if let Some(var) = &var {
            check_env_name(var, &name)?;
            if let Some((other, _)) = declared.iter().find(|(_, v)| v.as_ref() == Some(var)) {
                return Err(InputError::about(
                    About::Content,
                    "schema",
                    format!(
                        "the properties {} and {} would both be exported as {var}: rename one of them",
                        json_text(other),
                        json_text(&name)
                    ),
                ));
            }
        }
        declared.push((name, var));
    }
    Ok(declared)
}

/// Keywords whose value is data, not schemas: nothing inside them is a
/// keyword.
pub(super) const VALUE_KEYWORDS: &[&str] = &["const", "enum", "default", "examples"];
/// Keywords whose value maps names (property names, definition names), not
/// keywords, to schemas.
pub(super) const NAMED_SCHEMAS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "dependencies",
];

/// Calls `visit` on every schema object in `v` (the root first, then in
/// document order) with its JSON pointer and whether its draft is one before
/// 2019-09 (`old`; a `$schema` inside changes it for what it holds).
///
/// Walked: what each keyword holds, except the values of [`VALUE_KEYWORDS`];
/// under [`NAMED_SCHEMAS`], the schemas and not their names. An unknown
/// keyword's object or array is walked too: a `$ref` may point into it, and
/// boon then compiles it as a schema.
pub(super) fn each_schema<'v, F>(v: &'v Value, at: &mut String, old: bool, visit: &mut F)
where
    F: FnMut(&'v Map<String, Value>, &str, bool),
{
    match v {
        Value::Object(o) => {
            let old = o
                .get("$schema")
                .and_then(Value::as_str)
                .map_or(old, old_draft);
            visit(o, at, old);
            for (k, child) in o {
                if VALUE_KEYWORDS.contains(&k.as_str()) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&pointer_token(k));
                match child {
                    Value::Object(named) if NAMED_SCHEMAS.contains(&k.as_str()) => {
                        for (name, schema) in named {
                            let len = at.len();
                            at.push('/');
                            at.push_str(&pointer_token(name));
                            each_schema(schema, at, old, visit);
                            at.truncate(len);
                        }
                    }
                    _ => each_schema(child, at, old, visit),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                let _ = write!(at, "/{i}");
                each_schema(item, at, old, visit);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether `$schema` names draft 4, 6 or 7, which ignore every keyword beside
/// a `$ref`.
pub(super) fn old_draft(meta: &str) -> bool {
    ["draft-04", "draft-06", "draft-07"]
        .iter()
        .any(|d| meta.contains(d))
}

/// Keywords that may stand beside a `$ref` in any draft: they check nothing
/// (annotations), or hold schemas a `$ref` may name (`definitions`).
pub(super) const BESIDE_A_REF: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "id",
    "definitions",
    "title",
    "description",
    "$comment",
    "default",
    "examples",
];

/// The drafts before 2019-09 ignore every keyword beside a `$ref`: a
/// `properties`, `pattern` or `maxLength` there would be handed out
/// unchecked, at the top level or in any schema below it.
///
/// Returns an error if and only if such a keyword stands beside a `$ref` in a
/// schema of draft 4, 6 or 7, naming each keyword and where.
pub(super) fn check_ref_siblings(schema: &Value, meta: Option<&str>) -> Result<(), String> {
    let mut ignored: Vec<String> = Vec::new();
    each_schema(
        schema,
        &mut String::new(),
        meta.is_some_and(old_draft),
        &mut |o, at, old| {
            if !old || !o.get("$ref").is_some_and(Value::is_string) {
                return;
            }
            let mut keys: Vec<&str> = o
                .keys()
                .map(String::as_str)
                .filter(|k| !BESIDE_A_REF.contains(k))
                .collect();
            if !keys.is_empty() {
                keys.sort_unstable();
                ignored.push(format!("{} at #{}", keys.join(", "), shown_pointer(at)));
            }
        },
    );
    if ignored.is_empty() {
        return Ok(());
    }
    Err(format!(
        "its draft ignores every keyword beside a $ref, so these would not be checked: {}: wrap the $ref and its keywords in allOf, as in {{\"allOf\": [{{\"$ref\": \"#/definitions/s\"}}, {{\"maxLength\": 10}}]}}, or use draft 2020-12 (which applies both)",
        ignored.join("; ")
    ))
}

/// The schema as boon gets it: every `"format": "regex"` of a schema names
/// this step's linear-time check instead ([`regex_format`]), since boon's
/// own is quadratic and cannot be replaced under its name.
///
/// Returns an error if and only if a `"format": "regex"` is left inside a
/// value (`const`, `enum`, `default`, `examples`) that a `$ref` may point
/// into: boon would check that one with its own, quadratic, code.
pub(super) fn with_linear_regex_format(
    schema: &Value,
    meta: Option<&str>,
) -> Result<Value, String> {
    let mut places = Vec::new();
    let mut refs = Vec::new();
    each_schema(
        schema,
        &mut String::new(),
        meta.is_some_and(old_draft),
        &mut |o, at, _| {
            if o.get("format").and_then(Value::as_str) == Some("regex") {
                places.push(at.to_owned());
            }
            for keyword in ["$ref", "$dynamicRef", "$recursiveRef"] {
                if let Some(r) = o.get(keyword).and_then(Value::as_str) {
                    refs.push(r.to_owned());
                }
            }
        },
    );
    let mut for_boon = schema.clone();
    for at in &places {
        if let Some(Value::Object(o)) = for_boon.pointer_mut(at) {
            o.insert(
                "format".to_owned(),
                Value::String(regex_format::NAME.to_owned()),
            );
        }
    }
    if holds_regex_format(&for_boon)
        && let Some(r) = refs.iter().find(|r| {
            let r = percent_encoding::percent_decode_str(r).decode_utf8_lossy();
            VALUE_KEYWORDS.iter().any(|k| r.contains(k))
        })
    {
        return Err(format!(
            "the $ref {} may point into a value (const, enum, default or examples) that holds \"format\": \"regex\", which this step can check only in a schema: move that schema under $defs and point the $ref there",
            json_text(r)
        ));
    }
    Ok(for_boon)
}

/// Whether any object anywhere in `v`, values included, says
/// `"format": "regex"`.
pub(super) fn holds_regex_format(v: &Value) -> bool {
    match v {
        Value::Object(o) => {
            o.get("format").and_then(Value::as_str) == Some("regex")
                || o.values().any(holds_regex_format)
        }
        Value::Array(items) => items.iter().any(holds_regex_format),
        _ => false,
    }
}

/// A schema that is not JSON, said as the sender says a `client-payload`
/// that is not ([`crate::github::payload::json_mistake`]): where, the text near the
/// mistake, and what to do about it in a schema.
pub(super) fn schema_syntax_error(source: &str, text: &[u8], e: &serde_json::Error) -> String {
    use crate::github::payload::Mistake as M;
    let text = String::from_utf8_lossy(text);
    let (located, mistake) = crate::github::payload::json_mistake(&text, e);
    let hint = match mistake {
        M::RawLineBreak => {
            "a string holds a raw line break or tab: write it as \\n or \\t inside the string"
        }
        M::SingleQuotes => "JSON strings and keys take double quotes",
        M::UnquotedKeys => "keys must be in double quotes, as in {\"type\": \"object\"}",
        M::EndsEarly => {
            "the JSON ends early: a brace, bracket or quote is not closed; give a multi-line schema as a YAML block (schema: |) or in a file (schema-file)"
        }
        M::Other => {
            "check the JSON near there (jq . FILE shows the first mistake); in a workflow, give the schema as a YAML block (schema: |) or in a file (schema-file)"
        }
        other => other.hint().unwrap_or_default(),
    };
    format!("{source} is not valid JSON: {located}: {hint}")
}

/// Formats this build cannot check fairly: they need IDNA's Unicode tables,
/// which the binary leaves out (`idna_adapter` pinned to its ASCII-only
/// version), so every non-ASCII value would be refused.
pub(super) const UNSUPPORTED_FORMATS: &[&str] =
    &["idn-hostname", "idn-email", "iri", "iri-reference"];

/// The formats boon checks (its `formats.rs`); any other name is an
/// annotation that checks nothing, most likely a typo.
pub(super) const KNOWN_FORMATS: &[&str] = &[
    "regex",
    "ipv4",
    "ipv6",
    "hostname",
    "idn-hostname",
    "email",
    "idn-email",
    "date",
    "time",
    "date-time",
    "duration",
    "period",
    "json-pointer",
    "relative-json-pointer",
    "uuid",
    "uri",
    "iri",
    "uri-reference",
    "iri-reference",
    "uri-template",
];

/// The first `"format"` in the schema that this build cannot check, with its
/// JSON pointer.
pub(super) fn unsupported_format(v: &Value, at: &mut String) -> Option<(String, String)> {
    formats(v, at)
        .into_iter()
        .find(|(_, f)| UNSUPPORTED_FORMATS.contains(&f.as_str()))
}

/// Every string `"format"` in the schema with its JSON pointer, in document
/// order.
pub(super) fn formats(v: &Value, at: &mut String) -> Vec<(String, String)> {
    let mut found = Vec::new();
    match v {
        Value::Object(o) => {
            if let Some(Value::String(f)) = o.get("format") {
                found.push((at.clone(), f.clone()));
            }
            for (k, child) in o {
                let len = at.len();
                at.push('/');
                at.push_str(&pointer_token(k));
                found.extend(formats(child, at));
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                found.extend(formats(child, &mut format!("{at}/{i}")));
            }
        }
        _ => {}
    }
    found
}

/// Warnings for `format` names that check nothing (`"hostnmae"`).
pub(super) fn unknown_formats(schema: &Value) -> Vec<String> {
    formats(schema, &mut String::new())
        .into_iter()
        .filter(|(_, f)| !KNOWN_FORMATS.contains(&f.as_str()))
        .map(|(at, f)| {
            format!(
                "\"format\": {} at #{} is not a format this step knows, so it checks nothing: use one of {}, or a pattern",
                json_text(&f),
                shown_pointer(&at),
                KNOWN_FORMATS.join(", ")
            )
        })
        .collect()
}

pub(super) fn has_ref_cycle(e: &boon::ValidationError<'_, '_>) -> bool {
    matches!(e.kind, boon::ErrorKind::RefCycle { .. }) || e.causes.iter().any(has_ref_cycle)
}

/// A compile error, said with where in the schema it is; `meta` is the
/// schema's `$schema`.
pub(super) fn compile_error(e: &boon::CompileError, meta: Option<&str>) -> String {
    let here = |url: &str| {
        url.strip_prefix(SCHEMA_URL).map_or_else(
            || format!("in {url}"),
            |rest| format!("at {}", if rest.is_empty() { "#" } else { rest }),
        )
    };
    match e {
        boon::CompileError::InvalidRegex { url, regex, src } => format!(
            "the pattern {} {} cannot run on a linear-time regex engine ({}): look-around ((?=, (?!, (?<=, (?<!) and back-references (\\1) are not supported; write the pattern without them",
            json_text(regex),
            here(url),
            cut(&src.to_string().replace('\n', " "), SHOWN_TEXT)
        ),
        boon::CompileError::ValidationError { url: _, src } => {
            if let Some(said) = regex_refused(src) {
                return said;
            }
            let mut said = Vec::new();
            leaves(src, &mut said);
            format!(
                "not a valid JSON Schema: {}",
                said.iter()
                    .take(3)
                    .map(|(at, what)| format!("at #{at}: {what}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        boon::CompileError::LoadUrlError { url, .. } if Some(url.as_str()) == meta => format!(
            "$schema {} is not a draft this step knows: use https://json-schema.org/draft/2020-12/schema (or draft 2019-09, 7, 6, 4)",
            cut(url, SHOWN_TEXT)
        ),
        boon::CompileError::LoadUrlError { url, src } => {
            format!("a $ref to {} cannot be loaded: {src}", cut(url, SHOWN_TEXT))
        }
        boon::CompileError::UnsupportedUrlScheme { url } => format!(
            "a $ref to {} cannot be loaded: this step loads nothing outside the schema",
            cut(url, SHOWN_TEXT)
        ),
        boon::CompileError::UnsupportedDraft { url } => format!(
            "$schema {} is not a draft this step knows: use https://json-schema.org/draft/2020-12/schema",
            cut(url, SHOWN_TEXT)
        ),
        other => format!(
            "not a valid JSON Schema: {}",
            cut(&format!("{other:#}").replace(SCHEMA_URL, ""), 300)
        ),
    }
}

/// The metaschema's `format: regex` refusing a `pattern` (or a key of
/// `patternProperties`): said as what the engine cannot run.
pub(super) fn regex_refused(e: &boon::ValidationError<'_, '_>) -> Option<String> {
    if let boon::ErrorKind::Format {
        got,
        want: "regex",
        err,
    } = &e.kind
    {
        let text = err.to_string();
        let reason = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("error: "))
            .unwrap_or("not a regular expression");
        return Some(format!(
            "the pattern {} at #{} cannot run on a linear-time regex engine ({}): look-around ((?=, (?!, (?<=, (?<!) and back-references (\\1) are not supported; write the pattern without them",
            cut(&got.to_string(), SHOWN_TEXT),
            e.instance_location,
            cut(reason, SHOWN_TEXT)
        ));
    }
    e.causes.iter().find_map(regex_refused)
}

/// The messages of a metaschema validation's leaves: (instance pointer, what).
pub(super) fn leaves(e: &boon::ValidationError<'_, '_>, out: &mut Vec<(String, String)>) {
    if e.causes.is_empty() {
        out.push((
            e.instance_location.to_string(),
            cut(&e.kind.to_string(), SHOWN_TEXT),
        ));
    }
    for c in &e.causes {
        leaves(c, out);
    }
}

/// Output names: what a later step can read as `steps.ID.outputs.NAME`.
pub(super) fn check_output_name(name: &str) -> Result<(), InputError> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name.len() <= 100;
    if !ok {
        return Err(InputError::about(
            About::Content,
            "schema",
            format!(
                "the schema declares the property {}, which cannot be a step output name (a letter or _, then letters, digits, - or _): rename it, or read it from the payload output with fromJSON",
                json_text(name)
            ),
        ));
    }
    if name.eq_ignore_ascii_case("payload") {
        return Err(InputError::about(
            About::Content,
            "schema",
            "the schema declares a top-level property \"payload\", which would clash with the payload output (the whole validated object): rename the property",
        ));
    }
    Ok(())
}

/// `PREFIX` + the name upper-cased, every character outside `A-Z0-9_` made `_`.
#[must_use]
pub fn env_name(prefix: &str, name: &str) -> String {
    let mut out = prefix.to_owned();
    out.extend(name.chars().map(|c| {
        let c = c.to_ascii_uppercase();
        if c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    out
}

pub(super) fn check_prefix(prefix: &str) -> Result<(), InputError> {
    let ok = prefix
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && prefix.ends_with('_')
        && prefix.len() <= 64;
    if !ok {
        return Err(InputError::new(
            "env-prefix",
            format!(
                "env-prefix {} is not a variable prefix: use upper-case letters, digits and _, starting with a letter and ending with _, such as DEPLOY_",
                json_text(prefix)
            ),
        ));
    }
    if let Some(p) = env_names::denied_family(prefix) {
        return Err(InputError::new(
            "env-prefix",
            format!(
                "env-prefix {prefix} would set {p}* variables, which the runner owns or which change how programs run: choose a prefix of your own, such as DEPLOY_"
            ),
        ));
    }
    Ok(())
}

/// Refuses a variable of [`env_names::DENIED`] (the runner's, or one that
/// changes how later steps run programs), judged as the whole name.
pub(super) fn check_env_name(var: &str, property: &str) -> Result<(), InputError> {
    if env_names::denied(var).is_some() {
        return Err(InputError::new(
            "env-prefix",
            format!(
                "the property {} would be exported as {var}, which changes how later steps run programs: choose another env-prefix",
                json_text(property)
            ),
        ));
    }
    Ok(())
}

/// An accept list (`senders`, `event-types`): empty when not given (anyone
/// is accepted), else its entries.
///
/// Returns an error if and only if the list is given but names nothing
/// (`","`): an empty list turns the check off, which a list that was given
/// never means.
pub(super) fn accept_list(
    input: &str,
    entry: &str,
    text: Option<&str>,
) -> Result<Vec<String>, InputError> {
    let entries = list(text);
    if text.is_some() && entries.is_empty() {
        return Err(InputError::new(
            input,
            format!(
                "{input} is set but names no {entry}: list at least one, separated by commas or line breaks, or leave {input} out to accept any"
            ),
        ));
    }
    Ok(entries)
}

/// A list input: comma or newline separated, each item trimmed, empty ones
/// dropped.
pub(super) fn list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
