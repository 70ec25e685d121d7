use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse::<i64>().map($name)
            }
        }
    };
}

id_type!(
    /// A site: one API key, one set of guidelines.
    SiteId
);
id_type!(
    /// An article of a site, created on its first comment.
    ArticleId
);
id_type!(
    /// An author as known to one site.
    AuthorId
);
id_type!(
    /// A comment. Exposed to clients as a decimal string.
    CommentId
);
id_type!(
    /// A moderator account.
    ModeratorId
);

/// Milliseconds between the Unix epoch and 2024-01-01, the epoch of modq ids.
const ID_EPOCH_MS: u64 = 1_704_067_200_000;
const NODE_BITS: u32 = 10;
const SEQ_BITS: u32 = 12;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;

/// Generates time-ordered 63-bit ids: 41 bits of milliseconds, 10 bits of a
/// random per-process node number and 12 bits of sequence. Several modq
/// processes sharing one database pick different node numbers with high
/// probability; storage retries the rare primary-key collision.
#[derive(Debug)]
pub struct IdGenerator {
    node: u64,
    state: Mutex<(u64, u64)>,
}

impl IdGenerator {
    pub fn new(node: u16) -> Self {
        Self {
            node: u64::from(node) & ((1 << NODE_BITS) - 1),
            state: Mutex::new((0, 0)),
        }
    }

    /// A generator with a random node number.
    pub fn random() -> Self {
        let mut buf = [0u8; 2];
        // A failing OS random source only weakens node separation, so fall
        // back to the process id rather than refusing to start.
        let node = match getrandom::fill(&mut buf) {
            Ok(()) => u16::from_le_bytes(buf),
            Err(_) => std::process::id() as u16,
        };
        Self::new(node)
    }

    pub fn next(&self) -> i64 {
        let mut state = match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (last_ms, seq) = *state;
        let mut now = now_ms().max(last_ms);
        let next_seq = if now == last_ms {
            (seq + 1) & SEQ_MASK
        } else {
            0
        };
        if now == last_ms && next_seq == 0 {
            // 4096 ids in one millisecond: borrow the next millisecond.
            now += 1;
        }
        *state = (now, next_seq);
        let id = (now.saturating_sub(ID_EPOCH_MS) << (NODE_BITS + SEQ_BITS))
            | (self.node << SEQ_BITS)
            | next_seq;
        (id & (i64::MAX as u64)) as i64
    }
}

/// The smallest id generated at or after `secs_ago` seconds before now;
/// ids are time-ordered, so "since then" is "id at least this".
pub fn id_floor_secs_ago(secs_ago: u64) -> i64 {
    let ms = now_ms().saturating_sub(secs_ago * 1000);
    let floor = ms.saturating_sub(ID_EPOCH_MS) << (NODE_BITS + SEQ_BITS);
    (floor & (i64::MAX as u64)) as i64
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_increasing() {
        let generator = IdGenerator::new(7);
        let ids: Vec<i64> = (0..10_000).map(|_| generator.next()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.iter().all(|id| *id > 0));
    }

    #[test]
    fn floors_bound_recent_ids() {
        let generator = IdGenerator::new(3);
        let id = generator.next();
        assert!(id_floor_secs_ago(1) <= id);
        assert!(id_floor_secs_ago(0) <= generator.next());
        assert!(id_floor_secs_ago(3600) < id_floor_secs_ago(1));
    }

    #[test]
    fn ids_round_trip_through_strings() {
        let id = CommentId(1234567890123);
        assert_eq!(id.to_string().parse::<CommentId>().ok(), Some(id));
        assert!("12x".parse::<CommentId>().is_err());
    }
}
