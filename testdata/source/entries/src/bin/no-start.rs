//! A bin of a Lambda crate that starts no runtime and has no handler signature.
fn main() {
    println!("migrate");
}
