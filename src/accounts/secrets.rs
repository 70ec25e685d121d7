use sha2::{Digest, Sha256};

/// A freshly generated credential, shown to a person once and stored only as
/// a hash.
#[derive(Debug, Clone)]
pub struct Secret {
    pub plain: String,
    pub hash: String,
}

impl Secret {
    /// `prefix` tells the credential kinds apart (`mq_site_`, `mq_tok_`), so
    /// a leaked string is recognisable and the auth layer knows where to look.
    pub fn generate(prefix: &str) -> Result<Self, getrandom::Error> {
        let plain = format!("{prefix}{}", random_hex(24)?);
        let hash = hash_secret(&plain);
        Ok(Self { plain, hash })
    }
}

/// API keys and tokens carry 192 random bits, so a fast unsalted hash is
/// enough and lets the key itself be looked up by its hash.
pub fn hash_secret(plain: &str) -> String {
    hex(&Sha256::digest(plain.as_bytes()))
}

/// A random password for a new or reset moderator account: 96 bits, hex.
pub fn random_password() -> Result<String, crate::error::AppError> {
    random_hex(12).map_err(crate::error::AppError::internal)
}

pub fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(hex(&buf))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_hashed() {
        let a = Secret::generate("mq_site_").expect("random");
        let b = Secret::generate("mq_site_").expect("random");
        assert!(a.plain.starts_with("mq_site_"));
        assert_eq!(a.plain.len(), "mq_site_".len() + 48);
        assert_ne!(a.plain, b.plain);
        assert_eq!(a.hash, hash_secret(&a.plain));
        assert_eq!(a.hash.len(), 64);
    }
}
