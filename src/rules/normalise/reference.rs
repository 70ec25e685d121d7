//! The normaliser as first written, one character at a time with an
//! offset entry per character: slow, but plain enough to check the fast one
//! against.

use super::fold::{fold_confusable, is_invisible};
use super::separated::{Folded, collapse_separated_letters, is_separator};

pub struct Reference {
    pub text: String,
    map: Vec<(u32, u32, u32)>,
}

impl Reference {
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.text.len() {
            return (0, 0);
        }
        per_char_span(&self.map, start, end)
    }
}

fn per_char_span(map: &[(u32, u32, u32)], start: usize, end: usize) -> (usize, usize) {
    {
        if map.is_empty() {
            return (0, 0);
        }
        let (start, end) = (start as u32, end as u32);
        let first = match map.binary_search_by_key(&start, |m| m.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let last = match map.binary_search_by_key(&(end - 1), |m| m.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let orig_start = map[first].1 as usize;
        let orig_end = map[last.max(first)].2 as usize;
        (orig_start, orig_end.max(orig_start))
    }
}

pub fn normalize(original: &str) -> Reference {
    let mut chars: Vec<Folded> = Vec::with_capacity(original.len());
    for (start, c) in original.char_indices() {
        let end = start + c.len_utf8();
        fold_char(c, start as u32, end as u32, &mut chars);
    }
    apply_leetspeak(&mut chars);
    let chars = if has_separated_letters(&chars) {
        // Closed up, letters and digits may make one word: read leetspeak
        // again.
        let mut closed = collapse_separated_letters(chars);
        apply_leetspeak(&mut closed);
        closed
    } else {
        chars
    };
    let mut text = String::with_capacity(chars.len() + 8);
    let mut map = Vec::with_capacity(chars.len());
    for f in chars {
        map.push((text.len() as u32, f.start, f.end));
        text.push(f.c);
    }
    Reference { text, map }
}

fn fold_char(c: char, start: u32, end: u32, out: &mut Vec<Folded>) {
    if c.is_ascii() {
        let c = if c.is_ascii_whitespace() {
            ' '
        } else {
            c.to_ascii_lowercase()
        };
        push(out, c, start, end);
        return;
    }
    if is_invisible(c) {
        return;
    }
    if c.is_whitespace() {
        push(out, ' ', start, end);
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
            let folded = if folded.is_whitespace() { ' ' } else { folded };
            push(out, folded, start, end);
            produced = true;
        }
    });
    // A combining mark belongs to the letter before it: highlight both.
    if !produced
        && unicode_normalization::char::is_combining_mark(c)
        && let Some(last) = out.last_mut()
        && last.end == start
    {
        last.end = end;
    }
}

fn push(out: &mut Vec<Folded>, c: char, start: u32, end: u32) {
    if c == ' ' && out.last().is_some_and(|l| l.c == ' ') {
        if let Some(last) = out.last_mut() {
            last.end = end;
        }
        return;
    }
    out.push(Folded { c, start, end });
}

/// Maps leetspeak inside words that contain at least one letter, so "2024"
/// stays a number but "fr33 m0n3y" reads "free money".
fn apply_leetspeak(chars: &mut [Folded]) {
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i].c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_char(chars[i].c) {
            i += 1;
        }
        // Trailing symbols are punctuation ("money!!"), not letters.
        let mut end = i;
        while end > start && !chars[end - 1].c.is_alphanumeric() {
            end -= 1;
        }
        let word = &mut chars[start..end];
        if word.iter().any(|f| f.c.is_alphabetic()) {
            for f in word.iter_mut() {
                f.c = leet(f.c);
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$' | '|' | '!')
}

fn leet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | '|' => 'l',
        '!' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        other => other,
    }
}

/// Whether any run of three single characters joined by separators exists;
/// most comments have none, and then nothing needs rebuilding.
fn has_separated_letters(chars: &[Folded]) -> bool {
    let n = chars.len();
    let alnum = |i: usize| i < n && chars[i].c.is_alphanumeric();
    let single = |i: usize| alnum(i) && (i == 0 || !alnum(i - 1)) && !alnum(i + 1);
    (0..n.saturating_sub(4)).any(|i| {
        is_separator(chars[i + 1].c)
            && single(i)
            && single(i + 2)
            && is_separator(chars[i + 3].c)
            && single(i + 4)
    })
}
