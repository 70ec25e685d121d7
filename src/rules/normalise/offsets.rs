//! The way back from normalised text to the original's byte offsets.
//!
//! Most characters map byte for byte: ASCII, and any character that folds
//! to one of the same UTF-8 length (CJK, emoji, "Ж" → "ж"). Only the rest
//! is listed, as pieces: a character that changed length ("é" → "e"), a
//! run of white space that became one space, a letter with the combining
//! marks that followed it, a character after a dropped one. Everything
//! between pieces is shifted by the same amount, so a mostly-ASCII
//! comment needs a handful of entries, and a lookup is a binary search.

/// A stretch of normalised text `[at, at + len)` that stands for the
/// original bytes `[start, end)`. Offsets are `u32`: comment bodies are far
/// below 4 GiB, and small entries keep normalisation fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    at: u32,
    len: u32,
    start: u32,
    end: u32,
}

impl Piece {
    fn norm_end(&self) -> u32 {
        self.at + self.len
    }

    /// Original minus normalised offset for text after this piece.
    fn shift_after(&self) -> i64 {
        i64::from(self.end) - i64::from(self.norm_end())
    }
}

/// Pieces in order; they never overlap and are never empty.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
}

/// Where a normalised byte comes from.
enum Origin {
    /// Inside a piece: the piece's whole original range.
    Piece(u32, u32),
    /// Byte for byte, at this shift.
    Shifted(i64),
}

impl OffsetMap {
    fn origin(&self, p: u32) -> Origin {
        let k = self.pieces.partition_point(|x| x.at <= p);
        match k.checked_sub(1).map(|k| self.pieces[k]) {
            None => Origin::Shifted(0),
            Some(piece) if p < piece.norm_end() => Origin::Piece(piece.start, piece.end),
            Some(piece) => Origin::Shifted(piece.shift_after()),
        }
    }

    /// The original byte range behind the normalised range `[start, end)`,
    /// which must lie on char boundaries of the normalised text; both ends
    /// then fall on char boundaries of the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let (Ok(first), Ok(last)) = (u32::try_from(start), u32::try_from(end - 1)) else {
            return (0, 0);
        };
        let s = match self.origin(first) {
            Origin::Piece(s, _) => i64::from(s),
            Origin::Shifted(shift) => i64::from(first) + shift,
        };
        let e = match self.origin(last) {
            Origin::Piece(_, e) => i64::from(e),
            Origin::Shifted(shift) => i64::from(last) + shift + 1,
        };
        let s = usize::try_from(s).unwrap_or(0);
        (s, usize::try_from(e).unwrap_or(0).max(s))
    }

    /// Every char of `text` (which this map belongs to) with the original
    /// range it stands for.
    pub fn chars_with_origins<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (char, u32, u32)> + 'a {
        let mut k = 0;
        let mut shift = 0i64;
        text.char_indices().map(move |(p, c)| {
            let p = p as u32;
            while let Some(piece) = self.pieces.get(k).filter(|x| x.norm_end() <= p) {
                shift = piece.shift_after();
                k += 1;
            }
            match self.pieces.get(k).filter(|x| x.at <= p) {
                Some(piece) => (c, piece.start, piece.end),
                None => {
                    let start = (i64::from(p) + shift) as u32;
                    (c, start, start + c.len_utf8() as u32)
                }
            }
        })
    }
}

/// Writes normalised text and its [`OffsetMap`] together.
pub struct Builder {
    text: Vec<u8>,
    pieces: Vec<Piece>,
    /// Original offset of the next byte-for-byte character, minus the
    /// normalised length so far.
    shift: i64,
}

