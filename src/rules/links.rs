//! Link extraction and link rules.

use super::scan::char_at;

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

/// A link in the original text, with its lower-cased host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub start: usize,
    pub end: usize,
    pub host: String,
}

/// Every link: `http://`, `https://` or `www.` (any case) at the start of a
/// word, up to white space, a quote or a bracket, less trailing
/// punctuation. Found from the `:` and `.` bytes that every link has, so a
/// comment without links costs one fast scan.
pub fn extract(text: &str) -> Vec<Link> {
    let bytes = text.as_bytes();
    let mut links = Vec::new();
    let mut from = 0;
    for p in memchr::memchr2_iter(b':', b'.', bytes) {
        if p < from {
            continue;
        }
        let Some((start, body)) = link_start(bytes, p) else {
            continue;
        };
        let end = body_end(text, body);
        if end == body {
            continue;
        }
        let url = text[start..end].trim_end_matches(['.', ',', '!', '?', ';', ':']);
        links.push(Link {
            start,
            end: start + url.len(),
            host: host_of(url),
        });
        from = end;
    }
    links
}

/// If the `:` or `.` at `p` ends a link's opening (`http://`, `https://`,
/// `www.`), where the link starts and where its body does.
fn link_start(bytes: &[u8], p: usize) -> Option<(usize, usize)> {
    let starts_word = |s: usize| s == 0 || !is_ascii_word(bytes[s - 1]);
    let ends_with = |word: &[u8]| {
        p.checked_sub(word.len())
            .filter(|&s| bytes[s..p].eq_ignore_ascii_case(word) && starts_word(s))
    };
    if bytes[p] == b'.' {
        return ends_with(b"www").map(|s| (s, p + 1));
    }
    if bytes.get(p + 1..p + 3) != Some(b"//".as_slice()) {
        return None;
    }
    ends_with(b"https")
        .or_else(|| ends_with(b"http"))
        .map(|s| (s, p + 3))
}

fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where a link body starting at `i` ends.
fn body_end(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = i;
    while end < bytes.len() {
        let b = bytes[end];
        if b < 0x80 {
            if b.is_ascii_whitespace()
                || matches!(
                    b,
                    b'\x0b' | b'<' | b'>' | b'(' | b')' | b'[' | b']' | b'{' | b'}'
                )
                || matches!(b, b'\'' | b'"')
            {
                break;
            }
            end += 1;
        } else {
            let (c, width) = char_at(bytes, end);
            if c.is_whitespace() {
                break;
            }
            end += width;
        }
    }
    end
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .trim_start_matches("www.")
        .to_lowercase()
}

/// Whether `host` is `domain` or one of its subdomains.
pub fn host_in(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
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

    /// The pattern links were first found with; `extract` must agree.
    fn extract_by_regex(re: &regex::Regex, text: &str) -> Vec<Link> {
        re.find_iter(text)
            .map(|m| {
                let url = m.as_str().trim_end_matches(['.', ',', '!', '?', ';', ':']);
                Link {
                    start: m.start(),
                    end: m.start() + url.len(),
                    host: host_of(url),
                }
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_pattern_on_random_text() {
        const PIECES: &[&str] = &[
            "http", "HTTPS", "://", "www", "WwW.", ".", ":", "/", "a", "x_", " ", "\n", "é",
            "\u{00A0}", "(", "\"", "'", "!", "?", "com", "b.ly", "@u", "8080", "\x0b",
        ];
        let mut rng = crate::rules::lcg::Lcg(11);
        let re = regex::Regex::new(r"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>()\[\]{}'\x22]+")
            .expect("pattern");
        let mut found = 0;
        for _ in 0..20_000 {
            let text = rng.string(PIECES, 11);
            let links = extract(&text);
            assert_eq!(links, extract_by_regex(&re, &text), "{text:?}");
            found += links.len();
        }
        assert!(found > 1_000, "only {found} links in the random texts");
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
