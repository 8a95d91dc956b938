//! The runner's contract, shared by every flow: the option table, the one
//! reader of `INPUT_*` variables and flags, and the one path for printing
//! (workflow commands, outputs, summary).

pub mod args;
pub mod env;
pub mod flags;
pub mod report;
pub mod runner_files;
pub mod signal;
pub mod spec;
pub mod voice;

/// How the process ends. Outcomes are merged and the worst wins (fd's
/// `ExitCode`): 0 success, 1 a dispatch (or the awaited run) failed, 2 invalid
/// input (nothing was sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Success,
    Failure,
    Invalid,
}

impl Exit {
    /// The process exit code.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Failure => 1,
            Self::Invalid => 2,
        }
    }

    /// The worse of two outcomes.
    #[must_use]
    pub fn merge(self, other: Self) -> Self {
        self.max(other)
    }
}

#[cfg(test)]
mod tests {
    use super::Exit::{Failure, Invalid, Success};

    /// The worst outcome wins, in any order; codes are 0, 1 and 2.
    #[test]
    fn exits_merge_to_the_worst() {
        for (a, b, merged) in [
            (Success, Success, Success),
            (Success, Failure, Failure),
            (Failure, Success, Failure),
            (Failure, Invalid, Invalid),
            (Invalid, Success, Invalid),
        ] {
            assert_eq!(a.merge(b), merged, "{a:?} + {b:?}");
        }
        assert_eq!(
            [Success, Failure, Invalid].map(super::Exit::code),
            [0, 1, 2]
        );
    }
}
