use mailtrap_tokens::cli;

fn main() {
    let cli = cli::args::parse();
    std::process::exit(cli::dispatch(cli));
}
