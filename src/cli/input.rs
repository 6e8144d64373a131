//! Parsing what a person types on the command line: screen sizes, expiries and permissions. Errors are one clear line,
//! which clap prints as a usage error (exit 2).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::api::{AccessLevel, Resource, ResourceType};

/// `--dump-screen COLSxROWS`, e.g. `120x40`.
pub fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let (c, r) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{text:?} is not COLSxROWS, e.g. 120x40"))?;
    let cols = c
        .trim()
        .parse::<u16>()
        .map_err(|e| format!("columns {c:?}: {e}"))?;
    let rows = r
        .trim()
        .parse::<u16>()
        .map_err(|e| format!("rows {r:?}: {e}"))?;
    Ok((cols, rows))
}

/// The longest `--expires-in` accepted here; the server itself refuses more than 5 years, this only keeps
/// the arithmetic far from overflow.
const MAX_EXPIRES_IN_DAYS: i64 = 100 * 365;

/// `--expires-in`: a whole number followed by `h` (hours), `d` (days), `w` (weeks) or `y` (365 days).
pub fn parse_expires_in(text: &str) -> Result<TimeDelta, String> {
    let t = text.trim();
    let hint = "use a whole number with h, d, w or y, e.g. 12h, 30d, 2w, 1y";
    let unit = t
        .chars()
        .last()
        .ok_or_else(|| format!("empty duration; {hint}"))?;
    let number = &t[..t.len() - unit.len_utf8()];
    let n: i64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{t:?} is not a duration; {hint}"))?;
    if n <= 0 {
        return Err(format!("{t:?}: the duration must be positive"));
    }
    let hours_per_unit = match unit.to_ascii_lowercase() {
        'h' => 1,
        'd' => 24,
        'w' => 7 * 24,
        'y' => 365 * 24,
        _ => return Err(format!("{t:?}: unknown unit {unit:?}; {hint}")),
    };
    let hours = n
        .checked_mul(hours_per_unit)
        .filter(|h| *h <= MAX_EXPIRES_IN_DAYS * 24)
        .ok_or_else(|| format!("{t:?} is too far ahead (the API allows at most 5 years)"))?;
    Ok(TimeDelta::hours(hours))
}

/// `journal --since`: `30m`, `12h`, `7d` or `2w` ago, or an RFC 3339 time.
pub fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    since(text, Utc::now())
}

/// `--since` against a given now.
pub fn since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    let hint = "use a whole number with m, h, d or w (30m, 12h, 7d, 2w) or an RFC 3339 time";
    let unit = t
        .chars()
        .last()
        .ok_or_else(|| format!("empty time; {hint}"))?;
    let n: i64 = t[..t.len() - unit.len_utf8()]
        .trim()
        .parse()
        .map_err(|_| format!("{t:?} is not a time; {hint}"))?;
    let minutes_per_unit = match unit.to_ascii_lowercase() {
        'm' => 1,
        'h' => 60,
        'd' => 24 * 60,
        'w' => 7 * 24 * 60,
        _ => return Err(format!("{t:?}: unknown unit {unit:?}; {hint}")),
    };
    n.checked_mul(minutes_per_unit)
        .filter(|m| *m >= 0 && *m <= 100 * 366 * 24 * 60)
        .map(|m| now - TimeDelta::minutes(m))
        .ok_or_else(|| format!("{t:?} is out of range; {hint}"))
}

/// `--expires-at`: a date (midnight UTC that day) or an RFC 3339 date-time with any offset.
pub fn parse_expires_at(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{t:?} is not a date; use 2027-06-01 (midnight UTC) or 2027-06-01T12:00:00Z (RFC 3339)"
            )
        })
}

