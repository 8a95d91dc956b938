//! Secrets: the token, a string that never prints itself, and the
//! [`Redactor`], the one place that keeps every secret out of what is shown.

use std::collections::HashSet;
use std::fmt;

/// An API token. `Debug` and `Display` print `***`; the only way to read it is
/// [`Token::expose`], called where the `Authorization` header is built and where
/// `::add-mask::` is printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token that has already been validated.
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret value, for the `Authorization` header and the mask command only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Text from outside (an error body that echoes the request) with the token
    /// removed as [`Redactor::redact`] removes it (raw, escaped, encoded, or
    /// any long enough piece of it), and with `cut` (the text was cut short) a
    /// tail that is the start of the token dropped. Done before the text is
    /// truncated or escaped, so that no piece of the token survives that
    /// redaction would no longer match.
    #[must_use]
    pub fn scrub(&self, text: &str, cut: bool) -> String {
        let mut redactor = Redactor::default();
        redactor.add(&self.0, []);
        let mut text = redactor.redact(text);
        if cut {
            text.truncate(text.len() - partial_tail(&text, &self.0));
        }
        text
    }

    /// The kind of token, told by GitHub's documented prefixes, for hints in
    /// error messages. Reveals nothing of the secret part.
    #[must_use]
    pub fn kind(&self) -> TokenKind {
        TokenKind::of(&self.0)
    }
}

/// The length in bytes of the longest non-empty end of `text` that is a start
/// of `secret` (0 if none): what a cut in the middle of the secret leaves.
#[must_use]
pub fn partial_tail(text: &str, secret: &str) -> usize {
    (1..secret.len().min(text.len() + 1))
        .rev()
        .find(|&n| {
            text.is_char_boundary(text.len() - n)
                && secret.is_char_boundary(n)
                && text.ends_with(&secret[..n])
        })
        .unwrap_or(0)
}

/// How many consecutive characters of a long secret may never be shown: any
/// run of this many, wherever it appears and however it is encoded, is
/// redacted.
pub const WINDOW: usize = 12;

/// The shortest secret the [`WINDOW`] rule applies to. A shorter one is
/// redacted whole only: a piece of a short value is too likely to be a word
/// of ordinary text.
pub const MIN_WINDOWED: usize = 20;

/// The shortest secret looked for in decoded text and across whitespace.
/// A shorter one is redacted only as given (and in its caller's escaped
/// forms): a few bytes turn up by chance in any decoded base64.
pub const MIN_DECODED: usize = 8;

/// The secrets to keep out of every text shown, and how to find them.
///
/// A secret is found raw and in the forms a server or a proxy that echoes it
/// may give it: JSON-escaped, percent-encoded (any case, any character),
/// HTML or XML entities (`&#x67;`, `&#103;`, `&lowbar;`), and base64 or
/// base64url at any alignment (`base64(user:secret)`), each also inside JSON
/// or percent-encoding; whitespace (a line break, a wrapped line) never
/// splits a match. A secret of [`MIN_WINDOWED`] characters or more is
/// redacted wherever any [`WINDOW`] consecutive characters of it appear; a
/// shorter one wherever it appears whole (one under [`MIN_DECODED`] only as
/// given). This covers what the runner's own
/// masker derives from a masked value (`ValueEncoders` in actions/runner:
/// base64 at three byte shifts, `Uri.EscapeDataString`, JSON and XML escapes)
/// and more: the runner matches only whole encoded values.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Exact forms (the secrets, and escaped forms given by the caller),
    /// longest first.
    forms: Vec<String>,
    /// Every [`WINDOW`]-byte piece of each long secret.
    windows: HashSet<Vec<u8>>,
    /// The short secrets, matched whole.
    whole: Vec<Vec<u8>>,
}

impl Redactor {
    /// Registers `secret`, with `forms`: exact strings to redact as well
    /// (the caller's own escapes of it). An empty secret is ignored.
    pub fn add(&mut self, secret: &str, forms: impl IntoIterator<Item = String>) {
        if secret.is_empty() {
            return;
        }
        for form in std::iter::once(secret.to_owned()).chain(forms) {
            if !form.is_empty() && !self.forms.contains(&form) {
                self.forms.push(form);
            }
        }
        // Longest first, so that a part never leaves a piece of the whole.
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        let bytes = secret.as_bytes();
        if bytes.len() >= MIN_WINDOWED {
            self.windows.extend(
                bytes
                    .windows(WINDOW)
                    .filter(|w| distinctive(w))
                    .map(<[u8]>::to_vec),
            );
        } else if bytes.len() >= MIN_DECODED && !self.whole.iter().any(|w| w == bytes) {
            self.whole.push(bytes.to_vec());
        }
    }

