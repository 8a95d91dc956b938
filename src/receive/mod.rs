//! `repository-dispatch receive`: the receiving end. It validates the event
//! that started the workflow (a `repository_dispatch`'s `client_payload`, a
//! `workflow_dispatch`'s `inputs`) against a JSON Schema, checks the event type
//! and the sender, and only then hands the values out: as step outputs and,
//! with `env-prefix`, as environment variables for later steps. A workflow
//! then reads them through `env:`, never by pasting `${{ ... }}` into a script.
//!
//! Everything from the event is hostile: it is parsed with `serde_json`'s depth
//! limit, matched with the linear-time `regex` engine (boon compiles `pattern`
//! with it and refuses look-around and back-references), printed only as
//! escaped JSON cut short, and written to the runner's files only in the
//! random-delimiter form. Names of outputs and variables come from the schema,
//! never from the payload. Nothing is written unless everything is valid.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::action::Exit;
use crate::action::env::Env;
use crate::action::report::Reporter;
use crate::util::files;

mod env_names;
mod regex_format;

/// The most a schema file may hold.
pub const MAX_SCHEMA_BYTES: u64 = 1024 * 1024;
/// The most an event file may hold: a dispatch's payload is under 64 KiB, and
/// the rest of the event (repository, sender, installation) a few KiB.
pub const MAX_EVENT_BYTES: u64 = 8 * 1024 * 1024;
/// The most violations printed one by one; the rest are counted.
const MAX_ERRORS: usize = 20;
/// How much of a value from the payload an error shows, in characters of its
/// JSON text.
const SHOWN_VALUE: usize = 60;
/// How much of a JSON pointer (whose names may come from the payload) or of a
/// schema's value an error shows.
const SHOWN_TEXT: usize = 100;

/// The URL the schema is known by inside boon; never fetched (nothing is).
const SCHEMA_URL: &str = "urn:repository-dispatch:receive:schema";

/// One option of `receive`.
struct Opt {
    long: &'static str,
    /// The action input it sets, if any.
    input: Option<&'static str>,
    value: &'static str,
    help: &'static str,
}

const OPTIONS: &[Opt] = &[
    Opt {
        long: "schema",
        input: Some("schema"),
        value: "JSON",
        help: "the JSON Schema (draft 2020-12) the payload must match, as JSON text",
    },
    Opt {
        long: "schema-file",
        input: Some("schema-file"),
        value: "PATH",
        help: "the schema in a file, relative to GITHUB_WORKSPACE (else the current directory)",
    },
    Opt {
        long: "event-types",
        input: Some("event-types"),
        value: "LIST",
        help: "accepted event types of a repository_dispatch (comma or newline separated)",
    },
    Opt {
        long: "senders",
        input: Some("senders"),
        value: "LIST",
        help: "accepted senders (logins; an app as app-slug[bot]), compared case-insensitively",
    },
    Opt {
        long: "env-prefix",
        input: Some("env-prefix"),
        value: "PREFIX",
        help: "also export each declared top-level property to GITHUB_ENV as PREFIX + NAME",
    },
    Opt {
        long: "event",
        input: None,
        value: "PATH",
        help: "the event JSON (default: GITHUB_EVENT_PATH)",
    },
    Opt {
        long: "event-name",
        input: None,
        value: "NAME",
        help: "repository_dispatch or workflow_dispatch (default: GITHUB_EVENT_NAME)",
    },
];

/// `receive --help`.
#[must_use]
pub fn usage() -> String {
    let mut text = String::from(
        "Usage: repository-dispatch receive (--schema JSON | --schema-file PATH) [OPTIONS]\n\n\
         Validates the repository_dispatch or workflow_dispatch event that started this\n\
         workflow run against a JSON Schema, then writes each top-level property the\n\
         schema declares as a step output (and the whole payload as `payload`).\n\
         Read them through env:, never by pasting ${{ }} into a script.\n\n\
         Options (each also an action input, INPUT_<NAME>):\n",
    );
    for o in OPTIONS {
        let flag = format!("--{} {}", o.long, o.value);
        let _ = writeln!(text, "  {flag:<26} {}", o.help);
    }
    text.push_str(
        "  -h, --help                 print this help\n\n\
         Exit status: 0 valid (outputs written), 1 the event is not valid (nothing\n\
         written), 2 the schema or an option is not usable (the event is not read).\n",
    );
    text
}

