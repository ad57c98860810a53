//! Executor: walks a parsed template over the data and writes the output bytes.
//!
//! Mirrors Go's `text/template/exec.go` (Go 1.26): the variable stack and its scoping,
//! pipelines passing their value as the last argument, field chains on maps with
//! `missingkey=error`, `if`/`with`/`range` (lists in order, maps in sorted key order, integers),
//! `break`/`continue`, `template` calls with a fresh `$`, argument conversion against each
//! function's Go signature with Go's error texts, and Go's printing of the result of an action.
//!
//! Go distinguishes an invalid `reflect.Value` (a nil pipeline result) from a nil held in an
//! `interface {}` slot (a nil list element or map value): a field on the first is "nil data",
//! on the second "nil pointer evaluating interface {}.x". [`Slot::boxed`] keeps that bit.
//!
//! On host objects (`time.Time`, `*semver.Version`) a field chain element is looked up as Go's
//! `evalField` does: a method first (called with the arguments, each converted to the method's
//! Go parameter type), then a struct field. Ranging over a named integer (`time.Month`) is
//! reported as unsupported.
//!
//! Must not: recurse without bound (`template` calls stop at [`MAX_EXEC_DEPTH`]), put a data
//! value in an error (errors name types, fields and template text only), or panic.

use zeroize::Zeroizing;

use super::fmt;
use super::funcs::{Func, Imp, Ty};
use super::parse::{Arg, Branch, Command, List, Node, Number, Pipe, TreeSet};
use super::value::{Elem, Field, HostKind, Method, Value};

/// Deepest nesting of `template` calls. Go allows 100000 on a growable stack; ours is fixed.
pub const MAX_EXEC_DEPTH: usize = 200;

/// Runaway guards Go does not have: a render runs inside Argo CD's repo-server, where a template
/// looping `until 10000000` twice must stop, not hang or exhaust memory.
pub const MAX_STEPS: u64 = 50_000_000;
/// Largest output of one template execution.
pub const MAX_OUTPUT: usize = 64 << 20;

/// A failed execution: Go's message, the node it happened at, the template being executed.
#[derive(Debug, Clone)]
pub struct ExecError {
    pub pos: usize,
    pub context: String,
    pub executing: String,
    pub message: String,
}

/// Why a walk stopped early.
enum Flow {
    Err(ExecError),
    Break,
    Continue,
}

impl From<ExecError> for Flow {
    fn from(e: ExecError) -> Self {
        Flow::Err(e)
    }
}

type EResult<T> = Result<T, ExecError>;

/// A value and whether it sits in an `interface {}` slot (see the module docs).
#[derive(Clone)]
struct Slot {
    v: Value,
    boxed: bool,
}

impl Slot {
    fn plain(v: Value) -> Self {
        Slot { v, boxed: false }
    }
}

/// The node Go's `state.at` last recorded: errors point there, whatever raised them.
#[derive(Clone, Copy)]
enum At<'a> {
    Start,
    Node(&'a Node),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
}

pub struct State<'a> {
    trees: &'a TreeSet,
    at: At<'a>,
    missing_key_error: bool,
    out: Zeroizing<Vec<u8>>,
    vars: Vec<(String, Slot)>,
    depth: usize,
    executing: String,
    /// Nodes walked so far, against [`MAX_STEPS`].
    steps: u64,
}

/// Runs the tree `name` of `trees` with `root` as `.` and `$`.
pub fn execute(
    trees: &TreeSet,
    name: &str,
    root: Value,
    missing_key_error: bool,
) -> EResult<Zeroizing<Vec<u8>>> {
    let mut s = State {
        trees,
        missing_key_error,
        out: Zeroizing::new(Vec::new()),
        at: At::Start,
        vars: vec![("$".into(), Slot::plain(root.clone()))],
        depth: 0,
        executing: name.to_owned(),
        steps: 0,
    };
    let Some(tree) = trees.get(name) else {
        return Err(s.fail(format!("template {name:?} not defined")));
    };
    let dot = Slot::plain(root);
    match s.walk_list(&dot, tree) {
        Ok(()) => Ok(std::mem::take(&mut s.out)),
        Err(Flow::Err(e)) => Err(e),
        // The parser rejects break/continue outside range.
        Err(Flow::Break | Flow::Continue) => Ok(std::mem::take(&mut s.out)),
    }
}

