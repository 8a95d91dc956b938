//! The one command-line reader of every flow, driven by the flow's table of
//! options: `--name VALUE`, `--name=VALUE`, short options and their clusters
//! (`-nr OWNER/NAME`, as getopt reads one), switches. It says what it found
//! or, typed, what was wrong; each flow words that in its own voice
//! ([`InputError`](super::env::InputError)), so that nothing here echoes an
//! argument that may be a secret.

use std::collections::VecDeque;
use std::ffi::OsString;

use super::args::could_be_secret;
use super::env::InputError;

/// One option of a flow's table, as the reader sees it.
pub trait Flag: 'static {
    /// The long name, without its dashes.
    fn long(&self) -> &'static str;
    /// The short letter, if any.
    fn short(&self) -> Option<char>;
    /// Whether it takes a value (`--name VALUE`, `--name=VALUE`); otherwise
    /// it is a switch.
    fn takes_value(&self) -> bool;
}

/// An option as given.
#[derive(Debug)]
pub struct Given<F: 'static> {
    pub opt: &'static F,
    /// Its value, for an option that takes one.
    pub value: Option<String>,
}

/// Why the command line could not be read, before any words: the flow says
/// it. Only option names and letters of the table are held as typed; an
/// argument that is not one is held whole for the flow to show through
/// [`shown`](super::args::shown).
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// An argument that is not UTF-8, as `shown` shows its lossy text.
    NotUtf8 { shown: String },
    /// A bare word (`o/r`) where an option was expected.
    Bare { arg: String },
    /// A short option with something attached (`-rOWNER/NAME`, `-t=VALUE`):
    /// its letter and how many characters followed it.
    Attached {
        arg: String,
        letter: char,
        attached: usize,
    },
    /// A cluster of short options with one that takes a value before its
    /// end (`-rn`): the cluster and that option's letter.
    Cluster { arg: String, letter: char },
    /// No option of the table: `name` as split from `--name=VALUE`.
    Unknown { arg: String, name: String },
    /// A switch given a value (`--wait=yes`): its name as typed.
    SwitchWithValue { arg: String, name: String },
    /// An option that takes a value came without one: its long name.
    NoValue { long: &'static str },
    /// Its value (the next argument) is not UTF-8.
    ValueNotUtf8 { long: &'static str },
    /// The next argument starts with `-` like an option (`-e -n`): most
    /// likely a forgotten value. `-` alone (standard input) is a value.
    ValueLikeOption { long: &'static str },
}

/// Reads the arguments after the command's name against `table`.
pub struct Reader<F: 'static, I> {
    table: &'static [F],
    args: I,
    /// The options of a cluster (`-nr`), each in turn.
    pending: VecDeque<&'static F>,
}

impl<F: Flag, I: Iterator<Item = OsString>> Reader<F, I> {
    pub fn new(table: &'static [F], args: impl IntoIterator<IntoIter = I>) -> Self {
        Self {
            table,
            args: args.into_iter(),
            pending: VecDeque::new(),
        }
    }

    /// The option `--long` or `-s` of the table.
    fn option(&self, name: &str) -> Option<&'static F> {
        if let Some(long) = name.strip_prefix("--") {
            return self.table.iter().find(|o| o.long() == long);
        }
        let mut chars = name.strip_prefix('-')?.chars();
        let (Some(letter), None) = (chars.next(), chars.next()) else {
            return None;
        };
        self.table.iter().find(|o| o.short() == Some(letter))
    }

    /// The next option, with its value if it takes one; `None` at the end.
    pub fn next_option(&mut self) -> Option<Result<Given<F>, Refused>> {
        if let Some(opt) = self.pending.pop_front() {
            return Some(self.with_value(opt, None));
        }
        let arg = match self.args.next()?.into_string() {
            Ok(arg) => arg,
            Err(a) => {
                return Some(Err(Refused::NotUtf8 {
                    shown: super::args::shown(&a.to_string_lossy()),
                }));
            }
        };
        Some(self.read(arg))
    }

    fn read(&mut self, arg: String) -> Result<Given<F>, Refused> {
        if let Some((first, rest)) = self.cluster(&arg)? {
            self.pending.extend(rest);
            return self.with_value(first, None);
        }
        let (name, inline) = split(&arg)?;
        let Some(opt) = self.option(&name) else {
            return Err(Refused::Unknown { arg, name });
        };
        if !opt.takes_value() && inline.is_some() {
            return Err(Refused::SwitchWithValue { arg, name });
        }
        self.with_value(opt, inline)
    }

    /// `opt` with its value: attached (`--flag=VALUE`) or the next argument.
    fn with_value(&mut self, opt: &'static F, inline: Option<String>) -> Result<Given<F>, Refused> {
        if !opt.takes_value() {
            return Ok(Given { opt, value: None });
        }
        let long = opt.long();
        if let Some(v) = inline {
            return Ok(Given {
                opt,
                value: Some(v),
            });
        }
        let Some(value) = self.args.next() else {
            return Err(Refused::NoValue { long });
        };
        let value = value
            .into_string()
            .map_err(|_| Refused::ValueNotUtf8 { long })?;
        if value.starts_with('-') && value != "-" {
            return Err(Refused::ValueLikeOption { long });
        }
        Ok(Given {
            opt,
            value: Some(value),
        })
    }

    /// A cluster of short options (`-nr OWNER/NAME`), as getopt reads one:
    /// each letter an option, every one but the last a switch, the last a
    /// switch or an option whose value is the next argument. Returns the
    /// first option and the rest, `None` for anything that is not made of
    /// two option letters or more (the caller refuses `-rOWNER/NAME`: an
    /// attached value may be a secret), and an error for a cluster with a
    /// value option before its end.
    fn cluster(&self, arg: &str) -> Result<Option<(&'static F, Vec<&'static F>)>, Refused> {
        let Some(letters) = arg
            .strip_prefix('-')
            .filter(|l| !l.starts_with('-') && !could_be_secret(arg))
        else {
            return Ok(None);
        };
        let options: Option<Vec<&'static F>> = letters
            .chars()
            .map(|c| self.table.iter().find(|o| o.short() == Some(c)))
            .collect();
        let Some((first, rest)) = options
            .as_deref()
            .filter(|o| o.len() > 1)
            .and_then(<[_]>::split_first)
        else {
            return Ok(None);
        };
        // Every one but the last: the first, and the rest but its last.
        let mut before_last = std::iter::once(first).chain(&rest[..rest.len() - 1]);
        if let Some(valued) = before_last.find(|o| o.takes_value()) {
            return Err(Refused::Cluster {
                arg: arg.to_owned(),
                letter: valued.short().unwrap_or('?'),
            });
        }
        Ok(Some((first, rest.to_vec())))
    }
}

