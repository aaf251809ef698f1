//! One module per subcommand.

pub mod check;
pub mod dsl;
pub mod explain;
pub mod jsonata;
pub mod rules;
pub mod run;
