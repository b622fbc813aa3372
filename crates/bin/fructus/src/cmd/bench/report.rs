//! The figures of one run: the table printed on stdout and the JSON
//! document written with `--json`.

use serde_json::{Map, Value, json};

use super::ceiling::Ceiling;

/// One line of the table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// What was measured.
    pub(crate) name: String,
    /// How many items (signatures, transactions).
    pub(crate) count: usize,
    /// Wall-clock seconds it took.
    pub(crate) elapsed_secs: f64,
    /// Items per second (`None` where a rate makes no sense).
    pub(crate) rate: Option<f64>,
    /// `rate` divided by the ceiling of the same run (of the algorithm
    /// [`Report::against`]).
    pub(crate) ratio: Option<f64>,
    /// Anything the reader needs to interpret the figure.
    pub(crate) notes: String,
}

/// Everything one run measured.
#[derive(Debug)]
pub(crate) struct Report {
    /// `ceiling`, `app`, `node` or `network`.
    pub(crate) workload: &'static str,
    /// `--count`.
    pub(crate) count: usize,
    /// `--devices`.
    pub(crate) devices: usize,
    /// Validators (node and network only).
    pub(crate) validators: Option<usize>,
    /// The ceiling measured first.
    pub(crate) ceiling: Option<Ceiling>,
    /// The table.
    pub(crate) rows: Vec<Row>,
    /// Workload-specific figures (JSON object `details`).
    pub(crate) details: Map<String, Value>,
    /// Lines printed under the table.
    pub(crate) notes: Vec<String>,
    /// Wall-clock seconds of the whole run.
    pub(crate) total_secs: f64,
    /// Which ceiling the workload's ratios divide by: the signers' key
    /// algorithm (`--algo`).
    pub(crate) against: fructus_crypto::KeyAlgo,
}

impl Report {
    /// An empty report.
    pub(crate) fn new(workload: &'static str, count: usize, devices: usize) -> Self {
        Report {
            workload,
            count,
            devices,
            validators: None,
            ceiling: None,
            rows: Vec::new(),
            details: Map::new(),
            notes: Vec::new(),
            total_secs: 0.0,
            against: fructus_crypto::KeyAlgo::Ed25519,
        }
    }

    /// Records the ceiling and its rows.
    pub(crate) fn with_ceiling(&mut self, ceiling: Ceiling) {
        ceiling.add_rows(self);
        self.ceiling = Some(ceiling);
    }

    /// `rate` as a ratio to the ceiling of [`Report::against`].
    pub(crate) fn ratio(&self, rate: f64) -> Option<f64> {
        let ceiling = self.ceiling.as_ref()?;
        let c = match self.against {
            fructus_crypto::KeyAlgo::Ed25519 => ceiling.ed25519_rate,
            fructus_crypto::KeyAlgo::P256 => ceiling.p256_rate,
        };
        (c > 0.0).then(|| rate / c)
    }

    /// Adds a row whose rate is `count / elapsed`, with its ratio.
    pub(crate) fn add_rate(&mut self, name: &str, count: usize, elapsed_secs: f64, notes: String) {
        let rate = rate(count, elapsed_secs);
        let ratio = self.ratio(rate);
        self.rows.push(Row {
            name: name.to_owned(),
            count,
            elapsed_secs,
            rate: Some(rate),
            ratio,
            notes,
        });
    }

    /// Adds a detail to the JSON.
    pub(crate) fn detail(&mut self, key: &str, value: Value) {
        self.details.insert(key.to_owned(), value);
    }

    /// The table and notes as text.
    pub(crate) fn table(&self) -> String {
        let mut out = String::new();
        let validators = self
            .validators
            .map(|v| format!(", {v} validator(s)"))
            .unwrap_or_default();
        out.push_str(&format!(
            "fructus bench {} — count {}, {} {} device key(s){validators}, {} core(s); \
             workload ratios are to the {} ceiling\n",
            self.workload,
            self.count,
            self.devices,
            self.against.name(),
            cores(),
            self.against.name(),
        ));
        let header = [
            "workload".to_owned(),
            "count".to_owned(),
            "elapsed".to_owned(),
            "rate/s".to_owned(),
            "x ceiling".to_owned(),
            "notes".to_owned(),
        ];
        let mut lines = vec![header];
        for r in &self.rows {
            lines.push([
                r.name.clone(),
                r.count.to_string(),
                format!("{:.3} s", r.elapsed_secs),
                r.rate.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}")),
                r.ratio
                    .map_or_else(|| "-".to_owned(), |v| format!("{v:.3}")),
                r.notes.clone(),
            ]);
        }
        let mut widths = [0usize; 6];
        for l in &lines {
            for (w, cell) in widths.iter_mut().zip(l.iter()) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for (i, l) in lines.iter().enumerate() {
            let mut line = String::new();
            for (j, (cell, w)) in l.iter().zip(widths).enumerate() {
                let pad = w.saturating_sub(cell.chars().count());
                // Numbers right-aligned, text left-aligned; no padding at the end.
                if (1..=4).contains(&j) {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else if j == 5 {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                }
                if j < 5 {
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if i == 0 {
                let total: usize = widths.iter().sum::<usize>() + 10;
                out.push_str(&"-".repeat(total.min(160)));
                out.push('\n');
            }
        }
        for n in &self.notes {
            out.push_str("note: ");
            out.push_str(n);
            out.push('\n');
        }
        out
    }

    /// The JSON document.
    pub(crate) fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "name": r.name,
                    "count": r.count,
                    "elapsed_secs": r.elapsed_secs,
                    "rate_per_sec": r.rate,
                    "ratio_to_ceiling": r.ratio,
                    "notes": r.notes,
                })
            })
            .collect();
        json!({
            "workload": self.workload,
            "date": now_rfc3339(),
            "machine": {
                "cores": cores(),
                "rayon_threads": rayon::current_num_threads(),
                "os": std::env::consts::OS,
                "arch": std::env::consts::ARCH,
            },
            "params": {
                "count": self.count,
                "devices": self.devices,
                "validators": self.validators,
                "algo": self.against.name(),
            },
            "ratio_against": format!("ceiling {}", self.against.name()),
            "ceiling": self.ceiling.as_ref().map(Ceiling::to_json),
            "rows": rows,
            "details": Value::Object(self.details.clone()),
            "notes": self.notes,
            "total_secs": self.total_secs,
        })
    }
}

/// `count / secs`, 0 when nothing was timed.
pub(crate) fn rate(count: usize, secs: f64) -> f64 {
    if secs > 0.0 { count as f64 / secs } else { 0.0 }
}

/// Logical cores available to this process.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
