//! One constructor per lending event. Every pool event carries `denom`
//! and the market's books after it; every NFT loan event `loan_id`.

use fructus_component::Event;
use fructus_types::{Address, Coin, Denom};

use crate::{Market, NftLoan};

/// `lending.<action>` on a pool: supply, redeem, borrow, repay,
/// sweep_reserves.
pub(crate) fn pool(
    action: &str,
    account: &Address,
    denom: &Denom,
    amount: u128,
    market: &Market,
) -> Event {
    Event::new(format!("lending.{action}"))
        .attr("account", account)
        .attr("denom", denom)
        .attr("amount", amount)
        .attr("cash", market.cash)
        .attr("borrows", market.borrows)
        .attr("reserves", market.reserves)
        .attr("supply", market.supply)
        .attr("index", market.index)
}

/// `lending.pledge` / `lending.unpledge`.
pub(crate) fn pledge(action: &str, account: &Address, coin: &Coin, pledged: u128) -> Event {
    Event::new(format!("lending.{action}"))
        .attr("account", account)
        .attr("amount", coin)
        .attr("pledged", pledged)
}

/// `lending.liquidate`.
pub(crate) fn liquidate(
    borrower: &Address,
    liquidator: &Address,
    repaid: &Coin,
    seized: &Coin,
) -> Event {
    Event::new("lending.liquidate")
        .attr("borrower", borrower)
        .attr("liquidator", liquidator)
        .attr("repaid", repaid)
        .attr("seized", seized)
}

/// `lending.nft_loan_<action>`: an NFT loan was `offered`, `cancelled`,
/// `accepted`, `repaid` or `claimed`.
pub(crate) fn nft_loan(action: &str, loan: &NftLoan) -> Event {
    let mut e = Event::new(format!("lending.nft_loan_{action}"))
        .attr("loan_id", loan.id)
        .attr("lender", loan.lender)
        .attr("asset_id", loan.asset_id)
        .attr("amount", &loan.amount)
        .attr("due", loan.due)
        .attr("maturity_ms", loan.maturity_ms);
    if let Some(b) = loan.borrower {
        e = e.attr("borrower", b);
    }
    e
}

/// `lending.nft_loan_income`: income paid on to the borrower.
pub(crate) fn nft_loan_income(loan_id: u64, borrower: &Address, paid: &[Coin]) -> Event {
    Event::new("lending.nft_loan_income")
        .attr("loan_id", loan_id)
        .attr("borrower", borrower)
        .attr(
            "paid",
            paid.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
}
