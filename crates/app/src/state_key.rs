//! Storage keys owned by the app itself (not by a module).

/// `app/chain_id` → `String`, written at genesis.
pub fn chain_id() -> Vec<u8> {
    b"app/chain_id".to_vec()
}

/// `app/genesis_time` → `BlockTime`.
pub fn genesis_time() -> Vec<u8> {
    b"app/genesis_time".to_vec()
}

/// `app/last_block` → `(height, BlockTime)` of the last executed block.
pub fn last_block() -> Vec<u8> {
    b"app/last_block".to_vec()
}
