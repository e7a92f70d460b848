/*
 * Directory streams over getdents64 (picolibc has none): opendir, readdir,
 * closedir, with Linux's struct dirent fields.
 */
#ifndef LIBUSER_DIRENT_H
#define LIBUSER_DIRENT_H

#include <stdint.h>
#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8

struct dirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

typedef struct __dirstream DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif
