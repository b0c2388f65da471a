//! The campaign: its name, its yearly window in its time zone, its banner and texts.
//! Data (`assets/campaign.toml`, or `--campaign FILE`), so another month needs no code.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::error::ConfigError;

const EMBEDDED: &str = include_str!("../assets/campaign.toml");
const EMBEDDED_BANNER: &str = include_str!("../assets/banner.svg");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CampaignFile {
    name: String,
    time_zone: String,
    starts: String,
    ends: String,
    banner: PathBuf,
    alt: String,
    text: String,
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub name: String,
    /// The IANA time zone the window's days are counted in (`America/Los_Angeles`).
    pub time_zone: String,
    /// First and last day of the window, as (month, day); the window recurs every year.
    pub starts: (u32, u32),
    pub ends: (u32, u32),
    /// The banner's SVG source and where it came from (for messages and resources).
    pub banner_svg: String,
    pub banner_origin: String,
    /// The folder the banner's SVG is in (a campaign read from files): its pictures are
    /// drawn from there, and only from there.
    pub banner_dir: Option<PathBuf>,
    /// The banner's file, for a campaign read from files (an input, never an output).
    pub banner_file: Option<PathBuf>,
    pub alt: String,
    pub text: String,
}

/// When the banner goes in: `always` (default), only inside the campaign window, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BannerMode {
    Always,
    Auto,
    Never,
}

impl Campaign {
    pub fn embedded() -> Campaign {
        Campaign::parse(
            EMBEDDED,
            "built-in campaign.toml",
            |_| Ok(EMBEDDED_BANNER.to_owned()),
            None,
        )
        .expect("the built-in campaign.toml is valid")
    }

    /// A campaign file's text (`origin` names it in messages); `read_banner` reads its
    /// banner SVG by the path the file gives, and `banner_dir` is the file's folder (its
    /// pictures are drawn from there); `None` for the built-in campaign.
    pub fn parse(
        text: &str,
        origin: &str,
        read_banner: impl FnOnce(&Path) -> Result<String, ConfigError>,
        banner_dir: Option<PathBuf>,
    ) -> Result<Campaign, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let file: CampaignFile = toml::from_str(text).map_err(|cause| ConfigError::Toml {
            origin: origin.to_owned(),
            cause,
        })?;
        #[cfg(feature = "cli")]
        file.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
            invalid(format!(
                "time_zone {:?} is not an IANA time zone",
                file.time_zone
            ))
        })?;
        let month_day = |field: &str, value: &str| {
            parse_month_day(value).ok_or_else(|| {
                invalid(format!(
                    "{field} {value:?} is not a day of the year (MM-DD)"
                ))
            })
        };
        let starts = month_day("starts", &file.starts)?;
        let ends = month_day("ends", &file.ends)?;
        for (field, value) in [
            ("alt", &file.alt),
            ("text", &file.text),
            ("name", &file.name),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(format!("{field} is empty")));
            }
            crate::text::office_text(value, 600)
                .map_err(|why| invalid(format!("{field}: {why}")))?;
        }
        let banner_svg = read_banner(&file.banner)?;
        // The SVG's own folder: the only place its pictures are drawn from.
        let banner_file = banner_dir.as_ref().map(|dir| dir.join(&file.banner));
        let banner_dir = banner_file
            .as_ref()
            .map(|file| file.parent().unwrap_or(Path::new("")).to_owned());
        Ok(Campaign {
            name: file.name,
            time_zone: file.time_zone,
            starts,
            ends,
            banner_origin: crate::text::plain(&file.banner.to_string_lossy()).into_owned(),
            banner_svg,
            banner_file,
            banner_dir,
            alt: file.alt,
            text: file.text,
        })
    }

    /// Today's date in the campaign's time zone (checked when the campaign was read).
    #[cfg(feature = "cli")]
    pub(crate) fn today(&self, now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
        let zone: chrono_tz::Tz = self.time_zone.parse().unwrap_or(chrono_tz::UTC);
        now.with_timezone(&zone).date_naive()
    }

    /// Whether `date` (a calendar day in the campaign's time zone) is inside the window.
    /// A window whose end comes before its start (December into January) wraps the year.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        let day = (date.month(), date.day());
        if self.starts <= self.ends {
            self.starts <= day && day <= self.ends
        } else {
            day >= self.starts || day <= self.ends
        }
    }

    /// Whether the banner goes in on `date` under `mode`.
    pub fn shows_banner(&self, mode: BannerMode, date: NaiveDate) -> bool {
        match mode {
            BannerMode::Always => true,
            BannerMode::Never => false,
            BannerMode::Auto => self.is_active_on(date),
        }
    }

    /// "January 1 to January 31": the window in words, for the out-of-window note.
    pub fn window_text(&self) -> String {
        let words = |(month, day): (u32, u32)| {
            let date = NaiveDate::from_ymd_opt(2000, month, day).expect("valid month-day");
            format!("{} {}", date.format("%B"), day)
        };
        format!("{} to {}", words(self.starts), words(self.ends))
    }
}

