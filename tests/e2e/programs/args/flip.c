/* flip.c - the racing thread of test_args.py's race tests, as a shared
 * library the trusted application loads with ctypes (C speed, no GIL: the
 * Python thread that calls flip() releases the GIL for the whole loop).
 *
 * flip(p, a, b, stop, count): until *stop, store a then b into the byte
 * (n == 1) or 16-bit word (n == 2) at p; *count = number of stores. */
#include <stdint.h>

unsigned long flip(volatile unsigned char *p, unsigned a, unsigned b, int n,
                   volatile int *stop)
{
    unsigned long count = 0;
    while (!*stop) {
        for (int i = 0; i < 1024; i++) {
            if (n == 2) {
                *(volatile uint16_t *)p = (uint16_t)a;
                *(volatile uint16_t *)p = (uint16_t)b;
            } else {
                *p = (unsigned char)a;
                *p = (unsigned char)b;
            }
        }
        count += 2048;
    }
    return count;
}
