//! Phone numbers: what a person may write, and the `tel:` link made from it.

use super::Problem;

/// A phone number as the person wrote it, and the `tel:` target made from its digits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Phone {
    pub display: String,
    pub tel: String,
}

/// "916 555 0100 ext 12" ─► ("916 555 0100 ", Some("ext 12")): "ext" or "x" may
/// introduce an extension (lower-case input).
fn split_extension(lower: &str) -> (&str, Option<&str>) {
    match lower.find("ext").or_else(|| lower.find('x')) {
        Some(at) => (&lower[..at], Some(&lower[at..])),
        None => (lower, None),
    }
}

pub(super) fn check_phone(phone: &str) -> Result<String, Problem> {
    let invalid = || Problem::Phone(phone.to_owned());
    let lower = phone.to_ascii_lowercase();
    // Apart from an extension, everything is digits and separators.
    let (main, extension) = split_extension(&lower);
    let separators_only = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
    };
    let main_ok = main.trim_start().strip_prefix('+').unwrap_or(main);
    let digits = main.chars().filter(char::is_ascii_digit).count();
    let extension_ok = extension.is_none_or(|ext| {
        let rest = ext
            .trim_start_matches("ext")
            .trim_start_matches(['x', '.', ':', ' ']);
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
    });
    if separators_only(main_ok) && (7..=15).contains(&digits) && extension_ok {
        Ok(phone.to_owned())
    } else {
        Err(invalid())
    }
}

/// The `tel:` target for a checked phone number: digits only, with a `+` country code;
/// ten-digit numbers are North American (+1), as every number in this department is.
pub(super) fn tel_target(phone: &str) -> String {
    let lower = phone.to_ascii_lowercase();
    let (main, extension) = split_extension(&lower);
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
        let ext: String = ext.chars().filter(char::is_ascii_digit).collect();
        tel.push_str(";ext=");
        tel.push_str(&ext);
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
        ];
        for (display, tel) in cases {
            assert_eq!(check_phone(display).as_deref(), Ok(display));
            assert_eq!(tel_target(display), tel, "{display}");
        }
        for bad in [
            "call me",
            "12",
            "916-555-0100 ext",
            "<b>916</b>",
            "+1 (916) 555 0100 0100 0100",
        ] {
            assert!(check_phone(bad).is_err(), "{bad} should be refused");
        }
    }
}
