//! Lexer for Go template text: turns the text into tokens the parser reads.
//!
//! Mirrors Go's `text/template/parse/lex.go` (Go 1.26): the same token kinds, the same trim-marker
//! rules (`{{- ` and ` -}}` need an ASCII space next to the dash), comments, custom delimiters,
//! and the same error texts. Go lexes lazily while parsing; here the whole text is lexed up
//! front and lexing stops at the first error token, which the parser then reports exactly where
//! Go would (the parser never reads past an error).
//!
//! Must not: panic on any input (all indexing goes through `get`), or interpret token values
//! (numbers and strings are decoded by the parser).

use crate::gocompat::unicode;

/// Token kinds, named after Go's `itemType`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords; Go prints these as `<name>` in error messages.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Range,
    Nil,
    Template,
    With,
}

impl Kind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::Break
                | Kind::Continue
                | Kind::Dot
                | Kind::Define
                | Kind::Else
                | Kind::End
                | Kind::If
                | Kind::Range
                | Kind::Nil
                | Kind::Template
                | Kind::With
        )
    }
}

/// One token: its kind, byte offset in the text, text (or error message) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl std::fmt::Display for Token {
    /// Go's `item.String()`, used in "unexpected … in …" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            Kind::Eof => f.write_str("EOF"),
            Kind::Error => f.write_str(&self.val),
            k if k.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                let q = unicode::quote(&head);
                write!(f, "{q}...")
            }
            _ => f.write_str(&unicode::quote(&self.val)),
        }
    }
}

fn keyword(word: &str) -> Option<Kind> {
    Some(match word {
        "." => Kind::Dot,
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        _ => return None,
    })
}

const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || unicode::is_letter(c) || unicode::is_digit(c)
}

/// Go's `hasLeftTrimMarker`: `-` followed by a space character.
fn has_left_trim_marker(s: &str) -> bool {
    let mut it = s.chars();
    it.next() == Some('-') && it.next().is_some_and(is_space)
}

/// Go's `hasRightTrimMarker`: a space character followed by `-`.
fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(char::from(b[0])) && b[1] == b'-'
}

/// Go's `%#U` rendering of a rune: `U+0023 '#'`.
fn sharp_u(c: char) -> String {
    let code = u32::from(c);
    if unicode::is_print(c) {
        format!("U+{code:04X} '{c}'")
    } else {
        format!("U+{code:04X}")
    }
}

/// Lexes `input` completely; the last token is `Eof` or `Error`.
pub fn lex(input: &str, left: &str, right: &str) -> Vec<Token> {
    let mut l = Lexer {
        input,
        left: if left.is_empty() { "{{" } else { left },
        right: if right.is_empty() { "}}" } else { right },
        pos: 0,
        start: 0,
        paren_depth: 0,
        tokens: Vec::new(),
        line_starts: line_starts(input),
    };
    l.run();
    l.tokens
}

fn line_starts(input: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(
        input
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1),
    );
    v
}

enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Done,
}

