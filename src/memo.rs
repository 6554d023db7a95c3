//! Bounded per-thread memos of per-word work (a word's analysis, its Arabic candidates, its spellings,
//! its comparable part).
//!
//! Names repeat their words the way any list of people does: a few given names and particles
//! (*Mohammed*, *Ali*, *Abdul*) in most names, and a long tail of family names seen once. A memo that is
//! emptied when full forgets the frequent words with the rare ones every few thousand names; this one
//! sweeps instead: when full it keeps the entries that were used again since the previous sweep (and
//! clears their marks), and drops the rest. A word seen once never survives a sweep, so the memo holds
//! the words that repeat. A sweep keeps at most half the memo (an arbitrary half of the words used again
//! when more were: a working set larger than the memo), so it always frees room and inserting stays
//! amortised O(1).

use std::cell::RefCell;
use std::thread::LocalKey;

use rustc_hash::FxHashMap;

/// Longest word (bytes) given a slot: longer input is not a name part.
pub(crate) const MAX_WORD_BYTES: usize = 64;

/// One memo: word → (value, used since the last sweep).
#[derive(Debug)]
pub(crate) struct WordMemo<V> {
    map: FxHashMap<String, (V, bool)>,
    cap: usize,
}

impl<V: Clone> WordMemo<V> {
    /// An empty memo holding at most `cap` words.
    pub(crate) fn new(cap: usize) -> Self {
        WordMemo {
            map: FxHashMap::default(),
            cap: cap.max(1),
        }
    }

    /// The remembered value, marked as used.
    fn get(&mut self, word: &str) -> Option<V> {
        let (v, used) = self.map.get_mut(word)?;
        *used = true;
        Some(v.clone())
    }

    /// Remembers `v` for `word`, sweeping first when full.
    fn insert(&mut self, word: &str, v: V) {
        if self.map.len() >= self.cap {
            let mut room = self.cap / 2;
            self.map.retain(|_, (_, used)| {
                let keep = std::mem::replace(used, false) && room > 0;
                room -= usize::from(keep);
                keep
            });
        }
        self.map.insert(word.to_string(), (v, false));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.len()
    }
}

/// A thread's memos, one per slot (a flag or option the value depends on besides the word).
pub(crate) type Memos<V, const N: usize> = RefCell<[WordMemo<V>; N]>;

/// `compute()` for `word` in `slot`, remembered in this thread's `memos` (words longer than
/// [`MAX_WORD_BYTES`] are computed every time). Re-entrant use (a memo in use higher up the stack)
/// computes without remembering.
pub(crate) fn memoised<V: Clone, const N: usize>(
    memos: &'static LocalKey<Memos<V, N>>,
    slot: usize,
    word: &str,
    compute: impl FnOnce() -> V,
) -> V {
    let hit = memos.with(|m| {
        m.try_borrow_mut()
            .ok()
            .and_then(|mut m| m.get_mut(slot)?.get(word))
    });
    if let Some(v) = hit {
        return v;
    }
    let v = compute();
    if word.len() <= MAX_WORD_BYTES {
        memos.with(|m| {
            if let Some(memo) = m
                .try_borrow_mut()
                .ok()
                .as_deref_mut()
                .and_then(|m| m.get_mut(slot))
            {
                memo.insert(word, v.clone());
            }
        });
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_keeps_the_words_used_again() {
        let mut m = WordMemo::new(4);
        for w in ["a", "b", "c", "d"] {
            m.insert(w, w.len());
        }
        assert_eq!(m.get("a"), Some(1));
        // Full: the sweep keeps `a` (used again) and drops the three seen once.
        m.insert("e", 1);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("a"), Some(1));
        assert_eq!(m.get("b"), None);
        assert_eq!(m.get("e"), Some(1));
    }

    #[test]
    fn a_sweep_always_frees_room() {
        let mut m = WordMemo::new(4);
        for w in ["a", "b", "c", "d"] {
            m.insert(w, 0u8);
            m.get(w);
        }
        // Every entry used again: half of them stay.
        m.insert("e", 0);
        assert_eq!(m.len(), 3);
        for i in 0..1000 {
            m.insert(&i.to_string(), 0);
            assert!(m.len() <= 4);
        }
    }

    thread_local! {
        static T: Memos<usize, 2> = RefCell::new([WordMemo::new(8), WordMemo::new(8)]);
    }

    #[test]
    fn memoised_computes_once_per_slot_and_not_for_long_words() {
        let mut calls = 0;
        for slot in [0, 1, 0, 1] {
            memoised(&T, slot, "kadhimi", || {
                calls += 1;
                7
            });
        }
        assert_eq!(calls, 2);
        let long = "x".repeat(MAX_WORD_BYTES + 1);
        for _ in 0..2 {
            memoised(&T, 0, &long, || {
                calls += 1;
                0
            });
        }
        assert_eq!(calls, 4);
        // A slot out of range computes without remembering, never panics.
        assert_eq!(memoised(&T, 9, "x", || 3), 3);
    }
}
