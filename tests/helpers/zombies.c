/* zombies: print how many processes visible in /proc are zombies (state Z). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int count = 0;

	if (!d)
		return 2;
	while ((de = readdir(d))) {
		char path[300], buf[512], *p;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) && p[1] == ' ' && p[2] == 'Z')
			count++;
		fclose(f);
	}
	closedir(d);
	printf("%d\n", count);
	return 0;
}
