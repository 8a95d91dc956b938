//! What is sent to each repository: a `repository_dispatch` or a
//! `workflow_dispatch`.

use crate::github::payload::{ClientPayload, EventType};
use crate::github::workflow::{GitRef, Inputs as WorkflowInputs, Workflow};

/// What is sent to each repository.
#[derive(Debug, Clone)]
pub enum Event {
    /// A `repository_dispatch`: an event type and its client payload.
    Repository {
        event_type: EventType,
        payload: ClientPayload,
    },
    /// A `workflow_dispatch`: one workflow, at a ref, with its inputs.
    Workflow {
        workflow: Workflow,
        git_ref: GitRef,
        inputs: Option<WorkflowInputs>,
    },
}

impl Event {
    /// What is sent, for messages: `'trigger-deploy'`, or `workflow deploy.yml at main`.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Repository { event_type, .. } => format!("'{}'", event_type.as_str()),
            Self::Workflow { .. } => self.label(),
        }
    }

    /// What is sent, for the summary's heading: `trigger-deploy`, or
    /// `workflow deploy.yml at main`.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Repository { event_type, .. } => event_type.as_str().to_owned(),
            Self::Workflow {
                workflow, git_ref, ..
            } => format!("workflow {} at {}", workflow.as_str(), git_ref.as_str()),
        }
    }
}
