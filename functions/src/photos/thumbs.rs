//! Making pictures smaller: the size that fits a long side, halving in place with a box filter,
//! and resampling the rest of the way with a triangle filter in fixed point. Works on 8-bit
//! grey and RGB buffers; never enlarges.

use image::imageops::{self, FilterType};
use image::{ImageBuffer, Pixel};

use super::PhotoError;

/// Size of `(width, height)` scaled so the long side is at most `max_side` (never enlarged, never
/// below one pixel).
pub(super) fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side || long == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(max_side).clamp(1, max_side)
    };
    (scale(width), scale(height))
}

/// Downscales to at most `max_side` on the long side: halves with a 2×2 box filter, in the
/// image's own buffer, while the image stays at least twice the target (fast, as good as any
/// filter for exact halving, and no second buffer), then resamples the rest of the way with a
/// triangle filter ([`resample`]), whose buffers are at most a few times the target's size.
pub(super) fn downscale<P>(
    image: ImageBuffer<P, Vec<u8>>,
    max_side: u32,
) -> Result<ImageBuffer<P, Vec<u8>>, PhotoError>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let (target_w, target_h) = fit(image.width(), image.height(), max_side);
    if image.dimensions() == (target_w, target_h) {
        return Ok(image);
    }
    let channels = usize::from(P::CHANNEL_COUNT);
    if channels != 1 && channels != 3 {
        // Not reached: only grey and RGB buffers are downscaled here.
        return Ok(imageops::resize(&image, target_w, target_h, FilterType::Triangle));
    }
    let (mut w, mut h) = image.dimensions();
    let mut data = image.into_raw();
    while w / 2 >= target_w && h / 2 >= target_h {
        if channels == 1 {
            halve_in_place::<1>(&mut data, w, h);
        } else {
            halve_in_place::<3>(&mut data, w, h);
        }
        (w, h) = (w / 2, h / 2);
        data.shrink_to_fit();
    }
    let resized = if (w, h) == (target_w, target_h) {
        Some(data)
    } else if channels == 1 {
        resample::<1>(&data, w, h, target_w, target_h)
    } else {
        resample::<3>(&data, w, h, target_w, target_h)
    };
    resized
        .and_then(|data| ImageBuffer::from_raw(target_w, target_h, data))
        .ok_or_else(|| PhotoError::Corrupt("resizing failed".into()))
}

/// Halves both sides of a `C`-channel 8-bit image with a 2×2 box filter, writing the result over
/// the start of the same buffer (an odd last row or column is dropped). In place is safe: the
/// output pixel (x, y) lies at or before the first input pixel (2x, 2y) it is made from, and
/// every later output pixel reads only from further on.
pub(super) fn halve_in_place<const C: usize>(data: &mut Vec<u8>, width: u32, height: u32) {
    let (w, h) = (width as usize, height as usize);
    let (half_w, half_h) = (w / 2, h / 2);
    let stride = w * C;
    if data.len() < stride * h {
        data.clear();
        return;
    }
    for y in 0..half_h {
        let top = 2 * y * stride;
        let bottom = top + stride;
        for x in 0..half_w {
            let (a, b) = (top + 2 * x * C, bottom + 2 * x * C);
            let mut pixel = [0u8; C];
            for (c, out) in pixel.iter_mut().enumerate() {
                let sum = u16::from(data[a + c])
                    + u16::from(data[a + C + c])
                    + u16::from(data[b + c])
                    + u16::from(data[b + C + c]);
                *out = ((sum + 2) >> 2) as u8;
            }
            let at = (y * half_w + x) * C;
            data[at..at + C].copy_from_slice(&pixel);
        }
    }
    data.truncate(half_w * half_h * C);
}

/// Fixed-point precision of the resampling weights (they sum to `1 << WEIGHT_BITS`).
const WEIGHT_BITS: u32 = 14;

