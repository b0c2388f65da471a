//! What the registry says about classic Outlook, from the values `main` read (Windows):
//! where it reads signatures, the default profile's mail accounts and their default
//! signatures, and whether roaming signatures may replace local files. Plain data in,
//! plain data out: tested on Linux with made-up registries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The registry values `main` read for `install`: key (`HKCU\…`) ─► value name ─►
/// (`REG_*` type number, raw bytes). See [`KEYS`] for what it reads.
pub type Snapshot = BTreeMap<String, BTreeMap<String, (u32, Vec<u8>)>>;

/// Where each profile keeps its mail accounts (Microsoft KB 2691977).
pub(crate) const ACCOUNTS: &str = "9375CFF0413111d3B88A00104B2A6676";
/// Outlook's profiles, each a key under this one.
pub(crate) const PROFILES: &str = r"HKCU\Software\Microsoft\Office\16.0\Outlook\Profiles";
/// Office 2016 and later (Outlook 2016, 2019, 2021, 2024, Microsoft 365) share the
/// version key 16.0. Roaming signatures' switch, and the policy key IT may set it in instead.
pub(crate) const SETUP: &str = r"HKCU\Software\Microsoft\Office\16.0\Outlook\Setup";
pub(crate) const POLICY_SETUP: &str = r"HKCU\Software\Policies\Microsoft\Office\16.0\Outlook\Setup";

const REG_SZ: u32 = 1;
const REG_EXPAND_SZ: u32 = 2;
const REG_BINARY: u32 = 3;
const REG_DWORD: u32 = 4;

/// A mail account of the profile, by its registry key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    /// `HKCU\…\Profiles\<profile>\9375CFF0413111d3B88A00104B2A6676\<0000000N>`
    pub(crate) key: String,
    /// Its `Account Name`: the email address.
    pub(crate) email: String,
    pub(crate) new_signature: Option<String>,
    pub(crate) reply_signature: Option<String>,
}

/// Classic Outlook as the registry describes it.
#[derive(Debug)]
pub(crate) struct Outlook {
    /// The folder Outlook reads signatures from.
    pub(crate) folder: PathBuf,
    /// The registry's `Signatures` value when it names the folder (else `%APPDATA%`'s).
    pub(crate) folder_value: Option<String>,
    /// `Outlook` under Office 16.0 exists: classic Outlook has run for this user.
    pub(crate) present: bool,
    pub(crate) profile: Option<String>,
    /// The profile's mail accounts, in key order.
    pub(crate) accounts: Vec<Account>,
    /// `DisableRoamingSignatures` (or its temporary toggle) is 1, here or by policy.
    pub(crate) roaming_disabled: bool,
}

/// The registry keys `install` reads (`main` reads each one's values; for the last, every
/// profile's account keys under it).
pub(crate) const KEYS: [&str; 4] = [
    r"HKCU\Software\Microsoft\Office\16.0\Common\General",
    r"HKCU\Software\Microsoft\Office\16.0\Outlook",
    SETUP,
    POLICY_SETUP,
];

