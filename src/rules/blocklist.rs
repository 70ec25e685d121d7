//! Authors, email domains and addresses a site has blocked.

use std::net::IpAddr;

/// An address or a CIDR range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpRange {
    base: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (addr, prefix) = match raw.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (raw.trim(), None),
        };
        let base: IpAddr = addr
            .parse()
            .map_err(|_| format!("{raw:?} is not an IP address"))?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{raw:?}: prefix must be 0-{max}"))?,
        };
        Ok(Self { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(a)) => prefix_eq(
                u128::from(u32::from(b)) << 96,
                u128::from(u32::from(a)) << 96,
                self.prefix,
            ),
            (IpAddr::V6(b), IpAddr::V6(a)) => prefix_eq(u128::from(b), u128::from(a), self.prefix),
            (IpAddr::V6(b), IpAddr::V4(a)) => {
                prefix_eq(u128::from(b), u128::from(a.to_ipv6_mapped()), self.prefix)
            }
            (IpAddr::V4(_), IpAddr::V6(a)) => a
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
        }
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = 128 - u32::from(prefix);
    (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn ranges() {
        let r = IpRange::parse("203.0.113.0/24").expect("range");
        assert!(r.contains(ip("203.0.113.77")));
        assert!(!r.contains(ip("203.0.114.1")));
        assert!(r.contains(ip("::ffff:203.0.113.5")));
        let single = IpRange::parse("198.51.100.7").expect("single");
        assert!(single.contains(ip("198.51.100.7")));
        assert!(!single.contains(ip("198.51.100.8")));
        let v6 = IpRange::parse("2001:db8::/32").expect("v6");
        assert!(v6.contains(ip("2001:db8:1::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(IpRange::parse("10.0.0.0/33").is_err());
        assert!(IpRange::parse("nope").is_err());
    }
}
