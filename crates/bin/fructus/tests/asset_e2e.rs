//! Issue 5 end to end on a running node, every step through the CLI and
//! visible over REST: class → asset → fractionalize → shares to a second
//! account → DepositIncome → both holders claim exactly their share.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

const H: &str = "5f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

use std::time::Duration;

use common::{Net, address, cli, event_attr, get, run};

#[test]
fn class_asset_shares_income_and_claims_over_cli_and_rest() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(60));

    // bob is not a KYC'd enterprise: refused; alice (attested at genesis) may.
    let api = net.api(0);
    let refused_args: &[&str] = &[
        "tx",
        "asset",
        "create-class",
        "bob",
        "--name",
        "Chiller",
        "--manufacturer",
        "Acme",
        "--model",
        "C1",
        "--unit",
        "cooling-kWh",
        "--metadata-uri",
        "https://acme.example/c1.json",
        "--metadata-sha256",
        H,
        "--node",
        &api,
        "--wait",
    ];
    let refused = cli(net.home(0), refused_args);
    // Simulated first: refused before broadcast, so bob pays nothing.
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("asset#16") && why.contains("not sent"),
        "{why}"
    );
    let bob: fructus_crypto::Address = address(&net, "bob").parse().unwrap();
    assert_eq!(
        net.client(0).account(&bob).unwrap().nonce,
        0,
        "nothing was broadcast"
    );
    // With --no-simulate it is included, fails the same way, and says it
    // paid its fee.
    let mut args = refused_args.to_vec();
    args.push("--no-simulate");
    let included = cli(net.home(0), &args);
    assert!(!included.status.success());
    let why = String::from_utf8_lossy(&included.stderr);
    assert!(
        why.contains("asset#16") && why.contains("included, so its fee was charged"),
        "an included failure says it paid: {why}"
    );
    assert_eq!(net.client(0).account(&bob).unwrap().nonce, 1);
    // --gas auto: the limit is the simulated use plus a third, far below
    // the 200000 default for a plain send, and the send still fits in it.
    let sent = run(
        &net,
        &[
            "tx", "bank", "send", "carol", "bob", "1ufrx", "--gas", "auto",
        ],
    );
    let (wanted, used) = (
        sent["result"]["gas_wanted"].as_u64().unwrap(),
        sent["result"]["gas_used"].as_u64().unwrap(),
    );
    assert!(used <= wanted && wanted < 200_000, "gas {used} of {wanted}");
    // The probe was signed with another gas limit, so its per-byte gas
    // differs by a few units from the real transaction's.
    assert!(
        wanted >= used * 13 / 10,
        "about a third above the use: {used} of {wanted}"
    );
    let r = run(
        &net,
        &[
            "tx",
            "asset",
            "create-class",
            "alice",
            "--name",
            "Chiller",
            "--manufacturer",
            "Acme",
            "--model",
            "C1",
            "--unit",
            "cooling-kWh",
            "--metadata-uri",
            "https://acme.example/c1.json",
            "--metadata-sha256",
            H,
        ],
    );
    let class_id = event_attr(&r, "asset.create_class", "class_id");

    // The class creator manages the manufacturer's device-attestation keys.
    let meter: serde_json::Value =
        serde_json::from_slice(&cli(net.home(0), &["keys", "show", "meter", "-o", "json"]).stdout)
            .unwrap();
    let key = format!("p256:{}", meter["pubkey"].as_str().unwrap());
    run(
        &net,
        &[
            "tx",
            "asset",
            "update-keys",
            "alice",
            &class_id,
            "--add",
            &key,
        ],
    );
    let class = get(&net, &format!("/v1/assets/classes/{class_id}"));
    assert_eq!(
        class["attestation_keys"].as_array().map(Vec::len),
        Some(1),
        "{class}"
    );
    let not_creator = cli(
        net.home(0),
        &[
            "tx",
            "asset",
            "update-keys",
            "bob",
            &class_id,
            "--remove",
            &key,
            "--node",
            &net.api(0),
            "--wait",
        ],
    );
    assert!(
        String::from_utf8_lossy(&not_creator.stderr).contains("asset#5"),
        "{}",
        String::from_utf8_lossy(&not_creator.stderr)
    );
    run(
        &net,
        &[
            "tx",
            "asset",
            "update-keys",
            "alice",
            &class_id,
            "--remove",
            &key,
        ],
    );
    let again = cli(
        net.home(0),
        &[
            "tx",
            "asset",
            "update-keys",
            "alice",
            &class_id,
            "--remove",
            &key,
            "--node",
            &net.api(0),
            "--wait",
        ],
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("asset#15"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let r = run(
        &net,
        &[
            "tx",
            "asset",
            "mint",
            "alice",
            &class_id,
            "SN-0001",
            "--location",
            "u33dc0",
        ],
    );
    let asset_id = event_attr(&r, "asset.mint", "asset_id");
    // Text output names what a transaction created, so the next command
    // can use it without digging through events.
    let fractionalized = cli(
        net.home(0),
        &[
            "tx",
            "asset",
            "fractionalize",
            "alice",
            &asset_id,
            "--shares",
            "10000",
            "--node",
            &net.api(0),
            "--wait",
        ],
    );
    let text = String::from_utf8_lossy(&fractionalized.stdout);
    assert!(fractionalized.status.success(), "{text}");
    assert!(
        text.contains(&format!("share denom share/{asset_id} created")),
        "{text}"
    );
    let share = format!("3000share/{asset_id}");
    run(&net, &["tx", "bank", "send", "alice", "bob", &share]);
    run(
        &net,
        &[
            "tx",
            "asset",
            "deposit-income",
            "carol",
            &asset_id,
            "1000001ufrx",
        ],
    );

    // Visible over REST: the asset, its holders, its income.
    let asset = get(&net, &format!("/v1/assets/{asset_id}"));
    assert_eq!(asset["serial"], "SN-0001");
    let holders = get(&net, &format!("/v1/assets/{asset_id}/holders"));
    assert_eq!(holders.as_array().unwrap().len(), 2, "{holders}");
    let bob = String::from_utf8(cli(net.home(0), &["keys", "show", "bob", "--address"]).stdout)
        .unwrap()
        .trim()
        .to_owned();
    let pending = get(&net, &format!("/v1/assets/{asset_id}/pending/{bob}"));
    assert_eq!(pending[0]["amount"], "300000", "{pending}");
    let pending = run(&net, &["query", "asset", "pending", &asset_id, "alice"]);
    assert_eq!(pending[0]["amount"], "700000", "{pending}");

    // Both claim exactly their pro-rata share.
    let balance = |who: &str| -> u128 {
        let acct = run(&net, &["query", "account", who]);
        acct["balances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["denom"] == "ufrx")
            .unwrap()["amount"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (a0, b0) = (balance("alice"), balance("bob"));
    let ra = run(&net, &["tx", "asset", "claim", "alice", &asset_id]);
    let rb = run(&net, &["tx", "asset", "claim", "bob", &asset_id]);
    let fee = |r: &serde_json::Value| -> u128 {
        event_attr(r, "tx.fee", "amount")
            .trim_end_matches("ufrx")
            .parse()
            .unwrap()
    };
    assert_eq!(balance("alice"), a0 + 700_000 - fee(&ra));
    assert_eq!(balance("bob"), b0 + 300_000 - fee(&rb));
    let income = get(&net, &format!("/v1/assets/{asset_id}/income"));
    assert!(income.to_string().contains("1000001"), "{income}");

    // Identity through the CLI: the demo regulator attests bob as an
    // enterprise and freezes carol; both are visible over REST.
    let kyc = net.dir.path().join("bob-kyc.pdf");
    std::fs::write(&kyc, b"bob's KYC file").unwrap();
    run(
        &net,
        &[
            "tx",
            "identity",
            "attest-kyc",
            "regulator",
            "bob",
            "--level",
            "3",
            "--kyc-file",
            kyc.to_str().unwrap(),
        ],
    );
    let id = run(&net, &["query", "identity", "account", "bob"]);
    assert_eq!(id["tier"], "enterprise", "{id}");
    run(
        &net,
        &[
            "tx",
            "identity",
            "freeze",
            "regulator",
            "carol",
            "--reason",
            "test order 7",
        ],
    );
    let carol = String::from_utf8(cli(net.home(0), &["keys", "show", "carol", "--address"]).stdout)
        .unwrap()
        .trim()
        .to_owned();
    let id = get(&net, &format!("/v1/identity/accounts/{carol}"));
    assert!(id.to_string().contains("test order 7"), "{id}");
    let frozen = cli(
        net.home(0),
        &[
            "tx",
            "bank",
            "send",
            "carol",
            "bob",
            "1ufrx",
            "--node",
            &net.api(0),
            "--wait",
        ],
    );
    assert!(!frozen.status.success());
    assert!(
        String::from_utf8_lossy(&frozen.stderr).contains("identity#20"),
        "{}",
        String::from_utf8_lossy(&frozen.stderr)
    );
}
