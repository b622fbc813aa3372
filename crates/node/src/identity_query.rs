//! `GET /v1/identity/…`: the identity module's queries (an account's tier
//! and attestations, the regulators that records are sealed to, stored
//! regulator-only records), answered from a state snapshot as JSON.

use std::collections::BTreeMap;

use fructus_crypto::Address;
use fructus_identity::{IdentityError, IdentityStateReadExt, records::SealedRecord};
use fructus_rpc::ApiError;
use fructus_storage::Snapshot;
use fructus_types::{BlockHeight, BlockTime};

use crate::query_args::{address, id, json, limit};

fn internal(e: IdentityError) -> ApiError {
    ApiError::new(500, "identity", 1, e.to_string())
}

fn record_id(raw: &str) -> Result<u64, ApiError> {
    id(raw, "a record id")
}

/// A stored record as served: the sealed content plus where it came from.
/// The ciphertext and wrapped keys are hex; `fructus records decrypt`
/// fetches the raw bytes with a Merkle proof instead.
#[derive(serde::Serialize)]
struct RecordView<'a> {
    id: u64,
    submitter: Address,
    height: u64,
    time_ms: u64,
    #[serde(flatten)]
    sealed: &'a SealedRecord,
}

fn record_view(r: &fructus_identity::Record) -> Result<serde_json::Value, ApiError> {
    json(&RecordView {
        id: r.id,
        submitter: r.submitter,
        height: r.height,
        time_ms: r.time.0,
        sealed: &r.sealed,
    })
}

/// A regulator and the X25519 key records are sealed to (if registered).
#[derive(serde::Serialize)]
struct RegulatorView {
    address: Address,
    encryption_key: Option<String>,
}

/// Answers one identity query at (`height`, `time`); `path` holds the
/// segments after the module name.
pub(crate) fn query(
    state: &Snapshot,
    path: &[String],
    params: &BTreeMap<String, String>,
    height: BlockHeight,
    time: BlockTime,
) -> Result<serde_json::Value, ApiError> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["account", who] => json(
            &fructus_identity::query::account_identity(state, &address(who)?, height, time)
                .map_err(internal)?,
        ),
        ["regulators"] => {
            let mut out = Vec::new();
            for regulator in state.regulators().map_err(internal)? {
                out.push(RegulatorView {
                    address: regulator,
                    encryption_key: state
                        .encryption_key(&regulator)
                        .map_err(internal)?
                        .map(hex::encode),
                });
            }
            json(&out)
        }
        ["records", id] => {
            let id = record_id(id)?;
            match state.record(id).map_err(internal)? {
                Some(r) => record_view(&r),
                None => Err(ApiError::not_found(format!("no record {id}"))),
            }
        }
        ["records_of", who] => {
            let start_after = params
                .get("start_after")
                .filter(|s| !s.is_empty())
                .map(|s| record_id(s))
                .transpose()?;
            let records = state
                .records_of(&address(who)?, start_after, limit(params)?)
                .map_err(internal)?;
            Ok(serde_json::Value::Array(
                records.iter().map(record_view).collect::<Result<_, _>>()?,
            ))
        }
        _ => Err(ApiError::not_found(format!(
            "this node serves no identity query {path:?}"
        ))),
    }
}