fn parse_month_day(value: &str) -> Option<(u32, u32)> {
    let (month, day) = value.trim().split_once('-')?;
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    // 2000 is a leap year, so 02-29 is a day of the year.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    Some((month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn january_window_edges() {
        let campaign = Campaign::embedded();
        assert!(!campaign.is_active_on(date("2026-12-31")));
        assert!(campaign.is_active_on(date("2027-01-01")));
        assert!(campaign.is_active_on(date("2027-01-31")));
        assert!(!campaign.is_active_on(date("2027-02-01")));
        assert_eq!(campaign.window_text(), "January 1 to January 31");
    }

    #[test]
    #[cfg(feature = "cli")]
    fn today_is_taken_in_pacific_time() {
        use chrono::{DateTime, Utc};
        let campaign = Campaign::embedded();
        // 07:59 UTC on Jan 1 is still Dec 31 in California (UTC-8): outside the window.
        let new_year_utc: DateTime<Utc> = "2027-01-01T07:59:00Z".parse().unwrap();
        assert_eq!(campaign.today(new_year_utc), date("2026-12-31"));
        assert!(!campaign.is_active_on(campaign.today(new_year_utc)));
        let new_year_pacific: DateTime<Utc> = "2027-01-01T08:00:00Z".parse().unwrap();
        assert!(campaign.is_active_on(campaign.today(new_year_pacific)));
        // And the last minute of January 31 in California is already February in UTC.
        let late: DateTime<Utc> = "2027-02-01T07:59:00Z".parse().unwrap();
        assert!(campaign.is_active_on(campaign.today(late)));
    }

    #[test]
    fn banner_modes() {
        let campaign = Campaign::embedded();
        let (jan, feb) = (date("2027-01-10"), date("2027-02-10"));
        assert!(campaign.shows_banner(BannerMode::Always, feb));
        assert!(!campaign.shows_banner(BannerMode::Never, jan));
        assert!(campaign.shows_banner(BannerMode::Auto, jan));
        assert!(!campaign.shows_banner(BannerMode::Auto, feb));
    }

    #[test]
    fn a_window_across_new_year_wraps() {
        let mut campaign = Campaign::embedded();
        campaign.starts = (12, 15);
        campaign.ends = (1, 15);
        assert!(campaign.is_active_on(date("2026-12-20")));
        assert!(campaign.is_active_on(date("2027-01-02")));
        assert!(!campaign.is_active_on(date("2027-01-16")));
    }

    #[test]
    #[cfg(feature = "cli")]
    fn bad_campaign_files_are_named() {
        let bad = "name=\"X\"\ntime_zone=\"Mars/Olympus\"\nstarts=\"01-01\"\nends=\"01-31\"\nbanner=\"b.svg\"\nalt=\"a\"\ntext=\"t\"\n";
        let err = Campaign::parse(bad, "x.toml", |_| Ok(String::new()), None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "x.toml: time_zone \"Mars/Olympus\" is not an IANA time zone"
        );
        let bad = bad.replace("Mars/Olympus", "UTC").replace("01-31", "02-30");
        let err = Campaign::parse(&bad, "x.toml", |_| Ok(String::new()), None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "x.toml: ends \"02-30\" is not a day of the year (MM-DD)"
        );
    }
}
