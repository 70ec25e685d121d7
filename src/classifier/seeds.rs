//! The shipped seed models, built into the binary (see `models/README.md`).

use std::io::Read;
use std::sync::{Arc, LazyLock};

use super::{Attribute, AttributeModel, BuiltinClassifier, LinearModel, VocabularyModel};

const SPAM: &[u8] = include_bytes!("../../models/spam-seed.bin.gz");
const OFFENSIVE: &[u8] = include_bytes!("../../models/offensive-seed.json.gz");

/// Names the spam seed in every score it gives.
pub const SPAM_SEED_ID: &str = "sms-spam-seed@1";

static SEEDS: LazyLock<Result<BuiltinClassifier, String>> = LazyLock::new(load);

fn load() -> Result<BuiltinClassifier, String> {
    let spam = gunzip_linear(SPAM).map_err(|e| format!("spam seed model: {e}"))?;
    let offensive = VocabularyModel::from_gzip(OFFENSIVE)?;
    Ok(BuiltinClassifier {
        models: vec![
            (
                Attribute::Spam,
                Arc::new(AttributeModel::Linear {
                    id: SPAM_SEED_ID.to_owned(),
                    model: spam,
                }),
            ),
            (
                Attribute::Offensive,
                Arc::new(AttributeModel::Vocabulary(offensive)),
            ),
        ],
    })
}

/// The spam head over all-MiniLM-L6-v2 embeddings, fitted on the SMS
/// Spam Collection like the built-in spam seed.
#[cfg(feature = "ml-candle")]
const MINILM_SPAM: &[u8] = include_bytes!("../../models/minilm-spam-head.bin.gz");

/// Names the transformer's spam head in every score it gives.
#[cfg(feature = "ml-candle")]
pub const MINILM_SPAM_ID: &str = "all-minilm-l6-v2+sms-spam-head@1";

#[cfg(feature = "ml-candle")]
pub fn minilm_heads() -> Result<Vec<super::minilm::Head>, String> {
    Ok(vec![super::minilm::Head {
        attribute: Attribute::Spam,
        id: MINILM_SPAM_ID.to_owned(),
        model: gunzip_linear(MINILM_SPAM).map_err(|e| format!("transformer spam head: {e}"))?,
    }])
}

fn gunzip_linear(bytes: &[u8]) -> Result<LinearModel, String> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    LinearModel::from_bytes(&raw).map_err(|e| e.to_string())
}

/// The classifier a site uses before it has models of its own. Loaded
/// once, on first use.
pub fn seed_classifier() -> Result<BuiltinClassifier, String> {
    SEEDS.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::{Classifier, ClassifyInput};

    fn scores(text: &str) -> Vec<(Attribute, f32)> {
        seed_classifier()
            .expect("seeds load")
            .classify(&ClassifyInput {
                text,
                article: "a1",
                author: "ann",
            })
            .expect("scores")
            .into_iter()
            .map(|s| (s.attribute, s.value))
            .collect()
    }

    #[test]
    fn seeds_tell_spam_and_abuse_from_comments() {
        let plain = scores("I think the council should publish the budget before the vote.");
        let spam =
            scores("WINNER!! You have won a £1000 prize. Call 09061701461 now to claim, T&C apply");
        let abuse = scores("Shut up, you stupid idiot.");
        let get = |s: &[(Attribute, f32)], a| s.iter().find(|(x, _)| *x == a).map(|(_, v)| *v);
        assert!(get(&plain, Attribute::Spam) < Some(0.5), "{plain:?}");
        assert!(get(&plain, Attribute::Offensive) < Some(0.5), "{plain:?}");
        assert!(get(&spam, Attribute::Spam) > Some(0.9), "{spam:?}");
        assert!(get(&abuse, Attribute::Offensive) > Some(0.9), "{abuse:?}");
    }
}
