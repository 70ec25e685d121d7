//! Folds text into the form rules match against, remembering where every
//! folded character came from, so a match can be highlighted exactly in
//! what the commenter wrote.
//!
//! Steps, in order: zero-width and format characters are dropped; each
//! character gets its compatibility decomposition (NFKD, which covers what
//! NFKC folds: full-width letters, ligatures, circled digits) with combining
//! marks removed ("é" → "e"); lower-casing; look-alike letters from other
//! scripts become their Latin twins (Cyrillic "а" → "a"); runs of white
//! space become one space. Then, inside words that contain a letter,
//! leetspeak digits and symbols become letters ("fr33" → "free"), and runs of
//! single characters joined by separators are closed up ("s p a m",
//! "f.r.e.e m.o.n.e.y" → "spam", "free money").
//!
//! Term matching additionally reads "l" as "i" (see [`term_text`]), so "1",
//! "l", "|" and "i" all meet; that keeps byte offsets unchanged.
//!
//! This runs on every comment, so ASCII stretches are folded many bytes at
//! a time and only characters that change length are recorded (see
//! [`offsets`]).

mod fold;
#[cfg(test)]
mod fuzz;
mod leet;
mod offsets;
#[cfg(test)]
mod reference;
mod separated;

use fold::{fold_ascii, fold_char};
use offsets::{Builder, OffsetMap};
use separated::{Folded, collapse_separated_letters, has_separated_letters};

/// Normalised text plus the way back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    map: OffsetMap,
}

impl Normalized {
    /// The original byte range behind the normalised range `[start, end)`.
    /// Both ends fall on char boundaries of the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.text.len() {
            return (0, 0);
        }
        self.map.original_span(start, end)
    }
}

/// The text term rules match: `text` with "l" read as "i". Same length and
/// offsets as the normalised text.
pub fn term_text(normalized: &str) -> String {
    let bytes: Vec<u8> = normalized
        .bytes()
        .map(|b| if b == b'l' { b'i' } else { b })
        .collect();
    // Only an ASCII byte changed, so this is still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

pub fn normalize(original: &str) -> Normalized {
    // Longer than u32 offsets can express: not a comment modq accepts.
    let original = if original.len() > u32::MAX as usize / 2 {
        &original[..0]
    } else {
        original
    };
    let bytes = original.as_bytes();
    let mut out = Builder::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let ascii = ascii_prefix(&bytes[i..]);
        if ascii > 0 {
            out.push_ascii(&bytes[i..i + ascii], i as u32, fold_ascii);
            i += ascii;
            continue;
        }
        let Some(c) = original[i..].chars().next() else {
            break;
        };
        let end = i + c.len_utf8();
        fold_char(c, i as u32, end as u32, &mut out);
        i = end;
    }
    leet::apply(out.text_mut());
    let (text, map) = out.finish();
    let folded = Normalized {
        // Built from whole characters and ASCII replacements of ASCII bytes.
        text: String::from_utf8(text).unwrap_or_default(),
        map,
    };
    if has_separated_letters(&folded.text) {
        // Closing up can make a word of letters and digits ("f.r.e.e.0"
        // becomes "free0"): leetspeak is read again, as a second
        // normalisation would.
        let mut closed = close_up(&folded);
        let mut text = std::mem::take(&mut closed.text).into_bytes();
        leet::apply(&mut text);
        // Leetspeak replaces ASCII bytes with ASCII bytes.
        closed.text = String::from_utf8(text).unwrap_or_default();
        closed
    } else {
        folded
    }
}

/// How many bytes at the start of `bytes` are ASCII, eight at a time.
fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut n = 0;
    for block in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes([
            block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7],
        ]);
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .position(|&b| b >= 0x80)
        .unwrap_or(bytes.len() - n)
}

