//! `sigblock install`: one person's signature put where classic Outlook for Windows reads
//! it, as Set-OutlookSignatures does, without PowerShell or Word.
//!
//! - The folder: the registry's `Signatures` value, else `%APPDATA%\Microsoft\Signatures`
//!   ([`outlook`]); both come from `main` (the edge), as plain data.
//! - The files ([`plan`]): `N.htm` (UTF-8, its charset said, the banner in `N_files\`
//!   by a relative URL), `N.rtf` ([`rtf`]), `N.txt` (UTF-16 LE with a BOM and CRLF,
//!   as Outlook itself and Set-OutlookSignatures write it: no code page to guess), and
//!   the same three for the reply variant `N (reply)` (no banner). N comes from
//!   [`names`] and never names the campaign. Then the same set once more for each
//!   mailbox, named as Outlook with roaming signatures lists it under that mailbox:
//!   `N (address)`, `N (reply) (address)`, `N (address)_files\`.
//! - The defaults: `New Signature` and `Reply-Forward Signature` (REG_SZ, Office 16.0)
//!   per mail account ([`RegValue`]): the account's own per-mailbox names, set by
//!   [`registry`] (the only Windows code) or written as a `.reg` file ([`reg`]).
//!
//! The set of files ([`plan`], [`names`], [`rtf`]) is the core's: the signature page
//! offers the same files for download. Where they go and the registry are the command
//! line's.

pub mod names;
#[cfg(feature = "cli")]
pub(crate) mod outlook;
#[cfg(feature = "cli")]
pub(crate) mod reg;
#[cfg(feature = "cli")]
pub mod registry;
pub mod rtf;

use crate::output::names::{of, OUTLOOK_PAGE, OUTLOOK_PICTURE, OUTLOOK_RTF, TEXT};
use crate::output::templates::Templates;
use crate::output::{windows_text, ImageSource, Picture, Reply, Signature};
use crate::person::Person;
use names::Mailbox;
#[cfg(feature = "cli")]
use outlook::Account;
use rtf::{Block, Run, Style};

/// Why `install` stopped. Each names what it is about.
#[cfg(feature = "cli")]
#[derive(Debug, thiserror::Error)]
pub(crate) enum InstallError {
    #[error(
        "sigblock install puts a signature into classic Outlook for Windows (its Signatures \
         folder and its registry), and this is not Windows. Here, make the signature with \
         `sigblock --name … --title … --unit …` and paste it from the clipboard into your mail \
         client's signature settings, or use the <slug>.html file it writes (README: \"Which \
         output for which email client\"); to see what install would write on Windows, add \
         --dry-run (and --account EMAIL for each mailbox)"
    )]
    NotWindows,
    #[error(
        "--print-reg writes each mail account's registry key (…\\Profiles\\<profile>\\\
         9375CFF0413111d3B88A00104B2A6676\\<number>), which only the registry of the Windows \
         user whose Outlook it is can say, and this is not Windows; run the same install \
         --print-reg there (it sets nothing), or review the plan here with --dry-run"
    )]
    NoAccountKeys,
    #[error("--account {}: {}", crate::text::Shown(&.0.address), .0.why)]
    Address(names::AddressError),
    #[error(
        "%APPDATA% is not set, so Outlook's Signatures folder cannot be found (it is \
         %APPDATA%\\Microsoft\\Signatures); run install as the person, in their session"
    )]
    NoAppData,
    #[error(transparent)]
    Name(#[from] names::NameError),
    #[error(
        "no mail account in {}: open classic Outlook once with your account, or leave out \
         --set-default and choose the signature in File > Options > Mail > Signatures",
        match profile {
            Some(p) => format!("Outlook's profile {p:?}"),
            None => "Outlook's registry (no default profile under HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook)".to_owned(),
        }
    )]
    NoAccounts { profile: Option<String> },
    #[error(
        "--account {email:?} is not a mail account of Outlook's default profile (its accounts: {})",
        known.iter().map(|k| crate::text::plain(k)).collect::<Vec<_>>().join(", ")
    )]
    UnknownAccount { email: String, known: Vec<String> },
    #[error("cannot set {name:?} in {key}: {}", crate::files::plain(cause))]
    #[cfg_attr(not(windows), allow(dead_code))]
    Registry {
        key: String,
        name: String,
        cause: std::io::Error,
    },
    /// A file of the signature's name that sigblock did not make, without `--force`.
    #[error("{0} (install then keeps the old one beside it as .bak)")]
    NotOurs(crate::files::Refusal),
    #[error(
        "there is no Windows registry here to set; write the values with --print-reg FILE.reg"
    )]
    NoRegistry,
}

