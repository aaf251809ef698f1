//! Query languages of ASL.
