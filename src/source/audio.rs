//! The recording named by `audio:`: a file next to the source, MP3 or AAC
//! in M4A (the EPUB core audio types), its length read from its header by
//! symphonia, so that the cues can be checked against it and the e-book's
//! Media Overlays can state their durations.

use std::path::{Component, Path};

use symphonia::core::codecs::{CODEC_TYPE_AAC, CODEC_TYPE_MP3};
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::model::{Audio, AudioFormat};

/// Larger recordings are refused: the e-book holds them in memory while it
/// is written (10 hours of speech at 128 kbit/s is about 600 MB).
pub const MAX_BYTES: u64 = 1 << 30;

/// A reason `audio:` was refused, and a hint that fixes it.
pub struct Refused {
    pub message: String,
    pub hint: Option<String>,
}

fn refused(message: String) -> Refused {
    Refused { message, hint: None }
}

/// Resolve `reference` against the folder of `source_path` and read the
/// recording's format and length. `line` and `column` locate `audio:`.
pub fn resolve(source_path: &Path, reference: &str, line: usize, column: usize) -> Result<Audio, Refused> {
    let reference = reference.trim();
    let relative = Path::new(reference);
    if reference.is_empty() {
        return Err(refused("the audio path is empty".into()));
    }
    if reference.contains("://") {
        return Err(Refused {
            message: format!("`{reference}` is a URL; `audio:` names a file next to the source"),
            hint: Some("give the published address as `audio-url:`, and the file as `audio:`".into()),
        });
    }
    if relative.is_absolute()
        || relative.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(refused(format!("`{reference}` is not inside the source file's folder")));
    }
    let format = match relative.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("mp3") => AudioFormat::Mp3,
        Some("m4a" | "mp4") => AudioFormat::Mp4,
        other => {
            return Err(Refused {
                message: format!(
                    "`{reference}` is {}; a read-along e-book takes MP3 or AAC in M4A (the EPUB core audio types)",
                    other.map_or_else(
                        || "a file without an extension".to_string(),
                        |e| format!("a `.{e}` file")
                    )
                ),
                hint: Some(format!(
                    "convert it, e.g. `ffmpeg -i {reference} -c:a libmp3lame -q:a 4 recording.mp3` \
                     (or `-c:a aac recording.m4a`)"
                )),
            });
        }
    };
    let folder = source_path.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let path = folder.join(relative);
    let cannot =
        |e: std::io::Error| refused(format!("cannot open `{reference}`: {}", crate::diag::io_words(&e)));
    let metadata = std::fs::metadata(&path).map_err(cannot)?;
    if !metadata.is_file() {
        return Err(refused(format!("`{reference}` is not a file")));
    }
    if metadata.len() > MAX_BYTES {
        return Err(refused(format!("`{reference}` is larger than {} MiB", MAX_BYTES >> 20)));
    }
    let path = path.canonicalize().map_err(cannot)?;
    // A link out of the folder is refused too, as for pictures.
    if !folder.canonicalize().is_ok_and(|folder| path.starts_with(folder)) {
        return Err(refused(format!("`{reference}` is a link to a file outside the source file's folder")));
    }
    let duration_ms = duration(&path, format).map_err(|why| Refused {
        message: format!(
            "`{reference}` is not {} audio: {why}",
            if format == AudioFormat::Mp3 { "MP3" } else { "M4A" }
        ),
        hint: Some("check the file plays; re-encode it with ffmpeg if it does".into()),
    })?;
    Ok(Audio {
        path,
        source_path: reference.to_string(),
        format,
        duration_ms,
        bytes: metadata.len(),
        url: None,
        line,
        column,
    })
}

/// Whether the first bytes are those of the format: an ID3 tag or an MPEG
/// audio frame's sync for MP3, an `ftyp` box for MP4. symphonia's MP3
/// reader searches for a frame sync as far as it must, and would find one
/// by chance in a long enough text.
fn looks_like(head: &[u8], format: AudioFormat) -> bool {
    match format {
        AudioFormat::Mp3 => {
            head.starts_with(b"ID3") || (head.len() > 1 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0)
        }
        AudioFormat::Mp4 => head.get(4..8) == Some(b"ftyp"),
    }
}

/// The recording's length in milliseconds: from the header (an MP3's
/// Xing/Info frame, an MP4's track header) when it says, else by counting
/// the packets (no audio is decoded either way).
fn duration(path: &Path, format: AudioFormat) -> Result<u64, String> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| crate::diag::io_words(&e))?;
    let n = file.read(&mut head).map_err(|e| crate::diag::io_words(&e))?;
    if !looks_like(&head[..n], format) {
        return Err("its first bytes are not those of the format".into());
    }
    let file = std::fs::File::open(path).map_err(|e| crate::diag::io_words(&e))?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(format.extension());
    // Gapless: the encoder's delay and padding are not part of the length.
    let options = FormatOptions { enable_gapless: true, ..Default::default() };
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &options, &MetadataOptions::default())
        .map_err(|e| e.to_string())?;
    let mut reader = probed.format;
    let track = reader.default_track().ok_or("it holds no audio track")?;
    let params = &track.codec_params;
    let expected = if format == AudioFormat::Mp3 { CODEC_TYPE_MP3 } else { CODEC_TYPE_AAC };
    if params.codec != expected {
        return Err(format!("its audio is not {}", if format == AudioFormat::Mp3 { "MP3" } else { "AAC" }));
    }
    let time_base = params.time_base.ok_or("its header gives no time base")?;
    let frames = match params.n_frames {
        Some(frames) => frames,
        None => {
            let id = track.id;
            let mut frames = 0u64;
            while let Ok(packet) = reader.next_packet() {
                if packet.track_id() == id {
                    frames += packet.dur;
                }
            }
            frames
        }
    };
    let time = time_base.calc_time(frames);
    let ms = time.seconds * 1000 + (time.frac * 1000.0).round() as u64;
    if ms == 0 {
        return Err("it holds no sound".into());
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert!(looks_like(b"ID3\x04\0\0", AudioFormat::Mp3));
        assert!(looks_like(&[0xFF, 0xFB, 0x90, 0x00], AudioFormat::Mp3));
        assert!(!looks_like(b"RIFF....WAVE", AudioFormat::Mp3));
        assert!(looks_like(b"\0\0\0\x20ftypM4A ", AudioFormat::Mp4));
        assert!(!looks_like(b"not audio at all", AudioFormat::Mp4));
    }

    #[test]
    fn other_formats_are_refused_with_a_hint() {
        let refused = resolve(Path::new("talk.md"), "talk.wav", 3, 8).err().unwrap();
        assert!(refused.message.contains("`.wav`"), "{}", refused.message);
        assert!(refused.hint.unwrap().contains("ffmpeg"));
        assert!(resolve(Path::new("talk.md"), "../talk.mp3", 3, 8).is_err());
        assert!(resolve(Path::new("talk.md"), "https://x.org/a.mp3", 3, 8).err().unwrap().hint.is_some());
    }
}
