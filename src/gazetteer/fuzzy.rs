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

/// What reading one more byte of a key does to a partly read UTF-8 character.
enum Utf8Step {
    /// Not UTF-8: no key of valid text goes on this way.
    Dead,
    /// More bytes to come: the bytes so far and their count.
    Partial([u8; 4], u8),
    /// A whole character.
    Char(char),
}

/// Reads `byte` after the `partial_len` bytes of `partial`.
fn utf8_step(partial: [u8; 4], partial_len: u8, byte: u8) -> Utf8Step {
    if partial_len == 0 && byte < 0x80 {
        // ASCII: a whole character.
        return Utf8Step::Char(char::from(byte));
    }
    let mut partial = partial;
    let len = usize::from(partial_len);
    partial[len] = byte;
    let len = len + 1;
    let width = utf8_width(partial[0]);
    if width == 0 || len > width {
        return Utf8Step::Dead;
    }
    if len < width {
        return Utf8Step::Partial(partial, len as u8);
    }
    match std::str::from_utf8(&partial[..len])
        .ok()
        .and_then(|t| t.chars().next())
    {
        Some(ch) => Utf8Step::Char(ch),
        None => Utf8Step::Dead,
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
        match utf8_step(s.partial, s.partial_len, byte) {
            Utf8Step::Dead => None,
            Utf8Step::Partial(partial, partial_len) => Some(RowState {
                row: s.row,
                partial,
                partial_len,
                depth: s.depth,
            }),
            Utf8Step::Char(ch) => self.step_char(&s.row, s.depth, ch),
        }
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
            walk(&bits, fst, fst.root(), Output::zero(), &start, 0, &mut emit);
            return;
        }
        if let Some(start) = self.start() {
            walk(self, fst, fst.root(), Output::zero(), &start, 0, &mut emit);
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
        match utf8_step(s.partial, s.partial_len, byte) {
            Utf8Step::Dead => None,
            Utf8Step::Partial(partial, partial_len) => Some(BitState {
                masks: s.masks,
                partial,
                partial_len,
            }),
            Utf8Step::Char(ch) => self.step_char(s, ch),
        }
    }
}

/// The two forms of the automaton (rows, bit masks), walked over an fst by [`walk`].
trait Walk {
    type State;
    /// Whether the key read so far (a whole number of characters) is within the budget.
    fn accepts(&self, s: &Self::State) -> bool;
    /// When every live cell of `s` holds the whole budget, so that only exact continuations can match:
    /// the query characters that continue those cells (distinct, in query order) written to `out`, and
    /// their count; `None` otherwise.
    fn exact_continuations(
        &self,
        s: &Self::State,
        out: &mut [char; MAX_QUERY_CHARS],
    ) -> Option<usize>;
    /// Bytes of a character still to read.
    fn partial(s: &Self::State) -> bool;
    fn step(&self, s: &Self::State, ch: char) -> Option<Self::State>;
    fn accept_byte(&self, s: &Self::State, byte: u8) -> Option<Self::State>;
}

/// Distinct characters of `chars`, in order, into `out`; their count.
fn distinct_into(chars: impl Iterator<Item = char>, out: &mut [char; MAX_QUERY_CHARS]) -> usize {
    let mut len = 0;
    for c in chars {
        if !out[..len].contains(&c) && len < MAX_QUERY_CHARS {
            out[len] = c;
            len += 1;
        }
    }
    len
}

impl Walk for LevenshteinRows {
    type State = RowState;

    fn accepts(&self, s: &RowState) -> bool {
        s.row[self.query.len()] <= self.max_edits
    }

