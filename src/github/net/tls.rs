//! TLS trust: the Mozilla roots compiled into the binary, plus the private CA of
//! a GitHub Enterprise Server from `SSL_CERT_FILE` / `SSL_CERT_DIR`.
//!
//! Reading the platform's whole certificate store on every run is what made
//! reqwest's default setup 3.5 times slower than curl here; the compiled-in
//! roots cost nothing to load and work in a `FROM scratch` image.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::action::env::{Env, InputError};
use crate::util::files::{self, MAX_CERT_FILE_BYTES};

/// The client configuration: ring, TLS 1.2 and 1.3, HTTP/1.1 by ALPN.
///
/// Returns an error (naming the variable) if and only if `SSL_CERT_FILE` or
/// `SSL_CERT_DIR` is set but holds no certificate that can be read.
pub fn client_config(env: &Env) -> Result<rustls::ClientConfig, InputError> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(file) = env.path("SSL_CERT_FILE") {
        let certs = read_pem_file(&file).map_err(|e| {
            InputError::new(
                "SSL_CERT_FILE",
                format!("SSL_CERT_FILE {}: {e}: point it at a PEM file holding the CA certificate of your GitHub Enterprise Server", file.display()),
            )
        })?;
        add_all(&mut roots, certs, "SSL_CERT_FILE", &file)?;
    }
    if let Some(dirs) = env.path("SSL_CERT_DIR") {
        // `:`-separated as OpenSSL reads it, `;` on Windows.
        for dir in std::env::split_paths(&dirs).filter(|d| !d.as_os_str().is_empty()) {
            let dir = dir.as_path();
            let entries = std::fs::read_dir(dir).map_err(|e| {
                InputError::new(
                    "SSL_CERT_DIR",
                    format!(
                        "SSL_CERT_DIR {}: {e}: point it at a folder of PEM certificates",
                        dir.display()
                    ),
                )
            })?;
            let mut certs = Vec::new();
            for entry in entries.flatten() {
                // Files that are not PEM certificates (keys, READMEs) are skipped,
                // as OpenSSL does for a hashed certificate folder; so are FIFOs,
                // devices and files over the cap (src/util/files.rs).
                if let Ok(found) = read_pem_file(&entry.path()) {
                    certs.extend(found);
                }
            }
            add_all(&mut roots, certs, "SSL_CERT_DIR", dir)?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| InputError::new("TLS", format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn read_pem_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = files::read_capped(path, MAX_CERT_FILE_BYTES).map_err(|e| format!("{e:#}"))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("not a PEM certificate file ({e})"))?;
    if certs.is_empty() {
        return Err("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned());
    }
    Ok(certs)
}

fn add_all(
    roots: &mut rustls::RootCertStore,
    certs: Vec<CertificateDer<'static>>,
    var: &str,
    place: &Path,
) -> Result<(), InputError> {
    let (added, _ignored) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(InputError::new(
            var,
            format!(
                "{var} {}: no usable CA certificate found: give the PEM certificate of the CA that signed your GitHub Enterprise Server's certificate",
                place.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");

    #[test]
    fn compiled_in_roots_need_no_files() {
        let env = Env::from_pairs([]);
        let config = client_config(&env).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
    }

    #[test]
    fn extra_ca_from_file_and_dir() {
        assert!(client_config(&Env::from_pairs([("SSL_CERT_FILE", CA)])).is_ok());
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
        assert!(client_config(&Env::from_pairs([("SSL_CERT_DIR", dir)])).is_ok());
    }

    #[test]
    fn unusable_ca_is_an_input_error() {
        let e = client_config(&Env::from_pairs([("SSL_CERT_FILE", "/nonexistent/ca.pem")]))
            .unwrap_err();
        assert_eq!(e.input, "SSL_CERT_FILE");
        let e = client_config(&Env::from_pairs([(
            "SSL_CERT_FILE",
            concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
        )]))
        .unwrap_err();
        assert!(e.message.contains("no PEM certificate"), "{}", e.message);
        let e = client_config(&Env::from_pairs([("SSL_CERT_DIR", "/nonexistent")])).unwrap_err();
        assert_eq!(e.input, "SSL_CERT_DIR");
    }
}
