//! The page structs askama renders, and rendering into a response. Every
//! value is escaped by the templates; nothing a commenter wrote is marked
//! safe.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

use super::assets;
use crate::rulebook::{FieldHelp, RuleKind};
use crate::views::Segment;

/// The header every page after login shows.
pub struct Nav {
    pub email: String,
    pub csrf: String,
    pub pending: String,
    pub admin: bool,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub next: String,
    pub form_token: String,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub error: Option<String>,
    pub changed: bool,
    pub min_chars: usize,
}

#[derive(Template)]
#[template(path = "queue.html")]
pub struct QueuePage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub cards: Vec<Card>,
    pub next_page: Option<String>,
    /// The filters and order on show.
    pub view: super::queue_view::QueueView,
    /// Guidelines of the sites on this page, for the bulk reject picker.
    pub bulk_guidelines: Vec<GuidelineOption>,
    pub choices: crate::moderation::QueueChoices,
    pub saved: Vec<crate::moderation::SavedQueue>,
    /// A problem with the last attempt to save a view.
    pub save_error: Option<String>,
    pub tab: crate::domain::QueueTab,
    pub tabs: Vec<TabLink>,
    pub heading: &'static str,
    pub empty_text: &'static str,
    /// The tab without filters.
    pub clear_href: String,
}

/// A link to one queue tab, keeping the page's filters.
pub struct TabLink {
    pub title: &'static str,
    pub href: String,
    /// How many wait there, for the tabs that count.
    pub count: Option<String>,
    pub current: bool,
}

impl QueuePage {
    pub fn sort_is(&self, sort: &str) -> bool {
        self.view.sort == sort
    }

    pub fn rule_is(&self, id: &i64) -> bool {
        self.view.rule.trim() == id.to_string()
    }
}

impl QueuePage {
    /// The pending count for the tab title.
    pub fn nav_pending(&self) -> &str {
        self.nav.as_ref().map_or("0", |n| n.pending.as_str())
    }
}

/// One card alone, for the queue page's script to add.
#[derive(Template)]
#[template(path = "card_fragment.html")]
pub struct CardFragment {
    pub card: Card,
    pub csrf: String,
}

/// One pending comment on the queue page.
pub struct Card {
    pub id: String,
    pub version: i64,
    pub site: String,
    pub article_title: String,
    /// Only http and https links are shown as links.
    pub article_url: Option<String>,
    pub author_name: String,
    pub author_approved: i32,
    pub author_rejected: i32,
    pub age: String,
    pub priority: i32,
    pub segments: Vec<Segment>,
    pub reasons: Vec<ReasonLine>,
    /// Classifier scores below their band, e.g. `spam 0.12`.
    pub quiet_scores: Vec<String>,
    pub guidelines: Vec<GuidelineOption>,
    pub parent_id: Option<String>,
    /// Another moderator reviewing this comment now.
    pub leased_by: Option<String>,
    /// Where the decision forms return to; empty for the queue.
    pub back: String,
    /// Which decisions the card offers: `decide` (approve, reject),
    /// `review` (keep, reject) or `reopen`.
    pub mode: &'static str,
    pub status: String,
    /// The comment this one replies to.
    pub parent: Option<ParentLine>,
    /// Open reports, on a reported comment.
    pub reports: Option<ReportLines>,
    /// What the last edit changed; empty if never edited.
    pub diff: Vec<DiffLine>,
    pub revision: i32,
}

pub struct ParentLine {
    pub id: String,
    pub author: String,
    /// The start of its body.
    pub excerpt: String,
    pub status: String,
}

pub struct ReportLines {
    pub open: i64,
    /// Reasons with how many readers gave each, e.g. `Spam ×2 · Abuse`.
    pub reasons: String,
    /// (reader, what they wrote), for reports with a note.
    pub notes: Vec<(String, String)>,
    pub hidden: bool,
}

pub struct DiffLine {
    /// `same`, `removed` or `added`.
    pub change: &'static str,
    pub text: String,
}

pub struct ReasonLine {
    pub code: String,
    pub message: String,
    pub matched: Option<String>,
    pub shadow: bool,
}

#[derive(Clone)]
pub struct GuidelineOption {
    pub code: String,
    pub title: String,
}

