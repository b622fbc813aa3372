//! `credit/claim_income`: shares deposited as collateral keep earning
//! their asset's income. The vault's own module account holds them, so
//! the asset module credits the income to that account like to any
//! holder; this claims it from the asset's escrow into the vault account
//! (module accounts always pass the gate) and pays it on to the owner
//! through the compliance gate.

use fructus_asset::AssetStateWriteExt;
use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{CreditError, CreditStateReadExt, Vault, event, msg::ClaimIncome, vault_account};

impl ActionHandler for ClaimIncome {
    type Error = CreditError;
    /// The vault and its asset.
    type Checked = (Vault, u64);
    const KIND: &'static str = "credit/claim_income";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Vault, u64), CreditError> {
        let vault = state.require_vault(self.vault_id)?;
        if vault.owner != ctx.signer {
            return Err(CreditError::NotOwner {
                vault_id: vault.id,
                owner: vault.owner,
                signer: ctx.signer,
            });
        }
        let asset_id = vault
            .denom
            .as_str()
            .strip_prefix(fructus_income::SHARE_PREFIX)
            .and_then(|id| id.parse::<u64>().ok())
            .ok_or_else(|| {
                CreditError::field(
                    "vault_id",
                    format!("vault {} holds {}, not asset shares", vault.id, vault.denom),
                )
            })?;
        Ok((vault, asset_id))
    }

    fn execute<S: StateWrite>(
        &self,
        (vault, asset_id): (Vault, u64),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        let account = vault_account(vault.id);
        let claim = state.claim_income(asset_id, &account)?;
        for coin in &claim.paid {
            state.transfer(&account, &vault.owner, coin)?;
        }
        let paid = claim
            .paid
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        ctx.emit(event::vault("claim_income", &vault, paid));
        Ok(())
    }
}
