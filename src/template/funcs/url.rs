//! Sprig's `urlParse` and `urlJoin`, over a port of Go's `net/url` parsing and printing.
//!
//! Mirrors `runtime/template/v2/sprig/url.go` and Go's `net/url` (`Parse`, `URL.String`,
//! `Hostname`, `Userinfo.String`, with their escaping rules). Strings are Go byte strings.
//!
//! One deliberate difference: Go's parse errors quote the URL and the offending fragment; here
//! both are left out, because URLs in secrets carry credentials.
//!
//! Must not: put input bytes in an `Err`, or panic.

use std::collections::BTreeMap;

use super::bytes;
use super::{FuncDef, Imp, Ty};
use crate::template::value::{Elem, Value};

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("urlParse", [Ty::Str], None, url_parse),
    f!("urlJoin", [Ty::MapAny], None, url_join),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

/// Go's `shouldEscape` for the modes URL parsing and printing use.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Go's `unescape` (no query-component mode is needed here).
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, &'static str> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len()
                    || !s[i + 1].is_ascii_hexdigit()
                    || !s[i + 2].is_ascii_hexdigit()
                {
                    return Err("invalid URL escape");
                }
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && &s[i..i + 3] != b"%25" {
                    return Err("invalid URL escape");
                }
                if mode == Mode::Zone {
                    let v = unhex(s[i + 1]) << 4 | unhex(s[i + 2]);
                    if &s[i..i + 3] != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err("invalid URL escape");
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err("invalid character in host name");
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            out.push(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Go's `escape`.
fn escape(s: &[u8], mode: Mode) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if should_escape(c, mode) {
            out.extend_from_slice(&[b'%', HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]]);
        } else {
            out.push(c);
        }
    }
    out
}

/// Go's `validEncoded`.
fn valid_encoded(s: &[u8], mode: Mode) -> bool {
    s.iter().all(|&c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// Go's `validUserinfo` (over runes; non-ASCII is invalid).
fn valid_userinfo(s: &[u8]) -> bool {
    s.iter().all(|&c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b':'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b'@'
            )
    })
}

fn find(s: &[u8], c: u8) -> Option<usize> {
    s.iter().position(|b| *b == c)
}

fn rfind(s: &[u8], c: u8) -> Option<usize> {
    s.iter().rposition(|b| *b == c)
}

fn find_sub(s: &[u8], needle: &[u8]) -> Option<usize> {
    s.windows(needle.len()).position(|w| w == needle)
}

/// The parts of Go's `url.URL` that Sprig reads or prints.
#[derive(Debug, Default)]
struct Url {
    scheme: Vec<u8>,
    opaque: Vec<u8>,
    /// Username and, when set, password.
    user: Option<(Vec<u8>, Option<Vec<u8>>)>,
    host: Vec<u8>,
    path: Vec<u8>,
    raw_path: Vec<u8>,
    omit_host: bool,
    force_query: bool,
    raw_query: Vec<u8>,
    fragment: Vec<u8>,
    raw_fragment: Vec<u8>,
}

/// Go's `getScheme`.
fn get_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok((b"", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme");
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok((b"", raw)),
        }
    }
    Ok((b"", raw))
}

/// Go's `parseHost`.
fn parse_host(host: &[u8]) -> Result<Vec<u8>, &'static str> {
    if host.first() == Some(&b'[') {
        let Some(i) = rfind(host, b']') else {
            return Err("missing ']' in host");
        };
        if !valid_optional_port(&host[i + 1..]) {
            return Err("invalid port after host");
        }
        if let Some(zone) = find_sub(&host[..i], b"%25") {
            let mut out = unescape(&host[..zone], Mode::Host)?;
            out.extend(unescape(&host[zone..i], Mode::Zone)?);
            out.extend(unescape(&host[i..], Mode::Host)?);
            return Ok(out);
        }
    } else if let Some(i) = rfind(host, b':')
        && !valid_optional_port(&host[i..])
    {
        return Err("invalid port after host");
    }
    unescape(host, Mode::Host)
}

type Authority = (Option<(Vec<u8>, Option<Vec<u8>>)>, Vec<u8>);

