//! The registry, read and set: the only Windows code of `install` (winreg). What is read
//! is raw ([`Snapshot`]); what it means ([`super::outlook`]) and what to set
//! ([`super::RegValue`]) are decided elsewhere, and tested on Linux.

#[cfg(windows)]
use super::outlook::Snapshot;
use super::{InstallError, RegValue};

/// Whether this build can set registry values (else only `--print-reg`).
pub(crate) const AVAILABLE: bool = cfg!(windows);

/// What the registry holds for `install`, read by `main` (the edge) into the run's
/// environment: the values of the keys in [`super::outlook::KEYS`] and of each
/// profile's mail-account keys. Raw: the library makes sense of them.
#[cfg(windows)]
pub fn snapshot() -> Snapshot {
    use super::outlook::{ACCOUNTS, KEYS, PROFILES};
    use winreg::enums::HKEY_CURRENT_USER;
    use winreg::RegKey;

    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    let under_hkcu = |key: &str| key.strip_prefix(r"HKCU\").unwrap_or(key).to_owned();
    let mut snapshot = Snapshot::new();
    let mut read = |path: String| {
        if let Ok(key) = hkcu.open_subkey(&path) {
            let values = key
                .enum_values()
                .flatten()
                .map(|(name, value)| (name, (value.vtype as u32, value.bytes.into_owned())))
                .collect();
            snapshot.insert(format!(r"HKCU\{path}"), values);
        }
    };
    for key in KEYS {
        read(under_hkcu(key));
    }
    let profiles = under_hkcu(PROFILES);
    let subkeys = |path: &str| -> Vec<String> {
        hkcu.open_subkey(path)
            .map(|k| k.enum_keys().flatten().collect())
            .unwrap_or_default()
    };
    for profile in subkeys(&profiles) {
        let accounts = format!(r"{profiles}\{profile}\{ACCOUNTS}");
        for account in subkeys(&accounts) {
            read(format!(r"{accounts}\{account}"));
        }
    }
    snapshot
}

/// Sets each value (REG_SZ) in its existing key under `HKCU`: an account key that is
/// gone is an error, never made anew.
#[cfg(windows)]
pub(crate) fn apply(values: &[RegValue]) -> Result<(), InstallError> {
    use winreg::enums::{HKEY_CURRENT_USER, KEY_SET_VALUE};
    use winreg::RegKey;

    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    for value in values {
        let error = |cause| InstallError::Registry {
            key: value.key.clone(),
            name: value.name.clone(),
            cause,
        };
        let path = value.key.strip_prefix(r"HKCU\").unwrap_or(&value.key);
        let key = hkcu
            .open_subkey_with_flags(path, KEY_SET_VALUE)
            .map_err(error)?;
        key.set_value(&value.name, &value.data).map_err(error)?;
    }
    Ok(())
}

/// Elsewhere there is no registry to set: `--print-reg` writes the values to a file.
#[cfg(not(windows))]
pub(crate) fn apply(values: &[RegValue]) -> Result<(), InstallError> {
    match values.first() {
        None => Ok(()),
        Some(_) => Err(InstallError::NoRegistry),
    }
}
