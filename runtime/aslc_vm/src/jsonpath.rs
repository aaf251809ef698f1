//! JSONPath evaluation in the Jayway dialect AWS runs (jsonpath.md §2): definite paths
//! borrow the one value they find; indefinite paths build the array of matches.

use std::borrow::Cow;

use aslc_query::jsonpath::{
    Axis, FilterBody, FilterExpr, FilterKind, FilterOp, Operand, OperandKind, Path, Root, Segment, Selector,
};
use serde_json::Value;

/// Where the roots of a path come from.
pub trait Roots {
    /// The context object (`$$`).
    fn context(&self) -> &Value;
    /// The value of a workflow variable (`$name`).
    fn variable(&self, name: &str) -> Option<&Value>;
}

/// Why a definite path found nothing.
#[derive(Clone, Debug)]
pub enum Missing {
    /// The last step found nothing: `No results for path: $['a']['b']`.
    NoResults(String),
    /// An earlier step found nothing: `Missing property in path $['a']`.
    MissingProperty(String),
    /// The variable has never been assigned.
    Variable(String),
}

impl Missing {
    /// The Jayway-style message.
    pub fn message(&self) -> String {
        match self {
            Missing::NoResults(p) => format!("No results for path: {p}"),
            Missing::MissingProperty(p) => format!("Missing property in path {p}"),
            Missing::Variable(name) => format!("The variable '${name}' has not been assigned"),
        }
    }
}

fn root_of<'a>(path: &Path, data: &'a Value, roots: &'a dyn Roots) -> Result<&'a Value, Missing> {
    match &path.root {
        Root::Data => Ok(data),
        Root::Context => Ok(roots.context()),
        Root::Variable(name) => roots.variable(name).ok_or_else(|| Missing::Variable(name.to_string())),
    }
}

/// Evaluates `path` over `data`.
#[inline]
pub fn select<'a>(path: &Path, data: &'a Value, roots: &'a dyn Roots) -> Result<Cow<'a, Value>, Missing> {
    // The commonest path, `$.name`, that finds its member: inlined, without the walk over
    // segments.
    if let (Root::Data, [Segment { axis: Axis::Child, selector: Selector::Name(name), .. }]) =
        (&path.root, path.segments.as_slice())
    {
        if let Some(v) = data.as_object().and_then(|o| member(o, name)) {
            return Ok(Cow::Borrowed(v));
        }
    }
    select_path(path, data, roots)
}

/// Evaluates any `path` over `data`.
fn select_path<'a>(path: &Path, data: &'a Value, roots: &'a dyn Roots) -> Result<Cow<'a, Value>, Missing> {
    let root = root_of(path, data, roots)?;
    if path.is_definite() {
        return definite(path, root).map(Cow::Borrowed);
    }
    let mut current: Vec<&Value> = vec![root];
    for seg in &path.segments {
        let mut next = Vec::new();
        for v in current {
            step(seg, v, data, roots, &mut next);
        }
        current = next;
    }
    Ok(Cow::Owned(Value::Array(current.into_iter().cloned().collect())))
}

/// Evaluates a path into an owned value.
pub fn select_owned(path: &Path, data: &Value, roots: &dyn Roots) -> Result<Value, Missing> {
    select(path, data, roots).map(Cow::into_owned)
}

fn root_text(path: &Path) -> String {
    match &path.root {
        Root::Data => "$".into(),
        Root::Context => "$$".into(),
        Root::Variable(n) => format!("${n}"),
    }
}

/// A member of an object. Small objects are scanned instead of hashed: serde_json's map
/// hashes keys with SipHash, which costs more than comparing a few short keys.
#[inline]
pub fn member<'a>(object: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a Value> {
    if object.len() <= 8 {
        object.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v)
    } else {
        object.get(name)
    }
}

fn definite<'a>(path: &Path, root: &'a Value) -> Result<&'a Value, Missing> {
    let mut cur = root;
    let n = path.segments.len();
    for (i, seg) in path.segments.iter().enumerate() {
        let found = match &seg.selector {
            Selector::Name(name) => cur.as_object().and_then(|o| member(o, name)),
            Selector::Function(name) => {
                cur.as_object().and_then(|o| o.get(&Selector::function_member_name(name)))
            }
            Selector::Index(idx) => cur.as_array().and_then(|a| index(a, *idx)),
            _ => None,
        };
        match found {
            Some(v) => cur = v,
            // The message is built only on failure: success is the hot path.
            None if i + 1 == n => return Err(Missing::NoResults(shown_prefix(path, i + 1))),
            None => return Err(Missing::MissingProperty(shown_prefix(path, i + 1))),
        }
    }
    Ok(cur)
}

