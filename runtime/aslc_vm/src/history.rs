//! The execution history in `GetExecutionHistory`'s event format (runtime-history.md).
//!
//! Event ids are counted on every run, because run-time error causes quote the id of the
//! state's entered event; the events themselves are built only when history is recorded,
//! so a run without `--history` pays one counter increment per event.

use serde_json::{json, Map, Value};

/// The history limit of Standard workflows (runtime-limits.md `R-LIM-HISTORY`).
pub const STANDARD_HISTORY_LIMIT: u64 = 25_000;

/// Appends events and hands out their ids.
pub struct Recorder {
    next_id: u64,
    events: Option<Vec<Value>>,
    /// Epoch milliseconds of the virtual (or real) clock, stamped on each event.
    pub now_millis: i64,
    /// Above zero while a Distributed Map's child executions run: their events belong to
    /// their own histories, not this one.
    pub muted: u32,
    /// The id no event may reach (the last one is left for `ExecutionFailed`); `None` for
    /// Express workflows.
    pub limit: Option<u64>,
    /// Set when an event was refused because of `limit`.
    pub overflow: bool,
}

impl Recorder {
    /// A recorder keeping events when `keep` is set.
    pub fn new(keep: bool) -> Recorder {
        Recorder {
            next_id: 1,
            events: keep.then(Vec::new),
            now_millis: 0,
            muted: 0,
            limit: None,
            overflow: false,
        }
    }

    /// Whether events are kept.
    #[inline]
    pub fn keeps(&self) -> bool {
        self.events.is_some()
    }

    /// How many events were emitted.
    pub fn count(&self) -> u64 {
        self.next_id - 1
    }

    /// Emits an event of `ty` following `prev`; `details` builds the details member only
    /// when events are kept. Without them an event is a counter increment, inlined at each
    /// call.
    #[inline]
    pub fn emit(
        &mut self,
        prev: u64,
        ty: &str,
        details: impl FnOnce() -> Option<(&'static str, Value)>,
    ) -> u64 {
        if self.muted > 0 {
            return prev;
        }
        if self.limit.is_some_and(|limit| self.next_id >= limit) {
            self.overflow = true;
            return prev;
        }
        let id = self.next_id;
        self.next_id += 1;
        if self.events.is_some() {
            self.record(id, prev, ty, details());
        }
        id
    }

    /// Keeps event `id`.
    #[inline(never)]
    fn record(&mut self, id: u64, prev: u64, ty: &str, details: Option<(&'static str, Value)>) {
        let Some(events) = &mut self.events else { return };
        let mut event = Map::with_capacity(5);
        event.insert("timestamp".into(), json!(self.now_millis as f64 / 1000.0));
        event.insert("type".into(), Value::String(ty.to_owned()));
        event.insert("id".into(), json!(id));
        event.insert("previousEventId".into(), json!(prev));
        if let Some((key, value)) = details {
            event.insert(key.into(), value);
        }
        events.push(Value::Object(event));
    }

    /// The recorded events.
    pub fn into_events(self) -> Vec<Value> {
        self.events.unwrap_or_default()
    }
}

/// JSON text of a payload, as history fields carry it.
pub fn text(value: &Value) -> Value {
    Value::String(value.to_string())
}

/// `{"truncated": false}`.
pub fn not_truncated() -> Value {
    json!({"truncated": false})
}

/// Details with an optional `error` and `cause`, omitted when absent.
pub fn error_details(error: Option<&str>, cause: Option<&str>) -> Value {
    let mut map = Map::new();
    if let Some(e) = error {
        map.insert("error".into(), Value::String(e.to_owned()));
    }
    if let Some(c) = cause {
        map.insert("cause".into(), Value::String(c.to_owned()));
    }
    Value::Object(map)
}
