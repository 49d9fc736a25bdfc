// TEMPORARY STUB (replaced by the real formatter)
pub const DEFAULT_SUMMARY_FORMAT: &str = "Summary:\nExit Code: {exit_code!E}\n";
#[derive(Debug, thiserror::Error)]
#[error("bad template")]
pub struct TemplateError;
pub fn validate(_t: &str, _k: &[&str]) -> Result<(), TemplateError> {
    Ok(())
}
pub fn render(t: &str, v: &serde_json::Map<String, serde_json::Value>, _c: bool) -> String {
    format!("{t} {v:?}")
}
