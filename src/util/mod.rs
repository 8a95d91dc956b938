//! Plumbing every flow uses: time and the clock, random numbers, local files.

pub mod files;
pub mod random;
pub mod time;
