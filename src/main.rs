//! The `repository-dispatch` binary: hands the process's arguments, environment
//! and streams to the library and exits with the code it returns.

use std::io::IsTerminal as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let env = repository_dispatch::action::env::Env::from_os(std::env::vars_os());
    // The action's post step runs the image's /revoke, a link to this binary.
    let program = std::env::args_os().next().unwrap_or_default();
    if std::path::Path::new(&program).file_name() == Some(std::ffi::OsStr::new("revoke")) {
        return ExitCode::from(repository_dispatch::revoke(
            &env,
            Box::new(std::io::stdout()),
            Box::new(std::io::stderr()),
        ));
    }
    let code = repository_dispatch::run(
        std::env::args_os().skip(1),
        &env,
        Box::new(std::io::stdout()),
        Box::new(std::io::stderr()),
        std::io::stderr().is_terminal(),
    );
    ExitCode::from(code)
}
