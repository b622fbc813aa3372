//! Keyring behaviour through the public API: storage, naming, encryption at
//! rest, tamper detection, mnemonic recovery and export/import.

// Test code: a failed step should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{fs, path::Path};

use fructus_crypto::{Address, KeyAlgo};
use fructus_keyring::{
    KdfParams, KeyInfo, Keyring, KeyringBackend, KeyringError, derive_ed25519_from_mnemonic,
};
use tempfile::TempDir;

/// Cheap argon2 settings so most file-backend tests stay fast; one test
/// below uses the real [`KdfParams::RECOMMENDED`].
const FAST: KdfParams = KdfParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

/// BIP-39 mnemonic of 32 zero bytes of entropy.
const FIXED_MNEMONIC: &str = "abandon abandon abandon abandon abandon abandon abandon abandon \
     abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon \
     abandon abandon abandon abandon art";

/// The address [`FIXED_MNEMONIC`] derives to along m/44'/7777'/0'/0'/0'.
/// If this changes, every user's mnemonic recovers a different account.
const FIXED_ADDRESS: &str = "fx1nu86wg3ekfydzugyjd30x5lhm38ams0wquvhnp";
/// The ed25519 public key of [`FIXED_MNEMONIC`] (cross-checked against an
/// independent BIP-39 + SLIP-10 computation).
const FIXED_PUBKEY: &str = "0c91955146a34901a03ae738778f3ea13cb9d272643622f4d8343ac463cac33a";

fn test_ring(home: &TempDir) -> Keyring {
    Keyring::open(home.path(), KeyringBackend::Test).unwrap()
}

fn file_ring(home: &TempDir) -> Keyring {
    Keyring::open(home.path(), KeyringBackend::File)
        .unwrap()
        .with_kdf_params(FAST)
        .unwrap()
}

fn key_path(home: &TempDir, backend: &str, name: &str) -> std::path::PathBuf {
    home.path()
        .join(format!("keyring-{backend}"))
        .join(format!("{name}.json"))
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut value);
    fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

#[test]
fn add_show_list_delete() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    assert!(ring.list().unwrap().is_empty());

    let (bob, bob_mnemonic) = ring.add("bob", KeyAlgo::Ed25519, None).unwrap();
    let (alice, _) = ring.add("alice", KeyAlgo::P256, None).unwrap();
    assert_eq!(bob.name, "bob");
    assert_eq!(bob.algo, KeyAlgo::Ed25519);
    assert_eq!(bob.address, bob.pubkey.address());
    assert_eq!(bob_mnemonic.unwrap().split(' ').count(), 24);

    assert_eq!(ring.show("bob").unwrap(), bob);
    let listed: Vec<KeyInfo> = ring.list().unwrap();
    assert_eq!(listed, vec![alice.clone(), bob.clone()], "sorted by name");

    assert_eq!(ring.delete("bob").unwrap(), bob);
    assert_eq!(ring.list().unwrap(), vec![alice]);
    assert!(matches!(
        ring.show("bob"),
        Err(KeyringError::KeyNotFound { .. })
    ));
    assert!(matches!(
        ring.delete("bob"),
        Err(KeyringError::KeyNotFound { .. })
    ));
}

#[test]
fn key_info_json_has_the_documented_shape() {
    let home = TempDir::new().unwrap();
    let info = test_ring(&home)
        .recover("alice", FIXED_MNEMONIC, None)
        .unwrap();
    let json = serde_json::to_value(&info).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "name": "alice",
            "algo": "ed25519",
            "address": info.address.to_string(),
            "pubkey": info.pubkey.to_hex(),
        })
    );
    assert_eq!(
        serde_json::from_value::<KeyInfo>(json.clone()).unwrap(),
        info
    );
    // Reading it back checks the address against the key.
    let mut wrong = json;
    wrong["address"] = Address::module("bank").to_string().into();
    assert!(serde_json::from_value::<KeyInfo>(wrong).is_err());
}

