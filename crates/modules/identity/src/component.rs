use fructus_component::Component;
use fructus_storage::StateWrite;

use crate::{
    IdentityError, IdentityGenesis, IdentityStateWriteExt, ProviderRecord, genesis::parse_hex32,
};

/// The identity module's life-cycle hooks. No block hooks: expiries are
/// checked at use, so nothing runs per block.
#[derive(Debug, Clone, Copy)]
pub struct Identity;

impl Component for Identity {
    type Genesis = IdentityGenesis;
    type Error = IdentityError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &IdentityGenesis,
    ) -> Result<(), IdentityError> {
        genesis.validate()?;
        for r in &genesis.regulators {
            state.put_regulator(r, 0)?;
        }
        for p in &genesis.providers {
            state.put_provider(&ProviderRecord {
                provider: *p,
                accredited_by: None,
                since_height: 0,
            })?;
        }
        for a in &genesis.attestations {
            state.put_attestation(&a.to_attestation()?)?;
        }
        for k in &genesis.encryption_keys {
            let key = parse_hex32(&k.x25519_pubkey).ok_or_else(|| IdentityError::Genesis {
                reason: format!("identity.encryption_keys: bad key for {}", k.regulator),
            })?;
            state.put_encryption_key(&k.regulator, &key)?;
        }
        Ok(())
    }
}
