//! Image references (the cover and inline images): only files inside the
//! source's folder, of a known format and sane size, ever reach a backend.

use std::path::{Component, Path};

use crate::model::{Image, ImageFormat};

/// Larger sides are refused before any decoding (a 60000×60000 PNG header
/// would ask for gigabytes).
pub const MAX_SIDE: u32 = 10_000;
/// At most 50 megapixels.
pub const MAX_PIXELS: u64 = 50_000_000;
/// At most 20 MiB per file.
pub const MAX_BYTES: u64 = 20 << 20;

/// Resolve `reference` (as written in the source) against the folder of
/// `source_path`, and check the file. The error is a sentence to show the user.
pub fn resolve(source_path: &Path, reference: &str, alt: &str) -> Result<Image, String> {
    let relative = Path::new(reference);
    if reference.is_empty() {
        return Err("the image path is empty".into());
    }
    if relative.is_absolute() || reference.starts_with('/') || reference.starts_with('\\') {
        return Err(format!(
            "`{reference}` is an absolute path; images must be given relative to the source file"
        ));
    }
    if relative.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_))) {
        return Err(format!(
            "`{reference}` leaves the source file's folder (`..`); images must be inside it"
        ));
    }
    if reference.contains("://") {
        return Err(format!("`{reference}` is a URL; images must be local files next to the source"));
    }
    let folder = source_path.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let folder = folder.canonicalize().map_err(|e| format!("cannot open the source's folder: {e}"))?;
    let path = folder
        .join(relative)
        .canonicalize()
        .map_err(|e| format!("cannot open image `{reference}`: {}", crate::diag::io_words(&e)))?;
    if !path.starts_with(&folder) {
        return Err(format!("`{reference}` is a link to a file outside the source file's folder"));
    }
    let metadata = std::fs::metadata(&path)
        .map_err(|e| format!("cannot open image `{reference}`: {}", crate::diag::io_words(&e)))?;
    if !metadata.is_file() {
        return Err(format!("`{reference}` is not a file"));
    }
    if metadata.len() > MAX_BYTES {
        return Err(format!("image `{reference}` is larger than {} MiB", MAX_BYTES >> 20));
    }
    let (format, width, height) = sniff(&path).map_err(|why| format!("image `{reference}`: {why}"))?;
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(format!(
            "image `{reference}` is {width}×{height} pixels; mimeo takes images up to {MAX_SIDE} pixels a side"
        ));
    }
    Ok(Image { path, source_path: reference.to_string(), alt: alt.to_string(), format, width, height })
}

/// The format and size from the file's header, without decoding it.
fn sniff(path: &Path) -> Result<(ImageFormat, u32, u32), String> {
    use std::io::{Read, Seek};
    let mut head = Vec::with_capacity(4096);
    let file = crate::files::open(path, crate::files::Kind::Picture).map_err(|e| e.to_string())?;
    (&file).take(4096).read_to_end(&mut head).map_err(|e| crate::diag::io_words(&e))?;
    if is_svg(&head) {
        return Ok((ImageFormat::Svg, 1, 1));
    }
    let format = match imagesize::image_type(&head)
        .map_err(|_| "not a PNG, JPEG, GIF, WebP or SVG image".to_string())?
    {
        imagesize::ImageType::Png => ImageFormat::Png,
        imagesize::ImageType::Jpeg => ImageFormat::Jpeg,
        imagesize::ImageType::Gif => ImageFormat::Gif,
        imagesize::ImageType::Webp => ImageFormat::Webp,
        other => return Err(format!("{other:?} images are not supported; use PNG, JPEG, GIF, WebP or SVG")),
    };
    // The head was read from this file: its size is read from the start again.
    let mut file = file;
    file.seek(std::io::SeekFrom::Start(0)).map_err(|e| crate::diag::io_words(&e))?;
    let size = imagesize::reader_size(std::io::BufReader::new(file))
        .map_err(|e| format!("unreadable header ({e})"))?;
    let side = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    Ok((format, side(size.width), side(size.height)))
}

fn is_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--"))
        && text.contains("<svg")
}