/// `receive`'s options as (long name, value placeholder, help), for the
/// completion scripts.
pub fn options() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    OPTIONS.iter().map(|o| (o.long, o.value, o.help))
}

/// The receive step's settings as given, flags over `INPUT_*` variables.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RawReceive {
    pub schema: Option<String>,
    pub schema_file: Option<String>,
    pub event_types: Option<String>,
    pub senders: Option<String>,
    pub env_prefix: Option<String>,
    pub event: Option<PathBuf>,
    pub event_name: Option<String>,
}

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Asked {
    Help,
    Run(RawReceive),
}

/// A problem that stops the step before the event is read (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub title: String,
    pub message: String,
}

fn unusable(title: &str, message: impl Into<String>) -> Unusable {
    Unusable {
        title: title.to_owned(),
        message: message.into(),
    }
}

/// Reads the `INPUT_*` variables (hyphenated as the runner passes them, or
/// with `_`), then the flags over them.
///
/// Returns an error if and only if a flag is unknown or lacks its value, or a
/// variable is not UTF-8.
pub fn parse(args: Vec<OsString>, env: &Env) -> Result<Asked, Unusable> {
    let mut raw = RawReceive::default();
    for o in OPTIONS {
        let Some(input) = o.input else { continue };
        let upper = input.to_ascii_uppercase();
        let mut value = None;
        for name in [
            format!("INPUT_{upper}"),
            format!("INPUT_{}", upper.replace('-', "_")),
        ] {
            let v = env
                .var(&name)
                .map_err(|e| unusable(&format!("Invalid input: {input}"), e.message))?;
            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
                value = Some(v.to_owned());
                break;
            }
        }
        set(&mut raw, o.long, value);
    }
    raw.event = env.path("GITHUB_EVENT_PATH");
    raw.event_name = env.get("GITHUB_EVENT_NAME").map(str::to_owned);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|_| unusable("Invalid option", "an argument is not valid UTF-8"))?;
        if arg == "-h" || arg == "--help" {
            return Ok(Asked::Help);
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let Some(opt) = name
            .strip_prefix("--")
            .and_then(|n| OPTIONS.iter().find(|o| o.long == n))
        else {
            // As the sending flow shows an argument: never one that could be
            // a secret (token-shaped, long, or a short option with a value).
            let shown = crate::action::args::shown(&arg);
            let hint = nearest(&name).map_or_else(
                || ": see repository-dispatch receive --help".to_owned(),
                |n| format!(": did you mean --{n}?"),
            );
            return Err(unusable(
                &format!("Invalid option: {shown}"),
                format!("receive has no option {shown}{hint}"),
            ));
        };
        let value = match inline {
            Some(v) => v,
            None => args
                .next()
                .and_then(|v| v.into_string().ok())
                .ok_or_else(|| {
                    unusable(
                        &format!("Invalid option: --{}", opt.long),
                        format!("--{} needs a value: --{} {}", opt.long, opt.long, opt.value),
                    )
                })?,
        };
        let value = value.trim().to_owned();
        set(&mut raw, opt.long, Some(value).filter(|v| !v.is_empty()));
    }
    Ok(Asked::Run(raw))
}

/// Sets the option `long` to `value`; `None` (not given, or empty) leaves
/// what is there.
fn set(raw: &mut RawReceive, long: &str, value: Option<String>) {
    let Some(value) = value else { return };
    match long {
        "schema" => raw.schema = Some(value),
        "schema-file" => raw.schema_file = Some(value),
        "event-types" => raw.event_types = Some(value),
        "senders" => raw.senders = Some(value),
        "env-prefix" => raw.env_prefix = Some(value),
        "event" => raw.event = Some(PathBuf::from(value)),
        "event-name" => raw.event_name = Some(value),
        _ => unreachable!("every option of OPTIONS is handled: {long}"),
    }
}

/// The option within two edits of an unknown one (`--schemafile`).
fn nearest(name: &str) -> Option<&'static str> {
    let typed = name.trim_start_matches('-').replace('_', "-");
    OPTIONS
        .iter()
        .map(|o| (crate::action::args::edit_distance(&typed, o.long), o.long))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, long)| long)
}

