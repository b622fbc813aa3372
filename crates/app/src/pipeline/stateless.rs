//! Phase 1: everything that needs no state. Parallel over a batch.

use fructus_auth::AuthParams;
use fructus_component::{GasMeter, StatelessContext, TxError};
use fructus_crypto::{VerifyItem, verify_batch};
use fructus_types::{
    KeyAlgo,
    tx::{DecodedTx, TxHash},
};
use rayon::prelude::*;

use super::verified;
use crate::{Msg, TxCheckError};

/// A transaction that passed every stateless check (signature included
/// once [`verify_signatures`] has run on it).
#[derive(Debug, Clone)]
pub struct ParsedTx {
    /// The decoded envelope.
    pub tx: DecodedTx,
    /// Its messages, parsed and stateless-checked.
    pub msgs: Vec<Msg>,
    /// Gas known before execution: bytes, signature, per-message base.
    pub intrinsic_gas: u64,
}

impl ParsedTx {
    /// Message kinds in order.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.msgs.iter().map(Msg::kind).collect()
    }

    /// The (device, sequence) of each message when every message is a
    /// device reading (`metering/submit_reading`), else `None`.
    ///
    /// Such a transaction is *nonceless*: it carries nonce 0 and neither
    /// checks nor advances the signer's account nonce, because each
    /// reading's strictly increasing device sequence already protects it
    /// from replay (and many readings of one device may be in flight at
    /// once). The ante refuses, before any fee is charged, a reading whose
    /// sequence is not above the device's stored one, so a replayed
    /// transaction cannot drain its fee payer.
    pub fn nonceless_readings(&self) -> Option<Vec<(fructus_types::Address, u64)>> {
        if self.msgs.is_empty() {
            return None;
        }
        self.msgs
            .iter()
            .map(|m| match m {
                Msg::MeteringSubmitReading(r) => Some((r.device, r.sequence)),
                _ => None,
            })
            .collect()
    }

    /// A gas meter with the intrinsic gas already consumed.
    pub(crate) fn gas_meter(&self) -> Result<GasMeter, TxCheckError> {
        let mut meter = GasMeter::new(self.tx.gas_limit);
        meter.consume(self.intrinsic_gas)?;
        Ok(meter)
    }
}

fn tx_err(e: TxCheckError) -> TxError {
    TxError::from_code(&e)
}

/// Decodes and checks one transaction without state, except its signature.
pub fn check(bytes: &[u8], chain_id: &str, params: &AuthParams) -> Result<ParsedTx, TxError> {
    let max = usize::try_from(params.max_tx_bytes).unwrap_or(usize::MAX);
    let tx = DecodedTx::decode(bytes, max).map_err(|e| tx_err(e.into()))?;
    if tx.body.chain_id != chain_id {
        return Err(tx_err(TxCheckError::ChainIdMismatch {
            expected: chain_id.to_owned(),
            got: tx.body.chain_id.clone(),
        }));
    }
    if tx.body.memo.len() > usize::try_from(params.max_memo_bytes).unwrap_or(usize::MAX) {
        return Err(tx_err(TxCheckError::MemoTooLong {
            len: tx.body.memo.len(),
            max: params.max_memo_bytes,
        }));
    }
    let count = tx.body.messages.len();
    if count > usize::try_from(params.max_messages).unwrap_or(usize::MAX) {
        return Err(tx_err(TxCheckError::TooManyMessages {
            count,
            max: params.max_messages,
        }));
    }
    let ctx = StatelessContext {
        chain_id,
        signer_key: &tx.signer,
    };
    let mut msgs = Vec::with_capacity(count);
    for (index, m) in tx.body.messages.iter().enumerate() {
        let msg = Msg::from_proto(m, index)?;
        msg.check_stateless(&ctx)?;
        msgs.push(msg);
    }
    let sig_gas = match tx.signer.algo() {
        KeyAlgo::Ed25519 => params.sig_gas_ed25519,
        KeyAlgo::P256 => params.sig_gas_p256,
    };
    let size = u64::try_from(tx.size).unwrap_or(u64::MAX);
    let intrinsic_gas = msgs.iter().fold(
        size.saturating_mul(params.gas_per_byte)
            .saturating_add(sig_gas),
        |g, m| g.saturating_add(m.base_gas()),
    );
    let parsed = ParsedTx {
        tx,
        msgs,
        intrinsic_gas,
    };
    parsed.gas_meter().map_err(tx_err)?;
    check_min_fee(&parsed, params).map_err(tx_err)?;
    Ok(parsed)
}

