//! The metering module's read-only queries: devices and their oracles under
//! `GET /v1/devices/…`, service contracts under `GET /v1/contracts/…`.
//!
//! [`MeteringQuery`] is parsed and validated from the URL before any state
//! is read; each variant is answered by one function below, whose
//! `#[utoipa::path]` is the route's entry in `/openapi.json`.

use fructus_component::query::{
    Page, Query, QueryAt, QueryError, QueryParams, address, found, id, limit, respond,
    start_after_address, start_after_id,
};
use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{Contract, Device, MeteringStateReadExt, OracleRound, OracleSet};

const MODULE: &str = "metering";

/// A request to the metering module, parsed from `/v1/devices/…` or
/// `/v1/contracts/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeteringQuery {
    /// `devices/{address}`: one device.
    Device {
        /// The device's address.
        device: Address,
    },
    /// `devices/asset/{asset}`: every device an asset ever had.
    AssetDevices {
        /// Asset id.
        asset: u64,
        /// Start after this device.
        start_after: Option<Address>,
        /// Page size.
        limit: usize,
    },
    /// `devices/oracles/{asset}`: an asset's oracle set.
    Oracles {
        /// Asset id.
        asset: u64,
    },
    /// `devices/oracles/{asset}/rounds/{period}`: one oracle round.
    OracleRound {
        /// Asset id.
        asset: u64,
        /// The period.
        period: u64,
    },
    /// `contracts/{id}`: one contract.
    Contract {
        /// Contract id.
        contract: u64,
    },
    /// `contracts/asset/{asset}`: the contracts of an asset.
    AssetContracts {
        /// Asset id.
        asset: u64,
        /// Start after this contract id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `contracts/customer/{address}`: the contracts of a customer.
    CustomerContracts {
        /// The customer.
        customer: Address,
        /// Start after this contract id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
}

fn state_error(e: crate::MeteringError) -> QueryError {
    QueryError::state(MODULE, e)
}

impl Query for MeteringQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["devices", "contracts"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        let asset = |raw: &str| id(raw, "asset id");
        Ok(match path {
            ["devices", "asset", a] => MeteringQuery::AssetDevices {
                asset: asset(a)?,
                start_after: start_after_address(params)?,
                limit: limit(params)?,
            },
            ["devices", "oracles", a] => MeteringQuery::Oracles { asset: asset(a)? },
            ["devices", "oracles", a, "rounds", p] => MeteringQuery::OracleRound {
                asset: asset(a)?,
                period: id(p, "period")?,
            },
            ["devices", d] => MeteringQuery::Device {
                device: address(d, "device address")?,
            },
            ["contracts", "asset", a] => MeteringQuery::AssetContracts {
                asset: asset(a)?,
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["contracts", "customer", who] => MeteringQuery::CustomerContracts {
                customer: address(who, "customer")?,
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["contracts", c] => MeteringQuery::Contract {
                contract: id(c, "contract id")?,
            },
            _ => {
                return Err(QueryError::NoRoute {
                    module: MODULE,
                    path: path.join("/"),
                });
            }
        })
    }

    fn answer<S: StateRead + ?Sized>(
        self,
        state: &S,
        _at: QueryAt,
    ) -> Result<serde_json::Value, QueryError> {
        match self {
            MeteringQuery::Device { device: d } => respond(MODULE, &device(state, &d)?),
            MeteringQuery::AssetDevices {
                asset,
                start_after,
                limit,
            } => respond(MODULE, &asset_devices(state, asset, start_after, limit)?),
            MeteringQuery::Oracles { asset } => respond(MODULE, &oracles(state, asset)?),
            MeteringQuery::OracleRound { asset, period } => {
                respond(MODULE, &oracle_round(state, asset, period)?)
            }
            MeteringQuery::Contract { contract: c } => respond(MODULE, &contract(state, c)?),
            MeteringQuery::AssetContracts {
                asset,
                start_after,
                limit,
            } => respond(MODULE, &asset_contracts(state, asset, start_after, limit)?),
            MeteringQuery::CustomerContracts {
                customer,
                start_after,
                limit,
            } => respond(
                MODULE,
                &customer_contracts(state, &customer, start_after, limit)?,
            ),
        }
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        MeteringApi::openapi()
    }
}

/// The metering module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    device,
    asset_devices,
    oracles,
    oracle_round,
    contract,
    asset_contracts,
    customer_contracts
))]
struct MeteringApi;