/// Resampling weights along one axis: output `i` is the weighted sum of the `taps` inputs from
/// `starts[i]`, with weights `weights[i * taps ..][.. taps]`.
struct AxisWeights {
    taps: usize,
    starts: Vec<usize>,
    weights: Vec<i32>,
}

/// Triangle-filter weights to go from `src` to `dst` samples (`dst <= src`), the filter
/// stretched by the ratio so that every input contributes (like `FilterType::Triangle`).
fn axis_weights(src: usize, dst: usize) -> AxisWeights {
    let ratio = src as f64 / dst as f64;
    let support = ratio.max(1.0);
    let taps = ((2.0 * support).ceil() as usize + 1).min(src).max(1);
    let mut starts = Vec::with_capacity(dst);
    let mut weights = vec![0; dst * taps];
    let one = 1i32 << WEIGHT_BITS;
    for (i, row) in weights.chunks_exact_mut(taps).enumerate() {
        let center = (i as f64 + 0.5) * ratio;
        let first = ((center - support).floor().max(0.0) as usize).min(src.saturating_sub(taps));
        starts.push(first);
        let raw: Vec<f64> = (first..first + taps)
            .map(|j| {
                let w = 1.0 - ((j as f64 + 0.5 - center) / support).abs();
                if j < src { w.max(0.0) } else { 0.0 }
            })
            .collect();
        let total: f64 = raw.iter().sum();
        if total <= 0.0 {
            // Cannot happen for dst <= src; fall back to the nearest sample.
            row[0] = one;
            continue;
        }
        for (out, w) in row.iter_mut().zip(&raw) {
            *out = (w / total * f64::from(one)).round() as i32;
        }
        // Put the rounding error on the largest weight so that flat areas stay exactly flat.
        let error = one - row.iter().sum::<i32>();
        if let Some(max) = row.iter_mut().max_by_key(|w| **w) {
            *max += error;
        }
    }
    AxisWeights { taps, starts, weights }
}

fn to_u8(acc: i32) -> u8 {
    ((acc + (1 << (WEIGHT_BITS - 1))) >> WEIGHT_BITS).clamp(0, 255) as u8
}

