//! Palette quantisation of the banner: the few flat fills of a banner stay exact and the
//! anti-aliased edge shades fold into their neighbours, until the palette is the smallest
//! that keeps the picture within a PSNR target. No dithering: it makes flat artwork 5x
//! larger. Written here because no MIT/Apache crate reaches 45 dB at a small palette
//! (exoquant: 43.7 dB at 64 colours; NeuQuant: 45 dB only at 24+ colours and 10x slower;
//! `imagequant` is GPL). Figures: `benches/README.md`, `bash benches/banner.sh`.

use std::collections::HashMap;

/// Ward target: merging stops before the (accounted) PSNR would drop below this. On the
/// banner it lands on 16 colours at 46.2 dB, so oxipng writes a 4-bit PNG.
pub(crate) const TARGET_PSNR_DB: f64 = 45.5;
/// The floor the result must meet (dB over R, G, B vs the lossless render).
pub(crate) const MIN_PSNR_DB: f64 = 45.0;

/// The smallest palette that keeps an opaque RGBA8 image at or above [`MIN_PSNR_DB`]
/// (the exact colours when there are at most 256 and merging would not help), and one
/// index per pixel. Deterministic: the same pixels give the same palette and indices.
pub(crate) fn quantise(rgba: &[u8]) -> (Vec<[u8; 4]>, Vec<u8>) {
    let hist = histogram(rgba);
    let mut target = TARGET_PSNR_DB;
    loop {
        let (palette, indices) = ward(rgba, &hist, target, 256);
        // Ward's accounting is exact before the centroids are rounded: check the result.
        // A photo-like logo may miss the floor even at 256 colours: keep the best we have.
        if palette.len() >= 256 || target >= 60.0 || psnr(rgba, &palette, &indices) >= MIN_PSNR_DB {
            return (palette, indices);
        }
        target += 1.0;
    }
}

/// Unique colours of an RGBA8 buffer and how often each occurs. Flat fills come in long
/// runs, so count runs of equal pixels (one hash look-up per run, not per pixel).
pub(crate) fn histogram(rgba: &[u8]) -> HashMap<[u8; 4], u32> {
    let mut h: HashMap<[u8; 4], u32> = HashMap::with_capacity(1024);
    let mut px = rgba.chunks_exact(4).map(|p| [p[0], p[1], p[2], p[3]]);
    let Some(mut cur) = px.next() else { return h };
    let mut run = 1u32;
    for p in px {
        if p == cur {
            run += 1;
        } else {
            *h.entry(cur).or_insert(0) += run;
            cur = p;
            run = 1;
        }
    }
    *h.entry(cur).or_insert(0) += run;
    h
}

/// Map every pixel through a per-unique-colour lookup (no dithering). A banner of flat fills
/// has a few thousand unique colours among 240,000 pixels, so the nearest-colour search runs
/// once per unique colour instead of once per pixel.
pub(crate) fn remap_with(
    rgba: &[u8],
    hist: &HashMap<[u8; 4], u32>,
    mut nearest: impl FnMut([u8; 4]) -> u8,
) -> Vec<u8> {
    let lut: HashMap<[u8; 4], u8> = hist.keys().map(|&c| (c, nearest(c))).collect();
    // Same run trick as `histogram`: look up only when the colour changes.
    let mut last = [0u8; 4];
    let mut last_i = None;
    rgba.chunks_exact(4)
        .map(|p| {
            let c = [p[0], p[1], p[2], p[3]];
            match last_i {
                Some(i) if c == last => i,
                _ => {
                    let i = lut[&c];
                    last = c;
                    last_i = Some(i);
                    i
                }
            }
        })
        .collect()
}

