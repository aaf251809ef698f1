//! Date/time pictures (XPath F&O 3.1 §9.8): `$fromMillis`/`$now` formatting and `$toMillis`
//! parsing, on the proleptic Gregorian calendar in UTC shifted by the requested offset.

use crate::error::{Error, Result};
use crate::format::{
    analyse_integer_picture, format_integer_with, parse_integer_with, IntegerFormat, Primary,
};
use crate::value::Value;

const DAY_MS: f64 = 86_400_000.0;

const DAYS: [&str; 8] = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Days since 1970-01-01 of a civil date (month 1–12).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `Date.UTC(year, month0, day, h, m, s, ms)` with JavaScript's month overflow.
fn date_utc(year: f64, month0: f64, day: f64, h: f64, m: f64, s: f64, ms: f64) -> f64 {
    // Beyond JavaScript's date range (±275 760 years) there is no date: NaN, as `Date.UTC`.
    if year.is_nan() || year.abs() >= 300_000.0 || !month0.is_finite() {
        return f64::NAN;
    }
    let year = year + (month0 / 12.0).floor();
    let month0 = month0.rem_euclid(12.0);
    let days = days_from_civil(year as i64, month0 as i64 + 1, 1) as f64 + day - 1.0;
    days * DAY_MS + h * 3_600_000.0 + m * 60_000.0 + s * 1000.0 + ms
}

/// The broken-down UTC time of a millisecond timestamp.
#[derive(Clone, Copy, Debug)]
struct Parts {
    millis: f64,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    /// 0 = Sunday, as JavaScript's `getUTCDay`.
    weekday: i64,
}

fn parts(millis: f64) -> Parts {
    let days = (millis / DAY_MS).floor() as i64;
    let in_day = millis - days as f64 * DAY_MS;
    let (year, month, day) = civil_from_days(days);
    let ms = in_day as i64;
    Parts {
        millis,
        year,
        month,
        day,
        hour: ms / 3_600_000,
        minute: ms / 60_000 % 60,
        second: ms / 1000 % 60,
        milli: ms % 1000,
        weekday: (days + 4).rem_euclid(7),
    }
}

/// The start of week 1 of a year or month (the week holding its first Thursday).
fn start_of_first_week(year: i64, month0: i64) -> f64 {
    let first = date_utc(year as f64, month0 as f64, 1.0, 0.0, 0.0, 0.0, 0.0);
    let mut day = parts(first).weekday;
    if day == 0 {
        day = 7;
    }
    if day > 4 {
        first + (8 - day) as f64 * DAY_MS
    } else {
        first - (day - 1) as f64 * DAY_MS
    }
}

fn delta_weeks(start: f64, end: f64) -> f64 {
    (end - start) / (DAY_MS * 7.0) + 1.0
}

enum Fragment {
    Number(f64),
    Text(String),
}