/// Go's `idealConstant`: an untyped number becomes an int or a float64.
fn ideal_constant(n: &Number) -> Result<Value, String> {
    let is_hex_int = n.text.len() > 2
        && n.text.starts_with('0')
        && matches!(n.text.as_bytes().get(1), Some(b'x' | b'X'))
        && !n.text.contains(['p', 'P']);
    if n.is_float && !is_hex_int && !n.is_char && n.text.contains(['.', 'e', 'E', 'p', 'P']) {
        return Ok(Value::Float(n.float));
    }
    if n.is_int {
        return Ok(Value::Int(n.int));
    }
    if n.is_uint {
        return Err(format!("{} overflows int", n.text));
    }
    Ok(Value::Float(n.float))
}

fn can_be_nil(t: Ty) -> bool {
    matches!(t, Ty::Any | Ty::Reflect | Ty::MapAny | Ty::SemverVersion)
}

impl<'a> State<'a> {
    /// An error at the node last recorded by `at`, as Go's `state.errorf`.
    fn fail(&self, message: String) -> ExecError {
        let (pos, context) = match self.at {
            At::Start => (0, String::new()),
            At::Node(n) => {
                let pos = match n {
                    Node::If(b) | Node::Range(b) | Node::With(b) => b.pipe.pos,
                    Node::Template { pos, .. } => *pos,
                    _ => 0,
                };
                (pos, n.to_string())
            }
            At::Pipe(p) => (p.pos, p.to_string()),
            At::Cmd(c) => (c.pos, c.to_string()),
            At::Arg(a) => (a.pos(), a.to_string()),
        };
        ExecError {
            pos,
            context,
            executing: self.executing.clone(),
            message,
        }
    }

