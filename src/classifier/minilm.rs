//! all-MiniLM-L6-v2 sentence embeddings on CPU with candle (feature
//! `ml-candle`), and logistic-regression heads over them: the second
//! opinion for comments the built-in model is unsure about.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use sha2::{Digest, Sha256};
use tokenizers::{Tokenizer, TruncationParams};

use super::features::Features;
use super::{Attribute, ClassifierError, LinearModel, Rescorer, Score};

/// The weights `tools/fetch_minilm.sh` fetches, by their sha256.
pub const WEIGHTS_SHA256: &str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
/// Longer comments are cut to this many tokens.
pub const MAX_TOKENS: usize = 256;
/// Names the encoder in every score it gives.
pub const ENCODER_ID: &str = "all-minilm-l6-v2";

/// The encoder: text in, a unit-length 384-dimension embedding out.
pub struct MiniLm {
    tokenizer: Tokenizer,
    model: BertModel,
}

impl std::fmt::Debug for MiniLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MiniLm")
    }
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    let path: PathBuf = dir.join(name);
    std::fs::read(&path).map_err(|e| {
        format!(
            "{}: {e} (tools/fetch_minilm.sh {} fetches the weights)",
            path.display(),
            dir.display()
        )
    })
}

impl MiniLm {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from
    /// `dir`, refusing weights whose checksum is not the pinned one.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let weights = read(dir, "model.safetensors")?;
        let digest = Sha256::digest(&weights);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        if hex != WEIGHTS_SHA256 {
            return Err(format!(
                "{}/model.safetensors has sha256 {hex}, expected {WEIGHTS_SHA256}",
                dir.display()
            ));
        }
        let config: Config = serde_json::from_slice(&read(dir, "config.json")?)
            .map_err(|e| format!("config.json: {e}"))?;
        let mut tokenizer = Tokenizer::from_bytes(read(dir, "tokenizer.json")?)
            .map_err(|e| format!("tokenizer.json: {e}"))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| format!("tokenizer.json: {e}"))?;
        let vars = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| format!("model.safetensors: {e}"))?;
        let model =
            BertModel::load(vars, &config).map_err(|e| format!("model.safetensors: {e}"))?;
        Ok(Self { tokenizer, model })
    }

    /// The token ids the model sees for `text`, at most [`MAX_TOKENS`].
    pub fn tokens(&self, text: &str) -> Result<Vec<u32>, String> {
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| format!("tokenizer: {e}"))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// The mean of the last layer over the tokens, scaled to unit length,
    /// as sentence-transformers computes it.
    pub fn embed(&self, text: &str) -> Result<Vec<f32>, String> {
        let ids = self.tokens(text)?;
        let run = || -> candle_core::Result<Vec<f32>> {
            let ids = Tensor::new(ids.as_slice(), &Device::Cpu)?.unsqueeze(0)?;
            let types = ids.zeros_like()?;
            let hidden = self.model.forward(&ids, &types, None)?;
            let mean = hidden.mean(1)?.squeeze(0)?;
            let norm = mean.sqr()?.sum_all()?.sqrt()?;
            mean.broadcast_div(&norm)?.to_vec1::<f32>()
        };
        run().map_err(|e| format!("MiniLM: {e}"))
    }
}

/// An embedding as the features a linear head reads.
pub fn embedding_features(embedding: &[f32]) -> Features {
    Features {
        indices: (0..embedding.len() as u32).collect(),
        values: embedding.to_vec(),
    }
}

/// One attribute's logistic-regression head over the embeddings.
#[derive(Debug)]
pub struct Head {
    pub attribute: Attribute,
    pub id: String,
    pub model: LinearModel,
}

/// The encoder and its heads: the `ml-candle` second opinion.
#[derive(Debug)]
pub struct MiniLmClassifier {
    pub encoder: MiniLm,
    pub heads: Vec<Head>,
}

impl MiniLmClassifier {
    /// The encoder from `dir`, with the shipped heads.
    pub fn load(dir: &Path) -> Result<Self, String> {
        Ok(Self {
            encoder: MiniLm::load(dir)?,
            heads: super::seeds::minilm_heads()?,
        })
    }
}

impl Rescorer for MiniLmClassifier {
    fn covers(&self, attribute: Attribute) -> bool {
        self.heads.iter().any(|h| h.attribute == attribute)
    }

