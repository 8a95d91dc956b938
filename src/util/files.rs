//! Local files the step opens: `SSL_CERT_FILE` and the certificates of
//! `SSL_CERT_DIR`, `--token-file`, `--client-payload-file`, `GITHUB_OUTPUT` and
//! `GITHUB_STEP_SUMMARY`. Regular files only, read up to a cap, never blocking.
//!
//! A path comes from the environment or a flag and may name anything: a FIFO
//! (opening one blocks until a writer or reader appears), `/dev/zero` (endless),
//! a directory. On Unix every file is opened with `O_NONBLOCK`, which makes
//! `open` return at once, and then `fstat` on the opened descriptor decides, so
//! that nothing can change between the check and the use. `O_NONBLOCK` changes
//! nothing for reads and writes of a regular file or `/dev/null`.
//!
//! On Windows opening never waits (a named pipe whose instances are all busy
//! fails with `ERROR_PIPE_BUSY`), but reading a pipe or a device such as `CON`
//! can; `GetFileType` on the opened handle decides there (a disk file, a
//! character device, a pipe), and `NUL` stands where Unix has `/dev/null`.
use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Write as _};
#[cfg(unix)]
use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _, OpenOptionsExt as _};
use std::path::Path;

use anyhow::{Context as _, bail};

/// The most a certificate file may hold: Mozilla's whole bundle is about
/// 220 KB, so 4 MiB leaves room for any private CA bundle.
pub const MAX_CERT_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// The most a token file may hold: GitHub's tokens are under 300 characters.
pub const MAX_TOKEN_FILE_BYTES: u64 = 16 * 1024;
/// The most a payload file may hold: GitHub takes under 64 KiB of compacted
/// JSON; 1 MiB leaves room for indentation and line breaks.
pub const MAX_PAYLOAD_FILE_BYTES: u64 = 1024 * 1024;

/// Reads a regular file of at most `cap` bytes.
///
/// Returns an error (whose message does not repeat the path, for the caller to
/// frame with the variable or flag; print it with `{:#}`) if and only if the
/// file cannot be opened or read, is not a regular file, or holds more than
/// `cap` bytes.
pub fn read_capped(path: &Path, cap: u64) -> anyhow::Result<Vec<u8>> {
    let file = open(path, OpenOptions::new().read(true), "could not open it")?;
    let meta = match kind(&file, path)? {
        Kind::Regular(meta) => meta,
        Kind::Null => bail!("it is a character device, not a regular file"),
    };
    if meta.len() > cap {
        bail!(too_large(cap));
    }
    read_up_to(file, cap)
}

/// Reads at most `cap` bytes from a stream (standard input for `-`).
///
/// Returns an error if and only if reading fails or there are more than `cap`
/// bytes.
pub fn read_up_to(reader: impl Read, cap: u64) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .context("could not read it")?;
    if bytes.len() as u64 > cap {
        bail!(too_large(cap));
    }
    Ok(bytes)
}

/// Appends `text` to a file opened as [`open_append`] opens it.
///
/// Returns an error (as [`read_capped`]) if and only if it cannot be opened
/// or written.
pub fn append(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = open_append(path)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .context("could not write to it")
}

/// Opens a file to append to, creating it if missing, for `GITHUB_OUTPUT` and
/// `GITHUB_STEP_SUMMARY`.
///
/// Returns an error (as [`read_capped`]) if and only if it cannot be opened for
/// writing or is neither a regular file nor `/dev/null` (`NUL` on Windows),
/// which people use to throw the outputs away.
pub fn open_append(path: &Path) -> anyhow::Result<File> {
    let file = open(
        path,
        OpenOptions::new().append(true).create(true),
        "could not open it for appending",
    )?;
    kind(&file, path)?;
    Ok(file)
}

/// What an opened file may be: anything else is refused by [`kind`].
enum Kind {
    Regular(Metadata),
    /// `/dev/null`, or `NUL` on Windows.
    Null,
}

/// What the opened `file` is, from the descriptor itself (`fstat`).
///
/// Returns an error if and only if it cannot be asked or the file is neither
/// a regular file nor the null device.
#[cfg(unix)]
fn kind(file: &File, _path: &Path) -> anyhow::Result<Kind> {
    let meta = file.metadata().context("could not stat it")?;
    if meta.is_file() {
        Ok(Kind::Regular(meta))
    } else if is_dev_null(&meta) {
        Ok(Kind::Null)
    } else {
        bail!(not_regular(&meta))
    }
}

