//! Structural checks: length, shouting, repetition, digit runs, phone
//! numbers and crypto wallet addresses. Each returns the span it found.

use std::sync::LazyLock;

use regex::Regex;

use super::scan::{count_bytes, non_ascii_chars};

// These patterns are ASCII by nature, so they use ASCII word boundaries
// and character classes: the Unicode ones would force the slow engine on
// any text with an accent or an emoji.
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?-u:(?:\+|\b)[0-9](?:[ \t.\-()]*[0-9]){8,14}\b)").ok());
static CRYPTO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b(?:bc1[ac-hj-np-z02-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\b)",
    )
    .ok()
});

pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The share of capitals among letters, when there are at least 20 letters.
pub fn capital_ratio(text: &str) -> Option<f64> {
    // Counted over all bytes at once: this runs on every comment. Bytes
    // of non-ASCII characters are never ASCII letters.
    let bytes = text.as_bytes();
    let mut letters = count_bytes(bytes, |b| (b | 0x20).wrapping_sub(b'a') < 26);
    let mut capitals = count_bytes(bytes, |b| b.wrapping_sub(b'A') < 26);
    if !text.is_ascii() {
        for (_, c) in non_ascii_chars(text).filter(|(_, c)| c.is_alphabetic()) {
            letters += 1;
            capitals += usize::from(c.is_uppercase());
        }
    }
    (letters >= 20).then(|| capitals as f64 / letters as f64)
}

/// The first run of one character repeated at least `n` times.
pub fn repeated_char(text: &str, n: u32) -> Option<(usize, usize)> {
    if text.is_ascii() {
        return repeated_byte(text.as_bytes(), n);
    }
    // A run of `n` characters of `w` bytes repeats bytes at stride `w`;
    // a run of three or more equal bytes is a run of an ASCII character.
    let n = n.max(1) as usize;
    if n > 2 && !(2..=4).any(|w| may_repeat(text.as_bytes(), n, w)) {
        return repeated_byte(text.as_bytes(), n as u32);
    }
    repeated_char_of_any_text(text, n as u32)
}

fn repeated_char_of_any_text(text: &str, n: u32) -> Option<(usize, usize)> {
    let mut run_start = 0;
    let mut run_len = 0u32;
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if Some(c) == prev && !c.is_whitespace() {
            run_len += 1;
        } else {
            run_start = i;
            run_len = 1;
        }
        prev = Some(c);
        if run_len >= n {
            let end = text[i..]
                .chars()
                .take_while(|&x| x == c)
                .map(char::len_utf8)
                .sum::<usize>()
                + i;
            return Some((run_start, end));
        }
    }
    None
}

fn repeated_byte(bytes: &[u8], n: u32) -> Option<(usize, usize)> {
    let n = n.max(1) as usize;
    if n > 2 && !may_repeat(bytes, n, 1) {
        return None;
    }
    let mut run_start = 0;
    for i in 1..=bytes.len() {
        if i < bytes.len() && bytes[i] == bytes[i - 1] {
            continue;
        }
        // A run of bytes[run_start] ended at i.
        if i - run_start >= n && !bytes[run_start].is_ascii_whitespace() {
            return Some((run_start, i));
        }
        run_start = i;
    }
    None
}

/// A test every run of `n` equal characters of `w` bytes passes and
/// ordinary text almost never does (first, second, middle and last equal),
/// over all positions at once.
fn may_repeat(bytes: &[u8], n: usize, w: usize) -> bool {
    let Some(m) = bytes.len().checked_sub((n - 1) * w) else {
        return false;
    };
    let first = &bytes[..m];
    let second = &bytes[w..][..m];
    let middle = &bytes[(n - 1) / 2 * w..][..m];
    let last = &bytes[(n - 1) * w..][..m];
    let mut any = 0u8;
    for k in 0..m {
        any |= u8::from(first[k] == second[k])
            & u8::from(first[k] == middle[k])
            & u8::from(first[k] == last[k]);
    }
    any != 0
}

