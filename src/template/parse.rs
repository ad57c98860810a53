//! Parser: builds the node tree of one template text, plus the trees of its `define`s and
//! `block`s.
//!
//! Mirrors Go's `text/template/parse/parse.go` and `node.go` (Go 1.26): the same grammar
//! (pipelines, declarations and assignments, `if`/`else if`, `range` with `break`/`continue`,
//! `with`/`else with`, `define`, `template`, `block`), the same checks (undefined variables and
//! functions, non-executable pipeline stages, redefinition) and the same error texts and line
//! numbers. Node `Display` is Go's `Node.String()`, which execution errors quote as context.
//!
//! Functions are resolved while parsing, like Go's parse-time function check, so execution
//! holds a direct reference to each function.
//!
//! Must not: recurse without bound (nesting is capped at [`MAX_DEPTH`]) or panic on any input.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use super::funcs::{self, Func, Lookup};
use super::lex::{self, Kind, Token};

/// Deepest nesting of parentheses and control structures. Go allows 10000 parenthesised levels
/// on a growable stack; a fixed thread stack needs a lower bound, reported with Go's message.
pub const MAX_DEPTH: usize = 100;

/// A parse failure: Go's message and the line Go reports.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

type PResult<T> = Result<T, ParseError>;

/// A list of nodes: a template body or a branch.
pub type List = Vec<Node>;

