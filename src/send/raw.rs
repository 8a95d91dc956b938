//! The inputs as given ("low" form, as ripgrep's lowargs): the runner's
//! `INPUT_*` variables read with envy, both spellings, then command-line flags
//! over them, each value with where it came from. `inputs` validates them.

use std::collections::HashMap;
use std::path::Path;

use crate::action::env::{Env, InputError};
use crate::action::spec::{self};
use crate::action::voice::Voice;
use crate::send::cli::Flags;
use crate::util::files::{self, MAX_PAYLOAD_FILE_BYTES, MAX_TOKEN_FILE_BYTES};

/// Where a raw value came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An `INPUT_*` variable: a `with:` value or the action's default.
    Input,
    /// A command-line flag.
    Flag,
    /// Another environment variable (`GITHUB_REPOSITORY`, `GH_TOKEN`, ...).
    Env(&'static str),
    /// A file named by a flag.
    File(String),
}

/// Inputs as given: strings, trimmed, not yet validated.
#[derive(Debug, Default)]
pub struct RawInputs {
    pub(super) values: HashMap<&'static str, (String, Origin)>,
    pub(super) api_url: Option<(String, Origin)>,
    pub(super) dry_run: bool,
    /// In a terminal with no token: `gh` is on `PATH`, so its login can be
    /// suggested (it is never run).
    pub(super) gh_installed: bool,
    /// Who reads the messages.
    pub(super) voice: Voice,
    /// Private keys (PEM) found in other inputs, which were refused and
    /// dropped: still masked, so that no piece of them is ever shown.
    pub(super) stray_keys: Vec<String>,
}

