//! Tests of what [`process`](super::super::process) refuses or strips: decompression bombs, the
//! memory budget, hostile and broken input, orientation and metadata.

#![allow(clippy::unwrap_used)]

use super::*;

// ---- decompression bombs ----

#[test]
fn a_png_header_claiming_10000_by_10000_pixels_is_refused_before_decoding() {
    // Signature and IHDR only: there is no image data at all, so anything but the header
    // check would fail with Corrupt.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&10_000u32.to_be_bytes());
    ihdr.extend_from_slice(&10_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    let mut bomb = PNG_SIGNATURE.to_vec();
    bomb.extend(png_chunk(b"IHDR", &ihdr));
    assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 10_000, height: 10_000 });
    bomb.extend(png_chunk(b"IEND", &[]));
    assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 10_000, height: 10_000 });
}

#[test]
fn a_jpeg_header_claiming_too_many_pixels_is_refused_before_decoding() {
    // SOI, then a baseline frame header (SOF0) of 9000×5000 with three components.
    let mut bomb = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
    bomb.extend_from_slice(&5000u16.to_be_bytes());
    bomb.extend_from_slice(&9000u16.to_be_bytes());
    bomb.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 9000, height: 5000 });
}

#[test]
fn a_webp_header_claiming_too_many_pixels_is_refused_before_decoding() {
    // RIFF/WEBP with an extended-format (VP8X) chunk for a 16384×16384 canvas.
    let mut bomb = b"RIFF\x16\0\0\0WEBPVP8X\x0A\0\0\0\0\0\0\0".to_vec();
    bomb.extend_from_slice(&16383u32.to_le_bytes()[..3]);
    bomb.extend_from_slice(&16383u32.to_le_bytes()[..3]);
    assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { width: 16384, height: 16384 });
}

#[test]
fn the_header_readers_agree_with_the_decoders() {
    let image = pattern(123, 45);
    assert_eq!(jpeg_dimensions(&jpeg(&image)), Some((123, 45)));
    assert_eq!(png_dimensions(&png(&DynamicImage::ImageRgb8(image.clone()))), Some((123, 45)));
    assert_eq!(webp_dimensions(&webp(&image)), Some((123, 45)));
    let rgba = RgbaImage::from_pixel(77, 66, Rgba([1, 2, 3, 128]));
    let mut lossless = Vec::new();
    rgba.write_with_encoder(WebPEncoder::new_lossless(&mut lossless)).unwrap();
    assert_eq!(webp_dimensions(&lossless), Some((77, 66)));
}

#[test]
fn the_jpeg_header_reader_skips_a_frame_header_inside_the_exif_thumbnail() {
    // An APP1 segment whose payload looks like a 60000×60000 SOF must not be read as one.
    let mut fake = b"Exif\0\0".to_vec();
    fake.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60]);
    let real = jpeg(&pattern(64, 48));
    let mut file = real[..2].to_vec();
    file.extend_from_slice(&[0xFF, 0xE1]);
    file.extend_from_slice(&u16::try_from(fake.len() + 2).unwrap().to_be_bytes());
    file.extend_from_slice(&fake);
    file.extend_from_slice(&real[2..]);
    assert_eq!(jpeg_dimensions(&file), Some((64, 48)));
    assert_eq!(process(&file).map(|p| (p.width, p.height)), Ok((64, 48)));
}

// ---- the memory budget ----

/// Signature and IHDR of a PNG of the given size, bit depth and colour type, and IEND: no image
/// data, so anything that gets as far as decoding fails with Corrupt.
fn png_header_only(width: u32, height: u32, depth: u8, color: u8) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, color, 0, 0, 0]);
    let mut out = PNG_SIGNATURE.to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

#[test]
fn a_16_bit_rgba_png_inside_the_pixel_limit_is_refused_by_its_bytes_before_decoding() {
    // 6300×6300 is 39.7 megapixels, but 8 bytes each: 317.5 MB decoded.
    let bomb = png_header_only(6300, 6300, 16, 6);
    assert_eq!(
        process(&bomb).unwrap_err(),
        PhotoError::TooManyBytes { width: 6300, height: 6300, bytes: 6300 * 6300 * 8 }
    );
    // The same size in 8-bit grey is 40 MB: within the budget, so it gets to the decoder.
    assert!(matches!(process(&png_header_only(6300, 6300, 8, 0)), Err(PhotoError::Corrupt(_))));
    // 16-bit RGBA fits up to 16.7 megapixels.
    assert!(matches!(process(&png_header_only(4096, 4096, 16, 6)), Err(PhotoError::Corrupt(_))));
    assert!(matches!(process(&png_header_only(4096, 4097, 16, 6)), Err(PhotoError::TooManyBytes { .. })));
}

