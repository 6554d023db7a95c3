//! The `nisba` command line (feature `cli`): one implementation behind both the cargo binary and the
//! Python console script.

use std::io::{self, BufRead, BufWriter, IsTerminal, Read, Write};

use clap::{Parser, Subcommand, ValueEnum};

mod gazetteer;

const EXAMPLES: &str = "\
Examples:
  echo 'Kadhimi met Qays al-Khazʿali in Erbil (أربيل).' | nisba link --format pretty
  nisba resolve 'Mostafa Kazemi' 'قيس الخزعلي'
  nisba compare 'Qais al-Khazali' 'Qays al-Khaz'\''ali'
  nisba translit --scheme ala-lc 'مصطفى الكاظمي'
  nisba variants --limit 10 'الكاظمي'
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
    /// Find mentions of known entities in text (stdin or files; plain text or JSONL) → JSONL mentions.
    Link(LinkArgs),
    /// Resolve names to ranked entities of the gazetteer → JSONL candidates.
    Resolve(ResolveArgs),
    /// Compare two names: a calibrated score and its explanation.
    Compare(CompareArgs),
    /// Transliterate Arabic script into a named scheme (ala-lc, din, buckwalter, simple, french).
    Translit(TranslitArgs),
    /// Plausible spellings of a name across conventions, with the rules behind each.
    Variants(VariantsArgs),
    /// Build a gazetteer file from sources (jsonl, csv, tsv, wikidata, geonames, ftm).
    Build(Box<gazetteer::BuildArgs>),
    /// Describe a gazetteer file: header, sources, counts by kind, section sizes.
    Inspect(gazetteer::InspectArgs),
    /// Check every checksum and record of a gazetteer file (exit code 0 valid, 1 not).
    Verify(gazetteer::VerifyArgs),
}

