//! Pieces the screens draw with: wrapped text, the text field, JSON lines.

pub mod chart;
pub mod json;
pub mod text;
pub mod text_field;
