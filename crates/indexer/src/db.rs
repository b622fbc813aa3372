//! The database: opening it, migrations, writing a block, retention.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Row as _, Transaction};

use crate::extract::{Row, rows, tx_rows};
use crate::{IndexBlock, IndexerError};

/// The migrations, in order: (version, SQL of `;`-separated statements).
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_history.sql"))];

/// Longest wait for a database connection (an unreachable server fails the
/// start, or the follower's round, after this long).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Most heights one [`Indexer::prune`] call deletes.
pub const PRUNE_BATCH_HEIGHTS: u64 = 100;

/// Which database the indexer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    /// SQLite (a file).
    Sqlite,
    /// PostgreSQL (a server).
    Postgres,
}

impl DbKind {
    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }
}

impl FromStr for DbKind {
    type Err = IndexerError;
    fn from_str(url: &str) -> Result<Self, IndexerError> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            Err(IndexerError::UnsupportedDb {
                url: url.to_owned(),
            })
        }
    }
}

/// The indexer's handle on its database (cheap to share behind an `Arc`).
#[derive(Debug, Clone)]
pub struct Indexer {
    pub(crate) pool: AnyPool,
    pub(crate) kind: DbKind,
    pub(crate) retention_blocks: u64,
}

/// A height or id as the database's BIGINT.
pub(crate) fn big(what: &'static str, value: u64) -> Result<i64, IndexerError> {
    i64::try_from(value).map_err(|_| IndexerError::OutOfRange { what, value })
}

