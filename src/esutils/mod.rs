//! ESO's value and key pipeline helpers, mirroring `runtime/esutils/utils.go` and
//! `runtime/decoding/decoding.go`: rewrite, key conversion and validation, decoding, JSON
//! explosion of provider payloads, `GetByteValue` rendering and the `data-hash` digest.
//!
//! All functions are pure: no I/O, no logging. Secret values travel as [`crate::secret::SecretBytes`]
//! and never appear in errors; keys may.

pub mod decoding;
pub mod explode;
pub mod hash;
pub mod keys;
pub mod rewrite;
pub mod value;
