/* Wine 8.0 has no bcryptprimitives.dll, whose ProcessPrng the Go runtime
   (1.24 and later) calls for random bytes on Windows: without it no Go
   program starts. This stand-in, for the Wine test runs only (never shipped),
   forwards to RtlGenRandom (advapi32's SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
