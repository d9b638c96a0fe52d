//! `mimeo translate start ORIGINAL --to LANG`: a translation to fill in.
//! Every heading, label and turn is there, each turn still holding the
//! original's text; `check` counts a turn as translated once its text
//! differs from the original's, so it can say how much is left.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

use super::Side;
use super::fingerprint::fingerprints;
use super::units::units;
use super::write::{relative_path, translation_source, write_new};

/// What a skeleton's front matter says to the translator.
const NOTE: &str = "# A translation to fill in: translate the title, subtitle, names and bios (a `label:` is\n\
                    # what the body's turns begin with: change it and the labels together), then each\n\
                    # question and turn. A turn still holding the original's text counts as untranslated.\n";

/// Where `start` writes by default: `talk.md` → `talk-fa.md` beside it.
pub fn default_path(original: &Path, language: &str) -> PathBuf {
    let stem = original.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    original.with_file_name(format!("{stem}-{language}.md"))
}

/// Check `--to LANG`: a BCP 47 tag other than the original's language.
pub fn check_language(language: &str, original: &Side) -> Result<(), Diagnostic> {
    if !crate::source::is_language_tag(language) {
        return Err(Diagnostic::error(format!("`--to {language}` is not a BCP 47 language tag"))
            .hint("for example `fa`, `zh-Hans`, `ckb`, `pt-BR`"));
    }
    if language.eq_ignore_ascii_case(&original.document.meta.language) {
        return Err(Diagnostic::error(format!("the original is already in `{language}`"))
            .at(original.map.key_location("language"))
            .hint("name the language to translate into"));
    }
    Ok(())
}

/// Write the skeleton of a translation of `original` into `language`;
/// returns the path written.
pub fn start(original: &Path, language: &str, output: Option<&Path>) -> Result<PathBuf, Vec<Diagnostic>> {
    let (side, translating) = Side::read(original)?;
    if translating.is_some() {
        return Err(vec![
            Diagnostic::error("this source is itself a translation; start from its original")
                .at(Location::file(original)),
        ]);
    }
    check_language(language, &side).map_err(|e| vec![e])?;
    let path = output.map_or_else(|| default_path(original, language), Path::to_path_buf);
    let of = relative_path(&path, original);
    let marks = fingerprints(&units(&side));
    let text = translation_source(&side, &of, language, &BTreeMap::new(), &marks, NOTE);
    write_new(&path, &text).map_err(|e| vec![e])?;
    Ok(path)
}
