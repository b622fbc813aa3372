use fructus_types::{Address, Denom};

use crate::{CreditError, CreditParams};

/// The credit section of the genesis file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditGenesis {
    /// Parameters (each field may be omitted for its default).
    #[serde(default)]
    pub params: CreditParams,
    /// The credit stablecoin's bank denom (default `ucredit`), registered
    /// at genesis with no issuer: only this module mints and burns it.
    #[serde(default = "default_credit_denom")]
    pub credit_denom: Denom,
    /// The unit collateral is valued in and the credit denom is pegged to
    /// (default `uusd`): oracle pairs are `<collateral>:<quote>`.
    #[serde(default = "default_quote_denom")]
    pub quote_denom: Denom,
    /// Whether the credit denom is KYC-only (default true).
    #[serde(default = "yes")]
    pub kyc_only: bool,
    /// Rating agencies accredited from genesis.
    #[serde(default)]
    pub agencies: Vec<Address>,
}

fn default_credit_denom() -> Denom {
    "ucredit".parse().unwrap_or_else(|_| Denom::native())
}

fn default_quote_denom() -> Denom {
    "uusd".parse().unwrap_or_else(|_| Denom::native())
}

fn yes() -> bool {
    true
}

impl Default for CreditGenesis {
    fn default() -> Self {
        CreditGenesis {
            params: CreditParams::default(),
            credit_denom: default_credit_denom(),
            quote_denom: default_quote_denom(),
            kyc_only: true,
            agencies: Vec::new(),
        }
    }
}

impl CreditGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), CreditError> {
        self.params.validate()?;
        let bad = |reason: String| CreditError::Params { reason };
        if self.credit_denom.is_native() || self.credit_denom == self.quote_denom {
            return Err(bad(
                "credit.credit_denom: must be a new denom, neither ufrx nor the quote denom".into(),
            ));
        }
        if self.params.collateral(&self.credit_denom).is_some() {
            return Err(bad(
                "credit.params.collaterals: the credit denom cannot back itself".into(),
            ));
        }
        if let Some((i, a)) = self
            .agencies
            .iter()
            .enumerate()
            .find(|(i, a)| self.agencies.iter().take(*i).any(|b| b == *a))
        {
            return Err(bad(format!(
                "credit.agencies: {a} is listed twice (entry {i})"
            )));
        }
        Ok(())
    }
}
