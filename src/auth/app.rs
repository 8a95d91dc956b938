//! A GitHub App's private key and the JWTs signed with it: loading the key as
//! people store it, signing RS256 tokens by GitHub's rules, and telling when a
//! refusal is the local clock's fault.
//!
//! Signing uses ring, which the TLS stack already links, base64 (compiled in
//! for reqwest) and the PEM reader of rustls' `pki_types` (`tls.rs` reads
//! certificates with it): no new crate. Measured against the jsonwebtoken
//! crate doing the signing, with signing called from `main` so that it is in
//! the binary: stripped release binary 2,321,936 bytes with ring (14,000 more
//! than without signing), 2,838,472 with jsonwebtoken 12.0.0 (`rust_crypto`,
//! its only pure-Rust back end: 52 more crates), 2,336,528 with jsonwebtoken
//! 9.3.1 on ring (6 more crates, serde's derive among them); clean
//! `cargo build --release --locked`, user CPU, 126-143 s with ring, 130-137 s
//! without signing, 195-202 s with jsonwebtoken 12, 142 s with 9.3.1 (2 cores
//! shared with another build; the commit that added this module has each run).
//!
//! Nothing here touches the network: `mint` sends the JWT.

use std::fmt;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls::pki_types::pem::{self, PemObject as _, SectionKind};

use crate::secret::Token;

/// How far back `iat` is set: GitHub recommends 60 seconds in the past to
/// absorb clock drift
/// (<https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app>).
pub const ISSUED_BEFORE: u64 = 60;

/// How far ahead `exp` is set. GitHub refuses more than 10 minutes; a clock a
/// little ahead of GitHub's turns 10 into "too far in the future"
/// (octokit/auth-app.js#698), so 9.
pub const EXPIRES_AFTER: u64 = 540;

/// The JOSE header of every token: RS256 is the only algorithm GitHub takes.
const HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// A GitHub App's RSA private key, ready to sign. `Debug` prints
/// `PrivateKey(***)`; there is no `Display` and no way to read the key back.
pub struct PrivateKey(RsaKeyPair);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(***)")
    }
}

impl PrivateKey {
    /// Reads the key as GitHub downloads it (PEM, PKCS#1
    /// `-----BEGIN RSA PRIVATE KEY-----`) or re-encoded as PKCS#8
    /// (`-----BEGIN PRIVATE KEY-----`). Surrounding whitespace, indented lines,
    /// CRLF line ends and a secret stored with literal `\n` (backslash, n) in
    /// place of line breaks are all accepted. The first private key in the text
    /// is used; other sections (a certificate, say) are skipped.
    ///
    /// Returns an error if and only if no usable RSA private key of 2048 to
    /// 4096 bits is found; the error says which case it is and never holds any
    /// part of `text`.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        // A PEM body is base64 and never holds a backslash, so every `\n` is
        // an escaped line break (create-github-app-token un-escapes the same).
        let text = text.replace("\\r\\n", "\n").replace("\\n", "\n");
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyError::Empty);
        }
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let labels: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
            .collect();
        if labels.is_empty() {
            // "-----BEGIN" base64-encoded starts with these characters.
            return Err(if text.starts_with("LS0tLS1CRUdJTi") {
                KeyError::Base64Encoded
            } else {
                KeyError::NotPem
            });
        }
        if labels.iter().any(|l| l.contains("OPENSSH")) {
            return Err(KeyError::OpenSsh);
        }
        // PKCS#8 `ENCRYPTED PRIVATE KEY`, or PKCS#1 with a `Proc-Type` header.
        if labels.iter().any(|l| l.contains("ENCRYPTED"))
            || lines
                .iter()
                .any(|l| l.starts_with("Proc-Type:") && l.contains("ENCRYPTED"))
        {
            return Err(KeyError::Encrypted);
        }
        let pem = lines.join("\n");
        for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem.as_bytes()) {
            let (kind, der) = section.map_err(|e| KeyError::Damaged(pem_damage(&e)))?;
            let key = match kind {
                SectionKind::RsaPrivateKey => RsaKeyPair::from_der(&der),
                SectionKind::PrivateKey => RsaKeyPair::from_pkcs8(&der),
                SectionKind::EcPrivateKey => return Err(KeyError::NotRsa),
                _ => continue,
            };
            // ring names the reason in `Display` only (a fixed word, no key material).
            return key.map(Self).map_err(|e| match e.to_string().as_str() {
                "WrongAlgorithm" => KeyError::NotRsa,
                "TooSmall" | "TooLarge" | "PrivateModulusLenNotMultipleOf512Bits" => KeyError::Size,
                _ => KeyError::Damaged("the key inside does not decode"),
            });
        }
        Err(
            if labels
                .iter()
                .any(|l| l.contains("PUBLIC KEY") || l.contains("CERTIFICATE"))
            {
                KeyError::NotPrivate
            } else if labels.iter().any(|l| l.contains("PRIVATE KEY")) {
                KeyError::NotRsa
            } else {
                KeyError::NotPem
            },
        )
    }
}

