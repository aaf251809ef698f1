//! Number pictures: `$formatNumber` (the XPath F&O 3.1 decimal format), `$formatInteger` and
//! `$parseInteger` (decimal digit patterns, letters, roman numerals, English words,
//! ordinals), and `$formatBase`.

use crate::error::{Error, Result};

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The common interval of grouping positions, or 0 when they are irregular.
fn regular(positions: &[usize]) -> usize {
    if positions.is_empty() {
        return 0;
    }
    let factor = positions.iter().copied().reduce(gcd).unwrap_or(0);
    if factor == 0 {
        return 0;
    }
    for index in 1..=positions.len() {
        if !positions.contains(&(index * factor)) {
            return 0;
        }
    }
    factor
}

fn index_of(haystack: &[char], needle: char) -> Option<usize> {
    haystack.iter().position(|c| *c == needle)
}

fn last_index_of(haystack: &[char], needle: char) -> Option<usize> {
    haystack.iter().rposition(|c| *c == needle)
}

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    per_mille: char,
    zero: char,
    digit: char,
    pattern: char,
}

struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fractional: Vec<char>,
    picture: Vec<char>,
}

#[derive(Clone)]
struct Analysis {
    integer_groups: Vec<usize>,
    regular_grouping: usize,
    min_integer: usize,
    scaling: usize,
    prefix: String,
    fractional_groups: Vec<usize>,
    min_fraction: usize,
    max_fraction: usize,
    min_exponent: usize,
    suffix: String,
    picture: Vec<char>,
}

