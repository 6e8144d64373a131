//! Read-only for the write commands: `--read-only`, and the config file's `read_only` (global or the
//! account's, `true` or `"until-armed"`), refuse `create`, `reset` and `delete` with exit 13 and send
//! no write; where no account could allow it, not even the account is asked for.

use super::harness::{Served, serve};

/// A config file with `text`, kept while the test runs.
fn config(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

fn writes(sim: &Served) -> Vec<String> {
    sim.api_requests()
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect()
}

fn every_write(sim: &Served, extra: &[&str]) -> Vec<super::harness::Run> {
    let permission = format!("account:{}:viewer", sim.account);
    let commands: [Vec<&str>; 3] = [
        vec![
            "create",
            "--name",
            "x",
            "--permission",
            &permission,
            "-o",
            "json",
        ],
        vec!["reset", "2490101", "--yes", "-o", "json"],
        vec!["delete", "2490101", "--yes"],
    ];
    commands
        .iter()
        .map(|args| {
            let mut args = args.clone();
            args.extend_from_slice(extra);
            sim.run(&args)
        })
        .collect()
}

#[test]
fn read_only_refuses_every_write_with_exit_13_before_any_request() {
    let sim = serve();
    for run in every_write(&sim, &["--read-only"]) {
        assert_eq!(run.code, 13, "{run:?}");
        assert!(run.stderr.contains("refused: --read-only"), "{run:?}");
        assert!(run.stderr.contains("nothing was sent"), "{run:?}");
        assert_eq!(run.stdout, "", "{run:?}");
    }
    assert_eq!(sim.api_requests(), Vec::<String>::new(), "not even a read");
    // Reads still work.
    assert_eq!(sim.run(&["list", "--read-only"]).code, 0);
}

#[test]
fn the_config_files_read_only_refuses_and_an_account_of_its_own_may_allow() {
    let sim = serve();
    let file = config("read_only = true\n");
    let path = file.path().to_str().unwrap();
    for run in every_write(&sim, &["--config", path]) {
        assert_eq!(run.code, 13, "{run:?}");
        assert!(
            run.stderr.contains("the config file's read_only is true"),
            "{run:?}"
        );
    }
    assert_eq!(sim.api_requests(), Vec::<String>::new());

    let own = config(&format!(
        "read_only = true\n[accounts.{}]\nread_only = false\n",
        sim.account
    ));
    let run = sim.run(&[
        "delete",
        "2490101",
        "--yes",
        "--config",
        own.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(writes(&sim).len(), 1, "{:?}", sim.api_requests());

    let only_this = config(&format!("[accounts.{}]\nread_only = true\n", sim.account));
    let run = sim.run(&[
        "delete",
        "2490102",
        "--yes",
        "--config",
        only_this.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 13, "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("[accounts.{}] read_only", sim.account)),
        "{run:?}"
    );
    assert_eq!(writes(&sim).len(), 1, "still the one delete");
}

#[test]
fn until_armed_needs_arm_and_a_setting_not_understood_reads_as_read_only() {
    let sim = serve();
    let armed = config("read_only = \"until-armed\"\n");
    let path = armed.path().to_str().unwrap();
    let run = sim.run(&["delete", "2490101", "--yes", "--config", path]);
    assert_eq!(run.code, 13, "{run:?}");
    assert!(run.stderr.contains("pass --arm"), "{run:?}");
    assert_eq!(writes(&sim), Vec::<String>::new());
    let run = sim.run(&["delete", "2490101", "--yes", "--arm", "--config", path]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(writes(&sim).len(), 1);

    let garbled = config("read_only = \"maybe\"\n");
    let run = sim.run(&[
        "delete",
        "2490102",
        "--yes",
        "--config",
        garbled.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 13, "{run:?}");
    assert_eq!(writes(&sim).len(), 1, "the garbled setting sent nothing");
}
