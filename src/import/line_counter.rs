//! Counts the lines and bytes the XML reader has consumed, so that a
//! malformed entry is reported by line and progress by bytes.

use std::io::{self, BufRead, Read};

pub struct LineCounter<R> {
    inner: R,
    lines: u64,
    bytes: u64,
}

impl<R: BufRead> LineCounter<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            lines: 0,
            bytes: 0,
        }
    }

    /// The line the reader is on, from 1.
    pub fn line(&self) -> u64 {
        self.lines + 1
    }

    pub fn consumed(&self) -> u64 {
        self.bytes
    }

    fn count(&mut self, consumed: &[u8]) {
        self.lines += memchr::memchr_iter(b'\n', consumed).count() as u64;
        self.bytes += consumed.len() as u64;
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The buffer is already filled: this returns it without reading.
        if let Ok(buf) = self.inner.fill_buf() {
            let counted = memchr::memchr_iter(b'\n', &buf[..amt.min(buf.len())]).count();
            self.lines += counted as u64;
        }
        self.bytes += amt as u64;
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_consumed_lines_and_bytes() {
        let mut reader = LineCounter::new(io::BufReader::with_capacity(4, &b"a\nbc\n\nd"[..]));
        let mut line = String::new();
        reader.read_line(&mut line).expect("read");
        assert_eq!((reader.line(), reader.consumed()), (2, 2));
        let mut rest = String::new();
        reader.read_to_string(&mut rest).expect("read");
        assert_eq!(rest, "bc\n\nd");
        assert_eq!((reader.line(), reader.consumed()), (4, 7));
    }
}
