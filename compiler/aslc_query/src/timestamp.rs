//! Timestamps as Step Functions reads them: Wait `Timestamp`/`TimestampPath` and the Choice
//! `Timestamp…` operators (states.md §5.1, choice.md §6).
//!
//! The accepted form is `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)`: RFC 3339 with an upper-case
//! `T` and `Z`, seconds required, at most nine fraction digits. AWS refuses `2016-13-05T…`
//! (month 13), `…T25:…` (hour 25), a space instead of `T`, a missing zone and
//! `05-12-2016T…` at definition time; the same reader decides `IsTimestamp` and the
//! run-time `TimestampPath` checks. A [`Timestamp`] is an instant: two timestamps with
//! different offsets that denote the same instant compare equal.

use std::cmp::Ordering;
use std::fmt;

use aslc_source::TextRange;

use crate::QueryError;

/// An instant with the UTC offset it was written in.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    seconds: i64,
    /// Invariant: `nanos < 1_000_000_000`.
    nanos: u32,
    /// The offset the text was written in, in minutes east of UTC.
    offset_minutes: i16,
}

/// Why a text is not a timestamp; the caller picks the rule (`ST-WAIT-TIMESTAMP`,
/// `C-TIMESTAMP-LITERAL`, …).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TimestampError {
    /// The offending part of the text.
    pub range: TextRange,
    /// What is wrong, lower-case.
    pub message: String,
}

impl TimestampError {
    /// The error as a [`QueryError`] of `rule`, with a help line showing the format.
    pub fn into_query_error(self, rule: &'static str) -> QueryError {
        QueryError::new(rule, self.range, self.message).with_help(
            "write an RFC 3339 timestamp such as `2016-03-14T01:59:00Z` or `2016-03-14T01:59:00.5+01:00`",
        )
    }
}

