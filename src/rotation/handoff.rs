//! Handing a new secret to where it is used: the `[[handoff]]` targets a token goes to, their command
//! lines with the placeholders filled in, and running one. The secret goes to the command's standard
//! input and nowhere else: not its arguments, not its environment (from which the console's own token is
//! removed too). Only an exit status of 0 counts as the secret kept.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::api::{AccountId, Secret, TokenId};
use crate::config::HandoffTarget;
use crate::text::SafeText;

use super::places::Place;

/// What the placeholders stand for.
#[derive(Clone, Copy, Debug)]
pub struct Vars<'a> {
    pub name: &'a str,
    pub id: TokenId,
    pub account: AccountId,
}

/// `*` stands for any run of characters (none included); the rest is compared as written.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    if parts.len() == 1 {
        return pattern == text;
    }
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The targets a token goes to: those whose `tokens` pattern matches its name or whose places it lists.
/// A target that names neither is for every token.
pub fn matching_targets<'t>(
    targets: &'t [HandoffTarget],
    name: &str,
    places: &[Place],
) -> Vec<&'t HandoffTarget> {
    targets
        .iter()
        .filter(|t| {
            let by_name = t.tokens.as_deref().map(|p| glob_matches(p, name));
            let by_place =
                (!t.places.is_empty()).then(|| places.iter().any(|p| t.places.contains(&p.place)));
            match (by_name, by_place) {
                (None, None) => true,
                (a, b) => a.unwrap_or(false) || b.unwrap_or(false),
            }
        })
        .collect()
}

/// One run of a target's command, and the token's places it updates when it succeeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffRun {
    pub target: String,
    pub argv: Vec<String>,
    pub places: Vec<String>,
    pub timeout: Duration,
}

fn fill(arg: &str, vars: &Vars<'_>, place: &str) -> String {
    arg.replace("{name}", vars.name)
        .replace("{id}", &vars.id.to_string())
        .replace("{account}", &vars.account.to_string())
        .replace("{place}", place)
}

/// The runs of `target` for a token: one per place it serves when its command names `{place}`, else
/// one. The places it serves are the token's places the target lists (all of the token's places when
/// the target lists none and names `{place}`).
pub fn runs_for(target: &HandoffTarget, vars: &Vars<'_>, places: &[Place]) -> Vec<HandoffRun> {
    let timeout = Duration::from_secs(target.timeout);
    let served: Vec<String> = places
        .iter()
        .map(|p| p.place.clone())
        .filter(|p| target.places.is_empty() || target.places.contains(p))
        .collect();
    let per_place = target.command.iter().any(|a| a.contains("{place}"));
    if per_place && !served.is_empty() {
        return served
            .into_iter()
            .map(|place| HandoffRun {
                target: target.name.clone(),
                argv: target
                    .command
                    .iter()
                    .map(|a| fill(a, vars, &place))
                    .collect(),
                places: vec![place],
                timeout,
            })
            .collect();
    }
    let places = if target.places.is_empty() {
        Vec::new()
    } else {
        served
    };
    vec![HandoffRun {
        target: target.name.clone(),
        argv: target.command.iter().map(|a| fill(a, vars, "")).collect(),
        places,
        timeout,
    }]
}

/// The lines of a command's standard error shown with its result.
pub const STDERR_LINES: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoffOutcome {
    /// Exit status 0: the secret is where the command put it.
    Done {
        stderr: Vec<SafeText>,
    },
    Failed {
        status: String,
        stderr: Vec<SafeText>,
    },
    TimedOut {
        after: Duration,
    },
    CouldNotStart(SafeText),
}

impl HandoffOutcome {
    pub fn succeeded(&self) -> bool {
        matches!(self, HandoffOutcome::Done { .. })
    }

