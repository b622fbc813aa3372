//! From a block's events to history rows. Pure: no database, no I/O.

use fructus_component::Event;

use crate::IndexBlock;

/// A transaction row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TxRow {
    pub(crate) pos: i64,
    pub(crate) hash: String,
    pub(crate) signer: String,
    pub(crate) kinds: String,
    pub(crate) code: i64,
    pub(crate) codespace: String,
}

/// A history row read from one event, with the event's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Row {
    Usage {
        device: String,
        source: String,
        asset_id: i64,
        contract_id: i64,
        sequence: i64,
        units: String,
        charged: String,
        collected: String,
    },
    Charge {
        contract_id: i64,
        asset_id: i64,
        payer: String,
        denom: String,
        maintainer: String,
        platform: String,
        sla_penalty: String,
        shareholders: String,
    },
    Income {
        account: String,
        asset_id: i64,
        kind: &'static str,
        amount: String,
    },
    Swap {
        pool_id: i64,
        trader: String,
        amount_in: String,
        denom_in: String,
        amount_out: String,
        denom_out: String,
        reserve_a: String,
        denom_a: String,
        reserve_b: String,
        denom_b: String,
        price: String,
    },
    Retirement {
        retirement_id: i64,
        batch_id: i64,
        denom: String,
        amount: String,
        holder: String,
        beneficiary: String,
        jurisdiction: String,
    },
}

/// The transactions of `block`, each with its position.
pub(crate) fn tx_rows(block: &IndexBlock) -> Vec<TxRow> {
    block
        .txs
        .iter()
        .zip(0i64..)
        .map(|(tx, pos)| {
            let signer = tx
                .events
                .iter()
                .find(|e| e.kind == "tx.fee")
                .and_then(|e| e.get("signer"))
                .unwrap_or_default()
                .to_owned();
            let mut kinds: Vec<&str> = Vec::new();
            for e in &tx.events {
                if e.kind != "tx.fee" && !kinds.contains(&e.kind.as_str()) {
                    kinds.push(&e.kind);
                }
            }
            TxRow {
                pos,
                hash: tx.hash.clone(),
                signer,
                kinds: kinds.join(","),
                code: i64::from(tx.code),
                codespace: tx.codespace.clone(),
            }
        })
        .collect()
}

/// The history rows of `block`, each with the position of its event in the
/// block: the transactions' events in order, then the block hooks' events.
pub(crate) fn rows(block: &IndexBlock) -> Vec<(i64, Row)> {
    let events = block
        .txs
        .iter()
        .flat_map(|tx| tx.events.iter())
        .chain(block.block_events.iter());
    let mut out = Vec::new();
    for (event, pos) in events.zip(0i64..) {
        if let Some(row) = row(event) {
            out.push((pos, row));
        } else if is_indexed(&event.kind) {
            tracing::warn!(height = block.height, kind = %event.kind, "indexer skipped an event it could not read");
        }
    }
    out
}

/// The kinds [`row`] reads.
fn is_indexed(kind: &str) -> bool {
    matches!(
        kind,
        "metering.reading"
            | "metering.payment_split"
            | "asset.income_claimed"
            | "asset.income_withheld"
            | "amm.swap"
            | "certificate.retired"
    )
}

fn text(e: &Event, key: &str) -> Option<String> {
    e.get(key).map(str::to_owned)
}

fn int(e: &Event, key: &str) -> Option<i64> {
    e.get(key)?.parse::<i64>().ok().filter(|v| *v >= 0)
}

fn amount(e: &Event, key: &str) -> Option<String> {
    let v = e.get(key)?;
    v.parse::<u128>().ok().map(|_| v.to_owned())
}

/// `1000uusd` → (`1000`, `uusd`).
fn coin(e: &Event, key: &str) -> Option<(String, String)> {
    let v = e.get(key)?;
    let split = v.find(|c: char| !c.is_ascii_digit())?;
    let (amount, denom) = v.split_at(split);
    amount.parse::<u128>().ok()?;
    Some((amount.to_owned(), denom.to_owned()))
}