/// The first word repeated at least `n` times in a row (case-insensitive).
/// Word boundaries come from a bit mask of letters and digits rather than
/// byte by byte: a branch at every word boundary costs more than the rest
/// of the work, and this runs on every comment.
pub fn repeated_word(text: &str, n: u32) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let ascii = text.is_ascii();
    let words = AlnumMask::new(text);
    let (mut pos, mut run_start, mut run_len) = (0, 0, 0u32);
    let mut previous = 0..0;
    while let Some(start) = words.next(pos, true) {
        let end = words.next(start, false).unwrap_or(bytes.len());
        let same = (end - start == previous.len()
            && bytes[previous.clone()].eq_ignore_ascii_case(&bytes[start..end]))
            || (!ascii && same_word(&text[previous.clone()], &text[start..end]));
        if same {
            run_len += 1;
        } else {
            run_start = start;
            run_len = 1;
        }
        if run_len >= n {
            return Some((run_start, end));
        }
        previous = start..end;
        pos = end;
    }
    None
}

/// One bit per byte: set for every byte of a letter or digit.
struct AlnumMask {
    blocks: Vec<u64>,
}

impl AlnumMask {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut flags = [0u8; 64];
        let mut blocks: Vec<u64> = bytes
            .chunks(64)
            .map(|block| {
                for (flag, &b) in flags.iter_mut().zip(block) {
                    let alnum = ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10);
                    *flag = u8::from(alnum);
                }
                flags[..block.len()]
                    .iter()
                    .enumerate()
                    .fold(0u64, |mask, (k, &f)| mask | (u64::from(f) << k))
            })
            .collect();
        if !text.is_ascii() {
            for (i, c) in non_ascii_chars(text) {
                if c.is_alphanumeric() {
                    for k in i..i + c.len_utf8() {
                        blocks[k / 64] |= 1 << (k % 64);
                    }
                }
            }
        }
        Self { blocks }
    }

    /// The first position at or after `pos` whose bit is `set`.
    fn next(&self, pos: usize, set: bool) -> Option<usize> {
        let mut k = pos / 64;
        let read = |k: usize| {
            let block = *self.blocks.get(k)?;
            Some(if set { block } else { !block })
        };
        let mut bits = read(k)? & (u64::MAX << (pos % 64));
        while bits == 0 {
            k += 1;
            bits = read(k)?;
        }
        Some(k * 64 + bits.trailing_zeros() as usize)
    }
}

fn same_word(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

/// The first run of at least `n` digits, allowing single spaces, dots and
/// dashes between them. Works on bytes: every character it looks for is
/// ASCII, and any other byte ends a run.
pub fn digit_run(text: &str, n: u32) -> Option<(usize, usize)> {
    digit_group(text.as_bytes(), n, 1, |b| matches!(b, b' ' | b'.' | b'-'))
}

pub fn phone_number(text: &str) -> Option<(usize, usize)> {
    // A phone number has at least nine digits with nothing but spacing
    // and punctuation between them; most comments have no such stretch.
    let spacing = |b: u8| matches!(b, b' ' | b'\t' | b'.' | b'-' | b'(' | b')');
    digit_group(text.as_bytes(), 9, usize::MAX, spacing)?;
    PHONE.as_ref()?.find(text).map(|m| (m.start(), m.end()))
}

/// The first stretch of at least `n` digits in which the bytes between two
/// digits are at most `max_gap` bytes that `gap` allows.
fn digit_group(
    bytes: &[u8],
    n: u32,
    max_gap: usize,
    gap: impl Fn(u8) -> bool,
) -> Option<(usize, usize)> {
    // Most comments have a handful of digits at most: count first, which
    // is one fast pass.
    if digit_count(bytes) < n as usize {
        return None;
    }
    let mut i = 0;
    while let Some(k) = bytes[i..].iter().position(u8::is_ascii_digit) {
        let start = i + k;
        let (mut end, mut digits) = (start, 0u32);
        loop {
            let spaces = bytes[end..]
                .iter()
                .take(max_gap)
                .take_while(|&&b| gap(b))
                .count();
            if !bytes.get(end + spaces).is_some_and(u8::is_ascii_digit) {
                break;
            }
            digits += 1;
            end += spaces + 1;
        }
        if digits >= n {
            return Some((start, end));
        }
        i = end;
    }
    None
}

fn digit_count(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| b.is_ascii_digit())
}