struct Lexer<'a> {
    input: &'a str,
    left: &'a str,
    right: &'a str,
    pos: usize,
    start: usize,
    paren_depth: i32,
    tokens: Vec<Token>,
    line_starts: Vec<usize>,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
        }
    }

    fn line(&self, pos: usize) -> usize {
        match self.line_starts.binary_search(&pos) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn emit(&mut self, kind: Kind) {
        let val = self
            .input
            .get(self.start..self.pos)
            .unwrap_or("")
            .to_owned();
        self.tokens.push(Token {
            kind,
            pos: self.start,
            val,
            line: self.line(self.start),
        });
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn error(&mut self, msg: String) -> State {
        self.tokens.push(Token {
            kind: Kind::Error,
            pos: self.start,
            val: msg,
            line: self.line(self.start),
        });
        State::Done
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Done => return,
            };
        }
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = self.rest().find(self.left) {
            let delim_at = self.pos + x;
            let after = self.input.get(delim_at + self.left.len()..).unwrap_or("");
            let mut text_end = delim_at;
            if has_left_trim_marker(after) {
                let text = self.input.get(self.start..delim_at).unwrap_or("");
                text_end = self.start + text.trim_end_matches(is_space).len();
            }
            self.pos = text_end;
            if self.pos > self.start {
                self.emit(Kind::Text);
            }
            self.pos = delim_at;
            self.ignore();
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(Kind::Text);
        }
        self.emit(Kind::Eof);
        State::Done
    }

    /// Go's `atRightDelim`: (at delimiter, with trim marker).
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest)
            && rest
                .get(TRIM_MARKER_LEN..)
                .is_some_and(|r| r.starts_with(self.right))
        {
            return (true, true);
        }
        (rest.starts_with(self.right), false)
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += self.left.len();
        let trim = has_left_trim_marker(self.rest());
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self
            .rest()
            .get(after_marker..)
            .is_some_and(|r| r.starts_with(LEFT_COMMENT))
        {
            self.pos += after_marker;
            self.ignore();
            return State::Comment;
        }
        let start = self.start;
        let tok = Token {
            kind: Kind::LeftDelim,
            pos: start,
            val: self.left.to_owned(),
            line: self.line(start),
        };
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.tokens.push(tok);
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        // Comments are dropped (Go keeps them only with ParseComments).
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += self.right.len();
        if trim {
            self.pos += left_trim_length(self.rest());
        }
        self.ignore();
        State::Text
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += self.right.len();
        self.emit(Kind::RightDelim);
        if trim {
            self.pos += left_trim_length(self.rest());
            self.ignore();
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return State::RightDelim;
            }
            return self.error("unclosed left paren".into());
        }
        let Some(c) = self.next() else {
            return self.error("unclosed action".into());
        };
        match c {
            c if is_space(c) => {
                self.backup(Some(c));
                return self.lex_space();
            }
            '=' => self.emit(Kind::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(Kind::Declare);
            }
            '|' => self.emit(Kind::Pipe),
            '"' => return self.lex_quote(),
            '`' => return self.lex_raw_quote(),
            '$' => return self.lex_field_or_variable(Kind::Variable),
            '\'' => return self.lex_char(),
            '.' if self.peek().is_some_and(|n| !n.is_ascii_digit()) => {
                return self.lex_field_or_variable(Kind::Field);
            }
            '.' | '+' | '-' | '0'..='9' => {
                self.backup(Some(c));
                return self.lex_number();
            }
            c if is_alphanumeric(c) => {
                self.backup(Some(c));
                return self.lex_identifier();
            }
            '(' => {
                self.emit(Kind::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                self.emit(Kind::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
            }
            c if c.is_ascii() && unicode::is_print(c) => self.emit(Kind::Char),
            c => {
                return self.error(format!("unrecognized character in action: {}", sharp_u(c)));
            }
        }
        State::InsideAction
    }

    fn lex_space(&mut self) -> State {
        let mut num_spaces = 0;
        while self.peek().is_some_and(is_space) {
            self.next();
            num_spaces += 1;
        }
        // A space may be the first half of a ` -}}` trim marker.
        let back = self.input.get(self.pos - 1..).unwrap_or("");
        if has_right_trim_marker(back)
            && back
                .get(TRIM_MARKER_LEN..)
                .is_some_and(|r| r.starts_with(self.right))
        {
            self.pos -= 1;
            if num_spaces == 1 {
                return State::RightDelim;
            }
        }
        self.emit(Kind::Space);
        State::InsideAction
    }

    /// Go's `atTerminator`: whether the next character can end a word.
    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(_) => self.rest().starts_with(self.right),
        }
    }

    fn lex_identifier(&mut self) -> State {
        loop {
            let c = self.next();
            if c.is_some_and(is_alphanumeric) {
                continue;
            }
            self.backup(c);
            if !self.at_terminator() {
                let c = self.peek().unwrap_or('\u{FFFD}');
                return self.error(format!("bad character {}", sharp_u(c)));
            }
            let word = self.input.get(self.start..self.pos).unwrap_or("");
            let kind = if let Some(k) = keyword(word) {
                k
            } else if word.starts_with('.') {
                Kind::Field
            } else if word == "true" || word == "false" {
                Kind::Bool
            } else {
                Kind::Identifier
            };
            self.emit(kind);
            return State::InsideAction;
        }
    }

    fn lex_field_or_variable(&mut self, kind: Kind) -> State {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            });
            return State::InsideAction;
        }
        loop {
            let c = self.next();
            if !c.is_some_and(is_alphanumeric) {
                self.backup(c);
                break;
            }
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\u{FFFD}');
            return self.error(format!("bad character {}", sharp_u(c)));
        }
        self.emit(kind);
        State::InsideAction
    }

    fn lex_char(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some(c) if c != '\n' => {}
                    _ => return self.error("unterminated character constant".into()),
                },
                None | Some('\n') => {
                    return self.error("unterminated character constant".into());
                }
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(Kind::CharConstant);
        State::InsideAction
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            let text = self.input.get(self.start..self.pos).unwrap_or("");
            let q = unicode::quote(text);
            return self.error(format!("bad number syntax: {q}"));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // A complex constant such as 1+2i: no spaces, must end in `i`.
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = self.input.get(self.start..self.pos).unwrap_or("");
                let q = unicode::quote(text);
                return self.error(format!("bad number syntax: {q}"));
            }
            self.emit(Kind::Complex);
        } else {
            self.emit(Kind::Number);
        }
        State::InsideAction
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some(c) if c != '\n' => {}
                    _ => return self.error("unterminated quoted string".into()),
                },
                None | Some('\n') => return self.error("unterminated quoted string".into()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(Kind::String);
        State::InsideAction
    }

    fn lex_raw_quote(&mut self) -> State {
        loop {
            match self.next() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(Kind::RawString);
        State::InsideAction
    }
}

