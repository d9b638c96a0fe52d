//! Shared typography, free of fonts and file formats: hyphenation, line
//! break opportunities, writing direction and optimal (Knuth–Plass) line
//! breaking, used by the PDF and text backends (and direction by the EPUB).
//!
//! `hyphenate` says where a word may break; `segment` where text may break
//! between words and between CJK characters (UAX #14 with kinsoku); `bidi`
//! which way a language, span or paragraph runs and how a mixed line is
//! ordered for display (UAX #9); `script` cuts text into runs of one script
//! family (the first guess at a font); `linebreak` chooses the breaks of a whole
//! paragraph over boxes, glue and penalties measured in any unit (points for
//! PDF, display columns for text); `columns` how a table's columns share a measure.

pub mod bidi;
pub mod columns;
pub mod hyphenate;
pub mod linebreak;
pub mod script;
pub mod segment;

pub use hyphenate::{BreakKind, Breakpoint, Hyphenator};
pub use linebreak::{Item, Line, Params, break_lines};
