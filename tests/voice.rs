//! Advice is worded for its reader: a workflow author in Actions (inputs,
//! YAML, secrets), someone at a shell elsewhere (flags, quoting, environment
//! variables). Each case runs the binary both ways and checks both wordings;
//! the words of one never reach the other.

mod common;

use common::{TOKEN, actions_env, dispatch_api, json, run, set};

/// One advice message, provoked in Actions and in a terminal.
struct Case {
    name: &'static str,
    /// Changes to [`actions_env`].
    actions: &'static [(&'static str, Option<&'static str>)],
    /// Environment of the terminal run (`GH_TOKEN` is set unless given).
    shell_env: &'static [(&'static str, &'static str)],
    shell_args: &'static [&'static str],
    /// What the Actions run says, and the terminal run must not.
    workflow_says: &'static str,
    /// What the terminal run says, and the Actions run must not.
    shell_says: &'static str,
}

/// Words that belong to a workflow and never to advice at a shell.
const WORKFLOW_WORDS: &[&str] = &["YAML", "${{", "secret", "with:", ": true", "toJSON"];

const CASES: &[Case] = &[
    Case {
        name: "single-quoted JSON",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("{'env': 'prod'}"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "{'env': 'prod'}"],
        workflow_says: "in YAML put single quotes around the whole value, as in client-payload: '{",
        shell_says: "in the shell put single quotes around the whole JSON, as in --client-payload '{\"environment\": \"staging\"}'; for text holding a single quote use $'...' with \\' inside, or --client-payload-file - with a here-doc (<<'EOF')",
    },
    Case {
        name: "keys without quotes (the shell ate them)",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("{env: prod}"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "{env: prod}"],
        workflow_says: "keys must be in double quotes, as in {\"environment\": \"staging\"}",
        shell_says: "the shell removes double quotes that are not inside single quotes: put single quotes around the whole JSON",
    },
    Case {
        name: "a raw line break in a string",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("{\"m\": \"a\nb\"}"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "{\"m\": \"a\nb\"}"],
        workflow_says: "insert it with toJSON(), as in \"message\": ${{ toJSON(github.event.head_commit.message) }}",
        shell_says: "write it as \\n or \\t inside the JSON string, or give the value with -F KEY=@FILE",
    },
    Case {
        name: "JSON that ends early",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("{\"env\": \"prod\""))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "{\"env\":"],
        workflow_says: "(YAML may have cut it)",
        shell_says: "check the shell's quoting (an unquoted space splits the JSON into two arguments)",
    },
    Case {
        name: "other JSON syntax",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("{\"env\": prod}"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "{\"env\": prod}"],
        workflow_says: "in a workflow, put single quotes around the JSON (client-payload: '{",
        shell_says: "in the shell, put single quotes around the JSON (--client-payload '{\"environment\": \"staging\"}'), pass it with --client-payload-file - and a here-doc (<<'EOF'), or build it with -F KEY=VALUE",
    },
    Case {
        name: "a JSON string for the object",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("\"{}\""))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "\"{}\""],
        workflow_says: "(toJSON() of a string, or quotes around the JSON)",
        shell_says: "(double quotes around the JSON inside the single quotes, or a JSON string from jq)",
    },
    Case {
        name: "null for the object",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some("null"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", "null"],
        workflow_says: "an expression probably evaluated to null",
        shell_says: "is null: give an object, or '{}'",
    },
    Case {
        name: "an empty payload",
        actions: &[("INPUT_CLIENT-PAYLOAD", Some(""))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "-p", ""],
        workflow_says: "or leave the input out for {}; an expression that evaluated to nothing also gives this",
        shell_says: "or leave --client-payload out for {}; an unset or empty shell variable also gives this",
    },
    Case {
        name: "a line break in the event type",
        actions: &[("INPUT_EVENT-TYPE", Some("deploy\nnow"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "deploy\nnow"],
        workflow_says: "check for a multi-line YAML value",
        shell_says: "check the quoting: $'...' turns \\n into a line break",
    },
    Case {
        name: "an empty repository",
        actions: &[("INPUT_REPOSITORY", Some(""))],
        shell_env: &[],
        shell_args: &["-r", "", "-e", "x"],
        workflow_says: "an expression such as ${{ vars.TARGET_REPO }} that evaluated to nothing also gives this",
        shell_says: "an unset or empty shell variable, as in --repository \"$TARGET_REPO\", also gives this",
    },
    Case {
        name: "no repository",
        actions: &[("INPUT_REPOSITORY", None), ("GITHUB_REPOSITORY", None)],
        shell_env: &[],
        shell_args: &["-e", "x"],
        workflow_says: "repository is not set: give OWNER/NAME, or leave it out for the action's default",
        shell_says: "repository is not set: pass --repository OWNER/NAME (or -r), or set GITHUB_REPOSITORY",
    },
    Case {
        name: "no token",
        actions: &[("INPUT_TOKEN", None)],
        shell_env: &[("PATH", "/nonexistent")],
        shell_args: &["-r", "octo/deploy", "-e", "x"],
        workflow_says: "no token: give token: ${{ secrets.NAME }}, or leave token out for the action's default ${{ github.token }}",
        shell_says: "no token: set GH_TOKEN or GITHUB_TOKEN, or pass --token-file PATH",
    },
    Case {
        name: "an empty token",
        actions: &[("INPUT_TOKEN", Some(""))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "--token-file", "-"],
        workflow_says: "the secret it reads is probably not set (check the name in `token: ${{ secrets.NAME }}`",
        shell_says: "is empty: give the token itself: export GH_TOKEN=..., or write it into the file --token-file reads",
    },
    Case {
        name: "a token with a space",
        actions: &[("INPUT_TOKEN", Some("ghp_abc def"))],
        shell_env: &[("GH_TOKEN", "ghp_abc def")],
        shell_args: &["-r", "octo/deploy", "-e", "x"],
        workflow_says: "tokens are one word; copy the secret again without the extra characters",
        shell_says: "tokens are one word; copy the token again without the extra characters",
    },
    Case {
        name: "plain http beyond loopback",
        actions: &[("GITHUB_API_URL", Some("http://ghes.example/api/v3"))],
        shell_env: &[],
        shell_args: &[
            "-r",
            "octo/deploy",
            "-e",
            "x",
            "--api-url",
            "http://ghes.example/api/v3",
        ],
        workflow_says: "use https, or set allow-insecure-http: true if the network path is trusted",
        shell_says: "use https, or pass --allow-insecure-http if the network path is trusted",
    },
    Case {
        name: "plain http through a proxy",
        actions: &[
            ("GITHUB_API_URL", Some("http://127.0.0.1:9")),
            ("http_proxy", Some("http://proxy.example:3128")),
        ],
        shell_env: &[("http_proxy", "http://proxy.example:3128")],
        shell_args: &[
            "-r",
            "octo/deploy",
            "-e",
            "x",
            "--api-url",
            "http://127.0.0.1:9",
        ],
        workflow_says: "add the API host to no_proxy to connect directly, or set allow-insecure-http: true",
        shell_says: "add the API host to no_proxy to connect directly, or pass --allow-insecure-http",
    },
    Case {
        name: "ref without workflow",
        actions: &[("INPUT_REF", Some("main"))],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-e", "x", "--ref", "main"],
        workflow_says: "ref belongs to a workflow_dispatch: set workflow: FILE.yml too, or remove ref",
        shell_says: "ref belongs to a workflow_dispatch: pass --workflow FILE.yml too, or remove --ref",
    },
    Case {
        name: "workflow without ref",
        actions: &[
            ("INPUT_WORKFLOW", Some("deploy.yml")),
            ("INPUT_EVENT-TYPE", None),
            ("INPUT_CLIENT-PAYLOAD", Some("{}")),
        ],
        shell_env: &[],
        shell_args: &["-r", "octo/deploy", "-w", "deploy.yml"],
        workflow_says: "(set ref: main; GitHub requires one",
        shell_says: "(pass --ref main; GitHub requires one",
    },
    Case {
        name: "event type with workflow",
        actions: &[
            ("INPUT_WORKFLOW", Some("deploy.yml")),
            ("INPUT_REF", Some("main")),
        ],
        shell_env: &[],
        shell_args: &[
            "-r",
            "octo/deploy",
            "-w",
            "deploy.yml",
            "--ref",
            "main",
            "-e",
            "x",
        ],
        workflow_says: "remove event-type, or remove workflow",
        shell_says: "remove --event-type, or remove --workflow",
    },
];

/// Everything a run printed, with workflow commands' escapes undone, so that
/// a message reads the same in both modes.
fn printed(r: &common::Run) -> String {
    r.everything()
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
}

#[tokio::test]
async fn advice_speaks_of_the_workflow_in_actions_and_of_the_shell_in_a_terminal() {
    for case in CASES {
        let mut env = actions_env("https://api.github.com");
        set(&mut env, case.actions);
        let r = run(&env, &[]).await;
        assert_eq!(r.code, 2, "{}: {r:?}", case.name);
        let said = printed(&r);
        assert!(said.contains("::error"), "{}: {said}", case.name);
        assert!(
            said.contains(case.workflow_says),
            "{} in Actions: {said}",
            case.name
        );
        assert!(
            !said.contains(case.shell_says),
            "{} in Actions: {said}",
            case.name
        );

        let mut env: Vec<(String, String)> = vec![("GH_TOKEN".to_owned(), TOKEN.to_owned())];
        for (k, v) in case.shell_env {
            env.retain(|(n, _)| n != k);
            env.push(((*k).to_owned(), (*v).to_owned()));
        }
        if case.name == "no token" {
            env.retain(|(n, _)| n != "GH_TOKEN");
        }
        let r = run(&env, case.shell_args).await;
        assert_eq!(r.code, 2, "{}: {r:?}", case.name);
        assert!(r.stdout.is_empty(), "{}: {r:?}", case.name);
        assert!(
            r.stderr.contains(case.shell_says),
            "{} in a terminal: {}",
            case.name,
            r.stderr
        );
        assert!(
            !r.stderr.contains(case.workflow_says),
            "{} in a terminal: {}",
            case.name,
            r.stderr
        );
        for word in WORKFLOW_WORDS {
            assert!(
                !r.stderr.contains(word),
                "{} in a terminal says {word}: {}",
                case.name,
                r.stderr
            );
        }
    }
}

/// GitHub's answers: a rejected token and a server error.
#[tokio::test]
async fn advice_after_an_answer_speaks_to_its_reader() {
    let cases = [
        (
            json(401, r#"{"message":"Bad credentials","status":"401"}"#),
            "create a new one and update the secret",
            "create a new one and set GH_TOKEN to it",
        ),
        (
            json(500, r#"{"message":"Server Error"}"#),
            "or set retry-on-server-error: true to retry 502, 503 and 504",
            "or pass --retry-on-server-error to retry 502, 503 and 504",
        ),
    ];
    for (answer, workflow_says, shell_says) in cases {
        let server = dispatch_api(vec![answer]).await;
        let r = run(&actions_env(&server.uri()), &[]).await;
        assert_eq!(r.code, 1, "{r:?}");
        let said = printed(&r);
        assert!(said.contains(workflow_says), "{said}");
        assert!(!said.contains(shell_says), "{said}");

        let env = [("GH_TOKEN".to_owned(), TOKEN.to_owned())];
        let args = [
            "-r",
            "octo/deploy",
            "-e",
            "x",
            "--api-url",
            &server.uri(),
            "--check-receiver",
            "off",
        ];
        let r = run(&env, &args).await;
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.contains(shell_says), "{}", r.stderr);
        assert!(!r.stderr.contains(workflow_says), "{}", r.stderr);
        for word in WORKFLOW_WORDS {
            assert!(!r.stderr.contains(word), "says {word}: {}", r.stderr);
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}
