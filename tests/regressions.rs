//! One test per fuzzing finding (see fuzz/README.md): the minimal input, what went wrong, and the
//! invariant that now holds. The crashing inputs themselves are kept in fuzz/corpus/<target>/ so every
//! fuzz run replays them.

/// fuzz target `text`, input `c5a6 61 ed d984 d984 c481 6c 20` ("Ŧa\u{FFFD}للāl "): capitals whose
/// lowercase is one of the folded Latin letters (Ŧ → ŧ → t) were only lowercased, so a second
/// normalisation changed the text again (`normalize` was not idempotent).
#[test]
fn capitals_of_folded_letters_fold_in_one_pass() {
    for (input, expected) in [
        ("Ŧ", "t"),
        ("Ƶ", "z"),
        ("Ɛ", "e"),
        ("Ɔ", "o"),
        ("Ŧa\u{FFFD}للāl ", "ta\u{FFFD}للal"),
    ] {
        let once = nisba::normalize(input);
        assert_eq!(once, expected, "{input:?}");
        assert_eq!(nisba::normalize(&once), once, "idempotent on {input:?}");
    }
}