/// "Snap near-duplicate colours": greedy Ward merging of the histogram's colours.
///
/// The banner is a few flat fills plus anti-aliased edges, so its histogram is a handful of
/// heavy colours and many light in-between ones. Merging the pair of clusters whose merge
/// adds the least squared error (Ward's criterion: w1*w2/(w1+w2) * |c1-c2|^2, exactly the
/// SSE increase) keeps every flat fill exact and folds rare edge shades into neighbours.
/// Merging stops before the total error would drop PSNR below `min_psnr_db`, or goes on
/// until `max_colors` (<= 256) is reached, so the palette is the smallest one that still
/// reaches the target. Costs ~O(U^2) for U start clusters; when the image has more than
/// `MAX_START` colours (a photo-like logo), they are first grouped into RGB grid cells
/// (centroid kept exact, the in-cell error counted in the budget).
/// Deterministic: same input, same palette and indices, whatever the HashMap seed.
///
/// `hist` must be `histogram(rgba)`. Returns (palette sorted by luma, one index per pixel).
pub(crate) fn ward(
    rgba: &[u8],
    hist: &HashMap<[u8; 4], u32>,
    min_psnr_db: f64,
    max_colors: usize,
) -> (Vec<[u8; 4]>, Vec<u8>) {
    const MAX_START: usize = 512;
    let max_colors = max_colors.clamp(1, 256);
    let n_px = rgba.len() / 4;

    // A cluster: pixel count, per-channel sums (exact centroid) and sum of squares.
    #[derive(Clone, Copy)]
    struct Cl {
        w: f64,
        s: [f64; 3],
        q: f64,
    }
    impl Cl {
        fn sse(&self) -> f64 {
            self.q - self.s.iter().map(|v| v * v).sum::<f64>() / self.w
        }
        fn cost(&self, o: &Cl) -> f64 {
            let d2: f64 = (0..3)
                .map(|k| {
                    let d = self.s[k] / self.w - o.s[k] / o.w;
                    d * d
                })
                .sum();
            self.w * o.w / (self.w + o.w) * d2
        }
        fn merge(&mut self, o: &Cl) {
            self.w += o.w;
            self.q += o.q;
            for (a, b) in self.s.iter_mut().zip(o.s) {
                *a += b;
            }
        }
    }

    // Start clusters: the unique colours, or grid cells of them if there are too many.
    let mut shift = 0u32;
    let mut cells: HashMap<[u8; 3], Cl>;
    loop {
        cells = HashMap::with_capacity(hist.len().min(4 * MAX_START));
        for (c, &n) in hist {
            let w = f64::from(n);
            let mut one = Cl {
                w,
                s: [0.0; 3],
                q: 0.0,
            };
            for (s, &v) in one.s.iter_mut().zip(&c[..3]) {
                *s = f64::from(v) * w;
                one.q += f64::from(v) * f64::from(v) * w;
            }
            let key = [c[0] >> shift, c[1] >> shift, c[2] >> shift];
            cells
                .entry(key)
                .and_modify(|cl| cl.merge(&one))
                .or_insert(one);
        }
        if cells.len() <= MAX_START || shift >= 5 {
            break;
        }
        shift += 1;
    }
    // Sorted start order: HashMap order is random per process, and ties must break the
    // same way every run so the PNG is byte-identical (reference-image tests).
    let mut cells: Vec<([u8; 3], Cl)> = cells.into_iter().collect();
    cells.sort_unstable_by_key(|(k, _)| *k);
    let mut cl: Vec<Option<Cl>> = cells.into_iter().map(|(_, c)| Some(c)).collect();

    // Error budget as summed squared error over R, G, B; grouping into cells spent some.
    let mse_max = 255.0f64 * 255.0 / 10f64.powf(min_psnr_db / 10.0);
    let budget = mse_max * 3.0 * n_px as f64;
    let mut sse: f64 = cl.iter().flatten().map(Cl::sse).sum();
    let mut alive = cl.len();

    // Cached nearest neighbour (index, merge cost) of every live cluster.
    let find_nn = |i: usize, cl: &[Option<Cl>]| {
        let me = cl[i].expect("live cluster");
        let mut best = (usize::MAX, f64::INFINITY);
        for (j, o) in cl.iter().enumerate() {
            if let Some(o) = o.filter(|_| j != i) {
                let c = me.cost(&o);
                if c < best.1 {
                    best = (j, c);
                }
            }
        }
        best
    };
    let mut nn: Vec<(usize, f64)> = (0..cl.len()).map(|i| find_nn(i, &cl)).collect();

    while alive > 1 {
        // Cheapest merge overall.
        let (a, &(b, cost)) = nn
            .iter()
            .enumerate()
            .filter(|(i, _)| cl[*i].is_some())
            .min_by(|x, y| x.1 .1.total_cmp(&y.1 .1))
            .expect("at least two live clusters");
        if alive <= max_colors && sse + cost > budget {
            break;
        }
        sse += cost;
        let gone = cl[b].take().expect("live neighbour");
        cl[a].as_mut().expect("live cluster").merge(&gone);
        alive -= 1;
        // Refresh the cache: a changed, b is gone.
        nn[a] = find_nn(a, &cl);
        for i in 0..cl.len() {
            let Some(ci) = cl[i] else { continue };
            if i == a {
                continue;
            }
            if nn[i].0 == a || nn[i].0 == b {
                nn[i] = find_nn(i, &cl);
            } else {
                let c = ci.cost(cl[a].as_ref().expect("live cluster"));
                if c < nn[i].1 {
                    nn[i] = (a, c);
                }
            }
        }
    }

    let mut palette: Vec<[u8; 4]> = cl
        .iter()
        .flatten()
        .map(|c| {
            let ch = |k: usize| (c.s[k] / c.w).round().clamp(0.0, 255.0) as u8;
            [ch(0), ch(1), ch(2), 255]
        })
        .collect();
    palette.sort_by_key(|c| (luma(c), *c));
    palette.dedup();
    // Each colour of the image goes to its nearest palette entry (never worse than its cluster).
    let idx = remap_with(rgba, hist, |c| {
        let dist = |p: &[u8; 4]| -> i32 {
            (0..3)
                .map(|k| (i32::from(c[k]) - i32::from(p[k])).pow(2))
                .sum()
        };
        let (i, _) = palette
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| dist(p))
            .expect("non-empty palette");
        i as u8
    });
    (palette, idx)
}