/// The event kinds this step validates, and what it validates in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `client_payload`.
    RepositoryDispatch,
    /// `inputs`.
    WorkflowDispatch,
}

impl Kind {
    fn member(self) -> &'static str {
        match self {
            Self::RepositoryDispatch => "client_payload",
            Self::WorkflowDispatch => "inputs",
        }
    }
}

/// A compiled schema and the names it hands out.
pub struct Receiver {
    /// The schema as written, for messages.
    schema: Value,
    /// What the schema says that checks nothing (unknown formats).
    pub warnings: Vec<String>,
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
    /// The top-level properties the schema declares (its `properties`), each
    /// with the environment variable it becomes under `env-prefix`.
    declared: Vec<(String, Option<String>)>,
    event_types: Vec<String>,
    senders: Vec<String>,
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
struct NoLoader;

impl boon::UrlLoader for NoLoader {
    fn load(&self, url: &str) -> Result<Value, Box<dyn std::error::Error>> {
        Err(format!("{url} is outside the schema, and this step loads nothing: put the definition under $defs and use \"$ref\": \"#/$defs/...\"").into())
    }
}

/// The schema's text and how to name it in messages (`schema`, or
/// `schema-file PATH`).
fn schema_text(raw: &RawReceive, env: &Env) -> Result<(Vec<u8>, String), Unusable> {
    Ok(match (&raw.schema, &raw.schema_file) {
        (Some(text), None) => (text.clone().into_bytes(), "schema".to_owned()),
        (None, Some(path)) => {
            let full = match env.path("GITHUB_WORKSPACE") {
                Some(workspace) if Path::new(path).is_relative() => workspace.join(path),
                _ => PathBuf::from(path),
            };
            let bytes = files::read_capped(&full, MAX_SCHEMA_BYTES).map_err(|e| {
                unusable(
                    "Invalid input: schema-file",
                    format!(
                        "schema-file {} could not be read ({e:#}): give the path of the schema relative to the repository's root, and check out the repository first (actions/checkout)",
                        full.display()
                    ),
                )
            })?;
            (bytes, format!("schema-file {path}"))
        }
        (Some(_), Some(_)) => {
            return Err(unusable(
                "Invalid input: schema",
                "both schema and schema-file are set: give one of them",
            ));
        }
        (None, None) => {
            return Err(unusable(
                "Invalid input: schema",
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
pub fn prepare(raw: &RawReceive, env: &Env) -> Result<Receiver, Unusable> {
    let (text, source) = schema_text(raw, env)?;
    let schema: Value = serde_json::from_slice(&text)
        .map_err(|e| unusable("Invalid schema", schema_syntax_error(&source, &text, &e)))?;
    if !(schema.is_object() || schema.is_boolean()) {
        return Err(unusable(
            "Invalid schema",
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
        .map_err(|m| unusable("Invalid schema", format!("{source}: {m}")))?;
    let for_boon = with_linear_regex_format(&schema, meta.as_deref())
        .map_err(|m| unusable("Invalid schema", format!("{source}: {m}")))?;
    if let Some((at, format)) = unsupported_format(&schema, &mut String::new()) {
        return Err(unusable(
            "Invalid schema",
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
            unusable(
                "Invalid schema",
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
            return Err(unusable(
                "Invalid schema",
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
fn names(
    declared_names: Vec<String>,
    prefix: Option<&str>,
) -> Result<Vec<(String, Option<String>)>, Unusable> {
    let mut declared: Vec<(String, Option<String>)> = Vec::new();
    for name in declared_names {
        check_output_name(&name)?;
        if let Some((other, _)) = declared.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            return Err(unusable(
                "Invalid schema",
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
                return Err(unusable(
                    "Invalid schema",
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
const VALUE_KEYWORDS: &[&str] = &["const", "enum", "default", "examples"];
/// Keywords whose value maps names (property names, definition names), not
/// keywords, to schemas.
const NAMED_SCHEMAS: &[&str] = &[
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
fn each_schema<'v, F>(v: &'v Value, at: &mut String, old: bool, visit: &mut F)
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
fn old_draft(meta: &str) -> bool {
    ["draft-04", "draft-06", "draft-07"]
        .iter()
        .any(|d| meta.contains(d))
}

/// Keywords that may stand beside a `$ref` in any draft: they check nothing
/// (annotations), or hold schemas a `$ref` may name (`definitions`).
const BESIDE_A_REF: &[&str] = &[
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
fn check_ref_siblings(schema: &Value, meta: Option<&str>) -> Result<(), String> {
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
fn with_linear_regex_format(schema: &Value, meta: Option<&str>) -> Result<Value, String> {
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
            let r = percent_decoded(r);
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
fn holds_regex_format(v: &Value) -> bool {
    match v {
        Value::Object(o) => {
            o.get("format").and_then(Value::as_str) == Some("regex")
                || o.values().any(holds_regex_format)
        }
        Value::Array(items) => items.iter().any(holds_regex_format),
        _ => false,
    }
}

/// A `$ref`'s text with its `%XX` escapes decoded (as boon reads a fragment),
/// invalid escapes left as they are.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            // Two hex digits: at most 0xff.
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A schema that is not JSON, said as the sender says a `client-payload`
/// that is not ([`crate::github::payload::json_mistake`]): where, the text near the
/// mistake, and what to do about it in a schema.
fn schema_syntax_error(source: &str, text: &[u8], e: &serde_json::Error) -> String {
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
const UNSUPPORTED_FORMATS: &[&str] = &["idn-hostname", "idn-email", "iri", "iri-reference"];

/// The formats boon checks (its `formats.rs`); any other name is an
/// annotation that checks nothing, most likely a typo.
const KNOWN_FORMATS: &[&str] = &[
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
fn unsupported_format(v: &Value, at: &mut String) -> Option<(String, String)> {
    formats(v, at)
        .into_iter()
        .find(|(_, f)| UNSUPPORTED_FORMATS.contains(&f.as_str()))
}

/// Every string `"format"` in the schema with its JSON pointer, in document
/// order.
fn formats(v: &Value, at: &mut String) -> Vec<(String, String)> {
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
fn unknown_formats(schema: &Value) -> Vec<String> {
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

fn has_ref_cycle(e: &boon::ValidationError<'_, '_>) -> bool {
    matches!(e.kind, boon::ErrorKind::RefCycle { .. }) || e.causes.iter().any(has_ref_cycle)
}

/// A compile error, said with where in the schema it is; `meta` is the
/// schema's `$schema`.
fn compile_error(e: &boon::CompileError, meta: Option<&str>) -> String {
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
fn regex_refused(e: &boon::ValidationError<'_, '_>) -> Option<String> {
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
fn leaves(e: &boon::ValidationError<'_, '_>, out: &mut Vec<(String, String)>) {
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
fn check_output_name(name: &str) -> Result<(), Unusable> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name.len() <= 100;
    if !ok {
        return Err(unusable(
            "Invalid schema",
            format!(
                "the schema declares the property {}, which cannot be a step output name (a letter or _, then letters, digits, - or _): rename it, or read it from the payload output with fromJSON",
                json_text(name)
            ),
        ));
    }
    if name.eq_ignore_ascii_case("payload") {
        return Err(unusable(
            "Invalid schema",
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

fn check_prefix(prefix: &str) -> Result<(), Unusable> {
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
        return Err(unusable(
            "Invalid input: env-prefix",
            format!(
                "env-prefix {} is not a variable prefix: use upper-case letters, digits and _, starting with a letter and ending with _, such as DEPLOY_",
                json_text(prefix)
            ),
        ));
    }
    if let Some(p) = env_names::denied_family(prefix) {
        return Err(unusable(
            "Invalid input: env-prefix",
            format!(
                "env-prefix {prefix} would set {p}* variables, which the runner owns or which change how programs run: choose a prefix of your own, such as DEPLOY_"
            ),
        ));
    }
    Ok(())
}

/// Refuses a variable of [`env_names::DENIED`] (the runner's, or one that
/// changes how later steps run programs), judged as the whole name.
fn check_env_name(var: &str, property: &str) -> Result<(), Unusable> {
    if env_names::denied(var).is_some() {
        return Err(unusable(
            "Invalid input: env-prefix",
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
fn accept_list(input: &str, entry: &str, text: Option<&str>) -> Result<Vec<String>, Unusable> {
    let entries = list(text);
    if text.is_some() && entries.is_empty() {
        return Err(unusable(
            &format!("Invalid input: {input}"),
            format!(
                "{input} is set but names no {entry}: list at least one, separated by commas or line breaks, or leave {input} out to accept any"
            ),
        ));
    }
    Ok(entries)
}

/// A list input: comma or newline separated, each item trimmed, empty ones
/// dropped.
fn list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What is wrong with the event; each becomes an `::error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub title: &'static str,
    pub message: String,
}

/// A valid event: what the step hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub kind: Kind,
    /// (output name, value): each declared property the payload holds, then
    /// `payload`.
    pub outputs: Vec<(String, String)>,
    /// (variable, value), with `env-prefix`.
    pub env: Vec<(String, String)>,
    /// The whole validated object, compact JSON.
    pub payload: String,
}

/// Why the event cannot be handed out (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not an event this step is for, or an event file that cannot be read.
    Event(Violation),
    /// The event's own content: event type, sender, payload.
    Invalid(Vec<Violation>),
}

impl Receiver {
    /// Validates the event: its kind from `event_name`, its JSON text `event`.
    ///
    /// Returns an error if and only if the event is not a `repository_dispatch`
    /// or `workflow_dispatch`, is not a JSON object within `serde_json`'s depth
    /// limit, or its event type, sender or payload is not accepted.
    pub fn check(&self, event_name: &str, event: &[u8]) -> Result<Accepted, Refused> {
        let kind = match event_name {
            "repository_dispatch" => Kind::RepositoryDispatch,
            "workflow_dispatch" => Kind::WorkflowDispatch,
            other => {
                return Err(Refused::Event(Violation {
                    title: "Not a dispatch",
                    message: format!(
                        "this step validates repository_dispatch and workflow_dispatch events, but this run was started by {}: run it only for those events (if: github.event_name == 'repository_dispatch')",
                        json_text(other)
                    ),
                }));
            }
        };
        let event: Value = serde_json::from_slice(event).map_err(|e| {
            Refused::Event(Violation {
                title: "Event unreadable",
                message: format!(
                    "the event file is not JSON that can be read ({e}): it holds the dispatch as GitHub delivered it, so the payload is nested too deeply, holds a number out of range or text that is not valid Unicode, or is damaged"
                ),
            })
        })?;
        // The runner writes the webhook payload, an object; anything else
        // (an array would read as an event without a payload) is not one.
        if !event.is_object() {
            return Err(Refused::Event(Violation {
                title: "Event unreadable",
                message: format!(
                    "the event file holds {}, not a JSON object: the runner writes the event as an object; outside a workflow, give --event the path of a saved event (the webhook payload, an object)",
                    type_name(&event)
                ),
            }));
        }
        let mut violations = self.who_and_what(kind, &event);
        let member = kind.member();
        let payload = match event.get(member) {
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(v) => v.clone(),
        };
        if let Err(e) = self.schemas.validate(&payload, self.index) {
            let mut said = Vec::new();
            describe(&e, &payload, &self.schema, &mut said);
            violations.extend(said.into_iter().map(|message| Violation {
                title: match kind {
                    Kind::RepositoryDispatch => "Invalid client_payload",
                    Kind::WorkflowDispatch => "Invalid inputs",
                },
                message: format!("{member}{message}"),
            }));
        }
        let mut payload = payload;
        whole_numbers(&mut payload);
        let object = payload.as_object();
        if object.is_none() {
            violations.push(Violation {
                title: "Invalid payload",
                message: format!(
                    "{member} is {}, not an object: send a JSON object",
                    type_name(&payload)
                ),
            });
        }
        let mut outputs = Vec::new();
        let mut env = Vec::new();
        for (name, var) in &self.declared {
            let Some(value) = object.and_then(|o| o.get(name)) else {
                continue;
            };
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if let Some(var) = var {
                // Line breaks are carried by the NAME<<DELIMITER form
                // (`report::heredoc`); a NUL cannot be in a variable at all.
                if text.contains('\0') {
                    violations.push(Violation {
                        title: "Value refused for the environment",
                        message: format!(
                            "{member}/{}: the value holds a NUL character, which an environment variable ({var}) cannot hold: read it from the step output {name} instead, or forbid it in the schema (a pattern)",
                            pointer_token(name)
                        ),
                    });
                }
                env.push((var.clone(), text.clone()));
            }
            outputs.push((name.clone(), text));
        }
        if !violations.is_empty() {
            return Err(Refused::Invalid(violations));
        }
        let payload = payload.to_string();
        outputs.push(("payload".to_owned(), payload.clone()));
        Ok(Accepted {
            kind,
            outputs,
            env,
            payload,
        })
    }

    /// The event type (`repository_dispatch` only) and the sender, against
    /// `event-types` and `senders` when they are set.
    fn who_and_what(&self, kind: Kind, event: &Value) -> Vec<Violation> {
        let mut violations = Vec::new();
        if kind == Kind::RepositoryDispatch && !self.event_types.is_empty() {
            let got = event
                .get("action")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !self.event_types.iter().any(|t| t == got) {
                violations.push(Violation {
                    title: "Event type not accepted",
                    message: format!(
                        "the event type {} is not one this step accepts ({}): dispatch one of those, or add it to event-types",
                        shown(&Value::String(got.to_owned())),
                        self.event_types.join(", ")
                    ),
                });
            }
        }
        if !self.senders.is_empty() {
            let login = event
                .pointer("/sender/login")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !self.senders.contains(&login.to_lowercase()) {
                violations.push(Violation {
                    title: "Sender not accepted",
                    message: format!(
                        "the event was sent by {}, who is not among the senders this step accepts ({}): send it with a token of one of them, or add the login to senders",
                        shown(&Value::String(login.to_owned())),
                        self.senders.join(", ")
                    ),
                });
            }
        }
        violations
    }
}

/// The messages of a validation error's leaves, each `/pointer: rule: ...`.
#[allow(clippy::too_many_lines)] // one arm per JSON Schema keyword: a table, clearest whole
fn describe(
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
fn as_written<'s>(schema: &'s Value, location: &str, keyword: &str) -> Option<&'s str> {
    let pointer = location.strip_prefix(SCHEMA_URL)?.strip_prefix('#')?;
    schema.pointer(pointer)?.get(keyword)?.as_str()
}

/// A JSON pointer (whose names may come from the payload) as a message
/// shows it: control characters, line breaks included, as escapes; cut short.
fn shown_pointer(pointer: &str) -> String {
    cut(&crate::action::report::visible(pointer, false), SHOWN_TEXT)
}

/// A property name as a JSON pointer token (`~` → `~0`, `/` → `~1`).
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn type_name(v: &Value) -> &'static str {
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
fn shown(v: &Value) -> String {
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
fn json_text(s: &str) -> String {
    cut(&Value::String(s.to_owned()).to_string(), SHOWN_TEXT)
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// `repository-dispatch receive ARGS`: the whole step.
pub fn run(args: Vec<OsString>, env: &Env, report: &mut Reporter) -> Exit {
    let raw = match parse(args, env) {
        Ok(Asked::Help) => {
            report.info_block(usage().trim_end());
            return Exit::Success;
        }
        Ok(Asked::Run(raw)) => raw,
        Err(e) => {
            report.error(&e.title, &e.message);
            return Exit::Invalid;
        }
    };
    let receiver = match prepare(&raw, env) {
        Ok(r) => r,
        Err(e) => {
            report.error(&e.title, &e.message);
            return Exit::Invalid;
        }
    };
    for warning in &receiver.warnings {
        report.warning(warning);
    }
    let env_file = match runner_files(&raw, env, report.in_actions()) {
        Ok(env_file) => env_file,
        Err(e) => {
            report.error(&e.title, &e.message);
            return Exit::Invalid;
        }
    };
    let Some(event_name) = raw.event_name.as_deref().filter(|n| !n.is_empty()) else {
        report.error(
            "No event",
            "GITHUB_EVENT_NAME is not set: run this step in a workflow started by repository_dispatch or workflow_dispatch, or give --event-name and --event (a saved event JSON)",
        );
        return Exit::Invalid;
    };
    // Another kind of event is refused by its name alone: its file is not read.
    let dispatch = matches!(event_name, "repository_dispatch" | "workflow_dispatch");
    let event = match raw.event.as_deref() {
        _ if !dispatch => Vec::new(),
        None => {
            report.error(
                "No event",
                "GITHUB_EVENT_PATH is not set: the runner sets it; outside a workflow, give --event PATH (a saved event JSON)",
            );
            return Exit::Invalid;
        }
        Some(path) => match files::read_capped(path, MAX_EVENT_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.error(
                    "Event unreadable",
                    &format!(
                        "the event file {} could not be read ({e:#}): the runner writes it; outside a workflow, give --event PATH",
                        path.display()
                    ),
                );
                return Exit::Failure;
            }
        },
    };
    if event_name == "workflow_dispatch" && !receiver.event_types.is_empty() {
        report.debug(|| "event-types applies to repository_dispatch only: not checked for this workflow_dispatch".to_owned());
    }
    let accepted = match receiver.check(event_name, &event) {
        Ok(a) => a,
        Err(Refused::Event(v)) => {
            report.error(v.title, &v.message);
            return Exit::Failure;
        }
        Err(Refused::Invalid(violations)) => {
            let total = violations.len();
            for v in violations.iter().take(MAX_ERRORS) {
                report.error(v.title, &v.message);
            }
            if total > MAX_ERRORS {
                report.error(
                    "More violations",
                    &format!("and {} more violations not shown", total - MAX_ERRORS),
                );
            }
            report.progress(&format!(
                "nothing was written to the step's outputs or environment: {total} violation{} of the schema or the step's rules",
                if total == 1 { "" } else { "s" }
            ));
            return Exit::Failure;
        }
    };
    hand_out(&accepted, env_file.as_deref(), report)
}

/// Checks, before the event is read, that what the step writes can be
/// written: `GITHUB_OUTPUT` (required in a workflow) and, with `env-prefix`,
/// `GITHUB_ENV` (required in a workflow). Returns the environment file.
fn runner_files(
    raw: &RawReceive,
    env: &Env,
    in_actions: bool,
) -> Result<Option<PathBuf>, Unusable> {
    let wanted = [
        ("GITHUB_OUTPUT", true),
        ("GITHUB_ENV", raw.env_prefix.is_some()),
    ];
    for (name, needed) in wanted {
        match env.path(name) {
            Some(path) if needed => {
                files::open_append(&path).map_err(|e| {
                    unusable(
                        name,
                        format!(
                            "{name} {} cannot be written ({e:#}); the event was not read: the runner sets it to a regular file, so check that the step runs as root and /github/file_commands is mounted",
                            path.display()
                        ),
                    )
                })?;
            }
            None if needed && in_actions => {
                return Err(unusable(
                    name,
                    format!(
                        "{name} is not set (runners older than 2.297.0 and some emulators do not set it), so the validated values could not reach later steps; the event was not read: update the runner"
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(env.path("GITHUB_ENV").filter(|_| raw.env_prefix.is_some()))
}

/// Writes the outputs and the variables of a valid event, and says so.
fn hand_out(accepted: &Accepted, env_file: Option<&Path>, report: &mut Reporter) -> Exit {
    let names: Vec<&str> = accepted.outputs.iter().map(|(n, _)| n.as_str()).collect();
    if !accepted.env.is_empty() {
        let written = if let Some(path) = env_file {
            write_env(path, &accepted.env)
        } else {
            report.warning("env-prefix is set but GITHUB_ENV is not: no variables were exported (outside a workflow, read the payload from standard output)");
            Ok(())
        };
        if let Err(e) = written {
            report.error(
                "GITHUB_ENV",
                &format!("could not write the variables to GITHUB_ENV ({e:#}): the runner sets it to a writable file"),
            );
            return Exit::Failure;
        }
    }
    for (name, value) in &accepted.outputs {
        report.set_output(name, value);
    }
    if let Err(e) = report.flush_outputs() {
        report.error(
            "GITHUB_OUTPUT",
            &format!("could not write the outputs to GITHUB_OUTPUT ({e:#})"),
        );
        return Exit::Failure;
    }
    let vars: Vec<&str> = accepted.env.iter().map(|(n, _)| n.as_str()).collect();
    report.progress(&format!(
        "{} is valid: outputs {}{}",
        accepted.kind.member(),
        names.join(", "),
        if vars.is_empty() {
            String::new()
        } else {
            format!("; environment {}", vars.join(", "))
        }
    ));
    if !report.in_actions() {
        // For a shell: the validated payload alone on stdout, for jq, as
        // JSON whose every non-ASCII character is a \u escape: the same
        // value, and nothing a terminal could act on.
        report.json_out(&ascii_json(&accepted.payload));
    }
    Exit::Success
}

/// JSON text with every character outside printable ASCII written as a
/// `\uXXXX` escape (surrogate pairs beyond U+FFFF). Characters outside
/// printable ASCII occur in JSON text only inside strings, where the escape
/// means the same character.
#[must_use]
pub fn ascii_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// Numbers as a person would write them: a whole number that arrived as a
/// float (`1.0`, `1e2`) and is exact (within 2^53) becomes an integer, so an
/// output the schema says is an integer reads `100`, not `100.0`.
fn whole_numbers(v: &mut Value) {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() <= EXACT
            {
                #[allow(clippy::cast_possible_truncation)] // whole and within 2^53: exact
                let i = f as i64;
                *n = serde_json::Number::from(i);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(o) => o.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Appends `NAME<<DELIMITER`, value, `DELIMITER` for each variable.
fn write_env(path: &Path, vars: &[(String, String)]) -> anyhow::Result<()> {
    let mut text = String::new();
    for (name, value) in vars {
        text.push_str(&crate::action::report::heredoc(name, value)?);
    }
    files::append(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receiver(schema: &str, extra: &[(&str, &str)]) -> Result<Receiver, Unusable> {
        let mut raw = RawReceive {
            schema: Some(schema.to_owned()),
            ..RawReceive::default()
        };
        for (k, v) in extra {
            set(&mut raw, k, Some((*v).to_owned()));
        }
        prepare(&raw, &Env::default())
    }

    #[test]
    fn env_names_are_upper_case_with_underscores() {
        assert_eq!(env_name("DEPLOY_", "image-tag"), "DEPLOY_IMAGE_TAG");
        assert_eq!(env_name("D_", "a.b é"), "D_A_B__");
        assert_eq!(env_name("D_", "x9_y"), "D_X9_Y");
    }

    #[test]
    fn lists_split_on_commas_and_lines() {
        assert_eq!(list(Some(" a, b\n\nc ,")), ["a", "b", "c"]);
        assert!(list(None).is_empty());
    }

    #[test]
    fn dangerous_prefixes_and_names_are_refused() {
        let schema = r#"{"properties": {"preload": {}, "path": {}}}"#;
        for (prefix, says) in [
            ("LD_", "LD_*"),
            ("GITHUB_", "GITHUB_*"),
            ("deploy_", "upper-case"),
            ("1X_", "upper-case"),
            ("LUA_", "LUA_*"),
            ("NODE_", "NODE_*"),
            ("A-B", "upper-case"),
        ] {
            let e = receiver(schema, &[("env-prefix", prefix)]).unwrap_err();
            assert!(e.message.contains(says), "{prefix}: {}", e.message);
        }
        for prefix in ["DEPLOY", "P", "X"] {
            let e = receiver(schema, &[("env-prefix", prefix)]).unwrap_err();
            assert!(
                e.message.contains("ending with _"),
                "{prefix}: {}",
                e.message
            );
        }
        let e = receiver(
            r#"{"properties": {"command": {}}}"#,
            &[("env-prefix", "PROMPT_")],
        )
        .unwrap_err();
        assert!(e.message.contains("PROMPT_COMMAND"), "{}", e.message);
        let e = receiver(
            r#"{"properties": {"a-b": {}, "a_b": {}}}"#,
            &[("env-prefix", "X_")],
        )
        .unwrap_err();
        assert!(e.message.contains("X_A_B"), "{}", e.message);
    }

    #[test]
    fn output_names_come_from_the_schema_and_must_be_names() {
        for name in ["a b", "a=b", "", "1a", "a\nb"] {
            let schema = serde_json::json!({"properties": {name: {}}}).to_string();
            let e = receiver(&schema, &[]).unwrap_err();
            assert!(
                e.message.contains("step output name"),
                "{name}: {}",
                e.message
            );
        }
        let e = receiver(r#"{"properties": {"Payload": {}}}"#, &[]).unwrap_err();
        assert!(e.message.contains("clash"), "{}", e.message);
    }
}
