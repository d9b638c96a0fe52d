//! mimeo: one transcript in, the editions people print, read and hand out.
//!
//! The flow is one way: [`source`] reads a Markdown file with YAML front
//! matter into the [`model`]; [`typeset`] holds the shared typography
//! (hyphenation, line breaking); each [`backend`] renders the model with a
//! [`layout`] into PDF, EPUB or plain text; [`build`] ties them together
//! and [`output`] writes files atomically. [`watch`] rebuilds on every
//! save and [`serve`] shows the editions in a browser as they change.

pub mod backend;
pub mod batch;
pub mod build;
pub mod catalog;
pub mod cli;
pub mod diag;
pub mod files;
mod fonts;
pub mod import;
pub mod layout;
mod markup;
pub mod model;
pub mod output;
pub mod serve;
pub mod source;
mod svg;
pub mod translate;
pub mod typeset;
pub mod watch;
mod yaml;
