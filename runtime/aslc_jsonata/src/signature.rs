//! Checking arguments against a function signature, as the reference does.
//!
//! The reference turns a signature into a regular expression over one symbol per argument
//! (`s`, `n`, `b`, `l`, `o`, `a`, `f`, `m` for undefined) and matches the symbols of the
//! supplied arguments against it. Here each parameter is a symbol class with a repetition
//! range, matched greedily with backtracking, which accepts and rejects the same argument
//! lists and locates a mismatch at the same argument (`T0410`). A missing argument marked
//! `-` takes the context value (`T0411` when its type does not fit); an array parameter
//! wraps a single value into an array and checks the element type (`T0412`).

use std::cell::RefCell;
use std::rc::Rc;

use aslc_query::jsonata::{parse_signature, ParamType, Signature};
use aslc_source::TextRange;
use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::functions::Native;
use crate::value::{Array, Value};

#[derive(Debug)]
struct Param {
    /// The accepted symbols.
    class: Vec<u8>,
    min: usize,
    max: usize,
    /// `-`: a missing argument is taken from the context.
    context: bool,
    array: bool,
    subtype: Option<u8>,
}

#[derive(Debug)]
pub(crate) struct Compiled {
    params: Vec<Param>,
}

fn class_of(ty: &ParamType) -> Vec<u8> {
    match ty {
        ParamType::String => b"sm".to_vec(),
        ParamType::Number => b"nm".to_vec(),
        ParamType::Boolean => b"bm".to_vec(),
        ParamType::Null => b"lm".to_vec(),
        ParamType::Object => b"om".to_vec(),
        ParamType::Array | ParamType::Any => b"asnblfom".to_vec(),
        ParamType::Function => b"f".to_vec(),
        ParamType::Json => b"asnblom".to_vec(),
        ParamType::Choice(types) => {
            let mut class: Vec<u8> = types.iter().map(symbol_of).collect();
            class.push(b'm');
            class
        }
    }
}

fn symbol_of(ty: &ParamType) -> u8 {
    match ty {
        ParamType::String => b's',
        ParamType::Number => b'n',
        ParamType::Boolean => b'b',
        ParamType::Null => b'l',
        ParamType::Object => b'o',
        ParamType::Array => b'a',
        ParamType::Function => b'f',
        ParamType::Json => b'j',
        ParamType::Any => b'x',
        ParamType::Choice(_) => b'(',
    }
}

pub(crate) fn compile(signature: &Signature) -> Compiled {
    let params = signature
        .params
        .iter()
        .map(|p| Param {
            class: class_of(&p.ty),
            min: usize::from(!p.optional),
            max: if p.variadic { usize::MAX } else { 1 },
            context: p.context,
            array: p.ty == ParamType::Array,
            subtype: if p.ty == ParamType::Array {
                p.subtype.as_ref().and_then(|s| s.bytes().next())
            } else {
                None
            },
        })
        .collect();
    Compiled { params }
}

/// The symbol of a value in a signature match.
pub(crate) fn symbol(value: Option<&Value>) -> u8 {
    match value {
        None => b'm',
        Some(Value::Null) => b'l',
        Some(Value::Bool(_)) => b'b',
        Some(Value::Number(_)) => b'n',
        Some(Value::String(_)) => b's',
        Some(Value::Array(_)) => b'a',
        Some(Value::Object(_)) => b'o',
        Some(Value::Function(_)) => b'f',
    }
}

/// Matches `params` against `symbols` from `pos`; `anchored` requires the match to reach the
/// end. Returns the end of each parameter's match.
/// Matches the argument symbols from `pos` on against `params`; on a match, `ends[i]` is
/// where the arguments of `params[i]` end (`ends` is at least as long as `params`).
fn match_params(params: &[Param], symbols: &[u8], pos: usize, anchored: bool, ends: &mut [usize]) -> bool {
    let Some(param) = params.first() else {
        return !anchored || pos == symbols.len();
    };
    let mut count = 0;
    while count < param.max && pos + count < symbols.len() && param.class.contains(&symbols[pos + count]) {
        count += 1;
    }
    loop {
        if count >= param.min {
            ends[0] = pos + count;
            if match_params(&params[1..], symbols, pos + count, anchored, &mut ends[1..]) {
                return true;
            }
        }
        if count == 0 {
            return false;
        }
        count -= 1;
    }
}

