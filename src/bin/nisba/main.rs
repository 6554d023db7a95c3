//! The `nisba` command line (minimal placeholder wiring the gazetteer commands; the lead's CLI replaces
//! it).

use clap::{Parser, Subcommand};

mod gazetteer_cmd;

#[derive(Parser)]
#[command(name = "nisba", version, about = "Arabic-origin name resolution")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a gazetteer file from sources.
    Build(Box<gazetteer_cmd::BuildArgs>),
    /// Describe a gazetteer file.
    Inspect(gazetteer_cmd::InspectArgs),
    /// Check every checksum and record of a gazetteer file (exit code 0/1).
    Verify(gazetteer_cmd::VerifyArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => gazetteer_cmd::run_build(args).map(|()| true),
        Command::Inspect(args) => gazetteer_cmd::run_inspect(args).map(|()| true),
        Command::Verify(args) => gazetteer_cmd::run_verify(args),
    };
    match result {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("nisba: {e}");
            std::process::exit(2);
        }
    }
}