impl Builder {
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            text: Vec::with_capacity(bytes + 8),
            pieces: Vec::new(),
            shift: 0,
        }
    }

    pub fn text_mut(&mut self) -> &mut [u8] {
        &mut self.text
    }

    pub fn finish(self) -> (Vec<u8>, OffsetMap) {
        (
            self.text,
            OffsetMap {
                pieces: self.pieces,
            },
        )
    }

    fn next_original(&self) -> i64 {
        self.text.len() as i64 + self.shift
    }

    fn ends_with_space(&self) -> bool {
        self.text.last() == Some(&b' ')
    }

    /// Whether the next character would start exactly at original `start`.
    pub fn continues_at(&self, start: u32) -> bool {
        !self.text.is_empty() && self.next_original() == i64::from(start)
    }

    fn push_piece(&mut self, bytes: &[u8], start: u32, end: u32) {
        self.pieces.push(Piece {
            at: self.text.len() as u32,
            len: bytes.len() as u32,
            start,
            end,
        });
        self.text.extend_from_slice(bytes);
        self.shift = i64::from(end) - self.text.len() as i64;
    }

    /// Appends `c`, standing for the original bytes `[start, end)`.
    pub fn push_char(&mut self, c: char, start: u32, end: u32) {
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        if self.next_original() == i64::from(start) && (end - start) as usize == bytes.len() {
            self.text.extend_from_slice(bytes);
        } else {
            self.push_piece(bytes, start, end);
        }
    }

    /// Appends a space for `[start, end)`, or widens the space just written.
    pub fn push_space(&mut self, start: u32, end: u32) {
        if self.ends_with_space() {
            self.extend_last(end);
        } else {
            self.push_char(' ', start, end);
        }
    }

    /// Lets the last character written stand for original bytes up to `end`
    /// too (a combining mark after a letter, more white space after a space).
    pub fn extend_last(&mut self, end: u32) {
        let len = self.text.len() as u32;
        match self.pieces.last_mut() {
            Some(piece) if piece.norm_end() == len => piece.end = end,
            _ => {
                let mut at = self.text.len().saturating_sub(1);
                while at > 0 && (self.text[at] & 0xC0) == 0x80 {
                    at -= 1;
                }
                let start = (at as i64 + self.shift) as u32;
                self.pieces.push(Piece {
                    at: at as u32,
                    len: len - at as u32,
                    start,
                    end,
                });
            }
        }
        self.shift = i64::from(end) - i64::from(len);
    }

    /// Appends an ASCII run that starts at original offset `start`, folded
    /// byte by byte with `fold` (which maps white space to a space), with
    /// runs of spaces closed up.
    pub fn push_ascii(&mut self, run: &[u8], start: u32, fold: impl Fn(u8) -> u8) {
        let (mut run, mut start) = (run, start);
        // A first byte that continues a space or follows a gap is a piece.
        while let Some(&first) = run.first() {
            let folded = fold(first);
            if folded == b' ' && self.ends_with_space() {
                self.extend_last(start + 1);
            } else if self.next_original() != i64::from(start) {
                self.push_piece(&[folded], start, start + 1);
            } else {
                break;
            }
            run = &run[1..];
            start += 1;
        }
        let base = self.text.len();
        self.text.resize(base + run.len(), 0);
        for (out, &b) in self.text[base..].iter_mut().zip(run) {
            *out = fold(b);
        }
        if let Some(d) = memchr::memmem::find(&self.text[base..], b"  ") {
            self.close_up_spaces(base, base + d, start);
        }
        self.shift = i64::from(start) + run.len() as i64 - self.text.len() as i64;
    }

    /// Closes up runs of spaces in `text[base..]`, a byte-for-byte run from
    /// original offset `start` whose first double space is at `first`:
    /// copies the stretches between runs, and lets each kept space stand
    /// for its whole run.
    fn close_up_spaces(&mut self, base: usize, first: usize, start: u32) {
        let original = |r: usize| start + (r - base) as u32;
        let len = self.text.len();
        let (mut write, mut read) = (first + 1, first + 1);
        while read < len {
            // `text[read - 1]` is a kept space; drop the spaces after it.
            let kept = read - 1;
            while read < len && self.text[read] == b' ' {
                read += 1;
            }
            self.pieces.push(Piece {
                at: (write - 1) as u32,
                len: 1,
                start: original(kept),
                end: original(read),
            });
            let next =
                memchr::memmem::find(&self.text[read..], b"  ").map_or(len, |d| read + d + 1);
            self.text.copy_within(read..next, write);
            write += next - read;
            read = next;
        }
        self.text.truncate(write);
    }
}
