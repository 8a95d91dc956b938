//! Command-line arguments as every flow shows and matches them: never echo
//! what may be a secret, and find the option a typo meant.

/// Levenshtein distance, for option names (short: quadratic is fine).
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The name within two edits of `typed` (`schemafile`: `schema-file`), the
/// first of the nearest, for "did you mean".
pub fn nearest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names
        .into_iter()
        .map(|n| (edit_distance(typed, n), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// An argument as an error may show it: a flag's name without its value
/// (`--token=...` may hold a secret), and anything else only when it cannot be
/// a secret: not a short option with something attached (`-tghp_...`), not
/// token-shaped, not 40 characters or more (a classic token is 40 hex digits).
/// Otherwise the stand-in `an argument of N characters`, fixed words and a
/// count, which the fuzz oracle (`fuzz/fuzz_targets/cli.rs`) knows echoes nothing.
#[must_use]
pub fn shown(arg: &str) -> String {
    let chars = arg.chars().count();
    if let Some((name, _)) = arg.split_once('=').filter(|(n, _)| n.starts_with("--")) {
        return if shown(name) == name {
            format!("{name}=...")
        } else {
            format!("an argument of {chars} characters")
        };
    }
    let short_with_value = arg.starts_with('-') && !arg.starts_with("--") && chars > 2;
    if short_with_value || could_be_secret(arg) {
        format!("an argument of {chars} characters")
    } else {
        arg.to_owned()
    }
}

/// Whether an argument may hold a token: one of GitHub's token prefixes
/// anywhere in it, or the length of a classic token or more.
#[must_use]
pub fn could_be_secret(arg: &str) -> bool {
    crate::secret::TOKEN_PREFIXES
        .iter()
        .any(|p| arg.contains(p))
        || arg.chars().count() >= 40
}