/// `--permission TYPE:ID:LEVEL`, e.g. `account:1719941:admin` or `domain:3:viewer`.
pub fn parse_permission(text: &str) -> Result<Resource, String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(':').collect();
    let [kind, id, level] = parts.as_slice() else {
        return Err(format!(
            "{t:?} is not TYPE:ID:LEVEL, e.g. account:1719941:admin or domain:3:viewer"
        ));
    };
    let kind = kind.trim().to_ascii_lowercase();
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!(
            "{t:?}: the type {kind:?} should be a word such as account, project, sandbox or domain"
        ));
    }
    let id: i64 = id
        .trim()
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| format!("{t:?}: the id {:?} is not a positive number", id.trim()))?;
    let access_level = match level.trim().to_ascii_lowercase().as_str() {
        "admin" => AccessLevel::ADMIN,
        "viewer" => AccessLevel::VIEWER,
        other => {
            return Err(format!(
                "{t:?}: the level {other:?} is not admin or viewer (a token can only get these two)"
            ));
        }
    };
    Ok(Resource {
        resource_type: ResourceType::new(kind),
        resource_id: id,
        access_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_span_back_or_a_time() {
        let now = parse_expires_at("2026-12-01T12:00:00Z").unwrap();
        let at = |t| parse_expires_at(t).unwrap();
        assert_eq!(since("30m", now).unwrap(), at("2026-12-01T11:30:00Z"));
        assert_eq!(since("12h", now).unwrap(), at("2026-12-01T00:00:00Z"));
        assert_eq!(since("7d", now).unwrap(), at("2026-11-24T12:00:00Z"));
        assert_eq!(since("2w", now).unwrap(), at("2026-11-17T12:00:00Z"));
        assert_eq!(
            since("2026-11-30T09:00:00+01:00", now).unwrap(),
            at("2026-11-30T08:00:00Z")
        );
        for bad in ["", "7", "7x", "-1d", "d", "99999999999999w"] {
            assert!(since(bad, now).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("120x40"), Ok((120, 40)));
        assert!(parse_size("120").is_err());
        assert!(parse_size("axb").is_err());
    }

    #[test]
    fn durations_in_each_unit() {
        assert_eq!(parse_expires_in("12h"), Ok(TimeDelta::hours(12)));
        assert_eq!(parse_expires_in("30d"), Ok(TimeDelta::days(30)));
        assert_eq!(parse_expires_in(" 2W "), Ok(TimeDelta::days(14)));
        assert_eq!(parse_expires_in("1y"), Ok(TimeDelta::days(365)));
    }

    #[test]
    fn bad_durations_say_why() {
        assert!(parse_expires_in("").unwrap_err().contains("empty"));
        assert!(parse_expires_in("30").unwrap_err().contains("unknown unit"));
        assert!(
            parse_expires_in("30m")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            parse_expires_in("d")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(parse_expires_in("0d").unwrap_err().contains("positive"));
        assert!(parse_expires_in("-3d").unwrap_err().contains("positive"));
        assert!(
            parse_expires_in("9999999999999y")
                .unwrap_err()
                .contains("too far")
        );
        assert!(parse_expires_in("1é").unwrap_err().contains("unknown unit"));
    }

    #[test]
    fn dates_are_midnight_utc_and_offsets_convert() {
        assert_eq!(
            parse_expires_at("2027-06-01").unwrap().to_rfc3339(),
            "2027-06-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_expires_at("2027-06-01T12:00:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2027-06-01T10:00:00+00:00"
        );
        assert!(parse_expires_at("2027-13-01").is_err());
        assert!(
            parse_expires_at("next week")
                .unwrap_err()
                .contains("not a date")
        );
    }

    #[test]
    fn permissions_parse_and_fail_clearly() {
        let r = parse_permission("Account:1719941:ADMIN").unwrap();
        assert_eq!(r.resource_type.as_str(), "account");
        assert_eq!(r.resource_id, 1719941);
        assert_eq!(r.access_level, AccessLevel::ADMIN);
        assert_eq!(
            parse_permission("domain:3:viewer").unwrap().access_level,
            AccessLevel::VIEWER
        );
        assert!(
            parse_permission("account:1")
                .unwrap_err()
                .contains("TYPE:ID:LEVEL")
        );
        assert!(
            parse_permission("a:b:c:d")
                .unwrap_err()
                .contains("TYPE:ID:LEVEL")
        );
        assert!(parse_permission(":1:admin").unwrap_err().contains("type"));
        assert!(
            parse_permission("acc-ount:1:admin")
                .unwrap_err()
                .contains("type")
        );
        assert!(
            parse_permission("account:x:admin")
                .unwrap_err()
                .contains("id")
        );
        assert!(
            parse_permission("account:0:admin")
                .unwrap_err()
                .contains("id")
        );
        assert!(
            parse_permission("account:1:owner")
                .unwrap_err()
                .contains("admin or viewer")
        );
    }
}
