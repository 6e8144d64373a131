//! The rate-limit goal: the client's limiter against the simulator on the real clock.
//!
//! Run: `cargo bench --bench ratelimit` (about a minute: two runs of 400 reads at 150 per 10 s).
//!
//! 1. One client, 8 concurrent tasks, 400 GETs: wall time and the 429s in the simulator's request log.
//! 2. The same, while a second client on the same token, with its own limiter (as a second process would have),
//!    reads as fast as its limiter lets it until the first is done. The two use different paths, so the
//!    request log says whose request each 429 answered. A monitor samples the first client's limiter to show
//!    that it pauses (backs off) rather than collecting 429s.
//! 3. The same, but the second client is a separate process: `mailtrap-tokens list --output json` run again and
//!    again (two loops at once) against the same simulator; the first client reads the resource tree, so the
//!    log's paths again say whose request each 429 answered.
//!
//! Not a criterion bench: it measures one long run against a wall clock, and prints its figures.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mailtrap_tokens::api::ratelimit::{LIMIT, RateLimiter, WINDOW};
use mailtrap_tokens::api::{ApiError, Client, RetryNotice};
use mailtrap_tokens::sim::{LoggedRequest, RunningSim, SimOptions};

const READS: usize = 400;
const TASKS: usize = 8;

/// What one client saw.
#[derive(Default)]
struct Tally {
    ok: AtomicUsize,
    failed: AtomicUsize,
    retries: AtomicUsize,
    retry_wait_ms: AtomicUsize,
}

impl Tally {
    fn observer(self: &Arc<Self>) -> impl Fn(&RetryNotice) + Send + Sync + 'static {
        let tally = self.clone();
        move |notice: &RetryNotice| {
            tally.retries.fetch_add(1, Ordering::Relaxed);
            tally
                .retry_wait_ms
                .fetch_add(notice.wait.as_millis() as usize, Ordering::Relaxed);
        }
    }

    fn record(&self, outcome: Result<(), ApiError>) {
        match outcome {
            Ok(()) => self.ok.fetch_add(1, Ordering::Relaxed),
            Err(_) => self.failed.fetch_add(1, Ordering::Relaxed),
        };
    }
}

/// A client with its own limiter at production's numbers, so each run starts from an empty window.
fn client(sim: &RunningSim, tally: &Arc<Tally>) -> Result<(Client, Arc<RateLimiter>), ApiError> {
    let limiter = Arc::new(RateLimiter::new(LIMIT, WINDOW));
    let api = Client::new(&sim.url(), sim.operator_token())?
        .with_rate_limiter(limiter.clone())
        .on_retry(tally.observer());
    Ok((api, limiter))
}

/// `TASKS` tasks share `READS` token listings; returns the wall time.
async fn first_client_reads(api: &Client, account: i64, tally: &Arc<Tally>) -> Duration {
    spread_reads(api, tally, move |api| async move {
        api.list_tokens(account).await.map(drop)
    })
    .await
}

/// `TASKS` tasks share `READS` calls of `read`, each result tallied; returns the wall time.
async fn spread_reads<F, Fut>(api: &Client, tally: &Arc<Tally>, read: F) -> Duration
where
    F: Fn(Client) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), ApiError>> + Send,
{
    let left = Arc::new(AtomicUsize::new(READS));
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (api, left, tally, read) = (api.clone(), left.clone(), tally.clone(), read.clone());
            tokio::spawn(async move {
                while left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    tally.record(read(api.clone()).await);
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    start.elapsed()
}

fn count(log: &[LoggedRequest], path_ends: &str, status: u16) -> usize {
    log.iter()
        .filter(|r| r.path.ends_with(path_ends) && r.status == status)
        .count()
}

async fn one_client() -> Result<(), String> {
    let sim = RunningSim::start(SimOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let tally = Arc::new(Tally::default());
    let (api, _) = client(&sim, &tally).map_err(|e| e.to_string())?;
    let wall = first_client_reads(&api, sim.account_id(), &tally).await;
    let log = sim.requests();
    println!(
        "== one client: {READS} GETs, {TASKS} concurrent tasks, limiter {LIMIT} per {WINDOW:?}"
    );
    println!("wall time          {:.2} s", wall.as_secs_f64());
    println!(
        "simulator log      {} requests, {} answered 200, {} answered 429",
        log.len(),
        count(&log, "", 200),
        count(&log, "", 429)
    );
    println!(
        "client             {} ok, {} failed, {} retries",
        tally.ok.load(Ordering::Relaxed),
        tally.failed.load(Ordering::Relaxed),
        tally.retries.load(Ordering::Relaxed)
    );
    sim.shutdown().await;
    Ok(())
}

async fn two_clients() -> Result<(), String> {
    let sim = RunningSim::start(SimOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let account = sim.account_id();
    let (first_tally, second_tally) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
    let (first, first_limiter) = client(&sim, &first_tally).map_err(|e| e.to_string())?;
    let (second, _) = client(&sim, &second_tally).map_err(|e| e.to_string())?;
    let done = Arc::new(AtomicBool::new(false));

    // The second client reads `/api/accounts`, the first the token list: the log tells them apart.
    let second_tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (api, done, tally) = (second.clone(), done.clone(), second_tally.clone());
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    tally.record(api.accounts().await.map(drop));
                }
            })
        })
        .collect();

    // Samples the first client's limiter: how long it held its requests back because of the server.
    let paused = {
        let (limiter, done) = (first_limiter.clone(), done.clone());
        tokio::spawn(async move {
            let (mut pauses, mut paused_ms, mut was_paused) = (0usize, 0u64, false);
            let tick = Duration::from_millis(20);
            while !done.load(Ordering::Relaxed) {
                let now_paused = limiter.paused_until().is_some();
                if now_paused {
                    paused_ms += tick.as_millis() as u64;
                    if !was_paused {
                        pauses += 1;
                    }
                }
                was_paused = now_paused;
                tokio::time::sleep(tick).await;
            }
            (pauses, paused_ms)
        })
    };

    let wall = first_client_reads(&first, account, &first_tally).await;
    done.store(true, Ordering::Relaxed);
    for task in second_tasks {
        let _ = task.await;
    }
    let (pauses, paused_ms) = paused.await.unwrap_or((0, 0));
    let log = sim.requests();
    println!();
    println!(
        "== two clients, same token, independent limiters: first does {READS} GETs of the token list, \
         second reads /api/accounts until the first is done ({TASKS} tasks each)"
    );
    println!("first: wall time   {:.2} s", wall.as_secs_f64());
    for (name, path, tally) in [
        ("first ", "/api_tokens", &first_tally),
        ("second", "/api/accounts", &second_tally),
    ] {
        println!(
            "{name}: log        {} answered 200, {} answered 429; client {} ok, {} failed, {} retries \
             ({:.1} s of retry waits)",
            count(&log, path, 200),
            count(&log, path, 429),
            tally.ok.load(Ordering::Relaxed),
            tally.failed.load(Ordering::Relaxed),
            tally.retries.load(Ordering::Relaxed),
            tally.retry_wait_ms.load(Ordering::Relaxed) as f64 / 1000.0
        );
    }
    println!(
        "first: backed off  its limiter paused {pauses} times, {:.1} s in all (sampled every 20 ms)",
        paused_ms as f64 / 1000.0
    );
    let total = log.len();
    let limited = count(&log, "", 429);
    println!(
        "all:               {total} requests, {limited} answered 429 ({:.1}%)",
        100.0 * limited as f64 / total.max(1) as f64
    );
    sim.shutdown().await;
    Ok(())
}

