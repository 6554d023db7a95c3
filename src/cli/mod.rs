//! The `nisba` command line (feature `cli`): one implementation behind both the cargo binary and the
//! Python console script.

use std::io::{self, BufRead, BufWriter, Write};

use clap::{Parser, Subcommand, ValueEnum};

mod gazetteer;

const EXAMPLES: &str = "\
Examples:
  nisba normalize 'إِرْبِيل' 'Muṣṭafá al-Kāẓimī'
  echo 'وللكاظمي met al-Sadr' | nisba tokenize --format jsonl
";

/// Resolve the many spellings of Arabic-origin names and find them in text.
#[derive(Parser, Debug)]
#[command(name = "nisba", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Normalise names or text (Unicode, case, diacritics, Arabic orthography, digits).
    #[command(
        after_help = "Reads the arguments, or standard input line by line when none are given.\n\n\
        Example:\n  nisba normalize 'إِرْبِيل'   # prints اربيل"
    )]
    Normalize(TextArgs),
    /// Split text into words with byte spans, Latin articles and Arabic clitic stems.
    #[command(after_help = "Example:\n  nisba tokenize --format jsonl 'بالعراق وللكاظمي'")]
    Tokenize(TextArgs),
    /// Build a gazetteer file from sources (jsonl, csv, tsv, wikidata, geonames, ftm).
    Build(Box<gazetteer::BuildArgs>),
    /// Describe a gazetteer file: header, sources, counts by kind, section sizes.
    Inspect(gazetteer::InspectArgs),
    /// Check every checksum and record of a gazetteer file (exit code 0 valid, 1 not).
    Verify(gazetteer::VerifyArgs),
}

/// Input and output options shared by the text commands.
#[derive(clap::Args, Debug)]
struct TextArgs {
    /// Texts to process; standard input (one text per line) when none are given.
    texts: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable text.
    Text,
    /// One JSON object per line.
    Jsonl,
}

/// Runs the CLI with `argv` (program name first) and returns the process exit code.
pub fn run(argv: Vec<String>) -> i32 {
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &cli.command {
        Command::Normalize(args) => for_each_text(args, |text| normalize_cmd(&mut out, args, text)),
        Command::Tokenize(args) => for_each_text(args, |text| tokenize_cmd(&mut out, args, text)),
        Command::Build(args) => gazetteer::run_build(args),
        Command::Inspect(args) => gazetteer::run_inspect(args),
        Command::Verify(args) => match gazetteer::run_verify(args) {
            Ok(true) => Ok(()),
            Ok(false) => return 1,
            Err(e) => Err(e),
        },
    }
    .and_then(|()| out.flush().map_err(crate::Error::from));
    match result {
        Ok(()) => 0,
        // A closed pipe (`nisba … | head`) is a normal way to stop.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("nisba: {e}");
            1
        }
    }
}

fn is_broken_pipe(e: &crate::Error) -> bool {
    matches!(e.kind(), crate::ErrorKind::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

fn for_each_text(
    args: &TextArgs,
    mut f: impl FnMut(&str) -> crate::Result<()>,
) -> crate::Result<()> {
    if !args.texts.is_empty() {
        for t in &args.texts {
            f(t)?;
        }
        return Ok(());
    }
    let stdin = io::stdin();
    for line in stdin.lock().lines() {
        f(&line?)?;
    }
    Ok(())
}

fn normalize_cmd(out: &mut impl Write, args: &TextArgs, text: &str) -> crate::Result<()> {
    let norm = crate::normalize(text);
    match args.format {
        Format::Text => writeln!(out, "{norm}")?,
        Format::Jsonl => {
            let row = serde_json::json!({"text": text, "normalized": norm});
            writeln!(out, "{row}")?;
        }
    }
    Ok(())
}

fn tokenize_cmd(out: &mut impl Write, args: &TextArgs, text: &str) -> crate::Result<()> {
    let tokens = crate::tokenize(text);
    match args.format {
        Format::Text => {
            let words: Vec<String> = tokens
                .iter()
                .map(|t| format!("{}[{}..{}]", t.norm, t.span.start, t.span.end))
                .collect();
            writeln!(out, "{}", words.join(" "))?;
        }
        Format::Jsonl => {
            for t in &tokens {
                let stems: Vec<_> = t
                    .stems
                    .iter()
                    .map(|s| serde_json::json!({"start": s.span.start, "end": s.span.end, "norm": s.norm, "proclitics": s.proclitics}))
                    .collect();
                let row = serde_json::json!({
                    "start": t.span.start, "end": t.span.end, "text": t.surface(text), "norm": t.norm,
                    "script": t.script.as_str(), "capitalized": t.capitalized, "all_caps": t.all_caps,
                    "article": t.article, "possessive": t.possessive, "stems": stems,
                });
                writeln!(out, "{row}")?;
            }
        }
    }
    Ok(())
}
