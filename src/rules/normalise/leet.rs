//! Leetspeak inside words that contain at least one letter, so "2024"
//! stays a number but "fr33 m0n3y" reads "free money".

use crate::rules::scan::{char_at, char_before};

/// Bytes that can stand for letters. Written without branches so a block
/// of bytes can be tested at once.
fn is_leet(b: u8) -> bool {
    (b == b'0')
        | (b == b'1')
        | (b == b'3')
        | (b == b'4')
        | (b == b'5')
        | (b == b'7')
        | (b == b'@')
        | (b == b'$')
        | (b == b'|')
        | (b == b'!')
}

/// The first leet byte at or after `i`, skipping blocks that have none.
fn next_leet(text: &[u8], mut i: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    while let Some(block) = text.get(i..i + BLOCK) {
        if block.iter().fold(0u8, |any, &b| any | u8::from(is_leet(b))) != 0 {
            break;
        }
        i += BLOCK;
    }
    text.get(i..)?
        .iter()
        .position(|&b| is_leet(b))
        .map(|k| i + k)
}

fn leet(b: u8) -> u8 {
    match b {
        b'0' => b'o',
        b'1' | b'|' => b'l',
        b'!' => b'i',
        b'3' => b'e',
        b'4' | b'@' => b'a',
        b'5' | b'$' => b's',
        b'7' => b't',
        other => other,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$' | '|' | '!')
}

/// Rewrites leetspeak in place. Only words holding a leet character are
/// looked at, and the replacements are all ASCII, so the text stays valid
/// UTF-8 of the same length.
pub fn apply(text: &mut [u8]) {
    let mut i = 0;
    while let Some(at) = next_leet(text, i) {
        let mut start = at;
        while start > 0 {
            let (c, width) = char_before(text, start);
            if !is_word_char(c) {
                break;
            }
            start -= width;
        }
        let mut has_letter = false;
        let mut last_alnum_end = start;
        // Scan from the word's start: letters before the leet byte count.
        let mut p = start;
        while p < text.len() {
            let (c, width) = char_at(text, p);
            if !is_word_char(c) {
                break;
            }
            if c.is_alphanumeric() {
                last_alnum_end = p + width;
                has_letter |= c.is_alphabetic();
            }
            p += width;
        }
        // Trailing symbols are punctuation ("money!!"), not letters.
        if has_letter {
            for b in &mut text[start..last_alnum_end] {
                *b = leet(*b);
            }
        }
        // `p` is past the leet byte, which is a word character.
        i = p;
    }
}