fn fragment(date: &Parts, component: char) -> Option<Fragment> {
    let now = date.millis;
    Some(Fragment::Number(match component {
        'Y' => date.year as f64,
        'M' => date.month as f64,
        'D' => date.day as f64,
        'd' => {
            let first = date_utc(date.year as f64, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
            ((now - first) / DAY_MS).floor() + 1.0
        }
        'F' => {
            if date.weekday == 0 {
                7.0
            } else {
                date.weekday as f64
            }
        }
        'W' | 'X' => {
            let mut year = date.year;
            let mut start = start_of_first_week(year, 0);
            let following = start_of_first_week(year + 1, 0);
            if now < start {
                year -= 1;
                start = start_of_first_week(year, 0);
            } else if now >= following {
                year += 1;
                start = following;
            }
            if component == 'W' {
                delta_weeks(start, now).floor()
            } else {
                year as f64
            }
        }
        'w' | 'x' => {
            let (mut year, mut month0) = (date.year, date.month - 1);
            let mut start = start_of_first_week(year, month0);
            let (next_year, next_month) = if month0 == 11 { (year + 1, 0) } else { (year, month0 + 1) };
            let following = start_of_first_week(next_year, next_month);
            if now < start {
                if month0 == 0 {
                    year -= 1;
                    month0 = 11;
                } else {
                    month0 -= 1;
                }
                start = start_of_first_week(year, month0);
            } else if now >= following {
                year = next_year;
                month0 = next_month;
                start = following;
            }
            let _ = year;
            if component == 'w' {
                delta_weeks(start, now).floor()
            } else {
                (month0 + 1) as f64
            }
        }
        'H' => date.hour as f64,
        'h' => {
            let h = date.hour % 12;
            if h == 0 {
                12.0
            } else {
                h as f64
            }
        }
        'P' => return Some(Fragment::Text(if date.hour >= 12 { "pm" } else { "am" }.into())),
        'm' => date.minute as f64,
        's' => date.second as f64,
        'f' => date.milli as f64,
        'C' | 'E' => return Some(Fragment::Text("ISO".into())),
        _ => return None,
    }))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Names {
    Upper,
    Lower,
    Title,
}

#[derive(Debug)]
struct Marker {
    component: char,
    presentation2: Option<char>,
    names: Option<Names>,
    width: Option<(Option<usize>, Option<usize>)>,
    integer: Option<IntegerFormat>,
    year_digits: Option<usize>,
}

#[derive(Debug)]
enum Part {
    Literal(String),
    Marker(Box<Marker>),
}

fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'X' | 'x' | 'w' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

fn analyse_picture(picture: &str) -> Result<Vec<Part>> {
    let chars: Vec<char> = picture.chars().collect();
    let mut spec = Vec::new();
    let add_literal = |spec: &mut Vec<Part>, from: usize, to: usize| {
        if to > from {
            let literal: String = chars[from..to].iter().collect();
            spec.push(Part::Literal(literal.replace("]]", "]")));
        }
    };
    let mut start = 0;
    let mut pos = 0;
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut spec, start, pos);
                spec.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut spec, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|c| *c == ']').map(|i| i + start) else {
                return Err(Error::new("D3135"));
            };
            pos = close;
            let marker: String = chars[start + 1..pos].iter().filter(|c| !c.is_whitespace()).collect();
            let marker_chars: Vec<char> = marker.chars().collect();
            let component = marker_chars.first().copied().unwrap_or(' ');
            let mut width = None;
            let pres: String = match marker.rfind(',') {
                Some(comma) => {
                    let width_mod = &marker[comma + 1..];
                    let parse_width = |w: Option<&str>| -> Option<usize> {
                        match w {
                            None | Some("*") => None,
                            Some(w) => {
                                let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
                                // Widths beyond any real date component are capped.
                                digits.parse::<usize>().ok().map(|w| w.min(64))
                            }
                        }
                    };
                    let (min, max) = match width_mod.find('-') {
                        None => (Some(width_mod), None),
                        Some(dash) => (Some(&width_mod[..dash]), Some(&width_mod[dash + 1..])),
                    };
                    width = Some((parse_width(min), parse_width(max)));
                    marker[component.len_utf8()..comma].to_owned()
                }
                None => marker.get(component.len_utf8()..).unwrap_or("").to_owned(),
            };
            let pres_chars: Vec<char> = pres.chars().collect();
            let mut presentation2 = None;
            let presentation1 = if pres_chars.len() == 1 {
                pres.clone()
            } else if pres_chars.len() > 1 {
                let last = pres_chars[pres_chars.len() - 1];
                if "atco".contains(last) {
                    presentation2 = Some(last);
                    pres_chars[..pres_chars.len() - 1].iter().collect()
                } else {
                    pres.clone()
                }
            } else {
                match default_presentation(component) {
                    Some(p) => p.to_owned(),
                    None => return Err(Error::new("D3132").value(Value::string(&component.to_string()))),
                }
            };
            let mut def =
                Marker { component, presentation2, names: None, width, integer: None, year_digits: None };
            let p1: Vec<char> = presentation1.chars().collect();
            if p1.first() == Some(&'n') {
                def.names = Some(Names::Lower);
            } else if p1.first() == Some(&'N') {
                def.names = Some(if p1.get(1) == Some(&'n') { Names::Title } else { Names::Upper });
            } else if "YMDdFWwXxHhmsf".contains(component) {
                let mut pattern = presentation1.clone();
                if let Some(p2) = presentation2 {
                    pattern.push(';');
                    pattern.push(p2);
                }
                let mut integer = analyse_integer_picture(&pattern)?;
                if let Some((Some(min), _)) = width {
                    if integer.mandatory_digits < min {
                        integer.mandatory_digits = min;
                    }
                }
                if component == 'Y' {
                    if let Some((_, Some(max))) = width {
                        def.year_digits = Some(max);
                        integer.mandatory_digits = max;
                    } else {
                        let w = integer.mandatory_digits + integer.optional_digits;
                        if w >= 2 {
                            def.year_digits = Some(w);
                        }
                    }
                }
                def.integer = Some(integer);
            }
            if component == 'Z' || component == 'z' {
                def.integer = Some(analyse_integer_picture(&presentation1)?);
            }
            spec.push(Part::Marker(Box::new(def)));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut spec, start, chars.len());
    Ok(spec)
}