/// Options of `nisba link`.
#[derive(clap::Args, Debug)]
struct LinkArgs {
    /// Files to read (standard input when none). Plain text: each file is one document (names
    /// written in full earlier in it resolve later short mentions), with byte offsets into the file;
    /// `--lines` makes each line a document.
    files: Vec<std::path::PathBuf>,
    /// Plain text: each line is a document of its own (one post per line), with offsets into it.
    #[arg(long)]
    lines: bool,
    /// Read JSONL and link this field of each object.
    #[arg(long)]
    field: Option<String>,
    /// A gazetteer file (the embedded default when omitted).
    #[arg(long, short)]
    gazetteer: Option<std::path::PathBuf>,
    /// Drop mentions scoring below this.
    #[arg(long, default_value_t = 0.5)]
    score_cutoff: f32,
    /// Output: jsonl (one mention per line) or pretty (the text with mentions marked).
    #[arg(long, value_enum, default_value_t = LinkFormat::Jsonl)]
    format: LinkFormat,
    /// Internal (tests): the longest piece of plain text linked at once, in bytes.
    #[arg(long, hide = true, default_value_t = MAX_PIECE)]
    max_piece_bytes: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum LinkFormat {
    /// One JSON object per mention.
    Jsonl,
    /// The text with `[mention → name (KIND)]` marks.
    Pretty,
}

/// Options of `nisba resolve`.
#[derive(clap::Args, Debug)]
struct ResolveArgs {
    /// Names to resolve; standard input (one per line) when none are given.
    names: Vec<String>,
    /// A gazetteer file (the embedded default when omitted).
    #[arg(long, short)]
    gazetteer: Option<std::path::PathBuf>,
    /// Candidates per name.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Drop candidates scoring below this.
    #[arg(long, default_value_t = 0.0)]
    score_cutoff: f32,
    /// Only entities of this kind (PER, ORG, LOC, NAME, OTHER).
    #[arg(long)]
    kind: Option<String>,
}

/// Options of `nisba compare`.
#[derive(clap::Args, Debug)]
struct CompareArgs {
    /// First name.
    a: String,
    /// Second name.
    b: String,
}

/// Options of `nisba translit`.
#[derive(clap::Args, Debug)]
struct TranslitArgs {
    /// Scheme: ala-lc, din, buckwalter, simple, french.
    #[arg(long, default_value = "simple")]
    scheme: String,
    /// Decode Buckwalter back into Arabic script.
    #[arg(long)]
    reverse: bool,
    #[command(flatten)]
    text: TextArgs,
}

/// Options of `nisba variants`.
#[derive(clap::Args, Debug)]
struct VariantsArgs {
    /// How many spellings per name.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Prefer one region's conventions: iraq-gulf, levant, egypt, maghreb-french, persian.
    #[arg(long)]
    region: Option<String>,
    #[command(flatten)]
    text: TextArgs,
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
        Command::Link(args) => link_cmd(&mut out, args),
        Command::Resolve(args) => resolve_cmd(&mut out, args),
        Command::Compare(args) => {
            let c = crate::compare(&args.a, &args.b);
            let row = serde_json::json!({"a": args.a, "b": args.b, "score": c.score, "explanation": c.explanation});
            writeln!(out, "{row}").map_err(crate::Error::from)
        }
        Command::Translit(args) => for_each_text(&args.text, |t| {
            let scheme: crate::Scheme = args.scheme.parse()?;
            let out_text = if args.reverse {
                crate::buckwalter_decode(t)?
            } else {
                crate::transliterate(t, scheme).text
            };
            writeln!(out, "{out_text}")?;
            Ok(())
        }),
        Command::Variants(args) => for_each_text(&args.text, |t| {
            let region = args.region.as_deref().map(str::parse).transpose()?;
            let opts = crate::VariantOptions { limit: args.limit, region };
            for v in crate::variants(t, &opts) {
                let row = serde_json::json!({"input": t, "text": v.text, "score": v.score, "rules": v.rules});
                writeln!(out, "{row}")?;
            }
            Ok(())
        }),
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

fn with_gazetteer<T>(
    path: &Option<std::path::PathBuf>,
    f: impl FnOnce(&dyn GazetteerAccess) -> crate::Result<T>,
) -> crate::Result<T> {
    match path {
        Some(p) => f(&crate::Gazetteer::open(p)?),
        None => f(crate::default::gazetteer()),
    }
}

/// What the CLI needs from a gazetteer, whatever its storage.
trait GazetteerAccess {
    fn link_lines(&self, args: &LinkArgs, out: &mut dyn Write) -> crate::Result<()>;
    fn resolve(&self, name: &str, opts: &crate::ResolveOptions) -> Vec<crate::resolve::Candidate>;
}

impl<D: AsRef<[u8]>> GazetteerAccess for crate::Gazetteer<D> {
    fn link_lines(&self, args: &LinkArgs, out: &mut dyn Write) -> crate::Result<()> {
        let mut builder = crate::LinkerBuilder::new();
        builder.score_cutoff(args.score_cutoff);
        let linker = builder.build(self);
        let colour = args.format == LinkFormat::Pretty
            && io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let mut doc = 0u64;
        // `piece` is a whole line, or a part of a very long one starting at byte `offset` of it; the
        // handler returns how many bytes of a partial piece it consumed (see `safe_cut`).
        let mut handle = |piece: &str,
                          offset: usize,
                          first: bool,
                          last: bool|
         -> crate::Result<usize> {
            if first {
                doc += 1;
            }
            let text = match &args.field {
                Some(field) => {
                    let v: serde_json::Value = serde_json::from_str(piece)
                        .map_err(|e| crate::Error::parse(None, Some(doc), e.to_string()))?;
                    match v.get(field).and_then(|t| t.as_str()) {
                        Some(t) => t.to_string(),
                        None => {
                            return Err(crate::Error::parse(
                                None,
                                Some(doc),
                                format!("no string field {field:?}"),
                            ))
                        }
                    }
                }
                None => piece.to_string(),
            };
            let mut mentions = linker.link(&text);
            let cut = if last {
                text.len()
            } else {
                safe_cut(&text, &mentions)
            };
            // Mentions after the cut are found again, with their context, in the next piece.
            mentions.retain(|m| m.span.end <= cut);
            let text = &text[..cut];
            match args.format {
                LinkFormat::Jsonl => {
                    for m in &mentions {
                        let row = serde_json::json!({
                            "doc": doc, "start": offset + m.span.start, "end": offset + m.span.end,
                            "text": m.text, "id": m.id, "name": m.name, "kind": m.kind.as_str(),
                            "score": m.score, "explanation": m.explanation,
                        });
                        writeln!(out, "{row}")?;
                    }
                }
                LinkFormat::Pretty => {
                    let mut at = 0;
                    let mut s = String::new();
                    for m in &mentions {
                        s.push_str(&text[at..m.span.start]);
                        let mark = format!("[{} → {} ({})]", m.text, m.name, m.kind.as_str());
                        if colour {
                            s.push_str(&format!("\x1b[{}m{mark}\x1b[0m", kind_colour(m.kind)));
                        } else {
                            s.push_str(&mark);
                        }
                        at = m.span.end;
                    }
                    s.push_str(&text[at..]);
                    if last && !s.ends_with('\n') {
                        writeln!(out, "{s}")?;
                    } else {
                        write!(out, "{s}")?;
                    }
                }
            }
            Ok(cut)
        };
        // Plain text is read in pieces of at most MAX_PIECE bytes (a longer document or line is cut at
        // whitespace outside names), so memory stays bounded whatever the input; JSONL lines are read
        // whole. A document longer than a piece is linked piece by piece: names written in full reach
        // short mentions within a piece (256 KiB of text).
        let by_line = args.lines || args.field.is_some();
        let max_piece = if args.field.is_some() {
            usize::MAX
        } else {
            args.max_piece_bytes.max(1)
        };
        if args.files.is_empty() {
            let progress = Progress::new(None);
            for_each_piece(
                io::stdin().lock(),
                None,
                max_piece,
                by_line,
                &progress,
                &mut handle,
            )?;
            progress.finish();
        } else {
            let total: u64 = args
                .files
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum();
            let progress = Progress::new(Some(total));
            for path in &args.files {
                let file = std::fs::File::open(path)
                    .map_err(|e| crate::Error::io(Some(path.clone()), e))?;
                let reader = io::BufReader::new(file);
                for_each_piece(
                    reader,
                    Some(path),
                    max_piece,
                    by_line,
                    &progress,
                    &mut handle,
                )?;
            }
            progress.finish();
        }
        Ok(())
    }