    fn exact_continuations(
        &self,
        s: &RowState,
        out: &mut [char; MAX_QUERY_CHARS],
    ) -> Option<usize> {
        if self.row_min(s) != self.max_edits {
            return None;
        }
        // Only cells of the band can hold the budget (the others hold the cap).
        let k = usize::from(self.max_edits);
        let depth = usize::from(s.depth);
        let n = self.query.len();
        let cells = (depth.saturating_sub(k)..n.min(depth + k + 1))
            .filter(|&j| s.row[j] == self.max_edits)
            .map(|j| self.query[j]);
        Some(distinct_into(cells, out))
    }

    fn partial(s: &RowState) -> bool {
        s.partial_len != 0
    }

    fn step(&self, s: &RowState, ch: char) -> Option<RowState> {
        self.step_char(&s.row, s.depth, ch)
    }

    fn accept_byte(&self, s: &RowState, byte: u8) -> Option<RowState> {
        LevenshteinRows::accept_byte(self, s, byte)
    }
}

impl Walk for BitRows<'_> {
    type State = BitState;

    fn accepts(&self, s: &BitState) -> bool {
        s.masks[self.k()] >> self.rows.query.len() & 1 == 1
    }

    fn exact_continuations(
        &self,
        s: &BitState,
        out: &mut [char; MAX_QUERY_CHARS],
    ) -> Option<usize> {
        let k = self.k();
        if k > 0 && s.masks[k - 1] != 0 {
            return None;
        }
        let mut cells = s.masks[k] & !(1u64 << self.rows.query.len());
        let chars = std::iter::from_fn(|| {
            (cells != 0).then(|| {
                let j = cells.trailing_zeros() as usize;
                cells &= cells - 1;
                self.rows.query[j]
            })
        });
        Some(distinct_into(chars, out))
    }

    fn partial(s: &BitState) -> bool {
        s.partial_len != 0
    }

    fn step(&self, s: &BitState, ch: char) -> Option<BitState> {
        self.step_char(s, ch)
    }

    fn accept_byte(&self, s: &BitState, byte: u8) -> Option<BitState> {
        BitRows::accept_byte(self, s, byte)
    }
}

/// Depth-first walk of `fst` from `node` with the automaton in `state`: emits the output of every key
/// within the budget until `emit` returns false (then returns false). Once every live cell has spent
/// the whole budget, only the exact continuations are looked up instead of every transition.
fn walk<W: Walk, D: AsRef<[u8]>>(
    w: &W,
    fst: &Fst<D>,
    node: Node<'_>,
    out: Output,
    state: &W::State,
    depth: usize,
    emit: &mut dyn FnMut(u64) -> bool,
) -> bool {
    // keys are names: a walk deeper than this is corrupt data, not a name
    if depth > 4096 {
        return true;
    }
    let whole = !W::partial(state);
    if whole && node.is_final() && w.accepts(state) && !emit(out.cat(node.final_output()).value()) {
        return false;
    }
    let mut chars = ['\0'; MAX_QUERY_CHARS];
    if let Some(len) = whole
        .then(|| w.exact_continuations(state, &mut chars))
        .flatten()
    {
        for &c in &chars[..len] {
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
                if let Some(next) = w.step(state, c) {
                    if !walk(w, fst, cur, cur_out, &next, depth + 1, emit) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
    for t in node.transitions() {
        if let Some(next) = w.accept_byte(state, t.inp) {
            if !walk(
                w,
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
        // Both walks (rows; bit masks, for small budgets) visit the keys in the same order, so a
        // cap on the keys taken cuts both at the same place.
        let mut by_rows = Vec::new();
        let root = ranked.as_fst().root();
        let start = aut.start().unwrap();
        walk(
            &aut,
            ranked.as_fst(),
            root,
            Output::zero(),
            &start,
            0,
            &mut |v| {
                by_rows.push(v);
                true
            },
        );
        let in_order: Vec<String> = by_rows
            .iter()
            .map(|&v| sorted[v as usize].to_string())
            .collect();
        if (k as usize) < MAX_BIT_EDITS {
            assert_eq!(direct, in_order, "{query} k={k}: walk order");
        }
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
