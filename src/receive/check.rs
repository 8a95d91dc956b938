//! The event checked against the receiver: its kind, event type, sender and
//! payload, every violation collected.

use super::schema::{Kind, Receiver};
use super::violations::{describe, json_text, pointer_token, shown, type_name};
use serde_json::{Map, Value};

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
        let Some(kind) = Kind::of(event_name) else {
            return Err(Refused::Event(Violation {
                title: "Not a dispatch",
                message: format!(
                    "this step validates repository_dispatch and workflow_dispatch events, but this run was started by {}: run it only for those events (if: github.event_name == 'repository_dispatch')",
                    json_text(event_name)
                ),
            }));
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
                // (`runner_files::heredoc`); a NUL cannot be in a variable at all.
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

/// Numbers as a person would write them: a whole number that arrived as a
/// float (`1.0`, `1e2`) and is exact (within 2^53) becomes an integer, so an
/// output the schema says is an integer reads `100`, not `100.0`.
pub(super) fn whole_numbers(v: &mut Value) {
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
