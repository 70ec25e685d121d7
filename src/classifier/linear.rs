//! Logistic regression over hashed features, trained with AdaGrad SGD,
//! and its compact binary form for the database and the seed files.

use super::features::{DIMENSIONS, Features};

/// One attribute's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub weights: Vec<f32>,
    pub bias: f32,
}

/// How training runs. The defaults suit a few hundred to a few hundred
/// thousand comments.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f32,
    /// L2 penalty, applied to the weights an example touches.
    pub l2: f32,
    /// Seed for the order examples are visited in.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            epochs: 8,
            learning_rate: 0.1,
            l2: 1e-5,
            seed: 0x6d6f_6471,
        }
    }
}

impl TrainOptions {
    /// The defaults for heads over sentence embeddings: 384 small dense
    /// features want more passes at a larger step than sparse n-grams.
    pub fn for_embeddings() -> Self {
        Self {
            epochs: 100,
            learning_rate: 1.0,
            l2: 0.0,
            ..Self::default()
        }
    }
}

pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl LinearModel {
    pub fn zeroed() -> Self {
        Self {
            weights: vec![0.0; DIMENSIONS],
            bias: 0.0,
        }
    }

    /// The probability that the features show the attribute.
    pub fn predict(&self, features: &Features) -> f32 {
        let z = features
            .iter()
            .fold(self.bias, |acc, (i, v)| acc + self.weights[i] * v);
        sigmoid(z)
    }

    /// Fits a model to `examples` (features, whether the attribute holds).
    /// The two classes weigh the same in total however unequal their
    /// counts, and `progress` hears after every epoch.
    pub fn train(
        examples: &[(Features, bool)],
        options: TrainOptions,
        mut progress: impl FnMut(usize, usize),
    ) -> Self {
        let mut model = Self::zeroed();
        let mut squared = vec![0.0f32; DIMENSIONS];
        let mut bias_squared = 0.0f32;
        let positives = examples.iter().filter(|(_, y)| *y).count().max(1) as f32;
        let negatives = examples.iter().filter(|(_, y)| !*y).count().max(1) as f32;
        let total = positives + negatives;
        let weight_pos = total / (2.0 * positives);
        let weight_neg = total / (2.0 * negatives);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = options.seed | 1;
        const EPS: f32 = 1e-8;
        for epoch in 0..options.epochs {
            // Fisher–Yates with a xorshift generator: the same order for
            // the same seed everywhere.
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &index in &order {
                let (features, label) = &examples[index];
                let target = if *label { 1.0 } else { 0.0 };
                let weight = if *label { weight_pos } else { weight_neg };
                let gradient = (model.predict(features) - target) * weight;
                for (i, v) in features.iter() {
                    let g = gradient * v + options.l2 * model.weights[i];
                    squared[i] += g * g;
                    model.weights[i] -= options.learning_rate * g / (squared[i].sqrt() + EPS);
                }
                bias_squared += gradient * gradient;
                model.bias -= options.learning_rate * gradient / (bias_squared.sqrt() + EPS);
            }
            progress(epoch + 1, options.epochs);
        }
        model
    }

    /// The model as bytes: a header, the bias, then every non-zero weight
    /// as (index, value), all little-endian. Exact: loading gives back
    /// the same floats.
    pub fn to_bytes(&self) -> Vec<u8> {
        let nonzero: Vec<(u32, f32)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(i, w)| (i as u32, *w))
            .collect();
        let mut out = Vec::with_capacity(16 + nonzero.len() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(DIMENSIONS as u32).to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&(nonzero.len() as u32).to_le_bytes());
        for (i, w) in nonzero {
            out.extend_from_slice(&i.to_le_bytes());
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelFormatError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(ModelFormatError("not a modq linear model"));
        }
        if reader.u32()? as usize != DIMENSIONS {
            return Err(ModelFormatError("made for another feature size"));
        }
        let bias = f32::from_bits(reader.u32()?);
        let count = reader.u32()? as usize;
        let mut weights = vec![0.0f32; DIMENSIONS];
        for _ in 0..count {
            let index = reader.u32()? as usize;
            let value = f32::from_bits(reader.u32()?);
            *weights
                .get_mut(index)
                .ok_or(ModelFormatError("weight index out of range"))? = value;
        }
        if reader.at != bytes.len() {
            return Err(ModelFormatError("trailing bytes"));
        }
        Ok(Self { weights, bias })
    }
}

const MAGIC: &[u8] = b"MODQLIN1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("model file: {0}")]
pub struct ModelFormatError(pub &'static str);

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelFormatError> {
        let end = self.at + n;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(ModelFormatError("truncated"))?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, ModelFormatError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::features::featurize;

    fn separable() -> Vec<(Features, bool)> {
        let spam = [
            "Win a free iPhone now, click here",
            "Cheap pills, free shipping, click now",
            "You have won a prize, claim it now",
            "Free money!!! Visit my site to claim",
            "Earn cash fast from home, click here",
        ];
        let ham = [
            "I disagree with the author about the budget",
            "Great reporting on the council meeting",
            "The second paragraph gets the dates wrong",
            "My town had the same problem with the buses",
            "Thanks for explaining the new tax rules",
        ];
        spam.iter()
            .map(|t| (featurize(t), true))
            .chain(ham.iter().map(|t| (featurize(t), false)))
            .collect()
    }

    #[test]
    fn training_on_a_separable_set_classifies_it_all() {
        let examples = separable();
        let mut epochs_seen = 0;
        let model = LinearModel::train(&examples, TrainOptions::default(), |e, _| epochs_seen = e);
        assert_eq!(epochs_seen, TrainOptions::default().epochs);
        for (features, label) in &examples {
            assert_eq!(model.predict(features) > 0.5, *label);
        }
        let unseen = model.predict(&featurize("click here to claim your free prize"));
        assert!(unseen > 0.5, "{unseen}");
    }

    #[test]
    fn bytes_round_trip_exactly() {
        let model = LinearModel::train(&separable(), TrainOptions::default(), |_, _| {});
        let bytes = model.to_bytes();
        let loaded = LinearModel::from_bytes(&bytes).expect("loads");
        assert_eq!(loaded, model);
        let text = featurize("claim your free prize");
        assert_eq!(
            loaded.predict(&text).to_bits(),
            model.predict(&text).to_bits()
        );
        assert!(LinearModel::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(LinearModel::from_bytes(b"nonsense").is_err());
    }
}