#[derive(Debug)]
pub enum Node {
    Text(Vec<u8>),
    Action(Pipe),
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

/// The common shape of `if`, `range` and `with`.
#[derive(Debug)]
pub struct Branch {
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

/// A parsed number constant: which Go kinds it fits, as Go's `NumberNode`.
#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub is_int: bool,
    pub int: i64,
    pub is_uint: bool,
    /// The value when `is_uint`.
    pub uint: u64,
    pub is_float: bool,
    pub float: f64,
    pub is_char: bool,
}

#[derive(Debug)]
pub enum Arg {
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    Variable {
        pos: usize,
        idents: Vec<String>,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Identifier {
        pos: usize,
        name: String,
        func: Func,
    },
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, Number),
    String {
        pos: usize,
        quoted: String,
        text: Vec<u8>,
    },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::String { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Number(pos, _) => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => f.write_str(&idents.join(".")),
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = &**node {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &List) -> fmt::Result {
    for n in list {
        write!(f, "{n}")?;
    }
    Ok(())
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let branch = |f: &mut fmt::Formatter<'_>, kw: &str, b: &Branch| {
            write!(f, "{{{{{kw} {}}}}}", b.pipe)?;
            write_list(f, &b.list)?;
            if let Some(e) = &b.else_list {
                f.write_str("{{else}}")?;
                write_list(f, e)?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text(t) => f.write_str(&String::from_utf8_lossy(t)),
            Node::Action(p) => write!(f, "{{{{{p}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::Range(b) => branch(f, "range", b),
            Node::With(b) => branch(f, "with", b),
            Node::Template { name, pipe, .. } => {
                let q = crate::gocompat::unicode::quote(name);
                match pipe {
                    Some(p) => write!(f, "{{{{template {q} {p}}}}}"),
                    None => write!(f, "{{{{template {q}}}}}"),
                }
            }
            Node::Break => f.write_str("{{break}}"),
            Node::Continue => f.write_str("{{continue}}"),
        }
    }
}

/// What `textOrAction` produced: a node, or one of the words that close a list.
enum Item {
    Node(Node),
    End,
    Else,
}

/// All trees of one text, by template name (the text itself is under its own name).
pub type TreeSet = BTreeMap<String, Rc<List>>;

/// Go's `IsEmptyTree`: only whitespace text.
fn is_empty_tree(list: &List) -> bool {
    list.iter().all(|n| match n {
        Node::Text(t) => t.iter().all(u8::is_ascii_whitespace),
        _ => false,
    })
}

/// Parses `text` named `name`; returns every tree it defines and the names of the functions
/// the template calls.
pub fn parse(
    name: &str,
    text: &str,
    left: &str,
    right: &str,
) -> PResult<(TreeSet, BTreeSet<&'static str>)> {
    let toks = lex::lex(text, left, right);
    let mut p = Parser {
        toks,
        i: 0,
        furthest: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        depth: 0,
        trees: TreeSet::new(),
        action_line: 0,
        name: name.to_owned(),
        functions: BTreeSet::new(),
    };
    let root = p.parse_top()?;
    p.add(name, root)?;
    Ok((p.trees, p.functions))
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
    furthest: usize,
    vars: Vec<String>,
    range_depth: usize,
    depth: usize,
    trees: TreeSet,
    action_line: usize,
    name: String,
    /// Every function the template calls.
    functions: BTreeSet<&'static str>,
}

impl Parser {
    fn tok(&self, i: usize) -> Token {
        // The token list always ends with Eof or Error, and the parser never reads past it.
        self.toks
            .get(i)
            .or_else(|| self.toks.last())
            .cloned()
            .unwrap_or(Token {
                kind: Kind::Eof,
                pos: 0,
                val: String::new(),
                line: 1,
            })
    }

    fn next(&mut self) -> Token {
        let t = self.tok(self.i);
        self.furthest = self.furthest.max(self.i);
        // Always advance, even past the end (tok() clamps), so backup() undoes exactly one
        // next(); the last token is Eof or Error, which ends every loop.
        self.i += 1;
        t
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn peek(&mut self) -> Token {
        self.furthest = self.furthest.max(self.i);
        self.tok(self.i)
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != Kind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf<T>(&self, message: String) -> PResult<T> {
        let line = self.tok(self.furthest).line;
        Err(ParseError { line, message })
    }

    fn unexpected<T>(&self, token: &Token, context: &str) -> PResult<T> {
        if token.kind == Kind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_owned();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.errorf("max expression depth exceeded".into());
        }
        Ok(())
    }

    /// Go's `Tree.add`: a non-empty tree may not replace another non-empty one.
    fn add(&mut self, name: &str, list: List) -> PResult<()> {
        match self.trees.get(name) {
            Some(old) if !is_empty_tree(old) => {
                if !is_empty_tree(&list) {
                    let q = crate::gocompat::unicode::quote(name);
                    return self.errorf(format!("template: multiple definition of template {q}"));
                }
                Ok(())
            }
            _ => {
                self.trees.insert(name.to_owned(), Rc::new(list));
                Ok(())
            }
        }
    }

    fn parse_top(&mut self) -> PResult<List> {
        let mut root = Vec::new();
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let save = self.i;
                self.next();
                if self.next_non_space().kind == Kind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            match self.text_or_action()? {
                Item::Node(n) => root.push(n),
                Item::End => return self.errorf("unexpected {{end}}".into()),
                Item::Else => return self.errorf("unexpected {{else}}".into()),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let t = self.next_non_space();
        let name = match t.kind {
            Kind::String | Kind::RawString => self.unquote_name(&t)?,
            _ => return self.unexpected(&t, CONTEXT),
        };
        self.expect(Kind::RightDelim, CONTEXT)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        if !matches!(end, Item::End) {
            return self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.add(&name, list)
    }

    fn unquote_name(&self, t: &Token) -> PResult<String> {
        match unquote(&t.val) {
            Ok(b) => match String::from_utf8(b) {
                Ok(s) => Ok(s),
                Err(e) => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            },
            Err(()) => self.errorf("invalid syntax".into()),
        }
    }

    fn item_list(&mut self) -> PResult<(List, Item)> {
        self.enter()?;
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                end => {
                    self.depth -= 1;
                    return Ok((list, end));
                }
            }
        }
        self.errorf("unexpected EOF".into())
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Text => Ok(Item::Node(Node::Text(t.val.into_bytes()))),
            Kind::LeftDelim => {
                self.action_line = t.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Block => return self.block_control().map(Item::Node),
            Kind::Break => return self.break_continue("{{break}}", Node::Break),
            Kind::Continue => return self.break_continue("{{continue}}", Node::Continue),
            Kind::Else => return self.else_control(),
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Item::End);
            }
            Kind::If => return self.if_control().map(Item::Node),
            Kind::Range => {
                let b = self.parse_control("range")?;
                return Ok(Item::Node(Node::Range(b)));
            }
            Kind::Template => return self.template_control().map(Item::Node),
            Kind::With => return self.with_control().map(Item::Node),
            _ => {}
        }
        self.backup();
        // Variables declared here persist until the enclosing "end".
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Item::Node(Node::Action(pipe)))
    }

    fn break_continue(&mut self, word: &str, node: Node) -> PResult<Item> {
        let t = self.next_non_space();
        if t.kind != Kind::RightDelim {
            return self.unexpected(&t, word);
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{word} outside {{{{range}}}}"));
        }
        Ok(Item::Node(node))
    }

    fn else_control(&mut self) -> PResult<Item> {
        let peek = self.peek_non_space();
        // `else if` / `else with` leave the keyword pending for parse_control.
        if peek.kind == Kind::If || peek.kind == Kind::With {
            return Ok(Item::Else);
        }
        self.expect(Kind::RightDelim, "else")?;
        Ok(Item::Else)
    }

    fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(self.parse_control("if")?))
    }

    fn with_control(&mut self) -> PResult<Node> {
        Ok(Node::With(self.parse_control("with")?))
    }

    fn parse_control(&mut self, context: &str) -> PResult<Branch> {
        let mark = self.vars.len();
        let r = self.parse_control_inner(context);
        self.vars.truncate(mark);
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        if let Item::Else = next {
            let peek = self.peek();
            if context == "if" && peek.kind == Kind::If {
                self.next();
                self.enter()?;
                let n = self.if_control()?;
                self.depth -= 1;
                else_list = Some(vec![n]);
            } else if context == "with" && peek.kind == Kind::With {
                self.next();
                self.enter()?;
                let n = self.with_control()?;
                self.depth -= 1;
                else_list = Some(vec![n]);
            } else {
                let (l, next) = self.item_list()?;
                if !matches!(next, Item::End) {
                    return self.errorf("expected end; found {{else}}".into());
                }
                else_list = Some(l);
            }
        }
        Ok(Branch {
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&self, t: &Token, context: &str) -> PResult<String> {
        match t.kind {
            Kind::String | Kind::RawString => self.unquote_name(t),
            _ => self.unexpected(t, context),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let pipe = if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            Some(self.pipeline(CONTEXT, Kind::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe,
        })
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Kind::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let r = self.item_list();
        self.vars = saved_vars;
        self.range_depth = saved_range;
        let (list, end) = r?;
        if !matches!(end, Item::End) {
            return self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.add(&name, list)?;
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> PResult<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut pipe = Pipe {
            pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let before = self.i;
            self.next_non_space();
            let after_var = self.peek();
            let next = self.peek_non_space();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                }
                Kind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => {
                                continue 'decls;
                            }
                            _ => return self.errorf("range can only initialize variables".into()),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = after_var;
                    self.i = before;
                }
            }
            break;
        }
        loop {
            let t = self.next_non_space();
            match t.kind {
                k if k == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool(..)
                        | Arg::Dot(_)
                        | Arg::Nil(_)
                        | Arg::Number(..)
                        | Arg::String { .. }
                )
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(a) = self.operand()? {
                cmd.args.push(a);
            }
            let t = self.next();
            match t.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command".into());
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            let t = self.next();
            fields.push(t.val.trim_start_matches('.').to_owned());
        }
        Ok(Some(match node {
            // Go gives the merged node the chain's position: that of the first added field.
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field { pos, idents }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable { pos, idents }
            }
            Arg::Bool(..) | Arg::String { .. } | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                let q = crate::gocompat::unicode::quote(&node.to_string());
                return self.errorf(format!("unexpected . after term {q}"));
            }
            other => Arg::Chain {
                pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        Ok(Some(match t.kind {
            Kind::Identifier => {
                let func = match funcs::lookup(&t.val) {
                    Lookup::Found(f) => {
                        self.functions.insert(f.name);
                        f
                    }
                    Lookup::Undefined => {
                        let q = crate::gocompat::unicode::quote(&t.val);
                        return self.errorf(format!("function {q} not defined"));
                    }
                };
                Arg::Identifier {
                    pos: t.pos,
                    name: t.val,
                    func,
                }
            }
            Kind::Dot => Arg::Dot(t.pos),
            Kind::Nil => Arg::Nil(t.pos),
            Kind::Variable => {
                let idents: Vec<String> = t.val.split('.').map(str::to_owned).collect();
                let first = idents.first().cloned().unwrap_or_default();
                if !self.vars.contains(&first) {
                    let q = crate::gocompat::unicode::quote(&first);
                    return self.errorf(format!("undefined variable {q}"));
                }
                Arg::Variable { pos: t.pos, idents }
            }
            Kind::Field => Arg::Field {
                pos: t.pos,
                idents: t.val.split('.').skip(1).map(str::to_owned).collect(),
            },
            Kind::Bool => Arg::Bool(t.pos, t.val == "true"),
            Kind::CharConstant | Kind::Number => match parse_number(&t.val, t.kind) {
                Ok(n) => Arg::Number(t.pos, n),
                Err(e) => return self.errorf(e),
            },
            Kind::Complex => {
                return self
                    .errorf("complex number constants are not supported by eso-render yet".into());
            }
            Kind::LeftParen => {
                self.enter()?;
                let p = self.pipeline("parenthesized pipeline", Kind::RightParen)?;
                self.depth -= 1;
                Arg::Pipe(Box::new(p))
            }
            Kind::String | Kind::RawString => match unquote(&t.val) {
                Ok(text) => Arg::String {
                    pos: t.pos,
                    quoted: t.val,
                    text,
                },
                Err(()) => return self.errorf("invalid syntax".into()),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseUint(s, 0, 64)` (sign not allowed).
pub fn parse_uint_base0(s: &str) -> Option<u64> {
    if s.is_empty() || !underscore_ok(s) {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b.len() >= 2 && b[0] == b'0' {
        match b[1].to_ascii_lowercase() {
            b'x' => (16, &s[2..]),
            b'o' => (8, &s[2..]),
            b'b' => (2, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    if digits.is_empty() {
        return if base == 8 && s.starts_with('0') && !s[1..].contains(|c: char| c != '_') {
            Some(0)
        } else {
            None
        };
    }
    u64::from_str_radix(&digits, base).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(body)?;
    if neg {
        if u <= 1u64 << 63 {
            Some((u as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal text (hex floats are not accepted).
pub fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let t: String = s.chars().filter(|c| *c != '_').collect();
    let body = t.trim_start_matches(['+', '-']);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Go's `newNumber`: which kinds a number or character constant fits.
fn parse_number(text: &str, kind: Kind) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_owned(),
        is_int: false,
        int: 0,
        is_uint: false,
        uint: 0,
        is_float: false,
        float: 0.0,
        is_char: false,
    };
    if kind == Kind::CharConstant {
        let inner = text.get(1..).unwrap_or("");
        let (c, tail) = unquote_char(inner, b'\'').map_err(|()| "invalid syntax".to_owned())?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        n.is_char = true;
        n.int = i64::from(c);
        n.is_int = true;
        n.is_uint = true;
        n.uint = u64::from(c);
        n.float = f64::from(c);
        n.is_float = true;
        return Ok(n);
    }
    if text.ends_with('i') {
        return Err("complex number constants are not supported by eso-render yet".into());
    }
    if let Some(u) = parse_uint_base0(text) {
        n.is_uint = true;
        n.uint = u;
        n.float = u as f64;
    }
    if let Some(i) = parse_int_base0(text) {
        n.is_int = true;
        n.int = i;
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!(
                "integer overflow: {}",
                crate::gocompat::unicode::quote(text)
            ));
        }
        n.is_float = true;
        n.float = f;
        if f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
            n.is_int = true;
            n.int = f as i64;
        }
        if f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f) {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::gocompat::unicode::quote(text)
        ));
    }
    Ok(n)
}

/// Go's `strconv.UnquoteChar` on `s`: the decoded character (a byte value for `\x` and octal
/// escapes, which `unquote` writes as a raw byte) and the rest.
fn unquote_char(s: &str, quote: u8) -> Result<(u32, &str), ()> {
    let mut chars = s.chars();
    let c = chars.next().ok_or(())?;
    if c == char::from(quote) && (quote == b'\'' || quote == b'"') {
        return Err(());
    }
    if c != '\\' {
        return Ok((u32::from(c), chars.as_str()));
    }
    let e = chars.next().ok_or(())?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some(7),
        'b' => Some(8),
        'f' => Some(12),
        'n' => Some(10),
        'r' => Some(13),
        't' => Some(9),
        'v' => Some(11),
        '\\' => Some(u32::from('\\')),
        '\'' | '"' => {
            if e != char::from(quote) {
                return Err(());
            }
            Some(u32::from(e))
        }
        _ => None,
    };
    if let Some(v) = simple {
        return Ok((v, rest));
    }
    let hex_len = match e {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        '0'..='7' => {
            let digits = s.get(1..4).ok_or(())?;
            let v = u32::from_str_radix(digits, 8).map_err(|_| ())?;
            if v > 255 || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return Err(());
            }
            return Ok((v, s.get(4..).ok_or(())?));
        }
        _ => return Err(()),
    };
    let digits = rest.get(..hex_len).ok_or(())?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(());
    }
    let v = u32::from_str_radix(digits, 16).map_err(|_| ())?;
    if e != 'x' && char::from_u32(v).is_none() {
        return Err(());
    }
    Ok((v, rest.get(hex_len..).ok_or(())?))
}

/// Go's `strconv.Unquote` for `"…"`, `` `…` `` and `'…'`, to bytes (`\xff` is one raw byte).
pub fn unquote(s: &str) -> Result<Vec<u8>, ()> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(());
    }
    let q = b[0];
    if q != b[b.len() - 1] {
        return Err(());
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return Err(());
            }
            Ok(inner.bytes().filter(|c| *c != b'\r').collect())
        }
        b'"' | b'\'' => {
            let mut out = Vec::new();
            let mut rest = inner;
            let mut count = 0;
            while !rest.is_empty() {
                if q == b'"' && rest.starts_with('\'') {
                    out.push(b'\'');
                    rest = &rest[1..];
                    count += 1;
                    continue;
                }
                let escaped_byte = rest.starts_with("\\x")
                    || rest
                        .as_bytes()
                        .get(1)
                        .is_some_and(|c| (b'0'..=b'7').contains(c))
                        && rest.starts_with('\\');
                let (c, tail) = unquote_char(rest, q)?;
                if escaped_byte {
                    out.push(u8::try_from(c).map_err(|_| ())?);
                } else {
                    let ch = char::from_u32(c).ok_or(())?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                rest = tail;
                count += 1;
            }
            if q == b'\'' && count != 1 {
                return Err(());
            }
            Ok(out)
        }
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse("t", text, "", "") {
            Ok(_) => String::from("ok"),
            Err(e) => format!("{}: {}", e.line, e.message),
        }
    }

    #[test]
    fn parse_errors_match_go() {
        assert_eq!(err("{{ #xx }}"), "1: unexpected \"#\" in command");
        assert_eq!(err("\n{{ .a | | }}"), "2: unexpected \"|\" in command");
        assert_eq!(err("{{ .a | }}"), "ok");
        assert_eq!(err("{{ $x }}"), "1: undefined variable \"$x\"");
        assert_eq!(err("{{ nosuch 1 }}"), "1: function \"nosuch\" not defined");
        assert_eq!(err("{{ end }}"), "1: unexpected {{end}}");
        assert_eq!(err("{{ if 1 }}"), "1: unexpected EOF");
        assert_eq!(err("{{ break }}"), "1: {{break}} outside {{range}}");
        assert_eq!(err("{{ /* c */ }}"), "1: unexpected \"/\" in command");
        assert_eq!(
            err("{{ .a | 1 }}"),
            "1: non executable command in pipeline stage 2"
        );
        assert_eq!(
            err("{{ \"x\".y }}"),
            "1: unexpected . after term \"\\\"x\\\"\""
        );
        assert_eq!(err("{{ 1x }}"), "1: bad number syntax: \"1x\"");
        assert_eq!(
            err("{{ block \"b\" . }}x{{ end }}{{ define \"b\" }}y{{ end }}"),
            "1: template: multiple definition of template \"b\""
        );
        assert_eq!(
            err("{{ define \"b\" }}{{ end }}{{ define \"b\" }}y{{ end }}"),
            "ok"
        );
        assert_eq!(err("{{ nil }}"), "ok");
    }

    #[test]
    fn variable_scope_ends_at_end() {
        assert_eq!(
            err("{{ if 1 }}{{ $x := 1 }}{{ end }}{{ $x }}"),
            "1: undefined variable \"$x\""
        );
        assert_eq!(
            err("{{ $x := 1 }}{{ if 1 }}{{ $x = 2 }}{{ end }}{{ $x }}"),
            "ok"
        );
    }

    #[test]
    fn numbers() {
        let n = parse_number("0x1F", Kind::Number).unwrap();
        assert!(n.is_int && n.int == 31);
        let n = parse_number("1_000", Kind::Number).unwrap();
        assert_eq!(n.int, 1000);
        let n = parse_number("0o17", Kind::Number).unwrap();
        assert_eq!(n.int, 15);
        let n = parse_number("017", Kind::Number).unwrap();
        assert_eq!(n.int, 15);
        let n = parse_number("0b101", Kind::Number).unwrap();
        assert_eq!(n.int, 5);
        let n = parse_number("1.5", Kind::Number).unwrap();
        assert!(!n.is_int && n.float == 1.5);
        let n = parse_number("'a'", Kind::CharConstant).unwrap();
        assert_eq!(n.int, 97);
        assert!(parse_number("99999999999999999999", Kind::Number).is_err());
    }

    #[test]
    fn unquote_go_escapes() {
        assert_eq!(
            unquote(r#""a\n\x41\u00e9\101\"""#).unwrap(),
            b"a\nA\xc3\xa9A\""
        );
        assert_eq!(unquote(r#""\xff""#).unwrap(), vec![0xff]);
        assert!(unquote(r#""\'""#).is_err());
        assert_eq!(unquote("`a\\n`").unwrap(), b"a\\n");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(err(&text), "1: max expression depth exceeded");
        let text = "{{ if 1 }}".repeat(5000);
        assert_eq!(err(&text), "1: max expression depth exceeded");
    }
}
