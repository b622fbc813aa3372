//! `fructus-light` verifies the proofs the node's storage produces, and
//! refuses every kind of wrong answer with its own error.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_light::{ProofError, RootHash, StateProof};
use fructus_storage::{ChangeSet, Storage};

/// A store with 40 keys at version 0, then one changed and one deleted at
/// version 1. Returns the roots of both versions.
fn store() -> (tempfile::TempDir, Storage, RootHash, RootHash) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut v0 = ChangeSet::new();
    for i in 0u8..40 {
        v0.put(vec![b'k', i], vec![b'v', i]);
    }
    let root0 = storage.commit(v0, 0).unwrap();
    let mut v1 = ChangeSet::new();
    v1.put(b"k\x03".to_vec(), b"changed".to_vec());
    v1.delete(b"k\x04".to_vec());
    let root1 = storage.commit(v1, 1).unwrap();
    (dir, storage, RootHash(root0.0), RootHash(root1.0))
}

/// The proof for `key` at `version` as the node serves it, decoded here.
fn served(storage: &Storage, key: &[u8], version: u64) -> (Option<Vec<u8>>, Vec<u8>) {
    let (value, proof) = storage.get_with_proof(key, version).unwrap();
    (value, proof.to_bytes())
}

#[test]
fn inclusion_proofs_from_storage_verify() {
    let (_dir, storage, root0, root1) = store();
    for i in 0u8..40 {
        let key = [b'k', i];
        let (value, bytes) = served(&storage, &key, 0);
        let proof = StateProof::decode(&bytes).unwrap();
        assert_eq!(
            proof.verify_membership(&root0, &key, &value.unwrap()),
            Ok(())
        );
    }
    let (value, bytes) = served(&storage, b"k\x03", 1);
    assert_eq!(value.as_deref(), Some(&b"changed"[..]));
    let proof = StateProof::decode(&bytes).unwrap();
    assert_eq!(
        proof.verify_membership(&root1, b"k\x03", b"changed"),
        Ok(())
    );
}

#[test]
fn exclusion_proofs_from_storage_verify() {
    let (_dir, storage, _root0, root1) = store();
    // A deleted key, and keys never written (some end at a leaf on their
    // path, some at an empty subtree).
    let mut absent: Vec<Vec<u8>> = vec![b"k\x04".to_vec()];
    absent.extend((0u8..40).map(|i| vec![b'x', i]));
    for key in absent {
        let (value, bytes) = served(&storage, &key, 1);
        assert_eq!(value, None);
        let proof = StateProof::decode(&bytes).unwrap();
        assert_eq!(proof.verify_non_membership(&root1, &key), Ok(()));
        assert!(proof.verify_membership(&root1, &key, b"v").is_err());
    }
}

#[test]
fn a_wrong_value_is_refused() {
    let (_dir, storage, _root0, root1) = store();
    let (_, bytes) = served(&storage, b"k\x03", 1);
    let proof = StateProof::decode(&bytes).unwrap();
    assert!(matches!(
        proof.verify_membership(&root1, b"k\x03", b"v\x03"),
        Err(ProofError::ValueMismatch { .. })
    ));
    assert!(matches!(
        proof.verify_non_membership(&root1, b"k\x03"),
        Err(ProofError::KeyPresent { .. })
    ));
}

#[test]
fn a_proof_for_another_key_is_refused() {
    let (_dir, storage, _root0, root1) = store();
    let (_, bytes) = served(&storage, b"k\x05", 1);
    let proof = StateProof::decode(&bytes).unwrap();
    assert!(matches!(
        proof.verify_membership(&root1, b"k\x06", b"v\x05"),
        Err(ProofError::KeyMismatch { .. })
    ));
    // Nor does a present key's proof show another key absent unless that
    // key's path really ends at this leaf.
    let refused = (0u8..40)
        .map(|i| proof.verify_non_membership(&root1, &[b'y', i]))
        .filter(|r| matches!(r, Err(ProofError::LeafOffPath { .. })))
        .count();
    assert!(refused > 0, "no key off the leaf's path was tried");
}