    fn resolve(&self, name: &str, opts: &crate::ResolveOptions) -> Vec<crate::resolve::Candidate> {
        crate::Gazetteer::resolve(self, name, opts)
    }
}

/// The longest piece of plain text linked at once (a longer document or line is cut at whitespace,
/// see [`safe_cut`]): far longer than an article, small enough that linking a piece (about 50 bytes of
/// tokens, memo and mentions per byte of text) keeps the CLI's memory flat on any input.
const MAX_PIECE: usize = 1 << 18;
/// Words (holding a letter or digit) kept after the cut of a partial piece: far more than the longest
/// name the linker reads ahead (12 tokens), so every mention before the cut is final.
const TAIL_WORDS: usize = 32;

/// Where to cut a partial piece of a long line that was linked whole: after whitespace, never inside a
/// mention, with at least [`TAIL_WORDS`] words after the cut (the linker's look-ahead), preferring a
/// line break (`\r`, U+2028/2029/0085, form feed) in the kept part. Mentions ending before the cut are
/// reported; the rest of the piece is linked again with the next one, so a name straddling the byte
/// limit is found whole and offsets stay those of the line. Falls back to the last whitespace outside a
/// mention when the piece has fewer words, and to the whole piece when it has no usable whitespace.
fn safe_cut(text: &str, mentions: &[crate::Mention]) -> usize {
    // Mentions are in text order and do not overlap: the one that may contain `at` is the last one
    // starting before it.
    let inside = |at: usize| {
        let k = mentions.partition_point(|m| m.span.start < at);
        k > 0 && at < mentions[k - 1].span.end
    };
    let is_break = |c: char| {
        matches!(
            c,
            '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    };
    let mut words = 0usize;
    let mut in_word = false;
    let mut fallback: Option<usize> = None;
    let mut chosen: Option<usize> = None;
    for (i, c) in text.char_indices().rev() {
        if !c.is_whitespace() {
            in_word |= c.is_alphanumeric();
            continue;
        }
        if in_word {
            words += 1;
            in_word = false;
        }
        let at = i + c.len_utf8();
        if at >= text.len() || inside(at) {
            continue;
        }
        if words >= TAIL_WORDS {
            if is_break(c) {
                chosen = Some(at);
                break;
            }
            chosen.get_or_insert(at);
            if at * 2 < text.len() {
                // No line break in the second half: the first whitespace found is as good.
                break;
            }
        } else if fallback.is_none() && words > 0 {
            fallback = Some(at);
        }
    }
    chosen.or(fallback).unwrap_or(text.len())
}
/// Inputs at least this large get a progress bar (when stderr is a terminal).
const LARGE_INPUT: u64 = 16 << 20;

/// ANSI SGR colour of a mention's kind in `--format pretty`.
fn kind_colour(kind: crate::Kind) -> &'static str {
    match kind {
        crate::Kind::Per => "1;36",
        crate::Kind::Org => "1;35",
        crate::Kind::Loc => "1;32",
        _ => "1;33",
    }
}

/// A progress bar on stderr for large inputs, only when stderr is a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    /// Unknown size (stdin): the spinner appears once this many bytes have been read.
    pending: std::cell::Cell<u64>,
}

impl Progress {
    fn new(total: Option<u64>) -> Progress {
        let tty = io::stderr().is_terminal();
        let bar = match total {
            Some(n) if tty && n >= LARGE_INPUT => {
                let bar = indicatif::ProgressBar::new(n);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                ) {
                    bar.set_style(style);
                }
                Some(bar)
            }
            None if tty && !io::stdin().is_terminal() => {
                let bar = indicatif::ProgressBar::hidden();
                if let Ok(style) =
                    indicatif::ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                {
                    bar.set_style(style);
                }
                Some(bar)
            }
            _ => None,
        };
        Progress {
            bar,
            pending: std::cell::Cell::new(0),
        }
    }