#[test]
fn duplicate_name_is_refused_and_the_first_key_kept() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let (first, _) = ring.add("alice", KeyAlgo::Ed25519, None).unwrap();
    for result in [
        ring.add("alice", KeyAlgo::P256, None).map(|(i, _)| i),
        ring.recover("alice", FIXED_MNEMONIC, None),
        ring.import_secret("alice", KeyAlgo::Ed25519, &[1; 32], None),
    ] {
        assert!(
            matches!(result, Err(KeyringError::KeyExists { ref name, .. }) if name == "alice"),
            "{result:?}"
        );
    }
    assert_eq!(ring.show("alice").unwrap(), first);
}

#[test]
fn bad_names_are_refused_before_touching_disk() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let long = "x".repeat(65);
    for name in ["", "..", "../evil", "a/b", "with space", "é", long.as_str()] {
        assert!(
            matches!(
                ring.add(name, KeyAlgo::Ed25519, None),
                Err(KeyringError::InvalidName { .. })
            ),
            "{name:?}"
        );
        assert!(matches!(
            ring.show(name),
            Err(KeyringError::InvalidName { .. })
        ));
    }
    assert!(!home.path().join("keyring-test").exists());
    assert!(!home.path().join("evil.json").exists());
    ring.add(&"x".repeat(64), KeyAlgo::Ed25519, None).unwrap();
    ring.add("A.b_c-9", KeyAlgo::Ed25519, None).unwrap();
}

#[test]
fn unknown_key_error_points_to_keys_list() {
    let home = TempDir::new().unwrap();
    let err = test_ring(&home).signing_key("nobody", None).unwrap_err();
    assert!(
        matches!(err, KeyringError::KeyNotFound { ref name, home: ref searched, backend }
            if name == "nobody" && searched == home.path() && backend == KeyringBackend::Test),
        "{err:?}"
    );
    assert!(err.to_string().contains("fructus keys list"), "{err}");
}

/// The one test that pays for the real argon2 parameters.
#[test]
fn file_backend_encrypts_at_rest_with_the_recommended_params() {
    let home = TempDir::new().unwrap();
    let ring = Keyring::open(home.path(), KeyringBackend::File).unwrap();
    let secret = [7u8; 32];
    let info = ring
        .import_secret("alice", KeyAlgo::P256, &secret, Some("correct horse"))
        .unwrap();

    let path = key_path(&home, "file", "alice");
    let text = fs::read_to_string(&path).unwrap();
    assert!(!text.contains(&hex::encode(secret)), "secret hex on disk");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["kdf"]["algorithm"], "argon2id");
    // RFC 9106: at least 64 MiB and 3 passes, recorded in the file.
    assert_eq!(json["kdf"]["m_cost_kib"], 64 * 1024);
    assert_eq!(json["kdf"]["t_cost"], 3);
    assert_eq!(json["kdf"]["salt"].as_str().unwrap().len(), 32);
    assert_eq!(json["cipher"]["algorithm"], "xchacha20poly1305");
    assert_eq!(json["cipher"]["nonce"].as_str().unwrap().len(), 48);
    assert_eq!(json["pubkey"], info.pubkey.to_hex());

    assert!(matches!(
        ring.signing_key("alice", Some("wrong horse")),
        Err(KeyringError::WrongPassphrase { ref name }) if name == "alice"
    ));
    assert!(matches!(
        ring.signing_key("alice", None),
        Err(KeyringError::PassphraseRequired { .. })
    ));
    let key = ring.signing_key("alice", Some("correct horse")).unwrap();
    assert_eq!(*key.secret_bytes(), secret);
    // show and list need no passphrase
    assert_eq!(ring.show("alice").unwrap(), info);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&home.path().join("keyring-file")), 0o700);
    }
}

#[test]
fn file_backend_requires_a_passphrase_to_store() {
    let home = TempDir::new().unwrap();
    let ring = file_ring(&home);
    for pass in [None, Some("")] {
        assert!(matches!(
            ring.add("alice", KeyAlgo::Ed25519, pass),
            Err(KeyringError::PassphraseRequired { .. })
        ));
    }
    assert!(ring.list().unwrap().is_empty());
}