/// What was wrong with a PEM section, in words that hold none of it (the
/// reader's own errors quote the offending line).
fn pem_damage(e: &pem::Error) -> &'static str {
    match e {
        pem::Error::MissingSectionEnd { .. } => "its END line is missing",
        pem::Error::IllegalSectionStart { .. } => "its BEGIN line is malformed",
        pem::Error::Base64Decode(_) => "its base64 does not decode",
        _ => "it does not read as PEM",
    }
}

/// Why a private key was refused. Messages (`Display`) say what is wrong and
/// what to do, and never quote the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing but whitespace.
    Empty,
    /// No `-----BEGIN ...-----` line.
    NotPem,
    /// The whole PEM file, base64-encoded once more.
    Base64Encoded,
    /// An OpenSSH key (`ssh-keygen`'s format), not a GitHub App key.
    OpenSsh,
    /// Protected by a passphrase.
    Encrypted,
    /// A private key of another algorithm (EC, Ed25519, DSA).
    NotRsa,
    /// A public key or a certificate only.
    NotPrivate,
    /// RSA, but not 2048 to 4096 bits.
    Size,
    /// The PEM or the key inside is damaged; the detail says where.
    Damaged(&'static str),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DOWNLOAD: &str = "download a private key (.pem) from the app's settings page \
            (Developer settings > GitHub Apps > the app > Private keys)";
        match self {
            Self::Empty => write!(
                f,
                "the private key is empty: store the whole .pem file, from its BEGIN line to its END line, or {DOWNLOAD}"
            ),
            Self::NotPem => write!(
                f,
                "the private key is not in PEM form (no -----BEGIN RSA PRIVATE KEY----- line): store the whole .pem file, from its BEGIN line to its END line, or {DOWNLOAD}"
            ),
            Self::Base64Encoded => f.write_str(
                "the private key is base64-encoded PEM: decode it (base64 -d) and store the PEM text itself",
            ),
            Self::OpenSsh => write!(
                f,
                "the private key is an OpenSSH key, not a GitHub App key: {DOWNLOAD}"
            ),
            Self::Encrypted => write!(
                f,
                "the private key is encrypted with a passphrase: store it decrypted (openssl rsa -in key.pem -out plain.pem), or {DOWNLOAD}"
            ),
            Self::NotRsa => write!(
                f,
                "the private key is not an RSA key, and a GitHub App's key is RSA (-----BEGIN RSA PRIVATE KEY-----): {DOWNLOAD}"
            ),
            Self::NotPrivate => write!(
                f,
                "the private key is a public key or a certificate; a GitHub App signs with its RSA private key (-----BEGIN RSA PRIVATE KEY-----): {DOWNLOAD}"
            ),
            Self::Size => write!(
                f,
                "the private key is RSA but not of 2048 to 4096 bits, and GitHub makes 2048-bit keys: {DOWNLOAD}"
            ),
            Self::Damaged(what) => write!(
                f,
                "the private key's PEM is damaged or cut short ({what}): {DOWNLOAD} again and store all of it"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// Signs a GitHub App JWT: header `{"alg":"RS256","typ":"JWT"}`, claims
/// `iat` = `now` − 60 s, `exp` = `now` + 540 s, `iss` = `issuer` (the app's
/// client id, or its numeric app id, which GitHub Enterprise Server before 3.14
/// needs), each part base64url without padding. `iss` is a JSON string either
/// way, as octokit's signer sends the `app-id` input of
/// actions/create-github-app-token.
///
/// The token is a credential for the whole app for nine minutes, so it comes
/// back as a [`Token`], which never prints itself: mask it (`::add-mask::`)
/// before anything could print it, and send it only as `Authorization: Bearer`.
///
/// Returns an error if and only if ring cannot sign (the operating system gave
/// no random numbers for RSA blinding).
pub fn jwt(key: &PrivateKey, issuer: &str, now_epoch_secs: u64) -> anyhow::Result<Token> {
    let claims = serde_json::json!({
        "iat": now_epoch_secs.saturating_sub(ISSUED_BEFORE),
        "exp": now_epoch_secs.saturating_add(EXPIRES_AFTER),
        "iss": issuer,
    });
    let mut signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.0.public().modulus_len()];
    key.0
        .sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signed.as_bytes(),
            &mut signature,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("could not sign the app's JWT (ring found no random numbers)")?;
    signed.push('.');
    signed.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(Token::new(signed))
}

/// GitHub's 401 messages that blame the JWT's times, which a clock out of step
/// with GitHub's causes. The first two are those `@octokit/auth-app` re-signs
/// on (src/hook.ts); the third is a clock ahead of GitHub's
/// (octokit/auth-app.js#698).
const CLOCK_MESSAGES: [&str; 3] = [
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    "'Expiration time' claim ('exp') is too far in the future",
];

/// Whether a 401 to a request signed with an app JWT calls for signing again
/// with GitHub's time, and that time: GitHub's epoch seconds, read from the
/// answer's `Date` header (an HTTP date, e.g. `Tue, 01 Dec 2026 03:00:00 GMT`).
/// Pass the result to [`jwt`] as `now_epoch_secs`.
///
/// Returns `Some` if and only if `message` holds one of GitHub's messages about
/// `iat` or `exp` and `date` is a valid HTTP date after the epoch. As octokit
/// does, re-sign once: a second refusal is not the clock.
#[must_use]
pub fn resign_at(message: &str, date: Option<&str>) -> Option<u64> {
    if !CLOCK_MESSAGES.iter().any(|m| message.contains(m)) {
        return None;
    }
    let at = httpdate::parse_http_date(date?).ok()?;
    at.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;
    use std::sync::OnceLock;

    use base64::engine::general_purpose::STANDARD;
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    use serde_json::{Value, json};

    use super::*;

    /// Keys made with openssl at test time (no private key is committed).
    struct Keys {
        /// The app's key as GitHub downloads it (PKCS#1), and as PKCS#8.
        pkcs1: String,
        pkcs8: String,
        /// Its public half, PKCS#1 `RSAPublicKey` DER (ring's form for RSA).
        public: Vec<u8>,
        /// Another app's public key.
        other_public: Vec<u8>,
        /// Refused forms.
        pkcs8_encrypted: String,
        pkcs1_encrypted: String,
        ec: String,
        ec_pkcs8: String,
        public_pem: String,
        rsa_public_pem: String,
        certificate: String,
        small: String,
    }

    fn openssl(dir: &Path, args: &[&str]) {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn keys() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let d = dir.path();
            let read = |name: &str| std::fs::read(d.join(name)).expect(name);
            let text = |name: &str| String::from_utf8(read(name)).expect(name);
            for command in [
                "genrsa -traditional -out app.pem 2048",
                "genrsa -traditional -out other.pem 2048",
                "genrsa -traditional -out small.pem 1024",
                "rsa -in app.pem -RSAPublicKey_out -outform DER -out app.pub.der",
                "rsa -in other.pem -RSAPublicKey_out -outform DER -out other.pub.der",
                "pkcs8 -topk8 -nocrypt -in app.pem -out app.p8",
                "pkcs8 -topk8 -in app.pem -passout pass:x -out enc.p8",
                "rsa -in app.pem -traditional -aes256 -passout pass:x -out enc.pem",
                "ecparam -name prime256v1 -genkey -noout -out ec.pem",
                "pkcs8 -topk8 -nocrypt -in ec.pem -out ec.p8",
                "rsa -in app.pem -pubout -out pub.pem",
                "rsa -in app.pem -RSAPublicKey_out -out rsapub.pem",
                "req -new -x509 -key app.pem -subj /CN=app -days 1 -out cert.pem",
            ] {
                openssl(d, &command.split(' ').collect::<Vec<_>>());
            }
            Keys {
                pkcs1: text("app.pem"),
                pkcs8: text("app.p8"),
                public: read("app.pub.der"),
                other_public: read("other.pub.der"),
                pkcs8_encrypted: text("enc.p8"),
                pkcs1_encrypted: text("enc.pem"),
                ec: text("ec.pem"),
                ec_pkcs8: text("ec.p8"),
                public_pem: text("pub.pem"),
                rsa_public_pem: text("rsapub.pem"),
                certificate: text("cert.pem"),
                small: text("small.pem"),
            }
        })
    }

    /// The three parts of a token, the first two decoded.
    fn parts(token: &str) -> (Value, Value, Vec<u8>) {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "three parts: {token}");
        for part in &parts {
            assert!(
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "base64url without padding: {part}"
            );
        }
        let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).expect("base64url");
        let json = |p: &str| serde_json::from_slice(&decode(p)).expect("JSON");
        (json(parts[0]), json(parts[1]), decode(parts[2]))
    }

    /// Whether `token`'s signature verifies with the public key `public`.
    fn verifies(token: &str, public: &[u8]) -> bool {
        let (signed, signature) = token.rsplit_once('.').expect("a signature");
        let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public)
            .verify(signed.as_bytes(), &signature)
            .is_ok()
    }

    /// Every form of the app's key is read, and it is the app's key: what it
    /// signs verifies with the app's public key.
    #[test]
    fn reads_the_key_as_people_store_it() {
        let k = keys();
        let escaped = k.pkcs1.trim_end().replace('\n', "\\n");
        assert!(!escaped.contains('\n') && escaped.contains("\\n"));
        for (what, text) in [
            ("PKCS#1, as downloaded", k.pkcs1.clone()),
            ("PKCS#8", k.pkcs8.clone()),
            ("literal \\n", escaped.clone()),
            (
                "literal \\n, PKCS#8",
                k.pkcs8.trim_end().replace('\n', "\\n"),
            ),
            ("literal \\r\\n", k.pkcs1.trim_end().replace('\n', "\\r\\n")),
            ("CRLF", k.pkcs1.replace('\n', "\r\n")),
            ("surrounded", format!("\n\n  {}  \n\n", k.pkcs1)),
            ("surrounded, escaped", format!(" {escaped}\\n ")),
            ("indented", k.pkcs1.replace('\n', "\n    ")),
            (
                "after a certificate",
                format!("{}{}", k.certificate, k.pkcs1),
            ),
        ] {
            let key = PrivateKey::parse(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
            let token = jwt(&key, "Iv23abc", 1_800_000_000).expect("signed");
            assert!(verifies(token.expose(), &k.public), "{what}");
        }
    }

    /// The text of the key's base64 lines, cut into every run of 12
    /// characters: none may appear in a message.
    fn pieces(pem: &str) -> Vec<String> {
        let body: String = pem
            .lines()
            .filter(|l| !l.starts_with("-----") && !l.contains(':'))
            .collect();
        let chars: Vec<char> = body.chars().collect();
        chars.windows(12).map(|w| w.iter().collect()).collect()
    }

    #[track_caller]
    fn check_refused(what: &str, text: &str, expected: &KeyError, words: &str) {
        let e = PrivateKey::parse(text).expect_err(what);
        assert_eq!(&e, expected, "{what}");
        let message = e.to_string();
        assert!(message.contains(words), "{what}: {message}");
        assert!(
            message.starts_with(|c: char| c.is_ascii_lowercase()) && !message.ends_with('.'),
            "{what}: lower-case, no trailing period: {message}"
        );
        let debug = format!("{e:?}");
        for piece in pieces(text) {
            assert!(!message.contains(&piece), "{what}: {message}");
            assert!(!debug.contains(&piece), "{what}: {debug}");
        }
    }

    #[test]
    fn refuses_what_is_not_the_apps_key() {
        let k = keys();
        let settings = "download a private key (.pem) from the app's settings page";
        let body: Vec<&str> = k.pkcs1.lines().collect();
        let cut = body[..body.len() / 2].join("\n");
        let bad_base64 = k.pkcs1.replacen(&body[3][..4], "!!!!", 1);
        // Whole lines dropped from the middle: still base64, no longer a key.
        let bad_der = [&body[..5], &body[9..]].concat().join("\n");
        let openssh = k.pkcs1.replace("RSA PRIVATE KEY", "OPENSSH PRIVATE KEY");
        let wrapped = STANDARD.encode(&k.pkcs1);
        for (what, text, expected, words) in [
            ("empty", "", KeyError::Empty, "is empty"),
            ("blank", " \n\t\r\n ", KeyError::Empty, "is empty"),
            ("escaped blank", " \\n\\r\\n ", KeyError::Empty, "is empty"),
            ("a word", "hunter2", KeyError::NotPem, "not in PEM form"),
            (
                "base64 only",
                k.pkcs1.lines().nth(1).unwrap(),
                KeyError::NotPem,
                "not in PEM form",
            ),
            (
                "PEM wrapped in base64",
                &wrapped,
                KeyError::Base64Encoded,
                "base64 -d",
            ),
            ("OpenSSH", &openssh, KeyError::OpenSsh, "OpenSSH key"),
            (
                "PKCS#8, encrypted",
                &k.pkcs8_encrypted,
                KeyError::Encrypted,
                "passphrase",
            ),
            (
                "PKCS#1, encrypted",
                &k.pkcs1_encrypted,
                KeyError::Encrypted,
                "passphrase",
            ),
            ("EC", &k.ec, KeyError::NotRsa, "a GitHub App's key is RSA"),
            (
                "EC, PKCS#8",
                &k.ec_pkcs8,
                KeyError::NotRsa,
                "a GitHub App's key is RSA",
            ),
            (
                "public key",
                &k.public_pem,
                KeyError::NotPrivate,
                "a public key or a certificate",
            ),
            (
                "RSA public key",
                &k.rsa_public_pem,
                KeyError::NotPrivate,
                "a public key or a certificate",
            ),
            (
                "certificate",
                &k.certificate,
                KeyError::NotPrivate,
                "a public key or a certificate",
            ),
            ("1024 bits", &k.small, KeyError::Size, "2048"),
            (
                "cut",
                &cut,
                KeyError::Damaged("its END line is missing"),
                "damaged or cut short (its END line is missing)",
            ),
            (
                "bad base64",
                &bad_base64,
                KeyError::Damaged("its base64 does not decode"),
                "damaged or cut short",
            ),
            (
                "bad DER",
                &bad_der,
                KeyError::Damaged("the key inside does not decode"),
                "damaged or cut short",
            ),
        ] {
            check_refused(what, text, &expected, words);
            if !matches!(expected, KeyError::Base64Encoded) {
                assert!(expected.to_string().contains(settings), "{what}");
            }
        }
    }

    #[test]
    fn the_key_never_prints() {
        let k = keys();
        let key = PrivateKey::parse(&k.pkcs1).expect("the app's key");
        assert_eq!(format!("{key:?}"), "PrivateKey(***)");
        assert_eq!(format!("{:?}", Some(&key)), "Some(PrivateKey(***))");
    }

    /// GitHub's rules: RS256, iat 60 s back, exp 540 s ahead, iss a string,
    /// escaped by `serde_json`.
    #[test]
    fn signs_githubs_jwt() {
        let k = keys();
        let key = PrivateKey::parse(&k.pkcs1).expect("the app's key");
        for (issuer, now, iat, exp) in [
            ("Iv23liAbCdEf", 1_800_000_000, 1_799_999_940, 1_800_000_540),
            (
                "Iv1.0123456789abcdef",
                1_800_000_000,
                1_799_999_940,
                1_800_000_540,
            ),
            ("123456", 1_796_094_000, 1_796_093_940, 1_796_094_540),
            ("a \"quoted\\\" id", 30, 0, 570),
        ] {
            let token = jwt(&key, issuer, now).expect("signed");
            assert_eq!(token.to_string(), "***", "a token never prints");
            let token = token.expose();
            let (header, claims, signature) = parts(token);
            assert_eq!(header, json!({"alg": "RS256", "typ": "JWT"}));
            assert_eq!(
                claims,
                json!({"iat": iat, "exp": exp, "iss": issuer}),
                "{issuer}"
            );
            assert!(claims["iss"].is_string(), "{issuer}");
            assert_eq!(signature.len(), 256, "a 2048-bit signature");
            assert!(verifies(token, &k.public), "{issuer}");
            assert!(!verifies(token, &k.other_public), "another app's key");
            // A claim changed after signing no longer verifies.
            let (_, rest) = token.split_once('.').expect("parts");
            let (_, signature) = rest.split_once('.').expect("parts");
            let forged = format!(
                "{}.{}.{signature}",
                URL_SAFE_NO_PAD.encode(HEADER),
                URL_SAFE_NO_PAD
                    .encode(json!({"iat": iat, "exp": exp + 1, "iss": issuer}).to_string())
            );
            assert!(!verifies(&forged, &k.public), "{issuer}: forged");
        }
    }

    #[test]
    fn resigns_with_githubs_time_on_clock_messages() {
        let date = Some("Tue, 01 Dec 2026 03:00:00 GMT");
        let at = Some(1_796_094_000);
        for (message, date, expected) in [
            (
                "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
                date,
                at,
            ),
            (
                "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
                date,
                at,
            ),
            (
                "'Expiration time' claim ('exp') is too far in the future",
                date,
                at,
            ),
            // Found inside a longer text, as octokit's match does.
            (
                "401: 'Expiration time' claim ('exp') is too far in the future.",
                date,
                at,
            ),
            // The other two forms of an HTTP date, and surrounding space (httpdate
            // trims it).
            (
                "'Expiration time' claim ('exp') is too far in the future",
                Some("Tuesday, 01-Dec-26 03:00:00 GMT"),
                at,
            ),
            (
                "'Expiration time' claim ('exp') is too far in the future",
                Some("Tue Dec  1 03:00:00 2026"),
                at,
            ),
            (
                "'Expiration time' claim ('exp') is too far in the future",
                Some(" Thu, 01 Jan 1970 00:00:01 GMT "),
                Some(1),
            ),
            // Not the clock: the key, the id, the token.
            ("A JSON web token could not be decoded", date, None),
            ("Bad credentials", date, None),
            ("", date, None),
            ("'Expiration time' claim ('exp') is too far", date, None),
            // No usable time from GitHub.
            (
                "'Expiration time' claim ('exp') is too far in the future",
                None,
                None,
            ),
            (
                "'Expiration time' claim ('exp') is too far in the future",
                Some(""),
                None,
            ),
            (
                "'Expiration time' claim ('exp') is too far in the future",
                Some("1796094000"),
                None,
            ),
            (
                "'Expiration time' claim ('exp') is too far in the future",
                Some("Tue, 01 Dec 2026 03:00:00 UTC"),
                None,
            ),
        ] {
            assert_eq!(resign_at(message, date), expected, "{message:?} {date:?}");
        }
    }
}
