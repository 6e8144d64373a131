//! The journal's cost: one append of a permission edit's "sent" line (serialised, the lock taken, the
//! last byte checked, one `write`, the lock let go) against the physical baseline, a bare `write` of the
//! same bytes to a file opened with `O_APPEND`.
//!
//! Run: `cargo bench --bench journal`; the medians are in `target/criterion/journal/*/new/estimates.json`.
//!
//! Each sample starts from an empty file (truncated outside the timed loop), so the file never grows past
//! one sample's lines.

use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};

use mailtrap_tokens::journal::{Action, Journal, Line, Note, Permission};

fn line() -> Line {
    let p = |t: &str, id, level| Permission {
        resource_type: t.into(),
        resource_id: id,
        access_level: level,
    };
    let note = Note::about(Action::EditPermissions, 2491002, "CI deploy bot", "e6ec")
        .with_permissions(
            vec![p("account", 1824170, 10), p("project", 2550469, 100)],
            vec![p("account", 1824170, 10), p("project", 2550469, 10)],
        );
    Line::Sent(note.sent(1824170, Utc::now()))
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("journal");
    group.measurement_time(Duration::from_secs(4));
    let line = line();
    let mut bytes = serde_json::to_vec(&line).expect("the line serialises");
    bytes.push(b'\n');
    eprintln!("journal: one line is {} bytes", bytes.len());

    let bare_path = dir.path().join("bare.jsonl");
    let mut bare = OpenOptions::new()
        .append(true)
        .create(true)
        .open(&bare_path)
        .expect("the bare file");
    group.bench_function("bare_write", |b| {
        b.iter_custom(|iters| {
            bare.set_len(0).expect("truncated");
            let start = Instant::now();
            for _ in 0..iters {
                bare.write_all(&bytes).expect("written");
            }
            start.elapsed()
        })
    });

    let journal = Journal::in_state_dir(&dir.path().join("state"));
    let appender = journal.open().expect("the journal opens");
    group.bench_function("append", |b| {
        b.iter_custom(|iters| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(journal.path())
                .and_then(|f| f.set_len(0))
                .expect("truncated");
            let start = Instant::now();
            for _ in 0..iters {
                appender.append(&line).expect("appended");
            }
            start.elapsed()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
