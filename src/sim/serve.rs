use crate::cli::args::ServeArgs;

pub fn run(_args: ServeArgs) -> i32 {
    eprintln!("the simulator is not available yet");
    2
}
