use mailtrap_tokens::{app, cli};

fn main() {
    app::memory::keep_thresholds();
    let cli = cli::args::parse();
    std::process::exit(cli::dispatch(cli));
}