fn apply_case(text: &str, names: Names) -> String {
    match names {
        Names::Upper => text.to_uppercase(),
        Names::Lower => text.to_lowercase(),
        Names::Title => text.to_owned(),
    }
}

/// `$fromMillis(millis, picture, timezone)`.
pub fn from_millis(millis: f64, picture: Option<&str>, timezone: Option<&str>) -> Result<String> {
    // JavaScript dates span ±8.64e15 ms; beyond, the reference fails on an invalid date.
    if millis.is_nan() || millis.abs() > 8.64e15 {
        return Err(Error::new("D1001").value(Value::Number(millis)));
    }
    let (mut offset_hours, mut offset_minutes) = (0i64, 0i64);
    if let Some(tz) = timezone {
        // `parseInt`, `Math.floor(offset / 100)` and `offset % 100`, as the reference.
        let digits: String = tz
            .trim()
            .chars()
            .enumerate()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '+' || *c == '-')))
            .map(|(_, c)| c)
            .collect();
        let offset: i64 = digits.parse().unwrap_or(0);
        offset_hours = offset.div_euclid(100);
        offset_minutes = offset % 100;
    }
    let spec = analyse_picture(picture.unwrap_or("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"))?;
    let offset_millis = ((60 * offset_hours + offset_minutes) * 60 * 1000) as f64;
    let date = parts(millis + offset_millis);
    let mut out = String::new();
    for part in &spec {
        match part {
            Part::Literal(text) => out.push_str(text),
            Part::Marker(marker) => {
                out.push_str(&format_component(&date, marker, offset_hours, offset_minutes)?)
            }
        }
    }
    Ok(out)
}

fn format_component(date: &Parts, marker: &Marker, offset_hours: i64, offset_minutes: i64) -> Result<String> {
    let component = marker.component;
    let value = fragment(date, component);
    if "YMDdFWwXxHhms".contains(component) {
        let Some(Fragment::Number(mut n)) = value else { return Ok(String::new()) };
        if component == 'Y' {
            if let Some(digits) = marker.year_digits {
                n %= 10f64.powi(digits as i32);
            }
        }
        if let Some(names) = marker.names {
            let name = match component {
                'M' | 'x' => MONTHS.get((n as usize).wrapping_sub(1)).copied().unwrap_or(""),
                'F' => DAYS.get(n as usize).copied().unwrap_or(""),
                _ => return Err(Error::new("D3133").value(Value::string(&component.to_string()))),
            };
            let mut text = apply_case(name, names);
            if let Some((_, Some(max))) = marker.width {
                if text.chars().count() > max {
                    text = text.chars().take(max).collect();
                }
            }
            return Ok(text);
        }
        let Some(integer) = &marker.integer else { return Ok(String::new()) };
        return format_integer_with(n, integer);
    }
    match component {
        'f' => {
            let Some(Fragment::Number(n)) = value else { return Ok(String::new()) };
            let Some(integer) = &marker.integer else { return Ok(String::new()) };
            format_integer_with(n, integer)
        }
        'Z' | 'z' => {
            let offset = offset_hours * 100 + offset_minutes;
            let Some(integer) = &marker.integer else { return Ok(String::new()) };
            let mut text = if integer.regular.is_some() {
                format_integer_with(offset as f64, integer)?
            } else {
                let digits = integer.mandatory_digits;
                if digits == 1 || digits == 2 {
                    let mut t = format_integer_with(offset_hours as f64, integer)?;
                    if offset_minutes != 0 {
                        t.push(':');
                        t.push_str(&format!("{:02}", offset_minutes.abs()));
                    }
                    t
                } else if digits == 3 || digits == 4 {
                    format_integer_with(offset as f64, integer)?
                } else {
                    return Err(Error::new("D3134").value(Value::Number(digits as f64)));
                }
            };
            if offset >= 0 {
                text.insert(0, '+');
            }
            if component == 'z' {
                text.insert_str(0, "GMT");
            }
            if offset == 0 && marker.presentation2 == Some('t') {
                text = "Z".into();
            }
            Ok(text)
        }
        'P' => {
            let Some(Fragment::Text(text)) = value else { return Ok(String::new()) };
            Ok(if marker.names == Some(Names::Upper) { text.to_uppercase() } else { text })
        }
        _ => Ok(match value {
            Some(Fragment::Text(text)) => text,
            Some(Fragment::Number(n)) => crate::value::js_number(n),
            None => String::new(),
        }),
    }
}

