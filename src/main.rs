use clap::Parser;
use mailtrap_tokens::cli::{self, args::Cli};

fn main() {
    let cli = Cli::parse();
    std::process::exit(cli::dispatch(cli));
}
