//! Properties: Image headers: photos::sniff and photos::process

use super::*;

// ---------------------------------------------------------------------------------------------
// Image headers: photos::sniff and photos::process

/// The contract's limits: 40 megapixels, and a stored photo at most 2000 px on its long side.
pub(super) const MAX_PIXELS: u64 = 40_000_000;
pub(super) const MAX_SIDE: u64 = 2000;

#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Png,
    Jpeg,
    WebP,
}

/// A small valid image of the given kind.
pub(super) fn encode(kind: Kind, width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x as u8).wrapping_mul(seed), (y as u8).wrapping_add(seed), seed])
    });
    let mut out = Cursor::new(Vec::new());
    match kind {
        Kind::Png => img.write_to(&mut out, image::ImageFormat::Png).unwrap(),
        Kind::Jpeg => img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap(),
        Kind::WebP => {
            image::codecs::webp::WebPEncoder::new_lossless(&mut out)
                .encode(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
        }
    }
    out.into_inner()
}

pub(super) fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(&[Kind::Png, Kind::Jpeg, Kind::WebP][..])
}

/// What can happen to a file on its way: a byte changed, a run of bytes lost, repeated or
/// inserted, the end cut off.
#[derive(Debug, Clone)]
pub(super) enum Mutation {
    Xor(prop::sample::Index, u8),
    Set(prop::sample::Index, u8),
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, Vec<u8>),
    Repeat(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
}