    /// Whether nothing is registered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Whether anything is looked for beyond the exact forms.
    fn decodes(&self) -> bool {
        !self.windows.is_empty() || !self.whole.is_empty()
    }

    /// `text` with every secret, in every form [`Redactor`] knows, replaced
    /// by `***`; text that holds none comes back unchanged.
    #[must_use]
    pub fn redact(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_owned();
        }
        let mut text = text.to_owned();
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), "***");
            }
        }
        if !self.decodes() {
            return text;
        }
        let mut spans = Vec::new();
        let shortest = self.whole.iter().map(Vec::len).fold(WINDOW, usize::min);
        for view in views(&text, shortest) {
            self.find(&view, &mut spans);
        }
        if spans.is_empty() {
            return text;
        }
        replace_spans(&text, spans)
    }

    /// The source spans of `view` that show a secret.
    fn find(&self, view: &[Unit], spans: &mut Vec<(usize, usize)>) {
        let bytes: Vec<u8> = view.iter().map(|u| u.byte).collect();
        let mut mark = |at: usize, len: usize| {
            spans.push((view[at].start, view[at + len - 1].end));
        };
        if !self.windows.is_empty() {
            for (at, piece) in bytes.windows(WINDOW).enumerate() {
                if self.windows.contains(piece) {
                    mark(at, WINDOW);
                }
            }
        }
        for secret in &self.whole {
            for (at, piece) in bytes.windows(secret.len()).enumerate() {
                if piece == secret.as_slice() {
                    mark(at, secret.len());
                }
            }
        }
    }
}

/// Whether a piece of a secret could not be ordinary text: not a word
/// (letters, at most the first a capital: `installation`), not a number,
/// and of six different characters at least (`000000000000`). A random
/// secret's pieces nearly all are; one that is not is still redacted with
/// the characters around it, and only shows alone.
fn distinctive(window: &[u8]) -> bool {
    let word = window.iter().skip(1).all(u8::is_ascii_lowercase)
        && window.first().is_some_and(u8::is_ascii_alphabetic);
    let number = window.iter().all(u8::is_ascii_digit);
    let mut seen: Vec<u8> = window.to_vec();
    seen.sort_unstable();
    seen.dedup();
    !word && !number && seen.len() >= 6
}

/// One byte of decoded text and the span of the source text it came from.
#[derive(Debug, Clone, Copy)]
struct Unit {
    byte: u8,
    start: usize,
    end: usize,
}

/// The decoded readings of `text` in which a secret is looked for: the text
/// itself, JSON-unescaped, percent-decoded and entity-decoded, and the base64
/// runs of each of these decoded at every alignment. Whitespace is left out
/// of every reading, so that a line break never hides a secret.
fn views(text: &str, shortest: usize) -> Vec<Vec<Unit>> {
    let raw: Vec<Unit> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| !b.is_ascii_whitespace())
        .map(|(i, b)| Unit {
            byte: b,
            start: i,
            end: i + 1,
        })
        .collect();
    let firsts = [
        json_unescaped(&raw),
        percent_decoded(&raw),
        entity_decoded(&raw),
        raw,
    ];
    let mut all = Vec::new();
    for view in firsts {
        all.extend(base64_decoded(&view, shortest));
        all.push(view);
    }
    all
}

/// A decoded character as units spanning `start..end` of the source, its
/// whitespace left out.
fn push_char(out: &mut Vec<Unit>, c: char, start: usize, end: usize) {
    let mut buf = [0; 4];
    for &byte in c.encode_utf8(&mut buf).as_bytes() {
        if !byte.is_ascii_whitespace() {
            out.push(Unit { byte, start, end });
        }
    }
}

fn hex_value(units: &[Unit]) -> Option<u32> {
    let text: String = units.iter().map(|u| char::from(u.byte)).collect();
    u32::from_str_radix(&text, 16).ok()
}