/// Resizes a `C`-channel 8-bit image down to `dst_w`×`dst_h` with a separable triangle filter in
/// fixed point (several times faster than `imageops::resize` on u8 images). `None` if the sizes
/// do not fit the buffer or the image would grow.
pub(super) fn resample<const C: usize>(
    src: &[u8],
    src_w: u32,
    src_h: u32,
    dst_w: u32,
    dst_h: u32,
) -> Option<Vec<u8>> {
    let (sw, sh, dw, dh) = (src_w as usize, src_h as usize, dst_w as usize, dst_h as usize);
    if src.len() != sw.checked_mul(sh)?.checked_mul(C)? || dw == 0 || dh == 0 || dw > sw || dh > sh {
        return None;
    }
    // Horizontal pass: sh rows of dw pixels.
    let xs = axis_weights(sw, dw);
    let mut wide = Vec::with_capacity(sh * dw * C);
    for row in src.chunks_exact(sw * C) {
        for (&start, weights) in xs.starts.iter().zip(xs.weights.chunks_exact(xs.taps)) {
            let pixels = row.get(start * C..(start + xs.taps) * C)?;
            let mut acc = [0i32; C];
            for (pixel, &w) in pixels.chunks_exact(C).zip(weights) {
                for c in 0..C {
                    acc[c] += w * i32::from(pixel[c]);
                }
            }
            wide.extend(acc.map(to_u8));
        }
    }
    // Vertical pass: whole rows at a time, which the compiler vectorises.
    let ys = axis_weights(sh, dh);
    let stride = dw * C;
    let mut out = Vec::with_capacity(dh * stride);
    let mut acc = vec![0i32; stride];
    for (&start, weights) in ys.starts.iter().zip(ys.weights.chunks_exact(ys.taps)) {
        acc.fill(0);
        for (k, &w) in weights.iter().enumerate() {
            if w == 0 {
                continue;
            }
            let row = wide.get((start + k) * stride..(start + k + 1) * stride)?;
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += w * i32::from(v);
            }
        }
        out.extend(acc.iter().map(|&a| to_u8(a)));
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use image::{GrayImage, Rgb, RgbImage};

    use super::*;

    #[test]
    fn resampling_keeps_flat_areas_flat_and_sizes_exact() {
        for (sw, sh, dw, dh) in [(2016, 1512, 2000, 1500), (500, 313, 320, 200), (3, 3, 2, 1), (7, 1, 1, 1)] {
            let src = vec![77u8; sw * sh * 3];
            let out = resample::<3>(&src, sw as u32, sh as u32, dw as u32, dh as u32).unwrap();
            assert_eq!(out.len(), dw * dh * 3);
            assert!(out.iter().all(|&v| v == 77), "{sw}×{sh} → {dw}×{dh}");
        }
        assert_eq!(resample::<3>(&[0; 12], 2, 2, 3, 2), None, "never enlarges");
        assert_eq!(resample::<1>(&[0; 3], 2, 2, 1, 1), None, "buffer of the wrong size");
    }

    #[test]
    fn halving_in_place_averages_each_2_by_2_block() {
        let mut gray = vec![0, 4, 8, 8, 4, 0, 9, 9, 9];
        halve_in_place::<1>(&mut gray, 3, 3);
        assert_eq!(gray, [4], "the odd last row and column are dropped");
        // 4×2 RGB: two blocks, each of four different pixels.
        let mut rgb: Vec<u8> = (0..24).map(|i| i * 10).collect();
        halve_in_place::<3>(&mut rgb, 4, 2);
        let block = |x: usize, c: usize| {
            let at = |row: usize, col: usize| u16::from((row * 12 + col * 3 + c) as u8 * 10);
            ((at(0, 2 * x) + at(0, 2 * x + 1) + at(1, 2 * x) + at(1, 2 * x + 1) + 2) / 4) as u8
        };
        assert_eq!(rgb, [block(0, 0), block(0, 1), block(0, 2), block(1, 0), block(1, 1), block(1, 2)]);
    }

    #[test]
    fn halving_in_place_matches_a_copying_box_filter_on_a_picture() {
        let image = RgbImage::from_fn(101, 67, |x, y| Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, 200]));
        let mut data = image.clone().into_raw();
        halve_in_place::<3>(&mut data, 101, 67);
        let expected = RgbImage::from_fn(50, 33, |x, y| {
            let p = |dx, dy| image.get_pixel(2 * x + dx, 2 * y + dy).0;
            Rgb(std::array::from_fn(|c| {
                let sum: u16 = [p(0, 0), p(1, 0), p(0, 1), p(1, 1)].iter().map(|q| u16::from(q[c])).sum();
                ((sum + 2) >> 2) as u8
            }))
        });
        assert_eq!(data, expected.into_raw());
    }

    #[test]
    fn downscaling_halves_then_resamples_to_the_exact_size() {
        let gray = GrayImage::from_pixel(4100, 1000, image::Luma([90]));
        let out = downscale(gray, 2000).unwrap();
        assert_eq!(out.dimensions(), (2000, 488));
        assert!(out.pixels().all(|p| p.0 == [90]));
        let small = RgbImage::new(10, 10);
        assert_eq!(downscale(small, 2000).unwrap().dimensions(), (10, 10));
    }

    #[test]
    fn fit_keeps_the_aspect_ratio_and_at_least_one_pixel() {
        assert_eq!(fit(4000, 3000, 2000), (2000, 1500));
        assert_eq!(fit(3000, 4000, 320), (240, 320));
        assert_eq!(fit(40_000, 1, 2000), (2000, 1));
        assert_eq!(fit(100, 50, 2000), (100, 50));
    }
}
