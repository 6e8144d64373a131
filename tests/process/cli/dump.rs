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