impl Outlook {
    /// Reads what `install` needs from `snapshot`; `appdata` is `%APPDATA%`.
    pub(crate) fn read(snapshot: &Snapshot, appdata: &Path) -> Outlook {
        let value = |key: &str, name: &str| {
            snapshot
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .and_then(|(_, values)| {
                    values
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v)
                })
        };
        let folder_value = value(KEYS[0], "Signatures")
            .and_then(text)
            .filter(|v| !v.trim().is_empty());
        let folder = signatures_folder(folder_value.as_deref(), appdata);
        let outlook_key = KEYS[1];
        let present = snapshot.keys().any(|k| {
            k.eq_ignore_ascii_case(outlook_key)
                || k.to_ascii_lowercase()
                    .starts_with(&format!("{}\\", outlook_key.to_ascii_lowercase()))
        });
        let profiles_prefix = format!(r"{PROFILES}\").to_ascii_lowercase();
        let mut profiles: Vec<String> = snapshot
            .keys()
            .filter_map(|k| {
                let rest = k.get(profiles_prefix.len()..)?;
                k.to_ascii_lowercase()
                    .starts_with(&profiles_prefix)
                    .then(|| rest.split('\\').next().unwrap_or("").to_owned())
            })
            .filter(|p| !p.is_empty())
            .collect();
        profiles.dedup();
        let profile = value(outlook_key, "DefaultProfile")
            .and_then(text)
            .filter(|p| !p.is_empty())
            .or_else(|| (profiles.len() == 1).then(|| profiles[0].clone()));
        let accounts = profile
            .as_deref()
            .map(|p| accounts(snapshot, &format!(r"{PROFILES}\{p}\{ACCOUNTS}\")))
            .unwrap_or_default();
        let on = |key: &str, name: &str| value(key, name).and_then(dword) == Some(1);
        let roaming_disabled = [SETUP, POLICY_SETUP].iter().any(|key| {
            on(key, "DisableRoamingSignatures")
                || on(key, "DisableRoamingSignaturesTemporaryToggle")
        });
        Outlook {
            folder,
            folder_value,
            present,
            profile,
            accounts,
            roaming_disabled,
        }
    }

    /// The accounts `--set-default` sets: every mail account of the profile, or those
    /// named with `--account` (by address, in any case).
    pub(crate) fn select(&self, wanted: &[String]) -> Result<Vec<Account>, super::InstallError> {
        if self.accounts.is_empty() {
            return Err(super::InstallError::NoAccounts {
                profile: self.profile.clone(),
            });
        }
        if wanted.is_empty() {
            return Ok(self.accounts.clone());
        }
        let mut chosen = Vec::new();
        for email in wanted {
            match self
                .accounts
                .iter()
                .find(|a| a.email.eq_ignore_ascii_case(email.trim()))
            {
                Some(account) if !chosen.contains(account) => chosen.push(account.clone()),
                Some(_) => {}
                None => {
                    return Err(super::InstallError::UnknownAccount {
                        email: email.clone(),
                        known: self.accounts.iter().map(|a| a.email.clone()).collect(),
                    })
                }
            }
        }
        Ok(chosen)
    }
}

/// The mail accounts under `prefix` (a profile's accounts key, with a trailing `\`): each
/// subkey whose `Account Name` is an address.
fn accounts(snapshot: &Snapshot, prefix: &str) -> Vec<Account> {
    let lower = prefix.to_ascii_lowercase();
    snapshot
        .iter()
        .filter(|(key, _)| {
            key.to_ascii_lowercase().starts_with(&lower) && !key[prefix.len()..].contains('\\')
        })
        .filter_map(|(key, values)| {
            let get = |name: &str| {
                values
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .and_then(|(_, v)| text(v))
            };
            let email = get("Account Name").filter(|e| e.contains('@'))?;
            Some(Account {
                key: key.clone(),
                email,
                new_signature: get("New Signature"),
                reply_signature: get("Reply-Forward Signature"),
            })
        })
        .collect()
}

/// The folder Outlook reads: the `Signatures` value (a folder name under
/// `%APPDATA%\Microsoft`, as Office's own language packs set it, or a full path), else
/// `%APPDATA%\Microsoft\Signatures`. `%APPDATA%` in the value is expanded.
pub(crate) fn signatures_folder(value: Option<&str>, appdata: &Path) -> PathBuf {
    let under = |base: &Path, rel: &str| {
        rel.split(['\\', '/'])
            .filter(|p| !p.is_empty())
            .fold(base.to_path_buf(), |p, part| p.join(part))
    };
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return appdata.join("Microsoft").join("Signatures");
    };
    match v.get(..9) {
        Some(head) if head.eq_ignore_ascii_case("%APPDATA%") => under(appdata, &v[9..]),
        _ if Path::new(v).is_absolute() || v.starts_with(r"\\") => PathBuf::from(v),
        _ => under(&appdata.join("Microsoft"), v),
    }
}

/// A string value: `REG_SZ`/`REG_EXPAND_SZ`, or `REG_BINARY` holding UTF-16 (Outlook
/// before 2016 kept account names and signature names so), up to its NUL.
fn text((kind, bytes): &(u32, Vec<u8>)) -> Option<String> {
    if !matches!(*kind, REG_SZ | REG_EXPAND_SZ | REG_BINARY) || bytes.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16(&units).ok()
}

fn dword((kind, bytes): &(u32, Vec<u8>)) -> Option<u32> {
    (*kind == REG_DWORD && bytes.len() == 4)
        .then(|| u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Test helpers: registry values as `main` would read them.
#[cfg(test)]
pub(crate) fn sz(text: &str) -> (u32, Vec<u8>) {
    let mut bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.extend([0, 0]);
    (REG_SZ, bytes)
}

#[cfg(test)]
pub(crate) fn dw(n: u32) -> (u32, Vec<u8>) {
    (REG_DWORD, n.to_le_bytes().to_vec())
}
