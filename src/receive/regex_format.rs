//! The `regex` format, checked in time linear in the value's length.
//!
//! boon 0.6.1 checks `"format": "regex"` by translating the value from
//! ECMA-262 to the `regex` crate's syntax (`ecma::convert`), and re-parses the
//! whole pattern after every `\cX`, `\d`, `\w` or `\s` it rewrites: quadratic,
//! so a payload string of 21,000 `\s` (63 KB) held the step about ten minutes.
//! boon does not let its own `regex` format be replaced
//! (`Compiler::register_format` ignores that name), so the schema handed to
//! boon names this check instead ([`NAME`]) wherever it says `regex`.
//!
//! It accepts and refuses what boon's check does, in one pass each: `\c`
//! followed by an ASCII letter becomes that control character, the result must
//! parse with `regex-syntax` (the parser boon uses, with its default nesting
//! limit of 250), and `\a` outside a character class is refused (not an
//! ECMA-262 escape). One difference, outside ECMA-262's syntax: after the
//! `x` flag (`(?x)`, which ECMA-262 does not have), a `\cJ` written inside a
//! `#` comment becomes a line break that ends the comment here, while boon
//! leaves comments as written. boon's other rewrites (`\d` to `[0-9]` and the like)
//! change what a pattern matches, never whether it is one, so they are not
//! needed to answer.

use std::error::Error;

use regex_syntax::ast::{self, Ast, Literal, LiteralKind, SpecialLiteralKind};
use serde_json::Value;

/// The format name the schema handed to boon uses in place of `regex`.
pub const NAME: &str = "repository-dispatch:regex";

/// boon's `Format` for [`NAME`].
pub const FORMAT: boon::Format = boon::Format {
    name: NAME,
    func: check,
};

/// Returns an error if and only if `v` is a string that is not a regular
/// expression by boon's `regex` format. A value that is not a string passes,
/// as in boon (the `type` keyword is what refuses it).
pub fn check(v: &Value) -> Result<(), Box<dyn Error>> {
    let Value::String(pattern) = v else {
        return Ok(());
    };
    let pattern = control_letters(pattern);
    let ast = ast::parse::Parser::new().parse(&pattern)?;
    ast::visit(&ast, NoBell)?;
    Ok(())
}

/// ECMA-262's `\cX` (X an ASCII letter) as the control character it means,
/// in one pass: each backslash takes the next character with it, as the
/// parser reads escapes, so `\\c` is left alone.
fn control_letters(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '\\' {
            continue;
        }
        match chars.next() {
            Some('c') if chars.peek().is_some_and(char::is_ascii_alphabetic) => {
                out.pop();
                // Proven above: an ASCII letter, so `% 32` is a control code.
                let letter = chars.next().unwrap_or('@');
                #[allow(clippy::cast_possible_truncation)] // ASCII: one byte
                out.push(char::from((letter as u8) % 32));
            }
            Some(next) => out.push(next),
            None => {}
        }
    }
    out
}

/// Refuses `\a` (the bell) outside a character class, as boon does.
struct NoBell;

impl ast::Visitor for NoBell {
    type Output = ();
    type Err = &'static str;

    fn finish(self) -> Result<(), Self::Err> {
        Ok(())
    }

    fn visit_post(&mut self, ast: &Ast) -> Result<(), Self::Err> {
        if let Ast::Literal(literal) = ast
            && let Literal {
                kind: LiteralKind::Special(SpecialLiteralKind::Bell),
                ..
            } = literal.as_ref()
        {
            return Err("\\a is not an ECMA 262 control escape");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// boon's own verdict, through a schema that says `"format": "regex"`.
    fn boon_says(pattern: &str) -> bool {
        static SCHEMA: std::sync::OnceLock<(boon::Schemas, boon::SchemaIndex)> =
            std::sync::OnceLock::new();
        let (schemas, index) = SCHEMA.get_or_init(|| {
            let mut compiler = boon::Compiler::new();
            compiler.enable_format_assertions();
            let mut schemas = boon::Schemas::new();
            compiler
                .add_resource("urn:t", serde_json::json!({"format": "regex"}))
                .unwrap();
            let index = compiler.compile("urn:t", &mut schemas).unwrap();
            (schemas, index)
        });
        schemas
            .validate(&Value::String(pattern.to_owned()), *index)
            .is_ok()
    }

    fn ours(pattern: &str) -> bool {
        check(&Value::String(pattern.to_owned())).is_ok()
    }

    #[test]
    fn control_letters_become_control_characters() {
        assert_eq!(control_letters(r"a\cJb"), "a\nb");
        assert_eq!(control_letters(r"\\cJ"), r"\\cJ");
        assert_eq!(control_letters(r"\c1"), r"\c1");
        assert_eq!(control_letters(r"[\ca-\cz]"), "[\u{1}-\u{1a}]");
        assert_eq!(control_letters("\\"), "\\");
    }

    #[test]
    fn agrees_with_boon_on_written_cases() {
        for pattern in [
            r"^[a-z0-9-]+$",
            r"\d+\w*\s?\D\W\S",
            r"[a-z\d]",
            r"[\d-z]",
            r"[^\D]",
            r"ab\cAcd",
            r"\c",
            r"\c1",
            r"\cé",
            r"\a",
            r"[\a]",
            r"\\a",
            r"(?=x)",
            r"(?<=x)",
            r"(a)\1",
            r"(?P<n>a)",
            r"(?<n>a)",
            r"\p{Greek}",
            r"\p{NoSuchClass}",
            r"\u0041",
            r"\u{41}",
            r"\x41",
            r"(",
            r"a{2,1}",
            r"a**",
            r"(?x) a # \cA (",
            r"(?x)a\cJ+",
            r"[",
            "",
            r"\/",
            r"\-",
            r"^\$",
        ] {
            assert_eq!(ours(pattern), boon_says(pattern), "{pattern:?}");
        }
        // Nesting at and past the parser's limit.
        for depth in [249, 250, 251] {
            let pattern = format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
            assert_eq!(ours(&pattern), boon_says(&pattern), "depth {depth}");
        }
    }

    /// Every pattern of up to four characters from the characters that
    /// matter to the translation: the same verdict as boon's.
    #[test]
    fn agrees_with_boon_on_every_short_pattern() {
        fn each(alphabet: &[char], pattern: &mut Vec<char>, left: usize) {
            let text: String = pattern.iter().collect();
            assert_eq!(ours(&text), boon_says(&text), "{text:?}");
            if left == 0 {
                return;
            }
            for &c in alphabet {
                pattern.push(c);
                each(alphabet, pattern, left - 1);
                pattern.pop();
            }
        }
        let alphabet: Vec<char> = r"\cdswaJ1[]-^(?=)x#{}".chars().collect();
        each(&alphabet, &mut Vec::new(), 4);
    }

    #[test]
    fn long_runs_of_escapes_are_answered() {
        assert!(ours(&r"\s".repeat(21_000)));
        assert!(ours(&r"\d".repeat(30_000)));
        assert!(ours(&r"\cA".repeat(20_000)));
        assert!(!ours(&format!("{}(?=x)", r"\w".repeat(20_000))));
    }
}
