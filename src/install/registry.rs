//! Setting the defaults in the registry: the only part of `install` that is Windows
//! code. What to set is decided elsewhere ([`super::RegValue`], tested on Linux).

use super::{InstallError, RegValue};

/// Whether this build can set registry values (else only `--print-reg`).
pub(crate) const AVAILABLE: bool = cfg!(windows);

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