    /// One line for the dialog or stderr: `vault: done`, `vault: exit status 2: permission denied`.
    pub fn describe(&self, target: &str) -> SafeText {
        let mut text = SafeText::new(target);
        let rest = match self {
            HandoffOutcome::Done { .. } => SafeText::literal(": done"),
            HandoffOutcome::Failed { status, stderr } => {
                let mut t = SafeText::from(format!(": {status}"));
                if let Some(first) = stderr.first() {
                    t.push(&first.after(": "));
                }
                t
            }
            HandoffOutcome::TimedOut { after } => SafeText::from(format!(
                ": stopped after {} s without finishing",
                after.as_secs()
            )),
            HandoffOutcome::CouldNotStart(why) => why.after(": could not start: "),
        };
        text.push(&rest);
        text
    }
}

/// The first `STDERR_LINES` non-empty lines, made safe.
fn head(stderr: &[u8]) -> Vec<SafeText> {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(STDERR_LINES)
        .map(SafeText::new)
        .collect()
}

/// Runs one command with the secret on its standard input, stopping it at its time-out.
pub async fn run(run: &HandoffRun, secret: &Secret) -> HandoffOutcome {
    let Some((program, args)) = run.argv.split_first() else {
        return HandoffOutcome::CouldNotStart(SafeText::literal("an empty command"));
    };
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .env_remove("MAILTRAP_API_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return HandoffOutcome::CouldNotStart(SafeText::from(e.to_string())),
    };
    let stdin = child.stdin.take();
    let stderr = child.stderr.take();
    let finished = async {
        if let Some(mut stdin) = stdin {
            // A command that exits without reading its input is judged by its exit status alone.
            let _ = stdin.write_all(secret.expose_secret().as_bytes()).await;
            let _ = stdin.write_all(b"\n").await;
            drop(stdin);
        }
        let mut text = Vec::new();
        if let Some(stderr) = stderr {
            // A little is enough to show; the rest is read and dropped so the command never blocks on it.
            let mut limited = stderr.take(64 * 1024);
            let _ = limited.read_to_end(&mut text).await;
        }
        let status = child.wait().await;
        (status, text)
    };
    match tokio::time::timeout(run.timeout, finished).await {
        Ok((Ok(status), text)) if status.success() => HandoffOutcome::Done {
            stderr: head(&text),
        },
        Ok((Ok(status), text)) => HandoffOutcome::Failed {
            status: status.to_string(),
            stderr: head(&text),
        },
        Ok((Err(e), _)) => HandoffOutcome::CouldNotStart(SafeText::from(e.to_string())),
        // The child is killed as the future that owns it is dropped (`kill_on_drop`).
        Err(_) => HandoffOutcome::TimedOut { after: run.timeout },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(
        name: &str,
        command: &[&str],
        tokens: Option<&str>,
        places: &[&str],
    ) -> HandoffTarget {
        HandoffTarget {
            name: name.into(),
            command: command.iter().map(|s| s.to_string()).collect(),
            timeout: 5,
            tokens: tokens.map(str::to_string),
            places: places.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn place(p: &str) -> Place {
        Place {
            place: p.into(),
            done: false,
        }
    }

    /// The fake command of `tests/handoff`, recording into `dir`.
    fn fake(mode: &str, dir: &std::path::Path, timeout: u64) -> HandoffRun {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/handoff/fake-handoff.sh");
        HandoffRun {
            target: "fake".into(),
            argv: vec![
                "sh".into(),
                "-c".into(),
                format!(
                    "FAKE_HANDOFF_DIR='{}' exec sh '{script}' \"$@\"",
                    dir.display()
                ),
                "fake-handoff".into(),
                mode.into(),
                "ci deploy".into(),
            ],
            places: vec![],
            timeout: Duration::from_secs(timeout),
        }
    }

    fn recorded(dir: &std::path::Path, what: &str) -> String {
        std::fs::read_to_string(dir.join(format!("call-1.{what}"))).unwrap_or_default()
    }

    #[tokio::test]
    async fn the_secret_reaches_the_command_on_its_standard_input_and_nowhere_else() {
        let dir = tempfile::tempdir().unwrap();
        let secret = Secret::new("a1b2c3d4e5f6-the-new-secret".into());
        let outcome = run(&fake("ok", dir.path(), 10), &secret).await;
        assert!(outcome.succeeded(), "{outcome:?}");
        assert_eq!(
            recorded(dir.path(), "stdin"),
            "a1b2c3d4e5f6-the-new-secret\n"
        );
        assert!(!recorded(dir.path(), "argv").contains("the-new-secret"));
        assert!(recorded(dir.path(), "argv").contains("ci deploy"));
        let env = recorded(dir.path(), "env");
        assert!(!env.is_empty());
        assert!(!env.contains("the-new-secret"));
        assert!(
            !env.contains("MAILTRAP_API_TOKEN="),
            "the console's own token stays out too"
        );
    }

    #[tokio::test]
    async fn a_failing_command_says_why_and_a_hanging_one_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let secret = Secret::new("s3cr3t".into());
        let outcome = run(&fake("fail", dir.path(), 10), &secret).await;
        assert!(!outcome.succeeded());
        let line = outcome.describe("vault").into_string();
        assert!(
            line.contains("exit status: 3") && line.contains("permission denied"),
            "{line}"
        );
        let dir = tempfile::tempdir().unwrap();
        let start = std::time::Instant::now();
        let outcome = run(&fake("hang", dir.path(), 1), &secret).await;
        assert_eq!(
            outcome,
            HandoffOutcome::TimedOut {
                after: Duration::from_secs(1)
            }
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "stopped at its time-out"
        );
        let outcome = run(
            &HandoffRun {
                argv: vec!["/nonexistent/handoff".into()],
                ..fake("ok", dir.path(), 1)
            },
            &secret,
        )
        .await;
        assert!(
            matches!(outcome, HandoffOutcome::CouldNotStart(_)),
            "{outcome:?}"
        );
    }

    #[test]
    fn patterns_match_as_globs() {
        assert!(glob_matches("ci-*", "ci-deploy"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("*deploy*", "ci deploy bot"));
        assert!(glob_matches("a*b*c", "a-b-c"));
        assert!(!glob_matches("a*b*c", "a-c-b"));
        assert!(!glob_matches("ci-*", "my ci-deploy"));
        assert!(glob_matches("exact", "exact"));
        assert!(
            !glob_matches("ab*ba", "aba"),
            "the two ends may not overlap"
        );
    }

    #[test]
    fn targets_go_by_name_pattern_or_by_place_or_to_every_token() {
        let targets = [
            target("vault", &["vault"], Some("ci-*"), &[]),
            target("k8s", &["kubectl"], None, &["k8s prod"]),
            target("all", &["cat"], None, &[]),
        ];
        let names = |name: &str, places: &[Place]| -> Vec<String> {
            matching_targets(&targets, name, places)
                .into_iter()
                .map(|t| t.name.clone())
                .collect()
        };
        assert_eq!(names("ci-deploy", &[]), ["vault", "all"]);
        assert_eq!(names("web", &[place("k8s prod")]), ["k8s", "all"]);
        assert_eq!(names("web", &[place("elsewhere")]), ["all"]);
    }

    #[test]
    fn placeholders_are_filled_and_a_place_placeholder_runs_once_per_place() {
        let vars = Vars {
            name: "ci deploy",
            id: 42,
            account: 7,
        };
        let t = target(
            "gh",
            &["gh", "secret", "set", "{name}", "--repo", "{place}"],
            None,
            &[],
        );
        let runs = runs_for(&t, &vars, &[place("acme/web"), place("acme/api")]);
        assert_eq!(runs.len(), 2);
        assert_eq!(
            runs[0].argv,
            ["gh", "secret", "set", "ci deploy", "--repo", "acme/web"]
        );
        assert_eq!(runs[1].places, ["acme/api"]);
        let t = target(
            "file",
            &["sh", "-c", "cat > /tmp/{account}-{id}"],
            None,
            &["disk"],
        );
        let runs = runs_for(&t, &vars, &[place("disk"), place("other")]);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].argv[2], "cat > /tmp/7-42");
        assert_eq!(runs[0].places, ["disk"], "it ticks the places it lists");
    }
}
