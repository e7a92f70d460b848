/* poweroff: turn the machine off (QEMU exits with status 0). */
#include <stdio.h>
#include <usys.h>

int main(void)
{
	fflush(stdout);
	poweroff();
}