#[test]
fn a_progressive_jpeg_is_refused_when_its_coefficients_break_the_budget() {
    // SOI, a frame header of 5000×4000 with three full-resolution components, one scan header.
    let headers = |sof: u8| {
        let mut out = vec![0xFF, 0xD8, 0xFF, sof, 0x00, 0x11, 0x08];
        out.extend_from_slice(&4000u16.to_be_bytes());
        out.extend_from_slice(&5000u16.to_be_bytes());
        out.extend_from_slice(&[3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
        out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0, 0xFF, 0xD9]);
        out
    };
    // Baseline: 60 MB of RGB, decoded as it is read (then fails: there is no data).
    assert!(matches!(process(&headers(0xC0)), Err(PhotoError::Corrupt(_))));
    // Progressive: 60 MB of RGB plus 120 MB of coefficients kept until the last scan.
    assert_eq!(
        process(&headers(0xC2)).unwrap_err(),
        PhotoError::TooManyBytes { width: 5000, height: 4000, bytes: 180_000_000 }
    );
}

#[test]
fn a_16_bit_png_within_the_budget_is_narrowed_to_8_bits_and_flattened() {
    let image: ImageBuffer<Rgba<u16>, Vec<u16>> = ImageBuffer::from_fn(64, 32, |x, _| {
        if x < 32 { Rgba([56_000, 5_000, 5_000, 65_535]) } else { Rgba([0, 0, 65_535, 0]) }
    });
    let out = process(&png(&DynamicImage::ImageRgba16(image))).unwrap();
    let decoded = decode(&out.jpeg).into_rgb8();
    assert_eq!(decoded.dimensions(), (64, 32));
    assert!(is_reddish(*decoded.get_pixel(8, 16)));
    assert!(decoded.get_pixel(56, 16).0.iter().all(|&v| v > 240), "transparent blue is white");
    let gray: ImageBuffer<image::Luma<u16>, Vec<u16>> =
        ImageBuffer::from_pixel(40, 30, image::Luma([65_535]));
    let out = process(&png(&DynamicImage::ImageLuma16(gray))).unwrap();
    assert_eq!(decode(&out.jpeg).color(), image::ColorType::L8);
    assert!(decode(&out.jpeg).into_luma8().pixels().all(|p| p.0[0] > 250));
}

#[test]
fn a_png_profile_and_text_are_never_read() {
    // An iCCP whose deflate stream is garbage and a zTXt that claims to be compressed: neither
    // reaches the decoder, so the picture comes through untouched.
    let plain = png(&DynamicImage::ImageRgb8(red_left_blue_right(80, 40)));
    let mut input = plain[..33].to_vec();
    input.extend(png_chunk(b"iCCP", b"Display P3\0\0\x78\x9C\xFF\xFF\xFF\xFF"));
    input.extend(png_chunk(b"zTXt", b"Comment\0\0\x78\x9C\x01\x02"));
    input.extend_from_slice(&plain[33..]);
    let out = process(&input).unwrap();
    assert_eq!((out.width, out.height), (80, 40));
    assert!(is_reddish(*decode(&out.jpeg).into_rgb8().get_pixel(10, 20)));
}

#[test]
fn processing_waits_for_a_free_decode_slot() {
    let input = png(&DynamicImage::ImageRgb8(pattern(64, 48)));
    // Take every slot of the process (waiting for other tests' decodes to finish first).
    let slots: Vec<_> = (0..DECODE_SLOTS).map(|_| DECODES.enter(DECODE_WAIT).unwrap()).collect();
    std::thread::scope(|s| {
        let started = Instant::now();
        let upload = s.spawn(|| (process(&input), Instant::now()));
        std::thread::sleep(Duration::from_millis(200));
        assert!(!upload.is_finished(), "no decoding while every slot is taken");
        let released = Instant::now();
        drop(slots);
        let (result, finished) = upload.join().unwrap();
        assert_eq!(result.map(|p| (p.width, p.height)), Ok((64, 48)));
        assert!(finished >= released && released - started >= Duration::from_millis(200));
    });
}

// ---- hostile and broken input ----

