//! Data flow: paths that read what no path into the state provides.

pub(crate) mod path_absent;