/// JSON string escapes undone (`\u0067`, `\/`, `\"`); any other escaped
/// character stands for itself (Markdown's `\|`).
fn json_unescaped(view: &[Unit]) -> Vec<Unit> {
    let mut out = Vec::with_capacity(view.len());
    let mut i = 0;
    while i < view.len() {
        let u = view[i];
        if u.byte != b'\\' || i + 1 == view.len() {
            out.push(u);
            i += 1;
            continue;
        }
        let next = view[i + 1];
        let code = (next.byte == b'u')
            .then(|| view.get(i + 2..i + 6))
            .flatten()
            .filter(|h| h.iter().all(|d| d.byte.is_ascii_hexdigit()))
            .and_then(hex_value);
        if let Some(code) = code {
            if let Some(c) = char::from_u32(code) {
                push_char(&mut out, c, u.start, view[i + 5].end);
            }
            i += 6;
        } else {
            if !matches!(next.byte, b'n' | b'r' | b't' | b'b' | b'f') {
                out.push(Unit {
                    byte: next.byte,
                    start: u.start,
                    end: next.end,
                });
            }
            i += 2;
        }
    }
    out
}

/// `%XX` decoded, in either case.
fn percent_decoded(view: &[Unit]) -> Vec<Unit> {
    let mut out = Vec::with_capacity(view.len());
    let mut i = 0;
    while i < view.len() {
        let u = view[i];
        let code = (u.byte == b'%')
            .then(|| view.get(i + 1..i + 3))
            .flatten()
            .filter(|h| h.iter().all(|d| d.byte.is_ascii_hexdigit()))
            .and_then(hex_value);
        if let Some(byte) = code.and_then(|c| u8::try_from(c).ok()) {
            if !byte.is_ascii_whitespace() {
                out.push(Unit {
                    byte,
                    start: u.start,
                    end: view[i + 2].end,
                });
            }
            i += 3;
        } else {
            out.push(u);
            i += 1;
        }
    }
    out
}

/// The named character references that stand for characters a token, a JWT
/// or a key holds (HTML's list, and XML's five).
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("lowbar", '_'),
    ("UnderBar", '_'),
    ("period", '.'),
    ("hyphen", '-'),
    ("dash", '-'),
    ("sol", '/'),
    ("plus", '+'),
    ("equals", '='),
    ("colon", ':'),
    ("percnt", '%'),
    ("num", '#'),
    ("excl", '!'),
    ("quest", '?'),
    ("commat", '@'),
    ("dollar", '$'),
    ("ast", '*'),
    ("midast", '*'),
    ("comma", ','),
    ("semi", ';'),
    ("bsol", '\\'),
    ("Hat", '^'),
    ("grave", '`'),
    ("DiacriticalGrave", '`'),
    ("tilde", '~'),
    ("verbar", '|'),
    ("vert", '|'),
    ("VerticalLine", '|'),
    ("lpar", '('),
    ("rpar", ')'),
    ("lsqb", '['),
    ("lbrack", '['),
    ("rsqb", ']'),
    ("rbrack", ']'),
    ("lcub", '{'),
    ("lbrace", '{'),
    ("rcub", '}'),
    ("rbrace", '}'),
];

/// HTML and XML character references decoded: `&#x67;`, `&#103;` and the
/// named ones of [`ENTITIES`].
fn entity_decoded(view: &[Unit]) -> Vec<Unit> {
    let mut out = Vec::with_capacity(view.len());
    let mut i = 0;
    while i < view.len() {
        let u = view[i];
        let reference = (u.byte == b'&')
            .then(|| {
                let end = view[i + 1..].iter().take(33).position(|v| v.byte == b';')?;
                let name: String = view[i + 1..=i + end]
                    .iter()
                    .map(|v| char::from(v.byte))
                    .collect();
                Some((character(&name)?, i + 1 + end))
            })
            .flatten();
        if let Some((c, semicolon)) = reference {
            push_char(&mut out, c, u.start, view[semicolon].end);
            i = semicolon + 1;
        } else {
            out.push(u);
            i += 1;
        }
    }
    out
}

/// The character a reference's name (between `&` and `;`) stands for.
fn character(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(decimal) = name.strip_prefix('#') {
        decimal.parse().ok()?
    } else {
        return ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c);
    };
    char::from_u32(code)
}

/// The value of a base64 or base64url character.
fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Each run of base64 (or base64url) characters long enough to hold
/// `shortest` bytes (the shortest piece looked for), decoded from each of its first four characters: where the
/// encoded stream started is not known, and one of the four is its
/// alignment. A decoded byte spans the characters that hold its bits.
fn base64_decoded(view: &[Unit], shortest: usize) -> Vec<Vec<Unit>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < view.len() {
        let len = view[start..]
            .iter()
            .take_while(|u| sextet(u.byte).is_some())
            .count();
        // A piece of n bytes takes at least n * 4 / 3 characters.
        if len >= shortest * 4 / 3 {
            let run = &view[start..start + len];
            for shift in 0..4 {
                out.push(decode_run(&run[shift..]));
            }
        }
        start += len.max(1);
    }
    out
}

