//! A typographic cover drawn from the metadata (title, subtitle,
//! participants, publisher) as SVG, for books whose front matter names no
//! cover image.

use crate::model::{Direction, Document};

use super::xml;

const WIDTH: f32 = 1200.0;
const HEIGHT: f32 = 1800.0;
const MARGIN: f32 = 110.0;

/// The cover as an SVG file.
pub fn svg(doc: &Document) -> String {
    let meta = &doc.meta;
    let rtl = meta.direction == Direction::Rtl;
    let measure = WIDTH - 2.0 * MARGIN;
    let mut out = String::with_capacity(4096);
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"cover-title\">\n"
    ));
    out.push_str("<title id=\"cover-title\">");
    out.push_str(&xml::field(&alt(doc)));
    out.push_str("</title>\n");
    out.push_str(&format!("<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#f4f1ea\"/>\n"));
    out.push_str(&format!(
        "<rect x=\"{MARGIN}\" y=\"{}\" width=\"{measure}\" height=\"14\" fill=\"#8c2b1c\"/>\n",
        MARGIN + 40.0
    ));
    // The cover is only ever drawn by usvg, which anchors `start` at the
    // left even with `direction="rtl"`: a right-to-left line ends at the
    // right margin.
    let (x, anchor) = if rtl { (WIDTH - MARGIN, "end") } else { (MARGIN, "start") };
    let direction = if rtl { " direction=\"rtl\"" } else { "" };
    let mut y = MARGIN + 200.0;

    let title = xml::clean_field(&meta.title);
    let title_size = fit_size(&title, measure, 104.0, 56.0, 6);
    y = lines(&mut out, &title, x, y, title_size, measure, anchor, direction, "bold", "#1d1d1b", 7);
    if let Some(subtitle) = meta.subtitle.as_deref().map(xml::clean_field).filter(|s| !s.is_empty()) {
        y += 50.0;
        lines(&mut out, &subtitle, x, y, 54.0, measure, anchor, direction, "normal", "#3a3a36", 5);
    }

    let names: Vec<String> =
        doc.participants.iter().map(|p| xml::clean_field(&p.name)).filter(|n| !n.is_empty()).collect();
    let mut bottom = HEIGHT - MARGIN;
    if let Some(publisher) = meta.publisher.as_deref().map(xml::clean_field).filter(|s| !s.is_empty()) {
        lines(&mut out, &publisher, x, bottom, 44.0, measure, anchor, direction, "normal", "#8c2b1c", 1);
        bottom -= 110.0;
    }
    // Names from the bottom up, at most six of them.
    let shown = names.len().min(6);
    for (i, name) in names.iter().take(shown).enumerate() {
        let line_y = bottom - (shown - 1 - i) as f32 * 68.0;
        let size = fit_size(name, measure, 50.0, 30.0, 1);
        lines(&mut out, name, x, line_y, size, measure, anchor, direction, "normal", "#1d1d1b", 1);
    }
    out.push_str("</svg>\n");
    out
}

/// What the cover says, for its alternative text.
pub fn alt(doc: &Document) -> String {
    let meta = &doc.meta;
    let mut alt = format!("Cover: {}", meta.title);
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        alt.push_str(". ");
        alt.push_str(subtitle);
    }
    xml::clean_field(&alt)
}

/// Approximate advance of `c` in ems, for a serif face: wide for CJK and
/// other full-width characters, about half an em for the rest.
fn advance(c: char) -> f32 {
    match c {
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{20000}'..='\u{3FFFD}' => 1.0,
        ' ' => 0.28,
        'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '’' => 0.32,
        'm' | 'w' | 'M' | 'W' => 0.8,
        c if c.is_uppercase() => 0.68,
        _ => 0.52,
    }
}

fn width(text: &str, size: f32) -> f32 {
    text.chars().map(advance).sum::<f32>() * size
}

/// The largest size from `max` down to `min` at which `text` takes at most
/// `max_lines` lines and its longest word fits the measure.
fn fit_size(text: &str, measure: f32, max: f32, min: f32, max_lines: usize) -> f32 {
    let mut size = max;
    while size > min {
        let longest = text.split_whitespace().map(|w| width(w, size)).fold(0.0, f32::max);
        if longest <= measure && wrap(text, size, measure).len() <= max_lines {
            break;
        }
        size -= 4.0;
    }
    size.max(min)
}