#[test]
fn a_tampered_sibling_is_refused() {
    let (_dir, storage, _root0, root1) = store();
    let (_, bytes) = served(&storage, b"k\x07", 1);
    // Leaf option (1 + 64 bytes) and the u32 count, then the first sibling:
    // flip a byte inside it (or its tag when it is an empty subtree).
    let first_sibling = 1 + 64 + 4;
    assert!(bytes.len() > first_sibling, "proof has no siblings");
    for offset in first_sibling..bytes.len() {
        let mut tampered = bytes.clone();
        tampered[offset] ^= 0x01;
        match StateProof::decode(&tampered) {
            // A changed tag may make the rest unreadable; that is refused too.
            Err(_) => {}
            Ok(proof) => assert!(
                proof.verify_membership(&root1, b"k\x07", b"v\x07").is_err(),
                "flipping byte {offset} went unnoticed"
            ),
        }
    }
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x01;
    let proof = StateProof::decode(&tampered).unwrap();
    assert!(matches!(
        proof.verify_membership(&root1, b"k\x07", b"v\x07"),
        Err(ProofError::RootMismatch { .. })
    ));
}

#[test]
fn a_wrong_root_is_refused() {
    let (_dir, storage, root0, root1) = store();
    let (_, bytes) = served(&storage, b"k\x03", 1);
    let proof = StateProof::decode(&bytes).unwrap();
    assert!(matches!(
        proof.verify_membership(&root0, b"k\x03", b"changed"),
        Err(ProofError::RootMismatch { .. })
    ));
    let mut flipped = root1;
    flipped.0[31] ^= 0x80;
    assert!(matches!(
        proof.verify_membership(&flipped, b"k\x03", b"changed"),
        Err(ProofError::RootMismatch { .. })
    ));
}

#[test]
fn a_truncated_or_padded_proof_is_refused() {
    let (_dir, storage, _root0, _root1) = store();
    let (_, bytes) = served(&storage, b"k\x09", 1);
    for len in 0..bytes.len() {
        assert!(
            matches!(
                StateProof::decode(&bytes[..len]),
                Err(ProofError::Truncated { .. })
            ),
            "a proof cut to {len} bytes decoded"
        );
    }
    let mut padded = bytes.clone();
    padded.push(0);
    assert_eq!(
        StateProof::decode(&padded),
        Err(ProofError::TrailingBytes { extra: 1 })
    );
    let mut bad_tag = bytes;
    bad_tag[0] = 7;
    assert!(matches!(
        StateProof::decode(&bad_tag),
        Err(ProofError::BadTag { offset: 0, .. })
    ));
}

#[test]
fn dropping_a_sibling_is_refused() {
    let (_dir, storage, _root0, root1) = store();
    let (_, bytes) = served(&storage, b"k\x0a", 1);
    // Rewrite the count one lower and drop the top sibling (the last one).
    let proof = StateProof::decode(&bytes).unwrap();
    let count = u32::from_le_bytes(bytes[65..69].try_into().unwrap());
    assert!(count > 0);
    let mut shorter = bytes[..65].to_vec();
    shorter.extend_from_slice(&(count - 1).to_le_bytes());
    let mut reader = 69;
    let mut kept = Vec::new();
    for _ in 0..count - 1 {
        let len = match bytes[reader] {
            0 => 1,
            _ => 65,
        };
        kept.extend_from_slice(&bytes[reader..reader + len]);
        reader += len;
    }
    shorter.extend_from_slice(&kept);
    let shorter = StateProof::decode(&shorter).unwrap();
    assert_ne!(shorter, proof);
    assert!(matches!(
        shorter.verify_membership(&root1, b"k\x0a", b"v\x0a"),
        Err(ProofError::RootMismatch { .. })
    ));
}
