//! Cover pictures for the kit: the raster cover each title's EPUB already
//! carries, scaled to a page picture and a thumbnail (PNG), with the
//! EPUB's accessibility facts kept for ONIX.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use image::imageops::FilterType;
use rayon::prelude::*;

use super::File;
use super::entries::Catalogue;
use super::epub::{self, Facts};
use crate::layout::Format;

/// Long side of the cover on a title page, in pixels.
const PAGE_SIDE: u32 = 600;
/// Long side of a thumbnail in lists and the printed catalogue.
const THUMB_SIDE: u32 = 240;

/// One title's pictures.
pub struct Cover {
    /// Paths relative to the output folder.
    pub page: String,
    pub thumb: String,
    pub thumb_size: (u32, u32),
    pub page_png: Vec<u8>,
    pub thumb_png: Vec<u8>,
}

/// Every title's cover (when its EPUB has one) and EPUB facts, by slug.
pub struct Covers {
    pub covers: HashMap<String, Cover>,
    pub facts: HashMap<String, Facts>,
}

impl Covers {
    pub fn files(&self) -> Vec<File> {
        let mut slugs: Vec<&String> = self.covers.keys().collect();
        slugs.sort();
        slugs
            .into_iter()
            .flat_map(|slug| {
                let c = &self.covers[slug];
                [
                    File { path: c.page.clone(), bytes: c.page_png.clone() },
                    File { path: c.thumb.clone(), bytes: c.thumb_png.clone() },
                ]
            })
            .collect()
    }
}

/// Read each title's first EPUB edition under `out`.
pub fn extract(catalogue: &Catalogue, out: &Path) -> Covers {
    let found: Vec<(String, Facts, Option<Cover>)> = catalogue
        .titles
        .par_iter()
        .filter_map(|title| {
            let edition = title.editions.iter().find(|e| e.format == Format::Epub)?;
            let facts = epub::read(&out.join(&edition.href))?;
            let cover = facts.cover.as_deref().and_then(|bytes| scale(&title.slug, bytes));
            Some((title.slug.clone(), facts, cover))
        })
        .collect();
    let mut covers = Covers { covers: HashMap::new(), facts: HashMap::new() };
    for (slug, facts, cover) in found {
        if let Some(cover) = cover {
            covers.covers.insert(slug.clone(), cover);
        }
        covers.facts.insert(slug, facts);
    }
    covers
}

/// The page picture and thumbnail of one cover; `None` when the picture
/// cannot be decoded (the page then shows the title set in type).
fn scale(slug: &str, bytes: &[u8]) -> Option<Cover> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    // The EPUB's own picture, but still bounded: no picture larger than
    // the source checks allow.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(crate::source::MAX_IMAGE_SIDE);
    limits.max_image_height = Some(crate::source::MAX_IMAGE_SIDE);
    reader.limits(limits);
    let picture = reader.decode().ok()?.into_rgb8();
    let png = |side: u32| -> Option<(Vec<u8>, (u32, u32))> {
        let small = image::DynamicImage::ImageRgb8(picture.clone()).resize(side, side, FilterType::Triangle);
        let mut out = Vec::new();
        small.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).ok()?;
        Some((out, (small.width(), small.height())))
    };
    let (page_png, _) = png(PAGE_SIDE)?;
    let (thumb_png, thumb_size) = png(THUMB_SIDE)?;
    Some(Cover {
        page: format!("covers/{slug}.png"),
        thumb: format!("covers/{slug}-thumb.png"),
        thumb_size,
        page_png,
        thumb_png,
    })
}
