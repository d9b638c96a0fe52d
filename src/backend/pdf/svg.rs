//! SVG pictures in the print edition: drawn as vector Form XObjects by
//! `svg2pdf`, or, in a black-only edition, rasterised in gray by `resvg`
//! (SVG colours cannot be mapped to black ink in the vector). Their text
//! is set in the bundled faces ([`crate::svg::read`]).

use std::path::Path;

use pdf_lopdf::{Dictionary, Object, ObjectId};

use crate::svg::usvg;

/// CSS pixels (the SVG user unit) to points.
const PT_PER_PX: f64 = 72.0 / 96.0;
/// The longest side, in pixels, of what is drawn as pixels: the parts under
/// filters (blur, shadows) that svg2pdf rasterises, and black-only copies.
/// Time and memory grow with its square: a 9000-pixel blurred drawing took
/// 90 s and 2.8 GiB at svg2pdf's default scale.
const MAX_RASTER_SIDE: f64 = 3000.0;

/// A picture's SVG, parsed, and its natural size in points.
pub struct Svg {
    tree: usvg::Tree,
    pub width: f64,
    pub height: f64,
}

/// Parse the SVG file at `path`. The error is a reason to show the user.
pub fn parse(path: &Path) -> Result<Svg, String> {
    let tree = crate::svg::read(path)?;
    let size = tree.size();
    let (width, height) = (f64::from(size.width()) * PT_PER_PX, f64::from(size.height()) * PT_PER_PX);
    Ok(Svg { tree, width, height })
}

impl Svg {
    /// The characters of its text that no bundled face has.
    pub fn missing_glyphs(&self) -> std::collections::BTreeSet<char> {
        crate::svg::missing_glyphs(&self.tree)
    }

    /// The drawing as a Form XObject in `pdf`, scaled to the unit square
    /// so that it is placed as an image is (`w 0 0 h x y cm /Name Do`).
    pub fn form(&self, pdf: &mut pdf_lopdf::Document) -> Result<ObjectId, String> {
        let root = self.tree.root().abs_layer_bounding_box();
        let size = self.tree.size();
        let extent = size.width().max(size.height()).max(root.width()).max(root.height()).max(1.0);
        let raster_scale = (MAX_RASTER_SIDE as f32 / extent).min(1.5);
        let options = svg2pdf::ConversionOptions { compress: true, raster_scale, ..Default::default() };
        // At 72 dpi one user unit is one point: the page is the drawing's box.
        let page = svg2pdf::PageOptions { dpi: 72.0 };
        let bytes = svg2pdf::to_pdf(&self.tree, options, page).map_err(|e| e.to_string())?;
        let source = pdf_lopdf::Document::load_mem(&bytes).map_err(|e| e.to_string())?;
        let broken = || "svg2pdf wrote no page".to_string();
        let page_id = *source.get_pages().values().next().ok_or_else(broken)?;
        let page = source.get_dictionary(page_id).map_err(|_| broken())?;
        let [w, h] = media_size(page).ok_or_else(broken)?;
        let resources = page.get(b"Resources").map_err(|_| broken())?.clone();
        let mut content = Vec::new();
        for id in contents_of(page) {
            let stream = source.get_object(id).and_then(Object::as_stream).map_err(|_| broken())?;
            let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            content.extend_from_slice(&data);
            content.push(b'\n');
        }
        let mut copied = std::collections::BTreeMap::new();
        let resources = copy(&source, &resources, pdf, &mut copied);
        let dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            ("BBox", Object::Array([0.0, 0.0, w, h].into_iter().map(Object::Real).collect())),
            (
                "Matrix",
                Object::Array([1.0 / w, 0.0, 0.0, 1.0 / h, 0.0, 0.0].into_iter().map(Object::Real).collect()),
            ),
            ("Resources", resources),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]);
        let mut stream = pdf_lopdf::Stream::new(dict, super::compress::deflate(&content));
        stream.allows_compression = false;
        Ok(pdf.add_object(stream))
    }

    /// The drawing rendered at `dpi` at its natural size (at most
    /// [`MAX_RASTER_SIDE`] pixels a side), on transparent ground.
    pub fn raster(&self, dpi: f64) -> Result<image::RgbaImage, String> {
        let size = self.tree.size();
        let (sw, sh) = (f64::from(size.width()), f64::from(size.height()));
        let scale = (dpi / 96.0).min(MAX_RASTER_SIDE / sw.max(sh));
        let (w, h) = ((sw * scale).ceil().max(1.0) as u32, (sh * scale).ceil().max(1.0) as u32);
        let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or("the picture is too large to draw")?;
        let transform = resvg::tiny_skia::Transform::from_scale(scale as f32, scale as f32);
        resvg::render(&self.tree, transform, &mut pixmap.as_mut());
        let mut rgba = image::RgbaImage::new(w, h);
        for (pixel, out) in pixmap.pixels().iter().zip(rgba.pixels_mut()) {
            let c = pixel.demultiply();
            *out = image::Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
        }
        Ok(rgba)
    }
}

fn media_size(page: &Dictionary) -> Option<[f32; 2]> {
    let b = page.get(b"MediaBox").ok()?.as_array().ok()?;
    let n = |i: usize| b.get(i).and_then(|o| o.as_float().ok());
    let (w, h) = (n(2)? - n(0)?, n(3)? - n(1)?);
    (w > 0.0 && h > 0.0).then_some([w, h])
}

fn contents_of(page: &Dictionary) -> Vec<ObjectId> {
    match page.get(b"Contents") {
        Ok(Object::Reference(id)) => vec![*id],
        Ok(Object::Array(items)) => items.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    }
}

/// `object` of `source` with everything it refers to added to `target`
/// (each object once), its references renumbered.
fn copy(
    source: &pdf_lopdf::Document,
    object: &Object,
    target: &mut pdf_lopdf::Document,
    copied: &mut std::collections::BTreeMap<ObjectId, ObjectId>,
) -> Object {
    match object {
        Object::Reference(id) => {
            if let Some(new) = copied.get(id) {
                return Object::Reference(*new);
            }
            let new = target.new_object_id();
            copied.insert(*id, new);
            let value =
                source.get_object(*id).map(|o| copy(source, o, target, copied)).unwrap_or(Object::Null);
            target.objects.insert(new, value);
            Object::Reference(new)
        }
        Object::Array(items) => {
            Object::Array(items.iter().map(|o| copy(source, o, target, copied)).collect())
        }
        Object::Dictionary(dict) => Object::Dictionary(copy_dict(source, dict, target, copied)),
        Object::Stream(stream) => {
            let dict = copy_dict(source, &stream.dict, target, copied);
            let mut stream = pdf_lopdf::Stream::new(dict, stream.content.clone());
            stream.allows_compression = false;
            Object::Stream(stream)
        }
        other => other.clone(),
    }
}

fn copy_dict(
    source: &pdf_lopdf::Document,
    dict: &Dictionary,
    target: &mut pdf_lopdf::Document,
    copied: &mut std::collections::BTreeMap<ObjectId, ObjectId>,
) -> Dictionary {
    // Keys in sorted order, so that objects are numbered the same in every
    // run (svg2pdf numbers its fonts in hash order).
    let mut entries: Vec<_> = dict.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter().map(|(k, v)| (k.clone(), copy(source, v, target, copied))).collect()
}
