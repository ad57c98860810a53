//! The template value model: what Go's `reflect.Value`s are in ESO's templates.
//!
//! Owns [`Value`] (nil, bool, Go `int`, `int64` and `uint64`, float64, byte strings, lists and
//! maps tagged with their Go element type, and host objects), Go truthiness
//! (`text/template/exec.go` `isTrue`), the builtin comparisons (`text/template/funcs.go` `eq`,
//! `lt`, …) and Go type names as `reflect` prints them. Strings are bytes, never Rust `String`:
//! provider data and `b64dec` results need not be UTF-8. String buffers are zeroized when the last
//! reference drops, because they hold secrets.
//!
//! Maps are shared and mutable (`Rc<RefCell<…>>`) because Go maps are references and Sprig's
//! `set`/`unset` change them in place; lists are immutable like the slices Sprig returns.
//!
//! Host objects ([`Object`]) are the Go values of library types that functions return
//! (`time.Time`, `*semver.Version`): the trait gives what templates see of them — type and kind,
//! methods with their Go signatures, exported fields, `String()`, JSON, Go's `==` — so the
//! executor, printing and the Sprig functions treat every such type alike, and a new one is an
//! `impl` next to the functions that make it.
//!
//! Must not: put a string's bytes in an error message (errors name types only).

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use zeroize::Zeroizing;

use super::funcs::Ty;

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
    /// Go `uint64` (`semver`'s version numbers).
    Uint(u64),
    Float(f64),
    Str(Bytes),
    List(Rc<ListData>),
    Map(Rc<RefCell<MapData>>),
    /// A value of a Go library type; the `Rc` is its identity where Go's is a pointer's.
    Object(Rc<dyn Object>),
}

/// What Go's `reflect.Kind` of a host object is, with the number beneath a named integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// A struct value (`time.Time`): always true, compared field by field.
    Struct,
    /// A non-nil pointer (`*semver.Version`): always true, compared by identity.
    Ptr,
    /// A named `int` (`time.Month`): compares and converts as this number.
    Int(i64),
    /// A named `int64` (`time.Duration`).
    Int64(i64),
}

/// A struct field as Go's `evalField` finds it.
pub enum Field {
    Exported(Value),
    /// Go refuses to read it: `x is an unexported field of struct type T`.
    Unexported,
}

/// A method call with its receiver bound: converted arguments in, Go's result or error out.
pub type BoundCall<'a> = Box<dyn Fn(&[Value]) -> Result<Value, String> + 'a>;

/// A method bound to its receiver, as Go's `MethodByName` finds it.
pub enum Method<'a> {
    /// Callable from a template: its Go parameter types and the call.
    Call {
        params: &'static [Ty],
        call: BoundCall<'a>,
    },
    /// A method Go's template engine refuses to call: it returns this many values (`Date`
    /// returns three), so only the argument count is checked first.
    Refused { arity: usize, results: usize },
    /// A Go method eso-render does not implement: an error naming it, never a guess.
    Unsupported,
}

/// How a host type implements a method, for [`MethodDef`] tables.
pub enum MethodImp<T: 'static> {
    Call(fn(&T, &[Value]) -> Result<Value, String>),
    Refused { results: usize },
    Unsupported,
}

/// One entry of a host type's method table.
pub struct MethodDef<T: 'static> {
    pub name: &'static str,
    pub params: &'static [Ty],
    pub imp: MethodImp<T>,
}

/// Looks `name` up in a method table and binds it to `recv`.
pub fn bind_method<'a, T>(
    table: &'static [MethodDef<T>],
    recv: &'a T,
    name: &str,
) -> Option<Method<'a>> {
    let def = table.iter().find(|m| m.name == name)?;
    Some(match &def.imp {
        MethodImp::Call(f) => {
            let f = *f;
            Method::Call {
                params: def.params,
                call: Box::new(move |args| f(recv, args)),
            }
        }
        MethodImp::Refused { results } => Method::Refused {
            arity: def.params.len(),
            results: *results,
        },
        MethodImp::Unsupported => Method::Unsupported,
    })
}

/// A Go value of a library type, as templates see it. Implementations live next to the
/// functions that return them; none may put the value's bytes in an error.
pub trait Object: Any {
    /// Go's `reflect.Type.String()`: `time.Time`, `*semver.Version`.
    fn type_name(&self) -> &'static str;

    fn kind(&self) -> HostKind;

    /// `String()`, when the type implements `fmt.Stringer` (`%v`, `%s` and `toString` use it).
    fn string(&self) -> Option<Vec<u8>> {
        None
    }

    /// `GoString()`, when the type implements `fmt.GoStringer` (`%#v` uses it).
    fn go_string(&self) -> Option<Vec<u8>> {
        None
    }

    /// The method `name` in the type's method set (for a pointer, that of `*T`).
    fn method(&self, _name: &str) -> Option<Method<'_>> {
        None
    }

    /// The struct field `name`, exported or not; `None` if the type has no such field.
    fn field(&self, _name: &str) -> Option<Field> {
        None
    }

    /// The fields in declaration order, for `%v` of a struct without `String()`; `None` when
    /// they are Go internals eso-render does not model (printing then falls back to the
    /// `%!verb(type=String())` form).
    fn fields(&self) -> Option<Vec<Value>> {
        None
    }

    /// What `encoding/json` makes of the value (`MarshalJSON` where the type has one).
    fn to_json(&self) -> Result<serde_json::Value, String>;

    /// Go's `==` with another value of the same type name.
    fn go_eq(&self, other: &dyn Object) -> bool;

    /// Go's `reflect.DeepEqual` with another value of the same type name.
    fn deep_eq(&self, other: &dyn Object) -> bool;

    /// What `copystructure.Copy` (Sprig's `deepCopy`) returns; `None` means the value itself.
    fn deep_copy(&self) -> Option<Value> {
        None
    }
}

