//! One error type for the whole crate.
//!
//! Every fallible function returns [`Result<T>`]. The [`ErrorKind`] says what went wrong and carries the
//! evidence (the offending line, the expected and found versions, the path), so a caller can report it
//! without re-parsing a message. Bad on-disk data is always an error, never a panic.

use std::fmt;
use std::path::PathBuf;

/// The crate's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from nisba: a [`ErrorKind`] with its evidence and, for I/O and parse failures, a source.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong. New kinds may be added in minor releases.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller's input is not acceptable (empty where a value is needed, an unknown option value…).
    InvalidInput {
        /// What was wrong with it.
        message: String,
    },
    /// An unknown name for a closed set: a scheme, a kind, a region, a source format.
    UnknownValue {
        /// What was being named (`"scheme"`, `"kind"`…).
        what: &'static str,
        /// The value given.
        found: String,
        /// The accepted values.
        expected: Vec<&'static str>,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file involved, where there is one.
        path: Option<PathBuf>,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A record in a source file could not be parsed or is inconsistent.
    Parse {
        /// The file, where known.
        path: Option<PathBuf>,
        /// The 1-based line (or record) number, where known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A gazetteer file (or byte buffer) is not a valid nisba gazetteer.
    Format {
        /// What is wrong: bad magic, truncated section, checksum mismatch…
        message: String,
    },
    /// A gazetteer was written by an incompatible version of the format, key or normaliser.
    Version {
        /// Which version (`"format"`, `"key"`, `"normalizer"`).
        what: &'static str,
        /// The version this build of nisba reads.
        expected: u32,
        /// The version found in the file.
        found: u32,
    },
    /// The same entity id was given twice with conflicting data.
    Conflict {
        /// The entity id.
        id: String,
        /// What conflicts, naming both records.
        message: String,
    },
}

impl Error {
    /// The kind of this error, with its evidence.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        self.kind
    }

    /// A bad-input error with a message.
    pub fn invalid_input(message: impl Into<String>) -> Error {
        ErrorKind::InvalidInput {
            message: message.into(),
        }
        .into()
    }

    /// An unknown value for a closed set of names.
    pub fn unknown_value(
        what: &'static str,
        found: impl Into<String>,
        expected: &[&'static str],
    ) -> Error {
        ErrorKind::UnknownValue {
            what,
            found: found.into(),
            expected: expected.to_vec(),
        }
        .into()
    }

    /// An I/O error on a path.
    pub fn io(path: Option<PathBuf>, source: std::io::Error) -> Error {
        ErrorKind::Io { path, source }.into()
    }

    /// A parse error in a source file.
    pub fn parse(path: Option<PathBuf>, line: Option<u64>, message: impl Into<String>) -> Error {
        ErrorKind::Parse {
            path,
            line,
            message: message.into(),
        }
        .into()
    }

    /// A malformed gazetteer.
    pub fn format(message: impl Into<String>) -> Error {
        ErrorKind::Format {
            message: message.into(),
        }
        .into()
    }

    /// An incompatible version.
    pub fn version(what: &'static str, expected: u32, found: u32) -> Error {
        ErrorKind::Version {
            what,
            expected,
            found,
        }
        .into()
    }

    /// Conflicting records for one entity id.
    pub fn conflict(id: impl Into<String>, message: impl Into<String>) -> Error {
        ErrorKind::Conflict {
            id: id.into(),
            message: message.into(),
        }
        .into()
    }

    /// True for errors caused by the caller's input (as opposed to I/O).
    pub fn is_input_error(&self) -> bool {
        !matches!(self.kind, ErrorKind::Io { .. })
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind }
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Error {
        Error::io(None, source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::InvalidInput { message } => write!(f, "invalid input: {message}"),
            ErrorKind::UnknownValue {
                what,
                found,
                expected,
            } => write!(
                f,
                "unknown {what} {found:?}; expected one of: {}",
                expected.join(", ")
            ),
            ErrorKind::Io { path: Some(p), source } => write!(f, "{}: {source}", p.display()),
            ErrorKind::Io { path: None, source } => write!(f, "I/O error: {source}"),
            ErrorKind::Parse {
                path,
                line,
                message,
            } => {
                if let Some(p) = path {
                    write!(f, "{}", p.display())?;
                    if let Some(l) = line {
                        write!(f, ":{l}")?;
                    }
                    write!(f, ": ")?;
                } else if let Some(l) = line {
                    write!(f, "line {l}: ")?;
                }
                write!(f, "{message}")
            }
            ErrorKind::Format { message } => write!(f, "not a valid nisba gazetteer: {message}"),
            ErrorKind::Version {
                what,
                expected,
                found,
            } => write!(
                f,
                "incompatible {what} version: this nisba reads version {expected}, the file has {found}"
            ),
            ErrorKind::Conflict { id, message } => write!(f, "conflicting records for id {id:?}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_carries_evidence() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::version("format", 1, 2),
                "this nisba reads version 1, the file has 2",
            ),
            (
                Error::unknown_value("scheme", "foo", &["simple", "din"]),
                "unknown scheme \"foo\"; expected one of: simple, din",
            ),
            (
                Error::parse(Some("x.jsonl".into()), Some(3), "bad json"),
                "x.jsonl:3: bad json",
            ),
            (Error::conflict("Q1", "kind PER vs ORG"), "\"Q1\""),
        ];
        for (err, needle) in cases {
            assert!(err.to_string().contains(needle), "{err} lacks {needle}");
        }
        let io = Error::io(Some("a".into()), std::io::Error::other("boom"));
        assert!(std::error::Error::source(&io).is_some());
        assert!(!io.is_input_error());
    }
}
