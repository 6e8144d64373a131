//! `--dump-screen COLSxROWS --view VIEW`: a picture of any view, from the built binary against `serve`.

use super::harness::serve;

#[test]
fn every_view_can_be_dumped() {
    let served = serve();
    for (view, needles) in [
        ("tokens", &["│ Tokens │", "Tokens ("][..]),
        (
            "domains",
            &["│ Domains │", "Domains (", "account-wide access"][..],
        ),
        (
            "timeline",
            &["│ Timeline │", "next 12 weeks", "Day (UTC)"][..],
        ),
        ("findings", &["│ Findings │", "Findings (", "✖ danger"][..]),
        (
            "details",
            &["Tokens + details", "Details", "Permissions"][..],
        ),
    ] {
        let run = served.run(&["--dump-screen", "120x40", "--view", view]);
        assert_eq!(run.code, 0, "{view}: {}", run.stderr);
        for needle in needles {
            assert!(
                run.stdout.contains(needle),
                "{view}: {needle}\n{}",
                run.stdout
            );
        }
        assert!(!run.stdout.contains('\x1b'), "plain text");
    }
}

#[test]
fn an_unknown_view_is_refused_with_the_names_of_the_views() {
    let served = serve();
    let run = served.run(&["--dump-screen", "80x24", "--view", "domians"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown view \"domians\"")
            && run
                .stderr
                .contains("tokens, domains, timeline, findings and details"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    assert_eq!(
        served.api_requests(),
        Vec::<String>::new(),
        "nothing was asked"
    );
}

#[test]
fn a_dump_neither_reads_nor_moves_the_drift_baseline() {
    let served = serve();
    assert_eq!(served.run(&["drift"]).code, 0, "the first run records");
    let snapshot = served
        .home
        .path()
        .join("state")
        .join("snapshots")
        .join(format!("{}.json", served.account));
    let recorded = std::fs::read(&snapshot).expect("drift kept a snapshot");
    served.create_token("made after the last look");
    let run = served.run(&["--dump-screen", "120x40"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stdout.contains("what changed"),
        "no banner from a dump:\n{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read(&snapshot).unwrap(),
        recorded,
        "the dump left the snapshot as it was"
    );
    // So the next look still sees what changed.
    assert_eq!(served.run(&["drift"]).code, 12);
}