/// Parses an RFC 3339 timestamp in the form AWS accepts (see the module docs).
pub fn parse_timestamp(text: &str) -> Result<Timestamp, TimestampError> {
    let bytes = text.as_bytes();
    let err = |start: usize, end: usize, message: String| {
        // Widen to character boundaries: the fixed positions may fall inside a multi-byte
        // character of a malformed text.
        let mut start = start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        TimestampError { range: TextRange::from_usize(start, end), message }
    };
    // Reads `len` ASCII digits at `at` as a number.
    let digits = |at: usize, len: usize, what: &str| -> Result<u32, TimestampError> {
        let slice = bytes.get(at..at + len).filter(|s| s.iter().all(u8::is_ascii_digit));
        match slice {
            Some(s) => Ok(s.iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))),
            None => Err(err(at, at + len, format!("expected {len} digits for the {what}"))),
        }
    };
    let expect = |at: usize, byte: u8, what: &str| -> Result<(), TimestampError> {
        if bytes.get(at) == Some(&byte) {
            Ok(())
        } else {
            let found = text.get(at..).and_then(|rest| rest.chars().next());
            let found = match found {
                Some(' ') => "a space".to_owned(),
                Some(c) => format!("`{c}`"),
                None => "the end".to_owned(),
            };
            Err(err(at, at + 1, format!("expected {what}, found {found}")))
        }
    };
    let year = digits(0, 4, "year")?;
    expect(4, b'-', "`-` after the year")?;
    let month = digits(5, 2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(err(5, 7, format!("the month `{month:02}` is not between 01 and 12")));
    }
    expect(7, b'-', "`-` after the month")?;
    let day = digits(8, 2, "day")?;
    let last_day = days_in_month(year, month);
    if day == 0 || day > last_day {
        return Err(err(8, 10, format!("the day `{day:02}` is not between 01 and {last_day}")));
    }
    expect(10, b'T', "an upper-case `T` between the date and the time")?;
    let hour = digits(11, 2, "hour")?;
    if hour > 23 {
        return Err(err(11, 13, format!("the hour `{hour:02}` is not between 00 and 23")));
    }
    expect(13, b':', "`:` after the hour")?;
    let minute = digits(14, 2, "minute")?;
    if minute > 59 {
        return Err(err(14, 16, format!("the minute `{minute:02}` is not between 00 and 59")));
    }
    expect(16, b':', "`:` and seconds after the minute")?;
    let second = digits(17, 2, "second")?;
    if second > 59 {
        return Err(err(17, 19, format!("the second `{second:02}` is not between 00 and 59")));
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if bytes.get(at) == Some(&b'.') {
        let start = at + 1;
        let count = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 || count > 9 {
            return Err(err(at, start + count, "a fraction of a second has 1 to 9 digits".to_owned()));
        }
        let value = digits(start, count, "fraction")?;
        nanos = value * 10u32.pow(9 - count as u32);
        at = start + count;
    }
    let offset_minutes: i32 = match bytes.get(at) {
        Some(b'Z') => {
            at += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(at + 1, 2, "offset hours")?;
            expect(at + 3, b':', "`:` in the offset")?;
            let minutes = digits(at + 4, 2, "offset minutes")?;
            if hours > 23 || minutes > 59 {
                return Err(err(at, at + 6, "the offset is not between -23:59 and +23:59".to_owned()));
            }
            let total = (hours * 60 + minutes) as i32;
            at += 6;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => {
            let message = match bytes.get(at) {
                None => "the timestamp has no time zone".to_owned(),
                Some(b'z') => "the time zone `Z` must be upper case".to_owned(),
                Some(_) => "expected `Z` or an offset such as `+01:00`".to_owned(),
            };
            return Err(err(at, at + 1, message));
        }
    };
    if at != text.len() {
        return Err(err(at, text.len(), "unexpected text after the timestamp".to_owned()));
    }
    let days = days_from_civil(i64::from(year), month, day);
    let local = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    let seconds = local - i64::from(offset_minutes) * 60;
    // The offset was checked to be within ±23:59, so it fits in an `i16`.
    Ok(Timestamp { seconds, nanos, offset_minutes: offset_minutes as i16 })
}

impl Timestamp {
    /// The instant `seconds` + `nanos` after the Unix epoch, written in UTC. `None` when
    /// `nanos` is a second or more.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Timestamp> {
        (nanos < 1_000_000_000).then_some(Timestamp { seconds, nanos, offset_minutes: 0 })
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`Timestamp::unix_seconds`].
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the Unix epoch, rounded down.
    pub fn unix_millis(self) -> i64 {
        self.seconds.saturating_mul(1000).saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// The offset the timestamp was written in, in minutes east of UTC.
    pub fn offset_minutes(self) -> i16 {
        self.offset_minutes
    }

    /// The instant in UTC with exactly three fraction digits, the form of the context
    /// object's times (`2019-03-26T20:14:13.192Z`).
    pub fn to_utc_millis_string(self) -> String {
        let (date, time) = split_civil(self.seconds);
        format!("{date}T{time}.{:03}Z", self.nanos / 1_000_000)
    }
}

/// Writes the timestamp in the offset it was read in, with the fraction trimmed of trailing
/// zeros (none when whole).
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let offset = i64::from(self.offset_minutes);
        let (date, time) = split_civil(self.seconds + offset * 60);
        write!(f, "{date}T{time}")?;
        if self.nanos != 0 {
            let fraction = format!("{:09}", self.nanos);
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        if offset == 0 {
            f.write_str("Z")
        } else {
            let sign = if offset < 0 { '-' } else { '+' };
            write!(f, "{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)
        }
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Timestamp) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Timestamp) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Orders instants; the offset a timestamp was written in does not take part.
impl Ord for Timestamp {
    fn cmp(&self, other: &Timestamp) -> Ordering {
        (self.seconds, self.nanos).cmp(&(other.seconds, other.nanos))
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.seconds, self.nanos).hash(state);
    }
}

