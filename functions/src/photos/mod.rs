//! Photos of handwritten copies of the Party Constitution, uploaded from phones.
//!
//! [`process`] turns the uploaded bytes into a clean JPEG and a thumbnail, in bounded memory:
//!
//! 1. the format is sniffed from the magic bytes ([`sniff`]), never from a file name;
//! 2. the file's headers are read *before* anything is decoded (`sniff.rs`): images of more
//!    than [`MAX_PIXELS`] are refused, and so are images whose decoding would take more than
//!    [`DECODE_BUDGET`] bytes — the decoded pixels (width × height × channels × bytes per
//!    sample, so a 16-bit RGBA PNG costs 8 bytes a pixel) plus what the decoder keeps besides
//!    them (a progressive JPEG's coefficients, WebP's colour planes);
//! 3. a JPEG without its end-of-image marker (an upload cut short) is refused rather than
//!    decoded with a grey bottom;
//! 4. a PNG reaches its decoder without the ancillary chunks zhibu does not use (iCCP, zTXt,
//!    iTXt, tEXt, …; only tRNS and an eXIf of at most [`MAX_PNG_EXIF`] bytes are kept), so a
//!    compressed profile or text that inflates to gigabytes is never inflated;
//! 5. at most [`DECODE_SLOTS`] photos are decoded at once in the process; a further upload waits
//!    for a slot, at most [`DECODE_WAIT`], then gets [`PhotoError::Busy`] (`gate.rs`);
//! 6. the image is decoded into one buffer, which is then narrowed to 8 bits and flattened onto
//!    white *in place* if it has transparency (`decode.rs`), downscaled to at most [`MAX_SIDE`]
//!    pixels on the long side (halving in place, `thumbs.rs`), turned upright according to its
//!    Exif orientation (JPEG, and PNG/WebP where the file carries Exif), and re-encoded as a
//!    baseline JPEG of quality [`JPEG_QUALITY`];
//! 7. a thumbnail of at most [`THUMB_SIDE`] pixels on the long side is made from that.
//!
//! The outputs are written from pixels only: no Exif (so no GPS position, camera serial number
//! or capture time), no XMP, no ICC profile, no comments. The only application segment is the
//! encoder's JFIF header.
//!
//! # Memory
//!
//! One upload costs about [`DECODE_BUDGET`] (128 MiB) at most. The budget counts the decoded
//! pixels and the decoder's working buffers; after decoding, everything happens in the decoded
//! buffer or in buffers the size of a 2000-pixel image; the JPEG decoder's copy of the upload
//! (at most 4 MiB) comes on top. `bench/photo_memory.sh` measures the rise of the resident set:
//! 39 MiB for a 12-megapixel phone photo, 117 MiB for the largest accepted JPEG (8000×5000),
//! 129 MiB for a 16-bit PNG of exactly the budget, and under 2 MiB for the bombs that are
//! refused from their headers or stripped (a 308 KB 6300×6300 16-bit RGBA PNG: 455 MiB before
//! the budget; a 2 MB PNG whose profile inflates to 2 GiB: 370 MiB before). With
//! [`DECODE_SLOTS`] = 2, a process decodes at most two photos at once, however many uploads
//! arrive together: eight 40-megapixel JPEGs at once rise 235 MiB (1,119 MiB before), plus what
//! the allocator caches (glibc's per-thread arenas keep freed buffers; 272 MiB in all). A Lambda
//! instance handles one request at a time, so it decodes one photo at a time.
//!
//! The budget admits every baseline colour JPEG up to [`MAX_PIXELS`] (120 MB of RGB at 40
//! megapixels), and so every phone photo, and refuses what phones do not produce: 16-bit RGBA
//! PNGs over 16.7 megapixels, progressive JPEGs over about 22 megapixels (4:2:0; 15 at 4:4:4),
//! lossless WebPs without alpha over 19.
//! Neither decoder can downscale while decoding (zune-jpeg has no scaled IDCT; the image crate's
//! PNG decoder only decodes whole frames), so the whole image is decoded, once, into one buffer.
//!
//! Everything is pure (bytes in, bytes out) apart from the decode slots, and must not panic on
//! any input. The caller limits the upload size (4 MiB).

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

mod decode;
mod gate;
mod sniff;
mod thumbs;

#[cfg(test)]
mod tests;

pub use sniff::sniff;

/// Image formats accepted for uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG (JFIF or Exif), what phone cameras write.
    Jpeg,
    /// PNG, typically screenshots.
    Png,
    /// WebP (lossy, lossless or extended), what some Android apps and browsers write.
    WebP,
}

