//! The rules pages: the list, and an editor that takes a rule as JSON (the
//! same shape and the same validation messages as the API and rule
//! files), tests it on a text, backtests it on past comments, and saves
//! it — testing and backtesting never save.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use super::assets;
use super::csrf;
use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use super::templates::{
    BacktestView, GuidelineOption, HitLine, RuleEditorPage, RuleLine, RulesPage, SampleView,
    render, render_with_status,
};
use crate::accounts::Session;
use crate::api::AppState;
use crate::error::AppError;
use crate::moderation;
use crate::rulebook::{self, COMMON_FIELDS, RULE_KINDS, RuleView, TestAuthor, rule_kind};
use crate::rules::{RuleHit, RuleMode};
use crate::views::{Mark, highlight};

/// Comments a backtest from the editor replays, at most.
const MAX_BACKTEST: i64 = 100_000;

fn kind_of(rule: &RuleView) -> String {
    serde_json::to_value(&rule.definition.matcher)
        .ok()
        .and_then(|v| v["kind"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `GET /rules`: every rule the moderator's sites use.
pub async fn show_rules(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<HttpResponse, PageError> {
    let rules = rulebook::list_rules(&state.db, &session.moderator, None).await?;
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    Ok(render(&RulesPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        csrf: session.csrf_token.clone(),
        rules: rules
            .iter()
            .map(|r| RuleLine {
                id: r.id.to_string(),
                name: r.definition.name.clone(),
                kind: kind_of(r),
                action: r.definition.action.as_str().to_owned(),
                shadow: r.definition.mode == RuleMode::Shadow,
                enabled: r.definition.enabled,
                scope: match (&r.scope.site, &r.scope.article) {
                    (None, _) => "every site".to_owned(),
                    (Some(site), None) => site.clone(),
                    (Some(site), Some(article)) => format!("{site}, article {article}"),
                },
                version: r.version,
            })
            .collect(),
        kinds: RULE_KINDS,
    }))
}

/// The editor's state, as shown and as posted back.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditorForm {
    #[serde(default)]
    csrf: String,
    /// Empty for a new rule.
    #[serde(default)]
    id: String,
    #[serde(default)]
    json: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    limit: String,
    /// `test`, `backtest` or `save`.
    #[serde(default)]
    op: String,
}

#[derive(Debug, Deserialize)]
pub struct NewRuleQuery {
    kind: Option<String>,
}

/// `GET /rules/new?kind=…`: the editor with an example rule of that kind
/// (words and phrases unless asked), in shadow mode.
pub async fn new_rule(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    query: web::Query<NewRuleQuery>,
) -> Result<HttpResponse, PageError> {
    let kind = match query.kind.as_deref() {
        None | Some("") => &RULE_KINDS[0],
        Some(name) => rule_kind(name).ok_or(AppError::NotFound("rule kind"))?,
    };
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let site = choices.sites.first().cloned().unwrap_or_default();
    let form = EditorForm {
        json: serde_json::to_string_pretty(&kind.example(&site)).unwrap_or_default(),
        site,
        limit: "1000".to_owned(),
        ..EditorForm::default()
    };
    editor(&state, &session, form, None, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub struct EditRuleQuery {
    /// Backtest the saved rule at once (the insights page links here).
    #[serde(default)]
    backtest: bool,
    /// The site to backtest a global rule on.
    #[serde(default)]
    site: String,
}

/// `GET /rules/{id}`: the editor on a saved rule; with `?backtest=true`,
/// also its backtest on the last 1,000 comments (of its site, or `site`).
pub async fn edit_rule(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<i64>,
    query: web::Query<EditRuleQuery>,
) -> Result<HttpResponse, PageError> {
    let rule = rulebook::get_rule(&state.db, &session.moderator, path.into_inner()).await?;
    let mut object = rulebook::rule_to_object(&rule.scope, &rule.definition);
    object["version"] = Value::from(rule.version);
    let site = match (&rule.scope.site, query.site.trim()) {
        (Some(site), _) => site.clone(),
        (None, asked) => asked.to_owned(),
    };
    let form = EditorForm {
        id: rule.id.to_string(),
        json: serde_json::to_string_pretty(&object).unwrap_or_default(),
        site: site.clone(),
        limit: "1000".to_owned(),
        ..EditorForm::default()
    };
    if !query.backtest || site.is_empty() {
        return editor(&state, &session, form, None, StatusCode::OK).await;
    }
    match rulebook::backtest(&state.db, &session.moderator, site, rule.definition, 1000).await {
        Ok(report) => {
            let outcome = Outcome::Backtested(backtest_view(&report));
            editor(&state, &session, form, Some(outcome), StatusCode::OK).await
        }
        Err(err) => fail(&state, &session, form, err).await,
    }
}

/// What the editor shows below the form.
enum Outcome {
    Error(String),
    Tested(Vec<HitLine>, Vec<crate::views::Segment>),
    Backtested(BacktestView),
}

/// `POST /rules/editor`: test, backtest or save the rule in the editor.
pub async fn submit_rule(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    form: web::Form<EditorForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    let parsed = serde_json::from_str::<Value>(&form.json)
        .map_err(|e| AppError::BadRequest {
            code: "invalid_json",
            message: format!("the rule is not valid JSON: {e}"),
        })
        .and_then(rulebook::parse_rule_body);
    let (scope, version, definition) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => return fail(&state, &session, form, err).await,
    };
    match form.op.as_str() {
        "test" => {
            let author = TestAuthor {
                id: "test-author".to_owned(),
                new_author: true,
                ..TestAuthor::default()
            };
            let article = scope.article.clone().unwrap_or_else(|| "test".to_owned());
            match rulebook::test_rule(definition, &form.text, &article, &author) {
                Ok(hits) => {
                    let marks = marks(&hits);
                    let segments = highlight(&form.text, &marks);
                    let lines = hits.iter().map(hit_line).collect();
                    let outcome = Outcome::Tested(lines, segments);
                    editor(&state, &session, form, Some(outcome), StatusCode::OK).await
                }
                Err(err) => fail(&state, &session, form, err).await,
            }
        }
        "backtest" => {
            let limit: i64 = form.limit.trim().parse().unwrap_or(0);
            if !(1..=MAX_BACKTEST).contains(&limit) {
                let err =
                    AppError::validation("limit", format!("must be between 1 and {MAX_BACKTEST}"));
                return fail(&state, &session, form, err).await;
            }
            let site = form.site.trim().to_owned();
            match rulebook::backtest(&state.db, &session.moderator, site, definition, limit).await {
                Ok(report) => {
                    let view = backtest_view(&report);
                    let outcome = Outcome::Backtested(view);
                    editor(&state, &session, form, Some(outcome), StatusCode::OK).await
                }
                Err(err) => fail(&state, &session, form, err).await,
            }
        }
        "save" => {
            let saved = match form.id.trim().parse::<i64>() {
                Ok(id) => {
                    rulebook::update_rule(
                        &state.db,
                        &session.moderator,
                        id,
                        scope.article.clone(),
                        definition,
                        version,
                    )
                    .await
                }
                Err(_) => {
                    rulebook::create_rule(
                        &state.db,
                        &state.ids,
                        &session.moderator,
                        scope,
                        definition,
                    )
                    .await
                }
            };
            match saved {
                Ok(rule) => Ok(HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, format!("/rules/{}", rule.id)))
                    .finish()),
                Err(err) => fail(&state, &session, form, err).await,
            }
        }
        _ => Err(AppError::validation("op", "must be test, backtest or save").into()),
    }
}

/// Shows a client error on the editor, with the rule as typed; anything
/// else is an error page.
async fn fail(
    state: &AppState,
    session: &Session,
    form: EditorForm,
    err: AppError,
) -> Result<HttpResponse, PageError> {
    use crate::api::error_response::status_of;
    let status = status_of(&err);
    if status.is_server_error() || matches!(err, AppError::Unauthorized) {
        return Err(err.into());
    }
    editor(
        state,
        session,
        form,
        Some(Outcome::Error(err.to_string())),
        status,
    )
    .await
}

#[derive(Deserialize)]
pub struct ModeForm {
    #[serde(default)]
    csrf: String,
    mode: String,
}

/// `POST /rules/{id}/mode`: switches a rule between shadow and enforce.
pub async fn set_rule_mode(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<i64>,
    form: web::Form<ModeForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    let mode = match form.mode.as_str() {
        "shadow" => RuleMode::Shadow,
        "enforce" => RuleMode::Enforce,
        _ => return Err(AppError::validation("mode", "must be shadow or enforce").into()),
    };
    let id = path.into_inner();
    let rule = rulebook::get_rule(&state.db, &session.moderator, id).await?;
    let mut definition = rule.definition;
    definition.mode = mode;
    rulebook::update_rule(
        &state.db,
        &session.moderator,
        id,
        rule.scope.article,
        definition,
        Some(rule.version),
    )
    .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/rules"))
        .finish())
}

