//! The sending flow: flags and inputs, the dispatches, watching the runs.

pub mod cli;
pub mod dispatch;
pub mod fields;
pub mod inputs;
pub mod runs;
