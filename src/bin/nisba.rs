//! The `nisba` command line; see `nisba --help`.

fn main() {
    std::process::exit(nisba::cli::run(std::env::args().collect()));
}