async fn editor(
    state: &AppState,
    session: &Session,
    form: EditorForm,
    outcome: Option<Outcome>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    // The reference follows the rule as typed: its kind and its site.
    let typed = serde_json::from_str::<Value>(&form.json).unwrap_or(Value::Null);
    let kind = typed["match"]["kind"].as_str().and_then(rule_kind);
    let rule_site = typed["site"].as_str().unwrap_or(&form.site);
    let site_id = choices.site_id(rule_site);
    let overview =
        moderation::queue_overview(&state.db, &session.moderator, site_id.into_iter().collect())
            .await?;
    let guidelines = site_id
        .and_then(|id| overview.sites.get(&id))
        .map(|site| GuidelineOption::all(&site.guidelines))
        .unwrap_or_default();
    let (error, hits, tested, backtest) = match outcome {
        None => (None, None, Vec::new(), None),
        Some(Outcome::Error(message)) => (Some(message), None, Vec::new(), None),
        Some(Outcome::Tested(hits, segments)) => (None, Some(hits), segments, None),
        Some(Outcome::Backtested(view)) => (None, None, Vec::new(), Some(view)),
    };
    Ok(render_with_status(
        status,
        &RuleEditorPage {
            assets: assets::version(),
            nav: Some(nav(session, &overview)),
            csrf: session.csrf_token.clone(),
            id: form.id,
            json: form.json,
            text: form.text,
            site: form.site,
            limit: form.limit,
            sites: choices.sites,
            kinds: RULE_KINDS,
            kind,
            common_fields: COMMON_FIELDS,
            guidelines,
            error,
            hits,
            tested,
            backtest,
        },
    ))
}

fn marks(hits: &[RuleHit]) -> Vec<Mark> {
    hits.iter()
        .filter_map(|h| {
            h.span.as_ref().map(|s| Mark {
                start: s.start,
                end: s.end,
                label: h.message.clone(),
            })
        })
        .collect()
}

fn hit_line(hit: &RuleHit) -> HitLine {
    HitLine {
        message: hit.message.clone(),
        matched: hit.span.as_ref().map(|s| s.text.clone()),
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn backtest_view(report: &rulebook::BacktestReport) -> BacktestView {
    let m = report.matrix;
    BacktestView {
        scanned: report.scanned,
        hits: report.hits,
        matrix: m,
        precision: percent(m.precision()),
        recall: percent(m.recall()),
        elapsed_ms: report.elapsed_ms,
        samples: report
            .samples
            .iter()
            .map(|s| SampleView {
                id: s.comment_id.to_string(),
                status: s.status.clone(),
                segments: highlight(&s.body, &marks(&s.hits)),
            })
            .collect(),
    }
}
