/*
 * picolibc's <time.h>, plus what this system has but picolibc declares only
 * under feature macros: clock_gettime, nanosleep and CLOCK_MONOTONIC
 * (libuser/syscalls.c maps picolibc's clock ids to Linux's).
 */
#include_next <time.h>

#ifndef LIBUSER_TIME_H
#define LIBUSER_TIME_H

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif

int clock_gettime(clockid_t clock_id, struct timespec *tp);
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif
