//! Merkle proofs: membership, non-membership, old versions, encoding.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_storage::{ChangeSet, MerkleProof, ProofError, RootHash, Storage};

fn store_with_history() -> (tempfile::TempDir, Storage, RootHash, RootHash) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut v0 = ChangeSet::new();
    for i in 0u8..20 {
        v0.put(vec![b'k', i], vec![b'v', i]);
    }
    let root0 = storage.commit(v0, 0).unwrap();
    let mut v1 = ChangeSet::new();
    v1.put(b"k\x03".to_vec(), b"changed".to_vec());
    v1.delete(b"k\x04".to_vec());
    let root1 = storage.commit(v1, 1).unwrap();
    assert_ne!(root0, root1);
    (dir, storage, root0, root1)
}

#[test]
fn membership_proof_verifies_and_rejects_tampering() {
    let (_dir, storage, root0, root1) = store_with_history();
    let (value, proof) = storage.get_with_proof(b"k\x03", 1).unwrap();
    assert_eq!(value.as_deref(), Some(&b"changed"[..]));
    assert_eq!(storage.root_hash(1).unwrap(), root1);
    proof
        .verify_membership(&root1, b"k\x03", b"changed")
        .unwrap();

    assert!(matches!(
        proof.verify_membership(&root1, b"k\x03", b"tampered"),
        Err(ProofError::Membership { .. })
    ));
    assert!(
        proof
            .verify_membership(&root0, b"k\x03", b"changed")
            .is_err()
    );
    let mut flipped = root1;
    flipped.0[0] ^= 1;
    assert!(
        proof
            .verify_membership(&flipped, b"k\x03", b"changed")
            .is_err()
    );
    assert!(
        proof
            .verify_membership(&root1, b"k\x05", b"changed")
            .is_err()
    );
    // A membership proof is not a non-membership proof.
    assert!(matches!(
        proof.verify_non_membership(&root1, b"k\x03"),
        Err(ProofError::NonMembership { .. })
    ));
}

#[test]
fn non_membership_proof_for_absent_key() {
    let (_dir, storage, _root0, root1) = store_with_history();
    for absent in [&b"nope"[..], b"k\x04"] {
        let (value, proof) = storage.get_with_proof(absent, 1).unwrap();
        assert_eq!(value, None);
        proof.verify_non_membership(&root1, absent).unwrap();
        assert!(
            proof
                .verify_membership(&root1, absent, b"anything")
                .is_err()
        );
    }
    // A non-membership proof for an absent key cannot show a present key absent.
    let (_, proof) = storage.get_with_proof(b"nope", 1).unwrap();
    assert!(proof.verify_non_membership(&root1, b"k\x01").is_err());
    // Nor can a present key's proof.
    let (_, proof) = storage.get_with_proof(b"k\x01", 1).unwrap();
    assert!(proof.verify_non_membership(&root1, b"k\x01").is_err());
}

#[test]
fn proofs_from_older_versions_verify_against_their_root() {
    let (_dir, storage, root0, root1) = store_with_history();
    let (value, proof) = storage.get_with_proof(b"k\x04", 0).unwrap();
    assert_eq!(value.as_deref(), Some(&b"v\x04"[..]));
    proof.verify_membership(&root0, b"k\x04", b"v\x04").unwrap();
    assert!(proof.verify_membership(&root1, b"k\x04", b"v\x04").is_err());

    let (value, proof) = storage.get_with_proof(b"k\x03", 0).unwrap();
    assert_eq!(value.as_deref(), Some(&b"v\x03"[..]));
    proof.verify_membership(&root0, b"k\x03", b"v\x03").unwrap();
}

#[test]
fn proof_bytes_roundtrip_and_garbage_is_rejected() {
    let (_dir, storage, _root0, root1) = store_with_history();
    let (_, proof) = storage.get_with_proof(b"k\x07", 1).unwrap();
    let bytes = proof.to_bytes();
    assert!(!bytes.is_empty());
    let decoded = MerkleProof::from_bytes(&bytes).unwrap();
    assert_eq!(decoded, proof);
    decoded
        .verify_membership(&root1, b"k\x07", b"v\x07")
        .unwrap();

    let json = serde_json::to_string(&proof).unwrap();
    assert_eq!(serde_json::from_str::<MerkleProof>(&json).unwrap(), proof);
    let root_json = serde_json::to_string(&root1).unwrap();
    assert_eq!(serde_json::from_str::<RootHash>(&root_json).unwrap(), root1);

    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(
        MerkleProof::from_bytes(&trailing),
        Err(ProofError::Decode { .. })
    ));
    assert!(MerkleProof::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    assert!(MerkleProof::from_bytes(&[0xff; 7]).is_err());
}

#[test]
fn proofs_on_an_empty_tree() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let root = storage.commit(ChangeSet::new(), 0).unwrap();
    let (value, proof) = storage.get_with_proof(b"anything", 0).unwrap();
    assert_eq!(value, None);
    proof.verify_non_membership(&root, b"anything").unwrap();
    assert!(proof.verify_membership(&root, b"anything", b"x").is_err());
}

#[test]
fn corrupted_proof_bytes_never_panic_or_verify() {
    let (_dir, storage, _root0, root1) = store_with_history();
    for (key, value) in [(&b"k\x07"[..], Some(&b"v\x07"[..])), (b"absent", None)] {
        let (_, proof) = storage.get_with_proof(key, 1).unwrap();
        let bytes = proof.to_bytes();
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= flip;
                let Ok(decoded) = MerkleProof::from_bytes(&bad) else {
                    continue;
                };
                let verified = match value {
                    Some(value) => decoded.verify_membership(&root1, key, value).is_ok(),
                    None => decoded.verify_non_membership(&root1, key).is_ok(),
                };
                assert!(!verified, "byte {i} ^ {flip:#x} still verifies");
            }
        }
    }
}
