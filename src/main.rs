//! The `repository-dispatch` binary: picks the flow from the first argument
//! (or the program's name), hands it the process's arguments, environment and
//! standard streams, and exits with the code it returns.

use std::ffi::{OsStr, OsString};
use std::io::IsTerminal as _;
use std::process::ExitCode;

use repository_dispatch::Env;
use repository_dispatch::flow;

fn main() -> ExitCode {
    let env = Env::from_os(std::env::vars_os());
    let mut args = std::env::args_os();
    let program = args.next().unwrap_or_default();
    let args: Vec<OsString> = args.collect();
    let (stdout, stderr) = (Box::new(std::io::stdout()), Box::new(std::io::stderr()));
    let terminal = std::io::stderr().is_terminal();
    let by_name = revoke_by_name(&program);
    let code = match args.first().and_then(|a| a.to_str()) {
        _ if by_name => flow::revoke(&env, stdout, stderr),
        Some("revoke") => flow::revoke(&env, stdout, stderr),
        Some("receive") => flow::receive(args[1..].to_vec(), &env, stdout, stderr, terminal),
        Some("completions" | "man" | "help") => flow::describe(&args, &env, stdout, stderr),
        _ => flow::send(args, &env, stdout, stderr, terminal),
    };
    ExitCode::from(code)
}

/// The action's post step runs the image's /revoke, a link to this binary:
/// that name is an alias of `revoke`, and so is `revoke.exe` on Windows (a
/// shim there cannot rely on the program's name, so the command is the way
/// to say it).
fn revoke_by_name(program: &OsStr) -> bool {
    let name = std::path::Path::new(program).file_name();
    name == Some(OsStr::new("revoke"))
        || (cfg!(windows)
            && name
                .and_then(OsStr::to_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("revoke.exe")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoke_by_its_name() {
        for (program, revoke) in [
            ("/revoke", true),
            ("revoke", true),
            ("/usr/local/bin/repository-dispatch", false),
            ("/revoke/repository-dispatch", false),
            ("revoke.exe", cfg!(windows)),
            (r"C:\tools\REVOKE.EXE", cfg!(windows)),
            ("revoked", false),
        ] {
            assert_eq!(revoke_by_name(OsStr::new(program)), revoke, "{program}");
        }
    }
}
