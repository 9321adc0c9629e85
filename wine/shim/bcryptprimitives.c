/*
 * bcryptprimitives.dll for the Wine tests only: Go 1.24+ programs load
 * ProcessPrng from it at start (runtime.osinit) and die without it
 * ("fatal error: bcryptprimitives.dll not found"). Windows 10 and 11 ship
 * it; Debian bookworm's Wine 8.0 does not. The tests build this file with
 * x86_64-w64-mingw32-gcc into each prefix's C:\windows\system32; it is
 * never part of the Windows build or the MSI.
 *
 * ProcessPrng fills data with len random bytes from RtlGenRandom
 * (advapi32's SystemFunction036, which Wine implements) and, like the
 * real one, never fails.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            ExitProcess(2);
        data += n;
        len -= n;
    }
    return TRUE;
}
