//! The credit module's accounts: pure functions, the same with or without
//! the `component` feature.

use fructus_types::Address;

/// The module account holding one vault's collateral (one per vault, so
/// the income its shares earn is exactly that vault's):
/// `Address::module("credit_vault/<id>")`.
pub fn vault_account(vault_id: u64) -> Address {
    Address::module(&format!("credit_vault/{vault_id}"))
}

/// The surplus buffer: stability fees and liquidation penalties are paid
/// here (in the credit denom), and bad debt is burned from here first.
pub fn surplus_account() -> Address {
    Address::module("credit_surplus")
}
