//! Go's `net.ParseIP`, which since Go 1.22 is `netip.ParseAddr` without zones.
//!
//! Mirrors `net/netip`'s `parseIPv4` (exactly four decimal fields, no leading zeros, each at
//! most 255) and `parseIPv6` (hex fields of at most four digits, one `::` standing for at least
//! one zero field, an embedded IPv4 address only as the last 32 bits), and `net.IP.To4`. A zone
//! (`fe80::1%eth0`) makes `net.ParseIP` fail, and so it does here. Input is bytes, as Go's
//! strings are.
//!
//! Must not: panic on any input.

/// Go's `netip` IPv4 parser: the four bytes, or `None`.
fn parse_v4(s: &[u8]) -> Option<[u8; 4]> {
    let mut fields = [0u8; 4];
    let (mut val, mut pos, mut digits) = (0u32, 0usize, 0usize);
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if digits == 1 && val == 0 {
                    return None;
                }
                val = val * 10 + u32::from(c - b'0');
                digits += 1;
                if val > 255 {
                    return None;
                }
            }
            b'.' => {
                if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' || pos == 3 {
                    return None;
                }
                fields[pos] = u8::try_from(val).ok()?;
                pos += 1;
                val = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    if pos < 3 {
        return None;
    }
    fields[3] = u8::try_from(val).ok()?;
    Some(fields)
}

/// Go's `netip` IPv6 parser without zone support (a zone fails `net.ParseIP`).
fn parse_v6(mut s: &[u8]) -> Option<[u8; 16]> {
    if s.contains(&b'%') {
        return None;
    }
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Some(ip);
        }
    }
    let mut i = 0;
    while i < 16 {
        let mut off = 0;
        let mut acc = 0u32;
        while let Some(&c) = s.get(off) {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            acc = (acc << 4) + u32::from(d);
            if acc > 0xffff {
                return None;
            }
            off += 1;
        }
        if off == 0 {
            return None;
        }
        if s.get(off) == Some(&b'.') {
            if (ellipsis.is_none() && i != 12) || i + 4 > 16 {
                return None;
            }
            ip[i..i + 4].copy_from_slice(&parse_v4(s)?);
            s = &[];
            i += 4;
            break;
        }
        ip[i..i + 2].copy_from_slice(&u16::try_from(acc).ok()?.to_be_bytes());
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    match ellipsis {
        Some(e) if i < 16 => {
            let n = 16 - i;
            ip.copy_within(e..i, e + n);
            ip[e..e + n].fill(0);
        }
        Some(_) => return None,
        None if i < 16 => return None,
        None => {}
    }
    Some(ip)
}

/// Go's `net.ParseIP`: the 16-byte form (IPv4 as `::ffff:a.b.c.d`), or `None` where Go returns
/// nil.
pub fn parse_ip(s: &[u8]) -> Option<[u8; 16]> {
    for &c in s {
        match c {
            b'.' => {
                let v4 = parse_v4(s)?;
                let mut ip = [0u8; 16];
                ip[10] = 0xff;
                ip[11] = 0xff;
                ip[12..].copy_from_slice(&v4);
                return Some(ip);
            }
            b':' => return parse_v6(s),
            b'%' => return None,
            _ => {}
        }
    }
    None
}

/// Go's `net.IP.To4` applied the way `x509` marshals addresses: IPv4 (and IPv4-mapped IPv6)
/// addresses as 4 bytes, others as 16.
pub fn ip_bytes(ip: &[u8; 16]) -> &[u8] {
    if ip[..10].iter().all(|b| *b == 0) && ip[10] == 0xff && ip[11] == 0xff {
        &ip[12..]
    } else {
        ip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Vec<u8> {
        ip_bytes(&parse_ip(s.as_bytes()).unwrap_or_else(|| panic!("{s}"))).to_vec()
    }

    #[test]
    fn accepts_what_go_accepts() {
        assert_eq!(ok("10.0.0.1"), [10, 0, 0, 1]);
        assert_eq!(ok("255.255.255.255"), [255; 4]);
        assert_eq!(ok("::ffff:1.2.3.4"), [1, 2, 3, 4]);
        assert_eq!(ok("::"), [0; 16]);
        assert_eq!(ok("::1")[15], 1);
        let v6 = ok("2001:DB8::68");
        assert_eq!(&v6[..4], &[0x20, 0x01, 0x0d, 0xb8]);
        assert_eq!(&v6[14..], &[0, 0x68]);
        assert_eq!(ok("1:2:3:4:5:6:7::")[14..], [0, 0]);
        assert_eq!(ok("1:2:3:4:5:6:1.2.3.4")[12..], [1, 2, 3, 4]);
        assert_eq!(ok("::1.2.3.4")[12..], [1, 2, 3, 4]);
    }

    #[test]
    fn rejects_what_go_rejects() {
        for s in [
            "",
            "localhost",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "256.1.1.1",
            "1..2.3",
            ".1.2.3",
            "1.2.3.",
            "1.2.3.4%eth0",
            "fe80::1%eth0",
            "fe80::1%",
            "%x",
            "1:2:3:4:5:6:7:8::",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1::2::3",
            "12345::",
            "1:2:3:4:5:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            ":1::",
            "1:",
            "1.2.3.4 ",
            "\u{ff11}.2.3.4",
        ] {
            assert!(parse_ip(s.as_bytes()).is_none(), "{s:?}");
        }
        assert!(parse_ip(b"1.2.3.\xff").is_none());
    }
}