    fn inc(&self, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(bytes);
        if bar.is_hidden() && bar.length().is_none() {
            self.pending.set(self.pending.get() + bytes);
            if self.pending.get() >= LARGE_INPUT {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Calls `f(piece, offset in its line, first piece of the line, last piece of the line)` for each line
/// of `r`, cutting lines longer than `max` bytes at the last whitespace (or character boundary) before
/// the limit. A line that is not UTF-8 is an error.
fn for_each_piece<R: BufRead>(
    mut r: R,
    path: Option<&std::path::PathBuf>,
    max: usize,
    by_line: bool,
    progress: &Progress,
    f: &mut dyn FnMut(&str, usize, bool, bool) -> crate::Result<usize>,
) -> crate::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    let mut offset = 0usize;
    let mut first = true;
    loop {
        let room = max.saturating_sub(buf.len()).max(1);
        let mut limited = (&mut r).take(room as u64);
        let n = if by_line {
            limited.read_until(b'\n', &mut buf)
        } else {
            limited.read_to_end(&mut buf)
        }
        .map_err(|e| crate::Error::io(path.cloned(), e))?;
        progress.inc(n as u64);
        // A whole document is read to its end: it is complete when the reader stops short.
        let eof = n == 0 || (!by_line && n < room);
        if eof && buf.is_empty() {
            return Ok(());
        }
        let complete = eof || (by_line && buf.last() == Some(&b'\n'));
        if complete {
            while by_line && matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            let text = std::str::from_utf8(&buf)
                .map_err(|e| crate::Error::invalid_input(format!("input is not UTF-8: {e}")))?;
            f(text, offset, first, true)?;
            buf.clear();
            offset = 0;
            first = true;
            if eof {
                return Ok(());
            }
            continue;
        }
        if buf.len() < max {
            continue;
        }
        // A long line: hand over what is valid UTF-8; `f` says how much it consumed (it cuts at
        // whitespace outside names) and the rest is kept for the next piece.
        let valid = match std::str::from_utf8(&buf) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => {
                return Err(crate::Error::invalid_input(format!(
                    "input is not UTF-8: {e}"
                )))
            }
        };
        if valid == 0 {
            // Not even one whole character yet: read more.
            continue;
        }
        let text = std::str::from_utf8(&buf[..valid]).expect("checked above");
        let cut = f(text, offset, first, false)?;
        let cut = if cut == 0 || cut > valid || !text.is_char_boundary(cut) {
            valid
        } else {
            cut
        };
        offset += cut;
        first = false;
        buf.drain(..cut);
    }
}

fn link_cmd(out: &mut impl Write, args: &LinkArgs) -> crate::Result<()> {
    with_gazetteer(&args.gazetteer, |gz| gz.link_lines(args, out))
}

fn resolve_cmd(out: &mut impl Write, args: &ResolveArgs) -> crate::Result<()> {
    let kind = args.kind.as_deref().map(str::parse).transpose()?;
    let opts = crate::ResolveOptions {
        limit: args.limit,
        score_cutoff: args.score_cutoff,
        kind,
        country: None,
    };
    let text_args = TextArgs {
        texts: args.names.clone(),
        format: Format::Jsonl,
    };
    with_gazetteer(&args.gazetteer, |gz| {
        for_each_text(&text_args, |name| {
            let candidates: Vec<_> = gz
                .resolve(name, &opts)
                .into_iter()
                .map(|c| serde_json::json!({"id": c.id, "name": c.name, "kind": c.kind.as_str(), "score": c.score,
                    "matched_alias": c.matched_alias, "explanation": c.explanation}))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::json!({"query": name, "candidates": candidates})
            )?;
            Ok(())
        })
    })
}

#[cfg(test)]
mod piece_tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_at_whitespace_with_offsets() {
        let input = "alpha beta gamma delta\nشمال بغداد\n\nlast";
        let progress = Progress {
            bar: None,
            pending: std::cell::Cell::new(0),
        };
        let mut got: Vec<(String, usize, bool, bool)> = Vec::new();
        for_each_piece(
            input.as_bytes(),
            None,
            8,
            true,
            &progress,
            &mut |p, o, f, l| {
                let cut = if l { p.len() } else { safe_cut(p, &[]) };
                got.push((p[..cut].to_string(), o, f, l));
                Ok(cut)
            },
        )
        .unwrap();
        // Every line is rebuilt from its pieces, and offsets point into the line.
        let mut lines: Vec<String> = Vec::new();
        for (p, o, first, _) in &got {
            if *first {
                lines.push(String::new());
            }
            let line = lines.last_mut().unwrap();
            assert_eq!(line.len(), *o);
            line.push_str(p);
        }
        assert_eq!(lines, ["alpha beta gamma delta", "شمال بغداد", "", "last"]);
        assert!(got.iter().all(|(p, ..)| p.len() <= 8 || !p.contains(' ')));
        let bad: &[u8] = b"ok \xff\xfe\n";
        assert!(
            for_each_piece(bad, None, 8, true, &progress, &mut |p, _, _, _| Ok(p.len())).is_err()
        );
        // A whole document: one first piece, offsets into the input, newlines kept.
        let mut doc = String::new();
        let mut firsts = 0;
        for_each_piece(
            input.as_bytes(),
            None,
            8,
            false,
            &progress,
            &mut |p, o, f, l| {
                let cut = if l { p.len() } else { safe_cut(p, &[]) };
                assert_eq!(doc.len(), o);
                doc.push_str(&p[..cut]);
                firsts += usize::from(f);
                Ok(cut)
            },
        )
        .unwrap();
        assert_eq!((doc.as_str(), firsts), (input, 1));
    }

