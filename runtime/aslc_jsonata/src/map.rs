//! An object's members, in insertion order.
//!
//! Most objects have a handful of members (a record of a list, a constructor's result), so
//! the members sit in one vector and a name is found by scanning it: no hashing and one
//! allocation per object. An object that grows past [`INDEXED_FROM`] members also gets a
//! hash index, so that large objects (a group-by over many keys, `$merge` of many) are not
//! quadratic to build or read.

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::value::{same_text, Value};

/// From this many members on, an object keeps a hash index of its names.
const INDEXED_FROM: usize = 16;

/// An object's members, in insertion order; names are unique.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Rc<str>, Value)>,
    /// Invariant: when present, maps every name of `entries` to its position, and is present
    /// whenever there are at least [`INDEXED_FROM`] entries.
    index: Option<FxHashMap<Rc<str>, usize>>,
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Map {
    /// An empty map with room for `capacity` members.
    pub fn with_capacity(capacity: usize) -> Map {
        Map { entries: Vec::with_capacity(capacity), index: None }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.entries.iter().position(|(key, _)| same_text(key, name)),
        }
    }

    /// The value of member `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.position(name).map(|i| &self.entries[i].1)
    }

    /// Sets member `name`: a new member goes last, an existing one keeps its place. Returns
    /// the value it replaces.
    pub fn insert(&mut self, name: Rc<str>, value: Value) -> Option<Value> {
        let found = match &self.index {
            Some(index) => index.get(&*name).copied(),
            None => self.entries.iter().position(|(key, _)| Rc::ptr_eq(key, &name) || same_text(key, &name)),
        };
        if let Some(i) = found {
            return Some(std::mem::replace(&mut self.entries[i].1, value));
        }
        if let Some(index) = &mut self.index {
            index.insert(name.clone(), self.entries.len());
        }
        self.entries.push((name, value));
        if self.index.is_none() && self.entries.len() >= INDEXED_FROM {
            self.reindex();
        }
        None
    }

    /// Removes member `name`, keeping the others in order.
    pub fn shift_remove(&mut self, name: &str) -> Option<Value> {
        let i = self.position(name)?;
        let (_, value) = self.entries.remove(i);
        if self.index.is_some() {
            self.reindex();
        }
        Some(value)
    }

    fn reindex(&mut self) {
        let mut index = FxHashMap::with_capacity_and_hasher(self.entries.len(), Default::default());
        for (i, (key, _)) in self.entries.iter().enumerate() {
            index.insert(key.clone(), i);
        }
        self.index = Some(index);
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Rc<str>, &Value)> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Rc<str>> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, value)| value)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, value)| value)
    }
}

impl IntoIterator for Map {
    type Item = (Rc<str>, Value);
    type IntoIter = std::vec::IntoIter<(Rc<str>, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl FromIterator<(Rc<str>, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (Rc<str>, Value)>>(members: I) -> Map {
        let members = members.into_iter();
        let mut map = Map::with_capacity(members.size_hint().0);
        for (name, value) in members {
            map.insert(name, value);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(map: &Map) -> Vec<&str> {
        map.keys().map(|k| &**k).collect()
    }

    #[test]
    fn keeps_order_and_replaces_in_place_small_and_large() {
        for size in [3, INDEXED_FROM - 1, INDEXED_FROM, 3 * INDEXED_FROM] {
            let mut map = Map::default();
            for i in 0..size {
                assert!(map.insert(Rc::from(format!("k{i}")), Value::Number(i as f64)).is_none());
            }
            assert_eq!(map.insert(Rc::from("k1"), Value::Null).and_then(|v| v.as_number()), Some(1.0));
            assert_eq!(map.len(), size);
            assert_eq!(names(&map)[1], "k1");
            assert!(matches!(map.get("k1"), Some(Value::Null)));
            assert_eq!(
                map.get(&format!("k{}", size - 1)).and_then(Value::as_number),
                Some((size - 1) as f64)
            );
            assert!(map.get("absent").is_none());
            assert_eq!(map.shift_remove("k0").and_then(|v| v.as_number()), Some(0.0));
            assert_eq!(names(&map)[0], "k1");
            assert_eq!(map.len(), size - 1);
            for i in 2..size {
                assert_eq!(map.get(&format!("k{i}")).and_then(Value::as_number), Some(i as f64), "{size}");
            }
            assert!(map.get("k0").is_none());
            map.insert(Rc::from("k0"), Value::Bool(true));
            assert_eq!(names(&map).last(), Some(&"k0"));
        }
    }
}
