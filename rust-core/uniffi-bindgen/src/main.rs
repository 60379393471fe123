//! `cargo run -p uniffi-bindgen -- generate <lib> --language kotlin|swift --out-dir DIR`
//!
//! A workspace binary so the generator always matches the uniffi version the core links.
fn main() {
    uniffi::uniffi_bindgen_main()
}