/// Integer luma key for palette sorting (neighbouring indices hold similar colours).
fn luma(c: &[u8; 4]) -> u32 {
    299 * u32::from(c[0]) + 587 * u32::from(c[1]) + 114 * u32::from(c[2])
}

/// PSNR in dB over R, G, B of `rgba` against `palette[idx]`.
pub(crate) fn psnr(rgba: &[u8], palette: &[[u8; 4]], idx: &[u8]) -> f64 {
    let mut se = 0u64;
    for (p, &i) in rgba.chunks_exact(4).zip(idx) {
        let q = palette[i as usize];
        for k in 0..3 {
            let d = p[k] as i64 - q[k] as i64;
            se += (d * d) as u64;
        }
    }
    let mse = se as f64 / (idx.len() * 3) as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact palette when the render has at most 256 unique colours (lossless). Palette sorted by
    /// luma so neighbouring indices hold similar colours (helps deflate; oxipng does the same).
    fn exact(rgba: &[u8], hist: &HashMap<[u8; 4], u32>) -> Option<(Vec<[u8; 4]>, Vec<u8>)> {
        if hist.len() > 256 {
            return None;
        }
        let mut palette: Vec<[u8; 4]> = hist.keys().copied().collect();
        palette.sort_by_key(|c| (luma(c), *c));
        let pos: HashMap<[u8; 4], u8> = palette
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u8))
            .collect();
        let idx = remap_with(rgba, hist, |c| pos[&c]);
        Some((palette, idx))
    }

    /// Two flat fills with a soft edge between them, like banner text on its background.
    fn two_fills_with_a_soft_edge() -> Vec<u8> {
        let mut rgba = Vec::new();
        for _y in 0..20 {
            for x in 0..256u32 {
                let v = match x {
                    0..=99 => 20,
                    100..=155 => (20 + (x - 100) * 4) as u8,
                    _ => 240,
                };
                rgba.extend_from_slice(&[v, v, 255 - v, 255]);
            }
        }
        rgba
    }

    #[test]
    fn flat_fills_stay_exact_and_edges_merge_within_the_target() {
        let rgba = two_fills_with_a_soft_edge();
        assert_eq!(histogram(&rgba).len(), 56);
        let (palette, indices) = quantise(&rgba);
        assert!(palette.len() < 56, "{} colours", palette.len());
        assert!(palette.contains(&[20, 20, 235, 255]) && palette.contains(&[240, 240, 15, 255]));
        let quality = psnr(&rgba, &palette, &indices);
        assert!(quality >= MIN_PSNR_DB, "{quality} dB");
    }

    #[test]
    fn the_same_pixels_give_the_same_palette() {
        let rgba = two_fills_with_a_soft_edge();
        assert_eq!(quantise(&rgba), quantise(&rgba));
    }

    #[test]
    fn many_colours_still_fit_in_256() {
        let rgba: Vec<u8> = (0..64 * 64u32)
            .flat_map(|i| [(i * 7) as u8, (i * 13) as u8, (i / 16) as u8, 255])
            .collect();
        assert!(histogram(&rgba).len() > 256);
        let (palette, indices) = quantise(&rgba);
        assert!(palette.len() <= 256);
        assert_eq!(indices.len(), 64 * 64);
        assert!(indices.iter().all(|&i| usize::from(i) < palette.len()));
    }

    #[test]
    fn psnr_of_an_exact_copy_is_infinite() {
        let rgba = two_fills_with_a_soft_edge();
        let (palette, indices) = exact(&rgba, &histogram(&rgba)).unwrap();
        assert_eq!(psnr(&rgba, &palette, &indices), f64::INFINITY);
    }
}
