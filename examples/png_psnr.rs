//! PSNR (dB, over R, G, B) of a PNG against a reference PNG of the same size, for the
//! banner benchmark: `cargo run --release --example png_psnr -- reference.png other.png`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [reference, other] = args.as_slice() else {
        eprintln!("usage: png_psnr REFERENCE.png OTHER.png");
        std::process::exit(2);
    };
    let load = |path: &str| match image::open(path) {
        Ok(image) => image.into_rgb8(),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let (a, b) = (load(reference), load(other));
    if a.dimensions() != b.dimensions() {
        eprintln!("{reference} and {other} differ in size");
        std::process::exit(2);
    }
    let squared: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (i64::from(x) - i64::from(y)).pow(2) as u64)
        .sum();
    let mse = squared as f64 / a.as_raw().len() as f64;
    if mse == 0.0 {
        println!("inf");
    } else {
        println!("{:.2}", 10.0 * (255.0f64 * 255.0 / mse).log10());
    }
}