/// Go's `leftTrimLength`: the length of the leading space characters of `s`.
fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_space).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Kind, String)> {
        lex(s, "", "")
            .into_iter()
            .map(|t| (t.kind, t.val))
            .collect()
    }

    #[test]
    fn text_and_field() {
        let k = kinds("a{{ .b }}c");
        assert_eq!(
            k,
            vec![
                (Kind::Text, "a".into()),
                (Kind::LeftDelim, "{{".into()),
                (Kind::Space, " ".into()),
                (Kind::Field, ".b".into()),
                (Kind::Space, " ".into()),
                (Kind::RightDelim, "}}".into()),
                (Kind::Text, "c".into()),
                (Kind::Eof, String::new()),
            ]
        );
    }

    #[test]
    fn trim_markers_remove_whitespace() {
        let k = kinds("a \n {{- .b -}} \n c");
        assert_eq!(k[0], (Kind::Text, "a".into()));
        assert_eq!(k[k.len() - 2], (Kind::Text, "c".into()));
    }

    #[test]
    fn minus_number_is_not_a_trim_marker() {
        let k = kinds("{{-3}}");
        assert_eq!(k[1], (Kind::Number, "-3".into()));
    }

    #[test]
    fn comment_is_dropped_and_trims() {
        assert_eq!(
            kinds("a {{- /* x */ -}} b"),
            vec![
                (Kind::Text, "a".into()),
                (Kind::Text, "b".into()),
                (Kind::Eof, String::new())
            ]
        );
        let k = kinds("{{/* x ");
        assert_eq!(k.last().map(|t| t.0), Some(Kind::Error));
    }

    #[test]
    fn custom_delimiters() {
        let k: Vec<Kind> = lex("<< .a >>{{", "<<", ">>")
            .into_iter()
            .map(|t| t.kind)
            .collect();
        assert_eq!(
            k,
            vec![
                Kind::LeftDelim,
                Kind::Space,
                Kind::Field,
                Kind::Space,
                Kind::RightDelim,
                Kind::Text,
                Kind::Eof
            ]
        );
    }

    #[test]
    fn numbers_strings_and_keywords() {
        let k = kinds(r#"{{ 0x1F 1_000 1.5e3 'a' "s\"" `r` if $x := nil true }}"#);
        let got: Vec<Kind> = k
            .iter()
            .map(|t| t.0)
            .filter(|k| *k != Kind::Space)
            .collect();
        assert_eq!(
            got,
            vec![
                Kind::LeftDelim,
                Kind::Number,
                Kind::Number,
                Kind::Number,
                Kind::CharConstant,
                Kind::String,
                Kind::RawString,
                Kind::If,
                Kind::Variable,
                Kind::Declare,
                Kind::Nil,
                Kind::Bool,
                Kind::RightDelim,
                Kind::Eof
            ]
        );
    }

    #[test]
    fn errors_stop_lexing() {
        let k = lex("{{ \"abc }}", "", "");
        assert_eq!(
            k.last().map(|t| t.val.as_str()),
            Some("unterminated quoted string")
        );
        let k = lex("{{ .a", "", "");
        assert_eq!(k.last().map(|t| t.val.as_str()), Some("unclosed action"));
        let k = lex("{{ é€ }}", "", "");
        assert_eq!(k.last().map(|t| t.kind), Some(Kind::Error));
    }
}
