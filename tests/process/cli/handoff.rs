//! `reset ID --yes --handoff NAME` and `create … --handoff NAME` against `serve`, with the fake hand-off
//! command of `tests/handoff` recording what it got: the secret arrives on its standard input exactly
//! (it authenticates), it is in neither the arguments nor the environment nor stdout, a failing or hanging
//! command leaves the secret in a 0600 file with exit 11, and the places list follows the reset.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::harness::{Run, Served, serve};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/handoff/fake-handoff.sh");

/// A home with a config file of `[[handoff]]` tables for the fake command, and the directory it records in.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(modes: &[(&str, &str, u64)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("calls")).unwrap();
        let mut config = String::new();
        for (name, mode, timeout) in modes {
            config.push_str(&format!(
                "[[handoff]]\nname = \"{name}\"\ncommand = [\"sh\", \"{SCRIPT}\", \"{mode}\", \"{{name}}\", \"{{id}}\", \"{{account}}\"]\ntimeout = {timeout}\nplaces = [\"vault prod\"]\n\n"
            ));
        }
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        Self { dir }
    }

    fn run(&self, served: &Served, args: &[&str]) -> Run {
        let config = self.dir.path().join("config.toml");
        let mut full: Vec<&str> = args.to_vec();
        let config = config.to_str().unwrap().to_string();
        full.extend_from_slice(&["--config", &config]);
        served
            .command(&full)
            .env("MAILTRAP_TOKENS_HOME", self.dir.path())
            .env("FAKE_HANDOFF_DIR", self.dir.path().join("calls"))
            .output()
            .unwrap()
            .into()
    }

    fn call(&self, n: usize, what: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("calls/call-{n}.{what}")))
            .unwrap_or_else(|e| panic!("call {n} {what}: {e}"))
    }

    fn places_file(&self, account: &str) -> std::path::PathBuf {
        self.dir
            .path()
            .join("state/places")
            .join(format!("{account}.json"))
    }
}

/// The path the failure names on stderr, and the secret in it.
fn saved_secret(stderr: &str) -> (std::path::PathBuf, String) {
    let path = stderr
        .split("saved to ")
        .nth(1)
        .and_then(|rest| rest.split(" (readable only by you)").next())
        .unwrap_or_else(|| panic!("no path on stderr: {stderr}"));
    let path = Path::new(path).to_path_buf();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    let secret = std::fs::read_to_string(&path).unwrap();
    (path, secret.trim().to_string())
}

#[test]
fn a_reset_handed_off_sends_the_secret_on_stdin_only_and_prints_none() {
    let served = serve();
    let home = Home::new(&[("vault", "ok", 10)]);
    let id = served.create_token("handed off");
    // The token is used in two places; the hand-off updates one of them.
    let account = served_account(&served);
    let places = home.places_file(&account);
    std::fs::create_dir_all(places.parent().unwrap()).unwrap();
    std::fs::write(
        &places,
        format!(r#"{{"tokens":{{"{id}":[{{"place":"vault prod"}},{{"place":"k8s prod"}}]}}}}"#),
    )
    .unwrap();
    let run = home.run(
        &served,
        &["reset", &id.to_string(), "--yes", "--handoff", "vault"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout, "",
        "the secret goes to the hand-off, not to stdout"
    );
    assert!(
        run.stderr.contains("hand-off vault: done"),
        "{}",
        run.stderr
    );
    let secret = home.call(1, "stdin");
    let secret = secret.strip_suffix('\n').unwrap_or(&secret);
    assert_eq!(secret.len(), 32, "a whole secret");
    assert_eq!(
        served.get_status("/api/accounts", secret),
        200,
        "it is the new secret"
    );
    let argv = home.call(1, "argv");
    assert!(
        !argv.contains(secret) && argv.contains("handed off"),
        "{argv}"
    );
    assert!(argv.contains(&account), "{argv}");
    let env = home.call(1, "env");
    assert!(!env.contains(secret), "not in the environment");
    assert!(!run.stderr.contains(secret));
    // The places followed the new token, and the old one's checklist has the vault ticked.
    let book: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&places).unwrap()).unwrap();
    let old = &book["tokens"][id.to_string()];
    assert_eq!(old[0]["done"], true, "{book}");
    assert_eq!(old[1]["done"], false, "{book}");
    assert_eq!(
        book["tokens"].as_object().unwrap().len(),
        2,
        "the new token has them too: {book}"
    );
    let mode = std::fs::metadata(&places).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

fn served_account(served: &Served) -> String {
    let run = served.run(&["accounts", "--output", "json"]);
    let accounts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    accounts[0]["id"].to_string()
}

#[test]
fn a_failed_or_hanging_hand_off_keeps_the_secret_in_a_file_and_exits_11() {
    let served = serve();
    for (mode, timeout, says) in [
        ("fail", 10, "permission denied"),
        ("hang", 1, "stopped after 1 s"),
    ] {
        let home = Home::new(&[("vault", mode, timeout)]);
        let run = home.run(
            &served,
            &[
                "create",
                "--name",
                "ci bot",
                "--permission",
                &format!("account:{}:viewer", served_account(&served)),
                "--handoff",
                "vault",
            ],
        );
        assert_eq!(run.code, 11, "{mode}: {run:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains(says), "{mode}: {}", run.stderr);
        let (path, secret) = saved_secret(&run.stderr);
        assert!(
            path.starts_with(home.dir.path().join("state/secrets")),
            "{}",
            path.display()
        );
        assert_eq!(
            served.get_status("/api/accounts", &secret),
            200,
            "{mode}: the secret kept works"
        );
        let given = home.call(1, "stdin");
        assert_eq!(given.trim(), secret, "the command got the same secret");
    }
}

#[test]
fn an_unknown_hand_off_is_refused_before_anything_is_sent() {
    let served = serve();
    let home = Home::new(&[("vault", "ok", 10)]);
    let before = served.api_requests().len();
    let run = home.run(&served, &["reset", "1", "--yes", "--handoff", "valut"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("no hand-off is named \"valut\"") && run.stderr.contains("vault"),
        "{}",
        run.stderr
    );
    assert_eq!(served.api_requests().len(), before, "nothing was sent");
}
