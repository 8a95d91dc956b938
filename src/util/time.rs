//! Durations as users write them, UTC timestamps as GitHub writes them, and the
//! clock every wait goes through.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses a duration as the inputs take it: a number of seconds (`90`, `1.5`) or
/// a number with a unit (`250ms`, `30s`, `10m`, `1h`).
///
/// Returns an error (a message without the input's name) if and only if the text
/// is not of that form or is longer than a day.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" => 60.0,
        "h" => 3600.0,
        _ => {
            return Err(format!(
                "'{text}' is not a duration: write seconds (90) or a number with a unit (250ms, 30s, 10m, 1h)"
            ));
        }
    };
    let valid_number = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.matches('.').count() <= 1;
    let value: f64 = match number.parse() {
        Ok(v) if valid_number => v,
        _ => {
            return Err(format!(
                "'{text}' is not a duration: write seconds (90) or a number with a unit (250ms, 30s, 10m, 1h)"
            ));
        }
    };
    let seconds = value * scale;
    if seconds > 86_400.0 {
        return Err(format!("'{text}' is longer than the longest allowed, 24h"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Formats a duration for people: `250ms`, `1.5s`, `45s`, `2m30s`, `1h0m5s`.
#[must_use]
pub fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    // Rounded to the nearest tenth under a minute, to the second above.
    let ms = if ms < 59_950 {
        (ms + 50) / 100 * 100
    } else {
        (ms + 500) / 1000 * 1000
    };
    let secs = u64::try_from(ms / 1000).unwrap_or(u64::MAX);
    if secs < 60 {
        let tenths = (ms % 1000) / 100;
        return if tenths == 0 {
            format!("{secs}s")
        } else {
            format!("{secs}.{tenths}s")
        };
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if s == 0 {
        format!("{m}m")
    } else {
        format!("{m}m{s}s")
    }
}

/// Seconds since the Unix epoch, now.
#[must_use]
pub fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An epoch time as RFC 3339 in UTC (`2026-11-23T19:05:00Z`), the form GitHub's
/// `created` filter and timestamps use.
#[must_use]
pub fn utc(epoch: u64) -> String {
    let days = epoch / 86_400;
    let rem = epoch % 86_400;
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`, <https://howardhinnant.github.io/date_algorithms.html>),
/// restricted to dates after the epoch.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// The moment `d` from now, saturating: a wait from a server's answer can be
/// near 2^64 seconds, and `Instant + Duration` panics on overflow.
#[must_use]
fn instant_after(d: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    // About thirty years: later than any deadline, far from overflowing.
    now.checked_add(d)
        .unwrap_or_else(|| now + Duration::from_secs(1_000_000_000))
}

/// The clock every wait and deadline goes through: deadlines are made with
/// [`Clock::after`] and every wait is [`Clock::sleep_until`].
///
/// Real time in every build that ships. With the `scaled-time` feature (the
/// test command and the benchmarks turn it on; release builds do not), the
/// variable `REPOSITORY_DISPATCH_TIME_SCALE` (a number in [0.000001, 1])
/// shrinks every wait, pacing interval and timeout by that factor, so that
/// tests run minutes of GitHub's rate-limit rules in seconds; messages keep
/// showing the unscaled durations.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    scale: f64,
}

impl Default for Clock {
    fn default() -> Self {
        Self { scale: 1.0 }
    }
}

impl Clock {
    /// A clock running `scale` times faster than real time, or an error for a
    /// scale outside [0.000001, 1].
    #[cfg(feature = "scaled-time")]
    pub fn scaled(scale: &str) -> Result<Self, String> {
        match scale.trim().parse::<f64>() {
            // At least 1e-6: dividing a real duration by a smaller scale could
            // overflow a Duration.
            Ok(s) if (1e-6..=1.0).contains(&s) => Ok(Self { scale: s }),
            _ => Err(format!("'{scale}' is not a number in [0.000001, 1]")),
        }
    }

    /// The real duration of a nominal one.
    #[must_use]
    pub fn real(self, nominal: Duration) -> Duration {
        if (self.scale - 1.0).abs() < f64::EPSILON {
            nominal
        } else {
            nominal.mul_f64(self.scale)
        }
    }

    /// The nominal duration of a real one (for reporting elapsed time).
    #[must_use]
    pub fn nominal(self, real: Duration) -> Duration {
        if (self.scale - 1.0).abs() < f64::EPSILON {
            real
        } else {
            real.div_f64(self.scale)
        }
    }

    /// The moment a nominal duration from now, saturating.
    #[must_use]
    pub fn after(self, nominal: Duration) -> tokio::time::Instant {
        instant_after(self.real(nominal))
    }

    /// The one way this program waits: until a moment made by [`Clock::after`].
    pub async fn sleep_until(&self, at: tokio::time::Instant) {
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<f64, &str>) {
        match (parse_duration(text), expected) {
            (Ok(d), Ok(secs)) => assert!(
                (d.as_secs_f64() - secs).abs() < 1e-9,
                "{text}: {d:?} != {secs}"
            ),
            (Err(e), Err(part)) => assert!(e.contains(part), "{text}: {e}"),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn durations() {
        check("90", Ok(90.0));
        check("1.5", Ok(1.5));
        check("0", Ok(0.0));
        check("250ms", Ok(0.25));
        check("30s", Ok(30.0));
        check("10m", Ok(600.0));
        check("1h", Ok(3600.0));
        check("24h", Ok(86_400.0));
        check("25h", Err("longer than"));
        check("", Err("not a duration"));
        check("s", Err("not a duration"));
        check("10 m", Err("not a duration"));
        check("-1", Err("not a duration"));
        check("1.", Err("not a duration"));
        check(".5", Err("not a duration"));
        check("1.2.3", Err("not a duration"));
        check("10d", Err("not a duration"));
        check("1e3", Err("not a duration"));
        check("inf", Err("not a duration"));
        check("NaN", Err("not a duration"));
    }

    #[test]
    fn formats() {
        for (secs, text) in [
            (0.25, "250ms"),
            (1.0, "1s"),
            (1.5, "1.5s"),
            (45.0, "45s"),
            (60.0, "1m"),
            (150.0, "2m30s"),
            (3605.0, "1h0m5s"),
            (1.99, "2s"),
            (59.97, "1m"),
            (89.6, "1m30s"),
        ] {
            assert_eq!(fmt_duration(Duration::from_secs_f64(secs)), text);
        }
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_460_700), "2026-11-23T19:05:00Z");
        assert_eq!(utc(4_107_542_399), "2100-02-28T23:59:59Z");
    }

    #[cfg(feature = "scaled-time")]
    #[test]
    fn clock_scale() {
        let c = Clock::scaled("0.01").unwrap();
        assert_eq!(c.real(Duration::from_mins(1)), Duration::from_millis(600));
        assert_eq!(
            c.nominal(Duration::from_millis(600)),
            Duration::from_mins(1)
        );
        assert!(Clock::scaled("0").is_err());
        assert!(Clock::scaled("1e-300").is_err());
        assert!(Clock::scaled("0.000001").is_ok());
        assert!(Clock::scaled("2").is_err());
        assert!(Clock::scaled("x").is_err());
    }
}
