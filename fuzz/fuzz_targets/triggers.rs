//! Which `repository_dispatch` types a workflow file listens for
//! (`github::triggers::listens`), on arbitrary bytes as a repository may
//! hold them.
//!
//! Properties, beyond "never panics" (libFuzzer's time-out per input and its
//! memory limit also hold it to the file's size: aliases are never expanded):
//!
//! * A file over `MAX_FILE` bytes is not parsed (`TooLarge`), and only such a
//!   file.
//! * Bytes that are not UTF-8 are `NotText`.
//! * A listed type starts the workflow and a type it does not list does not;
//!   `All` starts on anything; `No` on nothing.
//! * A comment line before the file changes nothing but, for a YAML error,
//!   the line it names (one more).

#![no_main]

use libfuzzer_sys::fuzz_target;
use repository_dispatch::internals::triggers::{Listens, MAX_FILE, Unreadable, listens};

fuzz_target!(|data: &[u8]| {
    let got = listens(data);
    if data.len() > MAX_FILE {
        assert_eq!(got, Err(Unreadable::TooLarge(data.len())));
        return;
    }
    assert!(!matches!(got, Err(Unreadable::TooLarge(_))));
    if std::str::from_utf8(data).is_err() {
        assert_eq!(got, Err(Unreadable::NotText));
        return;
    }
    match &got {
        Ok(Listens::Types(types)) => {
            for t in types {
                assert!(got.as_ref().unwrap().starts_on(t));
            }
            let other = format!("{}-not-listed", types.concat());
            assert!(!got.as_ref().unwrap().starts_on(&other));
        }
        Ok(Listens::All) => assert!(got.as_ref().unwrap().starts_on("anything")),
        Ok(Listens::No) => assert!(!got.as_ref().unwrap().starts_on("anything")),
        Err(_) => {}
    }
    // A leading comment: the same reading (a YAML error one line further).
    // Skipped where the file starts with a directive or a BOM, which a
    // comment before it changes the meaning of.
    if data.len() < MAX_FILE - 16
        && !data.starts_with(b"%")
        && !data.starts_with("\u{feff}".as_bytes())
    {
        let mut shifted = b"# a comment\n".to_vec();
        shifted.extend_from_slice(data);
        let again = listens(&shifted);
        match (&got, &again) {
            (Err(Unreadable::Yaml { line: a, .. }), Err(Unreadable::Yaml { line: b, .. })) => {
                assert_eq!(a + 1, *b, "{got:?} then {again:?}");
            }
            _ => assert_eq!(got, again),
        }
    }
});
