//! Per-character folding: case, width, accents, look-alike letters,
//! invisible characters and white space.

use super::offsets::Builder;

/// ASCII: lower case, and every white space byte becomes a space. Written
/// without branches so the compiler can fold many bytes at once.
pub fn fold_ascii(b: u8) -> u8 {
    let upper = b.wrapping_sub(b'A') < 26;
    let space = matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    let lower = b | (u8::from(upper) << 5);
    if space { b' ' } else { lower }
}

/// Folds the non-ASCII character `c`, which is `original[start..end]`.
pub fn fold_char(c: char, start: u32, end: u32, out: &mut Builder) {
    if is_invisible(c) {
        return;
    }
    if c.is_whitespace() {
        out.push_space(start, end);
        return;
    }
    let mut produced = false;
    unicode_normalization::char::decompose_compatible(c, |d| {
        if unicode_normalization::char::is_combining_mark(d) {
            return;
        }
        for lower in d.to_lowercase() {
            if unicode_normalization::char::is_combining_mark(lower) {
                continue;
            }
            let folded = fold_confusable(lower);
            if folded.is_whitespace() {
                out.push_space(start, end);
            } else {
                out.push_char(folded, start, end);
            }
            produced = true;
        }
    });
    // A combining mark belongs to the letter before it: highlight both.
    if !produced && unicode_normalization::char::is_combining_mark(c) && out.continues_at(start) {
        out.extend_last(end);
    }
}

pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// Letters of other scripts that look like Latin ones (after lower-casing).
pub fn fold_confusable(c: char) -> char {
    match c {
        // Cyrillic
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' | 'є' => 'e',
        'з' => '3',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' | 'ў' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'һ' => 'h',
        'ӏ' => 'l',
        'ь' => 'b',
        'п' => 'n',
        'г' => 'r',
        // Greek
        'α' => 'a',
        'β' => 'b',
        'γ' => 'y',
        'ε' => 'e',
        'η' => 'n',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        'ω' => 'w',
        'ς' | 'σ' => 'o',
        // Latin look-alikes outside ASCII that NFKD leaves alone
        'ı' => 'i',
        'ȷ' => 'j',
        'ł' => 'l',
        'ø' => 'o',
        'đ' => 'd',
        'ħ' => 'h',
        'ŧ' => 't',
        'ß' => 's',
        'ɑ' => 'a',
        'ɡ' => 'g',
        'ɩ' => 'i',
        'ʀ' => 'r',
        'ʏ' => 'y',
        'ᴀ' => 'a',
        other => other,
    }
}