/// The first client reads the resource tree `READS` times while two loops run `list --output json` processes.
async fn client_and_processes() -> Result<(), String> {
    let sim = RunningSim::start(SimOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let account = sim.account_id();
    let tally = Arc::new(Tally::default());
    let (first, first_limiter) = client(&sim, &tally).map_err(|e| e.to_string())?;
    let done = Arc::new(AtomicBool::new(false));
    let runs = Arc::new(AtomicUsize::new(0));
    let failed_runs = Arc::new(AtomicUsize::new(0));
    let loops: Vec<_> = (0..2)
        .map(|_| {
            let (done, runs, failed_runs) = (done.clone(), runs.clone(), failed_runs.clone());
            let (url, token) = (sim.url(), sim.operator_token());
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    let status =
                        tokio::process::Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
                            .args(["list", "--output", "json"])
                            .env("MAILTRAP_API_URL", &url)
                            .env("MAILTRAP_API_TOKEN", token.expose_secret())
                            .env("MAILTRAP_ACCOUNT_ID", account.to_string())
                            .stdout(std::process::Stdio::null())
                            .stderr(std::process::Stdio::null())
                            .status()
                            .await;
                    runs.fetch_add(1, Ordering::Relaxed);
                    if !status.is_ok_and(|s| s.success()) {
                        failed_runs.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let monitor = {
        let (limiter, done) = (first_limiter.clone(), done.clone());
        tokio::spawn(async move {
            let mut paused_ms = 0u64;
            while !done.load(Ordering::Relaxed) {
                if limiter.paused_until().is_some() {
                    paused_ms += 20;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            paused_ms
        })
    };
    let wall = spread_reads(&first, &tally, move |api| async move {
        api.resource_tree(account).await.map(drop)
    })
    .await;
    done.store(true, Ordering::Relaxed);
    for task in loops {
        let _ = task.await;
    }
    let paused_ms = monitor.await.unwrap_or(0);
    let log = sim.requests();
    println!();
    println!(
        "== a client and a second process on the same token: first does {READS} GETs of the resource tree \
         ({TASKS} tasks), two loops run `list --output json` until it is done"
    );
    println!("first: wall time   {:.2} s", wall.as_secs_f64());
    println!(
        "first: log         {} answered 200, {} answered 429; client {} ok, {} failed, {} retries; \
         its limiter paused {:.1} s in all",
        count(&log, "/resources", 200),
        count(&log, "/resources", 429),
        tally.ok.load(Ordering::Relaxed),
        tally.failed.load(Ordering::Relaxed),
        tally.retries.load(Ordering::Relaxed),
        paused_ms as f64 / 1000.0
    );
    let process_ok = count(&log, "/api_tokens", 200) + count(&log, "/api/accounts", 200);
    let process_429 = count(&log, "/api_tokens", 429) + count(&log, "/api/accounts", 429);
    println!(
        "processes:         {} runs ({} failed); log {process_ok} answered 200, {process_429} answered 429",
        runs.load(Ordering::Relaxed),
        failed_runs.load(Ordering::Relaxed)
    );
    let total = log.len();
    let limited = count(&log, "", 429);
    println!(
        "all:               {total} requests, {limited} answered 429 ({:.1}%)",
        100.0 * limited as f64 / total.max(1) as f64
    );
    sim.shutdown().await;
    Ok(())
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that names neither run skips both.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let outcome = runtime.block_on(async {
        if wanted("ratelimit_one_client") {
            one_client().await?;
        }
        if wanted("ratelimit_two_clients") {
            two_clients().await?;
        }
        if wanted("ratelimit_client_and_processes") {
            client_and_processes().await?;
        }
        Ok::<(), String>(())
    });
    if let Err(e) = outcome {
        eprintln!("ratelimit bench: {e}");
        std::process::exit(1);
    }
}
