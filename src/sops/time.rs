//! The few Go time conversions sops files depend on.

use crate::gocompat::time::{Time, Zone};

const RFC3339: &[u8] = b"2006-01-02T15:04:05Z07:00";
const RFC3339_NANO: &[u8] = b"2006-01-02T15:04:05.999999999Z07:00";

/// `time.Parse(time.RFC3339, s)` then `Format(time.RFC3339)`: the `lastmodified` text that is
/// the MAC's additional data (fractional seconds dropped, a zero offset written `Z`).
pub fn reformat_rfc3339(s: &str) -> Option<String> {
    let t = Time::parse_in_local(RFC3339, s.as_bytes()).ok()?;
    String::from_utf8(t.format(RFC3339)).ok()
}

/// The current time as sops writes `lastmodified`.
pub fn now_rfc3339() -> String {
    String::from_utf8_lossy(&Time::now().in_zone(Zone::Utc).format(RFC3339)).into_owned()
}

/// go-yaml v3's `parseTimestamp` followed by `time.Time.MarshalText`: what a plain YAML scalar
/// such as `2024-01-02` becomes in a sops tree. `None` when the text is no timestamp.
pub fn yaml_timestamp(s: &str) -> Option<String> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 || s.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    const FORMATS: [&[u8]; 4] = [
        b"2006-1-2T15:4:5.999999999Z07:00",
        b"2006-1-2t15:4:5.999999999Z07:00",
        b"2006-1-2 15:4:5.999999999",
        b"2006-1-2",
    ];
    let t = FORMATS
        .iter()
        .find_map(|f| Time::parse_in_local(f, s.as_bytes()).ok())?;
    String::from_utf8(t.format(RFC3339_NANO)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_is_reformatted_as_go_does() {
        assert_eq!(
            reformat_rfc3339("2024-05-06T07:08:09Z").as_deref(),
            Some("2024-05-06T07:08:09Z")
        );
        assert_eq!(
            reformat_rfc3339("2024-05-06T07:08:09.123+00:00").as_deref(),
            Some("2024-05-06T07:08:09Z")
        );
        assert_eq!(
            reformat_rfc3339("2024-05-06T07:08:09+02:00").as_deref(),
            Some("2024-05-06T07:08:09+02:00")
        );
        assert_eq!(reformat_rfc3339("yesterday"), None);
        assert!(reformat_rfc3339(&now_rfc3339()).is_some());
    }

    #[test]
    fn yaml_timestamps() {
        assert_eq!(
            yaml_timestamp("2024-1-2").as_deref(),
            Some("2024-01-02T00:00:00Z")
        );
        assert_eq!(
            yaml_timestamp("2024-01-02 03:04:05.5").as_deref(),
            Some("2024-01-02T03:04:05.5Z")
        );
        assert_eq!(yaml_timestamp("2024-01-02x"), None);
        assert_eq!(yaml_timestamp("12024-01-02"), None);
    }
}
