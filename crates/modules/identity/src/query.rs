//! Read-only views for the RPC and `fructus query identity account ADDR`.

use fructus_storage::StateRead;
use fructus_types::{Address, BlockHeight, BlockTime};

use crate::{
    Attestation, AttestationStatus, FreezeRecord, IdentityError, IdentityStateReadExt, Tier,
    records::hex_bytes,
};

/// An attestation and whether it counts at the queried height and time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttestationView {
    /// The stored attestation.
    #[serde(flatten)]
    pub attestation: Attestation,
    /// Its status at the queried block.
    pub status: AttestationStatus,
}

/// Everything identity knows about one account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountIdentity {
    /// The account.
    pub address: Address,
    /// Its tier at the queried block.
    pub tier: Tier,
    /// Highest valid KYC level, if any.
    pub kyc_level: Option<u8>,
    /// Its freeze, if frozen.
    pub frozen: Option<FreezeRecord>,
    /// True if an accredited KYC provider.
    pub kyc_provider: bool,
    /// Its records encryption key, if a regulator registered one.
    #[serde(serialize_with = "opt_hex")]
    pub encryption_key: Option<[u8; 32]>,
    /// Every attestation of it, with status.
    pub attestations: Vec<AttestationView>,
}

fn opt_hex<S: serde::Serializer>(v: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(k) => hex_bytes(k, s),
        None => s.serialize_none(),
    }
}

/// The identity view of `address` at (`height`, `time`).
pub fn account_identity<S: StateRead + ?Sized>(
    state: &S,
    address: &Address,
    height: BlockHeight,
    time: BlockTime,
) -> Result<AccountIdentity, IdentityError> {
    let mut attestations = Vec::new();
    for attestation in state.attestations(address)? {
        let status = state.attestation_status(&attestation, height, time)?;
        attestations.push(AttestationView {
            attestation,
            status,
        });
    }
    Ok(AccountIdentity {
        address: *address,
        tier: state.tier(address, height, time)?,
        kyc_level: state.kyc_level(address, height, time)?,
        frozen: state.freeze_record(address)?,
        kyc_provider: state.is_provider(address)?,
        encryption_key: if state.is_regulator(address)? {
            state.encryption_key(address)?
        } else {
            None
        },
        attestations,
    })
}
