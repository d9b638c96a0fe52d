//! Shared typography, free of fonts and file formats: hyphenation and
//! optimal (Knuth–Plass) line breaking, used by the PDF and text backends.
//!
//! `hyphenate` says where a word may break; `linebreak` chooses the breaks
//! of a whole paragraph over boxes, glue and penalties measured in any unit
//! (points for PDF, display columns for text).

pub mod hyphenate;
pub mod linebreak;

pub use hyphenate::{BreakKind, Breakpoint, Hyphenator};
pub use linebreak::{Item, Line, Params, break_lines};