/// `$formatNumber(number, picture, options)`.
pub fn format_number(value: f64, picture: &str, options: Option<&crate::value::Value>) -> Result<String> {
    let mut props = Props {
        decimal: '.',
        grouping: ',',
        exponent: 'e',
        minus: "-".into(),
        percent: '%',
        per_mille: '\u{2030}',
        zero: '0',
        digit: '#',
        pattern: ';',
    };
    if let Some(crate::value::Value::Object(map)) = options {
        for (key, item) in map.iter() {
            let Some(text) = item.as_str() else { continue };
            let first = text.chars().next().unwrap_or('\0');
            match &**key {
                "decimal-separator" => props.decimal = first,
                "grouping-separator" => props.grouping = first,
                "exponent-separator" => props.exponent = first,
                "minus-sign" => props.minus = text.to_owned(),
                "percent" => props.percent = first,
                "per-mille" => props.per_mille = first,
                "zero-digit" => props.zero = first,
                "digit" => props.digit = first,
                "pattern-separator" => props.pattern = first,
                _ => {}
            }
        }
    }
    let family: Vec<char> = (0..10).filter_map(|i| char::from_u32(props.zero as u32 + i)).collect();
    let is_digit = |c: char| family.contains(&c);
    let mut active: Vec<char> = family.clone();
    active.extend([props.decimal, props.exponent, props.grouping, props.digit, props.pattern]);
    let is_active = |c: char| active.contains(&c);

    let picture_chars: Vec<char> = picture.chars().collect();
    let subpictures: Vec<Vec<char>> =
        picture_chars.split(|c| *c == props.pattern).map(<[char]>::to_vec).collect();
    if subpictures.len() > 2 {
        return Err(Error::new("D3080"));
    }

    let split_parts = |sub: Vec<char>| -> Parts {
        let prefix_len = sub.iter().position(|c| is_active(*c) && *c != props.exponent).unwrap_or(sub.len());
        let suffix_start =
            sub.iter().rposition(|c| is_active(*c) && *c != props.exponent).map_or(sub.len(), |i| i + 1);
        let prefix = sub[..prefix_len].to_vec();
        let suffix = sub[suffix_start.max(prefix_len)..].to_vec();
        let active_part = sub[prefix_len..suffix_start.max(prefix_len)].to_vec();
        let exponent_pos =
            sub[prefix_len..].iter().position(|c| *c == props.exponent).map(|i| i + prefix_len);
        let (mantissa, exponent) = match exponent_pos {
            Some(pos) if pos <= sub.len() - suffix.len() => {
                let rel = pos - prefix_len;
                (
                    active_part[..rel.min(active_part.len())].to_vec(),
                    Some(active_part[(rel + 1).min(active_part.len())..].to_vec()),
                )
            }
            _ => (active_part.clone(), None),
        };
        let (integer, fractional) = match index_of(&mantissa, props.decimal) {
            None => (mantissa.clone(), suffix.clone()),
            Some(pos) => (mantissa[..pos].to_vec(), mantissa[pos + 1..].to_vec()),
        };
        Parts { prefix, suffix, active: active_part, mantissa, exponent, integer, fractional, picture: sub }
    };
    let parts: Vec<Parts> = subpictures.into_iter().map(split_parts).collect();

    for part in &parts {
        let sub = &part.picture;
        let mut error = None;
        let decimal_pos = index_of(sub, props.decimal);
        if decimal_pos != last_index_of(sub, props.decimal) {
            error = Some("D3081");
        }
        if index_of(sub, props.percent) != last_index_of(sub, props.percent) {
            error = Some("D3082");
        }
        if index_of(sub, props.per_mille) != last_index_of(sub, props.per_mille) {
            error = Some("D3083");
        }
        if index_of(sub, props.percent).is_some() && index_of(sub, props.per_mille).is_some() {
            error = Some("D3084");
        }
        if !part.mantissa.iter().any(|c| is_digit(*c) || *c == props.digit) {
            error = Some("D3085");
        }
        if part.active.iter().any(|c| !is_active(*c)) {
            error = Some("D3086");
        }
        match decimal_pos {
            Some(pos) => {
                let before = pos.checked_sub(1).and_then(|i| sub.get(i));
                if before == Some(&props.grouping) || sub.get(pos + 1) == Some(&props.grouping) {
                    error = Some("D3087");
                }
            }
            None => {
                if part.integer.last() == Some(&props.grouping) {
                    error = Some("D3088");
                }
            }
        }
        if sub.windows(2).any(|w| w[0] == props.grouping && w[1] == props.grouping) {
            error = Some("D3089");
        }
        if let Some(pos) = index_of(&part.integer, props.digit) {
            if part.integer[..pos].iter().any(|c| is_digit(*c)) {
                error = Some("D3090");
            }
        }
        if let Some(pos) = last_index_of(&part.fractional, props.digit) {
            if part.fractional[pos..].iter().any(|c| is_digit(*c)) {
                error = Some("D3091");
            }
        }
        if let Some(exponent) = &part.exponent {
            if !exponent.is_empty()
                && (index_of(sub, props.percent).is_some() || index_of(sub, props.per_mille).is_some())
            {
                error = Some("D3092");
            }
            if exponent.is_empty() || exponent.iter().any(|c| !is_digit(*c)) {
                error = Some("D3093");
            }
        }
        if let Some(code) = error {
            return Err(Error::new(code));
        }
    }

    let analyse = |part: &Parts| -> Analysis {
        let grouping_positions = |section: &[char], to_left: bool| -> Vec<usize> {
            let mut positions = Vec::new();
            let mut pos = index_of(section, props.grouping);
            while let Some(p) = pos {
                let counted = if to_left { &section[..p] } else { &section[p..] };
                positions.push(counted.iter().filter(|c| is_digit(**c) || **c == props.digit).count());
                pos = part.integer.iter().skip(p + 1).position(|c| *c == props.grouping).map(|i| i + p + 1);
            }
            positions
        };
        let integer_groups = grouping_positions(&part.integer, false);
        let regular_grouping = regular(&integer_groups);
        let fractional_groups = grouping_positions(&part.fractional, true);
        let mut min_integer = part.integer.iter().filter(|c| is_digit(**c)).count();
        let scaling = min_integer;
        let mut min_fraction = part.fractional.iter().filter(|c| is_digit(**c)).count();
        let mut max_fraction = part.fractional.iter().filter(|c| is_digit(**c) || **c == props.digit).count();
        let exponent_present = part.exponent.is_some();
        if min_integer == 0 && max_fraction == 0 {
            if exponent_present {
                min_fraction = 1;
                max_fraction = 1;
            } else {
                min_integer = 1;
            }
        }
        if exponent_present && min_integer == 0 && index_of(&part.integer, props.digit).is_some() {
            min_integer = 1;
        }
        if min_integer == 0 && min_fraction == 0 {
            min_fraction = 1;
        }
        let min_exponent = part.exponent.as_ref().map_or(0, |e| e.iter().filter(|c| is_digit(**c)).count());
        Analysis {
            integer_groups,
            regular_grouping,
            min_integer,
            scaling,
            prefix: part.prefix.iter().collect(),
            fractional_groups,
            min_fraction,
            max_fraction,
            min_exponent,
            suffix: part.suffix.iter().collect(),
            picture: part.picture.clone(),
        }
    };
    let mut variables: Vec<Analysis> = parts.iter().map(analyse).collect();
    if variables.len() == 1 {
        let mut negative = variables[0].clone();
        negative.prefix = format!("{}{}", props.minus, negative.prefix);
        variables.push(negative);
    }
    let pic = if value >= 0.0 { &variables[0] } else { &variables[1] };
    let adjusted = if pic.picture.contains(&props.percent) {
        value * 100.0
    } else if pic.picture.contains(&props.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let mut mantissa = adjusted;
    let mut exponent = None;
    if pic.min_exponent != 0 {
        let max_mantissa = 10f64.powi(pic.scaling as i32);
        let min_mantissa = 10f64.powi(pic.scaling as i32 - 1);
        let mut e = 0i32;
        if mantissa != 0.0 && mantissa.is_finite() {
            let mut guard = 0;
            while mantissa.abs() < min_mantissa && guard < 700 {
                mantissa *= 10.0;
                e -= 1;
                guard += 1;
            }
            while mantissa.abs() > max_mantissa && guard < 1400 {
                mantissa /= 10.0;
                e += 1;
                guard += 1;
            }
        }
        exponent = Some(e);
    }
    let rounded = crate::functions_round(mantissa, pic.max_fraction as f64);
    let make_string = |n: f64, dp: usize| -> Vec<char> {
        let text = format!("{:.*}", dp, n.abs());
        text.chars()
            .map(|c| if c.is_ascii_digit() { family[(c as u32 - '0' as u32) as usize] } else { c })
            .collect()
    };
    let mut s: Vec<char> = make_string(rounded, pic.max_fraction);
    match index_of(&s, '.') {
        None => s.push(props.decimal),
        Some(pos) => s[pos] = props.decimal,
    }
    while s.first() == Some(&props.zero) {
        s.remove(0);
    }
    while s.last() == Some(&props.zero) {
        s.pop();
    }
    let decimal_pos = index_of(&s, props.decimal).unwrap_or(s.len());
    let pad_left = pic.min_integer as i64 - decimal_pos as i64;
    let pad_right = pic.min_fraction as i64 - (s.len() as i64 - decimal_pos as i64 - 1);
    if pad_left > 0 {
        let mut padded = vec![props.zero; pad_left as usize];
        padded.extend(s);
        s = padded;
    }
    if pad_right > 0 {
        s.extend(std::iter::repeat_n(props.zero, pad_right as usize));
    }
    let mut decimal_pos = index_of(&s, props.decimal).unwrap_or(s.len());
    if let Some(group_count) = decimal_pos.saturating_sub(1).checked_div(pic.regular_grouping) {
        for group in 1..=group_count {
            let at = decimal_pos - group * pic.regular_grouping;
            s.insert(at, props.grouping);
        }
    } else {
        for pos in &pic.integer_groups {
            if *pos <= decimal_pos {
                s.insert(decimal_pos - pos, props.grouping);
                decimal_pos += 1;
            }
        }
    }
    let decimal_pos = index_of(&s, props.decimal).unwrap_or(s.len());
    for pos in &pic.fractional_groups {
        let at = pos + decimal_pos + 1;
        if at <= s.len() {
            s.insert(at, props.grouping);
        }
    }
    let decimal_pos = index_of(&s, props.decimal);
    if pic.min_fraction == 0 && decimal_pos == Some(s.len().wrapping_sub(1)) {
        s.pop();
    }
    let mut out: String = s.into_iter().collect();
    if let Some(e) = exponent {
        let mut digits: Vec<char> = make_string(f64::from(e), 0);
        let pad = pic.min_exponent as i64 - digits.len() as i64;
        if pad > 0 {
            let mut padded = vec![props.zero; pad as usize];
            padded.extend(digits);
            digits = padded;
        }
        out.push(props.exponent);
        if e < 0 {
            out.push_str(&props.minus);
        }
        out.extend(digits);
    }
    Ok(format!("{}{}{}", pic.prefix, out, pic.suffix))
}

/// `$formatBase(number, radix)`.
pub fn format_base(value: f64, radix: Option<f64>) -> Result<String> {
    let value = crate::functions_round(value, 0.0);
    let radix = radix.map_or(10.0, |r| crate::functions_round(r, 0.0));
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new("D3100").value(crate::value::Value::Number(radix)));
    }
    let radix = radix as u32;
    let negative = value < 0.0;
    let mut n = value.abs() as u128;
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit((n % u128::from(radix)) as u32, radix).unwrap_or('0'));
        n /= u128::from(radix);
        if n == 0 {
            break;
        }
    }
    if negative {
        digits.push('-');
    }
    Ok(digits.into_iter().rev().collect())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Case {
    Upper,
    Lower,
    Title,
}