/// A registry value `--set-default` sets (REG_SZ).
#[cfg(feature = "cli")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegValue {
    /// `HKCU\…`
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) data: String,
}

/// Everything `install` writes into the Signatures folder: the files (relative to the
/// folder, with `/`, in the order written) of the signature and of its reply variant,
/// then of each mailbox's own pair.
#[derive(Debug)]
pub struct Plan {
    pub name: String,
    pub reply: String,
    /// One per mailbox, in the order given (the same address once, in any case).
    pub mailboxes: Vec<MailboxSet>,
    pub files: Vec<(String, Vec<u8>)>,
}

/// A mailbox's own signature and reply variant: the names Outlook lists under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxSet {
    pub mailbox: Mailbox,
    /// `N (address)`
    pub name: String,
    /// `N (reply) (address)`
    pub reply: String,
}

impl Plan {
    /// Every signature's name the plan writes (the plain pair, then each mailbox's), each
    /// with its reply variant's.
    pub fn names(&self) -> impl Iterator<Item = (&str, &str)> {
        std::iter::once((self.name.as_str(), self.reply.as_str())).chain(
            self.mailboxes
                .iter()
                .map(|set| (set.name.as_str(), set.reply.as_str())),
        )
    }

    /// The names for the mailbox `address`: its own pair when the plan has one, else the
    /// plain pair.
    pub fn names_for(&self, address: &str) -> (&str, &str) {
        self.mailboxes
            .iter()
            .find(|set| set.mailbox.same(address))
            .map_or((&self.name, &self.reply), |set| (&set.name, &set.reply))
    }
}

/// What the plan is made from.
pub struct Parts<'a> {
    pub templates: &'a Templates,
    pub person: &'a Person<'a>,
    pub organization: &'a str,
    /// The banner (a hosted one is carried all the same: Outlook embeds it in each mail).
    pub picture: Option<&'a Picture>,
    /// The mailboxes to write a set of their own for (none: the plain set only). The
    /// signature page has the person's address; `install` the profile's mailboxes.
    pub mailboxes: &'a [Mailbox],
}

