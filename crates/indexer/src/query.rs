//! Answers to the `/v1/history/…` queries: newest first, keyset-paginated
//! by (height, position), one index per filter.

use fructus_rpc_types::history::{
    HistoryAnswer, HistoryBlock, HistoryBlockPage, HistoryCharge, HistoryChargePage, HistoryIncome,
    HistoryIncomePage, HistoryQuery, HistoryRetirement, HistoryRetirementPage, HistoryStatusView,
    HistorySwap, HistorySwapPage, HistoryTx, HistoryTxPage, HistoryUptime, HistoryUptimePage,
    HistoryUsage, HistoryUsagePage, MAX_HISTORY_LIMIT, PageRequest,
};
use sqlx::Row as _;
use sqlx::any::AnyRow;

use crate::db::{big, unsigned};
use crate::{Indexer, IndexerError};

/// A filter's value.
enum Value {
    Text(String),
    Int(i64),
}

/// A parsed `?before=` cursor: (height, position).
fn cursor(raw: &Option<String>, with_pos: bool) -> Result<Option<(i64, i64)>, IndexerError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let bad = || IndexerError::BadCursor(raw.clone());
    let (h, p) = match raw.split_once(':') {
        Some((h, p)) if with_pos => (h, p),
        None if !with_pos => (raw.as_str(), "0"),
        _ => return Err(bad()),
    };
    let h: i64 = h.parse().map_err(|_| bad())?;
    let p: i64 = p.parse().map_err(|_| bad())?;
    if h < 0 || p < 0 {
        return Err(bad());
    }
    Ok(Some((h, p)))
}

fn get_u64(row: &AnyRow, column: &str) -> Result<u64, IndexerError> {
    Ok(unsigned(row.try_get::<i64, _>(column)?))
}

fn get_text(row: &AnyRow, column: &str) -> Result<String, IndexerError> {
    Ok(row.try_get::<String, _>(column)?)
}

impl Indexer {
    /// Fetches one page of `table`: rows matching `filters`, older than the
    /// cursor, newest first; `with_pos`: the table's key is (height, pos),
    /// else (…, height). Returns the rows and the next cursor.
    async fn page(
        &self,
        table: &str,
        columns: &str,
        filters: Vec<(&str, Value)>,
        page: &PageRequest,
        with_pos: bool,
    ) -> Result<(Vec<AnyRow>, Option<String>), IndexerError> {
        let limit = page.limit.clamp(1, MAX_HISTORY_LIMIT);
        let mut sql = format!("SELECT {columns} FROM {table} WHERE 1 = 1");
        let mut n = 0usize;
        let mut next_param = || {
            n = n.saturating_add(1);
            format!("${n}")
        };
        for (column, _) in &filters {
            sql.push_str(&format!(" AND {column} = {}", next_param()));
        }
        let before = cursor(&page.before, with_pos)?;
        if before.is_some() {
            if with_pos {
                let (a, b, c) = (next_param(), next_param(), next_param());
                sql.push_str(&format!(
                    " AND (height < {a} OR (height = {b} AND pos < {c}))"
                ));
            } else {
                sql.push_str(&format!(" AND height < {}", next_param()));
            }
        }
        let order = if with_pos {
            "height DESC, pos DESC"
        } else {
            "height DESC"
        };
        sql.push_str(&format!(" ORDER BY {order} LIMIT {}", next_param()));
        let mut query = sqlx::query(&sql);
        for (_, value) in filters {
            query = match value {
                Value::Text(t) => query.bind(t),
                Value::Int(i) => query.bind(i),
            };
        }
        if let Some((h, p)) = before {
            query = if with_pos {
                query.bind(h).bind(h).bind(p)
            } else {
                query.bind(h)
            };
        }
        let mut rows = query
            .bind(i64::from(limit).saturating_add(1))
            .fetch_all(&self.pool)
            .await?;
        let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next = match rows.last() {
            Some(last) if more => {
                let h: i64 = last.try_get("height")?;
                Some(if with_pos {
                    let p: i64 = last.try_get("pos")?;
                    format!("{h}:{p}")
                } else {
                    h.to_string()
                })
            }
            _ => None,
        };
        Ok((rows, next))
    }