/// The first `n` segments of `path` in Jayway's bracket form: `$['a'][0]`.
fn shown_prefix(path: &Path, n: usize) -> String {
    let mut shown = root_text(path);
    for seg in path.segments.iter().take(n) {
        match &seg.selector {
            Selector::Name(name) => shown.push_str(&format!("['{name}']")),
            Selector::Function(name) => {
                shown.push_str(&format!("['{}']", Selector::function_member_name(name)))
            }
            Selector::Index(idx) => shown.push_str(&format!("[{idx}]")),
            _ => {}
        }
    }
    shown
}

fn index(a: &[Value], idx: i64) -> Option<&Value> {
    let i = if idx < 0 { a.len() as i64 + idx } else { idx };
    if i < 0 {
        None
    } else {
        a.get(i as usize)
    }
}

fn step<'a>(seg: &Segment, v: &'a Value, data: &'a Value, roots: &'a dyn Roots, out: &mut Vec<&'a Value>) {
    match seg.axis {
        Axis::Child => select_children(&seg.selector, v, data, roots, out),
        Axis::Descendant => descend(&seg.selector, v, data, roots, out, 0),
    }
}

fn descend<'a>(
    sel: &Selector,
    v: &'a Value,
    data: &'a Value,
    roots: &'a dyn Roots,
    out: &mut Vec<&'a Value>,
    depth: usize,
) {
    if depth > 256 {
        return;
    }
    select_children(sel, v, data, roots, out);
    match v {
        Value::Object(o) => o.values().for_each(|c| descend(sel, c, data, roots, out, depth + 1)),
        Value::Array(a) => a.iter().for_each(|c| descend(sel, c, data, roots, out, depth + 1)),
        _ => {}
    }
}

fn select_children<'a>(
    sel: &Selector,
    v: &'a Value,
    data: &'a Value,
    roots: &'a dyn Roots,
    out: &mut Vec<&'a Value>,
) {
    match sel {
        Selector::Name(name) => out.extend(v.as_object().and_then(|o| o.get(&**name))),
        Selector::Function(name) => {
            out.extend(v.as_object().and_then(|o| o.get(&Selector::function_member_name(name))))
        }
        Selector::Names(names) => {
            if let Some(o) = v.as_object() {
                out.extend(names.iter().filter_map(|n| o.get(&**n)));
            }
        }
        Selector::Index(i) => out.extend(v.as_array().and_then(|a| index(a, *i))),
        Selector::Indexes(all) => {
            if let Some(a) = v.as_array() {
                out.extend(all.iter().filter_map(|i| index(a, *i)));
            }
        }
        Selector::Slice { start, end } => {
            if let Some(a) = v.as_array() {
                let len = a.len() as i64;
                let norm = |n: i64| if n < 0 { (len + n).max(0) } else { n.min(len) };
                let s = start.map_or(0, norm);
                let e = end.map_or(len, norm);
                if s < e {
                    out.extend(&a[s as usize..e as usize]);
                }
            }
        }
        Selector::Wildcard => match v {
            Value::Object(o) => out.extend(o.values()),
            Value::Array(a) => out.extend(a.iter()),
            _ => {}
        },
        Selector::Filter(FilterBody::Parsed(f)) => match v {
            Value::Array(a) => out.extend(a.iter().filter(|item| filter_holds(f, item, data, roots))),
            Value::Object(o) => out.extend(o.values().filter(|item| filter_holds(f, item, data, roots))),
            _ => {}
        },
        Selector::Filter(FilterBody::Opaque(_)) | Selector::Script => {}
    }
}

fn filter_holds(f: &FilterExpr, item: &Value, data: &Value, roots: &dyn Roots) -> bool {
    match &f.kind {
        FilterKind::Or(a, b) => filter_holds(a, item, data, roots) || filter_holds(b, item, data, roots),
        FilterKind::And(a, b) => filter_holds(a, item, data, roots) && filter_holds(b, item, data, roots),
        FilterKind::Not(a) => !filter_holds(a, item, data, roots),
        FilterKind::Exists(op) => match operand(op, item, data, roots) {
            Some(Value::Bool(b)) if !matches!(op.kind, OperandKind::Current(_) | OperandKind::Path(_)) => b,
            Some(_) => true,
            None => false,
        },
        FilterKind::Compare { op, lhs, rhs } => {
            let l = operand(lhs, item, data, roots);
            let r = operand(rhs, item, data, roots);
            compare(*op, l.as_ref(), r.as_ref(), rhs)
        }
    }
}

