//! Structural checks: length, shouting, repetition, digit runs, phone
//! numbers and crypto wallet addresses. Each returns the span it found.

use std::sync::LazyLock;

use regex::Regex;

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
    let (mut letters, mut capitals) = (0u32, 0u32);
    if text.is_ascii() {
        // Branch-free counting: this runs on every comment.
        for b in text.bytes() {
            letters += u32::from(b.is_ascii_alphabetic());
            capitals += u32::from(b.is_ascii_uppercase());
        }
    } else {
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            capitals += u32::from(c.is_uppercase());
        }
    }
    (letters >= 20).then(|| f64::from(capitals) / f64::from(letters))
}

/// The first run of one character repeated at least `n` times.
pub fn repeated_char(text: &str, n: u32) -> Option<(usize, usize)> {
    if text.is_ascii() {
        return repeated_byte(text.as_bytes(), n);
    }
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

/// The first word repeated at least `n` times in a row (case-insensitive).
/// One pass, no allocation: this runs on every comment.
pub fn repeated_word(text: &str, n: u32) -> Option<(usize, usize)> {
    let mut run_start = 0;
    let mut run_len = 0u32;
    let mut previous: Option<&str> = None;
    for (at, word) in words(text) {
        if previous.is_some_and(|p| same_word(p, word)) {
            run_len += 1;
        } else {
            run_start = at;
            run_len = 1;
        }
        previous = Some(word);
        if run_len >= n {
            return Some((run_start, at + word.len()));
        }
    }
    None
}

/// Words (runs of letters and digits) with their byte offsets.
fn words(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if text.is_ascii() {
        let bytes = text.as_bytes();
        let mut i = 0;
        return Box::new(std::iter::from_fn(move || {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= bytes.len() {
                return None;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            Some((start, &text[start..i]))
        }));
    }
    let mut rest = text.char_indices().peekable();
    Box::new(std::iter::from_fn(move || {
        while rest.peek().is_some_and(|(_, c)| !c.is_alphanumeric()) {
            rest.next();
        }
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    }))
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
    let bytes = text.as_bytes();
    // Most comments have a handful of digits at most: count first, which
    // is one fast pass.
    if digit_count(bytes) < n as usize {
        return None;
    }
    let mut start: Option<usize> = None;
    let mut last_digit_end = 0;
    let mut digits = 0u32;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            if start.is_none() {
                start = Some(i);
                digits = 0;
            }
            digits += 1;
            last_digit_end = i + 1;
            if digits >= n {
                let end = bytes[last_digit_end..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .map(|j| last_digit_end + j)
                    .unwrap_or(bytes.len());
                return start.map(|s| (s, end));
            }
        } else if !matches!(b, b' ' | b'.' | b'-') || (start.is_some() && i > last_digit_end) {
            start = None;
        }
    }
    None
}

pub fn phone_number(text: &str) -> Option<(usize, usize)> {
    // A phone number has at least nine digits.
    if digit_count(text.as_bytes()) < 9 {
        return None;
    }
    PHONE.as_ref()?.find(text).map(|m| (m.start(), m.end()))
}

fn digit_count(bytes: &[u8]) -> usize {
    bytes.iter().map(|b| usize::from(b.is_ascii_digit())).sum()
}

pub fn crypto_address(text: &str) -> Option<(usize, usize)> {
    CRYPTO.as_ref()?.find(text).map(|m| (m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn spans_on_multibyte_text() {
        let t = "😀😀😀😀😀😀 日本";
        let (s, e) = repeated_char(t, 5).expect("run");
        assert!(t.is_char_boundary(s) && t.is_char_boundary(e));
        assert_eq!(&t[s..e], "😀😀😀😀😀😀");
    }
}