/// Splits `--name=value`; refuses a bare word and a short option with
/// something attached (`-rOWNER/NAME`, `-t=VALUE`).
fn split(arg: &str) -> Result<(String, Option<String>), Refused> {
    if !arg.starts_with('-') || arg == "-" {
        return Err(Refused::Bare {
            arg: arg.to_owned(),
        });
    }
    if !arg.starts_with("--") {
        let mut chars = arg.chars();
        chars.next(); // the dash
        if let Some(letter) = chars.next() {
            let attached = chars.count();
            if attached > 0 {
                return Err(Refused::Attached {
                    arg: arg.to_owned(),
                    letter,
                    attached,
                });
            }
        }
    }
    if arg.starts_with("--")
        && let Some((n, v)) = arg.split_once('=')
    {
        return Ok((n.to_owned(), Some(v.to_owned())));
    }
    Ok((arg.to_owned(), None))
}

/// A flag's value trimmed, or the empty-value refusal: an unset shell
/// variable (`--schema-file "$SCHEMA"`) is a mistake, not "not given".
/// `placeholder` is what the option takes (`PATH`).
pub fn not_empty(flag: &str, placeholder: &str, value: &str) -> Result<String, InputError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(InputError::flag(
            flag,
            format!(
                "{flag} is empty: give {placeholder}, or leave the option out; an unset or empty shell variable, as in {flag} \"$VALUE\", also gives this"
            ),
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Opt(&'static str, Option<char>, bool);

    impl Flag for Opt {
        fn long(&self) -> &'static str {
            self.0
        }
        fn short(&self) -> Option<char> {
            self.1
        }
        fn takes_value(&self) -> bool {
            self.2
        }
    }

    const TABLE: &[Opt] = &[
        Opt("repository", Some('r'), true),
        Opt("dry-run", Some('n'), false),
        Opt("event-type", None, true),
    ];

    /// The options read, as (long, value), or the first refusal.
    fn read(args: &[&str]) -> Result<Vec<(&'static str, Option<String>)>, Refused> {
        let mut reader = Reader::new(TABLE, args.iter().map(OsString::from));
        let mut read = Vec::new();
        while let Some(given) = reader.next_option() {
            let given = given?;
            read.push((given.opt.long(), given.value));
        }
        Ok(read)
    }

    fn check(args: &[&str], expected: Result<&[(&'static str, Option<&str>)], Refused>) {
        let expected = expected.map(|e| {
            e.iter()
                .map(|(l, v)| (*l, v.map(str::to_owned)))
                .collect::<Vec<_>>()
        });
        assert_eq!(read(args), expected, "{args:?}");
    }

    #[test]
    fn options_values_and_clusters() {
        check(&[], Ok(&[]));
        check(
            &["--repository", "o/a", "-r", "o/b", "--event-type=-x"],
            Ok(&[
                ("repository", Some("o/a")),
                ("repository", Some("o/b")),
                ("event-type", Some("-x")),
            ]),
        );
        check(&["-r", "-"], Ok(&[("repository", Some("-"))]));
        check(
            &["-nr", "o/r"],
            Ok(&[("dry-run", None), ("repository", Some("o/r"))]),
        );
        check(&["--event-type="], Ok(&[("event-type", Some(""))]));
        check(
            &["--event-type=x", "-n"],
            Ok(&[("event-type", Some("x")), ("dry-run", None)]),
        );
    }

    #[test]
    fn refusals_are_typed() {
        let owned = |s: &str| s.to_owned();
        check(&["o/r"], Err(Refused::Bare { arg: owned("o/r") }));
        check(
            &["-ro/r"],
            Err(Refused::Attached {
                arg: owned("-ro/r"),
                letter: 'r',
                attached: 3,
            }),
        );
        check(
            &["-rn", "o/r"],
            Err(Refused::Cluster {
                arg: owned("-rn"),
                letter: 'r',
            }),
        );
        check(
            &["--bogus=1"],
            Err(Refused::Unknown {
                arg: owned("--bogus=1"),
                name: owned("--bogus"),
            }),
        );
        check(
            &["--dry-run=yes"],
            Err(Refused::SwitchWithValue {
                arg: owned("--dry-run=yes"),
                name: owned("--dry-run"),
            }),
        );
        check(&["-r"], Err(Refused::NoValue { long: "repository" }));
        check(
            &["--event-type", "-n"],
            Err(Refused::ValueLikeOption { long: "event-type" }),
        );
    }

    #[test]
    fn empty_values_are_refused() {
        assert_eq!(not_empty("--x", "PATH", " a "), Ok("a".to_owned()));
        let e = not_empty("--x", "PATH", "  ").unwrap_err();
        assert_eq!(e.title(), "Invalid option: --x");
        assert!(e.message.starts_with("--x is empty: give PATH,"), "{e:?}");
    }
}
