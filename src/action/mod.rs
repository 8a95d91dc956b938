//! The runner's contract, shared by every flow: the option table and the one
//! path for printing (workflow commands, outputs, summary).

pub mod report;
pub mod spec;
