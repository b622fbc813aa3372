//! Conversions from node data to the API's JSON views.

use base64::Engine as _;
use fructus_app::TxResult;
use fructus_rpc::{CertificateView, TxView};

/// The view of an included transaction.
pub(crate) fn tx_view(height: u64, index: u32, tx: &[u8], result: &TxResult) -> TxView {
    TxView {
        hash: result.hash.to_string(),
        height,
        index,
        code: result.code,
        codespace: result.codespace.clone(),
        log: result.log.clone(),
        gas_wanted: result.gas_wanted,
        gas_used: result.gas_used,
        events: result.events.clone(),
        tx: base64::engine::general_purpose::STANDARD.encode(tx),
    }
}

/// The certificate summary, if the bytes decode.
pub(crate) fn certificate_view(bytes: &[u8]) -> Option<CertificateView> {
    fructus_consensus::decode_certificate(bytes)
        .ok()
        .map(|c| CertificateView {
            round: c.round,
            signers: c.signers,
        })
}
