//! Unit tests of the module's pure parts (message bounds, keys).

#![allow(clippy::unwrap_used)]

use crate::msg::{BatchTerms, MAX_QUANTITY, RetirementDetails};
use crate::state_key;

#[test]
fn a_batch_whose_last_serial_would_pass_u64_is_refused() {
    let sha = [0u8; 32];
    assert!(BatchTerms::new(1, "p", "u4pruyd", 0, 1, u64::MAX, 2, "ipfs://x", &sha).is_err());
    assert!(BatchTerms::new(1, "p", "u4pruyd", 0, 1, u64::MAX, 1, "ipfs://x", &sha).is_ok());
    assert!(
        BatchTerms::new(
            1,
            "p",
            "u4pruyd",
            0,
            1,
            0,
            MAX_QUANTITY + 1,
            "ipfs://x",
            &sha
        )
        .is_err()
    );
}

#[test]
fn texts_and_geohashes_out_of_bounds_are_refused() {
    let sha = [0u8; 32];
    assert!(BatchTerms::new(1, "p", "u4pruyda", 0, 1, 1, 1, "x", &sha).is_err());
    assert!(BatchTerms::new(1, "p", "", 0, 1, 1, 1, "x", &sha).is_err());
    assert!(BatchTerms::new(1, "p", "u4pruydqqvjx1", 0, 1, 1, 1, "x", &sha).is_err());
    assert!(BatchTerms::new(1, "p", "u4", 2, 1, 1, 1, "x", &sha).is_err());
    assert!(BatchTerms::new(1, "p", "u4", 0, 1, 1, 1, "x", &sha[..31]).is_err());
    assert!(RetirementDetails::new(" ", "r", "DE").is_err());
    assert!(RetirementDetails::new(&"b".repeat(129), "r", "DE").is_err());
    assert!(RetirementDetails::new("b", "r\n", "DE").is_err());
    assert!(RetirementDetails::new("ACME GmbH", "2026 scope 2", "DE").is_ok());
}

#[test]
fn index_keys_end_in_the_retirement_id() {
    let k = state_key::retirement_by_beneficiary("ACME", 42);
    assert_eq!(state_key::parse_index_id(&k), Some(42));
    assert_ne!(
        state_key::retirements_of_beneficiary("ab"),
        state_key::retirements_of_beneficiary("a")
    );
}
