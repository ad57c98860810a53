//! The template value model: what Go's `reflect.Value`s are in ESO's templates.
//!
//! Owns [`Value`] (nil, bool, Go `int` and `int64`, float64, byte strings, lists and maps tagged
//! with their Go element type), Go truthiness (`text/template/exec.go` `isTrue`), the builtin
//! comparisons (`text/template/funcs.go` `eq`, `lt`, …) and Go type names as `reflect` prints
//! them. Strings are bytes, never Rust `String`: provider data and `b64dec` results need not be
//! UTF-8. String buffers are zeroized when the last reference drops, because they hold secrets.
//!
//! Maps are shared and mutable (`Rc<RefCell<…>>`) because Go maps are references and Sprig's
//! `set`/`unset` change them in place; lists are immutable like the slices Sprig returns.
//!
//! Must not: put a string's bytes in an error message (errors name types only).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use zeroize::Zeroizing;

/// Deepest nesting of lists and maps a template may build. Go has no limit, but printing and
/// dropping nested values recurse, so a fixed stack needs one.
pub const MAX_VALUE_DEPTH: usize = 1000;

/// An immutable byte string whose buffer is zeroized on drop.
#[derive(Clone)]
pub struct Bytes(Rc<Zeroizing<Vec<u8>>>);

impl Bytes {
    pub fn new(v: Vec<u8>) -> Self {
        Self(Rc::new(Zeroizing::new(v)))
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// The Go element type of a list or map, visible through `typeOf`, `index` and assignability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elem {
    /// `interface {}`
    Any,
    /// `string`
    Str,
    /// `int`
    Int,
}

impl Elem {
    fn name(self) -> &'static str {
        match self {
            Elem::Any => "interface {}",
            Elem::Str => "string",
            Elem::Int => "int",
        }
    }
}

pub struct ListData {
    pub elem: Elem,
    pub items: Vec<Value>,
    depth: usize,
}

pub struct MapData {
    pub elem: Elem,
    pub entries: BTreeMap<Vec<u8>, Value>,
    /// Nesting depth; only grows (`set` raises it, `unset` leaves it), so it is an upper bound.
    depth: usize,
}

/// A template value.
#[derive(Clone)]
pub enum Value {
    /// Go's invalid `reflect.Value` or a nil interface: prints `<no value>` in an action.
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `int64` (Sprig's math results).
    Int64(i64),
    Float(f64),
    Str(Bytes),
    List(Rc<ListData>),
    Map(Rc<RefCell<MapData>>),
}

impl std::fmt::Debug for Value {
    /// Names the type only: values are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value({})", self.type_name())
    }
}

/// Go's basic kinds, as the comparison builtins classify values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BasicKind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
}

impl Value {
    pub fn str(b: impl Into<Vec<u8>>) -> Value {
        Value::Str(Bytes::new(b.into()))
    }

    fn child_depth(v: &Value) -> usize {
        match v {
            Value::List(l) => l.depth,
            Value::Map(m) => m.borrow().depth,
            _ => 0,
        }
    }

    fn depth_error() -> String {
        format!("value nesting exceeds eso-render's limit of {MAX_VALUE_DEPTH} levels")
    }

    /// A new list; fails when nesting would exceed [`MAX_VALUE_DEPTH`].
    pub fn list(elem: Elem, items: Vec<Value>) -> Result<Value, String> {
        let depth = 1 + items.iter().map(Value::child_depth).max().unwrap_or(0);
        if depth > MAX_VALUE_DEPTH {
            return Err(Value::depth_error());
        }
        Ok(Value::List(Rc::new(ListData { elem, items, depth })))
    }

    /// A new map; fails when nesting would exceed [`MAX_VALUE_DEPTH`].
    pub fn map(elem: Elem, entries: BTreeMap<Vec<u8>, Value>) -> Result<Value, String> {
        let depth = 1 + entries.values().map(Value::child_depth).max().unwrap_or(0);
        if depth > MAX_VALUE_DEPTH {
            return Err(Value::depth_error());
        }
        Ok(Value::Map(Rc::new(RefCell::new(MapData {
            elem,
            entries,
            depth,
        }))))
    }

    /// Go's `m[key] = v` on a shared map (Sprig's `set`). Refuses to make the map contain
    /// itself: Go would recurse forever printing it, and a reference cycle would never be
    /// freed (nor zeroized).
    pub fn map_insert(m: &Rc<RefCell<MapData>>, key: Vec<u8>, v: Value) -> Result<(), String> {
        let child = Value::child_depth(&v);
        if child + 1 > MAX_VALUE_DEPTH {
            return Err(Value::depth_error());
        }
        let mut seen = Vec::new();
        if contains_map(&v, m, &mut seen) {
            return Err("eso-render does not support a map that contains itself".into());
        }
        let mut data = m.borrow_mut();
        data.depth = data.depth.max(child + 1);
        data.entries.insert(key, v);
        Ok(())
    }

    /// Go's `reflect.Type.String()` of the value.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(l) => format!("[]{}", l.elem.name()),
            Value::Map(m) => format!("map[string]{}", m.borrow().elem.name()),
        }
    }

    /// Go's `reflect.Kind.String()` of the value (Sprig's `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
        }
    }

    /// Go's `isTrue`: false, 0, nil and empty strings, lists and maps are false.
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.borrow().entries.is_empty(),
        }
    }

    /// Length as Go's `len` and `reflect.Value.Len` count it (bytes for strings).
    pub fn len(&self) -> Option<usize> {
        match self {
            Value::Str(s) => Some(s.len()),
            Value::List(l) => Some(l.items.len()),
            Value::Map(m) => Some(m.borrow().entries.len()),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn basic_kind(&self) -> Result<BasicKind, &'static str> {
        Ok(match self {
            Value::Nil => return Err(ERR_BAD_COMPARISON_TYPE),
            Value::Bool(_) => BasicKind::Bool,
            Value::Int(_) | Value::Int64(_) => BasicKind::Int,
            Value::Float(_) => BasicKind::Float,
            Value::Str(_) => BasicKind::Str,
            Value::List(_) | Value::Map(_) => return Err(ERR_BAD_COMPARISON_TYPE),
        })
    }

    fn kind_or_invalid(&self) -> BasicKind {
        self.basic_kind().unwrap_or(BasicKind::Invalid)
    }
}

