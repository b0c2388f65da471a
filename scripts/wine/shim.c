/*
 * bcryptprimitives.dll for Wine 8: a stand-in that exports ProcessPrng only.
 *
 * Why: Rust's std (1.78 and later) gets its random bytes (HashMap keys, ...) from
 * ProcessPrng in bcryptprimitives.dll. Windows 10+ has it; Wine 8.0 (Debian 12) has no
 * bcryptprimitives.dll at all, so a Rust .exe does not even start under it. Placed beside
 * sigblock.exe, this DLL is found first and answers ProcessPrng with Wine's own
 * RtlGenRandom (advapi32!SystemFunction036). It is a test-harness aid only: it is never
 * shipped with sigblock, and it is not needed on real Windows.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll shim.c shim.def
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *RtlGenRandomFn)(PVOID buffer, ULONG length);

static RtlGenRandomFn rtl_gen_random(void)
{
    static RtlGenRandomFn fn;
    if (!fn) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (advapi)
            fn = (RtlGenRandomFn)(void *)GetProcAddress(advapi, "SystemFunction036");
    }
    return fn;
}

/* BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData): always TRUE on Windows. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    RtlGenRandomFn gen = rtl_gen_random();
    if (!gen)
        return FALSE;
    while (len > 0) {
        ULONG chunk = len > (SIZE_T)0xFFFFFFFFu ? 0xFFFFFFFFu : (ULONG)len;
        if (!gen(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