/// An analysed integer picture.
#[derive(Clone, Debug)]
pub(crate) struct IntegerFormat {
    pub primary: Primary,
    pub case: Case,
    pub ordinal: bool,
    pub zero: u32,
    pub mandatory_digits: usize,
    pub optional_digits: usize,
    /// Regular grouping: every `n` digits, this separator.
    pub regular: Option<(usize, char)>,
    /// Irregular grouping: positions from the right and separators.
    pub separators: Vec<(usize, char)>,
    pub token: String,
}

const DECIMAL_GROUPS: &[u32] = &[
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// The zero of the decimal digit group `c` belongs to.
pub(crate) fn digit_group(c: char) -> Option<u32> {
    let code = c as u32;
    DECIMAL_GROUPS.iter().copied().find(|group| code >= *group && code <= group + 9)
}

pub(crate) fn analyse_integer_picture(picture: &str) -> Result<IntegerFormat> {
    let mut format = IntegerFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero: 0x30,
        mandatory_digits: 0,
        optional_digits: 0,
        regular: None,
        separators: Vec::new(),
        token: String::new(),
    };
    let primary = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            if picture[i + 1..].starts_with('o') {
                format.ordinal = true;
            }
            &picture[..i]
        }
    };
    match primary {
        "A" => {
            format.case = Case::Upper;
            format.primary = Primary::Letters;
        }
        "a" => format.primary = Primary::Letters,
        "I" => {
            format.case = Case::Upper;
            format.primary = Primary::Roman;
        }
        "i" => format.primary = Primary::Roman,
        "W" => {
            format.case = Case::Upper;
            format.primary = Primary::Words;
        }
        "Ww" => {
            format.case = Case::Title;
            format.primary = Primary::Words;
        }
        "w" => format.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut position = 0;
            let mut separators = Vec::new();
            for c in primary.chars().rev() {
                if let Some(group) = digit_group(c) {
                    format.mandatory_digits += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(group),
                        Some(z) if z != group => return Err(Error::new("D3131")),
                        _ => {}
                    }
                } else if c == '#' {
                    position += 1;
                    format.optional_digits += 1;
                } else {
                    separators.push((position, c));
                }
            }
            if format.mandatory_digits > 0 {
                format.zero = zero.unwrap_or(0x30);
                let same_char = separators.iter().all(|(_, c)| Some(*c) == separators.first().map(|s| s.1));
                let positions: Vec<usize> = separators.iter().map(|s| s.0).collect();
                let factor = if same_char { regular(&positions) } else { 0 };
                if factor > 0 {
                    format.regular = Some((factor, separators[0].1));
                } else {
                    format.separators = separators;
                }
            } else {
                format.primary = Primary::Sequence;
                format.token = primary.to_owned();
            }
        }
    }
    Ok(format)
}

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] =
    ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

