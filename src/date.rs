//! Partial calendar dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) as documents carry them and
//! as `--since` / `--until` take them.

use std::fmt;
use std::str::FromStr;

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The first day the date covers, as the number `YYYYMMDD`.
    pub fn start_key(&self) -> u64 {
        key(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date covers, as the number `YYYYMMDD`.
    pub fn end_key(&self) -> u64 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        key(self.year, month, day)
    }

    /// Parses the loose forms found in plain notes: ISO forms, `2025/05/04`, `May 2025`,
    /// `4 May 2025`, `May 4, 2025`.
    pub fn parse_loose(text: &str) -> Option<PartialDate> {
        let text = text.trim().trim_end_matches('.');
        if let Ok(date) = text.replace('/', "-").parse() {
            return Some(date);
        }
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        let (month, day, year) = match words.as_slice() {
            [m, y] => (month_number(m)?, None, *y),
            [d, m, y] if d.chars().all(|c| c.is_ascii_digit()) => (month_number(m)?, Some(*d), *y),
            [m, d, y] => (month_number(m)?, Some(*d), *y),
            _ => return None,
        };
        let iso = match day {
            Some(d) => format!("{}-{:02}-{:02}", year, month, d.parse::<u8>().ok()?),
            None => format!("{}-{:02}", year, month),
        };
        iso.parse().ok()
    }
}

fn key(year: u16, month: u8, day: u8) -> u64 {
    year as u64 * 10_000 + month as u64 * 100 + day as u64
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_number(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| lower.starts_with(m)).map(|i| i as u8 + 1)
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for DateError {}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DateError(s.to_string());
        let parts: Vec<&str> = s.trim().split('-').collect();
        let number = |part: &str, len: usize| -> Result<u16, DateError> {
            if part.len() == len && part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = number(parts[0], 4)?;
        let month = match parts.get(1) {
            Some(p) => Some(number(p, 2)? as u8),
            None => None,
        };
        let day = match parts.get(2) {
            Some(p) => Some(number(p, 2)? as u8),
            None => None,
        };
        if parts.len() > 3 || year == 0 {
            return Err(bad());
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            if let Some(d) = day {
                if d == 0 || d > days_in_month(year, m) {
                    return Err(bad());
                }
            }
        }
        Ok(PartialDate { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{:02}", m)?;
            if let Some(d) = self.day {
                write!(f, "-{:02}", d)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_three_precisions() {
        for text in ["2025", "2025-05", "2025-11-04"] {
            let date: PartialDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for text in ["25", "2025-13", "2025-02-30", "2025-1-4", "2025-05-04-01", "May", "", "0000"] {
            assert!(text.parse::<PartialDate>().is_err(), "{text} should be refused");
        }
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
        assert!("2025-02-29".parse::<PartialDate>().is_err());
    }

    #[test]
    fn keys_cover_the_whole_period() {
        let year: PartialDate = "2025".parse().unwrap();
        assert_eq!((year.start_key(), year.end_key()), (20250101, 20251231));
        let month: PartialDate = "2024-02".parse().unwrap();
        assert_eq!((month.start_key(), month.end_key()), (20240201, 20240229));
        let day: PartialDate = "2025-11-04".parse().unwrap();
        assert_eq!((day.start_key(), day.end_key()), (20251104, 20251104));
    }

    #[test]
    fn loose_forms_from_plain_notes() {
        let cases = [
            ("2025/05/04", "2025-05-04"),
            ("May 2025", "2025-05"),
            ("4 May 2025", "2025-05-04"),
            ("February 21, 2025", "2025-02-21"),
            ("2025-02.", "2025-02"),
        ];
        for (text, want) in cases {
            assert_eq!(PartialDate::parse_loose(text).map(|d| d.to_string()).as_deref(), Some(want), "{text}");
        }
        assert_eq!(PartialDate::parse_loose("sometime last year"), None);
    }
}
