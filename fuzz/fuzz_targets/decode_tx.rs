//! Fuzz target: untrusted transaction bytes through decoding and every
//! stateless check (message parsing, limits, gas, fee, signature). Must never
//! panic. Run: `cargo +nightly fuzz run decode_tx` (see README).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let params = fructus_auth::AuthParams::default();
    let _ = fructus_types::tx::DecodedTx::decode(data, usize::MAX);
    if let Ok(parsed) = fructus_app::pipeline::stateless::check(data, "fructus-fuzz", &params) {
        let _ =
            fructus_app::pipeline::stateless::verify_signatures(vec![Ok(parsed)], "fructus-fuzz");
    }
});
