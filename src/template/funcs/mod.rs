//! The function table: every name a template may call, with its Go signature.
//!
//! Owns the lookup the parser does for each identifier (Go's parse-time function check), the
//! declared Go signature of each function (the executor converts and checks arguments against it
//! with Go's reflection rules and error texts), and the list of the 245 names ESO v2.9.0
//! registers, against which the tests hold the table: exactly those names, every one
//! implemented. Mirrors Go's `text/template/funcs.go` (builtins) and ESO's
//! `runtime/template/v2/template.go` function map (Sprig plus ESO's own); user functions win over
//! builtins on a name clash, which is why Sprig's `slice` is the one registered here.
//!
//! Must not: panic inside a function (errors are returned as Go's text), or put argument bytes in
//! an error message.

mod builtin;
mod crypto;
mod date;
mod decimal;
mod decrypt;
mod gencert;
mod jwk;
mod more;
mod pkcs12;
mod random;
mod semver;
mod sprig;
mod url;
mod x509;

use super::value::Value;

#[cfg(test)]
pub(crate) use gencert::Certificate;

/// A Go parameter type, as far as argument conversion needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `interface {}`: any value, nil included.
    Any,
    /// `reflect.Value`: the builtins' parameter type; takes anything, nil included.
    Reflect,
    Str,
    Int,
    /// `uint32`: only an unsigned integer constant converts to it (Go's `SetUint` truncates).
    Uint32,
    Float64,
    Bool,
    /// `map[string]interface {}`
    MapAny,
    /// Sprig's named string type `HashAlgorithm`: only a string constant converts to it.
    HashAlgorithm,
    /// `time.Time`: only a host object of that type.
    Time,
    /// `time.Duration`: a `time.Duration` object, or an integer constant (which reaches the
    /// method as an `int64`).
    Duration,
    /// `*semver.Version`: a host object of that type, or nil.
    SemverVersion,
    /// Sprig's `certificate` struct: only a host object of that type.
    Certificate,
}

impl Ty {
    /// Go's `reflect.Type.String()`.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Reflect => "reflect.Value",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Uint32 => "uint32",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::MapAny => "map[string]interface {}",
            Ty::HashAlgorithm => "sprig.HashAlgorithm",
            Ty::Time => "time.Time",
            Ty::Duration => "time.Duration",
            Ty::SemverVersion => "*semver.Version",
            Ty::Certificate => "sprig.certificate",
        }
    }

    /// Whether the type is a host object type, checked against the object's type name.
    pub fn is_host(self) -> bool {
        matches!(
            self,
            Ty::Time | Ty::Duration | Ty::SemverVersion | Ty::Certificate
        )
    }
}

/// How the executor calls a function.
#[derive(Clone, Copy)]
pub enum Imp {
    /// `and` / `or`: arguments evaluated lazily, the deciding one returned.
    And,
    Or,
    /// An ordinary function over converted arguments.
    Plain(fn(&[Value]) -> Result<Value, String>),
}

/// One entry of the function table.
pub struct FuncDef {
    pub name: &'static str,
    pub params: &'static [Ty],
    pub variadic: Option<Ty>,
    pub imp: Imp,
}

impl std::fmt::Debug for FuncDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FuncDef({})", self.name)
    }
}

pub type Func = &'static FuncDef;

/// What the parser learns about an identifier.
pub enum Lookup {
    Found(Func),
    Undefined,
}

/// Functions whose output differs between runs with the same data: the clock, randomness, and
/// random salts, IVs and keys. A GitOps render of a template calling one changes the Secret
/// on every render, so `render` warns about them.
pub const UNREPRODUCIBLE: &[&str] = &[
    "now",
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "randBytes",
    "randInt",
    "uuidv4",
    "shuffle",
    "bcrypt",
    "htpasswd",
    "encryptAES",
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "pemToPkcs12",
    "pemToPkcs12Pass",
    "fullPemToPkcs12",
    "fullPemToPkcs12Pass",
    "pemTruststoreToPKCS12",
    "pemTruststoreToPKCS12Pass",
];

/// Largest string a function may build: a template must not exhaust memory.
pub(super) const MAX_RESULT: usize = 64 << 20;

/// Argument `i`, or nil when absent (arity was checked by the caller).
pub(super) fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// Argument `i` as bytes (empty when absent or not a string).
pub(super) fn bytes(args: &[Value], i: usize) -> Vec<u8> {
    str_arg(args, i).to_vec()
}

/// Argument `i` as bytes, borrowed (no copy of a secret is made): empty when absent or not a
/// string.
pub(super) fn str_arg(args: &[Value], i: usize) -> &[u8] {
    args.get(i).and_then(Value::as_bytes).unwrap_or_default()
}

/// Argument `i` as an integer (0 when absent or not an integer).
pub(super) fn int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        _ => 0,
    }
}

/// A string result, refused beyond [`MAX_RESULT`].
pub(super) fn ok_str(v: Vec<u8>) -> Result<Value, String> {
    if v.len() > MAX_RESULT {
        return Err(format!(
            "result exceeds eso-render's limit of {MAX_RESULT} bytes"
        ));
    }
    Ok(Value::str(v))
}

