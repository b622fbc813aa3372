//! `GET /v1/devices/…` and `/v1/contracts/…`: the metering module's
//! queries, answered from a state snapshot as JSON.

use std::collections::BTreeMap;

use fructus_metering::{MeteringError, MeteringStateReadExt};
use fructus_rpc::ApiError;
use fructus_storage::Snapshot;

use crate::query_args::{address, id, json, limit, start_id};

fn internal(e: MeteringError) -> ApiError {
    ApiError::new(500, "metering", 1, e.to_string())
}

fn found<T: serde::Serialize>(
    value: Option<T>,
    what: String,
) -> Result<serde_json::Value, ApiError> {
    json(&value.ok_or_else(|| ApiError::not_found(format!("no {what}")))?)
}

/// Answers one metering query; `path` is `["devices", …]` or
/// `["contracts", …]` (the segments after `/v1/`).
pub(crate) fn query(
    state: &Snapshot,
    path: &[String],
    params: &BTreeMap<String, String>,
) -> Result<serde_json::Value, ApiError> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["devices", "asset", asset] => {
            let after = params
                .get("start_after")
                .filter(|s| !s.is_empty())
                .map(|s| address(s))
                .transpose()?;
            json(
                &state
                    .devices_of_asset(id(asset, "asset id")?, after.as_ref(), limit(params)?)
                    .map_err(internal)?,
            )
        }
        ["devices", "oracles", asset] => {
            let asset = id(asset, "asset id")?;
            found(
                state.oracle_set(asset).map_err(internal)?,
                format!("oracles for asset {asset}"),
            )
        }
        ["devices", "oracles", asset, "rounds", period] => {
            let (asset, period) = (id(asset, "asset id")?, id(period, "period")?);
            found(
                state.oracle_round(asset, period).map_err(internal)?,
                format!("oracle round {period} of asset {asset}"),
            )
        }
        ["devices", device] => {
            let device = address(device)?;
            found(
                state.device(&device).map_err(internal)?,
                format!("device {device}"),
            )
        }
        ["contracts", "asset", asset] => json(
            &state
                .contracts_of_asset(id(asset, "asset id")?, start_id(params)?, limit(params)?)
                .map_err(internal)?,
        ),
        ["contracts", "customer", who] => json(
            &state
                .contracts_of_customer(&address(who)?, start_id(params)?, limit(params)?)
                .map_err(internal)?,
        ),
        ["contracts", contract] => {
            let contract = id(contract, "contract id")?;
            found(
                state.contract(contract).map_err(internal)?,
                format!("contract {contract}"),
            )
        }
        _ => Err(ApiError::not_found(format!(
            "no metering route /v1/{}",
            segs.join("/")
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use fructus_test_utils::{coin, metering::Metered};

    fn ask(f: &Metered, path: &[&str]) -> Result<serde_json::Value, ApiError> {
        let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        query(&f.chain.app.snapshot().unwrap(), &path, &BTreeMap::new())
    }

    #[test]
    fn devices_and_contracts_are_served_by_address_asset_and_customer() {
        let mut f = Metered::new();
        let id = f.contract(
            &fructus_client::metering::ContractTerms::prepaid(coin("3ufrx"), 2),
            Some("100ufrx"),
        );
        assert!(f.read(4).is_ok());
        let device = f.device.to_string();
        let d = ask(&f, &["devices", &device]).unwrap();
        assert_eq!(d["counter"], 4);
        assert_eq!(d["status"], "active");
        let asset = f.asset_id.to_string();
        let list = ask(&f, &["devices", "asset", &asset]).unwrap();
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        let c = ask(&f, &["contracts", &id.to_string()]).unwrap();
        assert_eq!(c["charged"], "6");
        assert_eq!(c["status"], "active");
        let dave = f.chain.addr("dave").to_string();
        let mine = ask(&f, &["contracts", "customer", &dave]).unwrap();
        assert_eq!(mine.as_array().map(Vec::len), Some(1));
        let of_asset = ask(&f, &["contracts", "asset", &asset]).unwrap();
        assert_eq!(of_asset.as_array().map(Vec::len), Some(1));
        assert_eq!(ask(&f, &["contracts", "99"]).unwrap_err().status, 404);
        assert_eq!(
            ask(&f, &["devices", "oracles", &asset]).unwrap_err().status,
            404
        );
        assert_eq!(ask(&f, &["devices", "nonsense"]).unwrap_err().status, 400);
    }
}
