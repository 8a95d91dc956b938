/* The one function of bcryptprimitives.dll that Rust's standard library
 * (1.78 and later) loads at start-up, for Debian 12's wine 8, which has no
 * such DLL: ProcessPrng fills the buffer from RtlGenRandom (advapi32's
 * SystemFunction036). Built by tests/windows/run.sh with mingw-w64 and
 * copied into the test's own WINEPREFIX; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
