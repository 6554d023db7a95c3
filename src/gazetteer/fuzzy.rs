//! A lazy Levenshtein automaton for fst searches.
//!
//! fst's own `Levenshtein` builds a full DFA before the search starts; for the queries of a gazetteer
//! (10–40 characters) that construction alone costs hundreds of microseconds. This automaton instead
//! carries one row of the edit-distance table as its state and computes the next row as the search walks
//! the fst, so the cost is proportional to the fst nodes actually visited (few, since rows whose minimum
//! exceeds the edit budget are pruned at once). Distances are over Unicode scalar values: the state holds
//! the bytes of a partly read UTF-8 character.

use fst::raw::{Fst, Node, Output};
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
    /// Characters read so far (saturating): cell `j` can hold less than the cap only when
    /// `|j - depth| <= max_edits`, so a step computes that band only.
    depth: u16,
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
            depth: 0,
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
        self.accept_byte(state.as_ref()?, byte)
    }
}

impl LevenshteinRows {
    /// The state after reading `byte` from the live state `s`.
    fn accept_byte(&self, s: &RowState, byte: u8) -> Option<RowState> {
        if s.partial_len == 0 && byte < 0x80 {
            // ASCII: a whole character.
            return self.step_char(&s.row, s.depth, char::from(byte));
        }
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
                depth: s.depth,
            });
        }
        let ch = std::str::from_utf8(&partial[..len]).ok()?.chars().next()?;
        self.step_char(&s.row, s.depth, ch)
    }

    /// The row after reading `ch` (the row before it was reached after `depth` characters), or `None`
    /// when every cell exceeds the edit budget.
    ///
    /// A cell more than the budget off the diagonal holds the cap (an edit distance is at least the
    /// length difference), so only the band `depth + 1 ± max_edits` is computed; every other cell of
    /// both rows holds the cap.
    fn step_char(
        &self,
        prev: &[u8; MAX_QUERY_CHARS + 1],
        depth: u16,
        ch: char,
    ) -> Option<RowState> {
        let n = self.query.len();
        let cap = self.cap();
        let mut row = [cap; MAX_QUERY_CHARS + 1];
        row[0] = (prev[0] + 1).min(cap);
        let mut best = row[0];
        let depth = depth.saturating_add(1);
        let k = usize::from(self.max_edits);
        let lo = usize::from(depth).saturating_sub(k).max(1);
        let hi = (usize::from(depth) + k).min(n);
        for j in lo..=hi {
            let cost = u8::from(self.query[j - 1] != ch);
            let v = (prev[j - 1] + cost)
                .min(prev[j] + 1)
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
            depth,
        })
    }

    /// Searches `fst` directly (faster than an fst stream): calls `emit` with the output of every key
    /// within the edit budget until it returns false. Once a row has spent the whole budget only exact
    /// continuations can match, so the walk looks those few bytes up instead of scanning every
    /// transition of the node.
    pub fn search<D: AsRef<[u8]>>(&self, fst: &Fst<D>, mut emit: impl FnMut(u64) -> bool) {
        if usize::from(self.max_edits) < MAX_BIT_EDITS {
            let bits = BitRows::new(self);
            let start = bits.start();
            bits.dfs(fst, fst.root(), Output::zero(), &start, 0, &mut emit);
            return;
        }
        if let Some(start) = self.start() {
            self.dfs(fst, fst.root(), Output::zero(), &start, 0, &mut emit);
        }
    }

    /// The smallest cell of a row: that of its band, every other cell holding the cap.
    fn row_min(&self, state: &RowState) -> u8 {
        let k = usize::from(self.max_edits);
        let depth = usize::from(state.depth);
        let lo = depth.saturating_sub(k);
        let hi = (depth + k).min(self.query.len());
        if lo > hi {
            return self.cap();
        }
        state.row[lo..=hi].iter().copied().min().unwrap_or(0)
    }

    fn dfs<D: AsRef<[u8]>>(
        &self,
        fst: &Fst<D>,
        node: Node<'_>,
        out: Output,
        state: &RowState,
        depth: usize,
        emit: &mut dyn FnMut(u64) -> bool,
    ) -> bool {
        // keys are names: a walk deeper than this is corrupt data, not a name
        if depth > 4096 {
            return true;
        }
        let n = self.query.len();
        if state.partial_len == 0
            && node.is_final()
            && state.row[n] <= self.max_edits
            && !emit(out.cat(node.final_output()).value())
        {
            return false;
        }
        if state.partial_len == 0 && self.row_min(state) == self.max_edits {
            let mut tried: [char; MAX_QUERY_CHARS] = ['\0'; MAX_QUERY_CHARS];
            let mut tried_len = 0;
            // Only cells of the band can hold the budget (the others hold the cap).
            let k = usize::from(self.max_edits);
            let depth = usize::from(state.depth);
            for j in depth.saturating_sub(k)..n.min(depth + k + 1) {
                let c = self.query[j];
                if state.row[j] != self.max_edits || tried[..tried_len].contains(&c) {
                    continue;
                }
                tried[tried_len] = c;
                tried_len += 1;
                let mut buf = [0u8; 4];
                let mut cur = node;
                let mut cur_out = out;
                let mut found = true;
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    match cur.find_input(b) {
                        Some(i) => {
                            let t = cur.transition(i);
                            cur_out = cur_out.cat(t.out);
                            cur = fst.node(t.addr);
                        }
                        None => {
                            found = false;
                            break;
                        }
                    }
                }
                if found {
                    if let Some(next) = self.step_char(&state.row, state.depth, c) {
                        if !self.dfs(fst, cur, cur_out, &next, depth + 1, emit) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
        for t in node.transitions() {
            if let Some(next) = self.accept_byte(state, t.inp) {
                if !self.dfs(
                    fst,
                    fst.node(t.addr),
                    out.cat(t.out),
                    &next,
                    depth + 1,
                    emit,
                ) {
                    return false;
                }
            }
        }
        true
    }
}

/// [`LevenshteinRows::search`] runs bit-parallel for budgets below this: one bit mask per distance.
const MAX_BIT_EDITS: usize = 4;

/// The bit-parallel form of a [`RowState`]: bit `j` of `masks[d]` is set when the first `j` query
/// characters are within `d` edits of the key read so far (the row's cell `j` is at most `d`), for
/// `d <= max_edits`. The same automaton as the row, so the walk visits the same nodes in the same order.
#[derive(Clone, Copy)]
struct BitState {
    masks: [u64; MAX_BIT_EDITS],
    partial: [u8; 4],
    partial_len: u8,
}

/// A [`LevenshteinRows`] prepared for the bit-parallel walk.
struct BitRows<'a> {
    rows: &'a LevenshteinRows,
    /// By ASCII character: bit `j + 1` set when query character `j` is it.
    ascii: [u64; 128],
    /// The same for the query's other characters.
    other: Vec<(char, u64)>,
    /// Bits `0..=n`.
    all: u64,
}

impl<'a> BitRows<'a> {
    fn new(rows: &'a LevenshteinRows) -> BitRows<'a> {
        let mut ascii = [0u64; 128];
        let mut other: Vec<(char, u64)> = Vec::new();
        for (j, &c) in rows.query.iter().enumerate() {
            let bit = 1u64 << (j + 1);
            if c.is_ascii() {
                ascii[c as usize] |= bit;
            } else if let Some(e) = other.iter_mut().find(|e| e.0 == c) {
                e.1 |= bit;
            } else {
                other.push((c, bit));
            }
        }
        let n = rows.query.len();
        BitRows {
            rows,
            ascii,
            other,
            all: if n + 1 >= 64 {
                u64::MAX
            } else {
                (1u64 << (n + 1)) - 1
            },
        }
    }

    fn k(&self) -> usize {
        usize::from(self.rows.max_edits)
    }

    fn start(&self) -> BitState {
        let mut masks = [0u64; MAX_BIT_EDITS];
        for (d, m) in masks.iter_mut().enumerate().take(self.k() + 1) {
            // cell j of the first row is j
            *m = if d + 1 >= 64 {
                u64::MAX
            } else {
                (1u64 << (d + 1)) - 1
            } & self.all;
        }
        BitState {
            masks,
            partial: [0; 4],
            partial_len: 0,
        }
    }

    fn char_mask(&self, ch: char) -> u64 {
        if ch.is_ascii() {
            self.ascii[ch as usize]
        } else {
            self.other
                .iter()
                .find(|e| e.0 == ch)
                .map(|e| e.1)
                .unwrap_or(0)
        }
    }

    /// The state after reading `ch`, or `None` when every cell exceeds the budget.
    fn step_char(&self, s: &BitState, ch: char) -> Option<BitState> {
        let b = self.char_mask(ch);
        let k = self.k();
        let mut masks = [0u64; MAX_BIT_EDITS];
        masks[0] = (s.masks[0] << 1) & b & self.all;
        for d in 1..=k {
            masks[d] = (((s.masks[d] << 1) & b)
                | s.masks[d - 1]
                | (s.masks[d - 1] << 1)
                | (masks[d - 1] << 1)
                | masks[d - 1])
                & self.all;
        }
        if masks[k] == 0 {
            return None;
        }
        Some(BitState {
            masks,
            partial: [0; 4],
            partial_len: 0,
        })
    }

    fn accept_byte(&self, s: &BitState, byte: u8) -> Option<BitState> {
        if s.partial_len == 0 && byte < 0x80 {
            return self.step_char(s, char::from(byte));
        }
        let mut partial = s.partial;
        let len = usize::from(s.partial_len);
        partial[len] = byte;
        let len = len + 1;
        let width = utf8_width(partial[0]);
        if width == 0 || len > width {
            return None;
        }
        if len < width {
            return Some(BitState {
                masks: s.masks,
                partial,
                partial_len: len as u8,
            });
        }
        let ch = std::str::from_utf8(&partial[..len]).ok()?.chars().next()?;
        self.step_char(s, ch)
    }

    /// [`LevenshteinRows::dfs`] on bit states: the same walk.
    fn dfs<D: AsRef<[u8]>>(
        &self,
        fst: &Fst<D>,
        node: Node<'_>,
        out: Output,
        state: &BitState,
        depth: usize,
        emit: &mut dyn FnMut(u64) -> bool,
    ) -> bool {
        if depth > 4096 {
            return true;
        }
        let n = self.rows.query.len();
        let k = self.k();
        let top = state.masks[k];
        if state.partial_len == 0
            && node.is_final()
            && top >> n & 1 == 1
            && !emit(out.cat(node.final_output()).value())
        {
            return false;
        }
        let below = if k == 0 { 0 } else { state.masks[k - 1] };
        if state.partial_len == 0 && below == 0 {
            // Every live cell holds the whole budget: only exact continuations can match.
            let mut tried: [char; MAX_QUERY_CHARS] = ['\0'; MAX_QUERY_CHARS];
            let mut tried_len = 0;
            let mut cells = top & !(1u64 << n);
            while cells != 0 {
                let j = cells.trailing_zeros() as usize;
                cells &= cells - 1;
                let c = self.rows.query[j];
                if tried[..tried_len].contains(&c) {
                    continue;
                }
                tried[tried_len] = c;
                tried_len += 1;
                let mut buf = [0u8; 4];
                let mut cur = node;
                let mut cur_out = out;
                let mut found = true;
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    match cur.find_input(b) {
                        Some(i) => {
                            let t = cur.transition(i);
                            cur_out = cur_out.cat(t.out);
                            cur = fst.node(t.addr);
                        }
                        None => {
                            found = false;
                            break;
                        }
                    }
                }
                if found {
                    if let Some(next) = self.step_char(state, c) {
                        if !self.dfs(fst, cur, cur_out, &next, depth + 1, emit) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
        for t in node.transitions() {
            if let Some(next) = self.accept_byte(state, t.inp) {
                if !self.dfs(
                    fst,
                    fst.node(t.addr),
                    out.cat(t.out),
                    &next,
                    depth + 1,
                    emit,
                ) {
                    return false;
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    fn search(keys: &[&str], query: &str, k: u32) -> Vec<String> {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        let set = Set::from_iter(sorted.iter()).unwrap();
        let aut = LevenshteinRows::new(query, k).unwrap();
        let mut stream = set.search(&aut).into_stream();
        let mut out = Vec::new();
        while let Some(k) = stream.next() {
            out.push(String::from_utf8(k.to_vec()).unwrap());
        }
        // the direct search finds the same keys (values are key ranks here)
        let ranked =
            fst::Map::from_iter(sorted.iter().enumerate().map(|(i, k)| (*k, i as u64))).unwrap();
        let mut direct = Vec::new();
        aut.search(ranked.as_fst(), |v| {
            direct.push(sorted[v as usize].to_string());
            true
        });
        direct.sort();
        assert_eq!(direct, out, "{query} k={k}");
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
            // longer keys: the band of the row moves along the diagonal
            "kdmlsdn",
            "kzmlsdn",
            "kdmlsdnx",
            "kdmsdn",
            "lkdmlsdn",
            "kdmlsdnyy",
            "الكاظمي",
            "كاظميات",
        ];
        for query in [
            "rbl",
            "kdm",
            "كاظمي",
            "",
            "zz",
            "kdmlsdn",
            "kdmlsd",
            "الكاظمي",
        ] {
            for k in 0..6 {
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
