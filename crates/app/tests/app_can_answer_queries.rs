//! Module queries answer from committed state: each module's request enum
//! parses the URL segments, validates them before reading, and answers with
//! its typed response.

#![allow(clippy::unwrap_used)]

use fructus_component::query::{Query, QueryAt, QueryError, QueryParams};
use fructus_metering::query::MeteringQuery;
use fructus_test_utils::{coin, metering::Metered};
use fructus_types::BlockTime;

fn ask(f: &Metered, path: &[&str]) -> Result<serde_json::Value, QueryError> {
    let at = QueryAt {
        height: 1,
        time: BlockTime(0),
    };
    MeteringQuery::parse(path, &QueryParams::new())?.answer(&f.chain.app.snapshot().unwrap(), at)
}

#[test]
fn devices_and_contracts_are_served_by_address_asset_and_customer() {
    let mut f = Metered::new();
    let id = f.contract(
        &fructus_client::metering::ContractTerms::prepaid(coin("3ufrx"), 2),
        Some("100ufrx"),
    );
    assert!(f.read(4).is_ok());
    let device = f.device.to_string();
    let d = ask(&f, &["devices", &device]).unwrap();
    assert_eq!(d["counter"], 4);
    assert_eq!(d["status"], "active");
    let asset = f.asset_id.to_string();
    let list = ask(&f, &["devices", "asset", &asset]).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let c = ask(&f, &["contracts", &id.to_string()]).unwrap();
    assert_eq!(c["charged"], "6");
    assert_eq!(c["status"], "active");
    let dave = f.chain.addr("dave").to_string();
    let mine = ask(&f, &["contracts", "customer", &dave]).unwrap();
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    let of_asset = ask(&f, &["contracts", "asset", &asset]).unwrap();
    assert_eq!(of_asset.as_array().map(Vec::len), Some(1));
    assert_eq!(ask(&f, &["contracts", "99"]).unwrap_err().status(), 404);
    assert_eq!(
        ask(&f, &["devices", "oracles", &asset])
            .unwrap_err()
            .status(),
        404
    );
}

#[test]
fn a_malformed_query_is_refused_before_any_state_is_read() {
    let params = QueryParams::from([("limit".to_owned(), "lots".to_owned())]);
    let refused = [
        MeteringQuery::parse(&["devices", "nonsense"], &QueryParams::new()),
        MeteringQuery::parse(&["contracts", "asset", "1"], &params),
        MeteringQuery::parse(&["contracts", "-3"], &QueryParams::new()),
    ];
    for r in refused {
        let e = r.unwrap_err();
        assert!(matches!(e, QueryError::BadParam { .. }), "{e}");
        assert_eq!(e.status(), 400);
    }
    let e = MeteringQuery::parse(&["devices", "a", "b", "c"], &QueryParams::new()).unwrap_err();
    assert!(matches!(e, QueryError::NoRoute { .. }), "{e}");
}