fn is_leap(year: u32) -> bool {
    // `rem_euclid` rather than `is_multiple_of`, which is newer than the workspace MSRV.
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `YYYY-MM-DD` and time `hh:mm:ss` of `seconds` since the epoch.
fn split_civil(seconds: i64) -> (String, String) {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        // (text, unix seconds, nanos, offset minutes)
        let cases: &[(&str, i64, u32, i16)] = &[
            ("1970-01-01T00:00:00Z", 0, 0, 0),
            ("2016-03-14T01:59:00Z", 1_457_920_740, 0, 0),
            ("2016-03-05T21:29:29.243167252Z", 1_457_213_369, 243_167_252, 0),
            ("2016-03-14T01:59:00.00Z", 1_457_920_740, 0, 0),
            ("2016-03-14T01:59:00.000000Z", 1_457_920_740, 0, 0),
            ("2016-03-14T01:59:00.5Z", 1_457_920_740, 500_000_000, 0),
            ("2016-03-14T02:59:00+01:00", 1_457_920_740, 0, 60),
            ("2016-03-13T20:29:00-05:30", 1_457_920_740, 0, -330),
            ("2024-02-29T12:00:00Z", 1_709_208_000, 0, 0),
            ("2000-02-29T00:00:00Z", 951_782_400, 0, 0),
            ("1969-12-31T23:59:59Z", -1, 0, 0),
            ("0001-01-01T00:00:00Z", -62_135_596_800, 0, 0),
            ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999, 0),
        ];
        for &(text, seconds, nanos, offset) in cases {
            let ts = parse_timestamp(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(
                (ts.unix_seconds(), ts.subsec_nanos(), ts.offset_minutes()),
                (seconds, nanos, offset),
                "{text}"
            );
        }
    }

    #[test]
    fn invalid() {
        // The first six are the AWS-recorded refusals (conformance `wait_timestamp_invalid`).
        let cases: &[(&str, (u32, u32))] = &[
            ("2016-13-05T21:29:29Z", (5, 7)),
            ("2016-12-05T25:29:29Z", (11, 13)),
            ("2016-12-05 21:29:29Z", (10, 11)),
            ("2016-12-05T21:29:29", (19, 19)),
            ("2016-12-05T21:29:29.000000", (26, 26)),
            ("05-12-2016T21:29:29Z", (0, 4)),
            ("{% $now() %}", (0, 4)),
            ("", (0, 0)),
            ("2016-12-05t21:29:29Z", (10, 11)),
            ("2016-12-05T21:29:29z", (19, 20)),
            ("2016-12-05T21:29Z", (16, 17)),
            ("2016-12-05T21:29:60Z", (17, 19)),
            ("2016-12-05T21:60:00Z", (14, 16)),
            ("2016-02-30T00:00:00Z", (8, 10)),
            ("2015-02-29T00:00:00Z", (8, 10)),
            ("2016-04-31T00:00:00Z", (8, 10)),
            ("2016-00-10T00:00:00Z", (5, 7)),
            ("2016-12-00T00:00:00Z", (8, 10)),
            ("2016-12-05T21:29:29.Z", (19, 20)),
            ("2016-12-05T21:29:29.1234567890Z", (19, 30)),
            ("2016-12-05T21:29:29+0100", (22, 23)),
            ("2016-12-05T21:29:29+24:00", (19, 25)),
            ("2016-12-05T21:29:29+01:00 ", (25, 26)),
            (" 2016-12-05T21:29:29Z", (0, 4)),
            ("2016-1-05T21:29:29Z", (5, 7)),
            ("２016-12-05T21:29:29Z", (0, 4)),
            ("2016-12-0５T21:29:29Z", (8, 12)),
        ];
        for &(text, (start, end)) in cases {
            let err = parse_timestamp(text).expect_err(text);
            assert_eq!((err.range.start(), err.range.end()), (start, end), "{text}: {}", err.message);
            assert!(err.message.chars().next().is_some_and(|c| !c.is_uppercase()), "{text}");
        }
        let err = parse_timestamp("2016-13-05T21:29:29Z").unwrap_err().into_query_error("ST-WAIT-TIMESTAMP");
        assert_eq!(err.rule, "ST-WAIT-TIMESTAMP");
        assert!(err.help.is_some());
    }

    #[test]
    fn ordering_is_by_instant() {
        let a = parse_timestamp("2016-03-14T02:59:00+01:00").unwrap();
        let b = parse_timestamp("2016-03-14T01:59:00Z").unwrap();
        let c = parse_timestamp("2016-03-14T01:59:00.000000001Z").unwrap();
        assert_eq!(a, b);
        assert!(b < c);
        assert!(c > a);
    }

    #[test]
    fn round_trips() {
        let cases = [
            "2016-03-14T01:59:00Z",
            "2016-03-05T21:29:29.243167252Z",
            "2016-03-14T02:59:00.5+01:00",
            "1969-12-31T23:59:59-05:30",
            "2024-02-29T12:00:00Z",
        ];
        for text in cases {
            assert_eq!(parse_timestamp(text).unwrap().to_string(), text);
        }
        let ts = parse_timestamp("2019-03-26T21:14:13.192987+01:00").unwrap();
        assert_eq!(ts.to_utc_millis_string(), "2019-03-26T20:14:13.192Z");
        assert_eq!(ts.unix_millis(), 1_553_631_253_192);
        assert_eq!(Timestamp::from_unix(0, 0).unwrap().to_string(), "1970-01-01T00:00:00Z");
        assert!(Timestamp::from_unix(0, 1_000_000_000).is_none());
    }
}
