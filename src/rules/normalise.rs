//! Folds text into the form rules match against, remembering for every
//! folded character which bytes of the original it came from, so a match
//! can be highlighted exactly in what the commenter wrote.
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

/// Normalised text plus the way back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    map: OffsetMap,
}

/// Offsets are `u32`: comment bodies are far below 4 GiB, and small entries
/// keep normalisation fast.
#[derive(Debug, Clone)]
enum OffsetMap {
    /// `(normalised byte offset, original start, original end)` per char.
    PerChar(Vec<(u32, u32, u32)>),
    /// ASCII text maps byte for byte, except where a run of white space
    /// became one space; only those runs are listed, in order.
    Ascii(Vec<SpaceRun>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SpaceRun {
    /// Where the single space is in the normalised text.
    at: u32,
    /// The run in the original.
    start: u32,
    end: u32,
    /// Original bytes dropped by this and every earlier run.
    dropped: u32,
}

impl Normalized {
    /// The original byte range behind the normalised range `[start, end)`.
    /// Both ends fall on char boundaries of the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.text.len() {
            return (0, 0);
        }
        match &self.map {
            OffsetMap::PerChar(map) => per_char_span(map, start, end),
            OffsetMap::Ascii(runs) => {
                let (first, last) = (start as u32, end as u32 - 1);
                let dropped_before = |p: u32| {
                    let k = runs.partition_point(|r| r.at < p);
                    if k == 0 { 0 } else { runs[k - 1].dropped }
                };
                let run_at = |p: u32| {
                    runs.binary_search_by_key(&p, |r| r.at)
                        .ok()
                        .map(|i| runs[i])
                };
                let s = run_at(first).map_or(first + dropped_before(first), |r| r.start);
                let e = run_at(last).map_or(last + dropped_before(last) + 1, |r| r.end);
                (s as usize, e.max(s) as usize)
            }
        }
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

/// The text term rules match: `text` with "l" read as "i". Same length and
/// offsets as the normalised text.
pub fn term_text(normalized: &str) -> String {
    normalized.replace('l', "i")
}

/// A folded character and the original bytes it stands for.
#[derive(Debug, Clone, Copy)]
struct Folded {
    c: char,
    start: u32,
    end: u32,
}

pub fn normalize(original: &str) -> Normalized {
    // Longer than u32 offsets can express: not a comment modq accepts.
    let original = if original.len() > u32::MAX as usize / 2 {
        &original[..0]
    } else {
        original
    };
    if original.is_ascii()
        && let Some(fast) = normalize_ascii(original)
    {
        return fast;
    }
    let mut chars: Vec<Folded> = Vec::with_capacity(original.len());
    for (start, c) in original.char_indices() {
        let end = start + c.len_utf8();
        fold_char(c, start as u32, end as u32, &mut chars);
    }
    apply_leetspeak(&mut chars);
    let chars = if has_separated_letters(&chars) {
        collapse_separated_letters(chars)
    } else {
        chars
    };
    let mut text = String::with_capacity(chars.len() + 8);
    let mut map = Vec::with_capacity(chars.len());
    for f in chars {
        map.push((text.len() as u32, f.start, f.end));
        text.push(f.c);
    }
    Normalized {
        text,
        map: OffsetMap::PerChar(map),
    }
}

/// The same steps for ASCII text (most comments), on bytes, in one pass.
/// Returns `None` when the text has separated letters to close up; the
/// general path does that.
fn normalize_ascii(original: &str) -> Option<Normalized> {
    let bytes = original.as_bytes();
    let mut text: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut runs: Vec<SpaceRun> = Vec::new();
    // The word being read: where it starts in `text`, and whether it has a
    // letter (only then is leetspeak read as letters).
    let mut word: Option<(usize, bool)> = None;
    for (i, &b) in bytes.iter().enumerate() {
        let i = i as u32;
        let in_word = b.is_ascii_alphanumeric() || matches!(b, b'@' | b'$' | b'|' | b'!');
        if in_word {
            let (start, letter) = word.unwrap_or((text.len(), false));
            word = Some((start, letter || b.is_ascii_alphabetic()));
        } else if let Some((start, letter)) = word.take() {
            finish_word(&mut text, start, letter);
        }
        if b.is_ascii_whitespace() {
            if text.last() == Some(&b' ') {
                // Every space in `text` stands for white space just before.
                let at = text.len() as u32 - 1;
                match runs.last_mut() {
                    Some(run) if run.at == at => {
                        run.end = i + 1;
                        run.dropped += 1;
                    }
                    _ => {
                        let dropped = runs.last().map_or(0, |r| r.dropped) + 1;
                        runs.push(SpaceRun {
                            at,
                            start: i - 1,
                            end: i + 1,
                            dropped,
                        });
                    }
                }
                continue;
            }
            text.push(b' ');
        } else {
            text.push(b.to_ascii_lowercase());
        }
    }
    if let Some((start, letter)) = word {
        finish_word(&mut text, start, letter);
    }
    if has_separated_ascii(&text) {
        return None;
    }
    Some(Normalized {
        text: String::from_utf8(text).ok()?,
        map: OffsetMap::Ascii(runs),
    })
}

/// Leetspeak for a finished word, trailing symbols excepted ("money!!").
fn finish_word(text: &mut [u8], start: usize, has_letter: bool) {
    if !has_letter {
        return;
    }
    let mut end = text.len();
    while end > start && !text[end - 1].is_ascii_alphanumeric() {
        end -= 1;
    }
    for b in &mut text[start..end] {
        *b = leet(char::from(*b)) as u8;
    }
}

/// Three or more single characters joined by single separators.
fn has_separated_ascii(text: &[u8]) -> bool {
    let n = text.len();
    let (mut i, mut chain) = (0, 0);
    while i < n {
        if !text[i].is_ascii_alphanumeric() {
            chain = 0;
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && text[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j - i != 1 {
            chain = 0;
            i = j;
            continue;
        }
        chain += 1;
        if chain >= 3 {
            return true;
        }
        if j + 1 < n && is_separator(char::from(text[j])) && text[j + 1].is_ascii_alphanumeric() {
            i = j + 1;
        } else {
            chain = 0;
            i = j;
        }
    }
    false
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

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// Letters of other scripts that look like Latin ones (after lower-casing).
fn fold_confusable(c: char) -> char {
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

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '.' | '-' | '_' | '*' | '·' | '•' | ',' | '/' | '+' | '~' | '\''
    )
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

/// Closes up runs of at least three single characters joined by single
/// separators. Where two kinds of separator appear ("f.r.e.e m.o.n.e.y"),
/// the commoner kind is dropped and the other becomes a space.
fn collapse_separated_letters(chars: Vec<Folded>) -> Vec<Folded> {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Every range of `fast` maps to the same original bytes as in `general`.
    fn assert_same_spans(text: &str, fast: &Normalized, general: &Normalized) {
        for p in 0..fast.text.len() {
            for q in p + 1..=fast.text.len() {
                assert_eq!(
                    fast.original_span(p, q),
                    general.original_span(p, q),
                    "{text:?} {p}..{q}"
                );
            }
        }
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_general_path() {
        for text in [
            "Hello   World\t\nFR33 m0ney!! $cam |diot 2024",
            "call 555-123-4567 or +44 20 7946 0958",
            "ok",
            "",
            "   leading and inner   spaces",
        ] {
            let fast = normalize_ascii(text).expect("no separated letters");
            // Force the general path by adding a non-ASCII character at the end.
            let general = normalize(&format!("{text} é"));
            let expected = if fast.text.ends_with(' ') {
                format!("{}e", fast.text)
            } else {
                format!("{} e", fast.text)
            };
            assert_eq!(expected, general.text, "{text:?}");
            assert_same_spans(text, &fast, &general);
        }
        assert!(normalize_ascii("s p a m").is_none());
    }

    /// A small deterministic generator, so the property test needs no crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    #[test]
    fn ascii_path_matches_the_general_path_on_random_text() {
        const ALPHABET: &[u8] = b"aZ 1305!$@|.-\t\n  xyLl";
        let mut rng = Lcg(7);
        for _ in 0..2000 {
            let len = 1 + (rng.next() % 30) as usize;
            let text: String = (0..len)
                .map(|_| char::from(ALPHABET[(rng.next() as usize) % ALPHABET.len()]))
                .collect();
            let text = text.trim_end().to_owned() + "x";
            let Some(fast) = normalize_ascii(&text) else {
                continue;
            };
            // Letters glued to the last word force the general path without
            // starting a new word.
            let general = normalize(&format!("{text}zzé"));
            assert!(general.text.starts_with(&fast.text), "{text:?}");
            assert_same_spans(&text, &fast, &general);
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
            let len = (rng.next() % 40) as usize;
            let s: String = (0..len)
                .map(|_| ALPHABET[(rng.next() as usize) % ALPHABET.len()])
                .collect();
            let n = normalize(&s);
            let t = &n.text;
            let boundaries: Vec<usize> =
                t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for _ in 0..10 {
                if boundaries.len() < 2 {
                    break;
                }
                let a = boundaries[(rng.next() as usize) % boundaries.len()];
                let b = boundaries[(rng.next() as usize) % boundaries.len()];
                let (lo, hi) = (a.min(b), a.max(b));
                let (s0, s1) = n.original_span(lo, hi);
                assert!(s0 <= s1 && s1 <= s.len(), "{s:?} {lo}..{hi} -> {s0}..{s1}");
                assert!(s.is_char_boundary(s0) && s.is_char_boundary(s1), "{s:?}");
            }
        }
    }
}
