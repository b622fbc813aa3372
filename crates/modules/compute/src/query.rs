//! Read-only queries under `GET /v1/compute/…`: [`ComputeQuery`] is parsed
//! and validated from the URL before any state is read, and answered with
//! typed responses; each route is answered by one function below whose
//! `#[utoipa::path]` is its entry in `/openapi.json`. The CLI's
//! `query compute …` asks the same paths.

use fructus_component::{
    ErrorCode,
    query::{
        Page, Query, QueryAt, QueryError, QueryParams, address, found, id, limit, respond,
        start_after_id,
    },
};
use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{
    Capacity, ComputeError, ComputeStateReadExt, Epoch, Order, OrderStatus, Provider, Receipt,
    state::is_online,
};

const MODULE: &str = "compute";

/// A request to the compute module, parsed from `/v1/compute/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComputeQuery {
    /// `compute/epoch`: the window clock and the current window.
    Epoch,
    /// `compute/providers?start_after=&limit=`.
    Providers {
        /// Start after this asset id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `compute/providers/{asset}`.
    Provider {
        /// The asset.
        asset_id: u64,
    },
    /// `compute/providers/{asset}/capacity?start_after=&limit=`: windows
    /// minted from or reserved, in order.
    Capacity {
        /// The asset.
        asset_id: u64,
        /// Start after this window.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `compute/orders?buyer=|provider=|status=&start_after=&limit=`.
    Orders {
        /// Which orders.
        filter: OrderFilter,
        /// Start after this order id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `compute/orders/{id}`.
    Order {
        /// The order.
        id: u64,
    },
    /// `compute/receipts?start_after=&limit=`.
    Receipts {
        /// Start after this order id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `compute/receipts/{order id}`.
    Receipt {
        /// The order.
        id: u64,
    },
}

/// Which orders a listing returns (at most one filter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderFilter {
    /// All, in id order.
    All,
    /// A buyer's.
    Buyer(Address),
    /// A provider's.
    Provider(u64),
    /// Of one status.
    Status(OrderStatus),
}

/// The window clock.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct EpochView {
    /// Genesis time and window length.
    #[serde(flatten)]
    pub epoch: Epoch,
    /// The window of the last block.
    pub current_window: u64,
    /// When the current window ends.
    pub current_window_end_ms: u64,
}

/// A provider with its liveness at the last block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ProviderView {
    /// The record.
    #[serde(flatten)]
    pub provider: Provider,
    /// Online at the last block's time.
    pub online_now: bool,
}

/// A page of providers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ProvidersPage {
    /// The providers.
    pub providers: Vec<ProviderView>,
    /// Pass as `start_after` for the next page.
    pub next: Option<u64>,
}

/// A page of a provider's windows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CapacityPage {
    /// The windows.
    pub windows: Vec<Capacity>,
    /// Pass as `start_after` for the next page.
    pub next: Option<u64>,
}

/// A page of orders.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct OrdersPage {
    /// The orders.
    pub orders: Vec<Order>,
    /// Pass as `start_after` for the next page.
    pub next: Option<u64>,
}

/// A page of receipts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReceiptsPage {
    /// The receipts.
    pub receipts: Vec<Receipt>,
    /// Pass as `start_after` for the next page.
    pub next: Option<u64>,
}

