//! The commands that describe the binary: `completions SHELL`, `man` and
//! `help [receive]`. Shell completions and the man page are generated from
//! the option tables (`spec::OPTIONS`, receive's) that also drive parsing and
//! `--help`, so that none of them can name an option the program does not
//! have.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write;

use crate::action::Exit;
use crate::action::env::{Env, InputError};
use crate::action::report::with_reporter;

use crate::action::spec::{Arg, OPTIONS, Opt, SUBCOMMANDS};

/// The shells completions are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

impl Shell {
    /// `bash`, `zsh` or `fish`.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "bash" => Ok(Self::Bash),
            "zsh" => Ok(Self::Zsh),
            "fish" => Ok(Self::Fish),
            _ => {
                Err("names no shell completions are written for: give bash, zsh or fish".to_owned())
            }
        }
    }
}

/// What `completions`, `man` or `help` asks for.
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    Completions(Shell),
    Man,
    Help,
    ReceiveHelp,
}

/// A command used wrongly: the command and what to do.
fn misused(command: &str, says: &str) -> InputError {
    InputError::flag(command, format!("{command} {says}"))
}

/// Reads `completions SHELL`, `man` or `help [receive]` (the first argument
/// is one of the three).
fn parse(args: &[OsString]) -> Result<Asked, InputError> {
    let text: Vec<Option<&str>> = args.iter().map(|a| a.to_str()).collect();
    match text[..] {
        [Some("completions"), Some(shell)] => Shell::parse(shell)
            .map(Asked::Completions)
            .map_err(|_| misused("completions", COMPLETIONS)),
        [Some("completions"), ..] => Err(misused("completions", COMPLETIONS)),
        [Some("man")] => Ok(Asked::Man),
        [Some("man"), ..] => Err(misused(
            "man",
            "takes no arguments: repository-dispatch man > repository-dispatch.1",
        )),
        [Some("help")] => Ok(Asked::Help),
        [Some("help"), Some("receive")] => Ok(Asked::ReceiveHelp),
        _ => Err(misused(
            "help",
            "takes nothing, or receive: help, or help receive",
        )),
    }
}

const COMPLETIONS: &str = "takes one shell: completions bash, completions zsh or completions fish";

/// `completions SHELL`, `man` or `help [receive]` (the first argument):
/// prints what is asked for. Returns the exit code: 0, or 2 for a command
/// used wrongly.
#[must_use]
pub fn main(
    args: &[OsString],
    env: &Env,
    stdout: Box<dyn Write + Send>,
    stderr: Box<dyn Write + Send>,
) -> u8 {
    // No live board here: nothing waits.
    with_reporter(env, stdout, stderr, false, |report| match parse(args) {
        Ok(asked) => {
            let text = match asked {
                Asked::Completions(shell) => script(shell),
                Asked::Man => man_page(),
                Asked::Help => crate::action::spec::usage(),
                Asked::ReceiveHelp => crate::receive::usage(),
            };
            report.info_block(text.trim_end());
            Exit::Success
        }
        Err(e) => {
            report.input_error(&e);
            Exit::Invalid
        }
    })
}

/// The completion script for `shell`.
#[must_use]
pub fn script(shell: Shell) -> String {
    match shell {
        Shell::Bash => bash(),
        Shell::Zsh => zsh(),
        Shell::Fish => fish(),
    }
}

/// An option's first help line, for one-line descriptions.
fn summary(o: &Opt) -> &'static str {
    o.help.lines().next().unwrap_or("")
}

/// Whether an option's value is a path (files complete there).
fn takes_path(o: &Opt) -> bool {
    matches!(o.arg, Arg::Value("PATH", _))
}