impl GuidelineOption {
    /// A site's guidelines, for a picker or a list.
    pub fn all(guidelines: &crate::domain::Guidelines) -> Vec<Self> {
        guidelines
            .items()
            .iter()
            .map(|g| Self {
                code: g.code.clone(),
                title: g.title.clone(),
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "comment.html")]
pub struct CommentPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub card: Card,
    pub status: String,
    pub created: String,
    /// Each edit, newest first, as a diff from the body before it.
    pub revisions: Vec<RevisionLine>,
    /// The body first submitted, when it was edited since.
    pub first_body: Option<String>,
    pub reports: Vec<ReportLine>,
    pub author_id: String,
    pub author_external_id: String,
    /// Who decided what, and their note.
    pub decision: Option<(String, Option<String>)>,
    pub history: Vec<HistoryLine>,
    pub author_comments: Vec<AuthorCommentLine>,
    pub notes: Vec<NoteLine>,
}

pub struct RevisionLine {
    pub revision: i32,
    /// The status the comment had before this edit.
    pub status: String,
    pub at: String,
    pub diff: Vec<DiffLine>,
}

pub struct ReportLine {
    pub reporter: String,
    pub reason: &'static str,
    pub note: String,
    pub status: &'static str,
    pub counted: bool,
    pub at: String,
}

pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub change: String,
    pub reason: String,
    pub note: String,
}

pub struct AuthorCommentLine {
    pub id: String,
    pub status: String,
    pub at: String,
    pub excerpt: String,
    /// The comment the page is about.
    pub this: bool,
}

pub struct NoteLine {
    pub note: String,
    pub moderator: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "articles.html")]
pub struct ArticlesPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub q: String,
    pub articles: Vec<ArticleLine>,
    /// At most this many are listed.
    pub limit: i64,
}

pub struct ArticleLine {
    pub id: String,
    pub external_id: String,
    pub title: String,
    pub site: String,
    /// The policy in force.
    pub policy: &'static str,
    pub site_default: &'static str,
    /// The article's own policy; empty when it follows the site default.
    pub policy_override: &'static str,
    pub pending: i64,
}

#[derive(Template)]
#[template(path = "rules.html")]
pub struct RulesPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub rules: Vec<RuleLine>,
    pub kinds: &'static [RuleKind],
}

pub struct RuleLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub action: String,
    pub shadow: bool,
    pub enabled: bool,
    pub scope: String,
    pub version: i32,
}

#[derive(Template)]
#[template(path = "rule_editor.html")]
pub struct RuleEditorPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    /// Empty for a new rule.
    pub id: String,
    pub json: String,
    pub text: String,
    pub site: String,
    pub limit: String,
    pub sites: Vec<String>,
    /// Kinds a new rule can start from.
    pub kinds: &'static [RuleKind],
    /// The kind of the rule in the editor, with what its fields mean.
    pub kind: Option<&'static RuleKind>,
    pub common_fields: &'static [FieldHelp],
    /// The guideline codes a `reason` may name on the rule's site.
    pub guidelines: Vec<GuidelineOption>,
    pub error: Option<String>,
    /// After a test: what the rule recorded, and the text with its matches.
    pub hits: Option<Vec<HitLine>>,
    pub tested: Vec<Segment>,
    pub backtest: Option<BacktestView>,
}

pub struct HitLine {
    pub message: String,
    pub matched: Option<String>,
}

pub struct BacktestView {
    pub scanned: u64,
    pub hits: u64,
    pub matrix: crate::rulebook::Confusion,
    pub precision: String,
    pub recall: String,
    pub elapsed_ms: u128,
    pub samples: Vec<SampleView>,
}

pub struct SampleView {
    pub id: String,
    pub status: String,
    pub segments: Vec<Segment>,
}

#[derive(Template)]
#[template(path = "site.html")]
pub struct SitePage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    /// Every site, to switch between them.
    pub sites: Vec<String>,
    pub name: String,
    pub default_policy: &'static str,
    pub new_author_hold: i32,
    /// One guideline per line: `code | title | text`.
    pub guidelines: String,
    /// Edit, report and thread settings.
    pub published: crate::domain::PublishedSettings,
    pub error: Option<String>,
    pub saved: bool,
    /// A key just issued, shown this once.
    pub new_key: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub sites: Vec<String>,
    pub site: String,
    pub moderator: String,
    pub from: String,
    pub to: String,
    pub csv_link: String,
    pub changes_csv_link: String,
    /// `?site=…&from=…&to=…` for the export links, or empty.
    pub export_query: String,
    pub rows: Vec<AuditRowView>,
    pub next_page: Option<String>,
    pub next_changes: Option<String>,
    /// The latest configuration changes for the same filters.
    pub changes: Vec<ConfigRowView>,
}

pub struct ConfigRowView {
    pub at: String,
    pub site: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

pub struct AuditRowView {
    pub at: String,
    pub site: String,
    pub comment_id: String,
    pub actor: String,
    pub action: String,
    pub change: String,
    pub reason: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "moderators.html")]
pub struct ModeratorsPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub sites: Vec<String>,
    pub moderators: Vec<ModeratorLine>,
    pub error: Option<String>,
    /// A password or token just made: what it is, and the secret, once.
    pub secret: Option<(String, String)>,
}