#[test]
fn truncated_or_garbage_bytes_give_corrupt_or_not_an_image_and_never_panic() {
    let image = pattern(96, 64);
    let samples = [
        jpeg(&image),
        with_exif(&jpeg(&image), &exif_tiff(6, true)),
        png(&DynamicImage::ImageRgb8(image.clone())),
        webp(&image),
    ];
    for sample in &samples {
        // Truncated anywhere in the headers, then in coarser steps through the data.
        let cuts = (0..sample.len().min(400)).chain((400..sample.len()).step_by(97));
        for cut in cuts {
            match process(&sample[..cut]) {
                Err(PhotoError::Corrupt(message)) => {
                    assert!(!message.contains("failed on malformed"), "{message}")
                }
                Err(PhotoError::NotAnImage) => assert!(sniff(&sample[..cut]).is_none()),
                Err(other) => panic!("cut at {cut}: {other:?}"),
                Ok(_) => panic!("cut at {cut}: accepted"),
            }
        }
    }

    // Right magic bytes, then garbage; and bytes flipped all over valid files.
    let mut state = 0x2545_F491u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for prefix in [&b"\xFF\xD8\xFF"[..], PNG_SIGNATURE, b"RIFF\x40\0\0\0WEBPVP8 "] {
        for len in [0, 1, 10, 100, 1000] {
            let mut bytes = prefix.to_vec();
            bytes.extend((0..len).map(|_| next() as u8));
            assert!(matches!(process(&bytes), Err(PhotoError::Corrupt(_))), "{bytes:?}");
        }
    }
    for sample in &samples {
        for _ in 0..150 {
            let mut bytes = sample.clone();
            for _ in 0..1 + next() % 8 {
                let at = next() as usize % bytes.len();
                bytes[at] = next() as u8;
            }
            if let Err(PhotoError::Corrupt(message)) = process(&bytes) {
                assert!(!message.contains("failed on malformed"), "{message}");
            }
        }
    }
}

#[test]
fn a_jpeg_cut_short_is_refused_but_data_after_its_end_is_tolerated() {
    let full = jpeg(&pattern(200, 100));
    let cut = &full[..full.len() * 2 / 3];
    assert!(matches!(process(cut), Err(PhotoError::Corrupt(m)) if m.contains("truncated")));
    // Some phones append data after the image (e.g. the video of a motion photo).
    let mut trailer = full.clone();
    trailer.extend_from_slice(b"\0\0\0\x18ftypmp42 appended video");
    assert_eq!(process(&trailer).map(|p| (p.width, p.height)), Ok((200, 100)));
}

// ---- orientation and metadata ----

#[test]
fn the_exif_orientation_is_applied_and_the_output_has_no_exif() {
    // Orientation 6: the camera was turned, the picture must be rotated 90° clockwise, so
    // the red left half ends up at the top.
    let input = with_exif(&jpeg(&red_left_blue_right(80, 40)), &exif_tiff(6, false));
    assert_eq!(app_markers(&input), [0xE1, 0xE0]);
    let out = process(&input).unwrap();
    assert_eq!((out.width, out.height), (40, 80));
    for output in [&out.jpeg, &out.thumb] {
        let image = decode(output).into_rgb8();
        assert_eq!(image.dimensions(), (40, 80));
        assert!(is_reddish(*image.get_pixel(20, 10)));
        assert!(is_bluish(*image.get_pixel(20, 70)));
        assert_eq!(app_markers(output), [0xE0], "only the JFIF header");
        assert!(!contains(output, &[0xFF, 0xE1]), "no APP1 marker");
        assert!(!contains(output, b"Exif"));
        assert!(exif::Reader::new().read_from_container(&mut Cursor::new(output)).is_err());
    }
}

#[test]
fn orientation_8_turns_the_picture_counter_clockwise() {
    let input = with_exif(&jpeg(&red_left_blue_right(80, 40)), &exif_tiff(8, false));
    let image = decode(&process(&input).unwrap().jpeg).into_rgb8();
    assert_eq!(image.dimensions(), (40, 80));
    assert!(is_bluish(*image.get_pixel(20, 10)));
    assert!(is_reddish(*image.get_pixel(20, 70)));
}

#[test]
fn the_exif_orientation_of_a_png_is_applied() {
    let plain = png(&DynamicImage::ImageRgb8(red_left_blue_right(80, 40)));
    // eXIf goes after IHDR (8-byte signature + 25-byte chunk) and before the image data.
    let mut input = plain[..33].to_vec();
    input.extend(png_chunk(b"eXIf", &exif_tiff(6, false)));
    input.extend_from_slice(&plain[33..]);
    let out = process(&input).unwrap();
    assert_eq!((out.width, out.height), (40, 80));
    assert!(is_reddish(*decode(&out.jpeg).into_rgb8().get_pixel(20, 10)));
}

#[test]
fn gps_coordinates_in_the_exif_do_not_survive_processing() {
    let input = with_exif(&jpeg(&pattern(200, 150)), &exif_tiff(1, true));
    // The input really carries a position, as kamadak-exif reads it.
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(&input)).unwrap();
    assert!(exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_some());
    assert!(exif.get_field(exif::Tag::GPSLongitude, exif::In::PRIMARY).is_some());
    assert!(contains(&input, b"WGS-84"));

    let out = process(&input).unwrap();
    assert_eq!((out.width, out.height), (200, 150));
    for output in [&out.jpeg, &out.thumb] {
        assert!(exif::Reader::new().read_from_container(&mut Cursor::new(output)).is_err());
        assert!(!contains(output, &[0xFF, 0xE1]));
        assert!(!contains(output, b"Exif"));
        assert!(!contains(output, b"WGS-84"));
        assert_eq!(app_markers(output), [0xE0]);
    }
}
