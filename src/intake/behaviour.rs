//! Behaviour rules, checked against stored comments inside the intake
//! transaction: reposts, bursts and authors whose comments keep getting
//! rejected.

use sha2::{Digest, Sha256};

use crate::domain::{SiteId, id_floor_secs_ago};
use crate::error::AppError;
use crate::rules::{CompiledRules, RuleHit};
use crate::storage::{self, DbConn};

/// How many recent decisions the rejection rate looks at.
const RATE_WINDOW: i64 = 20;

/// A fingerprint of a comment's text that ignores case and spacing, so a
/// repost with different capitals or line breaks still counts as the same.
pub fn fingerprint(body: &str) -> String {
    let folded: String = body
        .split_whitespace()
        .flat_map(|w| w.chars().flat_map(char::to_lowercase).chain([' ']))
        .collect();
    let digest = Sha256::digest(folded.trim_end().as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Who posted what, as behaviour checks need it.
pub struct Poster<'a> {
    pub site: SiteId,
    /// `None` for an author seen for the first time.
    pub author_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub fingerprint: &'a str,
    pub article: &'a str,
}

pub fn behaviour_hits(
    conn: &mut DbConn,
    rules: &CompiledRules,
    who: &Poster<'_>,
) -> Result<Vec<RuleHit>, AppError> {
    let mut hits = Vec::new();
    for check in rules.behaviour_checks(who.article) {
        let (rule, check) = (check.rule, &check.spec);
        if let Some(secs) = check.duplicate_within_secs {
            let author = if check.duplicate_across_site {
                None
            } else {
                who.author_id
            };
            let known_author = check.duplicate_across_site || who.author_id.is_some();
            if known_author {
                let n = storage::comments::count_duplicates(
                    conn,
                    who.site.0,
                    author,
                    who.fingerprint,
                    id_floor_secs_ago(u64::from(secs)),
                )?;
                if n > 0 {
                    let whose = if check.duplicate_across_site {
                        "on this site"
                    } else {
                        "by the same author"
                    };
                    hits.push(rules.hit_for(
                        rule,
                        &format!(
                            "the same text was posted {whose} {n} time(s) in the last {secs} s"
                        ),
                    ));
                }
            }
        }
        if let Some(max) = check.flood_max {
            let since = id_floor_secs_ago(u64::from(check.flood_window_secs));
            let recent = match (check.flood_per_ip, who.ip, who.author_id) {
                (true, Some(ip), _) => {
                    storage::comments::count_by_ip_since(conn, who.site.0, ip, since)?
                }
                (false, _, Some(author)) => {
                    storage::comments::count_by_author_since(conn, author, since)?
                }
                _ => 0,
            };
            // This comment is one more.
            if recent + 1 > i64::from(max) {
                let per = if check.flood_per_ip {
                    "address"
                } else {
                    "author"
                };
                hits.push(rules.hit_for(
                    rule,
                    &format!(
                        "{} comments from this {per} within {} s; the limit is {max}",
                        recent + 1,
                        check.flood_window_secs
                    ),
                ));
            }
        }
        if let (Some(limit), Some(author)) = (check.rejection_rate_above, who.author_id) {
            let statuses = storage::comments::recent_decided(conn, author, RATE_WINDOW)?;
            let decided = statuses.len() as u32;
            if decided >= check.rejection_min_decided {
                let rejected = statuses.iter().filter(|s| *s == "rejected").count();
                let rate = rejected as f64 / f64::from(decided);
                if rate > limit {
                    hits.push(rules.hit_for(
                        rule,
                        &format!("{rejected} of the author's last {decided} decided comments were rejected"),
                    ));
                }
            }
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_case_and_spacing() {
        assert_eq!(
            fingerprint("Buy  NOW\n at my shop"),
            fingerprint("buy now at my shop")
        );
        assert_ne!(fingerprint("buy now"), fingerprint("buy later"));
        assert_eq!(fingerprint("x").len(), 32);
    }
}
