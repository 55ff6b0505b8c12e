/* Test-only stand-in for Windows' bcryptprimitives.dll under wine 8.0, which lacks ProcessPrng.
 * Go's runtime (1.22 and later) draws its random numbers from ProcessPrng, present on every
 * Windows 10 and later, so the real system needs nothing; make release-test builds this into the
 * wine prefix's system32 only. It is never part of the release zip. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