    /// `nisba link` on a file holding `content`, in pieces of `max` bytes: its JSON rows.
    fn link_json(content: &str, lines: bool, max: usize) -> Vec<serde_json::Value> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        std::fs::write(&path, content).unwrap();
        let args = LinkArgs {
            files: vec![path],
            lines,
            field: None,
            gazetteer: None,
            score_cutoff: 0.5,
            format: LinkFormat::Jsonl,
            max_piece_bytes: max,
        };
        let mut out: Vec<u8> = Vec::new();
        crate::default::gazetteer()
            .link_lines(&args, &mut out)
            .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// `nisba link` on a file: (doc, start, end, text) rows.
    fn link_file(content: &str, lines: bool) -> Vec<(u64, u64, u64, String)> {
        link_json(content, lines, MAX_PIECE)
            .iter()
            .map(|v| {
                let n = |k: &str| v[k].as_u64().unwrap();
                (
                    n("doc"),
                    n("start"),
                    n("end"),
                    v["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_file_is_one_document_unless_lines_are_asked_for() {
        // A name written in full in one paragraph reaches the surname alone in the next.
        let content =
            "Ministers met Hadi al-Ameri on Sunday.\n\nAmeri told them the vote was unfair.\n";
        let rows = link_file(content, false);
        let texts: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
        assert_eq!(texts, ["Hadi al-Ameri", "Ameri"]);
        for (doc, s, e, t) in &rows {
            assert_eq!((*doc, &content[*s as usize..*e as usize]), (1, t.as_str()));
        }
        // One document per line: offsets into the line, and the surname alone is not linked.
        let rows = link_file(content, true);
        assert_eq!(rows, [(1, 14, 27, "Hadi al-Ameri".to_string())]);
    }

    /// `nisba link` on one long line, cut into pieces of `max` bytes: (start, end, text, id) rows.
    fn link_rows(line: &str, max: usize) -> Vec<(u64, u64, String, String)> {
        link_json(&format!("{line}\n"), false, max)
            .iter()
            .map(|v| {
                let (s, e) = (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
                assert_eq!(&line[s as usize..e as usize], v["text"].as_str().unwrap());
                (
                    s,
                    e,
                    v["text"].as_str().unwrap().to_string(),
                    v["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn names_straddling_a_piece_boundary_are_found_whole() {
        // Own filler; the names sit where small pieces would cut through them.
        let filler = "the talks went on for hours and ended late without any statement at all ";
        for name in [
            "Erbil International Airport",
            "Mustafa al-Kadhimi",
            "مطار أربيل الدولي",
        ] {
            let mut line = filler.repeat(6);
            line.push_str(name);
            line.push_str(" and ");
            line.push_str(&filler.repeat(6));
            let whole = link_rows(&line, MAX_PIECE);
            assert!(whole.iter().any(|r| r.2 == name), "{name}: {whole:?}");
            let at = line.find(name).unwrap();
            // Every byte limit that falls inside the name, and smaller ones (several cuts per line).
            for max in (at + 1..at + name.len()).chain([250, 330]) {
                assert_eq!(
                    link_rows(&line, max),
                    whole,
                    "{name}, pieces of {max} bytes"
                );
            }
        }
    }
}