fn bash() -> String {
    let words: Vec<String> = OPTIONS
        .iter()
        .flat_map(|o| {
            let mut w = vec![format!("--{}", o.long)];
            w.extend(o.short.map(|s| format!("-{s}")));
            w
        })
        .collect();
    let commands: Vec<&str> = SUBCOMMANDS.iter().map(|c| c.name).collect();
    let mut values = String::new();
    for o in OPTIONS.iter().filter(|o| matches!(o.arg, Arg::Value(..))) {
        let mut names = format!("--{}", o.long);
        if let Some(s) = o.short {
            let _ = write!(names, "|-{s}");
        }
        let action = if takes_path(o) {
            "COMPREPLY=($(compgen -f -- \"$cur\"))"
        } else {
            "COMPREPLY=()"
        };
        let _ = writeln!(values, "        {names}) {action}; return ;;");
    }
    let mut receive_values = String::new();
    let mut receive_words = Vec::new();
    for (long, value, _) in crate::receive::options() {
        receive_words.push(format!("--{long}"));
        let action = if value == "PATH" {
            "COMPREPLY=($(compgen -f -- \"$cur\"))"
        } else {
            "COMPREPLY=()"
        };
        let _ = writeln!(receive_values, "            --{long}) {action}; return ;;");
    }
    receive_words.push("--help".to_owned());
    format!(
        "# bash completion for repository-dispatch (repository-dispatch completions bash)
_repository_dispatch() {{
    local cur prev
    cur=\"${{COMP_WORDS[COMP_CWORD]}}\"
    prev=\"${{COMP_WORDS[COMP_CWORD-1]}}\"
    if [ \"$COMP_CWORD\" -gt 1 ]; then
        case \"${{COMP_WORDS[1]}}\" in
        receive)
            case \"$prev\" in
{receive_values}            esac
            COMPREPLY=($(compgen -W \"{receive_words}\" -- \"$cur\"))
            return ;;
        completions|help|man)
            if [ \"$COMP_CWORD\" -eq 2 ] && [ \"${{COMP_WORDS[1]}}\" = completions ]; then
                COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\"))
            elif [ \"$COMP_CWORD\" -eq 2 ] && [ \"${{COMP_WORDS[1]}}\" = help ]; then
                COMPREPLY=($(compgen -W \"receive\" -- \"$cur\"))
            else
                COMPREPLY=()
            fi
            return ;;
        esac
    fi
    case \"$prev\" in
{values}    esac
    if [ \"$COMP_CWORD\" -eq 1 ]; then
        COMPREPLY=($(compgen -W \"{commands} {words}\" -- \"$cur\"))
    else
        COMPREPLY=($(compgen -W \"{words}\" -- \"$cur\"))
    fi
}}
complete -F _repository_dispatch repository-dispatch
",
        receive_words = receive_words.join(" "),
        commands = commands.join(" "),
        words = words.join(" ")
    )
}

/// Text for inside single quotes in zsh and fish: `'` closed, escaped, reopened.
fn quoted(text: &str) -> String {
    text.replace('\'', "'\\''")
}

fn zsh() -> String {
    let mut specs = String::new();
    for o in OPTIONS {
        let description = zsh_description(summary(o));
        let value = match o.arg {
            Arg::Value(placeholder, _) if takes_path(o) => format!(":{placeholder}:_files"),
            Arg::Value(placeholder, _) => format!(":{placeholder}: "),
            Arg::Switch(_) => String::new(),
        };
        match o.short {
            Some(s) => {
                let _ = writeln!(
                    specs,
                    "  '(-{s} --{long})'{{-{s},--{long}}}'[{description}]{value}' \\",
                    long = o.long
                );
            }
            None => {
                let _ = writeln!(specs, "  '--{}[{description}]{value}' \\", o.long);
            }
        }
    }
    let mut receive_specs = String::new();
    for (long, value, help) in crate::receive::options() {
        let action = if value == "PATH" { "_files" } else { " " };
        let _ = writeln!(
            receive_specs,
            "    '--{long}[{}]:{value}:{action}' \\",
            zsh_description(help)
        );
    }
    let commands: Vec<&str> = SUBCOMMANDS.iter().map(|c| c.name).collect();
    format!(
        "#compdef repository-dispatch
# zsh completion for repository-dispatch (repository-dispatch completions zsh)
if (( CURRENT > 2 )); then
  case ${{words[2]}} in
  receive)
    shift words
    (( CURRENT-- ))
    _arguments -s \\
{receive_specs}    '(-h --help)'{{-h,--help}}'[print this help]'
    return ;;
  completions)
    (( CURRENT == 3 )) && _values shell bash zsh fish
    return ;;
  help)
    (( CURRENT == 3 )) && _values topic receive
    return ;;
  man)
    return ;;
  esac
fi
_arguments -s \\
{specs}  '1: :({})'
",
        commands.join(" ")
    )
}

/// A description for inside a zsh `_arguments` spec: single-quoted, brackets
/// escaped.
fn zsh_description(text: &str) -> String {
    quoted(&text.replace('[', "\\[").replace(']', "\\]"))
}

fn fish() -> String {
    let mut out = String::from(
        "# fish completion for repository-dispatch (repository-dispatch completions fish)\n",
    );
    for o in OPTIONS {
        let _ = write!(out, "complete -c repository-dispatch -l {}", o.long);
        if let Some(s) = o.short {
            let _ = write!(out, " -s {s}");
        }
        match o.arg {
            Arg::Value(..) if takes_path(o) => out.push_str(" -r -F"),
            Arg::Value(..) => out.push_str(" -r -f"),
            Arg::Switch(_) => out.push_str(" -f"),
        }
        let _ = writeln!(
            out,
            " -d '{}' -n 'not __fish_seen_subcommand_from receive'",
            quoted(summary(o))
        );
    }
    for c in SUBCOMMANDS {
        let _ = writeln!(
            out,
            "complete -c repository-dispatch -n __fish_use_subcommand -f -a {} -d '{}'",
            c.name,
            quoted(c.help.lines().next().unwrap_or(""))
        );
    }
    out.push_str(
        "complete -c repository-dispatch -n '__fish_seen_subcommand_from completions' -f -a 'bash zsh fish'\n\
         complete -c repository-dispatch -n '__fish_seen_subcommand_from help' -f -a receive\n",
    );
    for (long, value, help) in crate::receive::options() {
        let files = if value == "PATH" { "-F" } else { "-f" };
        let _ = writeln!(
            out,
            "complete -c repository-dispatch -n '__fish_seen_subcommand_from receive' -l {long} -r {files} -d '{}'",
            quoted(help)
        );
    }
    out
}

/// The man page (roff), from the same table as `--help`.
#[must_use]
pub fn man_page() -> String {
    let escape = |t: &str| t.replace('\\', "\\e").replace('-', "\\-");
    let mut synopsis = String::new();
    let mut commands = String::from(".SH COMMANDS\n");
    for c in SUBCOMMANDS {
        let _ = writeln!(
            synopsis,
            ".br\n.B repository\\-dispatch\n{}",
            escape(&format!("{} {}", c.name, c.args)).trim_end()
        );
        let _ = writeln!(
            commands,
            ".TP\n{}\n{}",
            format!("\\fB{}\\fR {}", escape(c.name), escape(c.args)).trim_end(),
            escape(&c.help.replace('\n', " "))
        );
    }
    let mut out = format!(
        ".TH REPOSITORY\\-DISPATCH 1 \"\" \"repository\\-dispatch {}\" \"User Commands\"
.SH NAME
repository\\-dispatch \\- send a repository_dispatch or workflow_dispatch event to GitHub repositories, and validate one where it arrives
.SH SYNOPSIS
.B repository\\-dispatch
\\-\\-repository \\fIOWNER/NAME\\fR \\-\\-event\\-type \\fITYPE\\fR [\\fIOPTIONS\\fR]
.br
.B repository\\-dispatch
\\-\\-repository \\fIOWNER/NAME\\fR \\-\\-workflow \\fIFILE\\fR \\-\\-ref \\fIREF\\fR [\\fIOPTIONS\\fR]
{synopsis}.SH DESCRIPTION
Validates every input, then sends one dispatch per repository through the GitHub REST API,
retried only when GitHub surely did not act, and optionally waits for the run it started.
As a GitHub Action the inputs arrive as INPUT_* environment variables; flags win over them.
The token comes from GH_TOKEN, GITHUB_TOKEN or \\-\\-token\\-file.
In the receiving workflow, \\fBreceive\\fR checks the event that started the run against a JSON Schema
before any script reads it.
{commands}.SH OPTIONS
",
        env!("CARGO_PKG_VERSION")
    );
    for o in OPTIONS {
        out.push_str(".TP\n");
        let short = o
            .short
            .map(|s| format!("\\fB\\-{s}\\fR, "))
            .unwrap_or_default();
        let value = match o.arg {
            Arg::Value(placeholder, _) => format!(" \\fI{}\\fR", escape(placeholder)),
            Arg::Switch(_) => String::new(),
        };
        let _ = writeln!(out, "{short}\\fB\\-\\-{}\\fR{value}", escape(o.long));
        let _ = writeln!(out, "{}", escape(&o.help.replace('\n', " ")));
    }
    out.push_str(
        ".SH EXIT STATUS
0 dispatched (and, with \\-\\-wait, the run succeeded); 1 failed; 2 invalid input (nothing sent).
",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commands_and_their_misuse() {
        let asked = |args: &[&str]| parse(&args.iter().map(OsString::from).collect::<Vec<_>>());
        assert_eq!(asked(&["help"]), Ok(Asked::Help));
        assert_eq!(asked(&["help", "receive"]), Ok(Asked::ReceiveHelp));
        assert_eq!(asked(&["man"]), Ok(Asked::Man));
        assert_eq!(
            asked(&["completions", "zsh"]),
            Ok(Asked::Completions(Shell::Zsh))
        );
        for (bad, command) in [
            (&["help", "man"][..], "help"),
            (&["help", "receive", "x"], "help"),
            (&["man", "x"], "man"),
            (&["completions"], "completions"),
            (&["completions", "tcsh"], "completions"),
            (&["completions", "bash", "x"], "completions"),
        ] {
            assert_eq!(
                asked(bad).map_err(|e| e.input),
                Err(command.to_owned()),
                "{bad:?}"
            );
        }
        // Every command the help lists but receive and revoke (flows of
        // their own) is one of these.
        for c in SUBCOMMANDS
            .iter()
            .filter(|c| !matches!(c.name, "receive" | "revoke"))
        {
            let args: &[&str] = match c.name {
                "completions" => &["completions", "bash"],
                name => &[name][..],
            };
            assert!(asked(args).is_ok(), "{}", c.name);
        }
    }

    #[test]
    fn every_option_is_in_every_script_and_the_man_page() {
        let (b, z, f, m) = (bash(), zsh(), fish(), man_page());
        for o in OPTIONS {
            assert!(
                b.contains(&format!("--{}", o.long)),
                "bash lacks --{}",
                o.long
            );
            assert!(
                z.contains(&format!("--{}", o.long)),
                "zsh lacks --{}",
                o.long
            );
            assert!(
                f.contains(&format!("-l {} ", o.long)),
                "fish lacks --{}",
                o.long
            );
            assert!(
                m.contains(&format!("\\fB\\-\\-{}\\fR", o.long.replace('-', "\\-"))),
                "man page lacks --{}",
                o.long
            );
            if let Some(s) = o.short {
                assert!(b.contains(&format!(" -{s}")), "bash lacks -{s}");
                assert!(f.contains(&format!("-s {s} ")), "fish lacks -{s}");
            }
        }
        for c in SUBCOMMANDS {
            for (shell, script) in [("bash", &b), ("zsh", &z), ("fish", &f), ("man", &m)] {
                assert!(script.contains(c.name), "{shell} lacks {}", c.name);
            }
        }
        assert!(b.contains("--token-file) COMPREPLY=($(compgen -f"));
        assert!(
            f.contains("complete -c repository-dispatch -l dry-run -s n -f -d 'validate and print")
        );
        assert!(z.contains("'(-r --repository)'{-r,--repository}'[target repository; repeat it, or separate several with commas,]:OWNER/NAME: ' \\"));
        assert_eq!(Shell::parse("zsh"), Ok(Shell::Zsh));
        assert!(Shell::parse("tcsh").is_err());
    }
}