impl Query for ComputeQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["compute"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        let page = || Ok::<_, QueryError>((start_after_id(params)?, limit(params)?));
        Ok(match path {
            ["compute", "epoch"] => ComputeQuery::Epoch,
            ["compute", "providers"] => {
                let (start_after, limit) = page()?;
                ComputeQuery::Providers { start_after, limit }
            }
            ["compute", "providers", asset] => ComputeQuery::Provider {
                asset_id: id(asset, "asset id")?,
            },
            ["compute", "providers", asset, "capacity"] => {
                let (start_after, limit) = page()?;
                ComputeQuery::Capacity {
                    asset_id: id(asset, "asset id")?,
                    start_after,
                    limit,
                }
            }
            ["compute", "orders"] => {
                let (start_after, limit) = page()?;
                let get = |k: &str| params.get(k).filter(|v| !v.is_empty());
                let filter = match (get("buyer"), get("provider"), get("status")) {
                    (None, None, None) => OrderFilter::All,
                    (Some(b), None, None) => OrderFilter::Buyer(address(b, "buyer")?),
                    (None, Some(p), None) => OrderFilter::Provider(id(p, "provider")?),
                    (None, None, Some(s)) => {
                        OrderFilter::Status(s.parse().map_err(|_| QueryError::BadParam {
                            what: "status",
                            got: s.chars().take(40).collect(),
                            expected: "paused, open, accepted, submitted, challenged, completed, failed or cancelled",
                        })?)
                    }
                    _ => {
                        return Err(QueryError::BadParam {
                            what: "buyer",
                            got: String::new(),
                            expected: "at most one of buyer, provider and status",
                        });
                    }
                };
                ComputeQuery::Orders {
                    filter,
                    start_after,
                    limit,
                }
            }
            ["compute", "orders", order] => ComputeQuery::Order {
                id: id(order, "order id")?,
            },
            ["compute", "receipts"] => {
                let (start_after, limit) = page()?;
                ComputeQuery::Receipts { start_after, limit }
            }
            ["compute", "receipts", order] => ComputeQuery::Receipt {
                id: id(order, "order id")?,
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
        let now = state.compute_clock().map_err(query_error)?.0;
        match self {
            ComputeQuery::Epoch => respond(MODULE, &epoch(state, now).map_err(query_error)?),
            ComputeQuery::Providers { start_after, limit } => respond(
                MODULE,
                &providers(state, start_after, limit, now).map_err(query_error)?,
            ),
            ComputeQuery::Provider { asset_id } => {
                let p = found(
                    provider_by_id(state, asset_id, now).map_err(query_error)?,
                    || {
                        format!(
                            "compute provider {asset_id}: list them with GET /v1/compute/providers"
                        )
                    },
                )?;
                respond(MODULE, &p)
            }
            ComputeQuery::Capacity {
                asset_id,
                start_after,
                limit,
            } => respond(
                MODULE,
                &capacity(state, asset_id, start_after, limit).map_err(query_error)?,
            ),
            ComputeQuery::Orders {
                filter,
                start_after,
                limit,
            } => respond(
                MODULE,
                &orders(state, &filter, start_after, limit).map_err(query_error)?,
            ),
            ComputeQuery::Order { id } => {
                let o = found(order(state, id).map_err(query_error)?, || {
                    format!("order {id}: list orders with GET /v1/compute/orders")
                })?;
                respond(MODULE, &o)
            }
            ComputeQuery::Receipts { start_after, limit } => respond(
                MODULE,
                &receipts(state, start_after, limit).map_err(query_error)?,
            ),
            ComputeQuery::Receipt { id } => {
                let r = found(receipt(state, id).map_err(query_error)?, || {
                    format!("receipt of order {id}: an order has one once settled")
                })?;
                respond(MODULE, &r)
            }
        }
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        ComputeApi::openapi()
    }
}

/// The compute routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        epoch,
        providers,
        provider_by_id,
        capacity,
        orders,
        order,
        receipts,
        receipt
    ),
    components(schemas(
        EpochView,
        ProviderView,
        ProvidersPage,
        CapacityPage,
        OrdersPage,
        ReceiptsPage,
        Provider,
        Capacity,
        Order,
        Receipt,
        Epoch
    ))
)]
struct ComputeApi;

fn query_error(e: ComputeError) -> QueryError {
    if e.is_internal() {
        QueryError::state(MODULE, e)
    } else {
        QueryError::Refused {
            module: MODULE,
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn provider(p: Provider, now: u64) -> ProviderView {
    ProviderView {
        online_now: is_online(&p, now),
        provider: p,
    }
}

/// One provider.
#[utoipa::path(get, path = "/v1/compute/providers/{asset}", tag = "compute",
    params(("asset" = u64, Path, description = "The provider's asset id")),
    responses((status = 200, description = "The provider", body = ProviderView)))]
pub fn provider_by_id<S: StateRead + ?Sized>(
    state: &S,
    asset_id: u64,
    now: u64,
) -> Result<Option<ProviderView>, ComputeError> {
    Ok(state.provider(asset_id)?.map(|p| provider(p, now)))
}

/// One order.
#[utoipa::path(get, path = "/v1/compute/orders/{id}", tag = "compute",
    params(("id" = u64, Path, description = "Order id")),
    responses((status = 200, description = "The order", body = Order)))]
pub fn order<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<Option<Order>, ComputeError> {
    state.order(id)
}

/// One order's receipt (once settled).
#[utoipa::path(get, path = "/v1/compute/receipts/{id}", tag = "compute",
    params(("id" = u64, Path, description = "Order id")),
    responses((status = 200, description = "The receipt", body = Receipt)))]
pub fn receipt<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<Option<Receipt>, ComputeError> {
    state.receipt(id)
}

fn next<T>(items: &[T], limit: usize, key: impl Fn(&T) -> u64) -> Option<u64> {
    (items.len() == limit)
        .then(|| items.last().map(key))
        .flatten()
}

/// The window clock and the current window.
#[utoipa::path(get, path = "/v1/compute/epoch", tag = "compute",
    responses((status = 200, description = "Genesis time, window length and the current window", body = EpochView)))]