pub struct ModeratorLine {
    pub id: String,
    pub email: String,
    pub admin: bool,
    pub active: bool,
    pub sites: Vec<String>,
    /// Token id and when it was made.
    pub tokens: Vec<(String, String)>,
    /// The admin looking at the page.
    pub me: bool,
}

impl ModeratorLine {
    pub fn has_site(&self, site: &str) -> bool {
        self.sites.iter().any(|s| s == site)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub status: u16,
    pub message: String,
}

impl ErrorPage {
    pub fn new(status: u16, message: String) -> Self {
        Self {
            assets: assets::version(),
            nav: None,
            status,
            message,
        }
    }
}

pub fn render(page: &impl Template) -> HttpResponse {
    render_with_status(StatusCode::OK, page)
}

pub fn render_with_status(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        Err(err) => {
            tracing::error!(error = %err, "a page failed to render");
            HttpResponse::InternalServerError()
                .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
                .body("internal error; the cause has been logged")
        }
    }
}

/// A site's classifier settings, calibration and models (admins).
#[derive(Template)]
#[template(path = "site_classifier.html")]
pub struct ClassifierPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub name: String,
    pub enabled: bool,
    pub on_failure: String,
    pub retrain_after: String,
    pub external_url: String,
    pub external_timeout_ms: String,
    pub bands: Vec<BandForm>,
    pub guidelines: Vec<GuidelineOption>,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub charts: Vec<ChartView>,
    pub models: Vec<ModelLine>,
}

/// One attribute's band as the form shows it.
pub struct BandForm {
    pub attribute: &'static str,
    pub banded: bool,
    pub approve_below: String,
    pub reject_above: String,
    pub between: String,
    pub reject_reason: String,
    pub learn_from: String,
}

/// Precision and recall against the threshold, as SVG polylines, with
/// the band edges as vertical lines.
pub struct ChartView {
    pub attribute: &'static str,
    pub model: String,
    pub positives: usize,
    pub negatives: usize,
    pub precision: String,
    pub recall: String,
    /// x position and label.
    pub edges: Vec<(String, String)>,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub middle: f64,
    pub middle_x: f64,
}

pub struct ModelLine {
    pub attribute: &'static str,
    pub version: i32,
    pub active: bool,
    pub at: String,
    pub examples: usize,
    pub comparison: String,
}

/// A site's webhook endpoints and queue alert (admins).
#[derive(Template)]
#[template(path = "site_webhooks.html")]
pub struct WebhooksPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub name: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub endpoints: Vec<EndpointLine>,
    pub event_types: Vec<&'static str>,
    pub oldest_pending_minutes: String,
    pub max_pending: String,
    pub alert_firing_since: Option<String>,
}

pub struct EndpointLine {
    pub id: i64,
    pub url: String,
    pub events: String,
    pub format: String,
    pub pending: i64,
    pub dead: i64,
    pub failing: bool,
    pub last_error: String,
}

/// One endpoint's delivery log (admins).
#[derive(Template)]
#[template(path = "webhook_deliveries.html")]
pub struct WebhookDeliveriesPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub name: String,
    pub endpoint: i64,
    pub url: String,
    pub notice: Option<String>,
    pub deliveries: Vec<DeliveryLine>,
}

pub struct DeliveryLine {
    pub id: i64,
    pub event_id: String,
    pub event_type: String,
    pub comment_id: String,
    pub state: String,
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub attempts: Vec<AttemptLine>,
}

pub struct AttemptLine {
    pub at: String,
    pub status: String,
    pub error: String,
    pub response: String,
    pub duration_ms: i64,
}

#[derive(Template)]
#[template(path = "insights.html")]
pub struct InsightsPage {
    pub assets: &'static str,
    pub nav: Option<Nav>,
    pub sites: Vec<String>,
    pub site: String,
    pub period: String,
    pub from: String,
    pub until: String,
    pub moderator: String,
    /// `site=…&from=…&to=…&moderator=…` for the export links.
    pub export_query: String,
    pub charts: Vec<super::charts::Chart>,
    pub figures: crate::insights::Insights,
}

impl InsightsPage {
    /// A duration for the tables, or a dash.
    pub fn secs(&self, secs: &Option<i64>) -> String {
        secs.map(|s| super::charts::duration(s as f64))
            .unwrap_or_else(|| "–".to_owned())
    }

    pub fn percent(&self, share: &Option<f64>) -> String {
        share
            .map(|p| format!("{:.0}%", p * 100.0))
            .unwrap_or_else(|| "–".to_owned())
    }

    pub fn target(&self) -> String {
        super::charts::duration(self.figures.speed.target_secs as f64)
    }

    /// Decisions within the target, as a share.
    pub fn within_target(&self) -> String {
        let s = &self.figures.speed.overall;
        self.percent(&(s.decisions > 0).then(|| s.within_target as f64 / s.decisions as f64))
    }
}