/// Whether two host objects are Go-equal: same type, then the type's own `==`.
fn objects_eq(a: &dyn Object, b: &dyn Object) -> bool {
    a.type_name() == b.type_name() && a.go_eq(b)
}

/// Whether two host objects are deeply equal (`reflect.DeepEqual`).
pub fn objects_deep_eq(a: &dyn Object, b: &dyn Object) -> bool {
    a.type_name() == b.type_name() && a.deep_eq(b)
}

/// The host object `o` as its concrete type, if it is one.
pub fn downcast<T: Object>(o: &dyn Object) -> Option<&T> {
    (o as &dyn Any).downcast_ref::<T>()
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
    Uint,
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
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(l) => format!("[]{}", l.elem.name()),
            Value::Map(m) => format!("map[string]{}", m.borrow().elem.name()),
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// Go's `reflect.Kind.String()` of the value (Sprig's `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint(_) => "uint64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => match o.kind() {
                HostKind::Struct => "struct",
                HostKind::Ptr => "ptr",
                HostKind::Int(_) => "int",
                HostKind::Int64(_) => "int64",
            },
        }
    }

    /// Go's `isTrue`: false, 0, nil and empty strings, lists and maps are false; structs and
    /// non-nil pointers are true.
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.borrow().entries.is_empty(),
            Value::Object(o) => match o.kind() {
                HostKind::Struct | HostKind::Ptr => true,
                HostKind::Int(i) | HostKind::Int64(i) => i != 0,
            },
        }
    }

    /// The number of a signed integer kind (`int`, `int64`, or a named one like `time.Month`),
    /// as Go's `reflect.Value.Int`.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i),
            Value::Object(o) => match o.kind() {
                HostKind::Int(i) | HostKind::Int64(i) => Some(i),
                HostKind::Struct | HostKind::Ptr => None,
            },
            _ => None,
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
            Value::Uint(_) => BasicKind::Uint,
            Value::Float(_) => BasicKind::Float,
            Value::Str(_) => BasicKind::Str,
            Value::Object(_) if self.as_int().is_some() => BasicKind::Int,
            Value::List(_) | Value::Map(_) | Value::Object(_) => {
                return Err(ERR_BAD_COMPARISON_TYPE);
            }
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
    v.as_int().unwrap_or(0)
}

fn uint_of(v: &Value) -> u64 {
    match v {
        Value::Uint(u) => *u,
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
            match (k1, k2) {
                // Go compares signed and unsigned integers by value.
                (BasicKind::Int, BasicKind::Uint) => {
                    int_of(a) >= 0 && int_of(a).unsigned_abs() == uint_of(b)
                }
                (BasicKind::Uint, BasicKind::Int) => {
                    int_of(b) >= 0 && uint_of(a) == int_of(b).unsigned_abs()
                }
                _ if !matches!(a, Value::Nil) && !matches!(b, Value::Nil) => {
                    return Err(ERR_BAD_COMPARISON.into());
                }
                _ => false,
            }
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::Str(x), Value::Str(y)) => **x == **y,
                _ if k1 == BasicKind::Int => int_of(a) == int_of(b),
                _ if k1 == BasicKind::Uint => uint_of(a) == uint_of(b),
                (Value::Nil, Value::Nil) => true,
                (Value::Nil, _) | (_, Value::Nil) => false,
                // Structs and pointers of one kind: Go's `==` on the interfaces, false across
                // types.
                (Value::Object(x), Value::Object(y)) if a.kind_name() == b.kind_name() => {
                    objects_eq(&**x, &**y)
                }
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
        // Go compares signed and unsigned integers by value.
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) => {
                Ok(int_of(a) < 0 || int_of(a).unsigned_abs() < uint_of(b))
            }
            (BasicKind::Uint, BasicKind::Int) => {
                Ok(int_of(b) >= 0 && uint_of(a) < int_of(b).unsigned_abs())
            }
            _ => Err(ERR_BAD_COMPARISON.into()),
        };
    }
    Ok(match (a, b) {
        (Value::Bool(_), _) => return Err(ERR_BAD_COMPARISON_TYPE.into()),
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Str(x), Value::Str(y)) => **x < **y,
        (Value::Uint(x), Value::Uint(y)) => x < y,
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
    fn signed_and_unsigned_compare_by_value_like_go() {
        assert_eq!(eq(&Value::Int(3), &[Value::Uint(3)]), Ok(true));
        assert_eq!(eq(&Value::Int(-1), &[Value::Uint(u64::MAX)]), Ok(false));
        assert_eq!(eq(&Value::Uint(u64::MAX), &[Value::Int64(-1)]), Ok(false));
        assert_eq!(lt(&Value::Int(-1), &Value::Uint(0)), Ok(true));
        assert_eq!(lt(&Value::Uint(u64::MAX), &Value::Int(0)), Ok(false));
        assert_eq!(lt(&Value::Uint(1), &Value::Uint(2)), Ok(true));
        assert_eq!(
            eq(&Value::Uint(1), &[Value::Float(1.0)]),
            Err(ERR_BAD_COMPARISON.to_owned())
        );
        assert!(Value::Uint(1).truth() && !Value::Uint(0).truth());
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
