//! A small deterministic generator for the rule engine's property tests,
//! so they need no crate and fail the same way every run.

pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    /// A string of up to `max_len` items picked from `alphabet`.
    pub fn string<T: std::fmt::Display>(&mut self, alphabet: &[T], max_len: usize) -> String {
        let len = self.next() % (max_len + 1);
        (0..len)
            .map(|_| alphabet[self.next() % alphabet.len()].to_string())
            .collect()
    }
}