    /// Answers one history query.
    pub async fn query(&self, query: &HistoryQuery) -> Result<HistoryAnswer, IndexerError> {
        Ok(match query {
            HistoryQuery::Status => HistoryAnswer::Status(HistoryStatusView {
                enabled: true,
                db: self.kind.name().to_owned(),
                last_height: self.last_height().await?,
                first_height: self.first_height().await?,
                retention_blocks: self.retention_blocks,
            }),
            HistoryQuery::Blocks(page) => {
                let (rows, next) = self
                    .page(
                        "h_blocks",
                        "height, time_ms, hash, proposer, txs, failed_txs",
                        vec![],
                        page,
                        false,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(HistoryBlock {
                            height: get_u64(r, "height")?,
                            time_ms: get_u64(r, "time_ms")?,
                            hash: get_text(r, "hash")?,
                            proposer: get_text(r, "proposer")?,
                            txs: get_u64(r, "txs")?,
                            failed_txs: get_u64(r, "failed_txs")?,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Blocks(HistoryBlockPage { items, next })
            }
            HistoryQuery::Txs { signer, page } => {
                let filters = signer
                    .iter()
                    .map(|s| ("signer", Value::Text(s.clone())))
                    .collect();
                let (rows, next) = self
                    .page(
                        "h_txs",
                        "height, pos, hash, time_ms, signer, kinds, code, codespace",
                        filters,
                        page,
                        true,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        let kinds = get_text(r, "kinds")?;
                        Ok(HistoryTx {
                            hash: get_text(r, "hash")?,
                            height: get_u64(r, "height")?,
                            index: get_u64(r, "pos")?,
                            time_ms: get_u64(r, "time_ms")?,
                            signer: get_text(r, "signer")?,
                            kinds: kinds
                                .split(',')
                                .filter(|k| !k.is_empty())
                                .map(str::to_owned)
                                .collect(),
                            code: u32::try_from(get_u64(r, "code")?).unwrap_or(u32::MAX),
                            codespace: get_text(r, "codespace")?,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Txs(HistoryTxPage { items, next })
            }
            HistoryQuery::DeviceUsage(device, page) => {
                self.usage(("device", Value::Text(device.clone())), page)
                    .await?
            }
            HistoryQuery::AssetUsage(asset, page) => {
                self.usage(("asset_id", Value::Int(big("asset id", *asset)?)), page)
                    .await?
            }
            HistoryQuery::ContractCharges(contract, page) => {
                let (rows, next) = self
                    .page(
                        "h_charges",
                        "height, pos, time_ms, contract_id, asset_id, payer, denom, maintainer, \
                         platform, sla_penalty, shareholders",
                        vec![("contract_id", Value::Int(big("contract id", *contract)?))],
                        page,
                        true,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(HistoryCharge {
                            height: get_u64(r, "height")?,
                            time_ms: get_u64(r, "time_ms")?,
                            contract_id: get_u64(r, "contract_id")?,
                            asset_id: get_u64(r, "asset_id")?,
                            from: get_text(r, "payer")?,
                            denom: get_text(r, "denom")?,
                            maintainer: get_text(r, "maintainer")?,
                            platform: get_text(r, "platform")?,
                            sla_penalty: get_text(r, "sla_penalty")?,
                            shareholders: get_text(r, "shareholders")?,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Charges(HistoryChargePage { items, next })
            }
            HistoryQuery::AccountIncome(account, page) => {
                let (rows, next) = self
                    .page(
                        "h_income",
                        "height, pos, time_ms, account, asset_id, kind, amount",
                        vec![("account", Value::Text(account.clone()))],
                        page,
                        true,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(HistoryIncome {
                            height: get_u64(r, "height")?,
                            time_ms: get_u64(r, "time_ms")?,
                            account: get_text(r, "account")?,
                            asset_id: get_u64(r, "asset_id")?,
                            kind: get_text(r, "kind")?,
                            amount: get_text(r, "amount")?,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Income(HistoryIncomePage { items, next })
            }
            HistoryQuery::PoolSwaps(pool, page) => {
                let (rows, next) = self
                    .page(
                        "h_swaps",
                        "height, pos, time_ms, pool_id, trader, amount_in, denom_in, amount_out, \
                         denom_out, reserve_a, denom_a, reserve_b, denom_b, price",
                        vec![("pool_id", Value::Int(big("pool id", *pool)?))],
                        page,
                        true,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(HistorySwap {
                            height: get_u64(r, "height")?,
                            time_ms: get_u64(r, "time_ms")?,
                            pool_id: get_u64(r, "pool_id")?,
                            trader: get_text(r, "trader")?,
                            amount_in: get_text(r, "amount_in")?,
                            denom_in: get_text(r, "denom_in")?,
                            amount_out: get_text(r, "amount_out")?,
                            denom_out: get_text(r, "denom_out")?,
                            reserve_a: get_text(r, "reserve_a")?,
                            denom_a: get_text(r, "denom_a")?,
                            reserve_b: get_text(r, "reserve_b")?,
                            denom_b: get_text(r, "denom_b")?,
                            price: get_text(r, "price")?,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Swaps(HistorySwapPage { items, next })
            }
            HistoryQuery::Retirements {
                beneficiary,
                batch_id,
                page,
            } => {
                let mut filters = Vec::new();
                if let Some(b) = beneficiary {
                    filters.push(("beneficiary", Value::Text(b.clone())));
                }
                if let Some(b) = batch_id {
                    filters.push(("batch_id", Value::Int(big("batch id", *b)?)));
                }
                let (rows, next) = self
                    .page(
                        "h_retirements",
                        "height, pos, time_ms, retirement_id, batch_id, denom, amount, holder, \
                         beneficiary, jurisdiction",
                        filters,
                        page,
                        true,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(HistoryRetirement {
                            height: get_u64(r, "height")?,
                            time_ms: get_u64(r, "time_ms")?,
                            retirement_id: get_u64(r, "retirement_id")?,
                            batch_id: get_u64(r, "batch_id")?,
                            denom: get_text(r, "denom")?,
                            amount: get_text(r, "amount")?,
                            holder: get_text(r, "holder")?,
                            beneficiary: get_text(r, "beneficiary")?,
                            jurisdiction: get_text(r, "jurisdiction")?,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Retirements(HistoryRetirementPage { items, next })
            }
            HistoryQuery::ValidatorUptime(validator, page) => {
                let (rows, next) = self
                    .page(
                        "h_uptime",
                        "height, signed",
                        vec![("validator", Value::Text(validator.clone()))],
                        page,
                        false,
                    )
                    .await?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(HistoryUptime {
                            height: get_u64(r, "height")?,
                            signed: get_u64(r, "signed")? != 0,
                        })
                    })
                    .collect::<Result<_, IndexerError>>()?;
                HistoryAnswer::Uptime(HistoryUptimePage { items, next })
            }
        })
    }

    async fn usage(
        &self,
        filter: (&str, Value),
        page: &PageRequest,
    ) -> Result<HistoryAnswer, IndexerError> {
        let (rows, next) = self
            .page(
                "h_usage",
                "height, pos, time_ms, device, source, asset_id, contract_id, sequence, units, \
                 charged, collected",
                vec![filter],
                page,
                true,
            )
            .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(HistoryUsage {
                    height: get_u64(r, "height")?,
                    time_ms: get_u64(r, "time_ms")?,
                    device: get_text(r, "device")?,
                    source: get_text(r, "source")?,
                    asset_id: get_u64(r, "asset_id")?,
                    contract_id: get_u64(r, "contract_id")?,
                    sequence: get_u64(r, "sequence")?,
                    units: get_text(r, "units")?,
                    charged: get_text(r, "charged")?,
                    collected: get_text(r, "collected")?,
                })
            })
            .collect::<Result<_, IndexerError>>()?;
        Ok(HistoryAnswer::Usage(HistoryUsagePage { items, next }))
    }
}