impl RawInputs {
    /// Reads `INPUT_*` variables (both the runner's hyphenated names and the
    /// underscore spellings), then applies flags over them. Returns the inputs
    /// read and the errors met; the inputs come back even with errors so that
    /// the token can still be masked.
    #[must_use]
    pub fn from_env_and_flags(env: &Env, flags: Flags) -> (Self, Vec<InputError>) {
        let (given, mut errors) = crate::action::env::read_inputs(
            env,
            spec::INPUTS
                .iter()
                .map(|i| (i.name, !matches!(i.default, spec::Default::None))),
        );
        let mut raw = Self::default();
        for (name, value) in given {
            raw.values.insert(name, (value, Origin::Input));
        }
        for (name, value) in flags.inputs {
            raw.values
                .insert(name, (value.trim().to_owned(), Origin::Flag));
        }
        raw.payload_from_flags(flags.client_payload_file, &flags.fields, &mut errors);
        if let Some(path) = flags.private_key_file {
            raw.key_from_file(path, &mut errors);
        }
        raw.refuse_stray_keys(Voice::of(env), &mut errors);
        let token_file_given = flags.token_file.is_some();
        if let Some(path) = flags.token_file {
            match read_file(&path, MAX_TOKEN_FILE_BYTES) {
                Ok(text) => {
                    raw.values
                        .insert("token", (text.trim().to_owned(), Origin::File(path)));
                }
                Err(e) => errors.push(InputError::new(
                    "token",
                    match token_as_path(&path) {
                        Some(refusal) => format!("could not read --token-file: {refusal}"),
                        None => format!("could not read --token-file {path}: {e}: give a regular file holding only the token, or - to read standard input"),
                    },
                )),
            }
        }
        // Outside a workflow, environment variables stand in for the
        // runner's expressions (`${{ github.token }}`), in the table's order.
        for input in spec::INPUTS {
            let spec::Default::Runner { vars, .. } = input.default else {
                continue;
            };
            if raw.values.contains_key(input.name)
                || (input.name == spec::TOKEN.name && token_file_given)
            {
                continue;
            }
            for &var in vars {
                match env.var(var) {
                    Ok(Some(v)) if !v.trim().is_empty() => {
                        raw.values
                            .insert(input.name, (v.trim().to_owned(), Origin::Env(var)));
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(e),
                }
            }
        }
        raw.api_url = match flags.api_url {
            Some(u) => Some((u.trim().to_owned(), Origin::Flag)),
            None => match env.var("GITHUB_API_URL") {
                Ok(v) => v.map(|u| (u.trim().to_owned(), Origin::Env("GITHUB_API_URL"))),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        raw.dry_run = flags.dry_run;
        raw.voice = Voice::of(env);
        raw.gh_installed =
            !raw.values.contains_key(spec::TOKEN.name) && !env.in_actions() && gh_on_path(env);
        (raw, errors)
    }

    /// The private key from `--private-key-file`; a value that looks like a
    /// key or a token rather than a path is refused without being shown.
    fn key_from_file(&mut self, path: String, errors: &mut Vec<InputError>) {
        match read_file(&path, MAX_TOKEN_FILE_BYTES) {
            Ok(text) => {
                self.values.insert(
                    spec::PRIVATE_KEY.name,
                    (text.trim().to_owned(), Origin::File(path)),
                );
            }
            Err(e) => errors.push(InputError::new(
                spec::PRIVATE_KEY.name,
                match key_as_path(&path) {
                    Some(refusal) => format!("could not read --private-key-file: {refusal}"),
                    None => format!("could not read --private-key-file {path}: {e}: give the .pem file the App's settings page downloads, or - to read standard input"),
                },
            )),
        }
    }

    /// Refuses, without showing it, every input other than `private-key`
    /// that holds a private key (a PEM block pasted into the wrong input):
    /// the repository parser and the other checks would echo pieces of it
    /// (base64 holds `/`, and a whole-line mask matches no piece). The value
    /// is dropped, and kept only to be masked.
    fn refuse_stray_keys(&mut self, voice: Voice, errors: &mut Vec<InputError>) {
        let mut names: Vec<&'static str> = self
            .values
            .iter()
            .filter(|(name, (value, _))| {
                **name != spec::PRIVATE_KEY.name
                    && **name != spec::TOKEN.name
                    && crate::secret::holds_private_key(value)
            })
            .map(|(name, _)| *name)
            .collect();
        names.sort_unstable();
        for name in names {
            if let Some((value, _)) = self.values.remove(name) {
                self.stray_keys.push(value);
            }
            let shown = |n: &str| {
                spec::INPUTS
                    .iter()
                    .find(|i| i.name == n)
                    .map_or_else(|| n.to_owned(), |i| voice.name(i))
            };
            let key = match voice {
                Voice::Workflow => "private-key, from a secret",
                Voice::Shell => "--private-key-file PATH",
            };
            errors.push(InputError::new(
                name,
                format!(
                    "{} holds a private key (a PEM block), which is not shown: pass the key only as {key}, and give {} its own value",
                    shown(name),
                    shown(name)
                ),
            ));
        }
    }

    /// The payload from `--client-payload-file`, or built from fields (for a
    /// workflow dispatch, its inputs).
    fn payload_from_flags(
        &mut self,
        client_payload_file: Option<String>,
        fields: &[crate::send::fields::Field],
        errors: &mut Vec<InputError>,
    ) {
        if let Some(path) = client_payload_file {
            match read_file(&path, MAX_PAYLOAD_FILE_BYTES) {
                Ok(text) => {
                    self.values.insert(
                        "client-payload",
                        (text.trim().to_owned(), Origin::File(path)),
                    );
                }
                Err(e) => errors.push(InputError::new(
                    "client-payload",
                    match token_as_path(&path) {
                        Some(refusal) => format!("could not read --client-payload-file: {refusal}"),
                        None => format!("could not read --client-payload-file {path}: {e}: give a regular file holding the JSON object, or - to read standard input"),
                    },
                )),
            }
        }
        if !fields.is_empty() {
            // Fields build the payload, or a workflow dispatch's inputs.
            let target = if self.values.contains_key(spec::WORKFLOW.name) {
                spec::WORKFLOW_INPUTS.name
            } else {
                spec::CLIENT_PAYLOAD.name
            };
            let mut read = |path: &str| read_file(path, MAX_PAYLOAD_FILE_BYTES);
            match crate::send::fields::build(fields, &mut read) {
                Ok(json) => {
                    self.values.insert(target, (json, Origin::Flag));
                }
                Err(e) => errors.push(InputError::new(target, e)),
            }
        }
    }

    /// The secrets as given, even if invalid, so that they can be masked
    /// before anything else is printed: the token, and a GitHub App's private
    /// key (whole, and each line of its body).
    #[must_use]
    pub fn secrets_to_mask(&self) -> Vec<String> {
        let mut secrets: Vec<String> = self
            .values
            .get("token")
            .map(|(v, _)| v.clone())
            .filter(|v| !v.is_empty())
            .into_iter()
            .collect();
        if let Some((key, _)) = self.values.get(spec::PRIVATE_KEY.name) {
            secrets.extend(crate::auth::mint::key_parts(key));
        }
        for key in &self.stray_keys {
            secrets.extend(crate::auth::mint::key_parts(key));
        }
        secrets
    }

    pub(super) fn get(&self, name: &str) -> Option<&(String, Origin)> {
        self.values.get(name)
    }
}

/// A path flag given a token instead of a path (`--token-file "$GH_TOKEN"`):
/// the refusal to show in place of the path, which must not be echoed.
pub(super) fn token_as_path(path: &str) -> Option<String> {
    crate::secret::token_shaped(path).then(|| {
        format!(
            "the value ({} characters) looks like a token, not a path, and is not shown; the flag takes the path of a file (or - for standard input): set GITHUB_TOKEN or GH_TOKEN to pass the token itself",
            path.chars().count()
        )
    })
}

/// A path flag given a private key (`--private-key-file "$(cat app.pem)"`) or
/// a token instead of a path: a refusal that does not show it. A path is one
/// line of at most 4096 bytes without a PEM armour line.
pub(super) fn key_as_path(path: &str) -> Option<String> {
    let key_like = path.contains("-----")
        || path.contains(['\n', '\r'])
        || path.len() > 4096
        || crate::secret::token_shaped(path)
        || crate::secret::key_shaped(path);
    key_like.then(|| {
        format!(
            "the value ({} characters) looks like a key or a token, not a path, and is not shown; the flag takes the path of the .pem file (or - for standard input)",
            path.chars().count()
        )
    })
}

/// Whether an executable `gh` (`gh.exe` on Windows) is in one of `PATH`'s
/// directories. It is only looked at, never run.
pub(super) fn gh_on_path(env: &Env) -> bool {
    env.get("PATH").is_some_and(|path| {
        std::env::split_paths(path)
            .filter(|d| !d.as_os_str().is_empty())
            .any(|dir| GH_NAMES.iter().any(|gh| is_executable(&dir.join(gh))))
    })
}

/// The names `gh` is installed under: Windows runs a program by its `.exe`.
const GH_NAMES: &[&str] = if cfg!(windows) {
    &["gh.exe", "gh"]
} else {
    &["gh"]
};

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Windows has no executable bit: a file is enough.
#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// A file named by a flag, or standard input for `-`, read through
/// [`files`]: a regular file only, at most `cap` bytes, never blocking on open.
pub(super) fn read_file(path: &str, cap: u64) -> Result<String, String> {
    let bytes = if path == "-" {
        files::read_up_to(std::io::stdin().lock(), cap)
    } else {
        files::read_capped(Path::new(path), cap)
    }
    .map_err(|e| format!("{e:#}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "it is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
