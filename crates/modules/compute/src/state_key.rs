//! Every storage key of the compute module is built here and nowhere else.
//! Ids, windows and times are 8-byte big-endian so prefix scans return them
//! in numeric order.

use fructus_types::Address;

const PARAMS: &[u8] = b"compute/params";
const EPOCH: &[u8] = b"compute/epoch";
const NEXT_ORDER: &[u8] = b"compute/next_order";
const PROVIDER: &[u8] = b"compute/provider/";
const CAPACITY: &[u8] = b"compute/capacity/";
const ORDER: &[u8] = b"compute/order/";
const RECEIPT: &[u8] = b"compute/receipt/";
const BY_BUYER: &[u8] = b"compute/by_buyer/";
const BY_PROVIDER: &[u8] = b"compute/by_provider/";
const BY_STATUS: &[u8] = b"compute/by_status/";
const LIVENESS: &[u8] = b"compute/liveness/";
const DUE: &[u8] = b"compute/due/";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `compute/params` → `ComputeParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}

/// `compute/epoch` → `Epoch` (genesis time and window length).
pub fn epoch() -> Vec<u8> {
    EPOCH.to_vec()
}

/// `compute/next_order` → `u64`, the next order id (from 1).
pub fn next_order() -> Vec<u8> {
    NEXT_ORDER.to_vec()
}

/// `compute/provider/<asset>` → `Provider`.
pub fn provider(asset_id: u64) -> Vec<u8> {
    join(&[PROVIDER, &asset_id.to_be_bytes()])
}

/// Prefix of every provider.
pub fn all_providers() -> Vec<u8> {
    PROVIDER.to_vec()
}

/// `compute/capacity/<asset><window>` → `Capacity`.
pub fn capacity(asset_id: u64, window: u64) -> Vec<u8> {
    join(&[CAPACITY, &asset_id.to_be_bytes(), &window.to_be_bytes()])
}

/// Prefix of one provider's windows.
pub fn capacity_of(asset_id: u64) -> Vec<u8> {
    join(&[CAPACITY, &asset_id.to_be_bytes()])
}

/// `compute/order/<id>` → `Order`.
pub fn order(id: u64) -> Vec<u8> {
    join(&[ORDER, &id.to_be_bytes()])
}

/// Prefix of every order.
pub fn all_orders() -> Vec<u8> {
    ORDER.to_vec()
}

/// `compute/receipt/<order id>` → `Receipt`.
pub fn receipt(order_id: u64) -> Vec<u8> {
    join(&[RECEIPT, &order_id.to_be_bytes()])
}

/// Prefix of every receipt.
pub fn all_receipts() -> Vec<u8> {
    RECEIPT.to_vec()
}

/// `compute/by_buyer/<address><id>` → `()`.
pub fn by_buyer(buyer: &Address, id: u64) -> Vec<u8> {
    join(&[BY_BUYER, buyer.as_bytes(), &id.to_be_bytes()])
}

/// Prefix of one buyer's orders.
pub fn by_buyer_prefix(buyer: &Address) -> Vec<u8> {
    join(&[BY_BUYER, buyer.as_bytes()])
}

/// `compute/by_provider/<asset><id>` → `()`.
pub fn by_provider(asset_id: u64, id: u64) -> Vec<u8> {
    join(&[BY_PROVIDER, &asset_id.to_be_bytes(), &id.to_be_bytes()])
}

/// Prefix of one provider's orders.
pub fn by_provider_prefix(asset_id: u64) -> Vec<u8> {
    join(&[BY_PROVIDER, &asset_id.to_be_bytes()])
}

/// `compute/by_status/<status><id>` → `()`.
pub fn by_status(status: u8, id: u64) -> Vec<u8> {
    join(&[BY_STATUS, &[status], &id.to_be_bytes()])
}

/// Prefix of the orders of one status.
pub fn by_status_prefix(status: u8) -> Vec<u8> {
    join(&[BY_STATUS, &[status]])
}

/// `compute/liveness/<offline at ms><asset>` → `()`: when each online
/// provider goes offline without another heartbeat, earliest first.
pub fn liveness(offline_at_ms: u64, asset_id: u64) -> Vec<u8> {
    join(&[
        LIVENESS,
        &offline_at_ms.to_be_bytes(),
        &asset_id.to_be_bytes(),
    ])
}

/// Prefix of the liveness queue.
pub fn liveness_queue() -> Vec<u8> {
    LIVENESS.to_vec()
}

/// `compute/due/<ms><order id>` → `()`: when each order must be settled
/// (deadline, challenge lapse, grace end), earliest first.
pub fn due(ms: u64, order_id: u64) -> Vec<u8> {
    join(&[DUE, &ms.to_be_bytes(), &order_id.to_be_bytes()])
}

/// Prefix of the settlement queue.
pub fn due_queue() -> Vec<u8> {
    DUE.to_vec()
}

/// Splits a queue key (`liveness` or `due`) after `prefix` into (ms, id).
pub fn parse_queue(prefix: &[u8], key: &[u8]) -> Option<(u64, u64)> {
    let rest = key.strip_prefix(prefix)?;
    let (ms, id) = rest.split_at_checked(8)?;
    Some((
        u64::from_be_bytes(ms.try_into().ok()?),
        u64::from_be_bytes(id.try_into().ok()?),
    ))
}

/// The id at the end of an index key (`by_buyer`, `by_provider`,
/// `by_status`).
pub fn parse_trailing_id(prefix: &[u8], key: &[u8]) -> Option<u64> {
    let rest = key.strip_prefix(prefix)?;
    Some(u64::from_be_bytes(rest.try_into().ok()?))
}
