//! Readers' reports on published comments: recording them, sending a
//! comment to the Reported queue once enough count, and reading them back.

mod list_reports;
mod report_comment;

pub use list_reports::{ReportView, open_reports_of, reports_of};
pub use report_comment::{NewReport, ReportOutcome, report_comment};