pub(super) fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>;
    prop_oneof![
        4 => (at(), 1u8..=255).prop_map(|(i, x)| Mutation::Xor(i, x)),
        2 => (at(), prop::sample::select(&[0u8, 0xFF, 0x7F, 0x80, 0xD8, 0xD9, 0xDA][..])).prop_map(|(i, b)| Mutation::Set(i, b)),
        1 => (at(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (at(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => (at(), 1usize..64).prop_map(|(i, n)| Mutation::Repeat(i, n)),
        1 => at().prop_map(Mutation::Truncate),
    ]
}

pub(super) fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match m {
        Mutation::Xor(i, x) => {
            let at = i.index(bytes.len());
            bytes[at] ^= x;
        }
        Mutation::Set(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Delete(i, n) => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::Insert(i, b) => {
            let at = i.index(bytes.len() + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Mutation::Repeat(i, n) => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            let run = bytes[at..end].to_vec();
            bytes.splice(at..at, run);
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
    }
}

/// PNG chunks carry a CRC that decoders check: recomputing it lets a mutation reach the
/// decoder instead of stopping at the checksum.
pub(super) fn fix_png_crcs(bytes: &mut [u8]) {
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let Some(end) = (at + 8).checked_add(len).filter(|end| end + 4 <= bytes.len()) else { return };
        let crc = crc32(&bytes[at + 4..end]);
        bytes[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        at = end + 4;
    }
}

pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A small image of any kind, valid or mutated.
pub(super) fn image_bytes() -> impl Strategy<Value = Vec<u8>> {
    let mutations = prop_oneof![1 => Just(Vec::new()), 1 => prop::collection::vec(mutation(), 1..4)];
    (kind(), 1u32..48, 1u32..48, any::<u8>(), mutations, any::<bool>()).prop_map(
        |(kind, w, h, seed, mutations, fix_crc)| {
            let mut bytes = encode(kind, w, h, seed);
            for m in &mutations {
                mutate(&mut bytes, m);
            }
            if fix_crc && matches!(kind, Kind::Png) {
                fix_png_crcs(&mut bytes);
            }
            bytes
        },
    )
}

/// `process` on `bytes`, on a thread with a deadline.
pub(super) fn process(bytes: Vec<u8>) -> Result<photos::Processed, PhotoError> {
    within("photos::process", move || photos::process(&bytes))
}

/// What an accepted photo must be: an upright JPEG within the size limit, without Exif.
pub(super) fn check_processed(p: &photos::Processed) -> Result<(), TestCaseError> {
    prop_assert!(matches!(photos::sniff(&p.jpeg), Some(photos::Format::Jpeg)));
    prop_assert!(matches!(photos::sniff(&p.thumb), Some(photos::Format::Jpeg)));
    prop_assert!(p.width >= 1 && u64::from(p.width) <= MAX_SIDE, "width {}", p.width);
    prop_assert!(p.height >= 1 && u64::from(p.height) <= MAX_SIDE, "height {}", p.height);
    prop_assert!(!p.jpeg.windows(6).any(|w| w == b"Exif\0\0"), "Exif left in the photo");
    Ok(())
}

/// The starts of files: each format's magic bytes, and some that are not ours.
pub(super) const MAGIC: &[&[u8]] = &[
    b"",
    b"\xFF\xD8\xFF",
    b"\xFF\xD8\xFF\xE0",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\0\0\0\0WEBP",
    b"RIFF\x10\0\0\0WEBPVP8L",
    b"GIF89a",
];

#[test]
fn sniff_and_process_take_any_bytes() {
    let magic = prop::sample::select(MAGIC);
    check(256, (magic, prop::collection::vec(any::<u8>(), 0..300)), |(magic, rest)| {
        let bytes = [magic, &rest[..]].concat();
        let sniffed = photos::sniff(&bytes);
        let expected = if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some("jpeg")
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some("png")
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some("webp")
        } else {
            None
        };
        prop_assert_eq!(sniffed.map(|f| format!("{f:?}").to_ascii_lowercase()), expected.map(str::to_string));
        match process(bytes) {
            Ok(p) => check_processed(&p)?,
            Err(PhotoError::NotAnImage) => {
                prop_assert!(sniffed.is_none(), "sniffed {:?} but NotAnImage", sniffed)
            }
            Err(_) => prop_assert!(sniffed.is_some(), "an error other than NotAnImage for unsniffable bytes"),
        }
        Ok(())
    });
}

#[test]
fn mutated_images_are_processed_or_refused() {
    check(256, image_bytes(), |bytes| {
        if let Ok(p) = process(bytes) {
            check_processed(&p)?;
        }
        Ok(())
    });
}

#[test]
fn valid_small_images_are_processed_at_their_size() {
    check(128, (kind(), 1u32..64, 1u32..64, any::<u8>()), |(kind, w, h, seed)| {
        let p = process(encode(kind, w, h, seed))
            .map_err(|e| TestCaseError::fail(format!("{kind:?} {w}×{h}: {e}")))?;
        check_processed(&p)?;
        prop_assert_eq!((p.width, p.height), (w, h));
        Ok(())
    });
}

/// Rewrites the dimensions a file announces in its header.
pub(super) fn announce(kind: Kind, bytes: &mut [u8], width: u32, height: u32) {
    match kind {
        Kind::Png => {
            // Signature, then the IHDR chunk: length, "IHDR", width, height.
            bytes[16..20].copy_from_slice(&width.to_be_bytes());
            bytes[20..24].copy_from_slice(&height.to_be_bytes());
            fix_png_crcs(bytes);
        }
        Kind::Jpeg => {
            // The start-of-frame segment: FF C0, length, precision, height, width (16 bits each).
            let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
            bytes[sof + 5..sof + 7].copy_from_slice(&(height as u16).to_be_bytes());
            bytes[sof + 7..sof + 9].copy_from_slice(&(width as u16).to_be_bytes());
        }
        Kind::WebP => {
            // RIFF header, "VP8L", chunk size, signature 0x2F, then 14 bits of width - 1 and 14
            // of height - 1, little-endian.
            let at = 21;
            let mut bits = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
            bits &= !0x0FFF_FFFF;
            bits |= (width - 1) & 0x3FFF;
            bits |= ((height - 1) & 0x3FFF) << 14;
            bytes[at..at + 4].copy_from_slice(&bits.to_le_bytes());
        }
    }
}

#[test]
fn images_announcing_more_than_40_megapixels_are_refused_from_their_header() {
    // The largest each format can announce: 2^31 - 1 (PNG), 65535 (JPEG), 16384 (lossless WebP).
    let sizes = kind().prop_flat_map(|kind| {
        let max = match kind {
            Kind::Png => 200_000u32,
            Kind::Jpeg => 65_535,
            Kind::WebP => 16_384,
        };
        (Just(kind), 1..=max, 1..=max)
            .prop_filter("over the limit", |(_, w, h)| u64::from(*w) * u64::from(*h) > MAX_PIXELS)
    });
    check(128, sizes, |(kind, w, h)| {
        let mut bytes = encode(kind, 8, 8, 7);
        announce(kind, &mut bytes, w, h);
        match process(bytes) {
            Err(PhotoError::TooManyPixels { width, height }) => prop_assert_eq!((width, height), (w, h)),
            other => prop_assert!(
                false,
                "{:?} announcing {}×{}: {:?}",
                kind,
                w,
                h,
                other.map(|p| (p.width, p.height))
            ),
        }
        Ok(())
    });
}
