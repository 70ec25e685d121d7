//! Runs of single characters joined by separators ("s p a m",
//! "f.r.e.e m.o.n.e.y") are closed up into words.

use crate::rules::scan::non_ascii_chars;

/// A character with the original bytes it stands for.
#[derive(Debug, Clone, Copy)]
pub struct Folded {
    pub c: char,
    pub start: u32,
    pub end: u32,
}

pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '.' | '-' | '_' | '*' | '·' | '•' | ',' | '/' | '+' | '~' | '\''
    )
}

const ALNUM: u8 = 1;
const SEPARATOR: u8 = 2;

/// What a character is, as far as separated letters go. Written without
/// branches for ASCII, so a whole text can be classed many bytes at a time.
fn ascii_class(b: u8) -> u8 {
    let alpha = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    let separator = matches!(
        b,
        b' ' | b'.' | b'-' | b'_' | b'*' | b',' | b'/' | b'+' | b'~' | b'\''
    );
    (u8::from(alpha | digit) * ALNUM) | (u8::from(separator) * SEPARATOR)
}

fn char_class(c: char) -> u8 {
    match u8::try_from(c) {
        Ok(b) if b.is_ascii() => ascii_class(b),
        _ => (u8::from(c.is_alphanumeric()) * ALNUM) | (u8::from(is_separator(c)) * SEPARATOR),
    }
}

/// Whether three or more single characters are joined by single
/// separators anywhere; most comments have none, and then nothing needs
/// rebuilding. Classes every character, then looks for the pattern
/// "not alphanumeric, one, separator, one, separator, one, not
/// alphanumeric" over all positions at once.
pub fn has_separated_letters(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut classes: Vec<u8> = Vec::with_capacity(bytes.len() + 2);
    classes.push(0);
    // Bytes of non-ASCII characters class as neither; then each such
    // character's class goes on its first byte, and the rest are dropped.
    classes.extend(bytes.iter().map(|&b| ascii_class(b)));
    if !text.is_ascii() {
        for (i, c) in non_ascii_chars(text) {
            classes[i + 1] = char_class(c);
        }
        let mut kept = 1;
        for i in 0..bytes.len() {
            classes[kept] = classes[i + 1];
            kept += usize::from(bytes[i] & 0xC0 != 0x80);
        }
        classes.truncate(kept);
    }
    classes.push(0);
    let Some(n) = classes.len().checked_sub(6) else {
        return false;
    };
    let at = |k: usize| &classes[k..k + n];
    let (c0, c1, c2, c3, c4, c5, c6) = (at(0), at(1), at(2), at(3), at(4), at(5), at(6));
    let mut found = 0u8;
    for k in 0..n {
        found |= !c0[k] & c1[k] & (c2[k] >> 1) & c3[k] & (c4[k] >> 1) & c5[k] & !c6[k];
    }
    found & ALNUM != 0
}

/// Closes up runs of at least three single characters joined by single
/// separators. Where two kinds of separator appear ("f.r.e.e m.o.n.e.y"),
/// the commoner kind is dropped and the other becomes a space.
pub fn collapse_separated_letters(chars: Vec<Folded>) -> Vec<Folded> {
    let n = chars.len();
    let alnum = |i: usize| i < n && chars[i].c.is_alphanumeric();
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let single = alnum(i) && (i == 0 || !alnum(i - 1)) && !alnum(i + 1);
        if !single {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend: letter (sep letter)* where each letter stands alone.
        let mut letters = vec![i];
        let mut j = i;
        while j + 2 < n + 1
            && j + 1 < n
            && is_separator(chars[j + 1].c)
            && alnum(j + 2)
            && !alnum(j + 3)
        {
            j += 2;
            letters.push(j);
        }
        if letters.len() < 3 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut counts: Vec<(char, usize)> = Vec::new();
        for pair in letters.windows(2) {
            let sep = chars[pair[0] + 1].c;
            match counts.iter_mut().find(|(c, _)| *c == sep) {
                Some((_, n)) => *n += 1,
                None => counts.push((sep, 1)),
            }
        }
        let dropped = counts
            .iter()
            .max_by_key(|(_, n)| *n)
            .map(|(c, _)| *c)
            .unwrap_or(' ');
        for (k, &pos) in letters.iter().enumerate() {
            out.push(chars[pos]);
            if let Some(&next) = letters.get(k + 1) {
                let sep = chars[pos + 1];
                if sep.c != dropped {
                    out.push(Folded { c: ' ', ..sep });
                }
                debug_assert_eq!(next, pos + 2);
            }
        }
        i = j + 1;
    }
    out
}
