//! Go's builtin template functions: `and or not len index eq ne lt le gt ge print printf
//! println html js urlquery call`.
//!
//! Mirrors Go's `text/template/funcs.go` (Go 1.26), including its error texts. `slice` is not
//! here: ESO registers Sprig's `slice`, which replaces the builtin.
//!
//! Must not: put argument bytes in an error (Go prints index values, which are numbers, not data).

use super::arg;
use super::{FuncDef, Imp, Ty};
use crate::template::fmt;
use crate::template::value::{self, Elem, Value};

const R: Ty = Ty::Reflect;

pub static TABLE: &[FuncDef] = &[
    FuncDef {
        name: "and",
        params: &[R],
        variadic: Some(R),
        imp: Imp::And,
    },
    FuncDef {
        name: "or",
        params: &[R],
        variadic: Some(R),
        imp: Imp::Or,
    },
    FuncDef {
        name: "not",
        params: &[R],
        variadic: None,
        imp: Imp::Plain(not),
    },
    FuncDef {
        name: "len",
        params: &[R],
        variadic: None,
        imp: Imp::Plain(len),
    },
    FuncDef {
        name: "index",
        params: &[R],
        variadic: Some(R),
        imp: Imp::Plain(index),
    },
    FuncDef {
        name: "eq",
        params: &[R],
        variadic: Some(R),
        imp: Imp::Plain(eq),
    },
    FuncDef {
        name: "ne",
        params: &[R, R],
        variadic: None,
        imp: Imp::Plain(ne),
    },
    FuncDef {
        name: "lt",
        params: &[R, R],
        variadic: None,
        imp: Imp::Plain(lt),
    },
    FuncDef {
        name: "le",
        params: &[R, R],
        variadic: None,
        imp: Imp::Plain(le),
    },
    FuncDef {
        name: "gt",
        params: &[R, R],
        variadic: None,
        imp: Imp::Plain(gt),
    },
    FuncDef {
        name: "ge",
        params: &[R, R],
        variadic: None,
        imp: Imp::Plain(ge),
    },
    FuncDef {
        name: "print",
        params: &[],
        variadic: Some(Ty::Any),
        imp: Imp::Plain(print),
    },
    FuncDef {
        name: "printf",
        params: &[Ty::Str],
        variadic: Some(Ty::Any),
        imp: Imp::Plain(printf),
    },
    FuncDef {
        name: "println",
        params: &[],
        variadic: Some(Ty::Any),
        imp: Imp::Plain(println),
    },
    FuncDef {
        name: "html",
        params: &[],
        variadic: Some(Ty::Any),
        imp: Imp::Plain(html),
    },
    FuncDef {
        name: "js",
        params: &[],
        variadic: Some(Ty::Any),
        imp: Imp::Plain(js),
    },
    FuncDef {
        name: "urlquery",
        params: &[],
        variadic: Some(Ty::Any),
        imp: Imp::Plain(urlquery),
    },
    FuncDef {
        name: "call",
        params: &[R],
        variadic: Some(R),
        imp: Imp::Plain(call),
    },
];

fn not(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(!arg(args, 0).truth()))
}

fn len(args: &[Value]) -> Result<Value, String> {
    let v = arg(args, 0);
    match v {
        Value::Nil => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        v => match v.len() {
            Some(n) => Ok(Value::Int(n as i64)),
            None => Err(format!("len of type {}", v.type_name())),
        },
    }
}

