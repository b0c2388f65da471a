/*
 * regkey.exe KEY NAME DATA: makes the key KEY under HKEY_CURRENT_USER (with every key on
 * the way) and sets its REG_SZ value NAME to DATA. In KEY, \r and \n (backslash, letter)
 * stand for a carriage return and a line feed, which `reg add` cannot type: a key name
 * may hold any character but `\`, and a hostile one holds a line break.
 *
 * For tests/windows.rs (round three): a profile whose key name would break a .reg file.
 *
 * Build: x86_64-w64-mingw32-gcc -municode -O2 -o regkey.exe regkey.c -ladvapi32
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 4) {
        fputs("usage: regkey.exe KEY NAME DATA\n", stderr);
        return 2;
    }
    size_t n = wcslen(argv[1]);
    wchar_t *key = calloc(n + 1, sizeof(wchar_t));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (argv[1][i] == L'\\' && (argv[1][i + 1] == L'r' || argv[1][i + 1] == L'n')) {
            key[k++] = argv[1][i + 1] == L'r' ? L'\r' : L'\n';
            i++;
        } else {
            key[k++] = argv[1][i];
        }
    }
    HKEY handle;
    LONG made = RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_SET_VALUE, NULL,
                                &handle, NULL);
    if (made != ERROR_SUCCESS) {
        printf("cannot make the key: %ld\n", made);
        return 1;
    }
    DWORD bytes = (DWORD)((wcslen(argv[3]) + 1) * sizeof(wchar_t));
    LONG set = RegSetValueExW(handle, argv[2], 0, REG_SZ, (const BYTE *)argv[3], bytes);
    RegCloseKey(handle);
    if (set != ERROR_SUCCESS) {
        printf("cannot set the value: %ld\n", set);
        return 1;
    }
    printf("made\n");
    return 0;
}