/// What the opened `file` is, from the handle itself (`GetFileType`, then
/// the handle's attributes); a character device is `NUL` only by its name.
///
/// Returns an error if and only if it cannot be asked or the file is neither
/// a regular file nor `NUL`.
#[cfg(windows)]
fn kind(file: &File, path: &Path) -> anyhow::Result<Kind> {
    let typ = winapi_util::file::typ(file).context("could not stat it")?;
    let what = if typ.is_char() {
        if names_nul(path) {
            return Ok(Kind::Null);
        }
        "a character device"
    } else if typ.is_pipe() {
        "a named pipe or a socket"
    } else if typ.is_disk() {
        let meta = file.metadata().context("could not stat it")?;
        if meta.is_file() {
            return Ok(Kind::Regular(meta));
        }
        if meta.is_dir() {
            "a directory"
        } else {
            "something else"
        }
    } else {
        "something else"
    };
    bail!("it is {what}, not a regular file")
}

/// Whether a path names Windows' null device: `NUL`, `nul.txt`, `C:\x\NUL`,
/// `\\.\NUL`, `NUL:` (a reserved name in any folder, any extension).
#[cfg(any(windows, test))]
fn names_nul(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    let last = text.rsplit(['\\', '/']).next().unwrap_or_default();
    let stem = last.split(['.', ':']).next().unwrap_or_default();
    stem.trim_end().eq_ignore_ascii_case("nul")
}

/// Opens without blocking. A FIFO without a reader refuses a non-blocking open
/// for writing (`ENXIO`, "no such device or address"), and a socket cannot be
/// opened at all; `stat` (which never blocks) then tells what the path is, and
/// that is the error; any other failure is the system's, in the context `what`.
#[cfg(unix)]
fn open(path: &Path, options: &mut OpenOptions, what: &'static str) -> anyhow::Result<File> {
    match options.custom_flags(libc::O_NONBLOCK).open(path) {
        Ok(file) => Ok(file),
        Err(e) => match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() && !is_dev_null(&meta) => {
                bail!(not_regular(&meta))
            }
            _ => Err(anyhow::Error::new(e).context(what)),
        },
    }
}

/// Opens; on Windows that never waits, not even for a named pipe. A directory
/// cannot be opened as a file there (access denied): it is named as such.
#[cfg(windows)]
fn open(path: &Path, options: &OpenOptions, what: &'static str) -> anyhow::Result<File> {
    match options.open(path) {
        Ok(file) => Ok(file),
        Err(_) if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) => {
            bail!("it is a directory, not a regular file")
        }
        Err(e) => Err(anyhow::Error::new(e).context(what)),
    }
}

/// `/dev/null` by its device number, wherever the path pointed.
#[cfg(unix)]
fn is_dev_null(meta: &Metadata) -> bool {
    meta.file_type().is_char_device()
        && std::fs::metadata("/dev/null")
            .is_ok_and(|null| null.file_type().is_char_device() && null.rdev() == meta.rdev())
}

#[cfg(unix)]
fn not_regular(meta: &Metadata) -> String {
    let t = meta.file_type();
    let what = if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "something else"
    };
    format!("it is {what}, not a regular file")
}

fn too_large(cap: u64) -> String {
    format!("it holds more than {}", size(cap))
}

/// A byte count as its caps are written: `4 MiB`, `16 KiB`, `100 bytes`.
fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB && bytes.is_multiple_of(KIB * KIB) {
        format!("{} MiB", bytes / (KIB * KIB))
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[cfg(unix)]
    fn fifo(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        path
    }

    #[test]
    fn reads_regular_files_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_capped(&path, 5).unwrap(), b"12345");
        assert_eq!(
            format!("{:#}", read_capped(&path, 4).unwrap_err()),
            "it holds more than 4 bytes"
        );
        assert_eq!(read_up_to(&b"12345"[..], 5).unwrap(), b"12345");
        assert_eq!(
            format!("{:#}", read_up_to(&b"12345"[..], 4).unwrap_err()),
            "it holds more than 4 bytes"
        );
        let missing = format!(
            "{:#}",
            read_capped(&dir.path().join("missing"), 5).unwrap_err()
        );
        assert!(missing.starts_with("could not open it: "), "{missing}");
        assert!(missing.ends_with("(os error 2)"), "{missing}");
    }

    /// Each case would hang or read without end on a plain `File::open`.
    #[cfg(unix)]
    #[test]
    fn refuses_what_is_not_a_regular_file_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = fifo(dir.path());
        let started = Instant::now();
        for (path, says) in [
            (Path::new("/dev/zero"), "it is a character device"),
            (Path::new("/dev/null"), "it is a character device"),
            (dir.path(), "it is a directory"),
            (&fifo, "it is a named pipe (FIFO)"),
        ] {
            let e = format!("{:#}", read_capped(path, MAX_CERT_FILE_BYTES).unwrap_err());
            assert_eq!(
                e,
                format!("{says}, not a regular file"),
                "{}",
                path.display()
            );
        }
        for (path, says) in [
            (Path::new("/dev/zero"), "it is a character device"),
            (
                dir.path(),
                "could not open it for appending: Is a directory",
            ),
            (&fifo, "it is a named pipe (FIFO)"),
        ] {
            let e = format!("{:#}", open_append(path).unwrap_err());
            assert!(e.contains(says), "{}: {e}", path.display());
        }
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[cfg(unix)]
    #[test]
    fn appends_to_regular_files_and_dev_null() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        open_append(&path).unwrap().write_all(b"a").unwrap();
        open_append(&path).unwrap().write_all(b"b").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"ab");
        open_append(Path::new("/dev/null"))
            .unwrap()
            .write_all(b"gone")
            .unwrap();
    }

    /// A named pipe with a server that never writes would hang a read; `CON`
    /// would wait for the keyboard.
    #[cfg(windows)]
    #[test]
    fn refuses_what_is_not_a_regular_file_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let name = format!(r"\\.\pipe\repository-dispatch-test-{}", std::process::id());
        let _server = runtime.block_on(async {
            tokio::net::windows::named_pipe::ServerOptions::new()
                .first_pipe_instance(true)
                .create(&name)
                .unwrap()
        });
        let pipe = Path::new(&name);
        let started = Instant::now();
        for (path, says) in [
            (Path::new("NUL"), "it is a character device"),
            (dir.path(), "it is a directory"),
            (pipe, "it is a named pipe or a socket"),
        ] {
            let e = format!("{:#}", read_capped(path, MAX_CERT_FILE_BYTES).unwrap_err());
            assert_eq!(
                e,
                format!("{says}, not a regular file"),
                "{}",
                path.display()
            );
        }
        let e = format!("{:#}", open_append(dir.path()).unwrap_err());
        assert_eq!(e, "it is a directory, not a regular file");
        // The console: a character device where there is one; a process
        // without a console (a runner's step, wine here) cannot even open it.
        for e in [
            format!("{:#}", read_capped(Path::new("CON"), 16).unwrap_err()),
            format!("{:#}", open_append(Path::new("CON")).unwrap_err()),
        ] {
            assert!(
                e == "it is a character device, not a regular file"
                    || e.starts_with("could not open it"),
                "CON: {e}"
            );
        }
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[cfg(windows)]
    #[test]
    fn appends_to_regular_files_and_nul() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        open_append(&path).unwrap().write_all(b"a").unwrap();
        open_append(&path).unwrap().write_all(b"b").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"ab");
        for nul in ["NUL", "nul", r"\\.\NUL"] {
            open_append(Path::new(nul))
                .unwrap()
                .write_all(b"gone")
                .unwrap();
        }
    }

    #[test]
    fn names_of_the_null_device() {
        for (path, nul) in [
            ("NUL", true),
            ("nul", true),
            ("NUL:", true),
            ("nul.txt", true),
            (r"C:\x\NUL", true),
            (r"\\.\NUL", true),
            ("null", false),
            ("/dev/null", false),
            ("nul/out", false),
            ("NULL.txt", false),
            ("", false),
        ] {
            assert_eq!(names_nul(Path::new(path)), nul, "{path}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(size(MAX_CERT_FILE_BYTES), "4 MiB");
        assert_eq!(size(MAX_TOKEN_FILE_BYTES), "16 KiB");
        assert_eq!(size(MAX_PAYLOAD_FILE_BYTES), "1 MiB");
        assert_eq!(size(100), "100 bytes");
    }
}
