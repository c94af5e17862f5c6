/* caps.h - capability names, sets and securebits through libcap.
 * Names are parsed at config time; the set changes run in the child (privs.c calls them in
 * THE order) or in tmpinit itself after the app started (privs_shrink_self). A set is a
 * uint64_t mask: bit N = capability N. */
#ifndef TMPINIT_CAPS_H
#define TMPINIT_CAPS_H

#include <stddef.h>
#include <stdint.h>

#define CAPS_ALL UINT64_MAX
#define CAPS_BIT(c) (1ULL << (c))

/* The five sets of the calling process (CapBnd, CapPrm, CapEff, CapInh, CapAmb). */
struct caps_state {
	uint64_t bnd, prm, eff, inh, amb;
	unsigned secbits;
};

/* LIST is capability names separated by commas and/or blanks, in any case, with or without
 * "CAP_", or "all" / "none". Returns 0, or -EINVAL with the offending word in BAD. */
int caps_parse(const char *list, uint64_t *mask, char *bad, size_t badlen);

/* Mask of the capabilities the running kernel knows (0 .. cap_last_cap). */
uint64_t caps_supported(void);

/* "cap_chown,cap_kill", or "none", limited to the capabilities the kernel knows. */
void caps_format(uint64_t mask, char *buf, size_t cap);

/* "noroot,noroot_locked,..." for a securebits value, "none" for 0. */
void caps_format_secbits(unsigned bits, char *buf, size_t cap);

/* Read the calling process's sets. Returns 0 or -errno (logged). */
int caps_read(struct caps_state *st);

/* Drop every capability not in KEEP from the bounding set BND (as caps_read() found it); a
 * capability already absent is not touched, so this needs CAP_SETPCAP only when something is
 * left to drop. Returns 0 or -errno (logged with a hint). */
int caps_drop_bounding(uint64_t keep, uint64_t bnd);

/* Set permitted, effective and inheritable exactly (capset). Returns 0 or -errno (logged). */
int caps_set(uint64_t prm, uint64_t eff, uint64_t inh);

/* Make the ambient set exactly AMB (each must be in permitted and inheritable).
 * Returns 0 or -errno (logged). */
int caps_set_ambient(uint64_t amb);

/* Set the securebits to BITS; when they already are BITS nothing is asked of the kernel.
 * Returns 0 or -errno (logged with a hint). */
int caps_set_secbits(unsigned bits);

#endif
