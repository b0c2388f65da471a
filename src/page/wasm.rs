//! The page's WebAssembly exports: plain `extern "C"` functions, JSON in and out, so the
//! page's script needs no generated glue. The script asks for room
//! ([`sigblock_alloc`]), writes the UTF-8 input there and calls a function, which takes
//! the input (and frees it) and leaves its result in one output buffer
//! ([`sigblock_output_ptr`], [`sigblock_output_len`]) until the next call. A function
//! returns 0 when the output is its result, 1 when it is a message saying why not.

use std::cell::RefCell;

use super::{Office, Page, Request};

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for `len` bytes of input: the next call takes it.
#[no_mangle]
pub extern "C" fn sigblock_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast()
}

/// Where the last call's output starts.
#[no_mangle]
pub extern "C" fn sigblock_output_ptr() -> *const u8 {
    OUTPUT.with_borrow(|out| out.as_ptr())
}

/// How many bytes the last call's output has.
#[no_mangle]
pub extern "C" fn sigblock_output_len() -> usize {
    OUTPUT.with_borrow(Vec::len)
}

/// Starts the page from the office's data ([`Office`], JSON).
///
/// # Safety
/// `input` and `len` must be what [`sigblock_alloc`] gave and was asked for, used once.
#[no_mangle]
pub unsafe extern "C" fn sigblock_init(input: *mut u8, len: usize) -> u32 {
    let input = take(input, len);
    let page = serde_json::from_slice::<Office>(&input)
        .map_err(|e| format!("the signature page's data: {e}"))
        .and_then(|office| Page::new(&office).map_err(|e| e.to_string()));
    match page {
        Ok(page) => {
            PAGE.with_borrow_mut(|p| *p = Some(page));
            done(Vec::new())
        }
        Err(why) => refused(&why),
    }
}

/// The page's answer ([`super::Response`], JSON) to the form ([`Request`], JSON).
///
/// # Safety
/// As for [`sigblock_init`].
#[no_mangle]
pub unsafe extern "C" fn sigblock_respond(input: *mut u8, len: usize) -> u32 {
    let input = take(input, len);
    with_request(&input, |page, request| {
        Ok(serde_json::to_vec(&page.respond(request)).expect("JSON of strings"))
    })
}

/// Classic Outlook's files for the form's person, as a zip.
///
/// # Safety
/// As for [`sigblock_init`].
#[no_mangle]
pub unsafe extern "C" fn sigblock_outlook(input: *mut u8, len: usize) -> u32 {
    let input = take(input, len);
    with_request(&input, |page, request| page.outlook_zip(request))
}

/// Takes back the input [`sigblock_alloc`] gave out.
///
/// # Safety
/// As for [`sigblock_init`].
unsafe fn take(input: *mut u8, len: usize) -> Box<[u8]> {
    // SAFETY: the caller gives back exactly what sigblock_alloc made, once.
    unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(input, len)) }
}

fn with_request(
    input: &[u8],
    answer: impl FnOnce(&Page, &Request) -> Result<Vec<u8>, String>,
) -> u32 {
    let request = match serde_json::from_slice::<Request>(input) {
        Ok(request) => request,
        Err(e) => return refused(&format!("the form's values: {e}")),
    };
    let result = PAGE.with_borrow(|page| match page {
        Some(page) => answer(page, &request),
        None => Err("the signature page has not started".to_owned()),
    });
    match result {
        Ok(bytes) => done(bytes),
        Err(why) => refused(&why),
    }
}

fn done(bytes: Vec<u8>) -> u32 {
    OUTPUT.with_borrow_mut(|out| *out = bytes);
    0
}

fn refused(why: &str) -> u32 {
    OUTPUT.with_borrow_mut(|out| *out = why.as_bytes().to_vec());
    1
}
