//! A write overlay over borrowed state: what a proposal's content runs on,
//! both for the dry run at submission (then dropped) and for the real
//! execution in end-block (applied only if the whole content succeeded, so
//! a failing proposal writes nothing).

use std::collections::BTreeMap;

use fructus_storage::{Result, StateRead, StateWrite, prefix_over};

/// Writes kept in memory over `base` (`None` = deleted).
pub(crate) struct Scratch<'a, S: StateRead + ?Sized> {
    base: &'a S,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<'a, S: StateRead + ?Sized> Scratch<'a, S> {
    /// An empty overlay over `base`.
    pub(crate) fn new(base: &'a S) -> Self {
        Scratch {
            base,
            writes: BTreeMap::new(),
        }
    }

    /// The writes, in key order, to apply to the base.
    pub(crate) fn into_writes(self) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        self.writes
    }
}

/// Applies writes taken from a [`Scratch`].
pub(crate) fn apply<S: StateWrite + ?Sized>(
    state: &mut S,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
) {
    for (key, value) in writes {
        match value {
            Some(v) => state.put_raw(key, v),
            None => state.delete(key),
        }
    }
}

impl<S: StateRead + ?Sized> StateRead for Scratch<'_, S> {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        match self.writes.get(key) {
            Some(value) => Ok(value.clone()),
            None => self.base.get_raw(key),
        }
    }

    /// The base's entries merged with the overlay's
    /// ([`fructus_storage::prefix_over`]).
    fn prefix_raw(
        &self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mine = self
            .writes
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()));
        prefix_over(self.base, prefix, start_after, limit, mine)
    }
}

impl<S: StateRead + ?Sized> StateWrite for Scratch<'_, S> {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }

    fn delete(&mut self, key: Vec<u8>) {
        self.writes.insert(key, None);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;

    /// A plain map as the base state.
    #[derive(Default)]
    struct Mem(BTreeMap<Vec<u8>, Vec<u8>>);

    impl StateRead for Mem {
        fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
            Ok(self.0.get(key).cloned())
        }
        fn prefix_raw(
            &self,
            prefix: &[u8],
            start_after: Option<&[u8]>,
            limit: usize,
        ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
            Ok(self
                .0
                .range(prefix.to_vec()..)
                .take_while(|(k, _)| k.starts_with(prefix))
                .filter(|(k, _)| start_after.is_none_or(|a| k.as_slice() > a))
                .take(limit)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect())
        }
    }

    impl StateWrite for Mem {
        fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
            self.0.insert(key, value);
        }
        fn delete(&mut self, key: Vec<u8>) {
            self.0.remove(&key);
        }
    }

    #[test]
    fn scans_see_the_overlays_writes_and_deletes_in_key_order() {
        let mut base = Mem::default();
        for k in [b"p/1", b"p/2", b"p/3", b"p/5"] {
            base.0.insert(k.to_vec(), k.to_vec());
        }
        let mut s = Scratch::new(&base);
        s.delete(b"p/1".to_vec());
        s.delete(b"p/2".to_vec());
        s.put_raw(b"p/4".to_vec(), b"new".to_vec());
        let keys = |v: Vec<(Vec<u8>, Vec<u8>)>| -> Vec<Vec<u8>> {
            v.into_iter().map(|(k, _)| k).collect()
        };
        // Two deletions hide the first two base entries: the first two
        // merged entries are still exact.
        assert_eq!(
            keys(s.prefix_raw(b"p/", None, 2).unwrap()),
            [b"p/3".to_vec(), b"p/4".to_vec()]
        );
        assert_eq!(
            keys(s.prefix_raw(b"p/", Some(b"p/3"), 10).unwrap()),
            [b"p/4".to_vec(), b"p/5".to_vec()]
        );
        assert_eq!(s.get_raw(b"p/1").unwrap(), None);
        let writes = s.into_writes();
        apply(&mut base, writes);
        assert_eq!(
            base.0.keys().cloned().collect::<Vec<_>>(),
            [b"p/3".to_vec(), b"p/4".to_vec(), b"p/5".to_vec()]
        );
    }
}
