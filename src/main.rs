use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    modq::cli::run(modq::cli::Cli::parse())
}