/// Renders every `(template, Go's output)` case and fails listing all that differ.
#[cfg(test)]
pub(super) fn assert_matches_go(cases: &[(&str, &str)]) {
    let bad: Vec<String> = cases
        .iter()
        .filter_map(|(tpl, want)| {
            let got = render_for_test(tpl);
            (got != *want).then(|| format!("{tpl}\n  want {want:?}\n  got  {got:?}"))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Renders `tpl` with `{a: x}`; errors come back as `ERR: <message>` (the functions' tests
/// compare against Go's output in that form).
#[cfg(test)]
pub(super) fn render_for_test(tpl: &str) -> String {
    use crate::secret::{DataMap, SecretBytes};
    use crate::template::{Options, Template};
    let data = DataMap::from([("a".to_owned(), SecretBytes::from("x"))]);
    match Template::parse("t", tpl, &Options::default()) {
        Err(e) => format!("ERR: {e}"),
        Ok(t) => match t.execute(&data) {
            Ok(b) => String::from_utf8_lossy(b.expose()).into_owned(),
            Err(e) => format!("ERR: {e}"),
        },
    }
}

pub fn lookup(name: &str) -> Lookup {
    if let Some(f) = sprig::TABLE
        .iter()
        .chain(more::TABLE.iter())
        .chain(url::TABLE.iter())
        .chain(decimal::TABLE.iter())
        .chain(jwk::TABLE.iter())
        .chain(semver::TABLE.iter())
        .chain(x509::TABLE.iter())
        .chain(pkcs12::TABLE.iter())
        .chain(decrypt::TABLE.iter())
        .chain(gencert::TABLE.iter())
        .chain(date::TABLE.iter())
        .chain(random::TABLE.iter())
        .chain(crypto::TABLE.iter())
        .chain(builtin::TABLE.iter())
        .find(|f| f.name == name)
    {
        return Lookup::Found(f);
    }
    Lookup::Undefined
}

/// Every function name ESO v2.9.0's engine v2 registers: Go's builtins, vendored Sprig, ESO's own.
#[cfg(test)]
const ESO_NAMES: &str = "
and call html index slice js len not or print printf println urlquery eq ge gt le lt ne
pkcs12key pkcs12keyPass pkcs12cert pkcs12certPass pemToPkcs12 pemToPkcs12Pass fullPemToPkcs12
fullPemToPkcs12Pass pemTruststoreToPKCS12 pemTruststoreToPKCS12Pass filterPEM filterCertChain
certSANs jwkPublicKeyPem jwkPrivateKeyPem toYaml fromYaml rsaDecrypt
ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate
htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch
abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll
trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii randNumeric swapcase shuffle
snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote cat indent
nindent replace plural sha1sum sha256sum sha512sum adler32sum toString hello
atoi int64 int float64 seq toDecimal split splitList splitn toStrings until untilStep add1 add sub
div mod mul randInt add1f addf subf divf mulf biggest max min maxf minf ceil floor round join
sortAlpha
default empty coalesce all any compact mustCompact fromJson toJson toPrettyJson toRawJson
mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy mustDeepCopy fail
typeOf typeIs typeIsLike kindOf kindIs deepEqual base dir clean ext isAbs osBase osClean osDir
osExt osIsAbs b64enc b64dec b32enc b32dec hexdec
tuple list dict get set unset hasKey pluck keys pick omit merge mergeOverwrite mustMerge
mustMergeOverwrite values append push mustAppend mustPush prepend mustPrepend first mustFirst rest
mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without mustWithout
has mustHas mustSlice concat dig chunk mustChunk
bcrypt htpasswd genPrivateKey derivePassword buildCustomCert genCA genCAWithKey genSelfSignedCert
genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES randBytes
uuidv4 semver semverCompare regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind
mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral
regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eso_names_count() {
        let mut names: Vec<&str> = ESO_NAMES.split_ascii_whitespace().collect();
        names.sort_unstable();
        names.dedup();
        // 19 builtins + 209 Sprig + 18 ESO, with Sprig's `slice` counted once.
        assert_eq!(names.len(), 245);
    }

    #[test]
    fn every_implemented_name_is_an_eso_name() {
        for f in sprig::TABLE
            .iter()
            .chain(more::TABLE.iter())
            .chain(url::TABLE.iter())
            .chain(decimal::TABLE.iter())
            .chain(jwk::TABLE.iter())
            .chain(semver::TABLE.iter())
            .chain(x509::TABLE.iter())
            .chain(pkcs12::TABLE.iter())
            .chain(decrypt::TABLE.iter())
            .chain(gencert::TABLE.iter())
            .chain(date::TABLE.iter())
            .chain(random::TABLE.iter())
            .chain(crypto::TABLE.iter())
            .chain(builtin::TABLE.iter())
        {
            assert!(
                ESO_NAMES.split_ascii_whitespace().any(|n| n == f.name),
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn unreproducible_functions_exist() {
        for name in UNREPRODUCIBLE {
            assert!(matches!(lookup(name), Lookup::Found(_)), "{name}");
        }
    }

    #[test]
    fn every_eso_name_is_implemented() {
        let missing: Vec<&str> = ESO_NAMES
            .split_ascii_whitespace()
            .filter(|n| matches!(lookup(n), Lookup::Undefined))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        // Sprig's functions ESO removes stay undefined, as in ESO.
        assert!(matches!(lookup("env"), Lookup::Undefined));
        assert!(matches!(lookup("expandenv"), Lookup::Undefined));
    }
}
