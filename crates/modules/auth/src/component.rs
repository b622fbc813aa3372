use fructus_component::{Component, init_params};
use fructus_storage::StateWrite;

use crate::{Account, AuthError, AuthGenesis, AuthStateWriteExt};

/// The auth module's life-cycle hooks.
#[derive(Debug, Clone, Copy)]
pub struct Auth;

impl Component for Auth {
    type Genesis = AuthGenesis;
    type Error = AuthError;

    fn init_genesis<S: StateWrite>(state: &mut S, genesis: &AuthGenesis) -> Result<(), AuthError> {
        genesis.validate()?;
        init_params(state, &genesis.params)?;
        for a in &genesis.accounts {
            if let Some(pk) = &a.public_key {
                state.bind_key(pk, &a.address)?;
            }
            state.put_account(&Account {
                address: a.address,
                public_key: a.public_key.clone(),
                nonce: 0,
            })?;
        }
        Ok(())
    }
}