pub(crate) fn number_to_words(value: f64, ordinal: bool) -> String {
    fn lookup(num: f64, prev: bool, ord: bool) -> String {
        if num <= 19.0 {
            let i = num as usize;
            format!("{}{}", if prev { " and " } else { "" }, if ord { ORDINALS[i] } else { FEW[i] })
        } else if num < 100.0 {
            let tens = (num / 10.0).floor() as usize;
            let remainder = num % 10.0;
            let mut words = format!("{}{}", if prev { " and " } else { "" }, DECADES[tens - 2]);
            if remainder > 0.0 {
                words.push('-');
                words.push_str(&lookup(remainder, false, ord));
            } else if ord {
                words.pop();
                words.push_str("ieth");
            }
            words
        } else if num < 1000.0 {
            let hundreds = (num / 100.0).floor() as usize;
            let remainder = num % 100.0;
            let mut words = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[hundreds]);
            if remainder > 0.0 {
                words.push_str(&lookup(remainder, true, ord));
            } else if ord {
                words.push_str("th");
            }
            words
        } else {
            let mut mag = (num.log10() / 3.0).floor() as usize;
            if mag > MAGNITUDES.len() {
                mag = MAGNITUDES.len();
            }
            let factor = 10f64.powi(mag as i32 * 3);
            let mant = (num / factor).floor();
            let remainder = num - mant * factor;
            let mut words = format!(
                "{}{} {}",
                if prev { ", " } else { "" },
                lookup(mant, false, false),
                MAGNITUDES[mag - 1]
            );
            if remainder > 0.0 {
                words.push_str(&lookup(remainder, true, ord));
            } else if ord {
                words.push_str("th");
            }
            words
        }
    }
    lookup(value, false, ordinal)
}