/// One device.
#[utoipa::path(get, path = "/v1/devices/{address}", tag = "metering",
    params(("address" = String, Path, description = "The device's address, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "The device (`fructus_metering::Device`)", body = Device)))]
pub fn device<S: StateRead + ?Sized>(state: &S, device: &Address) -> Result<Device, QueryError> {
    found(state.device(device).map_err(state_error)?, || {
        format!("device {device}")
    })
}

/// Every device an asset ever had, in address order.
#[utoipa::path(get, path = "/v1/devices/asset/{asset}", tag = "metering",
    params(("asset" = u64, Path, description = "Asset id"), Page),
    responses((status = 200, description = "Devices (`fructus_metering::Device`)", body = Vec<Device>)))]
pub fn asset_devices<S: StateRead + ?Sized>(
    state: &S,
    asset: u64,
    start_after: Option<Address>,
    limit: usize,
) -> Result<Vec<Device>, QueryError> {
    state
        .devices_of_asset(asset, start_after.as_ref(), limit)
        .map_err(state_error)
}

/// An asset's oracle set.
#[utoipa::path(get, path = "/v1/devices/oracles/{asset}", tag = "metering",
    params(("asset" = u64, Path, description = "Asset id")),
    responses((status = 200, description = "The oracle set (`fructus_metering::OracleSet`)", body = OracleSet)))]
pub fn oracles<S: StateRead + ?Sized>(state: &S, asset: u64) -> Result<OracleSet, QueryError> {
    found(state.oracle_set(asset).map_err(state_error)?, || {
        format!("oracles for asset {asset}")
    })
}

/// One round of an asset's oracles.
#[utoipa::path(get, path = "/v1/devices/oracles/{asset}/rounds/{period}", tag = "metering",
    params(
        ("asset" = u64, Path, description = "Asset id"),
        ("period" = u64, Path, description = "The period"),
    ),
    responses((status = 200, description = "The round (`fructus_metering::OracleRound`)", body = OracleRound)))]
pub fn oracle_round<S: StateRead + ?Sized>(
    state: &S,
    asset: u64,
    period: u64,
) -> Result<OracleRound, QueryError> {
    found(
        state.oracle_round(asset, period).map_err(state_error)?,
        || format!("oracle round {period} of asset {asset}"),
    )
}

/// One service contract.
#[utoipa::path(get, path = "/v1/contracts/{contract}", tag = "metering",
    params(("contract" = u64, Path, description = "Contract id")),
    responses((status = 200, description = "The contract (`fructus_metering::Contract`)", body = Contract)))]
pub fn contract<S: StateRead + ?Sized>(state: &S, contract: u64) -> Result<Contract, QueryError> {
    found(state.contract(contract).map_err(state_error)?, || {
        format!("contract {contract}")
    })
}

/// The contracts of an asset, in id order.
#[utoipa::path(get, path = "/v1/contracts/asset/{asset}", tag = "metering",
    params(("asset" = u64, Path, description = "Asset id"), Page),
    responses((status = 200, description = "Contracts (`fructus_metering::Contract`)", body = Vec<Contract>)))]
pub fn asset_contracts<S: StateRead + ?Sized>(
    state: &S,
    asset: u64,
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<Contract>, QueryError> {
    state
        .contracts_of_asset(asset, start_after, limit)
        .map_err(state_error)
}

/// The contracts of a customer, in id order.
#[utoipa::path(get, path = "/v1/contracts/customer/{address}", tag = "metering",
    params(("address" = String, Path, description = "The customer, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"), Page),
    responses((status = 200, description = "Contracts (`fructus_metering::Contract`)", body = Vec<Contract>)))]
pub fn customer_contracts<S: StateRead + ?Sized>(
    state: &S,
    customer: &Address,
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<Contract>, QueryError> {
    state
        .contracts_of_customer(customer, start_after, limit)
        .map_err(state_error)
}
