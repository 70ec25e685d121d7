//! Property tests of the normaliser: any text normalises without a panic,
//! every normalised span maps back to a range on the original's char
//! boundaries, and normalising is stable. `MODQ_FUZZ_CASES` sets how many
//! texts each property tries.

use proptest::prelude::*;

use super::normalize;

fn cases() -> u32 {
    std::env::var("MODQ_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// Text with what the normaliser folds: look-alikes, leetspeak, separated
/// letters, accents, zero-width characters and wide forms.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            any::<char>().prop_map(String::from),
            Just("f.r.e.e".to_owned()),
            Just("m0n3y".to_owned()),
            Just("ｆｒｅｅ".to_owned()),
            Just("Ⓕⓡⓔⓔ".to_owned()),
            Just("fr\u{200b}ee".to_owned()),
            Just("café".to_owned()),
            Just("ǅ".to_owned()),
            Just("İ".to_owned()),
            Just("ß".to_owned()),
            Just(" ".to_owned()),
            Just("$".to_owned()),
        ],
        0..30,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn spans_map_back_to_char_boundaries(text in tricky_text(), a in 0usize..200, b in 0usize..200) {
        let normalized = normalize(&text);
        let n = normalized.text.len();
        let (start, end) = (a.min(n), b.min(n));
        let (start, end) = (start.min(end), start.max(end));
        // Only ranges on the normalised text's char boundaries are asked.
        if normalized.text.is_char_boundary(start) && normalized.text.is_char_boundary(end) {
            let (from, to) = normalized.original_span(start, end);
            prop_assert!(from <= to && to <= text.len());
            prop_assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
        }
        // The whole normalised text maps onto the original.
        let (from, to) = normalized.original_span(0, n);
        prop_assert!(to <= text.len() && text.is_char_boundary(from) && text.is_char_boundary(to));
    }

    #[test]
    fn normalising_twice_changes_nothing_more(text in tricky_text()) {
        let once = normalize(&text).text;
        let twice = normalize(&once).text;
        prop_assert_eq!(twice, once);
    }
}