/// Greedy line filling; a word longer than the measure is cut by characters.
fn wrap(text: &str, size: f32, measure: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&candidate, size) <= measure || line.is_empty() && width(word, size) <= measure {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if !line.is_empty() && width(&line, size) + advance(c) * size > measure {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Write `text` as lines of `<text>` from baseline `y`; returns the
/// baseline after the last line. Lines past `max_lines` are dropped, the
/// last kept one ending in an ellipsis.
#[allow(clippy::too_many_arguments)]
fn lines(
    out: &mut String,
    text: &str,
    x: f32,
    y: f32,
    size: f32,
    measure: f32,
    anchor: &str,
    direction: &str,
    weight: &str,
    fill: &str,
    max_lines: usize,
) -> f32 {
    let mut wrapped = wrap(text, size, measure);
    if wrapped.len() > max_lines {
        wrapped.truncate(max_lines);
        if let Some(last) = wrapped.last_mut() {
            last.push('…');
        }
    }
    let leading = size * 1.18;
    let mut baseline = y;
    for line in &wrapped {
        out.push_str(&format!(
            "<text x=\"{x}\" y=\"{baseline:.0}\" font-family=\"Georgia, 'Times New Roman', serif\" \
             font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\" text-anchor=\"{anchor}\"{direction}>"
        ));
        xml::push_text(out, line);
        out.push_str("</text>\n");
        baseline += leading;
    }
    baseline
}

/// The long side of the raster cover, in pixels: what Kindle (Send to
/// Kindle, KDP) asks for at least, and what Calibre keeps in conversions.
pub const RASTER_LONG_SIDE: u32 = 1600;

/// The raster cover is drawn in this many bands of rows.
const COVER_BANDS: u32 = 8;

/// An SVG cover drawn as a PNG of [`RASTER_LONG_SIDE`] pixels on its long
/// side, on white (readers and converters take raster covers only).
pub fn raster(tree: &crate::svg::usvg::Tree) -> Result<Vec<u8>, String> {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    let size = tree.size();
    let scale = RASTER_LONG_SIDE as f32 / size.width().max(size.height());
    let width = ((size.width() * scale).round() as u32).max(1);
    let height = ((size.height() * scale).round() as u32).max(1);
    // Drawn on white, every pixel is opaque: RGB, without the alpha
    // channel, at the encoder's fast setting (the default one took a sixth
    // of the sample's three editions, for a file a few percent smaller).
    let encode_error = |e: png::EncodingError| format!("cannot encode the cover as PNG: {e}");
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Adaptive);
    let mut writer = encoder.write_header().map_err(encode_error)?;
    let mut stream = writer.stream_writer().map_err(encode_error)?;
    // Drawn in bands of rows, each streamed to the encoder: the whole
    // picture at once was 25 MB, more than the rest of the build.
    let band = height.div_ceil(COVER_BANDS);
    let mut pixmap = Pixmap::new(width, band).ok_or("the cover is too large to draw")?;
    let mut row = vec![0; width as usize * 3];
    for top in (0..height).step_by(band as usize) {
        pixmap.fill(Color::WHITE);
        let shift = Transform::from_scale(scale, scale).post_translate(0.0, -(top as f32));
        resvg::render(tree, shift, &mut pixmap.as_mut());
        let rows = band.min(height - top) as usize;
        for pixels in pixmap.data().chunks_exact(width as usize * 4).take(rows) {
            for (to, from) in row.chunks_exact_mut(3).zip(pixels.chunks_exact(4)) {
                to.copy_from_slice(&from[..3]);
            }
            std::io::Write::write_all(&mut stream, &row)
                .map_err(|e| format!("cannot encode the cover as PNG: {e}"))?;
        }
    }
    stream.finish().map_err(encode_error)?;
    drop(writer);
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_within_the_measure() {
        let text = "Global Uprisings and the Left’s Response: Re-theorizing Anti-imperialist Solidarity";
        let size = fit_size(text, 980.0, 104.0, 56.0, 6);
        let lines = wrap(text, size, 980.0);
        assert!(lines.len() > 1 && lines.len() <= 6, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, size) <= 980.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn an_endless_word_is_cut() {
        let word = "x".repeat(400);
        let lines = wrap(&word, 60.0, 980.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 60.0) <= 980.0));
        assert_eq!(lines.concat(), word);
    }
}