/// Whether `v` holds `target`, visiting each shared map once (values are DAGs, so this is
/// linear, and acyclic because every insertion is checked).
fn contains_map(
    v: &Value,
    target: &Rc<RefCell<MapData>>,
    seen: &mut Vec<*const RefCell<MapData>>,
) -> bool {
    match v {
        Value::Map(m) => {
            if Rc::ptr_eq(m, target) {
                return true;
            }
            let p = Rc::as_ptr(m);
            if seen.contains(&p) {
                return false;
            }
            seen.push(p);
            m.borrow()
                .entries
                .values()
                .any(|c| contains_map(c, target, seen))
        }
        Value::List(l) => l.items.iter().any(|c| contains_map(c, target, seen)),
        _ => false,
    }
}

pub const ERR_BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
pub const ERR_BAD_COMPARISON: &str = "incompatible types for comparison";
pub const ERR_NO_COMPARISON: &str = "missing argument for comparison";

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

/// Go's builtin `eq`: whether `a` equals any of `rest`.
pub fn eq(a: &Value, rest: &[Value]) -> Result<bool, String> {
    if rest.is_empty() {
        return Err(ERR_NO_COMPARISON.into());
    }
    let k1 = a.kind_or_invalid();
    for b in rest {
        let k2 = b.kind_or_invalid();
        let truth = if k1 != k2 {
            if !matches!(a, Value::Nil) && !matches!(b, Value::Nil) {
                return Err(ERR_BAD_COMPARISON.into());
            }
            false
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::Str(x), Value::Str(y)) => **x == **y,
                _ if k1 == BasicKind::Int => int_of(a) == int_of(b),
                (Value::Nil, Value::Nil) => true,
                (Value::Nil, _) | (_, Value::Nil) => false,
                _ => {
                    return Err(format!(
                        "non-comparable types {}, {}",
                        a.type_name(),
                        b.type_name()
                    ));
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go's builtin `lt`.
pub fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    let k1 = a.basic_kind()?;
    let k2 = b.basic_kind()?;
    if k1 != k2 {
        return Err(ERR_BAD_COMPARISON.into());
    }
    Ok(match (a, b) {
        (Value::Bool(_), _) => return Err(ERR_BAD_COMPARISON_TYPE.into()),
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Str(x), Value::Str(y)) => **x < **y,
        _ => int_of(a) < int_of(b),
    })
}

/// Go's builtin `le`.
pub fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_like_go() {
        assert!(!Value::Nil.truth());
        assert!(!Value::Int(0).truth());
        assert!(!Value::Float(0.0).truth());
        assert!(!Value::str("").truth());
        assert!(!Value::list(Elem::Any, vec![]).unwrap().truth());
        assert!(!Value::map(Elem::Any, BTreeMap::new()).unwrap().truth());
        assert!(Value::str("0").truth());
        assert!(Value::Int64(-1).truth());
    }

    #[test]
    fn comparisons_like_go() {
        assert_eq!(eq(&Value::Int(1), &[Value::Int64(1)]), Ok(true));
        assert_eq!(
            eq(&Value::str("5432"), &[Value::Int(5432)]),
            Err(ERR_BAD_COMPARISON.to_owned())
        );
        assert_eq!(
            eq(&Value::Float(1.0), &[Value::Int(1)]),
            Err(ERR_BAD_COMPARISON.to_owned())
        );
        assert_eq!(eq(&Value::Nil, &[Value::Int(1)]), Ok(false));
        assert_eq!(eq(&Value::Nil, &[Value::Nil]), Ok(true));
        assert_eq!(eq(&Value::Int(1), &[]), Err(ERR_NO_COMPARISON.to_owned()));
        assert_eq!(lt(&Value::str("a"), &Value::str("b")), Ok(true));
        assert_eq!(le(&Value::Int(2), &Value::Int(2)), Ok(true));
        assert_eq!(
            lt(&Value::Bool(true), &Value::Bool(false)),
            Err(ERR_BAD_COMPARISON_TYPE.to_owned())
        );
        assert_eq!(
            lt(&Value::Nil, &Value::Int(1)),
            Err(ERR_BAD_COMPARISON_TYPE.to_owned())
        );
    }

    #[test]
    fn a_map_cannot_contain_itself() {
        let m = Value::map(Elem::Any, BTreeMap::new()).unwrap();
        let Value::Map(rc) = &m else { unreachable!() };
        let l = Value::list(Elem::Any, vec![m.clone()]).unwrap();
        assert!(Value::map_insert(rc, b"x".to_vec(), l).is_err());
        assert!(Value::map_insert(rc, b"x".to_vec(), Value::Int(1)).is_ok());
    }

    #[test]
    fn nesting_is_capped() {
        let mut v = Value::list(Elem::Any, vec![]).unwrap();
        for _ in 1..MAX_VALUE_DEPTH {
            v = Value::list(Elem::Any, vec![v]).unwrap();
        }
        assert!(Value::list(Elem::Any, vec![v]).is_err());
    }
}