/// Go's `parseAuthority`.
fn parse_authority(authority: &[u8]) -> Result<Authority, &'static str> {
    let at = rfind(authority, b'@');
    let host = match at {
        None => parse_host(authority)?,
        Some(i) => parse_host(&authority[i + 1..])?,
    };
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo");
    }
    let user = match find(userinfo, b':') {
        None => (unescape(userinfo, Mode::UserPassword)?, None),
        Some(c) => (
            unescape(&userinfo[..c], Mode::UserPassword)?,
            Some(unescape(&userinfo[c + 1..], Mode::UserPassword)?),
        ),
    };
    Ok((Some(user), host))
}

/// Go's `url.Parse`.
fn parse(raw: &[u8]) -> Result<Url, &'static str> {
    let (u, frag) = match find(raw, b'#') {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => (raw, &raw[raw.len()..]),
    };
    let mut url = parse_no_fragment(u)?;
    if !frag.is_empty() {
        url.fragment = unescape(frag, Mode::Fragment)?;
        if escape(&url.fragment, Mode::Fragment) != frag {
            url.raw_fragment = frag.to_vec();
        }
    }
    Ok(url)
}

fn parse_no_fragment(raw: &[u8]) -> Result<Url, &'static str> {
    if raw.iter().any(|&b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL");
    }
    let mut url = Url::default();
    if raw == b"*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.last() == Some(&b'?') && rest.iter().filter(|b| **b == b'?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some(i) = find(rest, b'?') {
        url.raw_query = rest[i + 1..].to_vec();
        rest = &rest[..i];
    }
    if rest.first() != Some(&b'/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_vec();
            return Ok(url);
        }
        let segment = match find(rest, b'/') {
            Some(i) => &rest[..i],
            None => rest,
        };
        if segment.contains(&b':') {
            return Err("first path segment in URL cannot contain colon");
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let mut authority = &rest[2..];
        rest = b"";
        if let Some(i) = find(authority, b'/') {
            rest = &authority[i..];
            authority = &authority[..i];
        }
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
    } else if !url.scheme.is_empty() && rest.first() == Some(&b'/') {
        url.omit_host = true;
    }
    url.path = unescape(rest, Mode::Path)?;
    if escape(&url.path, Mode::Path) != rest {
        url.raw_path = rest.to_vec();
    }
    Ok(url)
}

impl Url {
    /// Go's `Hostname`: the host without port and IPv6 brackets.
    fn hostname(&self) -> &[u8] {
        let mut host = self.host.as_slice();
        if let Some(c) = rfind(host, b':')
            && valid_optional_port(&host[c..])
        {
            host = &host[..c];
        }
        if host.len() >= 2 && host.first() == Some(&b'[') && host.last() == Some(&b']') {
            host = &host[1..host.len() - 1];
        }
        host
    }

    /// Go's `Userinfo.String`.
    fn userinfo(&self) -> Vec<u8> {
        let Some((name, pass)) = &self.user else {
            return Vec::new();
        };
        let mut out = escape(name, Mode::UserPassword);
        if let Some(p) = pass {
            out.push(b':');
            out.extend(escape(p, Mode::UserPassword));
        }
        out
    }

    /// Go's `EscapedPath`.
    fn escaped_path(&self) -> Vec<u8> {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path, Mode::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == b"*" {
            return b"*".to_vec();
        }
        escape(&self.path, Mode::Path)
    }