    fn walk_list(&mut self, dot: &Slot, list: &'a List) -> Result<(), Flow> {
        for n in list {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Slot, node: &'a Node) -> Result<(), Flow> {
        self.at = At::Node(node);
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self
                .fail(format!("template execution exceeded {MAX_STEPS} steps"))
                .into());
        }
        if self.out.len() > MAX_OUTPUT {
            return Err(self
                .fail(format!("template output exceeds {} MiB", MAX_OUTPUT >> 20))
                .into());
        }
        match node {
            Node::Text(t) => self.out.extend_from_slice(t),
            Node::Action(pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    match &v.v {
                        Value::Nil => self.out.extend_from_slice(b"<no value>"),
                        v => fmt::write_value(&mut self.out, v),
                    }
                }
            }
            Node::If(b) => self.walk_if_or_with(dot, b, false)?,
            Node::With(b) => self.walk_if_or_with(dot, b, true)?,
            Node::Range(b) => self.walk_range(dot, b)?,
            Node::Template { name, pipe, .. } => self.walk_template(dot, name, pipe)?,
            Node::Break => return Err(Flow::Break),
            Node::Continue => return Err(Flow::Continue),
        }
        Ok(())
    }

    fn walk_if_or_with(&mut self, dot: &Slot, b: &'a Branch, with: bool) -> Result<(), Flow> {
        let mark = self.vars.len();
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let r = if val.v.truth() {
            if with {
                self.walk_list(&val, &b.list)
            } else {
                self.walk_list(dot, &b.list)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)
        } else {
            Ok(())
        };
        self.vars.truncate(mark);
        r
    }

    fn set_top_var(&mut self, n: usize, v: Slot) {
        let len = self.vars.len();
        if let Some(slot) = len.checked_sub(n).and_then(|i| self.vars.get_mut(i)) {
            slot.1 = v;
        }
    }

    fn set_var(&mut self, name: &str, v: Slot) -> EResult<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(self.fail(format!("undefined variable: {name}"))),
        }
    }

    /// One range iteration; `Ok(false)` means `break`.
    fn one_iteration(
        &mut self,
        b: &'a Branch,
        mark: usize,
        index: Value,
        elem: Slot,
    ) -> Result<bool, Flow> {
        // Every iteration is a step, even with an empty body.
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self
                .fail(format!("template execution exceeded {MAX_STEPS} steps"))
                .into());
        }
        let decl = &b.pipe.decl;
        if let Some(first) = decl.first() {
            if b.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(first, Slot::plain(index.clone()))?;
                } else {
                    self.set_var(first, elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if let Some(second) = decl.get(1) {
            if b.pipe.is_assign {
                self.set_var(second, elem.clone())?;
            } else {
                self.set_top_var(2, Slot::plain(index));
            }
        }
        let r = self.walk_list(&elem, &b.list);
        self.vars.truncate(mark);
        match r {
            Ok(()) | Err(Flow::Continue) => Ok(true),
            Err(Flow::Break) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn walk_range(&mut self, dot: &Slot, b: &'a Branch) -> Result<(), Flow> {
        let outer = self.vars.len();
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let mark = self.vars.len();
        let mut ran = false;
        match &val.v {
            Value::List(l) if !l.items.is_empty() => {
                ran = true;
                let boxed = l.elem == Elem::Any;
                for (i, item) in l.items.iter().enumerate() {
                    let elem = Slot {
                        v: item.clone(),
                        boxed,
                    };
                    if !self.one_iteration(b, mark, Value::Int(i as i64), elem)? {
                        break;
                    }
                }
            }
            Value::Map(m) if !m.borrow().entries.is_empty() => {
                ran = true;
                let (entries, boxed) = {
                    let m = m.borrow();
                    let e: Vec<(Vec<u8>, Value)> = m
                        .entries
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (e, m.elem == Elem::Any)
                };
                for (k, v) in entries {
                    let elem = Slot { v, boxed };
                    if !self.one_iteration(b, mark, Value::str(k), elem)? {
                        break;
                    }
                }
            }
            Value::Int(_) | Value::Int64(_) | Value::Uint(_) => {
                if b.pipe.decl.len() > 1 {
                    let msg = format!(
                        "can't use value of type {} to iterate over more than one variable",
                        val.v.type_name()
                    );
                    return Err(self.fail(msg).into());
                }
                let count = match &val.v {
                    Value::Uint(u) => *u,
                    v => v.as_int().map_or(0, |n| u64::try_from(n).unwrap_or(0)),
                };
                for i in 0..count {
                    ran = true;
                    // The counter has the type of the range value.
                    let v = match &val.v {
                        Value::Int64(_) => Value::Int64(i as i64),
                        Value::Uint(_) => Value::Uint(i),
                        _ => Value::Int(i as i64),
                    };
                    if !self.one_iteration(b, mark, v.clone(), Slot::plain(v))? {
                        break;
                    }
                }
            }
            Value::Object(o) if matches!(o.kind(), HostKind::Int(_) | HostKind::Int64(_)) => {
                let msg = format!(
                    "range over a value of type {} is not supported by eso-render yet",
                    o.type_name()
                );
                return Err(self.fail(msg).into());
            }
            Value::List(_) | Value::Map(_) | Value::Nil => {}
            other => {
                let msg = format!(
                    "range can't iterate over value of type {}",
                    other.type_name()
                );
                return Err(self.fail(msg).into());
            }
        }
        if !ran && let Some(e) = &b.else_list {
            self.walk_list(dot, e)?;
        }
        self.vars.truncate(outer);
        Ok(())
    }

    fn walk_template(
        &mut self,
        dot: &Slot,
        name: &str,
        pipe: &'a Option<Pipe>,
    ) -> Result<(), Flow> {
        let trees: &'a TreeSet = self.trees;
        let Some(tree) = trees.get(name) else {
            let q = crate::gocompat::unicode::quote(name);
            return Err(self.fail(format!("template {q} not defined")).into());
        };
        if self.depth >= MAX_EXEC_DEPTH {
            let msg = format!("exceeded maximum template depth ({MAX_EXEC_DEPTH})");
            return Err(self.fail(msg).into());
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Slot::plain(Value::Nil),
        };
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]);
        let saved_name = std::mem::replace(&mut self.executing, name.to_owned());
        self.depth += 1;
        let r = self.walk_list(&new_dot, tree);
        self.depth -= 1;
        self.vars = saved_vars;
        self.executing = saved_name;
        r
    }

    fn eval_pipeline(&mut self, dot: &Slot, pipe: &'a Pipe) -> EResult<Slot> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Slot> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // Go digs a value out of its interface after each command.
            value = Some(Slot::plain(v.v));
        }
        let value = value.unwrap_or_else(|| Slot::plain(Value::Nil));
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&mut self, args: &'a [Arg], has_final: bool) -> EResult<()> {
        if (args.len() > 1 || has_final)
            && let Some(first) = args.first()
        {
            return Err(self.fail(format!("can't give argument to non-function {first}")));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Slot, cmd: &'a Command, fin: Option<Slot>) -> EResult<Slot> {
        let Some(first) = cmd.args.first() else {
            return Err(self.fail("empty command".into()));
        };
        match first {
            Arg::Field { idents, .. } => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, first, dot.clone(), idents, &cmd.args, fin);
            }
            Arg::Chain { .. } => return self.eval_chain(dot, first, &cmd.args, fin),
            Arg::Identifier { name, func, .. } => {
                let args = cmd.args.get(1..).unwrap_or(&[]);
                return self
                    .eval_call(dot, func, name, first, At::Cmd(cmd), args, fin)
                    .map(Slot::plain);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, fin.is_some())?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable { .. } => return self.eval_variable(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, fin.is_some())?;
        Ok(Slot::plain(match first {
            Arg::Bool(_, b) => Value::Bool(*b),
            Arg::Dot(_) => return Ok(dot.clone()),
            Arg::Nil(_) => return Err(self.fail("nil is not a command".into())),
            Arg::Number(_, n) => ideal_constant(n).map_err(|m| self.fail(m))?,
            Arg::String { text, .. } => Value::str(text.clone()),
            _ => {
                return Err(self.fail(format!("can't evaluate command {first:?}")));
            }
        }))
    }

    fn eval_variable(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> EResult<Slot> {
        self.at = At::Arg(node);
        let Arg::Variable { idents, .. } = node else {
            return Err(self.fail("internal error: not a variable".into()));
        };
        let name = idents.first().map(String::as_str).unwrap_or("$");
        let Some(value) = self
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
        else {
            return Err(self.fail(format!("undefined variable: {name}")));
        };
        if idents.len() == 1 {
            self.not_a_function(args, fin.is_some())?;
            return Ok(value);
        }
        self.eval_field_chain(dot, node, value, &idents[1..], args, fin)
    }

    fn eval_chain(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> EResult<Slot> {
        self.at = At::Arg(node);
        let Arg::Chain {
            node: inner,
            fields,
            ..
        } = node
        else {
            return Err(self.fail("internal error: not a chain".into()));
        };
        if let Arg::Nil(_) = **inner {
            return Err(self.fail(format!("indirection through explicit nil in {node}")));
        }
        let receiver = self.eval_arg_untyped(dot, inner)?;
        self.eval_field_chain(dot, node, receiver, fields, args, fin)
    }

    /// Go's `evalFieldChain`: `args` is the command (its first element is `node` itself), and
    /// only the last field gets the arguments and the pipeline's final value.
    fn eval_field_chain(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        mut receiver: Slot,
        idents: &[String],
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> EResult<Slot> {
        let n = idents.len();
        for ident in idents.iter().take(n.saturating_sub(1)) {
            receiver = self.eval_field(dot, node, ident, receiver, &[], None)?;
        }
        let args = args.get(1..).unwrap_or(&[]);
        match idents.last() {
            Some(last) => self.eval_field(dot, node, last, receiver, args, fin),
            None => Ok(receiver),
        }
    }

    /// Go's `evalField`; `args` are the arguments after the field.
    fn eval_field(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        name: &str,
        recv: Slot,
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> EResult<Slot> {
        let has_args = !args.is_empty() || fin.is_some();
        match &recv.v {
            Value::Nil if !recv.boxed => {
                if self.missing_key_error {
                    let q = crate::gocompat::unicode::quote(name);
                    return Err(self.fail(format!("nil data; no entry for key {q}")));
                }
                Ok(Slot::plain(Value::Nil))
            }
            Value::Nil => Err(self.fail(format!("nil pointer evaluating interface {{}}.{name}"))),
            Value::Map(m) => {
                if has_args {
                    return Err(self.fail(format!("{name} is not a method but has arguments")));
                }
                let m = m.borrow();
                match m.entries.get(name.as_bytes()) {
                    Some(v) => Ok(Slot {
                        v: v.clone(),
                        boxed: m.elem == Elem::Any,
                    }),
                    None if self.missing_key_error => {
                        let q = crate::gocompat::unicode::quote(name);
                        Err(self.fail(format!("map has no entry for key {q}")))
                    }
                    None => Ok(Slot::plain(Value::Nil)),
                }
            }
            Value::Object(o) => {
                let o = o.clone();
                // Go names the static type: `interface {}` for a value from a list or map.
                let ty = if recv.boxed {
                    "interface {}"
                } else {
                    o.type_name()
                };
                if let Some(method) = o.method(name) {
                    return self
                        .eval_method(dot, node, name, o.type_name(), method, args, fin)
                        .map(Slot::plain);
                }
                match o.field(name) {
                    Some(Field::Exported(_)) if has_args => Err(self.fail(format!(
                        "{name} has arguments but cannot be invoked as function"
                    ))),
                    Some(Field::Exported(v)) => Ok(Slot::plain(v)),
                    Some(Field::Unexported) => {
                        Err(self.fail(format!("{name} is an unexported field of struct type {ty}")))
                    }
                    None => Err(self.fail(format!("can't evaluate field {name} in type {ty}"))),
                }
            }
            v => {
                let ty = if recv.boxed {
                    "interface {}".to_owned()
                } else {
                    v.type_name()
                };
                Err(self.fail(format!("can't evaluate field {name} in type {ty}")))
            }
        }
    }

    /// Go's `evalArg` with a nil type (a chain's receiver).
    fn eval_arg_untyped(&mut self, dot: &Slot, n: &'a Arg) -> EResult<Slot> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Field { idents, .. } => {
                self.eval_field_chain(dot, n, dot.clone(), idents, std::slice::from_ref(n), None)
            }
            Arg::Variable { .. } => self.eval_variable(dot, n, &[], None),
            Arg::Pipe(p) => self.eval_pipeline(dot, p),
            Arg::Identifier { name, func, .. } => self
                .eval_call(dot, func, name, n, At::Arg(n), &[], None)
                .map(Slot::plain),
            Arg::Chain { .. } => self.eval_chain(dot, n, &[], None),
            _ => Err(self.fail(format!("can't handle {n} for arg of type <nil>"))),
        }
    }

    /// Go's `validateType`.
    fn validate(&self, v: Value, t: Ty) -> EResult<Value> {
        let ok = match (&v, t) {
            (Value::Nil, t) => {
                if can_be_nil(t) {
                    return Ok(Value::Nil);
                }
                return Err(self.fail(format!("invalid value; expected {}", t.name())));
            }
            (_, Ty::Any | Ty::Reflect) => true,
            (Value::Str(_), Ty::Str) => true,
            (Value::Int(_), Ty::Int) => true,
            (Value::Float(_), Ty::Float64) => true,
            (Value::Bool(_), Ty::Bool) => true,
            (Value::Map(m), Ty::MapAny) => m.borrow().elem == Elem::Any,
            (Value::Object(o), t) if t.is_host() => o.type_name() == t.name(),
            _ => false,
        };
        if ok {
            Ok(v)
        } else {
            Err(self.fail(format!(
                "wrong type for value; expected {}; got {}",
                t.name(),
                v.type_name()
            )))
        }
    }

    /// Go's `evalArg` against parameter type `t`.
    fn eval_arg(&mut self, dot: &Slot, t: Ty, n: &'a Arg) -> EResult<Value> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot(_) => return self.validate(dot.v.clone(), t),
            Arg::Nil(_) => {
                if can_be_nil(t) {
                    return Ok(Value::Nil);
                }
                return Err(self.fail(format!("cannot assign nil to {}", t.name())));
            }
            Arg::Field { .. }
            | Arg::Variable { .. }
            | Arg::Pipe(_)
            | Arg::Identifier { .. }
            | Arg::Chain { .. } => {
                let v = self.eval_arg_untyped(dot, n)?;
                return self.validate(v.v, t);
            }
            _ => {}
        }
        let found = |what: &str| format!("expected {what}; found {n}");
        match (t, n) {
            (Ty::Bool, Arg::Bool(_, b)) => Ok(Value::Bool(*b)),
            (Ty::Bool, _) => Err(self.fail(found("bool"))),
            (Ty::Float64, Arg::Number(_, num)) if num.is_float => Ok(Value::Float(num.float)),
            (Ty::Float64, _) => Err(self.fail(found("float"))),
            (Ty::Int, Arg::Number(_, num)) if num.is_int => Ok(Value::Int(num.int)),
            (Ty::Duration, Arg::Number(_, num)) if num.is_int => Ok(Value::Int64(num.int)),
            (Ty::Int | Ty::Duration, _) => Err(self.fail(found("integer"))),
            // Go's `SetUint` on a uint32 keeps the low 32 bits.
            (Ty::Uint32, Arg::Number(_, num)) if num.is_uint => {
                Ok(Value::Int(i64::from(num.uint as u32)))
            }
            (Ty::Uint32, _) => Err(self.fail(found("unsigned integer"))),
            (Ty::Str | Ty::HashAlgorithm, Arg::String { text, .. }) => Ok(Value::str(text.clone())),
            (Ty::Str | Ty::HashAlgorithm, _) => Err(self.fail(found("string"))),
            (Ty::Any | Ty::Reflect, Arg::Bool(_, b)) => Ok(Value::Bool(*b)),
            (Ty::Any | Ty::Reflect, Arg::Number(_, num)) => {
                ideal_constant(num).map_err(|m| self.fail(m))
            }
            (Ty::Any | Ty::Reflect, Arg::String { text, .. }) => Ok(Value::str(text.clone())),
            _ => Err(self.fail(format!("can't handle {n} for arg of type {}", t.name()))),
        }
    }

    /// Go's `evalCall` for a method bound to its receiver: argument-count errors point where
    /// the chain's evaluation left off, a failing call at the chain's `node`.
    #[expect(
        clippy::too_many_arguments,
        reason = "mirrors Go's evalField and evalCall parameters"
    )]
    fn eval_method(
        &mut self,
        dot: &Slot,
        node: &'a Arg,
        name: &str,
        type_name: &str,
        method: Method<'_>,
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> EResult<Value> {
        let num_in = args.len() + usize::from(fin.is_some());
        let (params, call) = match method {
            Method::Unsupported => {
                return Err(self.fail(format!(
                    "method {name} of type {type_name} is not supported by eso-render yet"
                )));
            }
            Method::Refused { arity, results } => {
                if num_in != arity {
                    return Err(self.fail(format!(
                        "wrong number of args for {name}: want {arity} got {num_in}"
                    )));
                }
                let q = crate::gocompat::unicode::quote(name);
                return Err(self.fail(format!(
                    "can't call method/function {q} with {results} results"
                )));
            }
            Method::Call { params, call } => (params, call),
        };
        if num_in != params.len() {
            return Err(self.fail(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                params.len()
            )));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (a, t) in args.iter().zip(params) {
            argv.push(self.eval_arg(dot, *t, a)?);
        }
        if let Some(f) = fin {
            let t = params.last().copied().unwrap_or(Ty::Any);
            argv.push(self.validate(f.v, t)?);
        }
        call(&argv).map_err(|e| {
            self.at = At::Arg(node);
            self.fail(format!("error calling {name}: {e}"))
        })
    }

    /// Go's `evalCall`. `ident` is where argument-count errors point; `cmd_text`/`cmd_pos`
    /// where a failing call points.
    #[expect(
        clippy::too_many_arguments,
        reason = "mirrors Go's evalCall parameters"
    )]
    fn eval_call(
        &mut self,
        dot: &Slot,
        func: Func,
        name: &str,
        ident: &'a Arg,
        call_at: At<'a>,
        args: &'a [Arg],
        fin: Option<Slot>,
    ) -> EResult<Value> {
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if func.variadic.is_some() {
            func.params.len()
        } else {
            args.len()
        };
        self.at = At::Arg(ident);
        if func.variadic.is_some() {
            if num_in < num_fixed {
                return Err(self.fail(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    func.params.len(),
                    args.len()
                )));
            }
        } else if num_in != func.params.len() {
            return Err(self.fail(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                func.params.len()
            )));
        }
        let imp = match func.imp {
            Imp::And | Imp::Or => {
                let is_or = matches!(func.imp, Imp::Or);
                let mut v = Value::Nil;
                for a in args {
                    v = self.eval_arg(dot, Ty::Reflect, a)?;
                    if v.truth() == is_or {
                        return Ok(v);
                    }
                }
                if let Some(f) = fin {
                    v = f.v;
                }
                return Ok(v);
            }
            Imp::Plain(f) => f,
        };
        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let t = func.params.get(i).copied().unwrap_or(Ty::Any);
            argv.push(self.eval_arg(dot, t, &args[i])?);
            i += 1;
        }
        if let Some(vt) = func.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, vt, &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match func.variadic {
                Some(vt) if num_in > num_fixed => vt,
                _ => func.params.get(num_in - 1).copied().unwrap_or(Ty::Any),
            };
            argv.push(self.validate(f.v, t)?);
        }
        imp(&argv).map_err(|e| {
            self.at = call_at;
            self.fail(format!("error calling {name}: {e}"))
        })
    }
}
