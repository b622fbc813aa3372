-- The history schema, portable SQL for SQLite and PostgreSQL alike: only
-- BIGINT and TEXT columns, amounts as base-10 TEXT (u128, exact). Every
-- table's key is derived from the block (height, position of the event in
-- it), so indexing a height again inserts nothing new.
CREATE TABLE indexer_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE h_blocks (height BIGINT PRIMARY KEY, time_ms BIGINT NOT NULL, hash TEXT NOT NULL, proposer TEXT NOT NULL, txs BIGINT NOT NULL, failed_txs BIGINT NOT NULL);
CREATE TABLE h_txs (height BIGINT NOT NULL, pos BIGINT NOT NULL, hash TEXT NOT NULL, time_ms BIGINT NOT NULL, signer TEXT NOT NULL, kinds TEXT NOT NULL, code BIGINT NOT NULL, codespace TEXT NOT NULL, PRIMARY KEY (height, pos));
CREATE INDEX h_txs_signer ON h_txs (signer, height, pos);
CREATE TABLE h_usage (height BIGINT NOT NULL, pos BIGINT NOT NULL, time_ms BIGINT NOT NULL, device TEXT NOT NULL, source TEXT NOT NULL, asset_id BIGINT NOT NULL, contract_id BIGINT NOT NULL, sequence BIGINT NOT NULL, units TEXT NOT NULL, charged TEXT NOT NULL, collected TEXT NOT NULL, PRIMARY KEY (height, pos));
CREATE INDEX h_usage_device ON h_usage (device, height, pos);
CREATE INDEX h_usage_asset ON h_usage (asset_id, height, pos);
CREATE TABLE h_charges (height BIGINT NOT NULL, pos BIGINT NOT NULL, time_ms BIGINT NOT NULL, contract_id BIGINT NOT NULL, asset_id BIGINT NOT NULL, payer TEXT NOT NULL, denom TEXT NOT NULL, maintainer TEXT NOT NULL, platform TEXT NOT NULL, sla_penalty TEXT NOT NULL, shareholders TEXT NOT NULL, PRIMARY KEY (height, pos));
CREATE INDEX h_charges_contract ON h_charges (contract_id, height, pos);
CREATE TABLE h_income (height BIGINT NOT NULL, pos BIGINT NOT NULL, time_ms BIGINT NOT NULL, account TEXT NOT NULL, asset_id BIGINT NOT NULL, kind TEXT NOT NULL, amount TEXT NOT NULL, PRIMARY KEY (height, pos));
CREATE INDEX h_income_account ON h_income (account, height, pos);
CREATE TABLE h_swaps (height BIGINT NOT NULL, pos BIGINT NOT NULL, time_ms BIGINT NOT NULL, pool_id BIGINT NOT NULL, trader TEXT NOT NULL, amount_in TEXT NOT NULL, denom_in TEXT NOT NULL, amount_out TEXT NOT NULL, denom_out TEXT NOT NULL, reserve_a TEXT NOT NULL, denom_a TEXT NOT NULL, reserve_b TEXT NOT NULL, denom_b TEXT NOT NULL, price TEXT NOT NULL, PRIMARY KEY (height, pos));
CREATE INDEX h_swaps_pool ON h_swaps (pool_id, height, pos);
CREATE TABLE h_retirements (height BIGINT NOT NULL, pos BIGINT NOT NULL, time_ms BIGINT NOT NULL, retirement_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, denom TEXT NOT NULL, amount TEXT NOT NULL, holder TEXT NOT NULL, beneficiary TEXT NOT NULL, jurisdiction TEXT NOT NULL, PRIMARY KEY (height, pos));
CREATE INDEX h_retirements_beneficiary ON h_retirements (beneficiary, height, pos);
CREATE INDEX h_retirements_batch ON h_retirements (batch_id, height, pos);
CREATE TABLE h_uptime (validator TEXT NOT NULL, height BIGINT NOT NULL, signed BIGINT NOT NULL, PRIMARY KEY (validator, height));
CREATE INDEX h_uptime_height ON h_uptime (height);