fn index(args: &[Value]) -> Result<Value, String> {
    let mut item = arg(args, 0);
    if let Value::Nil = item {
        return Err("index of untyped nil".into());
    }
    for ix in args.iter().skip(1) {
        item = match &item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(_) | Value::Str(_) => {
                let n = item.len().unwrap_or(0);
                let x = match ix {
                    // Go's `int64(index.Uint())`.
                    Value::Uint(u) => *u as i64,
                    Value::Nil => return Err("cannot index slice/array with nil".into()),
                    other => match other.as_int() {
                        Some(x) => x,
                        None => {
                            return Err(format!(
                                "cannot index slice/array with type {}",
                                other.type_name()
                            ));
                        }
                    },
                };
                if x < 0 || x as u64 > n as u64 {
                    return Err(format!("index out of range: {x}"));
                }
                let x = x as usize;
                match &item {
                    Value::List(l) => match l.items.get(x) {
                        Some(v) => v.clone(),
                        None => return Err("reflect: slice index out of range".into()),
                    },
                    Value::Str(s) => match s.get(x) {
                        Some(b) => Value::Int(i64::from(*b)),
                        None => return Err("reflect: string index out of range".into()),
                    },
                    _ => Value::Nil,
                }
            }
            Value::Map(m) => {
                let key = match ix {
                    Value::Str(s) => s.to_vec(),
                    Value::Nil => return Err("value is nil; should be of type string".into()),
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                let m = m.borrow();
                match m.entries.get(&key) {
                    Some(v) => v.clone(),
                    None if m.elem == Elem::Str => Value::str(""),
                    None if m.elem == Elem::Int => Value::Int(0),
                    None => Value::Nil,
                }
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn eq(args: &[Value]) -> Result<Value, String> {
    value::eq(&arg(args, 0), args.get(1..).unwrap_or(&[])).map(Value::Bool)
}

fn ne(args: &[Value]) -> Result<Value, String> {
    value::eq(&arg(args, 0), &[arg(args, 1)]).map(|b| Value::Bool(!b))
}

fn lt(args: &[Value]) -> Result<Value, String> {
    value::lt(&arg(args, 0), &arg(args, 1)).map(Value::Bool)
}

fn le(args: &[Value]) -> Result<Value, String> {
    value::le(&arg(args, 0), &arg(args, 1)).map(Value::Bool)
}

fn gt(args: &[Value]) -> Result<Value, String> {
    value::le(&arg(args, 0), &arg(args, 1)).map(|b| Value::Bool(!b))
}

fn ge(args: &[Value]) -> Result<Value, String> {
    value::lt(&arg(args, 0), &arg(args, 1)).map(|b| Value::Bool(!b))
}

fn print(args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(fmt::sprint(args)))
}

fn println(args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(fmt::sprintln(args)))
}

fn printf(args: &[Value]) -> Result<Value, String> {
    let format = arg(args, 0);
    let format = format.as_bytes().unwrap_or(b"");
    Ok(Value::str(fmt::sprintf(
        format,
        args.get(1..).unwrap_or(&[]),
    )))
}

/// Go's `evalArgs`: a single string as is, else `fmt.Sprint` with nil as `<no value>`.
fn eval_args(args: &[Value]) -> Vec<u8> {
    if let [Value::Str(s)] = args {
        return s.to_vec();
    }
    let args: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Nil => Value::str("<no value>"),
            a => a.clone(),
        })
        .collect();
    fmt::sprint(&args)
}

fn html(args: &[Value]) -> Result<Value, String> {
    let s = eval_args(args);
    let mut out = Vec::with_capacity(s.len());
    for b in s {
        match b {
            b'"' => out.extend_from_slice(b"&#34;"),
            b'\'' => out.extend_from_slice(b"&#39;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            0 => out.extend_from_slice("\u{FFFD}".as_bytes()),
            b => out.push(b),
        }
    }
    Ok(Value::str(out))
}

fn js(args: &[Value]) -> Result<Value, String> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let s = eval_args(args);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c < 0x80 {
            match c {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\'' => out.extend_from_slice(b"\\'"),
                b'"' => out.extend_from_slice(b"\\\""),
                b'<' => out.extend_from_slice(b"\\u003C"),
                b'>' => out.extend_from_slice(b"\\u003E"),
                b'&' => out.extend_from_slice(b"\\u0026"),
                b'=' => out.extend_from_slice(b"\\u003D"),
                c if c < b' ' => {
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(c >> 4)]);
                    out.push(HEX[usize::from(c & 0xf)]);
                }
                c => out.push(c),
            }
            i += 1;
            continue;
        }
        let (r, n) = fmt::decode_rune(&s[i..]);
        if crate::gocompat::unicode::is_print(r) {
            out.extend_from_slice(&s[i..i + n]);
        } else {
            out.extend_from_slice(format!("\\u{:04X}", r as u32).as_bytes());
        }
        i += n.max(1);
    }
    Ok(Value::str(out))
}

fn urlquery(args: &[Value]) -> Result<Value, String> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let s = eval_args(args);
    let mut out = Vec::with_capacity(s.len());
    for b in s {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b),
            b' ' => out.push(b'+'),
            b => {
                out.push(b'%');
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
    }
    Ok(Value::str(out))
}

fn call(args: &[Value]) -> Result<Value, String> {
    // No template value is callable: ESO's data are strings, and no function returns a func.
    match arg(args, 0) {
        Value::Nil => Err("call of nil".into()),
        v => Err(format!("non-function of type {}", v.type_name())),
    }
}