impl Compiled {
    pub fn validate(
        &self,
        mut args: Vec<Option<Value>>,
        context: Option<&Value>,
    ) -> Result<Vec<Option<Value>>> {
        // Built-ins take a few arguments: their symbols and ends fit on the stack.
        const SMALL: usize = 8;
        let mut symbols_small = [0u8; SMALL];
        let symbols_large: Vec<u8>;
        let symbols: &[u8] = if args.len() <= SMALL {
            for (slot, arg) in symbols_small.iter_mut().zip(&args) {
                *slot = symbol(arg.as_ref());
            }
            &symbols_small[..args.len()]
        } else {
            symbols_large = args.iter().map(|a| symbol(a.as_ref())).collect();
            &symbols_large
        };
        let mut ends_small = [0usize; SMALL];
        let mut ends_large: Vec<usize>;
        let ends: &mut [usize] = if self.params.len() <= SMALL {
            &mut ends_small[..self.params.len()]
        } else {
            ends_large = vec![0; self.params.len()];
            &mut ends_large
        };
        if !match_params(&self.params, symbols, 0, true, ends) {
            return Err(self.mismatch(&args, symbols));
        }
        let mut validated = Vec::with_capacity(self.params.len());
        let mut arg_index = 0;
        let mut start = 0;
        for (param, &end) in self.params.iter().zip(ends.iter()) {
            let matched = &symbols[start..end];
            start = end;
            if matched.is_empty() {
                if param.context {
                    let ctx_symbol = symbol(context);
                    if param.class.contains(&ctx_symbol) {
                        validated.push(context.cloned());
                    } else {
                        let mut err = Error::new("T0411").index(arg_index + 1);
                        if let Some(context) = context {
                            err = err.value(context.clone());
                        }
                        return Err(err);
                    }
                } else {
                    // Each argument is taken once, in order.
                    validated.push(args.get_mut(arg_index).and_then(Option::take));
                    arg_index += 1;
                }
                continue;
            }
            for &single in matched {
                let arg = args.get_mut(arg_index).and_then(Option::take);
                if param.array {
                    if single == b'm' {
                        validated.push(None);
                    } else {
                        let arg = arg.unwrap_or(Value::Null);
                        if let Some(subtype) = param.subtype {
                            let ok = if single != b'a' {
                                matched.len() == 1 && matched[0] == subtype
                            } else {
                                let items = arg.members();
                                items.is_empty() || items.iter().all(|item| symbol(Some(item)) == subtype)
                            };
                            if !ok {
                                let mut err = Error::new("T0412").index(arg_index + 1).value(arg);
                                err.type_name = Some(match subtype {
                                    b'a' => "arrays",
                                    b'b' => "booleans",
                                    b'f' => "functions",
                                    b'n' => "numbers",
                                    b'o' => "objects",
                                    b's' => "strings",
                                    _ => "values",
                                });
                                return Err(err);
                            }
                        }
                        if single == b'a' {
                            validated.push(Some(arg));
                        } else {
                            validated.push(Some(Value::Array(Rc::new(Array::plain(vec![arg])))));
                        }
                    }
                } else {
                    validated.push(arg);
                }
                arg_index += 1;
            }
        }
        Ok(validated)
    }

    /// `T0410` at the first argument the signature cannot accept.
    fn mismatch(&self, args: &[Option<Value>], symbols: &[u8]) -> Error {
        let mut good_to = 0;
        let mut ends = vec![0; self.params.len()];
        for n in 1..=self.params.len() {
            if !match_params(&self.params[..n], symbols, 0, false, &mut ends) {
                break;
            }
            good_to = ends[n - 1];
        }
        let mut err = Error::new("T0410").index(good_to + 1);
        if let Some(Some(value)) = args.get(good_to) {
            err = err.value(value.clone());
        }
        err
    }
}

/// Checks the arguments of a lambda with a signature.
pub(crate) fn validate(
    signature: &Signature,
    args: Vec<Option<Value>>,
    context: Option<&Value>,
) -> Result<Vec<Option<Value>>> {
    compile(signature).validate(args, context)
}

thread_local! {
    static NATIVE: RefCell<FxHashMap<Native, Rc<Compiled>>> = RefCell::new(FxHashMap::default());
}

/// Checks the arguments of a built-in against its signature.
pub(crate) fn validate_native(
    native: Native,
    args: Vec<Option<Value>>,
    context: Option<&Value>,
) -> Result<Vec<Option<Value>>> {
    let compiled =
        NATIVE.with(|cache| {
            cache
                .borrow_mut()
                .entry(native)
                .or_insert_with(|| {
                    let text = native.signature();
                    // The built-in signatures are constants known to parse.
                    let signature = parse_signature(text, TextRange::empty(0)).unwrap_or_else(|_| {
                        Signature { params: Vec::new(), text: text.into(), range: TextRange::empty(0) }
                    });
                    Rc::new(compile(&signature))
                })
                .clone()
        });
    compiled.validate(args, context)
}

/// A transform takes one object or array (`<(oa):o>`).
pub(crate) fn validate_transform(arg: Option<Value>) -> Result<Option<Value>> {
    match &arg {
        None | Some(Value::Object(_) | Value::Array(_)) => Ok(arg),
        Some(other) => Err(Error::new("T0410").index(1).value(other.clone())),
    }
}
