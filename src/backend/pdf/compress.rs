//! Stream compression shared by the writer and the SVG pictures (its own
//! module so that neither imports the other for it).

/// Zlib-wrapped deflate (PDF's /FlateDecode) at the fastest level: on the
/// sample, level 1 packs content streams within a few percent of level 6
/// at a fraction of the time.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 1)
}
