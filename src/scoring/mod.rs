//! The classifier applied to a site: which models score its comments,
//! scoring off the request workers, and refitting models to moderators'
//! decisions.

mod calibration;
mod external;
mod model_book;
mod model_history;
mod pool;
mod retrain;
mod score_comment;
mod second_opinion;

pub use calibration::{CALIBRATION_DECISIONS, Calibration, CurvePoint, calibrate, curve};
pub use external::{call_external, external_model_id};
pub use model_book::{ModelBook, site_model_id};
pub use model_history::{ModelVersion, model_history};
pub use pool::ScoringPool;
pub use retrain::{
    MAX_TRAINING_DECISIONS, MIN_PER_LABEL, RetrainReport, due_for_retraining, retrain_site,
    spawn_retraining,
};
pub use score_comment::{CommentToScore, Scorers, score_comment};
pub use second_opinion::{SecondOpinion, WITHOUT_CANDLE, load_second_opinion, load_transformer};