/// `$toMillis(timestamp, picture)`.
pub fn to_millis(text: &str, picture: Option<&str>) -> Result<Option<f64>> {
    match picture {
        None => parse_iso(text).map(Some).ok_or_else(|| Error::new("D3110").value(Value::string(text))),
        Some(picture) => parse_with_picture(text, picture),
    }
}

static ISO_8601: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();

fn parse_iso(text: &str) -> Option<f64> {
    // The reference accepts ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
    // and then reads the text with `Date.parse`.
    let re = ISO_8601.get_or_init(|| {
        regex::Regex::new(
            r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$",
        )
        .ok()
    });
    let caps = re.as_ref()?.captures(text)?;
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<f64>().ok());
    let year = num(1)?;
    let month = num(2).unwrap_or(1.0);
    let day = num(3).unwrap_or(1.0);
    if !(1.0..=12.0).contains(&month) || !(1.0..=31.0).contains(&day) {
        return None;
    }
    let hour = num(4).unwrap_or(0.0);
    let minute = num(5).unwrap_or(0.0);
    let second = num(6).unwrap_or(0.0);
    if hour > 24.0 || minute > 59.0 || second > 59.0 {
        return None;
    }
    let millis = caps.get(7).map_or(0.0, |m| {
        let digits: String = m.as_str().chars().chain(std::iter::repeat('0')).take(3).collect();
        digits.parse().unwrap_or(0.0)
    });
    let mut result = date_utc(year, month - 1.0, day, hour, minute, second, millis);
    if let Some(zone) = caps.get(8) {
        let zone = zone.as_str();
        if zone != "Z" {
            let sign = if zone.starts_with('-') { -1.0 } else { 1.0 };
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: f64 = digits[..2].parse().unwrap_or(0.0);
            let minutes: f64 = digits[2..].parse().unwrap_or(0.0);
            result -= sign * (hours * 60.0 + minutes) * 60_000.0;
        }
    }
    Some(result)
}

fn integer_regex(format: &IntegerFormat) -> Result<String> {
    Ok(match format.primary {
        Primary::Letters => {
            if format.case == crate::format::Case::Upper {
                "[A-Z]+".into()
            } else {
                "[a-z]+".into()
            }
        }
        Primary::Roman => {
            if format.case == crate::format::Case::Upper {
                "[MDCLXVI]+".into()
            } else {
                "[mdclxvi]+".into()
            }
        }
        Primary::Words => "(?:[a-zA-Z]+|,|\\s|-)+?".into(),
        Primary::Decimal => {
            let mut re = String::from("[0-9]+");
            if format.ordinal {
                re.push_str("(?:th|st|nd|rd)");
            }
            re
        }
        Primary::Sequence => return Err(Error::new("D3130").value(Value::string(&format.token))),
    })
}