/// The row an event gives, if it is one the indexer keeps.
fn row(e: &Event) -> Option<Row> {
    match e.kind.as_str() {
        "metering.reading" => Some(Row::Usage {
            device: text(e, "device").unwrap_or_default(),
            source: text(e, "source")?,
            asset_id: int(e, "asset_id")?,
            contract_id: int(e, "contract_id")?,
            sequence: int(e, "sequence")?,
            units: amount(e, "units")?,
            charged: amount(e, "charged")?,
            collected: amount(e, "collected")?,
        }),
        "metering.payment_split" => Some(Row::Charge {
            contract_id: int(e, "contract_id")?,
            asset_id: int(e, "asset_id")?,
            payer: text(e, "from")?,
            denom: text(e, "denom")?,
            maintainer: amount(e, "maintainer")?,
            platform: amount(e, "platform")?,
            sla_penalty: amount(e, "sla_penalty")?,
            shareholders: amount(e, "shareholders")?,
        }),
        "asset.income_claimed" | "asset.income_withheld" => Some(Row::Income {
            account: text(e, "holder")?,
            asset_id: int(e, "asset_id")?,
            kind: if e.kind == "asset.income_claimed" {
                "claimed"
            } else {
                "withheld"
            },
            amount: text(e, "amount")?,
        }),
        "asset.income_credited" => {
            let recipient = text(e, "recipient")?;
            (recipient != "shareholders").then_some(())?;
            Some(Row::Income {
                account: recipient,
                asset_id: int(e, "asset_id")?,
                kind: "credited",
                amount: text(e, "amount")?,
            })
        }
        "amm.swap" => {
            let (amount_in, denom_in) = coin(e, "in")?;
            let (amount_out, denom_out) = coin(e, "out")?;
            let (reserve_a, denom_a) = coin(e, "reserve_a")?;
            let (reserve_b, denom_b) = coin(e, "reserve_b")?;
            let price = ratio(reserve_b.parse().ok()?, reserve_a.parse().ok()?);
            Some(Row::Swap {
                pool_id: int(e, "pool_id")?,
                trader: text(e, "trader")?,
                amount_in,
                denom_in,
                amount_out,
                denom_out,
                reserve_a,
                denom_a,
                reserve_b,
                denom_b,
                price,
            })
        }
        "certificate.retired" => Some(Row::Retirement {
            retirement_id: int(e, "retirement_id")?,
            batch_id: int(e, "batch_id")?,
            denom: text(e, "denom")?,
            amount: amount(e, "amount")?,
            holder: text(e, "holder")?,
            beneficiary: text(e, "beneficiary")?,
            jurisdiction: text(e, "jurisdiction")?,
        }),
        _ => None,
    }
}

/// `n / d` as an exact decimal with at most 18 fractional digits,
/// truncated (trailing zeros dropped); `"0"` for `d = 0`. Long division, so
/// no intermediate value exceeds `10 · d`, and a `d` too large for that
/// stops the digits early instead of overflowing.
pub(crate) fn ratio(n: u128, d: u128) -> String {
    let (Some(int), Some(mut rem)) = (n.checked_div(d), n.checked_rem(d)) else {
        return "0".to_owned();
    };
    let mut digits = String::new();
    for _ in 0..18 {
        let (Some(next), true) = (rem.checked_mul(10), rem != 0) else {
            break;
        };
        let (Some(digit), Some(r)) = (next.checked_div(d), next.checked_rem(d)) else {
            break;
        };
        digits.push_str(&digit.to_string());
        rem = r;
    }
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{digits}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_is_exact_and_truncated_never_overflowing() {
        assert_eq!(ratio(105_000, 10_000), "10.5");
        assert_eq!(ratio(1, 3), "0.333333333333333333");
        assert_eq!(ratio(7, 0), "0");
        assert_eq!(ratio(0, 5), "0");
        assert_eq!(ratio(u128::MAX, 1), u128::MAX.to_string());
        assert!(ratio(1, u128::MAX).starts_with('0'));
    }

    #[test]
    fn a_malformed_event_gives_no_row() {
        let bad = Event::new("amm.swap").attr("pool_id", "x");
        assert_eq!(row(&bad), None);
        let shareholders = Event::new("asset.income_credited")
            .attr("asset_id", 1)
            .attr("amount", "5uusd")
            .attr("recipient", "shareholders");
        assert_eq!(row(&shareholders), None);
    }
}