#[test]
fn tampered_ciphertext_is_refused_as_corrupt() {
    let home = TempDir::new().unwrap();
    let ring = file_ring(&home);
    ring.add("alice", KeyAlgo::Ed25519, Some("pw")).unwrap();
    edit_json(&key_path(&home, "file", "alice"), |v| {
        let ct = v["cipher"]["ciphertext"].as_str().unwrap();
        let flipped = if ct.starts_with('0') { "1" } else { "0" };
        v["cipher"]["ciphertext"] = format!("{flipped}{}", &ct[1..]).into();
    });
    let err = ring.signing_key("alice", Some("pw")).unwrap_err();
    assert!(
        matches!(err, KeyringError::CorruptKeyFile { .. }),
        "{err:?}"
    );
}

#[test]
fn swapped_pubkey_is_refused_in_both_backends() {
    for backend in ["file", "test"] {
        let home = TempDir::new().unwrap();
        let ring = if backend == "file" {
            file_ring(&home)
        } else {
            test_ring(&home)
        };
        let pass = (backend == "file").then_some("pw");
        ring.add("alice", KeyAlgo::Ed25519, pass).unwrap();
        let (bob, _) = ring.add("bob", KeyAlgo::Ed25519, pass).unwrap();
        // A consistent swap: bob's pubkey and address on alice's secret.
        edit_json(&key_path(&home, backend, "alice"), |v| {
            v["pubkey"] = bob.pubkey.to_hex().into();
            v["address"] = bob.address.to_string().into();
        });
        let err = ring.signing_key("alice", pass).unwrap_err();
        assert!(
            matches!(err, KeyringError::CorruptKeyFile { .. }),
            "{backend}: {err:?}"
        );
    }
}

#[test]
fn address_not_matching_pubkey_is_refused_even_by_show() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    ring.add("alice", KeyAlgo::Ed25519, None).unwrap();
    let (bob, _) = ring.add("bob", KeyAlgo::Ed25519, None).unwrap();
    edit_json(&key_path(&home, "test", "alice"), |v| {
        v["address"] = bob.address.to_string().into();
    });
    assert!(matches!(
        ring.show("alice"),
        Err(KeyringError::CorruptKeyFile { .. })
    ));
    assert!(matches!(
        ring.list(),
        Err(KeyringError::CorruptKeyFile { .. })
    ));
}

#[test]
fn test_backend_round_trip_is_marked_unencrypted() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let (info, _) = ring.add("alice", KeyAlgo::Ed25519, None).unwrap();
    let key = ring.signing_key("alice", None).unwrap();
    assert_eq!(key.public_key(), info.pubkey);
    let sig = key.sign(b"msg");
    info.pubkey.verify(b"msg", &sig).unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(key_path(&home, "test", "alice")).unwrap())
            .unwrap();
    assert_eq!(json["warning"], "unencrypted test keyring");
    assert_eq!(json["secret"], hex::encode(*key.secret_bytes()));
    // The test keyring is a different directory from the file keyring.
    assert!(
        Keyring::open(home.path(), KeyringBackend::File)
            .unwrap()
            .list()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn recover_from_a_fixed_mnemonic_gives_the_pinned_key_every_time() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let first = ring.recover("one", FIXED_MNEMONIC, None).unwrap();
    let second = ring.recover("two", FIXED_MNEMONIC, None).unwrap();
    assert_eq!(first.algo, KeyAlgo::Ed25519);
    assert_eq!(first.address.to_string(), FIXED_ADDRESS);
    assert_eq!(first.pubkey.to_hex(), FIXED_PUBKEY);
    assert_eq!(second.address, first.address);
    assert_eq!(
        derive_ed25519_from_mnemonic(FIXED_MNEMONIC)
            .unwrap()
            .public_key(),
        first.pubkey
    );
    assert!(matches!(
        ring.recover("three", "abandon abandon abandon", None),
        Err(KeyringError::InvalidMnemonic { .. })
    ));
}

#[test]
fn the_mnemonic_returned_by_add_recovers_the_same_key() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let (info, mnemonic) = ring.add("alice", KeyAlgo::Ed25519, None).unwrap();
    let recovered = ring.recover("again", &mnemonic.unwrap(), None).unwrap();
    assert_eq!(recovered.address, info.address);
}

