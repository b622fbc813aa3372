//! A tracing layer that silences known-harmless engine noise.

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Drops the network's "no peers subscribed to topic" publish errors, which
/// a lone validator (a devnet) logs at every height. Add it to the node's
/// subscriber: `registry().with(NoiseFilter).with(fmt::layer())`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoiseFilter;

struct Finder(bool);

impl Visit for Finder {
    fn record_debug(&mut self, _field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0 {
            let text = format!("{value:?}");
            self.0 =
                text.contains("NoPeersSubscribedToTopic") || text.contains("InsufficientPeers");
        }
    }

    fn record_str(&mut self, _field: &Field, value: &str) {
        if !self.0 {
            self.0 =
                value.contains("NoPeersSubscribedToTopic") || value.contains("InsufficientPeers");
        }
    }
}

impl<S: Subscriber> Layer<S> for NoiseFilter {
    fn event_enabled(&self, event: &Event<'_>, _ctx: Context<'_, S>) -> bool {
        if !event.metadata().target().contains("malachitebft_network") {
            return true;
        }
        let mut f = Finder(false);
        event.record(&mut f);
        !f.0
    }
}
