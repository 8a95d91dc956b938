//! TLS trust (compiled-in roots plus `SSL_CERT_FILE` / `SSL_CERT_DIR`) and
//! proxies from the environment, against local servers.

mod common;

use std::sync::{Arc, Mutex};

use common::{NO_CONTENT, Recorder, actions_env, run, serve_tcp, set};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

/// An HTTPS fake GitHub on 127.0.0.1 with a certificate from the test CA; it
/// answers every request with 204 and records the request heads.
async fn tls_github() -> (String, Arc<Mutex<Vec<String>>>) {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{FIXTURES}/server.pem"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{FIXTURES}/server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    serve_tcp(listener, move |sock| {
        let (acceptor, log) = (acceptor.clone(), log.clone());
        async move {
            let Ok(mut tls) = acceptor.accept(sock).await else {
                return;
            };
            let mut buf = vec![0u8; 16 * 1024];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                let Ok(n) = tls.read(&mut buf).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                got.extend_from_slice(&buf[..n]);
            }
            log.lock().unwrap().push(
                String::from_utf8_lossy(&got)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned(),
            );
            let _ = tls.write_all(NO_CONTENT.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    (format!("https://127.0.0.1:{}", addr.port()), seen)
}

#[tokio::test]
async fn a_private_ca_is_trusted_through_ssl_cert_file_or_dir() {
    let (api, seen) = tls_github().await;
    let mut env = actions_env(&api);
    set(
        &mut env,
        &[("SSL_CERT_FILE", Some(&format!("{FIXTURES}/ca.pem")))],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        *seen.lock().unwrap(),
        ["POST /repos/octo/deploy/dispatches HTTP/1.1"]
    );

    let mut env = actions_env(&api);
    set(&mut env, &[("SSL_CERT_DIR", Some(FIXTURES))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_before_anything_is_sent() {
    let (api, seen) = tls_github().await;
    let r = run(&actions_env(&api), &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let errors = r.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("::error title=TLS certificate not trusted::"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("set SSL_CERT_FILE to the CA's PEM file"),
        "{}",
        errors[0]
    );
    assert!(
        !r.stdout.contains("before attempt"),
        "a certificate error is not retried: {}",
        r.stdout
    );
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreadable_ca_file_is_an_input_error() {
    let (api, _) = tls_github().await;
    let mut env = actions_env(&api);
    set(&mut env, &[("SSL_CERT_FILE", Some("/nonexistent/ca.pem"))]);
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 2);
    assert!(
        r.errors()[0].starts_with("::error title=Invalid input%3A SSL_CERT_FILE::"),
        "{}",
        r.stdout
    );
}

#[tokio::test]
async fn http_proxy_from_the_environment_in_either_case() {
    for var in ["HTTP_PROXY", "http_proxy"] {
        let proxy = Recorder::proxy().await;
        let direct = common::refused_url().await;
        let mut env = actions_env(&direct);
        set(&mut env, &[(var, Some(&proxy.url()))]);
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 0, "{var}: {r:?}");
        assert_eq!(
            proxy.lines(),
            [format!(
                "POST {direct}/repos/octo/deploy/dispatches HTTP/1.1"
            )],
            "{var}"
        );
    }
}

#[tokio::test]
async fn https_proxy_tunnels_and_no_proxy_bypasses() {
    let (api, github_seen) = tls_github().await;
    let proxy = Recorder::proxy().await;
    let mut env = actions_env(&api);
    set(
        &mut env,
        &[
            ("SSL_CERT_FILE", Some(&format!("{FIXTURES}/ca.pem"))),
            ("HTTPS_PROXY", Some(&proxy.url())),
        ],
    );
    let r = run(&env, &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let host = api.trim_start_matches("https://");
    assert_eq!(proxy.lines(), [format!("CONNECT {host} HTTP/1.1")]);
    assert_eq!(github_seen.lock().unwrap().len(), 1);

    for no_proxy in ["127.0.0.1", "NO_PROXY_LOWER"] {
        let mut env = env.clone();
        if no_proxy == "NO_PROXY_LOWER" {
            set(&mut env, &[("no_proxy", Some("127.0.0.1"))]);
        } else {
            set(&mut env, &[("NO_PROXY", Some(no_proxy))]);
        }
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 0, "{r:?}");
    }
    assert_eq!(proxy.count(), 1, "NO_PROXY was not honoured");
    assert_eq!(github_seen.lock().unwrap().len(), 3);
}