/// The files of signature `name` and of its reply variant, and the same for each mailbox
/// of `parts` under its own names.
pub fn plan(name: &str, parts: &Parts<'_>) -> Plan {
    let Parts {
        templates,
        person,
        organization,
        picture,
        mailboxes,
    } = *parts;
    let picture = picture.map(|p| Picture::new(p.banner.clone(), None));
    let banner = picture.as_ref().map(|p| &p.banner);
    let reply = names::reply_name(name);
    let signature = Signature::new(templates, person, organization, banner);
    let short = Reply::new(templates, person);

    let mut blocks = lines(person, Some(organization));
    if let Some(banner) = banner {
        blocks.push(Block::Picture {
            png: &banner.png,
            pixels: (
                banner.width * crate::banner::SCALE,
                banner.height * crate::banner::SCALE,
            ),
            display: (banner.width, banner.height),
        });
    }
    let contact = &person.unit.contact;
    blocks.push(Block::Line(
        Style::Small,
        vec![
            Run::Text(format!("{} ", contact.lead())),
            Run::Link {
                url: format!("mailto:{}", contact.email),
                text: contact.email.clone(),
            },
            Run::Text(".".into()),
        ],
    ));
    // Only the .htm differs from one set to the next: it links its own files folder.
    let rtf = rtf::document(&blocks).into_bytes();
    let text = windows_text(signature.text());
    let reply_htm = document(templates, person, &short.fragment);
    let reply_rtf = rtf::document(&lines(person, None)).into_bytes();
    let reply_text = windows_text(&short.text);
    let mut files = Vec::new();
    let mut set = |stem: &str, reply: &str| {
        // The banner beside the page, by a relative URL (spaces and the like escaped).
        let src = of(&url_path(stem), OUTLOOK_PICTURE);
        if let Some(banner) = banner {
            files.push((of(stem, OUTLOOK_PICTURE), banner.png.clone()));
        }
        let html = signature.html(picture.as_ref(), ImageSource::File(&src));
        files.push((of(stem, OUTLOOK_PAGE), document(templates, person, &html)));
        files.push((of(stem, OUTLOOK_RTF), rtf.clone()));
        files.push((of(stem, TEXT), text.clone()));
        files.push((of(reply, OUTLOOK_PAGE), reply_htm.clone()));
        files.push((of(reply, OUTLOOK_RTF), reply_rtf.clone()));
        files.push((of(reply, TEXT), reply_text.clone()));
    };
    set(name, &reply);
    let mut sets: Vec<MailboxSet> = Vec::new();
    for mailbox in mailboxes {
        // Windows file names ignore case: one set per address.
        if sets.iter().any(|s| s.mailbox.same(mailbox.as_str())) {
            continue;
        }
        let own = MailboxSet {
            mailbox: mailbox.clone(),
            name: names::mailbox_name(name, mailbox),
            reply: names::mailbox_name(&reply, mailbox),
        };
        set(&own.name, &own.reply);
        sets.push(own);
    }
    Plan {
        name: name.to_owned(),
        reply,
        mailboxes: sets,
        files,
    }
}

/// The registry values that make `plan`'s signatures the defaults of `accounts`: each
/// account's own per-mailbox names, or the plain ones when the plan has none for it.
#[cfg(feature = "cli")]
pub(crate) fn defaults(plan: &Plan, accounts: &[Account]) -> Vec<RegValue> {
    accounts
        .iter()
        .flat_map(|account| {
            let (name, reply) = plan.names_for(&account.email);
            [("New Signature", name), ("Reply-Forward Signature", reply)].map(|(n, data)| {
                RegValue {
                    key: account.key.clone(),
                    name: n.to_owned(),
                    data: data.to_owned(),
                }
            })
        })
        .collect()
}

/// The `.htm`: sigblock's UTF-8 document (its charset said twice, as Office reads it).
fn document(templates: &Templates, person: &Person<'_>, fragment: &str) -> Vec<u8> {
    templates.document(&person.name, fragment).into_bytes()
}

/// The person's lines for the RTF: name, title, unit, the organization (the full
/// signature only), email | phone.
fn lines<'a>(person: &Person<'_>, organization: Option<&str>) -> Vec<Block<'a>> {
    let line = |style, text: &str| Block::Line(style, vec![Run::Text(text.to_owned())]);
    let mut blocks = vec![
        line(Style::Name, &person.name),
        line(Style::Normal, &person.title),
        line(Style::Normal, &person.unit.name),
    ];
    if let Some(organization) = organization {
        blocks.push(line(Style::Normal, organization));
    }
    let mut runs = Vec::new();
    if let Some(email) = &person.email {
        runs.push(Run::Link {
            url: format!("mailto:{email}"),
            text: email.clone(),
        });
    }
    if let Some(phone) = &person.phone {
        if !runs.is_empty() {
            runs.push(Run::Text(" | ".into()));
        }
        runs.push(Run::Link {
            url: format!("tel:{}", phone.tel),
            text: phone.display.clone(),
        });
    }
    if !runs.is_empty() {
        blocks.push(Block::Line(Style::Normal, runs));
    }
    blocks
}

/// A file name as a relative URL path: ASCII letters, digits and `-._~()@` as they are,
/// other ASCII (a space, `#`, `%`, `'`, …) percent-escaped; other characters as they are
/// (the page is UTF-8, and browsers and Office resolve them as UTF-8). Outlook's own
/// per-mailbox pages link `Name%20(user@domain)_files/…`: the `@` stays.
fn url_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || "-._~()@".contains(c) || !c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("%{:02X}", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests;
