//! Link extraction and link rules.

use std::sync::LazyLock;

use regex::Regex;

/// Well-known URL shorteners: they hide where a link goes.
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "tiny.cc",
    "rb.gy",
    "t.ly",
    "s.id",
    "bl.ink",
    "lnkd.in",
    "shorte.st",
    "adf.ly",
    "v.gd",
    "qr.ae",
    "tr.im",
    "soo.gd",
    "clck.ru",
    "u.to",
];

static LINK: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>()\[\]{}'\x22]+").ok());

/// A link in the original text, with its lower-cased host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub start: usize,
    pub end: usize,
    pub host: String,
}

pub fn extract(text: &str) -> Vec<Link> {
    let Some(re) = LINK.as_ref() else {
        return Vec::new();
    };
    re.find_iter(text)
        .map(|m| {
            let url = m.as_str().trim_end_matches(['.', ',', '!', '?', ';', ':']);
            let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
            let host = rest
                .split(['/', '?', '#'])
                .next()
                .unwrap_or("")
                .rsplit('@')
                .next()
                .unwrap_or("")
                .split(':')
                .next()
                .unwrap_or("")
                .trim_start_matches("www.")
                .to_lowercase();
            Link {
                start: m.start(),
                end: m.start() + url.len(),
                host,
            }
        })
        .collect()
}

/// Whether `host` is `domain` or one of its subdomains.
pub fn host_in(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

pub fn is_shortener(host: &str) -> bool {
    SHORTENERS.iter().any(|d| host_in(host, d))
}

/// A domain as written in a rule: lower-case, no scheme, no `www.`.
pub fn parse_domain(raw: &str) -> Option<String> {
    let d = raw
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .trim_end_matches('/')
        .to_lowercase();
    let valid = !d.is_empty()
        && d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    valid.then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_links_and_hosts() {
        let text = "see https://Sub.Example.com/x?y=1, and www.bit.ly/abc. Also http://user@host.org:8080/p";
        let links = extract(text);
        let hosts: Vec<&str> = links.iter().map(|l| l.host.as_str()).collect();
        assert_eq!(hosts, ["sub.example.com", "bit.ly", "host.org"]);
        assert_eq!(
            &text[links[0].start..links[0].end],
            "https://Sub.Example.com/x?y=1"
        );
        assert_eq!(&text[links[1].start..links[1].end], "www.bit.ly/abc");
    }

    #[test]
    fn domains_match_subdomains_only() {
        assert!(host_in("a.example.com", "example.com"));
        assert!(host_in("example.com", "example.com"));
        assert!(!host_in("badexample.com", "example.com"));
        assert!(is_shortener("bit.ly"));
        assert_eq!(
            parse_domain("https://www.Example.com/"),
            Some("example.com".into())
        );
        assert_eq!(parse_domain("not a domain"), None);
    }
}
