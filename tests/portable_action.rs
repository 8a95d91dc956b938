//! The portable actions (`portable/action.yml`, `portable/receive/action.yml`,
//! node24 over the release binary) hold every input and output of the
//! container actions they stand for, word for word, plus the shim's own two
//! inputs; and their `runs` name the shim's entries.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The shim's own inputs (portable/shim.js `OWN_INPUTS`), which it does not
/// pass on to the binary.
const OWN: [&str; 2] = ["binary-url", "binary-path"];

fn load(file: &str) -> Yaml {
    let text = std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

/// The entries of a mapping section, in order.
fn entries<'y>(action: &'y Yaml, section: &str) -> Vec<(&'y str, &'y Yaml)> {
    action[section]
        .as_hash()
        .unwrap_or_else(|| panic!("no {section}"))
        .iter()
        .map(|(k, v)| (k.as_str().unwrap(), v))
        .collect()
}

fn in_step(container: &str, portable: &str) {
    let (container, portable) = (load(container), load(portable));
    for section in ["inputs", "outputs"] {
        let theirs = entries(&container, section);
        let mut ours = entries(&portable, section);
        if section == "inputs" {
            let own: Vec<&str> = ours.iter().skip(theirs.len()).map(|(k, _)| *k).collect();
            assert_eq!(own, OWN, "the shim's own inputs come last");
            for (name, input) in &ours[theirs.len()..] {
                assert_eq!(input["required"].as_bool(), Some(false), "{name}");
                assert!(input["default"].is_badvalue(), "{name} has no default");
                assert!(
                    input["description"]
                        .as_str()
                        .unwrap()
                        .starts_with("The portable action only: "),
                    "{name}"
                );
            }
            ours.truncate(theirs.len());
        }
        assert_eq!(ours, theirs, "{section}");
    }
    for key in ["author", "branding"] {
        assert_eq!(portable[key], container[key], "{key}");
    }
}

#[test]
fn the_sender_has_every_input_and_output_of_action_yml() {
    in_step("action.yml", "portable/action.yml");
    let runs = &load("portable/action.yml")["runs"];
    assert_eq!(runs["using"].as_str(), Some("node24"));
    assert_eq!(runs["main"].as_str(), Some("main.js"));
    assert_eq!(runs["post"].as_str(), Some("post.js"));
    assert!(
        runs["post-if"].is_badvalue(),
        "post runs always(), the default"
    );
}

#[test]
fn the_receiving_step_has_every_input_and_output_of_receive_action_yml() {
    in_step("receive/action.yml", "portable/receive/action.yml");
    let runs = &load("portable/receive/action.yml")["runs"];
    assert_eq!(runs["using"].as_str(), Some("node24"));
    assert_eq!(runs["main"].as_str(), Some("main.js"));
    assert!(
        runs["post"].is_badvalue(),
        "nothing to revoke after receiving"
    );
}

#[test]
fn each_entry_starts_its_own_flow_and_the_shim_keeps_its_own_inputs() {
    for (entry, call) in [
        (
            "portable/main.js",
            "require('./shim.js').main('send', __dirname)",
        ),
        ("portable/post.js", "require('./shim.js').post(__dirname)"),
        (
            "portable/receive/main.js",
            "require('../shim.js').main('receive', path.join(__dirname, '..'))",
        ),
    ] {
        let text = std::fs::read_to_string(Path::new(ROOT).join(entry)).unwrap();
        let code: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("//") && !l.trim().is_empty())
            .collect();
        assert_eq!(code.last(), Some(&call), "{entry}");
    }
    let shim = std::fs::read_to_string(Path::new(ROOT).join("portable/shim.js")).unwrap();
    assert!(shim.contains("const OWN_INPUTS = ['BINARY-URL', 'BINARY-PATH']"));
}
