//! Decoding and re-encoding. The decoder gets only what it needs (a PNG without the ancillary
//! chunks zhibu does not use) and decodes into one buffer of exactly the size the headers were
//! budgeted for; narrowing 16-bit samples to 8 and flattening transparency onto white happen in
//! that same buffer. Then the picture is downscaled, turned upright and written as JPEG twice
//! (the photo and its thumbnail), from pixels only.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops;
use image::metadata::Orientation;
use image::{
    ColorType, GrayImage, ImageBuffer, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, Pixel,
    PixelWithColorType, RgbImage,
};

use super::sniff::{self, Header, PNG_SIGNATURE, png_chunks};
use super::thumbs::downscale;
use super::{
    DECODE_BUDGET, Format, JPEG_QUALITY, MAX_PNG_EXIF, MAX_SIDE, PhotoError, Processed, THUMB_QUALITY,
    THUMB_SIDE,
};

fn image_format(format: Format) -> ImageFormat {
    match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::WebP => ImageFormat::WebP,
    }
}

/// Decodes (the decoder limited to the header's dimensions and the budget), then downscales,
/// orients and encodes.
pub(super) fn decode_and_encode(
    format: Format,
    bytes: &[u8],
    header: &Header,
) -> Result<Processed, PhotoError> {
    let stripped;
    let input = if format == Format::Png {
        stripped = png_for_decoding(bytes);
        &stripped[..]
    } else {
        bytes
    };
    let mut reader = ImageReader::new(Cursor::new(input))
        .with_guessed_format()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    // `sniff` and the image crate agree on every file; should they not, trust neither.
    if reader.format() != Some(image_format(format)) {
        return Err(PhotoError::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(header.width);
    limits.max_image_height = Some(header.height);
    // Bounds the PNG decoder's own allocations too (chunk buffers).
    limits.max_alloc = Some(DECODE_BUDGET);
    reader.limits(limits);

    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    // The decoder read the headers again, possibly differently: hold its own reading to the
    // limits too, before it allocates anything in proportion to the image.
    let (width, height) = decoder.dimensions();
    sniff::check_pixels(width, height)?;
    let output = decoder.total_bytes();
    sniff::check_budget(width, height, output.saturating_add(header.working_bytes))?;
    let len =
        usize::try_from(output).map_err(|_| PhotoError::TooManyBytes { width, height, bytes: output })?;
    // A broken Exif block only loses the orientation, not the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let color = decoder.color_type();
    let mut data = vec![0u8; len];
    decoder.read_image(&mut data).map_err(decode_error)?;

    let channels = to_gray_or_rgb(&mut data, color)?;
    if channels == 1 {
        let image = GrayImage::from_raw(width, height, data);
        encode_both(image.ok_or_else(wrong_size)?, orientation)
    } else {
        let image = RgbImage::from_raw(width, height, data);
        encode_both(image.ok_or_else(wrong_size)?, orientation)
    }
}

fn decode_error(e: ImageError) -> PhotoError {
    PhotoError::Corrupt(e.to_string())
}

fn wrong_size() -> PhotoError {
    PhotoError::Corrupt("the decoder gave fewer bytes than the image's size".into())
}

/// The PNG as its decoder should see it: the signature and the chunks, in their order, that
/// matter for the pixels — IHDR, PLTE, tRNS, IDAT, IEND, any other critical chunk (which the
/// decoder will refuse, as before) — and an eXIf of at most [`MAX_PNG_EXIF`] bytes, for the
/// orientation. Everything else is dropped unread: iCCP, zTXt and iTXt hold deflate streams the
/// decoder would inflate (an ICC profile eagerly, up to its whole allocation limit), and zhibu
/// uses no colour profile, text, gamma or animation. Ends after IEND, or where a chunk does not
/// fit in the file.
pub(super) fn png_for_decoding(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    for chunk in png_chunks(bytes) {
        let critical = chunk.kind[0].is_ascii_uppercase();
        let keep = match &chunk.kind {
            b"tRNS" => true,
            b"eXIf" => chunk.data.len() <= MAX_PNG_EXIF,
            _ => critical,
        };
        if keep {
            out.extend_from_slice(&bytes[chunk.span]);
        }
        if &chunk.kind == b"IEND" {
            break;
        }
    }
    out
}

/// Turns the decoder's output into 8-bit grey (1 channel) or RGB (3), in the same buffer:
/// 16-bit samples are narrowed to 8, transparency is flattened onto white (screenshots and
/// stickers with alpha would turn black otherwise). Returns the channel count.
fn to_gray_or_rgb(data: &mut Vec<u8>, color: ColorType) -> Result<usize, PhotoError> {
    let (channels, deep) = match color {
        ColorType::L8 => (1, false),
        ColorType::La8 => (2, false),
        ColorType::Rgb8 => (3, false),
        ColorType::Rgba8 => (4, false),
        ColorType::L16 => (1, true),
        ColorType::La16 => (2, true),
        ColorType::Rgb16 => (3, true),
        ColorType::Rgba16 => (4, true),
        other => return Err(PhotoError::Corrupt(format!("unsupported pixel format {other:?}"))),
    };
    if deep {
        narrow_in_place(data);
    }
    match channels {
        2 => flatten_in_place::<2>(data),
        4 => flatten_in_place::<4>(data),
        _ => {}
    }
    data.shrink_to_fit();
    Ok(if channels <= 2 { 1 } else { 3 })
}

/// 16-bit samples (native byte order, as decoders hand them over) to 8-bit, rounded, into the
/// first half of the same buffer: sample `i` is written at `i`, read from `2i` and `2i + 1`.
fn narrow_in_place(data: &mut Vec<u8>) {
    let samples = data.len() / 2;
    for i in 0..samples {
        let value = u16::from_ne_bytes([data[2 * i], data[2 * i + 1]]);
        data[i] = ((u32::from(value) + 128) / 257) as u8;
    }
    data.truncate(samples);
}

/// Composites `C`-channel pixels whose last channel is alpha onto white, leaving `C - 1` channels,
/// into the start of the same buffer (pixel `i` is read from `i·C` before it is written at
/// `i·(C−1)`).
fn flatten_in_place<const C: usize>(data: &mut Vec<u8>) {
    let pixels = data.len() / C;
    for i in 0..pixels {
        let mut pixel = [0u8; C];
        pixel.copy_from_slice(&data[i * C..(i + 1) * C]);
        let alpha = pixel[C - 1];
        for (c, &value) in pixel[..C - 1].iter().enumerate() {
            data[i * (C - 1) + c] = over_white(value, alpha);
        }
    }
    data.truncate(pixels * (C - 1));
}

/// Composites `value` with coverage `alpha` over white.
fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    // (v·a + 255·(255 − a)) / 255, rounded; always ≤ 255.
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

fn encode_both<P>(image: ImageBuffer<P, Vec<u8>>, orientation: Orientation) -> Result<Processed, PhotoError>
where
    P: Pixel<Subpixel = u8> + PixelWithColorType + 'static,
{
    // Resizing first and turning the smaller result is cheaper; the long side is the same.
    let main = orient(downscale(image, MAX_SIDE)?, orientation);
    let jpeg = encode_jpeg(&main, JPEG_QUALITY)?;
    let (width, height) = main.dimensions();
    let thumb = encode_jpeg(&downscale(main, THUMB_SIDE)?, THUMB_QUALITY)?;
    Ok(Processed { jpeg, thumb, width, height })
}

/// Turns the image upright (what `DynamicImage::apply_orientation` does, on a typed buffer).
fn orient<P>(image: ImageBuffer<P, Vec<u8>>, orientation: Orientation) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    match orientation {
        Orientation::NoTransforms => image,
        Orientation::Rotate90 => imageops::rotate90(&image),
        Orientation::Rotate180 => imageops::rotate180(&image),
        Orientation::Rotate270 => imageops::rotate270(&image),
        Orientation::FlipHorizontal => imageops::flip_horizontal(&image),
        Orientation::FlipVertical => imageops::flip_vertical(&image),
        Orientation::Rotate90FlipH => imageops::flip_horizontal(&imageops::rotate90(&image)),
        Orientation::Rotate270FlipH => imageops::flip_horizontal(&imageops::rotate270(&image)),
    }
}

/// Encodes gray or RGB pixels as a baseline JPEG. Only pixels go in: the encoder writes SOI, a
/// JFIF APP0, tables, frame, scan and EOI, and no Exif, XMP, ICC profile or comment.
fn encode_jpeg<P>(image: &ImageBuffer<P, Vec<u8>>, quality: u8) -> Result<Vec<u8>, PhotoError>
where
    P: Pixel<Subpixel = u8> + PixelWithColorType + 'static,
{
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .map_err(|e| PhotoError::Corrupt(format!("re-encoding failed: {e}")))?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]); // CRC, copied as it is
        out
    }

    fn kinds(png: &[u8]) -> Vec<String> {
        png_chunks(png).map(|c| String::from_utf8_lossy(&c.kind).into_owned()).collect()
    }

    #[test]
    fn a_png_reaches_its_decoder_without_profiles_text_or_animation() {
        let mut png = PNG_SIGNATURE.to_vec();
        for (kind, data) in [
            (b"IHDR", &[0u8; 13][..]),
            (b"iCCP", b"icc\0\0\x78\x01"),
            (b"gAMA", &[0, 0, 0xB1, 0x8F]),
            (b"PLTE", &[0; 6]),
            (b"tRNS", &[0]),
            (b"eXIf", b"MM\0\x2A"),
            (b"zTXt", b"k\0\0\x78"),
            (b"acTL", &[0; 8]),
            (b"IDAT", &[1, 2, 3]),
            (b"tEXt", b"k\0v"),
            (b"iTXt", b"k\0\0\0\0\0v"),
            (b"IDAT", &[4]),
            (b"IEND", &[]),
            (b"zTXt", b"after the end"),
        ] {
            png.extend(chunk(kind, data));
        }
        let stripped = png_for_decoding(&png);
        assert_eq!(kinds(&stripped), ["IHDR", "PLTE", "tRNS", "eXIf", "IDAT", "IDAT", "IEND"]);
        assert!(stripped.starts_with(PNG_SIGNATURE));
        // Kept chunks are copied byte for byte (with their CRCs).
        let idat = chunk(b"IDAT", &[1, 2, 3]);
        assert!(stripped.windows(idat.len()).any(|w| w == idat));
    }

    #[test]
    fn a_large_png_exif_and_a_chunk_cut_short_are_dropped() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"eXIf", &vec![0; MAX_PNG_EXIF + 1]));
        png.extend(chunk(b"IDAT", &[0; 10]));
        let cut = png.len() - 5;
        assert_eq!(kinds(&png_for_decoding(&png)), ["IHDR", "IDAT"]);
        assert_eq!(kinds(&png_for_decoding(&png[..cut])), ["IHDR"]);
    }

    #[test]
    fn sixteen_bit_samples_are_narrowed_and_alpha_flattened_in_place() {
        let mut data: Vec<u8> =
            [0u16, 65535, 32896, 257, 65535, 0, 0, 0].iter().flat_map(|s| s.to_ne_bytes()).collect();
        // Two RGBA16 pixels: (0, 65535, 32896) opaque, then a transparent red.
        data[6..8].copy_from_slice(&65535u16.to_ne_bytes());
        assert_eq!(to_gray_or_rgb(&mut data, ColorType::Rgba16), Ok(3));
        assert_eq!(data, [0, 255, 128, 255, 255, 255]);

        let mut gray_alpha = vec![0, 255, 0, 128, 200, 0];
        assert_eq!(to_gray_or_rgb(&mut gray_alpha, ColorType::La8), Ok(1));
        assert_eq!(gray_alpha, [0, 127, 255]);

        let mut rgb = vec![1, 2, 3];
        assert_eq!(to_gray_or_rgb(&mut rgb, ColorType::Rgb8), Ok(3));
        assert_eq!(rgb, [1, 2, 3]);
        assert!(matches!(to_gray_or_rgb(&mut rgb, ColorType::Rgb32F), Err(PhotoError::Corrupt(_))));
    }
}