pub fn crypto_address(text: &str) -> Option<(usize, usize)> {
    CRYPTO.as_ref()?.find(text).map(|m| (m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lcg::Lcg;

    fn slice(text: &str, span: Option<(usize, usize)>) -> Option<&str> {
        span.map(|(s, e)| &text[s..e])
    }

    #[test]
    fn shouting() {
        assert!(capital_ratio("SHORT").is_none());
        let loud = capital_ratio("THIS IS A VERY LOUD COMMENT INDEED").expect("ratio");
        assert!(loud > 0.99);
        let calm = capital_ratio("This is a calm comment about things").expect("ratio");
        assert!(calm < 0.1);
    }

    #[test]
    fn repetition() {
        let t = "nooooooo way";
        assert_eq!(slice(t, repeated_char(t, 6)), Some("ooooooo"));
        assert_eq!(repeated_char("good book", 3), None);
        let t = "buy buy BUY buy now";
        assert_eq!(slice(t, repeated_word(t, 4)), Some("buy buy BUY buy"));
        assert_eq!(repeated_word("buy buy now", 3), None);
    }

    #[test]
    fn digits_phones_and_wallets() {
        let t = "call 555-123-4567 today";
        assert_eq!(slice(t, digit_run(t, 10)), Some("555-123-4567"));
        assert_eq!(digit_run("in 2024 and 2025", 8), None);
        let t = "ring +44 20 7946 0958 now";
        assert_eq!(slice(t, phone_number(t)), Some("+44 20 7946 0958"));
        assert_eq!(phone_number("the year 2026"), None);
        let t = "send to 0x52908400098527886E0F7030069857D2E4169EE7 please";
        assert_eq!(
            slice(t, crypto_address(t)),
            Some("0x52908400098527886E0F7030069857D2E4169EE7")
        );
        let t = "btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
        assert!(crypto_address(t).is_some());
        assert_eq!(crypto_address("a normal sentence with words"), None);
    }

    #[test]
    fn digit_runs_allow_one_separator_between_digits() {
        let t = "ref 12.34.56.78 and 1 2 3";
        assert_eq!(slice(t, digit_run(t, 8)), Some("12.34.56.78"));
        assert_eq!(digit_run("12..34..56..78", 8), None);
        assert_eq!(digit_run("12 - 34 - 56 - 78", 8), None);
        let t = "x 123456789";
        assert_eq!(slice(t, digit_run(t, 9)), Some("123456789"));
        assert_eq!(digit_run("12345678", 9), None);
    }

    /// Repeated words as first written, with `char` iteration throughout.
    fn repeated_word_by_chars(text: &str, n: u32) -> Option<(usize, usize)> {
        let words: Vec<(usize, &str)> = text
            .char_indices()
            .filter(|&(i, c)| {
                c.is_alphanumeric()
                    && !text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
            })
            .map(|(i, _)| {
                let len: usize = text[i..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .map(char::len_utf8)
                    .sum();
                (i, &text[i..i + len])
            })
            .collect();
        let (mut run_start, mut run_len) = (0, 0);
        for (k, &(at, word)) in words.iter().enumerate() {
            if k > 0 && same_word(words[k - 1].1, word) {
                run_len += 1;
            } else {
                (run_start, run_len) = (at, 1);
            }
            if run_len >= n {
                return Some((run_start, at + word.len()));
            }
        }
        None
    }

    #[test]
    fn fast_paths_agree_with_plain_character_scans() {
        const ALPHABET: &[char] = &[
            'a', 'a', 'A', 'b', ' ', ' ', '.', '!', '1', 'x', '\t', 'é', 'É', '😀',
        ];
        let mut rng = Lcg(3);
        for _ in 0..5000 {
            let text = rng.string(ALPHABET, 39);
            let ascii: String = text.chars().filter(char::is_ascii).collect();
            for text in [text.clone(), ascii] {
                check_shapes(&text);
            }
        }
    }

    fn check_shapes(text: &str) {
        for n in 2..7 {
            assert_eq!(
                repeated_char(text, n),
                repeated_char_of_any_text(text, n),
                "{text:?} {n}"
            );
            assert_eq!(
                repeated_word(text, n),
                repeated_word_by_chars(text, n),
                "{text:?} {n}"
            );
        }
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let capitals = text.chars().filter(|c| c.is_uppercase()).count();
        let expected = (letters >= 20).then(|| capitals as f64 / letters as f64);
        assert_eq!(capital_ratio(text), expected, "{text:?}");
    }

    #[test]
    fn spans_on_multibyte_text() {
        let t = "😀😀😀😀😀😀 日本";
        let (s, e) = repeated_char(t, 5).expect("run");
        assert!(t.is_char_boundary(s) && t.is_char_boundary(e));
        assert_eq!(&t[s..e], "😀😀😀😀😀😀");
    }
}
