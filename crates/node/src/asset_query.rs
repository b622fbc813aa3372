//! `GET /v1/assets/…` and `/v1/accounts/{address}/assets`: the asset
//! module's queries, answered from a state snapshot as JSON.

use std::collections::BTreeMap;

use fructus_asset::{AssetError, AssetStateReadExt};
use fructus_rpc::ApiError;
use fructus_storage::Snapshot;

use crate::query_args::{address, id, json, limit, start_id};

fn internal(e: AssetError) -> ApiError {
    ApiError::new(500, "asset", 1, e.to_string())
}

/// Answers one asset query; `path` holds the segments after `/v1/assets/`
/// (or `["owner", address]`).
pub(crate) fn query(
    state: &Snapshot,
    path: &[String],
    params: &BTreeMap<String, String>,
) -> Result<serde_json::Value, ApiError> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["owner", who] => json(
            &state
                .assets_by_owner(&address(who)?, start_id(params)?, limit(params)?)
                .map_err(internal)?,
        ),
        ["classes"] => json(
            &state
                .asset_classes(start_id(params)?, limit(params)?)
                .map_err(internal)?,
        ),
        ["classes", class] => {
            let class = id(class, "class id")?;
            let found = state.asset_class(class).map_err(internal)?;
            json(&found.ok_or_else(|| ApiError::not_found(format!("no asset class {class}")))?)
        }
        ["classes", class, "assets"] => json(
            &state
                .assets_by_class(id(class, "class id")?, start_id(params)?, limit(params)?)
                .map_err(internal)?,
        ),
        [asset] => {
            let asset = id(asset, "asset id")?;
            let found = state.asset(asset).map_err(internal)?;
            json(&found.ok_or_else(|| ApiError::not_found(format!("no asset {asset}")))?)
        }
        [asset, "holders"] => {
            let after = params
                .get("start_after")
                .filter(|s| !s.is_empty())
                .map(|s| address(s))
                .transpose()?;
            json(
                &state
                    .share_holders(id(asset, "asset id")?, after.as_ref(), limit(params)?)
                    .map_err(internal)?,
            )
        }
        [asset, "income"] => json(
            &state
                .income_totals(id(asset, "asset id")?)
                .map_err(internal)?,
        ),
        [asset, "pending", who] => json(
            &state
                .pending_income(id(asset, "asset id")?, &address(who)?)
                .map_err(internal)?,
        ),
        _ => Err(ApiError::not_found(format!(
            "no asset route /v1/assets/{}",
            segs.join("/")
        ))),
    }
}
