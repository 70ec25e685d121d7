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
