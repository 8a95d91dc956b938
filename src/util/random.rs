//! Random numbers from the operating system, through getrandom (compiled in
//! already: ring uses it to seed TLS). Used for the output delimiters, the
//! correlation id and the jitter of retry waits.

use anyhow::Context as _;

/// `N` random bytes, or why the operating system gave none.
pub fn bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("could not read random numbers from the operating system")?;
    Ok(buf)
}

/// 128 random bits as 32 lower-case hex digits.
pub fn hex128() -> anyhow::Result<String> {
    use std::fmt::Write as _;
    Ok(bytes::<16>()?
        .iter()
        .fold(String::with_capacity(32), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        }))
}

/// A fraction in [0, `max`), for jitter; 0 if the operating system gives no
/// random numbers (a wait without jitter is still a correct wait).
#[must_use]
pub fn fraction(max: f64) -> f64 {
    bytes::<4>().map_or(0.0, |b| {
        f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0) * max
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_differ_and_keep_their_shape() {
        let (a, b) = (hex128().unwrap(), hex128().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let fractions: Vec<f64> = (0..200).map(|_| fraction(0.1)).collect();
        assert!(
            fractions.iter().all(|f| (0.0..0.1).contains(f)),
            "{fractions:?}"
        );
        // 200 draws in [0, 0.1): some below and some above the middle.
        assert!(fractions.iter().any(|f| *f < 0.05) && fractions.iter().any(|f| *f >= 0.05));
    }
}
