//! The asset module's read-only queries, `GET /v1/assets/…`: classes,
//! assets, an owner's assets, share holders and income.
//!
//! [`AssetQuery`] is parsed and validated from the URL before any state is
//! read; each variant is answered by one function below, whose
//! `#[utoipa::path]` is the route's entry in `/openapi.json`.

use fructus_component::query::{
    Page, Query, QueryAt, QueryError, QueryParams, address, found, id, limit, respond,
    start_after_address, start_after_id,
};
use fructus_component::schema::CoinSchema;
use fructus_storage::StateRead;
use fructus_types::{Address, Coin};

use crate::{Asset, AssetClass, AssetStateReadExt, IncomeTotal, ShareHolder};

const MODULE: &str = "asset";

/// A request to the asset module, parsed from `/v1/assets/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetQuery {
    /// `classes`: asset classes in id order.
    Classes {
        /// Start after this class id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `classes/{class}`: one class.
    Class {
        /// Class id.
        class: u64,
    },
    /// `classes/{class}/assets`: the assets of a class in id order.
    ClassAssets {
        /// Class id.
        class: u64,
        /// Start after this asset id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `owner/{address}`: the assets an account owns, in id order.
    Owner {
        /// The owner.
        owner: Address,
        /// Start after this asset id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `{asset}`: one asset.
    Asset {
        /// Asset id.
        asset: u64,
    },
    /// `{asset}/holders`: holders of a fractionalized asset's shares.
    Holders {
        /// Asset id.
        asset: u64,
        /// Start after this holder.
        start_after: Option<Address>,
        /// Page size.
        limit: usize,
    },
    /// `{asset}/income`: income credited per denom.
    Income {
        /// Asset id.
        asset: u64,
    },
    /// `{asset}/pending/{address}`: income a holder may claim.
    Pending {
        /// Asset id.
        asset: u64,
        /// The holder.
        holder: Address,
    },
}

fn state_error(e: crate::AssetError) -> QueryError {
    QueryError::state(MODULE, e)
}

impl Query for AssetQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["assets"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        let asset = |raw: &str| id(raw, "asset id");
        let class = |raw: &str| id(raw, "class id");
        Ok(match path {
            ["assets", "classes"] => AssetQuery::Classes {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["assets", "classes", c] => AssetQuery::Class { class: class(c)? },
            ["assets", "classes", c, "assets"] => AssetQuery::ClassAssets {
                class: class(c)?,
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["assets", "owner", who] => AssetQuery::Owner {
                owner: address(who, "owner")?,
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["assets", a] => AssetQuery::Asset { asset: asset(a)? },
            ["assets", a, "holders"] => AssetQuery::Holders {
                asset: asset(a)?,
                start_after: start_after_address(params)?,
                limit: limit(params)?,
            },
            ["assets", a, "income"] => AssetQuery::Income { asset: asset(a)? },
            ["assets", a, "pending", who] => AssetQuery::Pending {
                asset: asset(a)?,
                holder: address(who, "holder")?,
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
            AssetQuery::Classes { start_after, limit } => {
                respond(MODULE, &classes(state, start_after, limit)?)
            }
            AssetQuery::Class { class: c } => respond(MODULE, &class(state, c)?),
            AssetQuery::ClassAssets {
                class,
                start_after,
                limit,
            } => respond(MODULE, &class_assets(state, class, start_after, limit)?),
            AssetQuery::Owner {
                owner: who,
                start_after,
                limit,
            } => respond(MODULE, &owner(state, &who, start_after, limit)?),
            AssetQuery::Asset { asset: a } => respond(MODULE, &asset(state, a)?),
            AssetQuery::Holders {
                asset,
                start_after,
                limit,
            } => respond(MODULE, &holders(state, asset, start_after, limit)?),
            AssetQuery::Income { asset } => respond(MODULE, &income(state, asset)?),
            AssetQuery::Pending { asset, holder } => {
                respond(MODULE, &pending(state, asset, &holder)?)
            }
        }
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        AssetApi::openapi()
    }
}

/// The asset module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(classes, class, class_assets, owner, asset, holders, income, pending))]
struct AssetApi;

/// Asset classes in id order.
#[utoipa::path(get, path = "/v1/assets/classes", tag = "asset", params(Page),
    responses((status = 200, description = "Asset classes (`fructus_asset::AssetClass`)", body = Vec<AssetClass>)))]
pub fn classes<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<AssetClass>, QueryError> {
    state.asset_classes(start_after, limit).map_err(state_error)
}

/// One asset class.
#[utoipa::path(get, path = "/v1/assets/classes/{class}", tag = "asset",
    params(("class" = u64, Path, description = "Class id")),
    responses((status = 200, description = "The class (`fructus_asset::AssetClass`)", body = AssetClass)))]
pub fn class<S: StateRead + ?Sized>(state: &S, class: u64) -> Result<AssetClass, QueryError> {
    found(state.asset_class(class).map_err(state_error)?, || {
        format!("asset class {class}")
    })
}

/// The assets of a class, in id order.
#[utoipa::path(get, path = "/v1/assets/classes/{class}/assets", tag = "asset",
    params(("class" = u64, Path, description = "Class id"), Page),
    responses((status = 200, description = "Assets (`fructus_asset::Asset`)", body = Vec<Asset>)))]
