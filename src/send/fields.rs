//! Building a JSON object from `key=value` fields on the command line, as
//! `gh api` does, so that no JSON needs quoting in a shell: `-F` (`--field`)
//! types its value (numbers, `true`, `false`, `null`, else a string; `@PATH`
//! reads a file, `@-` standard input, as a string), `--raw-field` keeps it a
//! string. A nested key is written `outer[inner]=value` (gh's form); keys
//! keep the order given.

use serde_json::Value;

/// One field as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// `key=value` as given.
    pub text: String,
    /// `--raw-field`: the value is a string whatever it looks like.
    pub raw: bool,
}

/// A node of the object being built, keys in the order given.
#[derive(Debug)]
enum Node {
    Leaf(Value),
    Object(Vec<(String, Node)>),
}

/// Builds the object's compact JSON text. `read` gives a file's text for
/// `@PATH` (`-` for standard input).
pub fn build(
    fields: &[Field],
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut root: Vec<(String, Node)> = Vec::new();
    for field in fields {
        let flag = if field.raw { "--raw-field" } else { "-F" };
        let Some((key, value)) = field.text.split_once('=') else {
            return Err(format!(
                "{flag} needs KEY=VALUE, as in {flag} image_tag=v1.2.3; this one has no '='"
            ));
        };
        let path = key_path(key).map_err(|e| format!("{flag} {e}"))?;
        let value = if field.raw {
            Value::String(value.to_owned())
        } else if let Some(file) = value.strip_prefix('@') {
            Value::String(read(file).map_err(|e| format!("{flag} {key}=@{file}: {e}"))?)
        } else {
            typed(value)
        };
        insert(&mut root, &path, value).map_err(|e| format!("{flag} {e}"))?;
    }
    let mut out = String::new();
    write_object(&root, &mut out);
    Ok(out)
}

/// `a[b][c]` -> `["a", "b", "c"]`.
fn key_path(key: &str) -> Result<Vec<String>, String> {
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if head.is_empty() {
        return Err(format!("'{}' has no key before '='", key.escape_debug()));
    }
    let mut path = vec![head.to_owned()];
    while !rest.is_empty() {
        let inner = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .filter(|(name, _)| !name.is_empty() && !name.contains('['));
        let Some((name, after)) = inner else {
            return Err(format!(
                "key '{}' is not KEY or KEY[INNER]...: write nested keys as outer[inner]",
                key.escape_debug()
            ));
        };
        path.push(name.to_owned());
        rest = after;
    }
    Ok(path)
}

/// gh's typing: integers and decimals as numbers, `true`, `false`, `null`,
/// anything else a string.
fn typed(value: &str) -> Value {
    match value {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => {
            let number = !value.is_empty()
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+'));
            match serde_json::from_str::<Value>(value) {
                Ok(n @ Value::Number(_)) if number => n,
                _ => Value::String(value.to_owned()),
            }
        }
    }
}

fn insert(object: &mut Vec<(String, Node)>, path: &[String], value: Value) -> Result<(), String> {
    let (key, rest) = path.split_first().expect("a key path is never empty");
    let existing = object.iter_mut().find(|(k, _)| k == key);
    match (existing, rest.is_empty()) {
        (None, true) => object.push((key.clone(), Node::Leaf(value))),
        (None, false) => {
            let mut inner = Vec::new();
            insert(&mut inner, rest, value)?;
            object.push((key.clone(), Node::Object(inner)));
        }
        (Some((_, Node::Object(inner))), false) => insert(inner, rest, value)?,
        (Some(_), _) => {
            return Err(format!(
                "{key}: '{key}' is set by an earlier field too: give each key once"
            ));
        }
    }
    Ok(())
}

fn write_object(object: &[(String, Node)], out: &mut String) {
    out.push('{');
    for (i, (key, node)) in object.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String(key.clone()).to_string());
        out.push(':');
        match node {
            Node::Leaf(v) => out.push_str(&v.to_string()),
            Node::Object(inner) => write_object(inner, out),
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Field {
        Field {
            text: text.to_owned(),
            raw: false,
        }
    }

    fn raw(text: &str) -> Field {
        Field {
            text: text.to_owned(),
            raw: true,
        }
    }

    fn no_files(path: &str) -> Result<String, String> {
        Err(format!("no file {path}"))
    }

    #[test]
    fn fields_build_an_object_in_order() {
        let fields = [
            f("image_tag=v1.2.3"),
            f("replicas=3"),
            f("ratio=0.5"),
            f("canary=true"),
            f("note=null"),
            raw("count=3"),
            f("build[sha]=abc"),
            f("build[number]=42"),
            f("deep[a][b]=-1"),
            f("empty="),
            f("url=https://x/?a=b"),
            f("version=1.2.3"),
            f("plus=+1"),
        ];
        assert_eq!(
            build(&fields, &mut no_files).unwrap(),
            r#"{"image_tag":"v1.2.3","replicas":3,"ratio":0.5,"canary":true,"note":null,"count":"3","build":{"sha":"abc","number":42},"deep":{"a":{"b":-1}},"empty":"","url":"https://x/?a=b","version":"1.2.3","plus":"+1"}"#
        );
        let mut read = |p: &str| Ok(format!("text of {p}"));
        assert_eq!(
            build(&[f("notes=@CHANGES.md"), raw("at=@x")], &mut read).unwrap(),
            r#"{"notes":"text of CHANGES.md","at":"@x"}"#
        );
        assert_eq!(build(&[], &mut no_files).unwrap(), "{}");
    }

    #[test]
    fn bad_fields_say_why() {
        for (fields, says) in [
            (vec![f("novalue")], "-F needs KEY=VALUE"),
            (vec![raw("novalue")], "--raw-field needs KEY=VALUE"),
            (vec![f("=x")], "has no key before '='"),
            (vec![f("a[=x")], "write nested keys as outer[inner]"),
            (vec![f("a[]=x")], "write nested keys as outer[inner]"),
            (vec![f("a[b]c=x")], "write nested keys as outer[inner]"),
            (
                vec![f("a=1"), f("a=2")],
                "'a' is set by an earlier field too",
            ),
            (
                vec![f("a=1"), f("a[b]=2")],
                "'a' is set by an earlier field too",
            ),
            (
                vec![f("a[b]=1"), f("a=2")],
                "'a' is set by an earlier field too",
            ),
            (
                vec![f("a[b]=1"), f("a[b]=2")],
                "'b' is set by an earlier field too",
            ),
            (
                vec![f("x=@missing.json")],
                "-F x=@missing.json: no file missing.json",
            ),
        ] {
            let e = build(&fields, &mut no_files).unwrap_err();
            assert!(e.contains(says), "{fields:?}: {e}");
        }
    }
}
