//! Phone numbers: what a person may write, and the `tel:` link made from it.

use super::Problem;

/// A phone number as the person wrote it, and the `tel:` target made from its digits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Phone {
    pub display: String,
    pub tel: String,
}

/// What a phone number may be written as: said by the refusal and by `--help`.
pub const FORMS: &str = "use digits, spaces and + - ( ) . /, with the area code; \
     an extension as ext 12, ext. 12, extension 12 or x12";

/// The words that may introduce an extension, longest first.
const EXTENSION_WORDS: [&str; 3] = ["extension", "ext", "x"];

/// "916 555 0100 ext 12" ─► ("916 555 0100 ", Some("12")): `ext`, `ext.`, `extension`
/// or `x` (any case; a `.` or `:` after it, spaces around it) introduces an extension,
/// which is digits. `Some("")` when the word is there but no digits follow.
fn split_extension(phone: &str) -> (&str, Option<&str>) {
    let lower = phone.to_ascii_lowercase();
    let Some(at) = lower.find(|c: char| c.is_ascii_alphabetic()) else {
        return (phone, None);
    };
    let rest = &lower[at..];
    match EXTENSION_WORDS.iter().find(|w| rest.starts_with(*w)) {
        Some(word) => {
            let digits = phone[at + word.len()..]
                .trim_start_matches(['.', ':'])
                .trim();
            (&phone[..at], Some(digits))
        }
        None => (phone, None),
    }
}

pub(super) fn check_phone(phone: &str) -> Result<String, Problem> {
    let invalid = || Problem::Phone(phone.to_owned());
    // Apart from an extension, everything is digits and separators.
    let (main, extension) = split_extension(phone);
    let separators_only = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
    };
    let main_ok = main.trim_start().strip_prefix('+').unwrap_or(main);
    let digits = main.chars().filter(char::is_ascii_digit).count();
    let extension_ok =
        extension.is_none_or(|ext| !ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit()));
    if separators_only(main_ok) && (7..=15).contains(&digits) && extension_ok {
        Ok(phone.to_owned())
    } else {
        Err(invalid())
    }
}

impl Phone {
    /// Whether the number has neither a country code nor an area code: its `tel:` link
    /// dials it as a local number, which works only near the caller.
    pub fn lacks_area_code(&self) -> bool {
        !self.tel.starts_with('+')
    }
}

/// The `tel:` target for a checked phone number: digits only, with a `+` country code;
/// ten-digit numbers are North American (+1), as every number in this department is.
pub(super) fn tel_target(phone: &str) -> String {
    let (main, extension) = split_extension(phone);
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let mut tel = if main.trim_start().starts_with('+') {
        format!("+{digits}")
    } else if digits.len() == 10 {
        format!("+1{digits}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        format!("+{digits}")
    } else {
        digits
    };
    if let Some(ext) = extension {
        tel.push_str(";ext=");
        tel.push_str(ext);
    }
    tel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_their_tel_targets() {
        let cases = [
            ("(916) 555-0100", "+19165550100"),
            ("916.555.0100 ext. 12", "+19165550100;ext=12"),
            ("+44 20 7946 0958", "+442079460958"),
            ("1-800-555-0199", "+18005550199"),
            ("555-0100 x7", "5550100;ext=7"),
            ("(916) 555-0123 extension 4", "+19165550123;ext=4"),
            ("(916) 555-0123 Ext: 4567", "+19165550123;ext=4567"),
            ("916-555-0123x12", "+19165550123;ext=12"),
            ("555-0123 ext. 4", "5550123;ext=4"),
        ];
        for (display, tel) in cases {
            assert_eq!(check_phone(display).as_deref(), Ok(display));
            assert_eq!(tel_target(display), tel, "{display}");
        }
        for bad in [
            "call me",
            "12",
            "916-555-0100 ext",
            "916-555-0100 extn 4",
            "916-555-0100 ext 4a",
            "916-555-0100 call 4",
            "<b>916</b>",
            "+1 (916) 555 0100 0100 0100",
        ] {
            assert!(check_phone(bad).is_err(), "{bad} should be refused");
        }
    }
}