pub fn class_assets<S: StateRead + ?Sized>(
    state: &S,
    class: u64,
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<Asset>, QueryError> {
    state
        .assets_by_class(class, start_after, limit)
        .map_err(state_error)
}

/// The assets an account owns, in id order.
#[utoipa::path(get, path = "/v1/assets/owner/{address}", tag = "asset",
    params(("address" = String, Path, description = "The owner, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"), Page),
    responses((status = 200, description = "Assets (`fructus_asset::Asset`)", body = Vec<Asset>)))]
pub fn owner<S: StateRead + ?Sized>(
    state: &S,
    owner: &Address,
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<Asset>, QueryError> {
    state
        .assets_by_owner(owner, start_after, limit)
        .map_err(state_error)
}

/// One asset.
#[utoipa::path(get, path = "/v1/assets/{asset}", tag = "asset",
    params(("asset" = u64, Path, description = "Asset id")),
    responses((status = 200, description = "The asset (`fructus_asset::Asset`)", body = Asset)))]
pub fn asset<S: StateRead + ?Sized>(state: &S, asset: u64) -> Result<Asset, QueryError> {
    found(state.asset(asset).map_err(state_error)?, || {
        format!("asset {asset}")
    })
}

/// The holders of a fractionalized asset's shares, in address order.
#[utoipa::path(get, path = "/v1/assets/{asset}/holders", tag = "asset",
    params(("asset" = u64, Path, description = "Asset id"), Page),
    responses((status = 200, description = "Holders (`fructus_asset::ShareHolder`)", body = Vec<ShareHolder>)))]
pub fn holders<S: StateRead + ?Sized>(
    state: &S,
    asset: u64,
    start_after: Option<Address>,
    limit: usize,
) -> Result<Vec<ShareHolder>, QueryError> {
    state
        .share_holders(asset, start_after.as_ref(), limit)
        .map_err(state_error)
}

/// Income credited to an asset, per denom.
#[utoipa::path(get, path = "/v1/assets/{asset}/income", tag = "asset",
    params(("asset" = u64, Path, description = "Asset id")),
    responses((status = 200, description = "Totals per denom (`fructus_asset::IncomeTotal`)", body = Vec<IncomeTotal>)))]
pub fn income<S: StateRead + ?Sized>(
    state: &S,
    asset: u64,
) -> Result<Vec<IncomeTotal>, QueryError> {
    state.income_totals(asset).map_err(state_error)
}

/// Income a holder of an asset's shares may claim.
#[utoipa::path(get, path = "/v1/assets/{asset}/pending/{address}", tag = "asset",
    params(
        ("asset" = u64, Path, description = "Asset id"),
        ("address" = String, Path, description = "The holder, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"),
    ),
    responses((status = 200, description = "Claimable coins", body = Vec<CoinSchema>)))]
pub fn pending<S: StateRead + ?Sized>(
    state: &S,
    asset: u64,
    holder: &Address,
) -> Result<Vec<Coin>, QueryError> {
    state.pending_income(asset, holder).map_err(state_error)
}