fn decode_run(run: &[Unit]) -> Vec<Unit> {
    let mut out = Vec::with_capacity(run.len() * 3 / 4);
    let (mut bits, mut held, mut first) = (0u32, 0u32, 0usize);
    for (i, u) in run.iter().enumerate() {
        // Safe: every unit of a run is a base64 character.
        let value = sextet(u.byte).unwrap_or(0);
        if held == 0 {
            first = i;
        }
        bits = (bits << 6) | u32::from(value);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push(Unit {
                // Truncation intended: the low eight bits above `held`.
                byte: u8::try_from((bits >> held) & 0xff).unwrap_or(0),
                start: run[first].start,
                end: u.end,
            });
            bits &= (1 << held) - 1;
            first = i;
        }
    }
    out
}

/// `text` with each span (merged where they overlap or touch, widened to
/// whole characters) replaced by `***`.
fn replace_spans(text: &str, mut spans: Vec<(usize, usize)>) -> String {
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut shown = 0;
    let mut i = 0;
    while i < spans.len() {
        let (mut start, mut end) = spans[i];
        while i + 1 < spans.len() && spans[i + 1].0 <= end {
            end = end.max(spans[i + 1].1);
            i += 1;
        }
        i += 1;
        start = start.max(shown);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        out.push_str(&text[shown..start]);
        out.push_str("***");
        shown = end;
    }
    out.push_str(&text[shown..]);
    out
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What kind of credential a token is, by GitHub's token prefixes
/// (<https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `ghs_`: an installation token, which is what `GITHUB_TOKEN` is.
    Installation,
    /// `ghp_`: a personal access token (classic).
    ClassicPat,
    /// `github_pat_`: a fine-grained personal access token.
    FineGrainedPat,
    /// `gho_`/`ghu_` or anything else.
    Other,
}

/// Every prefix GitHub gives its tokens (installation, classic, OAuth,
/// user-to-server, refresh, fine-grained).
pub const TOKEN_PREFIXES: &[&str] = &["ghs_", "ghp_", "gho_", "ghu_", "ghr_", "github_pat_"];

/// Whether a string looks like a GitHub token, so that it is not echoed.
#[must_use]
pub fn looks_like_token(text: &str) -> bool {
    TOKEN_PREFIXES.iter().any(|p| text.starts_with(p))
}