enum Parser {
    None,
    Integer(IntegerFormat),
    Names(Vec<(String, f64)>),
    Zone { separator: Option<char>, gmt: bool },
}

fn parse_with_picture(text: &str, picture: &str) -> Result<Option<f64>> {
    let spec = analyse_picture(picture)?;
    let mut regex_text = String::from("^");
    let mut parsers: Vec<(char, Parser)> = Vec::new();
    let is_numeric = |part: Option<&Part>| matches!(part, Some(Part::Marker(m)) if m.integer.is_some() && m.component != 'Z' && m.component != 'z');
    for (index, part) in spec.iter().enumerate() {
        match part {
            Part::Literal(literal) => {
                regex_text.push('(');
                regex_text.push_str(&regex::escape(literal));
                regex_text.push(')');
                parsers.push((' ', Parser::None));
            }
            Part::Marker(marker) => {
                let c = marker.component;
                if c == 'Z' || c == 'z' {
                    let separator = marker
                        .integer
                        .as_ref()
                        .and_then(|f| f.regular.map(|r| r.1).or_else(|| f.separators.first().map(|s| s.1)));
                    let mut re = String::new();
                    if c == 'z' {
                        re.push_str("GMT");
                    }
                    re.push_str("[-+][0-9]+");
                    if let Some(sep) = separator {
                        re.push_str(&regex::escape(&sep.to_string()));
                        re.push_str("[0-9]+");
                    }
                    regex_text.push_str(&format!("({re})"));
                    parsers.push((c, Parser::Zone { separator, gmt: c == 'z' }));
                } else if let Some(integer) = &marker.integer {
                    // A number followed directly by another number has a fixed width.
                    let fixed = is_numeric(spec.get(index + 1))
                        && integer.primary == Primary::Decimal
                        && integer.mandatory_digits > 0;
                    let re = if fixed {
                        format!("[0-9]{{{}}}", integer.mandatory_digits)
                    } else {
                        integer_regex(integer)?
                    };
                    regex_text.push_str(&format!("({re})"));
                    parsers.push((c, Parser::Integer(integer.clone())));
                } else {
                    let max = marker.width.and_then(|w| w.1);
                    let cut = |name: &str| -> String {
                        match max {
                            Some(max) => name.chars().take(max).collect(),
                            None => name.to_owned(),
                        }
                    };
                    let names: Vec<(String, f64)> = match c {
                        'M' | 'x' => {
                            MONTHS.iter().enumerate().map(|(i, n)| (cut(n), (i + 1) as f64)).collect()
                        }
                        'F' => DAYS.iter().enumerate().skip(1).map(|(i, n)| (cut(n), i as f64)).collect(),
                        'P' => vec![("am".into(), 0.0), ("pm".into(), 1.0)],
                        _ => return Err(Error::new("D3133").value(Value::string(&c.to_string()))),
                    };
                    regex_text.push_str("([a-zA-Z]+)");
                    parsers.push((c, Parser::Names(names)));
                }
            }
        }
    }
    regex_text.push('$');
    let Ok(re) = regex::RegexBuilder::new(&regex_text).case_insensitive(true).build() else {
        return Ok(None);
    };
    let Some(caps) = re.captures(text) else { return Ok(None) };
    let mut components: rustc_hash::FxHashMap<char, f64> = rustc_hash::FxHashMap::default();
    for (i, (component, parser)) in parsers.iter().enumerate() {
        let value = caps.get(i + 1).map_or("", |m| m.as_str());
        let parsed = match parser {
            Parser::None => continue,
            Parser::Integer(format) => {
                let mut digits = value.to_owned();
                if format.ordinal && format.primary == Primary::Decimal && digits.len() >= 2 {
                    digits.truncate(digits.len() - 2);
                }
                parse_integer_with(&digits, format)?.unwrap_or(f64::NAN)
            }
            Parser::Names(names) => {
                names.iter().find(|(name, _)| name.eq_ignore_ascii_case(value)).map_or(f64::NAN, |(_, v)| *v)
            }
            Parser::Zone { separator, gmt } => {
                let value = if *gmt { &value[3.min(value.len())..] } else { value };
                let (hours, minutes) = match separator.and_then(|s| value.find(s).map(|i| (s, i))) {
                    Some((sep, i)) => (
                        value[..i].parse::<f64>().unwrap_or(0.0),
                        value[i + sep.len_utf8()..].parse::<f64>().unwrap_or(0.0),
                    ),
                    None => {
                        if value.len() - 1 <= 2 {
                            (value.parse::<f64>().unwrap_or(0.0), 0.0)
                        } else {
                            (
                                value[..3].parse::<f64>().unwrap_or(0.0),
                                value[3..].parse::<f64>().unwrap_or(0.0),
                            )
                        }
                    }
                };
                let minutes = if hours < 0.0 || value.starts_with('-') { -minutes } else { minutes };
                hours * 60.0 + minutes
            }
        };
        components.insert(*component, parsed);
    }
    if components.is_empty() {
        return Ok(None);
    }
    let mask_of = |order: &str| -> u32 {
        order.chars().fold(0, |mask, c| (mask << 1) | u32::from(components.contains_key(&c)))
    };
    let is_type = |mask: u32, ty: u32| (!ty & mask) == 0 && (ty & mask) != 0;
    let date_mask = mask_of("YXMxWwdD");
    let date_a = is_type(date_mask, 161);
    let date_b = !date_a && is_type(date_mask, 130);
    let date_c = is_type(date_mask, 84);
    let date_d = !date_c && is_type(date_mask, 72);
    let time_mask = mask_of("PHhmsf");
    let time_a = is_type(time_mask, 23);
    let time_b = !time_a && is_type(time_mask, 47);
    let date_comps = if date_b {
        "Yd"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now = parts(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or(0.0),
    );
    let mut start_specified = false;
    let mut end_specified = false;
    for part in date_comps.chars().chain(time_comps.chars()) {
        if let std::collections::hash_map::Entry::Vacant(slot) = components.entry(part) {
            if start_specified {
                slot.insert(if "MDd".contains(part) { 1.0 } else { 0.0 });
                end_specified = true;
            } else {
                let value = match fragment(&now, part) {
                    Some(Fragment::Number(n)) => n,
                    Some(Fragment::Text(t)) => f64::from(u8::from(t == "pm")),
                    None => 0.0,
                };
                slot.insert(value);
            }
        } else {
            start_specified = true;
            if end_specified {
                return Err(Error::new("D3136"));
            }
        }
    }
    let get = |c: char| components.get(&c).copied().unwrap_or(0.0);
    let mut month0 = if get('M') > 0.0 { get('M') - 1.0 } else { 0.0 };
    let mut day = get('D');
    if date_b {
        let first = date_utc(get('Y'), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
        let derived = parts(first + (get('d') - 1.0) * DAY_MS);
        month0 = (derived.month - 1) as f64;
        day = derived.day as f64;
    }
    if date_c || date_d {
        return Err(Error::new("D3136"));
    }
    let mut hour = get('H');
    if time_b {
        hour = if get('h') == 12.0 { 0.0 } else { get('h') };
        if get('P') == 1.0 {
            hour += 12.0;
        }
    }
    let mut millis = date_utc(get('Y'), month0, day, hour, get('m'), get('s'), get('f'));
    let zone = components.get(&'Z').or_else(|| components.get(&'z')).copied().unwrap_or(0.0);
    if zone != 0.0 {
        millis -= zone * 60_000.0;
    }
    if millis.is_nan() {
        return Ok(None);
    }
    Ok(Some(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(from_millis(1_510_067_557_121.0, None, None).unwrap(), "2017-11-07T15:12:37.121Z");
        assert_eq!(to_millis("2017-11-07T15:12:37.121Z", None).unwrap(), Some(1_510_067_557_121.0));
        assert_eq!(
            from_millis(1_521_801_216_617.0, Some("[D1o] [MNn] [Y]"), None).unwrap(),
            "23rd March 2018"
        );
        assert_eq!(to_millis("23rd March 2018", Some("[D1o] [MNn] [Y]")).unwrap(), Some(1_521_763_200_000.0));
    }
}
