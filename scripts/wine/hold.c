/*
 * hold.exe PATH SHARE: opens PATH for reading the way another Windows program would
 * (Word, Excel, an editor) and keeps it open until its standard input ends. SHARE is the
 * CreateFileW share mode, a number: 1 = FILE_SHARE_READ (Excel's "others may read"),
 * 0 = exclusive, 7 = read|write|delete. Prints "holding" once the file is open, or
 * "cannot open: <error code>" and exits 1.
 *
 * For tests/windows.rs: what sigblock.exe does when a file it reads or replaces is open
 * elsewhere (Wine enforces share modes between its programs, as Windows does).
 *
 * Build: x86_64-w64-mingw32-gcc -municode -O2 -o hold.exe hold.c
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3) {
        fputs("usage: hold.exe PATH SHARE\n", stderr);
        return 2;
    }
    DWORD share = (DWORD)wcstoul(argv[2], NULL, 10);
    HANDLE file = CreateFileW(argv[1], GENERIC_READ, share, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        printf("cannot open: %lu\n", GetLastError());
        fflush(stdout);
        return 1;
    }
    printf("holding\n");
    fflush(stdout);

    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    char buffer[256];
    DWORD got;
    while (ReadFile(in, buffer, sizeof buffer, &got, NULL) && got > 0) {
    }
    CloseHandle(file);
    return 0;
}
