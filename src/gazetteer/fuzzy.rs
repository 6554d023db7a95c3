//! A lazy Levenshtein automaton for fst searches.
//!
//! fst's own `Levenshtein` builds a full DFA before the search starts; for the queries of a gazetteer
//! (10–40 characters) that construction alone costs hundreds of microseconds. This automaton instead
//! carries one row of the edit-distance table as its state and computes the next row as the search walks
//! the fst, so the cost is proportional to the fst nodes actually visited (few, since rows whose minimum
//! exceeds the edit budget are pruned at once). Distances are over Unicode scalar values: the state holds
//! the bytes of a partly read UTF-8 character.

use fst::Automaton;

/// Longest query (in characters) a [`LevenshteinRows`] accepts.
pub const MAX_QUERY_CHARS: usize = 48;

/// Matches every key within `max_edits` insertions, deletions or substitutions of a query.
#[derive(Debug, Clone)]
pub struct LevenshteinRows {
    query: Vec<char>,
    max_edits: u8,
}

/// The automaton's state: one row of the distance table (values capped at `max_edits + 1`) and a partly
/// read UTF-8 character. `None` is the dead state.
#[derive(Debug, Clone)]
pub struct RowState {
    row: [u8; MAX_QUERY_CHARS + 1],
    partial: [u8; 4],
    partial_len: u8,
}

impl LevenshteinRows {
    /// An automaton for `query`, or `None` when the query is longer than [`MAX_QUERY_CHARS`] characters.
    pub fn new(query: &str, max_edits: u32) -> Option<LevenshteinRows> {
        let query: Vec<char> = query.chars().collect();
        if query.len() > MAX_QUERY_CHARS {
            return None;
        }
        Some(LevenshteinRows {
            query,
            max_edits: max_edits.min(u32::from(u8::MAX - 1)) as u8,
        })
    }

    fn cap(&self) -> u8 {
        self.max_edits + 1
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 0,
    }
}

impl Automaton for LevenshteinRows {
    type State = Option<RowState>;

    fn start(&self) -> Option<RowState> {
        let mut row = [0u8; MAX_QUERY_CHARS + 1];
        for (j, cell) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *cell = (j.min(usize::from(self.cap()))) as u8;
        }
        Some(RowState {
            row,
            partial: [0; 4],
            partial_len: 0,
        })
    }

    fn is_match(&self, state: &Option<RowState>) -> bool {
        state
            .as_ref()
            .is_some_and(|s| s.partial_len == 0 && s.row[self.query.len()] <= self.max_edits)
    }

    fn can_match(&self, state: &Option<RowState>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<RowState>, byte: u8) -> Option<RowState> {
        let s = state.as_ref()?;
        let mut partial = s.partial;
        let len = usize::from(s.partial_len);
        partial[len] = byte;
        let len = len + 1;
        let width = utf8_width(partial[0]);
        if width == 0 || len > width {
            return None;
        }
        if len < width {
            return Some(RowState {
                row: s.row,
                partial,
                partial_len: len as u8,
            });
        }
        let ch = std::str::from_utf8(&partial[..len]).ok()?.chars().next()?;
        let n = self.query.len();
        let cap = self.cap();
        let mut row = [0u8; MAX_QUERY_CHARS + 1];
        row[0] = (s.row[0] + 1).min(cap);
        let mut best = row[0];
        for j in 1..=n {
            let cost = u8::from(self.query[j - 1] != ch);
            let v = (s.row[j - 1] + cost)
                .min(s.row[j] + 1)
                .min(row[j - 1] + 1)
                .min(cap);
            row[j] = v;
            best = best.min(v);
        }
        if best > self.max_edits {
            return None;
        }
        Some(RowState {
            row,
            partial: [0; 4],
            partial_len: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    fn search(keys: &[&str], query: &str, k: u32) -> Vec<String> {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        let set = Set::from_iter(sorted).unwrap();
        let aut = LevenshteinRows::new(query, k).unwrap();
        let mut stream = set.search(&aut).into_stream();
        let mut out = Vec::new();
        while let Some(k) = stream.next() {
            out.push(String::from_utf8(k.to_vec()).unwrap());
        }
        out
    }

    #[test]
    fn agrees_with_edit_distance() {
        let keys = [
            "rbl",
            "rbll",
            "rb",
            "arbl",
            "xyz",
            "كاظمي",
            "كاظم",
            "kdm",
            "kzm",
            "",
            "brs",
        ];
        for query in ["rbl", "kdm", "كاظمي", "", "zz"] {
            for k in 0..3 {
                let got = search(&keys, query, k);
                let mut want: Vec<String> = keys
                    .iter()
                    .filter(|key| strsim::levenshtein(key, query) <= k as usize)
                    .map(|s| s.to_string())
                    .collect();
                want.sort();
                assert_eq!(got, want, "{query} k={k}");
            }
        }
        assert!(LevenshteinRows::new(&"a".repeat(MAX_QUERY_CHARS + 1), 1).is_none());
    }
}