/// Whether a string has the shape of a token: a GitHub prefix, or a classic
/// token's 40 hex digits. Such text is refused without being echoed.
#[must_use]
pub fn token_shaped(text: &str) -> bool {
    looks_like_token(text) || (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether text holds a private key: a PEM armour line naming one
/// (`-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN PRIVATE KEY-----`,
/// `-----BEGIN OPENSSH PRIVATE KEY-----`...).
#[must_use]
pub fn holds_private_key(text: &str) -> bool {
    text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----")
}

/// Whether text may be a line of a key's base64 body: a run of 16 or more
/// letters, digits, `+`, `/` and `=` that mixes capitals and small letters
/// and either holds a `/` no more often than once in 12 characters or
/// changes between capitals, small letters, digits and signs at least once
/// in four characters (outside its `/`). A path's words are split by `/`,
/// `.`, `-` or `_` and read as words (`RepositoryDispatch` changes twice);
/// random base64 changes about every other character, so a key's line
/// qualifies even when it holds many `/` (a line with six was seen, which
/// the density alone let through). Such text is not echoed.
#[must_use]
pub fn key_shaped(text: &str) -> bool {
    /// The kind of a character of base64: capital, small, digit or sign.
    fn class(b: u8) -> u8 {
        match b {
            b'A'..=b'Z' => 0,
            b'a'..=b'z' => 1,
            b'0'..=b'9' => 2,
            _ => 3,
        }
    }
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
        .any(|run| {
            let changes = run
                .as_bytes()
                .windows(2)
                .filter(|w| !w.contains(&b'/') && class(w[0]) != class(w[1]))
                .count();
            run.len() >= 16
                && run.bytes().any(|b| b.is_ascii_uppercase())
                && run.bytes().any(|b| b.is_ascii_lowercase())
                && (run.bytes().filter(|&b| b == b'/').count() * 12 < run.len()
                    || changes * 4 >= run.len())
        })
}

impl TokenKind {
    fn of(token: &str) -> Self {
        if token.starts_with("ghs_") {
            Self::Installation
        } else if token.starts_with("ghp_") {
            Self::ClassicPat
        } else if token.starts_with("github_pat_") {
            Self::FineGrainedPat
        } else {
            Self::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The caller's forms: an empty one is ignored (it would match between
    /// every two characters); and every short secret is found decoded, not
    /// only the first registered.
    #[test]
    fn empty_forms_are_ignored_and_every_short_secret_is_kept() {
        use base64::engine::general_purpose::STANDARD;
        let mut r = Redactor::default();
        r.add("0123456789abcdefXYZW", [String::new()]);
        assert_eq!(r.redact("nothing secret here"), "nothing secret here");
        let mut r = Redactor::default();
        r.add("s3cr-et1!", []);
        r.add("t0ps-ecr2", []);
        for secret in ["s3cr-et1!", "t0ps-ecr2"] {
            let encoded = b64(&STANDARD, secret.as_bytes());
            assert_eq!(r.redact(&format!("x {encoded} y")), "x *** y", "{secret}");
        }
    }

    /// A secret written wholly in `\uXXXX` escapes is redacted from the
    /// first escape to the last, nothing around it.
    #[test]
    fn a_secret_in_unicode_escapes_is_cut_exactly() {
        use std::fmt::Write as _;
        let secret = "0123456789ABCDEFGHIJ";
        let mut r = Redactor::default();
        r.add(secret, []);
        let mut escaped = String::new();
        for c in secret.chars() {
            let _ = write!(escaped, "\\u{:04x}", u32::from(c));
        }
        assert_eq!(
            r.redact(&format!("key: \"{escaped}\" tail")),
            "key: \"***\" tail"
        );
    }

    #[test]
    fn never_prints_itself() {
        let t = Token::new("ghp_supersecret".to_owned());
        assert_eq!(format!("{t}"), "***");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(format!("{:?}", Some(&t)), "Some(Token(***))");
        assert_eq!(t.expose(), "ghp_supersecret");
    }

    #[test]
    fn kinds() {
        for (token, kind) in [
            ("ghs_x", TokenKind::Installation),
            ("ghp_x", TokenKind::ClassicPat),
            ("github_pat_x", TokenKind::FineGrainedPat),
            ("gho_x", TokenKind::Other),
            ("x", TokenKind::Other),
        ] {
            assert_eq!(Token::new(token.to_owned()).kind(), kind, "{token}");
        }
    }

    /// A stand-in for a 40-character installation token.
    const LONG: &str = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    fn redactor(secrets: &[&str]) -> Redactor {
        let mut r = Redactor::default();
        for s in secrets {
            r.add(s, []);
        }
        r
    }

    fn b64(engine: &base64::engine::GeneralPurpose, bytes: &[u8]) -> String {
        use base64::Engine as _;
        engine.encode(bytes)
    }

    /// Every form an echo may take is redacted; the text around stays.
    #[test]
    fn redacts_every_encoding_and_piece() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let r = redactor(&[LONG]);
        let percent = LONG
            .bytes()
            .map(|b| format!("%{b:02x}"))
            .collect::<Vec<_>>()
            .concat();
        let hex: String = LONG
            .chars()
            .map(|c| format!("&#x{:X};", u32::from(c)))
            .collect::<Vec<_>>()
            .concat();
        let dec: String = LONG
            .chars()
            .map(|c| format!("&#{};", u32::from(c)))
            .collect::<Vec<_>>()
            .concat();
        let named = LONG.replace('_', "&lowbar;");
        let json: String = LONG
            .chars()
            .map(|c| format!("\\u{:04x}", u32::from(c)))
            .collect::<Vec<_>>()
            .concat();
        let split = format!("{}\r\n{}", &LONG[..20], &LONG[20..]);
        let mut cases = vec![
            LONG.to_owned(),
            split,
            percent,
            hex,
            dec,
            named,
            json,
            LONG[3..15].to_owned(),
            format!("{}\n{}", &LONG[10..16], &LONG[16..22]),
        ];
        for shift in 0..3 {
            let mut bytes = b"x-access-token:".to_vec();
            bytes.truncate(13 + shift);
            bytes.extend_from_slice(LONG.as_bytes());
            bytes.extend_from_slice(b"@github.com");
            cases.push(b64(&STANDARD, &bytes));
            cases.push(b64(&URL_SAFE_NO_PAD, &bytes));
            let wrapped = b64(&STANDARD, &bytes);
            cases.push(format!("{}\n{}", &wrapped[..30], &wrapped[30..]));
        }
        for case in cases {
            let text = format!("before <{case}> after");
            let out = r.redact(&text);
            assert!(
                out.starts_with("before <") && out.ends_with("> after"),
                "{out}"
            );
            assert!(out.contains("***"), "{case}: {out}");
            assert!(
                !out.contains(&LONG[4..16]) && !out.contains("16C7"),
                "{case}: {out}"
            );
        }
    }

    /// Ordinary text, short pieces of a long secret and pieces of a short
    /// one are left alone.
    #[test]
    fn leaves_ordinary_text_alone() {
        let r = redactor(&[LONG, "hunter22"]);
        for text in [
            "dispatched 'trigger-deploy' to octo-org/deploy-service",
            "GitHub answered 422: Validation Failed - https://docs.github.com/rest",
            // Eleven characters of the long one, and ten more.
            "ghs_16C7e42 and F292c6912E7",
            "hunter",
            "aHVudGVy",
            "a Zm9vYmFyYmF6cXV4 run of base64 that holds no secret",
            "&amp; &lt;b&gt; 100% %zz &#xZZ; &unknown;",
            "é ü 漢字 \\u00e9",
        ] {
            assert_eq!(r.redact(text), text);
        }
        assert_eq!(r.redact("x hunter22 y"), "x *** y");
        // A secret under eight bytes: only as given.
        let tiny = redactor(&["x"]);
        assert_eq!(tiny.redact("eA== xy"), "eA== ***y");
        assert_eq!(r.redact("x aHVudGVyMjI= y"), "x ***= y");
        assert_eq!(Redactor::default().redact("anything"), "anything");
        // A made-up token that holds words: the words alone stay.
        let r = redactor(&["ghs_installationTokenLike000000000000000"]);
        for text in [
            "an installation token",
            "Installation token",
            "000000000000",
        ] {
            assert_eq!(r.redact(text), text);
        }
        assert_eq!(r.redact("x installationTokenLike y"), "x i*** y");
    }

    #[test]
    fn key_material() {
        for (text, key) in [
            ("MIIEpAIBAAKCAQEAx7Hq2nB/k0v9QmZr+3LtYw1", true),
            ("k0v9QmZr+3LtYw1sDfGh==", true),
            ("app.pem", false),
            ("/home/runner/work/deploy/deploy/keys/app-key.pem", false),
            ("/home/runner/work/MyRepo/MyRepo/keys/appkey2", false),
            ("./secrets/dispatch-bot.2024-01-01.private-key.pem", false),
            ("MIIEpAIBAAKCAQ", false),
            // Paths with long words: shown.
            (
                "/home/runner/work/RepositoryDispatch/RepositoryDispatch/keys/app-key.pem",
                false,
            ),
            ("/Users/me/Library/CloudStorage/Dropbox/app.pem", false),
            // A line of a real key with six `/` (one in 11 characters).
            (
                "QXKB1jcn42ZZD7mCQJ44C2qXz/8E/EwUYRpC07//vHJGuc0/6Fc/M72Ho0ot1I+z",
                true,
            ),
        ] {
            assert_eq!(key_shaped(text), key, "{text}");
        }
        assert!(holds_private_key(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"
        ));
        assert!(holds_private_key("-----BEGIN PRIVATE KEY-----"));
        assert!(!holds_private_key("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn scrub_redacts_before_any_cut() {
        let t = Token::new("ghp_abc\"d%ef".to_owned());
        for (text, cut, want) in [
            ("x ghp_abc\"d%ef y", false, "x *** y"),
            (r#"{"t":"ghp_abc\"d%ef"}"#, false, r#"{"t":"***"}"#),
            ("echo: ghp_abc", true, "echo: "),
            ("echo: ghp_abc", false, "echo: ghp_abc"),
            ("echo: g", true, "echo: "),
            ("echo: x", true, "echo: x"),
            ("ghp_abc\"d%ef ghp_a", true, "*** "),
            ("", true, ""),
            // The whole text is the start of the token.
            ("ghp_a", true, ""),
            // A cut token after a multi-byte character.
            ("é ghp_a", true, "é "),
        ] {
            assert_eq!(t.scrub(text, cut), want, "{text}");
        }
        assert_eq!(partial_tail("aé", "éa"), 2);
        assert_eq!(partial_tail("abc", "abc"), 0);
    }
}
