//! The query sub-languages of ASL: the "strings that are code" inside a definition.
//!
//! - [`jsonpath`]: the Jayway-flavoured JSONPath dialect of JSONPath states (`$.a[0]`,
//!   `$$.Execution.Id`, `$var.x`), with reference-path and definiteness queries.
//! - [`intrinsic`]: `States.Format(…)` and the other seventeen intrinsic functions, with the
//!   definition-time checks of their arguments.
//! - [`jsonata`]: a JSONata 2.0.6 parser (the version Step Functions runs), the `{% … %}`
//!   expression-string recogniser and the checks AWS makes on expressions at definition time.
//! - [`timestamp`]: the RFC 3339 timestamps of Wait `Timestamp` and the Choice timestamp
//!   operators.
//!
//! Every parser works on the text of one field and reports byte ranges relative to the start
//! of that text; callers shift them into the file (through an offset map when the text came
//! out of an escaped JSON string). Problems are [`QueryError`]s carrying the rule id of the
//! spec (`P-SYNTAX`, `I-ARITY`, `J-PARSE`, …); nothing here panics on bad input, and every
//! recursive parser is depth-bounded.
//!
//! ```
//! use aslc_query::{intrinsic, jsonpath};
//!
//! let path = jsonpath::parse_path("$.order.items[0]").unwrap();
//! assert!(path.is_reference_path());
//!
//! let call = intrinsic::parse_intrinsic("States.MathAdd($.a, '1')").unwrap();
//! let errors = intrinsic::check_call(&call);
//! assert_eq!(errors[0].rule, "I-LITERAL-TYPE");
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod cursor;
mod error;
pub mod intrinsic;
pub mod jsonata;
pub mod jsonpath;
pub mod rules;
pub mod timestamp;

pub use error::QueryError;