/// Refuses fees in unaccepted denoms or below gas limit × minimum price
/// (rounded up: the chain never undercharges).
fn check_min_fee(parsed: &ParsedTx, params: &AuthParams) -> Result<(), TxCheckError> {
    let fee = &parsed.tx.fee;
    let price = params
        .gas_price(&fee.denom)
        .ok_or_else(|| TxCheckError::FeeDenomNotAccepted {
            denom: fee.denom.to_string(),
            accepted: params
                .min_gas_prices
                .iter()
                .map(|p| p.denom.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let required = price
        .amount_per_kgas
        .mul_div_ceil(u128::from(parsed.tx.gas_limit), 1_000)
        .unwrap_or(fructus_types::Amount::MAX);
    if fee.amount < required {
        return Err(TxCheckError::FeeTooLow {
            denom: fee.denom.to_string(),
            required,
            got: fee.amount,
            gas_limit: parsed.tx.gas_limit,
        });
    }
    Ok(())
}

/// Checks a batch in parallel: stateless checks per transaction, then all
/// signatures batch-verified across cores. One result per input, in order.
pub fn check_batch(
    txs: &[Vec<u8>],
    chain_id: &str,
    params: &AuthParams,
) -> Vec<Result<ParsedTx, TxError>> {
    let parsed: Vec<Result<ParsedTx, TxError>> = txs
        .par_iter()
        .map(|bytes| check(bytes, chain_id, params))
        .collect();
    verify_signatures(parsed, chain_id)
}

/// Verifies the signatures of the parsed transactions in one parallel batch,
/// skipping those this process has already verified (see
/// [`super::verified`]) and remembering the new successes.
pub fn verify_signatures(
    parsed: Vec<Result<ParsedTx, TxError>>,
    chain_id: &str,
) -> Vec<Result<ParsedTx, TxError>> {
    let hashes: Vec<Option<TxHash>> = parsed
        .iter()
        .map(|p| p.as_ref().ok().map(|p| p.tx.hash))
        .collect();
    let known = verified::known(&hashes);
    let sign_bytes: Vec<Option<Vec<u8>>> = parsed
        .par_iter()
        .zip(&known)
        .map(|(p, known)| match p {
            Ok(p) if !known => Some(p.tx.sign_bytes(chain_id)),
            _ => None,
        })
        .collect();
    let items: Vec<VerifyItem<'_>> = parsed
        .iter()
        .zip(&sign_bytes)
        .filter_map(|(p, msg)| match (p, msg) {
            (Ok(p), Some(msg)) => Some(VerifyItem {
                key: &p.tx.signer,
                msg,
                sig: &p.tx.signature,
            }),
            _ => None,
        })
        .collect();
    let mut verdicts = verify_batch(&items).into_iter();
    drop(items);
    let mut newly_verified = Vec::new();
    let out = parsed
        .into_iter()
        .zip(known)
        .map(|(p, known)| {
            let p = p?;
            if known {
                return Ok(p);
            }
            match verdicts.next() {
                Some(Ok(())) => {
                    newly_verified.push(p.tx.hash);
                    Ok(p)
                }
                Some(Err(e)) => Err(bad_signature(e.to_string())),
                None => Err(bad_signature("not verified".into())),
            }
        })
        .collect();
    verified::remember(newly_verified);
    out
}

fn bad_signature(reason: String) -> TxError {
    TxError::from_code(&TxCheckError::BadSignature { reason })
}