/// A BIGINT read back (never negative: the indexer writes none).
pub(crate) fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl Indexer {
    /// Opens (creating a SQLite file if needed) the database at `url` and
    /// brings its schema up to date. `retention_blocks`: heights of history
    /// to keep (0 = all).
    pub async fn open(url: &str, retention_blocks: u64) -> Result<Self, IndexerError> {
        let kind: DbKind = url.parse()?;
        install_default_drivers();
        let url = match kind {
            DbKind::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(&url)
            .await?;
        if kind == DbKind::Sqlite {
            // Readers (the API) do not block the writer, nor it them.
            sqlx::query("PRAGMA journal_mode=WAL")
                .execute(&pool)
                .await?;
        }
        let indexer = Indexer {
            pool,
            kind,
            retention_blocks,
        };
        indexer.migrate().await?;
        Ok(indexer)
    }

    /// Which database this is.
    pub fn kind(&self) -> DbKind {
        self.kind
    }

    async fn migrate(&self) -> Result<(), IndexerError> {
        sqlx::query("CREATE TABLE IF NOT EXISTS indexer_migrations (version BIGINT PRIMARY KEY)")
            .execute(&self.pool)
            .await?;
        for (version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query("SELECT version FROM indexer_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if done {
                continue;
            }
            for statement in sql
                .split(';')
                .map(|s| {
                    s.lines()
                        .filter(|l| !l.trim_start().starts_with("--"))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .filter(|s| !s.trim().is_empty())
            {
                sqlx::query(&statement).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO indexer_migrations (version) VALUES ($1)")
                .bind(*version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// The last height indexed (0: none).
    pub async fn last_height(&self) -> Result<u64, IndexerError> {
        let row = sqlx::query("SELECT value FROM indexer_state WHERE name = 'last_height'")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => unsigned(row.try_get::<i64, _>(0)?),
            None => 0,
        })
    }

    /// The oldest height whose history is kept (0: none).
    pub async fn first_height(&self) -> Result<u64, IndexerError> {
        let row = sqlx::query("SELECT MIN(height) FROM h_blocks")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.map_or(0, unsigned))
    }

    /// Writes `block`'s history and moves the cursor to its height (if
    /// higher), in one transaction: all of it or none. Indexing a height
    /// again inserts nothing new.
    pub async fn index_block(&self, block: &IndexBlock) -> Result<(), IndexerError> {
        let height = big("height", block.height)?;
        let time = big("block time", block.time_ms)?;
        let txs = tx_rows(block);
        let failed = txs.iter().filter(|t| t.code != 0).count();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO h_blocks (height, time_ms, hash, proposer, txs, failed_txs) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(height)
        .bind(time)
        .bind(&block.hash)
        .bind(&block.proposer)
        .bind(i64::try_from(txs.len()).unwrap_or(i64::MAX))
        .bind(i64::try_from(failed).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        for t in &txs {
            sqlx::query(
                "INSERT INTO h_txs (height, pos, hash, time_ms, signer, kinds, code, codespace) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            )
            .bind(height)
            .bind(t.pos)
            .bind(&t.hash)
            .bind(time)
            .bind(&t.signer)
            .bind(&t.kinds)
            .bind(t.code)
            .bind(&t.codespace)
            .execute(&mut *tx)
            .await?;
        }
        for (pos, row) in rows(block) {
            insert_row(&mut tx, height, pos, time, row).await?;
        }
        for validator in &block.validators {
            let signed = i64::from(block.signers.contains(validator));
            sqlx::query(
                "INSERT INTO h_uptime (validator, height, signed) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(validator)
            .bind(height)
            .bind(signed)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO indexer_state (name, value) VALUES ('last_height', $1) \
             ON CONFLICT (name) DO UPDATE SET value = CASE \
             WHEN excluded.value > indexer_state.value THEN excluded.value \
             ELSE indexer_state.value END",
        )
        .bind(height)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies the retention policy: deletes history below the latest
    /// `retention_blocks` heights, at most [`PRUNE_BATCH_HEIGHTS`] heights
    /// per call. Returns whether more is left to delete.
    pub async fn prune(&self) -> Result<bool, IndexerError> {
        if self.retention_blocks == 0 {
            return Ok(false);
        }
        let last = self.last_height().await?;
        let first = self.first_height().await?;
        // Keep `last - retention + 1 ..= last`.
        let keep_from = last.saturating_sub(self.retention_blocks).saturating_add(1);
        if first == 0 || first >= keep_from {
            return Ok(false);
        }
        let below = keep_from.min(first.saturating_add(PRUNE_BATCH_HEIGHTS));
        let cut = big("height", below)?;
        let mut tx = self.pool.begin().await?;
        for table in [
            "h_txs",
            "h_usage",
            "h_charges",
            "h_income",
            "h_swaps",
            "h_retirements",
            "h_uptime",
            "h_blocks",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE height < $1"))
                .bind(cut)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(below < keep_from)
    }
}

async fn insert_row(
    tx: &mut Transaction<'static, Any>,
    height: i64,
    pos: i64,
    time: i64,
    row: Row,
) -> Result<(), IndexerError> {
    let query = match row {
        Row::Usage {
            device,
            source,
            asset_id,
            contract_id,
            sequence,
            units,
            charged,
            collected,
        } => sqlx::query(
            "INSERT INTO h_usage (height, pos, time_ms, device, source, asset_id, contract_id, \
             sequence, units, charged, collected) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
        )
        .bind(height)
        .bind(pos)
        .bind(time)
        .bind(device)
        .bind(source)
        .bind(asset_id)
        .bind(contract_id)
        .bind(sequence)
        .bind(units)
        .bind(charged)
        .bind(collected),
        Row::Charge {
            contract_id,
            asset_id,
            payer,
            denom,
            maintainer,
            platform,
            sla_penalty,
            shareholders,
        } => sqlx::query(
            "INSERT INTO h_charges (height, pos, time_ms, contract_id, asset_id, payer, denom, \
             maintainer, platform, sla_penalty, shareholders) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
        )
        .bind(height)
        .bind(pos)
        .bind(time)
        .bind(contract_id)
        .bind(asset_id)
        .bind(payer)
        .bind(denom)
        .bind(maintainer)
        .bind(platform)
        .bind(sla_penalty)
        .bind(shareholders),
        Row::Income {
            account,
            asset_id,
            kind,
            amount,
        } => sqlx::query(
            "INSERT INTO h_income (height, pos, time_ms, account, asset_id, kind, amount) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(height)
        .bind(pos)
        .bind(time)
        .bind(account)
        .bind(asset_id)
        .bind(kind)
        .bind(amount),
        Row::Swap {
            pool_id,
            trader,
            amount_in,
            denom_in,
            amount_out,
            denom_out,
            reserve_a,
            denom_a,
            reserve_b,
            denom_b,
            price,
        } => sqlx::query(
            "INSERT INTO h_swaps (height, pos, time_ms, pool_id, trader, amount_in, denom_in, \
             amount_out, denom_out, reserve_a, denom_a, reserve_b, denom_b, price) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT DO NOTHING",
        )
        .bind(height)
        .bind(pos)
        .bind(time)
        .bind(pool_id)
        .bind(trader)
        .bind(amount_in)
        .bind(denom_in)
        .bind(amount_out)
        .bind(denom_out)
        .bind(reserve_a)
        .bind(denom_a)
        .bind(reserve_b)
        .bind(denom_b)
        .bind(price),
        Row::Retirement {
            retirement_id,
            batch_id,
            denom,
            amount,
            holder,
            beneficiary,
            jurisdiction,
        } => sqlx::query(
            "INSERT INTO h_retirements (height, pos, time_ms, retirement_id, batch_id, denom, \
             amount, holder, beneficiary, jurisdiction) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
        )
        .bind(height)
        .bind(pos)
        .bind(time)
        .bind(retirement_id)
        .bind(batch_id)
        .bind(denom)
        .bind(amount)
        .bind(holder)
        .bind(beneficiary)
        .bind(jurisdiction),
    };
    query.execute(&mut **tx).await?;
    Ok(())
}