pub fn epoch<S: StateRead + ?Sized>(state: &S, now: u64) -> Result<EpochView, ComputeError> {
    let epoch = state.epoch()?;
    let current_window = epoch.window_at(now);
    Ok(EpochView {
        current_window,
        current_window_end_ms: epoch.end(current_window)?,
        epoch,
    })
}

/// Providers in asset order, with their liveness at the last block.
#[utoipa::path(get, path = "/v1/compute/providers", tag = "compute", params(Page),
    responses((status = 200, description = "A page of providers", body = ProvidersPage)))]
pub fn providers<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
    now: u64,
) -> Result<ProvidersPage, ComputeError> {
    let ps = state.providers(start_after, limit)?;
    let next = next(&ps, limit, |p| p.asset_id);
    Ok(ProvidersPage {
        providers: ps.into_iter().map(|p| provider(p, now)).collect(),
        next,
    })
}

/// A provider's capacity by window (windows minted from or reserved).
#[utoipa::path(get, path = "/v1/compute/providers/{asset}/capacity", tag = "compute",
    params(("asset" = u64, Path, description = "The provider's asset id"), Page),
    responses((status = 200, description = "A page of windows", body = CapacityPage)))]
pub fn capacity<S: StateRead + ?Sized>(
    state: &S,
    asset_id: u64,
    start_after: Option<u64>,
    limit: usize,
) -> Result<CapacityPage, ComputeError> {
    let windows = state.capacities(asset_id, start_after, limit)?;
    let next = next(&windows, limit, |c| c.window);
    Ok(CapacityPage { windows, next })
}

/// Orders, by buyer, provider or status (at most one filter).
#[utoipa::path(get, path = "/v1/compute/orders", tag = "compute",
    params(
        ("buyer" = Option<String>, Query, description = "Only this buyer's orders (bech32)"),
        ("provider" = Option<u64>, Query, description = "Only this provider's (asset id)"),
        ("status" = Option<String>, Query, description = "Only this status"),
        Page,
    ),
    responses((status = 200, description = "A page of orders", body = OrdersPage)))]
pub fn orders<S: StateRead + ?Sized>(
    state: &S,
    filter: &OrderFilter,
    start_after: Option<u64>,
    limit: usize,
) -> Result<OrdersPage, ComputeError> {
    let orders = match filter {
        OrderFilter::All => state.orders(start_after, limit)?,
        OrderFilter::Buyer(b) => state.orders_of_buyer(b, start_after, limit)?,
        OrderFilter::Provider(a) => state.orders_of_provider(*a, start_after, limit)?,
        OrderFilter::Status(s) => state.orders_with_status(*s, start_after, limit)?,
    };
    let next = next(&orders, limit, |o| o.id);
    Ok(OrdersPage { orders, next })
}

/// Receipts of settled orders, in order id order.
#[utoipa::path(get, path = "/v1/compute/receipts", tag = "compute", params(Page),
    responses((status = 200, description = "A page of receipts", body = ReceiptsPage)))]
pub fn receipts<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<ReceiptsPage, ComputeError> {
    let receipts = state.receipts(start_after, limit)?;
    let next = next(&receipts, limit, |r| r.order_id);
    Ok(ReceiptsPage { receipts, next })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn malformed_compute_queries_are_refused_before_reading_state() {
        let none = params(&[]);
        assert_eq!(
            ComputeQuery::parse(&["compute", "orders"], &params(&[("status", "open")])).unwrap(),
            ComputeQuery::Orders {
                filter: OrderFilter::Status(OrderStatus::Open),
                start_after: None,
                limit: limit(&none).unwrap(),
            }
        );
        for (path, p) in [
            (vec!["compute", "orders"], params(&[("status", "nope")])),
            (
                vec!["compute", "orders"],
                params(&[("status", "open"), ("provider", "1")]),
            ),
            (vec!["compute", "providers", "x"], none.clone()),
        ] {
            assert_eq!(
                ComputeQuery::parse(&path, &p).unwrap_err().status(),
                400,
                "{path:?}"
            );
        }
        assert_eq!(
            ComputeQuery::parse(&["compute", "nope"], &none)
                .unwrap_err()
                .status(),
            404
        );
    }

    #[test]
    fn every_compute_route_is_in_the_openapi_document() {
        let doc = ComputeQuery::openapi();
        for route in [
            "/v1/compute/epoch",
            "/v1/compute/providers",
            "/v1/compute/providers/{asset}",
            "/v1/compute/providers/{asset}/capacity",
            "/v1/compute/orders",
            "/v1/compute/orders/{id}",
            "/v1/compute/receipts",
            "/v1/compute/receipts/{id}",
        ] {
            assert!(doc.paths.paths.contains_key(route), "{route} missing");
        }
    }
}