    fn rescore(&self, text: &str, attributes: &[Attribute]) -> Result<Vec<Score>, ClassifierError> {
        let embedding = self.encoder.embed(text).map_err(ClassifierError::Failed)?;
        let features = embedding_features(&embedding);
        Ok(self
            .heads
            .iter()
            .filter(|h| attributes.contains(&h.attribute))
            .map(|h| Score {
                attribute: h.attribute,
                value: h.model.predict(&features),
                model: h.id.clone(),
                note: None,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights, from `MODQ_TEST_MINILM_DIR` or `models/minilm`; without
    /// them the tests say so and pass, except under `CI=true`.
    fn encoder() -> Option<MiniLm> {
        let dir = std::env::var("MODQ_TEST_MINILM_DIR").map_or_else(
            |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("models/minilm"),
            PathBuf::from,
        );
        if !dir.join("model.safetensors").exists() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true needs the MiniLM weights in {}: run tools/fetch_minilm.sh",
                dir.display()
            );
            eprintln!(
                "skipped: no MiniLM weights in {} (tools/fetch_minilm.sh)",
                dir.display()
            );
            return None;
        }
        Some(MiniLm::load(&dir).expect("the weights load"))
    }

    /// Token ids from Hugging Face's `tokenizers` and embeddings from a
    /// numpy implementation of the model (`tools/minilm_reference.py`).
    #[test]
    fn embeddings_match_an_independent_implementation() {
        let Some(encoder) = encoder() else { return };
        let expected: [(&str, &[u32], [f32; 6]); 3] = [
            (
                "This is an example sentence",
                &[101, 2023, 2003, 2019, 2742, 6251, 102],
                [0.067657, 0.063496, 0.048713, 0.079305, 0.037448, 0.002653],
            ),
            (
                "WIN a FREE prize now!!! Call 0800 123 456",
                &[
                    101, 2663, 1037, 2489, 3396, 2085, 999, 999, 999, 2655, 5511, 8889, 13138,
                    3429, 2575, 102,
                ],
                [-0.046288, -0.03832, 0.009743, 0.028707, -0.018586, 0.038441],
            ),
            (
                "I disagree with the author about the council's budget.",
                &[
                    101, 1045, 21090, 2007, 1996, 3166, 2055, 1996, 2473, 1005, 1055, 5166, 1012,
                    102,
                ],
                [-0.00773, 0.047329, 0.002167, 0.051511, 0.000162, -0.014973],
            ),
        ];
        for (text, ids, first) in expected {
            assert_eq!(encoder.tokens(text).expect("tokens"), ids, "{text}");
            let embedding = encoder.embed(text).expect("embeds");
            assert_eq!(embedding.len(), 384);
            let norm: f32 = embedding.iter().map(|v| v * v).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{norm}");
            for (got, want) in embedding.iter().zip(first) {
                assert!((got - want).abs() < 2e-5, "{text}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn long_comments_are_cut_to_256_tokens() {
        let Some(encoder) = encoder() else { return };
        let long = "moderation ".repeat(1000);
        let ids = encoder.tokens(&long).expect("tokens");
        assert_eq!(ids.len(), MAX_TOKENS);
        assert_eq!((ids[0], ids[MAX_TOKENS - 1]), (101, 102), "[CLS] … [SEP]");
        assert_eq!(encoder.embed(&long).expect("embeds").len(), 384);
    }

    #[test]
    fn the_shipped_spam_head_separates_spam_from_discussion() {
        let Some(encoder) = encoder() else { return };
        let classifier = MiniLmClassifier {
            encoder,
            heads: crate::classifier::seeds::minilm_heads().expect("heads"),
        };
        assert!(classifier.covers(Attribute::Spam));
        assert!(!classifier.covers(Attribute::Offensive));
        let score = |text: &str| {
            let scores = classifier
                .rescore(text, &[Attribute::Spam, Attribute::Offensive])
                .expect("scores");
            assert_eq!(scores.len(), 1, "only the attributes it has heads for");
            scores[0].value
        };
        let spam = score(
            "URGENT! You have won a 1 week FREE membership in our £100,000 prize Jackpot! Txt the word CLAIM to 81010",
        );
        let ham =
            score("I think the council should publish the full budget before the vote next week.");
        assert!(spam > 0.9 && ham < 0.1, "spam {spam}, ham {ham}");
    }
}