fn operand(op: &Operand, item: &Value, data: &Value, roots: &dyn Roots) -> Option<Value> {
    match &op.kind {
        OperandKind::Current(segs) => {
            let mut cur = vec![item];
            let mut definite = true;
            for seg in segs {
                if seg.axis == Axis::Descendant
                    || !matches!(seg.selector, Selector::Name(_) | Selector::Index(_))
                {
                    definite = false;
                }
                let mut next = Vec::new();
                for v in cur {
                    step(seg, v, data, roots, &mut next);
                }
                cur = next;
            }
            if definite {
                cur.first().map(|v| (*v).clone())
            } else {
                Some(Value::Array(cur.into_iter().cloned().collect()))
            }
        }
        OperandKind::Path(p) => select_owned(p, data, roots).ok(),
        OperandKind::Number { value, .. } => serde_json::Number::from_f64(*value).map(Value::Number),
        OperandKind::String(s) => Some(Value::String(s.to_string())),
        OperandKind::Bool(b) => Some(Value::Bool(*b)),
        OperandKind::Null => Some(Value::Null),
        OperandKind::List(items) => {
            Some(Value::Array(items.iter().filter_map(|o| operand(o, item, data, roots)).collect()))
        }
        OperandKind::Regex { .. } | OperandKind::Word(_) => None,
    }
}

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if a.is_number() && b.is_number() => x == y,
        _ => a == b,
    }
}

fn compare(op: FilterOp, l: Option<&Value>, r: Option<&Value>, rhs: &Operand) -> bool {
    let order = |l: Option<&Value>, r: Option<&Value>| -> Option<std::cmp::Ordering> {
        match (l?, r?) {
            (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            _ => None,
        }
    };
    use std::cmp::Ordering::*;
    match op {
        FilterOp::Eq | FilterOp::StrictEq => matches!((l, r), (Some(a), Some(b)) if num_eq(a, b)),
        FilterOp::Ne | FilterOp::StrictNe => !matches!((l, r), (Some(a), Some(b)) if num_eq(a, b)),
        FilterOp::Lt => order(l, r) == Some(Less),
        FilterOp::Le => matches!(order(l, r), Some(Less | Equal)),
        FilterOp::Gt => order(l, r) == Some(Greater),
        FilterOp::Ge => matches!(order(l, r), Some(Greater | Equal)),
        FilterOp::Matches => match (l, &rhs.kind) {
            (Some(Value::String(s)), OperandKind::Regex { pattern, .. }) => simple_regex(pattern, s),
            _ => false,
        },
        FilterOp::In => match (l, r) {
            (Some(a), Some(Value::Array(list))) => list.iter().any(|b| num_eq(a, b)),
            _ => false,
        },
        FilterOp::Nin => match (l, r) {
            (Some(a), Some(Value::Array(list))) => !list.iter().any(|b| num_eq(a, b)),
            _ => true,
        },
        FilterOp::SubsetOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                a.iter().all(|x| b.iter().any(|y| num_eq(x, y)))
            }
            _ => false,
        },
        FilterOp::AnyOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                a.iter().any(|x| b.iter().any(|y| num_eq(x, y)))
            }
            _ => false,
        },
        FilterOp::NoneOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                !a.iter().any(|x| b.iter().any(|y| num_eq(x, y)))
            }
            _ => false,
        },
        FilterOp::Contains => match (l, r) {
            (Some(Value::Array(a)), Some(b)) => a.iter().any(|x| num_eq(x, b)),
            (Some(Value::String(a)), Some(Value::String(b))) => a.contains(&**b),
            _ => false,
        },
        FilterOp::All => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                b.iter().all(|y| a.iter().any(|x| num_eq(x, y)))
            }
            _ => false,
        },
        FilterOp::Size => {
            let n = r.and_then(Value::as_f64);
            match l {
                Some(Value::Array(a)) => n == Some(a.len() as f64),
                Some(Value::String(s)) => n == Some(s.chars().count() as f64),
                _ => false,
            }
        }
        FilterOp::Empty => {
            let want = r.and_then(Value::as_bool);
            let empty = match l {
                Some(Value::Array(a)) => Some(a.is_empty()),
                Some(Value::String(s)) => Some(s.is_empty()),
                _ => None,
            };
            empty.is_some() && empty == want
        }
        FilterOp::Exists => r.and_then(Value::as_bool) == Some(l.is_some()),
    }
}