/// Closes up separated letters, which rebuilds text and map.
fn close_up(folded: &Normalized) -> Normalized {
    let chars: Vec<Folded> = folded
        .map
        .chars_with_origins(&folded.text)
        .map(|(c, start, end)| Folded { c, start, end })
        .collect();
    let mut out = Builder::with_capacity(folded.text.len());
    for f in collapse_separated_letters(chars) {
        out.push_char(f.c, f.start, f.end);
    }
    let (text, map) = out.finish();
    Normalized {
        text: String::from_utf8(text).unwrap_or_default(),
        map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lcg::Lcg;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn case_width_and_accents_fold() {
        assert_eq!(norm("FREE Money"), "free money");
        assert_eq!(norm("ＦＲＥＥ"), "free");
        assert_eq!(norm("café naïve"), "cafe naive");
        assert_eq!(norm("ﬁnance"), "finance");
    }

    #[test]
    fn homoglyphs_fold_to_latin() {
        // Cyrillic а, с, о and р.
        assert_eq!(norm("ѕсаm"), "scam");
        assert_eq!(norm("\u{0440}\u{043E}\u{0440}"), "pop");
        assert_eq!(norm("СКАМ"), "ckam");
    }

    #[test]
    fn zero_width_characters_vanish() {
        assert_eq!(norm("sp\u{200B}am"), "spam");
        assert_eq!(norm("s\u{FEFF}c\u{200D}am"), "scam");
    }

    #[test]
    fn leetspeak_inside_words_only() {
        assert_eq!(norm("fr33 m0n3y"), "free money");
        assert_eq!(norm("$c@m"), "scam");
        assert_eq!(norm("ki11"), "kill");
        assert_eq!(norm("money!! $ale"), "money!! sale");
        assert_eq!(norm("call 2024 or 555"), "call 2024 or 555");
    }

    #[test]
    fn separated_letters_close_up() {
        assert_eq!(norm("s p a m"), "spam");
        assert_eq!(norm("f.r.e.e m.o.n.e.y"), "free money");
        // A digit joined to the letters reads as leetspeak, as it would in
        // "free0": normalising again changes nothing.
        assert_eq!(norm("f.r.e.e.0"), "freeo");
        assert_eq!(norm(&norm("f.r.e.e.0")), "freeo");
        assert_eq!(norm("b-u-y now"), "buy now");
        assert_eq!(norm("a b"), "a b");
        assert_eq!(norm("I am a fan"), "i am a fan");
    }

    #[test]
    fn whitespace_runs_become_one_space() {
        assert_eq!(norm("free \n\t money"), "free money");
    }

    #[test]
    fn term_text_reads_l_as_i() {
        assert_eq!(term_text(&norm("K1LL |diot")), "kiii idiot");
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let original = "Hey 😀 FR33 m0ney, naïve café";
        let n = normalize(original);
        let at = n.text.find("free").expect("found");
        let (s, e) = n.original_span(at, at + 4);
        assert_eq!(&original[s..e], "FR33");
        let at = n.text.find("cafe").expect("found");
        let (s, e) = n.original_span(at, at + 4);
        assert_eq!(&original[s..e], "café");
    }

    #[test]
    fn spans_cover_combining_marks_and_collapsed_runs() {
        let original = "the cafe\u{0301} is s p a m";
        let n = normalize(original);
        let at = n.text.find("cafe").expect("found");
        let (s, e) = n.original_span(at, at + 4);
        assert_eq!(&original[s..e], "cafe\u{0301}");
        let at = n.text.find("spam").expect("found");
        let (s, e) = n.original_span(at, at + 4);
        assert_eq!(&original[s..e], "s p a m");
    }

    #[test]
    fn spans_on_cjk_text() {
        let original = "日本語 spam テキスト";
        let n = normalize(original);
        let at = n.text.find("spam").expect("found");
        let (s, e) = n.original_span(at, at + 4);
        assert_eq!(&original[s..e], "spam");
        let at = n.text.find("テキスト").expect("found");
        let (s, e) = n.original_span(at, at + "テキスト".len());
        assert_eq!(&original[s..e], "テキスト");
    }

    /// Every range of `text`'s normalised form maps to the same original
    /// bytes as in the per-character reference.
    fn assert_matches_reference(text: &str) {
        let fast = normalize(text);
        let slow = reference::normalize(text);
        assert_eq!(fast.text, slow.text, "{text:?}");
        let t = &fast.text;
        let boundaries: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
        for (k, &p) in boundaries.iter().enumerate() {
            for &q in &boundaries[k + 1..] {
                assert_eq!(
                    fast.original_span(p, q),
                    slow.original_span(p, q),
                    "{text:?} {p}..{q}"
                );
            }
        }
    }

    #[test]
    fn agrees_with_the_reference_on_hand_picked_text() {
        for text in [
            "Hello   World\t\nFR33 m0ney!! $cam |diot 2024",
            "call 555-123-4567 or +44 20 7946 0958",
            "ok",
            "",
            "   leading and inner   spaces  ",
            "a \u{200B} b\u{00A0}\u{00A0} c \u{2003}\nd",
            "ﬁnance ＦＲＥＥ café\u{0301} naïve Жж ΣΑΣ ß İ",
            "😀😀 ❤\u{FE0F} 日本語 テキスト",
            "s p a m and f.r.e.e m.o.n.e.y, é.t.é",
            "\u{0301}leading mark, x\u{200B}\u{0301}",
        ] {
            assert_matches_reference(text);
        }
    }

    #[test]
    fn agrees_with_the_reference_on_random_text() {
        const ALPHABET: &[char] = &[
            'a', 'Z', ' ', ' ', '1', '3', '0', '5', '!', '$', '@', '|', '.', '-', '\t', '\n', 'x',
            'y', 'L', 'l', 'é', '\u{0301}', '\u{200B}', '\u{00A0}', 'а', 'ﬁ', '😀', 'Ж', 'ß',
        ];
        let mut rng = Lcg(7);
        for _ in 0..4000 {
            assert_matches_reference(&rng.string(ALPHABET, 23));
        }
    }

    #[test]
    fn never_panics_and_spans_sit_on_char_boundaries() {
        const ALPHABET: &[char] = &[
            'a', 'S', ' ', '.', '-', '1', '3', '@', '$', '|', 'é', 'e', '\u{0301}', '\u{200B}',
            'а', 'ﬁ', 'Ａ', '😀', '日', '\n', 'İ', 'ß', '\u{FEFF}', '!', 'l', '0',
        ];
        let mut rng = Lcg(42);
        for _ in 0..3000 {
            let s = rng.string(ALPHABET, 39);
            let n = normalize(&s);
            let t = &n.text;
            let boundaries: Vec<usize> =
                t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for _ in 0..10 {
                if boundaries.len() < 2 {
                    break;
                }
                let a = boundaries[rng.next() % boundaries.len()];
                let b = boundaries[rng.next() % boundaries.len()];
                let (lo, hi) = (a.min(b), a.max(b));
                let (s0, s1) = n.original_span(lo, hi);
                assert!(s0 <= s1 && s1 <= s.len(), "{s:?} {lo}..{hi} -> {s0}..{s1}");
                assert!(s.is_char_boundary(s0) && s.is_char_boundary(s1), "{s:?}");
            }
        }
    }
}
