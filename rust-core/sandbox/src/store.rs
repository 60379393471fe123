//! The customers the emulator knows, findable by Juspay id or object_reference_id.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;

use crate::customer::{new_customer_id, Customer};

/// A stored customer with its 200 body serialised once: lookups are the hot path of every
/// benchmark that uses the emulator.
#[derive(Clone)]
pub(crate) struct Entry {
    pub customer: Arc<Customer>,
    pub json: Bytes,
}

impl Entry {
    fn new(customer: Customer) -> Self {
        let json = Bytes::from(serde_json::to_vec(&customer).expect("a customer serialises"));
        Self {
            customer: Arc::new(customer),
            json,
        }
    }
}

#[derive(Default)]
struct Maps {
    by_id: HashMap<String, Entry>,
    id_by_reference: HashMap<String, String>,
}

/// Locks are held only for map operations, never across an await.
#[derive(Default)]
pub(crate) struct Store {
    maps: RwLock<Maps>,
}

/// A customer with this object_reference_id (or id) exists already.
#[derive(Debug)]
pub(crate) struct AlreadyExists;

impl Store {
    /// A store holding `customers`; fails when two share an id or an object_reference_id.
    pub fn with(customers: Vec<Customer>) -> Result<Self, String> {
        let store = Self::default();
        for customer in customers {
            let (id, reference) = (customer.id.clone(), customer.object_reference_id.clone());
            store.insert(customer).map_err(|AlreadyExists| {
                format!("two customers share the id {id:?} or object_reference_id {reference:?}")
            })?;
        }
        Ok(store)
    }

    /// Looks a customer up by Juspay id first, then by object_reference_id.
    pub fn get(&self, id: &str) -> Option<Entry> {
        let maps = self.maps.read().unwrap();
        maps.by_id
            .get(id)
            .or_else(|| {
                let id = maps.id_by_reference.get(id)?;
                maps.by_id.get(id)
            })
            .cloned()
    }

    pub fn insert(&self, customer: Customer) -> Result<Entry, AlreadyExists> {
        let mut maps = self.maps.write().unwrap();
        if maps.by_id.contains_key(&customer.id)
            || maps
                .id_by_reference
                .contains_key(&customer.object_reference_id)
        {
            return Err(AlreadyExists);
        }
        maps.id_by_reference
            .insert(customer.object_reference_id.clone(), customer.id.clone());
        let entry = Entry::new(customer);
        maps.by_id.insert(entry.customer.id.clone(), entry.clone());
        Ok(entry)
    }

    /// Creates a customer with a fresh `cst_` id from `make(id)`.
    pub fn create(&self, make: impl FnOnce(String) -> Customer) -> Result<Entry, AlreadyExists> {
        let id = loop {
            let id = new_customer_id();
            if !self.maps.read().unwrap().by_id.contains_key(&id) {
                break id;
            }
        };
        self.insert(make(id))
    }

    /// Changes the customer `id` (either form) in place; `None` when there is none.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Customer)) -> Option<Entry> {
        let mut maps = self.maps.write().unwrap();
        let key = if maps.by_id.contains_key(id) {
            id.to_owned()
        } else {
            maps.id_by_reference.get(id)?.clone()
        };
        let entry = maps.by_id.get_mut(&key)?;
        let mut customer = (*entry.customer).clone();
        change(&mut customer);
        *entry = Entry::new(customer);
        Some(entry.clone())
    }

    pub fn len(&self) -> usize {
        self.maps.read().unwrap().by_id.len()
    }
}
