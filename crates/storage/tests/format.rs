//! The store records the layout of its records and refuses one it does
//! not read, instead of misreading it (a home written by another release).

#![allow(clippy::unwrap_used, clippy::panic)]

use fructus_storage::{ChangeSet, DB_FILE_NAME, StateRead, Storage, StorageError};
use redb::{ReadableDatabase, TableDefinition};

const META: TableDefinition<'static, &'static str, u64> = TableDefinition::new("meta");

fn committed_store(dir: &std::path::Path) {
    let storage = Storage::open(dir).unwrap();
    let mut c = ChangeSet::new();
    c.put(b"k".to_vec(), b"v".to_vec());
    storage.commit(c, 0).unwrap();
}

/// Sets (or, with `None`, removes) the store's format entry directly.
fn set_format(dir: &std::path::Path, format: Option<u64>) {
    let db = redb::Database::open(dir.join(DB_FILE_NAME)).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut meta = txn.open_table(META).unwrap();
        match format {
            Some(f) => meta.insert("store_format", f).map(drop),
            None => meta.remove("store_format").map(drop),
        }
        .unwrap();
    }
    txn.commit().unwrap();
}

fn format_of(dir: &std::path::Path) -> Option<u64> {
    let db = redb::Database::open(dir.join(DB_FILE_NAME)).unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn.open_table(META).unwrap();
    meta.get("store_format").unwrap().map(|g| g.value())
}

#[test]
fn a_new_store_records_its_format_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    committed_store(dir.path());
    assert_eq!(format_of(dir.path()), Some(2));
    let storage = Storage::open(dir.path()).unwrap();
    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.get_raw(b"k").unwrap(), Some(b"v".to_vec()));
    let (value, proof) = storage.get_with_proof(b"k", 0).unwrap();
    assert_eq!(value, Some(b"v".to_vec()));
    proof
        .verify_membership(&storage.root_hash(0).unwrap(), b"k", b"v")
        .unwrap();
}

#[test]
fn a_store_of_another_format_is_refused_with_what_to_do() {
    for (format, found) in [(None, 1), (Some(3), 3)] {
        let dir = tempfile::tempdir().unwrap();
        committed_store(dir.path());
        set_format(dir.path(), format);
        let Err(err) = Storage::open(dir.path()) else {
            panic!("a store in format {found} was opened");
        };
        assert!(
            matches!(err, StorageError::IncompatibleFormat { found: f, expected: 2 } if f == found),
            "{err}"
        );
        let message = err.to_string();
        assert!(message.contains("another release"), "{message}");
        assert!(message.contains("--reset"), "{message}");
        // Refusing changed nothing: the entry is as it was.
        assert_eq!(format_of(dir.path()), format);
    }
}
