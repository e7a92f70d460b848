/* picolibc's <sched.h>, plus sched_yield, which it declares only under
 * feature macros. */
#include_next <sched.h>

#ifndef LIBUSER_SCHED_H
#define LIBUSER_SCHED_H
int sched_yield(void);
#endif