const ROMAN: [(u64, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

fn to_roman(mut value: u64) -> String {
    let mut out = String::new();
    for (n, text) in ROMAN {
        while value >= n {
            out.push_str(text);
            value -= n;
        }
    }
    out
}

fn from_roman(text: &str) -> f64 {
    let value_of = |c: char| match c.to_ascii_lowercase() {
        'm' => 1000.0,
        'd' => 500.0,
        'c' => 100.0,
        'l' => 50.0,
        'x' => 10.0,
        'v' => 5.0,
        'i' => 1.0,
        _ => 0.0,
    };
    let values: Vec<f64> = text.chars().map(value_of).collect();
    let mut total = 0.0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    total
}

fn to_letters(mut value: u64, a: char) -> String {
    let mut letters = Vec::new();
    while value > 0 {
        letters.push(char::from_u32((value - 1) as u32 % 26 + a as u32).unwrap_or('?'));
        value = (value - 1) / 26;
    }
    letters.into_iter().rev().collect()
}

fn from_letters(text: &str, a: char) -> f64 {
    let mut total = 0.0;
    for c in text.chars() {
        total = total * 26.0 + f64::from(c as u32 - a as u32 + 1);
    }
    total
}

/// Formats an integer with an analysed picture.
pub(crate) fn format_integer_with(value: f64, format: &IntegerFormat) -> Result<String> {
    // Roman numerals of huge numbers would be unbounded text (words and letters grow with
    // the logarithm).
    let bounded = format.primary != Primary::Roman || value.abs() < 1e9;
    if !value.is_finite() || !bounded {
        return Err(Error::new("D1001").value(crate::value::Value::Number(value)));
    }
    let negative = value < 0.0;
    let value = value.abs();
    let mut out = match format.primary {
        Primary::Letters => to_letters(value as u64, if format.case == Case::Upper { 'A' } else { 'a' }),
        Primary::Roman => {
            let roman = to_roman(value as u64);
            if format.case == Case::Upper {
                roman.to_uppercase()
            } else {
                roman
            }
        }
        Primary::Words => {
            let words = number_to_words(value, format.ordinal);
            match format.case {
                Case::Upper => words.to_uppercase(),
                Case::Lower => words.to_lowercase(),
                Case::Title => words,
            }
        }
        Primary::Decimal => {
            let mut digits = crate::value::js_number(value);
            let pad = format.mandatory_digits as i64 - digits.chars().count() as i64;
            if pad > 0 {
                digits = format!("{}{digits}", "0".repeat(pad as usize));
            }
            if format.zero != 0x30 {
                digits = digits
                    .chars()
                    .map(|c| {
                        if c.is_ascii_digit() {
                            char::from_u32(c as u32 - 0x30 + format.zero).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
            }
            let mut chars: Vec<char> = digits.chars().collect();
            if let Some((every, sep)) = format.regular {
                let n = (chars.len().saturating_sub(1)) / every;
                for ii in (1..=n).rev() {
                    let pos = chars.len() - ii * every;
                    chars.insert(pos, sep);
                }
            } else {
                for (position, sep) in format.separators.iter().rev() {
                    let pos = chars.len().saturating_sub(*position);
                    chars.insert(pos, *sep);
                }
            }
            let mut digits: String = chars.into_iter().collect();
            if format.ordinal {
                let mut rev = digits.chars().rev();
                let last = rev.next();
                let before = rev.next();
                let suffix = match last {
                    Some('1') if before != Some('1') => "st",
                    Some('2') if before != Some('1') => "nd",
                    Some('3') if before != Some('1') => "rd",
                    _ => "th",
                };
                digits.push_str(suffix);
            }
            digits
        }
        Primary::Sequence => {
            return Err(Error::new("D3130").value(crate::value::Value::string(&format.token)))
        }
    };
    if negative {
        out.insert(0, '-');
    }
    Ok(out)
}

/// `$formatInteger(number, picture)`.
pub fn format_integer(value: f64, picture: &str) -> Result<String> {
    let format = analyse_integer_picture(picture)?;
    format_integer_with(value.floor(), &format)
}

fn word_value(word: &str) -> Option<f64> {
    for (i, w) in FEW.iter().enumerate() {
        if w.eq_ignore_ascii_case(word) {
            return Some(i as f64);
        }
    }
    for (i, w) in ORDINALS.iter().enumerate() {
        if w.eq_ignore_ascii_case(word) {
            return Some(i as f64);
        }
    }
    for (i, w) in DECADES.iter().enumerate() {
        let value = ((i + 2) * 10) as f64;
        if w.eq_ignore_ascii_case(word) {
            return Some(value);
        }
        let ordinal = format!("{}ieth", &w[..w.len() - 1]);
        if ordinal.eq_ignore_ascii_case(word) {
            return Some(value);
        }
    }
    if word.eq_ignore_ascii_case("hundredth") {
        return Some(100.0);
    }
    for (i, w) in MAGNITUDES.iter().enumerate() {
        let value = 10f64.powi((i as i32 + 1) * 3);
        if w.eq_ignore_ascii_case(word) || format!("{w}th").eq_ignore_ascii_case(word) {
            return Some(value);
        }
    }
    None
}

pub(crate) fn words_to_number(text: &str) -> f64 {
    let lower = text.to_lowercase();
    let normalised = lower.replace(", ", " ").replace(" and ", " ").replace('-', " ");
    let mut segs: Vec<f64> = vec![0.0];
    for part in normalised.split(' ') {
        let value = word_value(part).unwrap_or(f64::NAN);
        if value < 100.0 || value.is_nan() {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    segs.iter().sum()
}

/// Parses `text` as an integer in the given format.
pub(crate) fn parse_integer_with(text: &str, format: &IntegerFormat) -> Result<Option<f64>> {
    Ok(Some(match format.primary {
        Primary::Letters => from_letters(text, if format.case == Case::Upper { 'A' } else { 'a' }),
        Primary::Roman => from_roman(text),
        Primary::Words => words_to_number(text),
        Primary::Decimal => {
            let mut digits = String::new();
            for c in text.chars() {
                let code = c as u32;
                if code >= format.zero && code <= format.zero + 9 {
                    digits.push(char::from_u32(code - format.zero + 0x30).unwrap_or('0'));
                }
            }
            match digits.parse::<f64>() {
                Ok(n) => n,
                Err(_) => return Ok(None),
            }
        }
        Primary::Sequence => {
            return Err(Error::new("D3130").value(crate::value::Value::string(&format.token)))
        }
    }))
}

/// `$parseInteger(string, picture)`.
pub fn parse_integer(text: &str, picture: &str) -> Result<Option<f64>> {
    let format = analyse_integer_picture(picture)?;
    let negative = text.starts_with('-') && format.primary == Primary::Decimal;
    let res = parse_integer_with(text, &format)?;
    Ok(res.map(|n| if negative { -n } else { n }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(format_integer(123.0, "w").unwrap(), "one hundred and twenty-three");
        assert_eq!(format_integer(1999.0, "I").unwrap(), "MCMXCIX");
        assert_eq!(format_integer(1234567.0, "#,##0").unwrap(), "1,234,567");
        assert_eq!(format_integer(2.0, "1;o").unwrap(), "2nd");
        assert_eq!(format_integer(28.0, "A").unwrap(), "AB");
        assert_eq!(parse_integer("one hundred and twenty-three", "w").unwrap(), Some(123.0));
        assert_eq!(parse_integer("MCMXCIX", "I").unwrap(), Some(1999.0));
    }

    #[test]
    fn numbers() {
        assert_eq!(format_number(12345.6, "#,###.00", None).unwrap(), "12,345.60");
        assert_eq!(format_number(0.14, "01%", None).unwrap(), "14%");
        assert_eq!(format_number(-6.0, "000", None).unwrap(), "-006");
        assert_eq!(format_number(1234.5678, "00.000e0", None).unwrap(), "12.346e2");
    }
}
