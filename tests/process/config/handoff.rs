//! The `[[handoff]]` tables: read leniently, each mistake a warning and the others still kept; and the
//! README's examples read without a single warning.

use super::{parse, shown};

#[test]
fn targets_are_read_with_their_defaults() {
    let (config, warnings) = parse(
        "[[handoff]]\nname = \"vault\"\ncommand = [\"vault\", \"kv\", \"put\", \"secret/{name}\", \"token=-\"]\n\
         places = [\"vault prod\"]\n\n[[handoff]]\nname = \"gh\"\ncommand = [\"gh\", \"secret\", \"set\", \"X\", \"--repo\", \"{place}\"]\n\
         tokens = \"ci-*\"\ntimeout = 90\n",
    );
    assert!(warnings.is_empty(), "{}", shown(&warnings));
    assert_eq!(config.handoff.len(), 2);
    assert_eq!(
        config.handoff[0].timeout,
        mailtrap_tokens::config::DEFAULT_HANDOFF_SECS
    );
    assert_eq!(config.handoff[0].places, ["vault prod"]);
    assert_eq!(config.handoff[1].tokens.as_deref(), Some("ci-*"));
    assert_eq!(config.handoff[1].timeout, 90);
}

#[test]
fn a_broken_target_is_left_out_with_a_warning_and_the_others_kept() {
    let (config, warnings) = parse(
        "[[handoff]]\ncommand = [\"x\"]\n\n[[handoff]]\nname = \"empty\"\ncommand = []\n\n\
         [[handoff]]\nname = \"ok\"\ncommand = [\"cat\", \"{nmae}\"]\ntimeout = 0\ncolour = 1\n\n\
         [[handoff]]\nname = \"ok\"\ncommand = [\"cat\"]\n",
    );
    let text = shown(&warnings);
    assert!(text.contains("without a name is left out"), "{text}");
    assert!(text.contains("\"empty\" has no command"), "{text}");
    assert!(
        text.contains("{nmae}") && text.contains("not a placeholder"),
        "{text}"
    );
    assert!(text.contains("0 is not from 1 to 3600"), "{text}");
    assert!(
        text.contains("handoff.colour") && text.contains("unknown key"),
        "{text}"
    );
    assert!(text.contains("a second hand-off named \"ok\""), "{text}");
    assert_eq!(config.handoff.len(), 1, "{:?}", config.handoff);
    assert_eq!(config.handoff[0].command, ["cat", "{nmae}"]);
    let (config, warnings) = parse("handoff = \"vault\"\n");
    assert!(
        shown(&warnings).contains("[[handoff]] tables"),
        "{}",
        shown(&warnings)
    );
    assert!(config.handoff.is_empty());
}

#[test]
fn the_readme_examples_read_without_a_warning() {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("```toml\n[[handoff]]")
        .expect("the README shows [[handoff]] examples");
    let block = &readme[start + "```toml\n".len()..];
    let block = &block[..block.find("```").expect("the block ends")];
    let (config, warnings) = parse(block);
    assert!(warnings.is_empty(), "{}", shown(&warnings));
    let names: Vec<&str> = config.handoff.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["1password", "vault", "github", "k8s", "file"]);
}