#[test]
fn p256_keys_have_no_mnemonic_and_sign_verifiably() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let (info, mnemonic) = ring.add("device", KeyAlgo::P256, None).unwrap();
    assert!(mnemonic.is_none());
    assert_eq!(info.algo, KeyAlgo::P256);
    assert_eq!(info.pubkey.to_bytes().len(), 33);
    let key = ring.signing_key("device", None).unwrap();
    let sig = key.sign(b"reading #1");
    info.pubkey.verify(b"reading #1", &sig).unwrap();
    assert!(info.pubkey.verify(b"reading #2", &sig).is_err());
}

#[test]
fn armor_round_trips_into_another_home() {
    let home_a = TempDir::new().unwrap();
    let home_b = TempDir::new().unwrap();
    let ring_a = file_ring(&home_a);
    let ring_b = file_ring(&home_b);
    let (info, _) = ring_a.add("alice", KeyAlgo::Ed25519, Some("pw")).unwrap();

    let armor = ring_a.export_armor("alice", "pw").unwrap();
    let secret = ring_a.export_secret_hex("alice", Some("pw")).unwrap();
    assert!(!armor.contains(secret.as_str()));
    assert!(matches!(
        ring_a.export_armor("alice", "nope"),
        Err(KeyringError::WrongPassphrase { .. })
    ));

    assert!(matches!(
        ring_b.import_armor("alice2", &armor, "nope"),
        Err(KeyringError::WrongPassphrase { .. })
    ));
    let imported = ring_b.import_armor("alice2", &armor, "pw").unwrap();
    assert_eq!(imported.address, info.address);
    assert_eq!(imported.name, "alice2");
    assert_eq!(
        ring_b
            .signing_key("alice2", Some("pw"))
            .unwrap()
            .public_key(),
        info.pubkey
    );

    // Into a test keyring too (the armor passphrase only decrypts there).
    let home_c = TempDir::new().unwrap();
    let imported = test_ring(&home_c)
        .import_armor("alice", &armor, "pw")
        .unwrap();
    assert_eq!(imported.address, info.address);

    // An altered armor is refused.
    let mut value: serde_json::Value = serde_json::from_str(&armor).unwrap();
    value["name"] = "mallory".into();
    let err = ring_b
        .import_armor("m", &value.to_string(), "pw")
        .unwrap_err();
    assert!(matches!(err, KeyringError::InvalidArmor { .. }), "{err:?}");
    assert!(matches!(
        ring_b.import_armor("m", "{}", "pw"),
        Err(KeyringError::InvalidArmor { .. })
    ));
}

#[test]
fn test_backend_exports_need_a_passphrase_and_import_back() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let (info, _) = ring.add("alice", KeyAlgo::P256, None).unwrap();
    assert!(matches!(
        ring.export_armor("alice", ""),
        Err(KeyringError::PassphraseRequired { .. })
    ));
    let armor = ring.export_armor("alice", "pw").unwrap();
    let back = ring.import_armor("copy", &armor, "pw").unwrap();
    assert_eq!(back.address, info.address);
}

#[test]
fn secret_hex_import_checks_its_input() {
    let home = TempDir::new().unwrap();
    let ring = test_ring(&home);
    let hex32 = "11".repeat(32);
    let info = ring
        .import_secret_hex("a", KeyAlgo::Ed25519, &format!(" {hex32}\n"), None)
        .unwrap();
    assert_eq!(*ring.export_secret_hex("a", None).unwrap(), hex32);
    assert_eq!(ring.show("a").unwrap(), info);
    for bad in ["11", "zz".repeat(32).as_str(), &"11".repeat(33)] {
        assert!(matches!(
            ring.import_secret_hex("b", KeyAlgo::Ed25519, bad, None),
            Err(KeyringError::InvalidSecretHex { .. })
        ));
    }
    assert!(matches!(
        ring.import_secret("b", KeyAlgo::P256, &[0; 32], None),
        Err(KeyringError::InvalidSecret { .. })
    ));
}
