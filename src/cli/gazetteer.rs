//! `nisba build`, `nisba inspect` and `nisba verify`: build a gazetteer file from sources, describe one,
//! check one. Progress and summaries go to stderr; `inspect --json` writes JSON to stdout.

use std::path::PathBuf;
use std::time::Instant;

use crate::gazetteer::sources::{
    self, csv::CsvOptions, wikidata::WikidataOptions, SourceFormat, SourceOptions,
};
use crate::gazetteer::{Gazetteer, GazetteerBuilder, Kind};
use crate::Error;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

fn parse_format(s: &str) -> Result<SourceFormat, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

/// Arguments of `nisba build`.
#[derive(clap::Args, Debug, Clone)]
pub struct BuildArgs {
    /// Source format of the input files: jsonl, csv, tsv, wikidata, geonames, ftm.
    #[arg(long = "from", value_parser = parse_format)]
    pub from: SourceFormat,
    /// Input files (`.gz` and `.bz2` are decompressed while streaming).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The gazetteer file to write (atomically: temp file, fsync, rename).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Skip and count invalid records instead of stopping at the first.
    #[arg(long)]
    pub skip_invalid: bool,
    /// CSV/TSV: id column.
    #[arg(long, default_value = "id")]
    pub id_column: String,
    /// CSV/TSV: name column.
    #[arg(long, default_value = "name")]
    pub name_column: String,
    /// CSV/TSV: kind column.
    #[arg(long, default_value = "kind")]
    pub kind_column: String,
    /// CSV/TSV: aliases column (values separated by `|`).
    #[arg(long, default_value = "aliases")]
    pub aliases_column: String,
    /// CSV/TSV: weak aliases column (values separated by `|`).
    #[arg(long, default_value = "weak_aliases")]
    pub weak_aliases_column: String,
    /// CSV/TSV: countries column (values separated by `|`).
    #[arg(long, default_value = "countries")]
    pub countries_column: String,
    /// CSV/TSV: description column.
    #[arg(long, default_value = "description")]
    pub description_column: String,
    /// CSV/TSV: prior column.
    #[arg(long, default_value = "prior")]
    pub prior_column: String,
    /// CSV/TSV: kind of rows without one (PER, ORG, LOC, NAME, OTHER).
    #[arg(long, value_parser = parse_kind)]
    pub default_kind: Option<Kind>,
    /// Wikidata: label languages, in order of preference.
    #[arg(long, value_delimiter = ',', default_value = "en,ar,fr,fa,ur,tr,de,es")]
    pub languages: Vec<String>,
    /// Build time written into the metadata (seconds since the epoch; default SOURCE_DATE_EPOCH or now).
    #[arg(long)]
    pub build_time: Option<u64>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl BuildArgs {
    fn source_options(&self) -> SourceOptions {
        SourceOptions {
            csv: CsvOptions {
                id: self.id_column.clone(),
                name: self.name_column.clone(),
                kind: self.kind_column.clone(),
                aliases: self.aliases_column.clone(),
                weak_aliases: self.weak_aliases_column.clone(),
                countries: self.countries_column.clone(),
                description: self.description_column.clone(),
                prior: self.prior_column.clone(),
                default_kind: self.default_kind,
                ..CsvOptions::default()
            },
            wikidata: WikidataOptions {
                languages: self.languages.clone(),
            },
        }
    }
}

/// Runs `nisba build`: reads every file, builds, writes, prints a summary on stderr.
pub fn run_build(args: &BuildArgs) -> Result<(), Error> {
    let start = Instant::now();
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {pos} records {per_sec} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut builder = GazetteerBuilder::new();
    builder.skip_invalid(args.skip_invalid);
    if let Some(t) = args.build_time {
        builder.build_time(t);
    }
    let options = args.source_options();
    for file in &args.files {
        let label = file.display().to_string();
        bar.set_message(label.clone());
        builder.add_source(
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| label.clone()),
        );
        let entities = sources::open(args.from, file, &options)?;
        builder.add_all(&label, entities.inspect(|_| bar.inc(1)))?;
    }
    bar.set_message("compiling indexes");
    builder.write(&args.output)?;
    bar.finish_and_clear();
    let stats = builder.stats();
    let gz = Gazetteer::open(&args.output)?;
    let m = gz.metadata();
    eprintln!(
        "wrote {} in {:.2?}: {} entities ({}), {} name forms, {} bytes ({:.1} bytes per name form, \
         {:.1} for the maps); {} records read, {} merged, {} empty names and {} invalid records skipped; \
         builder memory ≈ {} MB",
        args.output.display(),
        start.elapsed(),
        m.entities,
        counts(m),
        m.name_forms,
        gz.as_bytes().len(),
        m.file_bytes_per_name_form(),
        m.map_bytes_per_name_form(),
        stats.records,
        stats.merged,
        stats.skipped_empty_names,
        stats.skipped_invalid,
        stats.approx_memory_bytes / 1_000_000,
    );
    Ok(())
}

fn counts(m: &crate::Metadata) -> String {
    m.counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Arguments of `nisba inspect`.
#[derive(clap::Args, Debug, Clone)]
pub struct InspectArgs {
    /// The gazetteer file.
    pub file: PathBuf,
    /// Print the metadata as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Runs `nisba inspect`: header, sources, counts by kind, section sizes, bytes per name form.
pub fn run_inspect(args: &InspectArgs) -> Result<(), Error> {
    let gz = Gazetteer::open(&args.file)?;
    let m = gz.metadata();
    if args.json {
        let mut value = serde_json::to_value(m).map_err(|e| Error::invalid_input(e.to_string()))?;
        value["path"] = serde_json::Value::from(args.file.display().to_string());
        value["file_bytes"] = serde_json::Value::from(gz.as_bytes().len());
        value["map_bytes_per_name_form"] = serde_json::Value::from(m.map_bytes_per_name_form());
        value["file_bytes_per_name_form"] = serde_json::Value::from(m.file_bytes_per_name_form());
        println!("{value}");
        return Ok(());
    }
    println!("file             {}", args.file.display());
    println!(
        "format           {} (key {}, normalizer {}, options {:#x})",
        m.format_version, m.key_version, m.normalizer_version, m.normalize_bits
    );
    println!(
        "built by         nisba {} at {} (unix seconds)",
        m.nisba_version, m.build_time
    );
    println!("sources          {}", m.sources.join(", "));
    println!("entities         {} ({})", m.entities, counts(m));
    println!("name forms       {}", m.name_forms);
    for (index, n) in &m.distinct_keys {
        println!("  {index:<14} {n} distinct keys");
    }
    println!(
        "skipped          {} empty names, {} invalid records",
        m.skipped_empty_names, m.skipped_invalid
    );
    println!("sections");
    for s in &m.sections {
        println!(
            "  {:<14} {:>12} bytes at {:>12}  crc32 {:08x}",
            s.name, s.len, s.offset, s.crc32
        );
    }
    println!(
        "size             {} bytes; {:.1} bytes per name form ({:.1} for the name maps)",
        gz.as_bytes().len(),
        m.file_bytes_per_name_form(),
        m.map_bytes_per_name_form()
    );
    Ok(())
}

/// Arguments of `nisba verify`.
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// The gazetteer file.
    pub file: PathBuf,
}

/// Runs `nisba verify`: `Ok(true)` when every checksum and record is sound (exit 0), `Ok(false)` with the
/// problem on stderr when the file is not a valid gazetteer (exit 1), `Err` for I/O errors.
pub fn run_verify(args: &VerifyArgs) -> Result<bool, Error> {
    let checked = Gazetteer::open(&args.file).and_then(|gz| gz.verify().map(|()| gz.len()));
    match checked {
        Ok(n) => {
            eprintln!("{}: ok ({n} entities)", args.file.display());
            Ok(true)
        }
        Err(e) if e.is_input_error() => {
            eprintln!("{}: {e}", args.file.display());
            Ok(false)
        }
        Err(e) => Err(e),
    }
}