    /// Go's `EscapedFragment`.
    fn escaped_fragment(&self) -> Vec<u8> {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment, Mode::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// Go's `URL.String`.
    fn to_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        if !self.scheme.is_empty() {
            buf.extend_from_slice(&self.scheme);
            buf.push(b':');
        }
        if !self.opaque.is_empty() {
            buf.extend_from_slice(&self.opaque);
        } else {
            let authority = !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            let omitted = self.omit_host && self.host.is_empty() && self.user.is_none();
            if authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.extend_from_slice(b"//");
                }
                if self.user.is_some() {
                    buf.extend(self.userinfo());
                    buf.push(b'@');
                }
                if !self.host.is_empty() {
                    buf.extend(escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if path.first().is_some_and(|c| *c != b'/') && !self.host.is_empty() {
                buf.push(b'/');
            }
            if buf.is_empty() {
                let segment = match find(&path, b'/') {
                    Some(i) => &path[..i],
                    None => &path[..],
                };
                if segment.contains(&b':') {
                    buf.extend_from_slice(b"./");
                }
            }
            buf.extend(path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push(b'?');
            buf.extend_from_slice(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push(b'#');
            buf.extend(self.escaped_fragment());
        }
        buf
    }
}

/// Go's `url.Parse` followed by `URL.String` (for `certSANs`): the host and the printed URL.
pub(super) fn parse_and_format(raw: &[u8]) -> Result<(Vec<u8>, Vec<u8>), &'static str> {
    let url = parse(raw)?;
    Ok((url.host.clone(), url.to_bytes()))
}

/// Sprig's `urlParse`: a dict of the URL's parts.
fn url_parse(args: &[Value]) -> Result<Value, String> {
    let url = parse(&bytes(args, 0)).map_err(|e| format!("unable to parse url: parse: {e}"))?;
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: Vec<u8>| {
        m.insert(k.as_bytes().to_vec(), Value::str(v));
    };
    put("scheme", url.scheme.clone());
    put("host", url.host.clone());
    put("hostname", url.hostname().to_vec());
    put("path", url.path.clone());
    put("query", url.raw_query.clone());
    put("opaque", url.opaque.clone());
    put("fragment", url.fragment.clone());
    put("userinfo", url.userinfo());
    Value::map(Elem::Any, m)
}

/// Sprig's `dictGetOrEmpty`: a string entry, `""` when absent, a failure for any other type.
fn dict_string(d: &Value, key: &str) -> Result<Vec<u8>, String> {
    let Value::Map(m) = d else {
        return Ok(Vec::new());
    };
    match m.borrow().entries.get(key.as_bytes()) {
        None => Ok(Vec::new()),
        Some(Value::Str(s)) => Ok(s.to_vec()),
        Some(Value::Nil) => {
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        }
        Some(v) => Err(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            v.kind_name()
        )),
    }
}

/// Sprig's `urlJoin`: the URL a dict like `urlParse`'s describes.
fn url_join(args: &[Value]) -> Result<Value, String> {
    let d = args.first().cloned().unwrap_or(Value::Nil);
    let mut url = Url {
        scheme: dict_string(&d, "scheme")?,
        host: dict_string(&d, "host")?,
        path: dict_string(&d, "path")?,
        raw_query: dict_string(&d, "query")?,
        opaque: dict_string(&d, "opaque")?,
        fragment: dict_string(&d, "fragment")?,
        ..Url::default()
    };
    let userinfo = dict_string(&d, "userinfo")?;
    if !userinfo.is_empty() {
        let mut raw = b"proto://".to_vec();
        raw.extend_from_slice(&userinfo);
        raw.extend_from_slice(b"@host");
        let temp =
            parse(&raw).map_err(|e| format!("unable to parse userinfo in dict: parse: {e}"))?;
        url.user = temp.user;
    }
    Ok(Value::str(url.to_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_go() {
        crate::template::funcs::assert_matches_go(GO_CASES);
    }

    #[test]
    fn parse_errors_keep_go_reason_but_not_the_url() {
        for (raw, reason) in [
            ("http://u:s3cr3t@h:port/", "invalid port after host"),
            ("http://h/%zz", "invalid URL escape"),
            ("http://a b/", "invalid character in host name"),
            (":s3cr3t", "missing protocol scheme"),
            (
                "1s3cr3t://x",
                "first path segment in URL cannot contain colon",
            ),
            ("http://[s3cr3t", "missing ']' in host"),
            ("http://s3 cr3t@h/", "net/url: invalid userinfo"),
        ] {
            let e = url_parse(&[Value::str(raw)]).unwrap_err();
            assert_eq!(e, format!("unable to parse url: parse: {reason}"));
        }
        let d = Value::map(
            Elem::Any,
            BTreeMap::from([(b"userinfo".to_vec(), Value::str("s3cr3t%zz"))]),
        )
        .unwrap();
        let e = url_join(&[d]).unwrap_err();
        assert!(!e.contains("s3cr3t"), "{e}");
    }

    /// (template, output) pairs; outputs produced by Go 1.19 with ESO's vendored Sprig.
    const GO_CASES: &[(&str, &str)] = &[
        (
            r#"{{ urlParse "" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"","query":"","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "" | urlJoin }}"#, r""),
        (
            r#"{{ urlParse "*" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"*","query":"","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "*" | urlJoin }}"#, r"*"),
        (
            r#"{{ urlParse "http://example.com" | toJson }}"#,
            r#"{"fragment":"","host":"example.com","hostname":"example.com","opaque":"","path":"","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://example.com" | urlJoin }}"#,
            r"http://example.com",
        ),
        (
            r#"{{ urlParse "https://user:p%40ss@db.example.com:5432/mydb?sslmode=require#frag" | toJson }}"#,
            r#"{"fragment":"frag","host":"db.example.com:5432","hostname":"db.example.com","opaque":"","path":"/mydb","query":"sslmode=require","scheme":"https","userinfo":"user:p%40ss"}"#,
        ),
        (
            r#"{{ urlParse "https://user:p%40ss@db.example.com:5432/mydb?sslmode=require#frag" | urlJoin }}"#,
            r"https://user:p%40ss@db.example.com:5432/mydb?sslmode=require#frag",
        ),
        (
            r#"{{ urlParse "postgres://u:p@h/db" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/db","query":"","scheme":"postgres","userinfo":"u:p"}"#,
        ),
        (
            r#"{{ urlParse "postgres://u:p@h/db" | urlJoin }}"#,
            r"postgres://u:p@h/db",
        ),
        (
            r#"{{ urlParse "HTTP://EXAMPLE.com/A%20B" | toJson }}"#,
            r#"{"fragment":"","host":"EXAMPLE.com","hostname":"EXAMPLE.com","opaque":"","path":"/A B","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "HTTP://EXAMPLE.com/A%20B" | urlJoin }}"#,
            r"http://EXAMPLE.com/A%20B",
        ),
        (
            r#"{{ urlParse "mailto:joe@example.com" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"joe@example.com","path":"","query":"","scheme":"mailto","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "mailto:joe@example.com" | urlJoin }}"#,
            r"mailto:joe@example.com",
        ),
        (
            r#"{{ urlParse "/relative/path?q=1" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"/relative/path","query":"q=1","scheme":"","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "/relative/path?q=1" | urlJoin }}"#,
            r"/relative/path?q=1",
        ),
        (
            r#"{{ urlParse "//host/path" | toJson }}"#,
            r#"{"fragment":"","host":"host","hostname":"host","opaque":"","path":"/path","query":"","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "//host/path" | urlJoin }}"#, r"//host/path"),
        (
            r#"{{ urlParse "///triple" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"///triple","query":"","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "///triple" | urlJoin }}"#, r"///triple"),
        (
            r#"{{ urlParse "a:b" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"b","path":"","query":"","scheme":"a","userinfo":""}"#,
        ),
        (r#"{{ urlParse "a:b" | urlJoin }}"#, r"a:b"),
        (
            r#"{{ urlParse "http://[::1]:8080/x" | toJson }}"#,
            r#"{"fragment":"","host":"[::1]:8080","hostname":"::1","opaque":"","path":"/x","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://[::1]:8080/x" | urlJoin }}"#,
            r"http://[::1]:8080/x",
        ),
        (
            r#"{{ urlParse "http://[fe80::1%25en0]:80/" | toJson }}"#,
            r#"{"fragment":"","host":"[fe80::1%en0]:80","hostname":"fe80::1%en0","opaque":"","path":"/","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://[fe80::1%25en0]:80/" | urlJoin }}"#,
            r"http://[fe80::1%25en0]:80/",
        ),
        (
            r#"{{ urlParse "http://h:/" | toJson }}"#,
            r#"{"fragment":"","host":"h:","hostname":"h","opaque":"","path":"/","query":"","scheme":"http","userinfo":""}"#,
        ),
        (r#"{{ urlParse "http://h:/" | urlJoin }}"#, r"http://h:/"),
        (
            r#"{{ urlParse "http://h/p?x=1?y=2" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/p","query":"x=1?y=2","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/p?x=1?y=2" | urlJoin }}"#,
            r"http://h/p?x=1?y=2",
        ),
        (
            r#"{{ urlParse "http://h/p?" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/p","query":"","scheme":"http","userinfo":""}"#,
        ),
        (r#"{{ urlParse "http://h/p?" | urlJoin }}"#, r"http://h/p"),
        (
            r#"{{ urlParse "http://h/p??" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/p","query":"?","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/p??" | urlJoin }}"#,
            r"http://h/p??",
        ),
        (
            r#"{{ urlParse "http://u%41@h/" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/","query":"","scheme":"http","userinfo":"uA"}"#,
        ),
        (
            r#"{{ urlParse "http://u%41@h/" | urlJoin }}"#,
            r"http://uA@h/",
        ),
        (
            r#"{{ urlParse "http://u:p:q@h/" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/","query":"","scheme":"http","userinfo":"u:p%3Aq"}"#,
        ),
        (
            r#"{{ urlParse "http://u:p:q@h/" | urlJoin }}"#,
            r"http://u:p%3Aq@h/",
        ),
        (
            r#"{{ urlParse "http://@h/" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/","query":"","scheme":"http","userinfo":""}"#,
        ),
        (r#"{{ urlParse "http://@h/" | urlJoin }}"#, r"http://h/"),
        (
            r#"{{ urlParse "http://a@b@c/" | toJson }}"#,
            r#"{"fragment":"","host":"c","hostname":"c","opaque":"","path":"/","query":"","scheme":"http","userinfo":"a%40b"}"#,
        ),
        (
            r#"{{ urlParse "http://a@b@c/" | urlJoin }}"#,
            r"http://a%40b@c/",
        ),
        (
            r#"{{ urlParse "redis://:secret@host:6379/0" | toJson }}"#,
            r#"{"fragment":"","host":"host:6379","hostname":"host","opaque":"","path":"/0","query":"","scheme":"redis","userinfo":":secret"}"#,
        ),
        (
            r#"{{ urlParse "redis://:secret@host:6379/0" | urlJoin }}"#,
            r"redis://:secret@host:6379/0",
        ),
        (
            r#"{{ urlParse "http://h/a b#c d" | toJson }}"#,
            r#"{"fragment":"c d","host":"h","hostname":"h","opaque":"","path":"/a b","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/a b#c d" | urlJoin }}"#,
            r"http://h/a%20b#c%20d",
        ),
        (
            r#"{{ urlParse "http://h/a%2Fb" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/a/b","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/a%2Fb" | urlJoin }}"#,
            r"http://h/a/b",
        ),
        (
            r#"{{ urlParse "http://h/\u00fc" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/ü","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/\u00fc" | urlJoin }}"#,
            r"http://h/%C3%BC",
        ),
        (
            r#"{{ urlParse "http://h\u00fc.com/" | toJson }}"#,
            r#"{"fragment":"","host":"hü.com","hostname":"hü.com","opaque":"","path":"/","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h\u00fc.com/" | urlJoin }}"#,
            r"http://h%C3%BC.com/",
        ),
        (
            r#"{{ urlParse "file:///etc/passwd" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"/etc/passwd","query":"","scheme":"file","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "file:///etc/passwd" | urlJoin }}"#,
            r"file:///etc/passwd",
        ),
        (
            r#"{{ urlParse "http:" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"","query":"","scheme":"http","userinfo":""}"#,
        ),
        (r#"{{ urlParse "http:" | urlJoin }}"#, r"http:"),
        (
            r#"{{ urlParse "http:/x" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"/x","query":"","scheme":"http","userinfo":""}"#,
        ),
        (r#"{{ urlParse "http:/x" | urlJoin }}"#, r"http:///x"),
        (
            r#"{{ urlParse "sftp://u@h:22" | toJson }}"#,
            r#"{"fragment":"","host":"h:22","hostname":"h","opaque":"","path":"","query":"","scheme":"sftp","userinfo":"u"}"#,
        ),
        (
            r#"{{ urlParse "sftp://u@h:22" | urlJoin }}"#,
            r"sftp://u@h:22",
        ),
        (
            r#"{{ urlParse "http://h#" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"","query":"","scheme":"http","userinfo":""}"#,
        ),
        (r#"{{ urlParse "http://h#" | urlJoin }}"#, r"http://h"),
        (
            r#"{{ urlParse "http://h/#x y" | toJson }}"#,
            r#"{"fragment":"x y","host":"h","hostname":"h","opaque":"","path":"/","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/#x y" | urlJoin }}"#,
            r"http://h/#x%20y",
        ),
        (
            r#"{{ urlParse "foo/bar:baz" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"foo/bar:baz","query":"","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "foo/bar:baz" | urlJoin }}"#, r"foo/bar:baz"),
        (
            r#"{{ urlParse "./a:b" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"./a:b","query":"","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "./a:b" | urlJoin }}"#, r"./a:b"),
        (
            r#"{{ urlParse "?q" | toJson }}"#,
            r#"{"fragment":"","host":"","hostname":"","opaque":"","path":"","query":"q","scheme":"","userinfo":""}"#,
        ),
        (r#"{{ urlParse "?q" | urlJoin }}"#, r"?q"),
        (
            r##"{{ urlParse "#f" | toJson }}"##,
            r#"{"fragment":"f","host":"","hostname":"","opaque":"","path":"","query":"","scheme":"","userinfo":""}"#,
        ),
        (r##"{{ urlParse "#f" | urlJoin }}"##, r"#f"),
        (
            r#"{{ urlParse "http://h/p;a=b" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/p;a=b","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/p;a=b" | urlJoin }}"#,
            r"http://h/p;a=b",
        ),
        (
            r#"{{ urlParse "http://h/%2525" | toJson }}"#,
            r#"{"fragment":"","host":"h","hostname":"h","opaque":"","path":"/%25","query":"","scheme":"http","userinfo":""}"#,
        ),
        (
            r#"{{ urlParse "http://h/%2525" | urlJoin }}"#,
            r"http://h/%2525",
        ),
        (r"{{ urlJoin (dict) }}", r""),
        (
            r#"{{ urlJoin (dict "scheme" "https" "host" "h" "path" "a b" "query" "x=1" "fragment" "f g") }}"#,
            r"https://h/a%20b?x=1#f%20g",
        ),
        (
            r#"{{ urlJoin (dict "host" "h" "path" "rel") }}"#,
            r"//h/rel",
        ),
        (r#"{{ urlJoin (dict "path" "a:b/c") }}"#, r"./a:b/c"),
        (
            r#"{{ urlJoin (dict "scheme" "mailto" "opaque" "x@y") }}"#,
            r"mailto:x@y",
        ),
        (
            r#"{{ urlJoin (dict "userinfo" "u:p@w" "host" "h") }}"#,
            r"//u:p%40w@h",
        ),
        (
            r#"{{ urlJoin (dict "userinfo" "u:p" "host" "h") }}"#,
            r"//u:p@h",
        ),
        (r#"{{ urlJoin (dict "userinfo" "u" ) }}"#, r"//u@"),
        (
            r#"{{ urlJoin (dict "userinfo" "u/x" "host" "h") }}"#,
            r"//h",
        ),
        (
            r#"{{ urlJoin (dict "scheme" 1) }}"#,
            r#"ERR: template: t:1:3: executing "t" at <urlJoin (dict "scheme" 1)>: error calling urlJoin: unable to parse scheme key, must be of type string, but int found"#,
        ),
        (
            r#"{{ urlJoin (dict "host" nil) }}"#,
            r#"ERR: template: t:1:3: executing "t" at <urlJoin (dict "host" nil)>: error calling urlJoin: runtime error: invalid memory address or nil pointer dereference"#,
        ),
        (r#"{{ urlJoin (dict "path" "*") }}"#, r"*"),
        (
            r#"{{ urlJoin (dict "host" "h ü" "scheme" "x") }}"#,
            r"x://h%20%C3%BC",
        ),
        (
            r##"{{ urlJoin (dict "fragment" "#!()*" "path" "/?x") }}"##,
            r"/%3Fx#%23!()*",
        ),
        (
            r#"{{ urlJoin (dict "scheme" "s" "path" "/p") }}"#,
            r"s:///p",
        ),
        (r#"{{ urlJoin (dict "scheme" "s" "path" "p") }}"#, r"s://p"),
        (r#"{{ urlJoin (dict "query" "") }}"#, r""),
        (
            r"{{ urlJoin . }}",
            r#"ERR: template: t:1:11: executing "t" at <.>: wrong type for value; expected map[string]interface {}; got map[string]string"#,
        ),
    ];
}