/// A small regular-expression matcher for `=~` filters: literals, `.`, `*`, `+`, `?`,
/// anchors and character classes are enough for the patterns seen in definitions.
fn simple_regex(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let anchored = p.first() == Some(&'^');
    let p = if anchored { &p[1..] } else { &p[..] };
    if anchored {
        return match_here(p, &t, 0);
    }
    (0..=t.len()).any(|i| match_here(p, &t[i..], 0))
}

fn match_here(p: &[char], t: &[char], depth: usize) -> bool {
    if depth > 2000 {
        return false;
    }
    let Some((atom, rest)) = atom(p) else { return true };
    if atom == ['$'] && rest.is_empty() {
        return t.is_empty();
    }
    match rest.first() {
        Some('*') => {
            let rest = &rest[1..];
            let mut i = 0;
            loop {
                if match_here(rest, &t[i..], depth + 1) {
                    return true;
                }
                if i < t.len() && atom_matches(atom, t[i]) {
                    i += 1;
                } else {
                    return false;
                }
            }
        }
        Some('+') => {
            !t.is_empty() && atom_matches(atom, t[0]) && {
                let mut star = atom.to_vec();
                star.push('*');
                star.extend_from_slice(&rest[1..]);
                match_here(&star, &t[1..], depth + 1)
            }
        }
        Some('?') => {
            (!t.is_empty() && atom_matches(atom, t[0]) && match_here(&rest[1..], &t[1..], depth + 1))
                || match_here(&rest[1..], t, depth + 1)
        }
        _ => !t.is_empty() && atom_matches(atom, t[0]) && match_here(rest, &t[1..], depth + 1),
    }
}

fn atom(p: &[char]) -> Option<(&[char], &[char])> {
    match p.first()? {
        '\\' if p.len() > 1 => Some((&p[..2], &p[2..])),
        '[' => {
            let end = p.iter().position(|&c| c == ']').unwrap_or(p.len() - 1);
            Some((&p[..=end], &p[end + 1..]))
        }
        _ => Some((&p[..1], &p[1..])),
    }
}

fn atom_matches(atom: &[char], c: char) -> bool {
    match atom {
        ['.'] => true,
        ['\\', 'd'] => c.is_ascii_digit(),
        ['\\', 'w'] => c.is_alphanumeric() || c == '_',
        ['\\', 's'] => c.is_whitespace(),
        ['\\', x] => c == *x,
        ['[', inner @ .., ']'] => {
            let (negate, inner) = match inner.first() {
                Some('^') => (true, &inner[1..]),
                _ => (false, inner),
            };
            let mut i = 0;
            let mut hit = false;
            while i < inner.len() {
                if i + 2 < inner.len() && inner[i + 1] == '-' {
                    hit |= (inner[i]..=inner[i + 2]).contains(&c);
                    i += 3;
                } else {
                    hit |= inner[i] == c;
                    i += 1;
                }
            }
            hit != negate
        }
        [x] => c == *x,
        _ => false,
    }
}

/// Places `result` at the reference path `path` inside `target` (`ResultPath`, jsonpath.md
/// §7), creating missing intermediate objects. `false` when the path cannot be applied.
pub fn set_at(target: &mut Value, path: &Path, result: Value) -> bool {
    if path.segments.is_empty() {
        *target = result;
        return true;
    }
    let mut cur = target;
    let n = path.segments.len();
    for (i, seg) in path.segments.iter().enumerate() {
        let last = i + 1 == n;
        match &seg.selector {
            Selector::Name(name) => {
                if cur.is_null() && i > 0 {
                    *cur = Value::Object(serde_json::Map::new());
                }
                let Value::Object(obj) = cur else { return false };
                if last {
                    obj.insert(name.to_string(), result);
                    return true;
                }
                let entry =
                    obj.entry(name.to_string()).or_insert_with(|| Value::Object(serde_json::Map::new()));
                if !entry.is_object() && !entry.is_null() && !entry.is_array() {
                    return false;
                }
                cur = entry;
            }
            Selector::Index(idx) => {
                let Value::Array(arr) = cur else { return false };
                let len = arr.len() as i64;
                let k = if *idx < 0 { len + idx } else { *idx };
                if k < 0 || k >= len {
                    return false;
                }
                let slot = &mut arr[k as usize];
                if last {
                    *slot = result;
                    return true;
                }
                cur = slot;
            }
            _ => return false,
        }
    }
    true
}