/// Largest accepted image, in pixels (width × height as written in the file header).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Most bytes one decode may take: the decoded pixels (width × height × channels × bytes per
/// sample) plus the decoder's own per-pixel buffers. 128 MiB holds a 40-megapixel 8-bit RGB
/// image (120 MB), the largest photo [`MAX_PIXELS`] admits.
pub const DECODE_BUDGET: u64 = 128 << 20;
/// How many photos one process decodes at once; further uploads wait for a slot.
pub const DECODE_SLOTS: usize = 2;
/// How long an upload waits for a decode slot before [`PhotoError::Busy`].
pub const DECODE_WAIT: Duration = Duration::from_secs(20);
/// Largest eXIf chunk of a PNG that is read (for the orientation); a larger one is dropped, as a
/// JPEG's Exif segment cannot be larger either.
pub const MAX_PNG_EXIF: usize = 64 << 10;
/// Long side, in pixels, of the processed JPEG; smaller images are not enlarged.
pub const MAX_SIDE: u32 = 2000;
/// Long side, in pixels, of the thumbnail; smaller images are not enlarged.
pub const THUMB_SIDE: u32 = 320;
/// JPEG quality (1–100) of the processed image.
pub const JPEG_QUALITY: u8 = 85;
/// JPEG quality (1–100) of the thumbnail.
pub const THUMB_QUALITY: u8 = 80;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    /// The bytes are not a JPEG, PNG or WebP file (by their magic bytes).
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// The header announces more than [`MAX_PIXELS`] pixels; nothing was decoded.
    #[error("image of {width}×{height} pixels is over the 40-megapixel limit")]
    TooManyPixels {
        /// Width from the file header.
        width: u32,
        /// Height from the file header.
        height: u32,
    },
    /// Decoding would take more than [`DECODE_BUDGET`] bytes (deep colour, or a decoder that
    /// keeps more than the pixels); nothing was decoded.
    #[error("image of {width}×{height} pixels needs {} MiB to decode, over the {} MiB budget", .bytes.div_ceil(1 << 20), DECODE_BUDGET >> 20)]
    TooManyBytes {
        /// Width from the file header.
        width: u32,
        /// Height from the file header.
        height: u32,
        /// Bytes decoding would take, as estimated from the headers.
        bytes: u64,
    },
    /// Every decode slot stayed taken for [`DECODE_WAIT`]; nothing was decoded. Try again later.
    #[error("every photo decoding slot is busy")]
    Busy,
    /// The file looks like an image but is truncated, malformed or uses a feature the decoders
    /// do not support (e.g. 12-bit or arithmetic-coded JPEG). The message is the decoder's.
    #[error("the image could not be decoded: {0}")]
    Corrupt(String),
}

/// The result of [`process`].
#[derive(Debug, Clone)]
pub struct Processed {
    /// Upright JPEG, at most [`MAX_SIDE`] pixels on the long side, without metadata.
    pub jpeg: Vec<u8>,
    /// Upright JPEG thumbnail, at most [`THUMB_SIDE`] pixels on the long side, without metadata.
    pub thumb: Vec<u8>,
    /// Width of `jpeg`, in pixels (after orientation).
    pub width: u32,
    /// Height of `jpeg`, in pixels (after orientation).
    pub height: u32,
}

/// The decode slots of this process.
static DECODES: gate::Gate = gate::Gate::new(DECODE_SLOTS);

/// Everything above: bytes in, bytes out, no IO.
///
/// Sniffs the format, refuses images of more than [`MAX_PIXELS`] or [`DECODE_BUDGET`] from their
/// headers, waits for a decode slot, decodes, downscales to [`MAX_SIDE`], applies the Exif
/// orientation, and re-encodes `jpeg` and `thumb` without any metadata. Blocks while waiting for
/// a slot: call it where blocking is allowed (e.g. `tokio::task::spawn_blocking`). See the
/// [module documentation](self).
///
/// # Errors
///
/// [`PhotoError::NotAnImage`] if the magic bytes are not those of a JPEG, PNG or WebP file,
/// [`PhotoError::TooManyPixels`] or [`PhotoError::TooManyBytes`] if the headers announce too
/// large an image, [`PhotoError::Busy`] if no decode slot freed up within [`DECODE_WAIT`], and
/// [`PhotoError::Corrupt`] if the headers cannot be read or the image cannot be decoded.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let header = sniff::read_header(format, bytes)?;
    sniff::check_pixels(header.width, header.height)?;
    sniff::check_budget(header.width, header.height, header.cost())?;
    if format == Format::Jpeg && !sniff::jpeg_has_end(bytes) {
        // The JPEG decoder would fill the missing part with grey; better ask for the photo again.
        return Err(PhotoError::Corrupt("the JPEG is truncated (no end-of-image marker)".into()));
    }
    let _slot = DECODES.enter(DECODE_WAIT).ok_or(PhotoError::Busy)?;
    // The decoders are not known to panic on malformed input, but they parse untrusted bytes:
    // should one do so anyway, refuse the upload rather than take the request (or the whole
    // function) down. This only works with `panic = "unwind"`, the default. The slot is given
    // back either way.
    panic::catch_unwind(AssertUnwindSafe(|| decode::decode_and_encode(format, bytes, &header)))
        .unwrap_or_else(|_| Err(PhotoError::Corrupt("the decoder failed on malformed data".into())))
}
