//! Go standard-library behaviours ESO's outputs depend on, re-implemented where Rust's defaults
//! differ: base64 decoding, durations, `time.Time` (civil dates, layouts), JSON encoding/decoding
//! and float text, RE2 syntax and template expansion, Unicode categories and `%q` quoting, gjson
//! result rendering, and `net.ParseIP`.
//! `goyaml` writes YAML the way `gopkg.in/yaml.v2` marshals decoded JSON (ESO's `toYaml`).
//!
//! Nothing here knows about ESO resources; `crate::esutils` builds ESO's semantics on top.

pub mod base64;
pub mod duration;
pub mod gjson;
pub mod goyaml;
pub mod json;
pub mod net;
pub mod regexp;
pub mod time;
pub mod unicode;
